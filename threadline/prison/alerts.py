"""Alerts from prison monitoring: one per contact a week, one per release threshold.

An alert goes to the lead responsible officer (LRO) of each group concerned and to the
prison intelligence officers of the establishment; each is written with its register
entry and one DISCLOSURE audit event naming the organisations told. `prison_alert`
remembers which alert each key raised, so a later call in the same week updates the
count of the alert already raised instead of raising another.

Prison staff are told only what the prison itself recorded and that police hold a
matching record; the group, the line and the number are for police.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.dissemination import Delivery, ItemKind, record_deliveries
from threadline.model.security import Role, system_actor
from threadline.storage.prison_tables import PrisonAlertRow
from threadline.storage.sharing_tables import AlertRow
from threadline.storage.tables import AgencyRow, OrganisationRow, UserRow


@dataclass(frozen=True, slots=True)
class Recipient:
    user_id: int
    agency_code: str
    police: bool


def lros(session: Session, group_ids: Iterable[int]) -> list[Recipient]:
    """The LRO of each group that has one, and is not disabled."""
    ids = set(group_ids)
    if not ids:
        return []
    rows = session.execute(
        select(UserRow.id, AgencyRow.code, AgencyRow.kind)
        .join(OrganisationRow, OrganisationRow.lro_id == UserRow.id)
        .join(AgencyRow, AgencyRow.id == UserRow.agency_id)
        .where(OrganisationRow.entity_id.in_(ids), UserRow.disabled.is_(False))
    )
    return [Recipient(id_, code, kind in ("force", "regional_unit")) for id_, code, kind in rows]


def prison_officers(session: Session, establishment_id: int) -> list[Recipient]:
    """Every prison intelligence officer of the establishment."""
    rows = session.execute(
        select(UserRow.id, UserRow.roles, AgencyRow.code)
        .join(AgencyRow, AgencyRow.id == UserRow.agency_id)
        .where(UserRow.agency_id == establishment_id, UserRow.disabled.is_(False))
    )
    return [
        Recipient(id_, code, False)
        for id_, roles, code in rows
        if Role.PRISON_INTEL.value in roles.split(",")
    ]


def raise_alert(
    session: Session,
    *,
    key: str,
    kind: str,
    subject_id: int,
    records: list[int],
    recipients: list[Recipient],
    police_summary: str,
    prison_summary: str,
    count: int,
    group_id: int | None,
    now: datetime,
) -> int:
    """Raise (or bring up to date) the alert of `key` for each recipient; returns how
    many new alerts were raised. Idempotent: the same key and count change nothing."""
    unique = {r.user_id: r for r in recipients}
    existing = {
        row.user_id: row
        for row in session.scalars(
            select(PrisonAlertRow).where(
                PrisonAlertRow.key == key, PrisonAlertRow.user_id.in_(list(unique))
            )
        )
    }
    for user_id, known in existing.items():
        if known.count != count:
            alert = session.get(AlertRow, known.alert_id)
            if alert is not None:
                alert.summary = police_summary if unique[user_id].police else prison_summary
            known.count = count
    new = [r for user_id, r in unique.items() if user_id not in existing]
    if not new:
        return 0
    event_id = record_event(
        session,
        actor=system_actor("ersou", "prison-monitoring"),
        action=AuditAction.DISCLOSURE,
        event=f"prison.{kind}_alert",
        records=records,
        recipients=sorted({r.agency_code for r in new}),
        details={"key": key, "users": [r.user_id for r in new], "count": count},
    )
    deliveries = []
    for recipient in new:
        alert = AlertRow(
            user_id=recipient.user_id,
            entity_id=subject_id,
            event_id=event_id,
            kind=kind,
            summary=police_summary if recipient.police else prison_summary,
            created_at=now,
        )
        session.add(alert)
        session.flush()
        session.add(
            PrisonAlertRow(key=key, user_id=recipient.user_id, alert_id=alert.id, count=count)
        )
        deliveries.append(
            Delivery(
                ItemKind.ALERT,
                alert.id,
                user_id=recipient.user_id,
                subject_id=subject_id,
                group_id=group_id,
            )
        )
    session.flush()
    record_deliveries(session, deliveries, audit_event_id=event_id, at=now)
    return len(new)
