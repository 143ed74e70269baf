"""Alerts from prison monitoring: one per contact a week, one per release threshold.

An alert goes to the lead responsible officer (LRO) of each group concerned and to the
prison intelligence officers of the establishment; each is written with its register
entry, under a DISCLOSURE audit event naming the alerts and the organisations told.
`prison_alert` remembers which alert each key raised for each user, so a later call in
the same week updates the count of the alert already raised instead of raising another.

Alerts are raised in bulk (a million call records can hit thousands of times): one audit
event covers a round of alerts in which no recipient gets two about the same person
(`alert` is unique per event, record and user).

Prison staff are told only what the prison itself recorded and that police hold a
matching record; the group, the line and the number are for police.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from threadline.accounts.login import build_actor
from threadline.audit import AuditAction, record_event
from threadline.dissemination import Delivery, ItemKind, record_deliveries
from threadline.model.enums import AgencyKind
from threadline.model.security import system_actor
from threadline.policy import Action, PolicyContext, Resource, ResourceKind, decide, load_context
from threadline.policy.identity import police_kind
from threadline.storage.prison_tables import PrisonAlertRow
from threadline.storage.sharing_tables import AlertRow
from threadline.storage.tables import AgencyRow, OrganisationRow, UserRow

_CHUNK = 500  # keys per IN (...) query


@dataclass(frozen=True, slots=True)
class Recipient:
    user_id: int
    agency_code: str
    police: bool


@dataclass(frozen=True, slots=True)
class AlertSpec:
    """One alert to raise (or bring up to date) for each of its recipients."""

    key: str  # e.g. contact:12:34:2026-W45, release:7:30
    kind: str  # prison | release
    subject_id: int  # the prisoner: what the alert links to
    records: tuple[int, ...]  # every record it names, for the audit log
    recipients: tuple[Recipient, ...]
    police_summary: str
    prison_summary: str
    count: int
    group_id: int | None


def lros_of(session: Session, group_ids: Iterable[int]) -> dict[int, Recipient]:
    """The LRO of each group that has one (and is not disabled), by group."""
    ids = sorted(set(group_ids))
    found: dict[int, Recipient] = {}
    for start in range(0, len(ids), _CHUNK):
        rows = session.execute(
            select(OrganisationRow.entity_id, UserRow.id, AgencyRow.code, AgencyRow.kind)
            .join(UserRow, OrganisationRow.lro_id == UserRow.id)
            .join(AgencyRow, AgencyRow.id == UserRow.agency_id)
            .where(
                OrganisationRow.entity_id.in_(ids[start : start + _CHUNK]),
                UserRow.disabled.is_(False),
            )
        )
        for group, user, code, kind in rows:
            # Which summary the LRO is given (police or prison wording) is policy's call.
            found[group] = Recipient(user, code, police_kind(AgencyKind(kind)))
    return found


def prison_officers(session: Session, establishment_id: int) -> list[Recipient]:
    """Every prison intelligence officer of the establishment: its users whom policy lets
    record prison intelligence there."""
    rows = session.execute(
        select(UserRow, AgencyRow)
        .join(AgencyRow, AgencyRow.id == UserRow.agency_id)
        .where(UserRow.agency_id == establishment_id, UserRow.disabled.is_(False))
        .order_by(UserRow.id)
    ).all()
    found = []
    ctx: PolicyContext | None = None
    for user, agency in rows:
        actor = build_actor(user, agency)
        ctx = ctx or load_context(session, actor)
        resource = Resource(kind=ResourceKind.PRISON_INTEL, owner=agency.code)
        if decide(actor=actor, action=Action.CREATE, resource=resource, ctx=ctx).allowed:
            found.append(Recipient(user.id, agency.code, False))
    return found


def raise_alerts(session: Session, specs: Sequence[AlertSpec], *, now: datetime) -> int:
    """Raise each spec's alert for each recipient who has none for its key yet, and bring
    the count of those already raised up to date; returns how many were raised.
    Idempotent: the same keys and counts again change nothing."""
    existing: dict[tuple[str, int], PrisonAlertRow] = {}
    keys = sorted({s.key for s in specs})
    for start in range(0, len(keys), _CHUNK):
        for row in session.scalars(
            select(PrisonAlertRow).where(PrisonAlertRow.key.in_(keys[start : start + _CHUNK]))
        ):
            existing[row.key, row.user_id] = row
    changed: list[dict[str, object]] = []
    new: list[tuple[AlertSpec, Recipient]] = []
    for spec in specs:
        for recipient in {r.user_id: r for r in spec.recipients}.values():
            known = existing.get((spec.key, recipient.user_id))
            if known is None:
                new.append((spec, recipient))
            elif known.count != spec.count:
                known.count = spec.count
                summary = spec.police_summary if recipient.police else spec.prison_summary
                changed.append({"id": known.alert_id, "summary": summary})
    if changed:
        session.execute(update(AlertRow), changed)
    for round_ in _rounds(new):
        _raise_round(session, round_, now)
    return len(new)


def _rounds(
    new: list[tuple[AlertSpec, Recipient]],
) -> list[list[tuple[AlertSpec, Recipient]]]:
    """Split into rounds holding at most one alert per (person, recipient)."""
    rounds: list[list[tuple[AlertSpec, Recipient]]] = []
    taken: list[set[tuple[int, int]]] = []
    for spec, recipient in new:
        pair = (spec.subject_id, recipient.user_id)
        for index, seen in enumerate(taken):
            if pair not in seen:
                seen.add(pair)
                rounds[index].append((spec, recipient))
                break
        else:
            taken.append({pair})
            rounds.append([(spec, recipient)])
    return rounds


def _raise_round(
    session: Session, round_: list[tuple[AlertSpec, Recipient]], now: datetime
) -> None:
    kinds = sorted({spec.kind for spec, _ in round_})
    event_id = record_event(
        session,
        actor=system_actor("ersou", "prison-monitoring"),
        action=AuditAction.DISCLOSURE,
        event=f"prison.{kinds[0]}_alert" if len(kinds) == 1 else "prison.alerts",
        records=sorted({r for spec, _ in round_ for r in spec.records}),
        recipients=sorted({recipient.agency_code for _, recipient in round_}),
        details={
            "alerts": len(round_),
            "keys": sorted({spec.key for spec, _ in round_})[:200],
        },
    )
    ids = session.scalars(
        insert(AlertRow).returning(AlertRow.id, sort_by_parameter_order=True),
        [
            {
                "user_id": recipient.user_id,
                "entity_id": spec.subject_id,
                "event_id": event_id,
                "kind": spec.kind,
                "summary": spec.police_summary if recipient.police else spec.prison_summary,
                "created_at": now,
            }
            for spec, recipient in round_
        ],
    ).all()
    session.execute(
        insert(PrisonAlertRow),
        [
            {
                "key": spec.key,
                "user_id": recipient.user_id,
                "alert_id": alert_id,
                "count": spec.count,
            }
            for (spec, recipient), alert_id in zip(round_, ids, strict=True)
        ],
    )
    record_deliveries(
        session,
        [
            Delivery(
                ItemKind.ALERT,
                alert_id,
                user_id=recipient.user_id,
                subject_id=spec.subject_id,
                group_id=spec.group_id,
            )
            for (spec, recipient), alert_id in zip(round_, ids, strict=True)
        ],
        audit_event_id=event_id,
        at=now,
    )
