"""Writing the register: deliveries and acknowledgements (see storage.sharing_tables)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from threadline.clock import utcnow
from threadline.errors import NotFound
from threadline.model.security import Actor
from threadline.storage.sharing_tables import DisseminationRow


class ItemKind(StrEnum):
    """What was delivered."""

    NOTICE = "notice"  # a published threat notice, to its audiences
    BRIEFING = "briefing"  # an area's briefing pack, to the frontline of the area
    BRIEFING_ITEM = "briefing_item"  # one item of a pack (listed per threat)
    DIGEST = "digest"  # a partner organisation's digest
    DIGEST_ITEM = "digest_item"  # one item of a digest (listed per threat)
    ALERT = "alert"  # a tripwire alert to one user


class Form(StrEnum):
    """How it reached the recipient."""

    APP = "app"  # shown in Threadline
    EMAIL = "email"  # announced by email (a link only)
    PDF = "pdf"  # printed or sent as a PDF


@dataclass(frozen=True, slots=True)
class Delivery:
    """One item to one recipient: a user, an organisation or an area's frontline."""

    item_kind: ItemKind
    item_id: int
    form: Form = Form.APP
    user_id: int | None = None
    agency_id: int | None = None
    area_id: int | None = None
    notice_id: int | None = None
    subject_id: int | None = None
    group_id: int | None = None


def record_deliveries(
    session: Session,
    deliveries: Sequence[Delivery],
    *,
    audit_event_id: int | None,
    at: datetime | None = None,
) -> int:
    """Add each delivery to the register (once: a repeat of the same delivery is skipped).

    The caller writes the audit event (DISCLOSURE to another organisation, else
    CONSULTATION) first and passes its id, so the register and the log agree.
    """
    when = at or utcnow()
    present = _present(session, deliveries)
    rows = []
    for d in deliveries:
        key = _key(d)
        if key in present:
            continue
        present.add(key)  # the same delivery twice in one call is one row
        rows.append(
            {
                "item_kind": d.item_kind.value,
                "item_id": d.item_id,
                "notice_id": d.notice_id,
                "subject_id": d.subject_id,
                "group_id": d.group_id,
                "recipient_user_id": d.user_id,
                "recipient_agency_id": d.agency_id,
                "recipient_area_id": d.area_id,
                "form": d.form.value,
                "sent_at": when,
                "audit_event_id": audit_event_id,
            }
        )
    if rows:
        session.execute(insert(DisseminationRow), rows)
    added = len(rows)
    session.flush()
    return added


def acknowledge(
    session: Session,
    *,
    actor: Actor,
    item_kind: ItemKind,
    item_id: int,
    agency_id: int | None = None,
    at: datetime | None = None,
) -> datetime:
    """Record that `actor` has read an item delivered to them (or to their organisation).

    A briefing reaches an area's frontline as a whole: the officer's own row is added on
    their first acknowledgement. Returns when it was (first) acknowledged.
    """
    if actor.user_id is None:
        raise NotFound("only a signed-in user can acknowledge what they have read")
    when = at or utcnow()
    mine = DisseminationRow.recipient_user_id == actor.user_id
    target = mine if agency_id is None else DisseminationRow.recipient_agency_id == agency_id
    row = session.scalars(
        select(DisseminationRow).where(
            DisseminationRow.item_kind == item_kind.value,
            DisseminationRow.item_id == item_id,
            target,
        )
    ).first()
    if row is None:
        row = DisseminationRow(
            item_kind=item_kind.value,
            item_id=item_id,
            recipient_user_id=actor.user_id,
            form=Form.APP.value,
            sent_at=when,
        )
        session.add(row)
    if row.acknowledged_at is None:
        row.acknowledged_at, row.acknowledged_by = when, actor.user_id
    session.flush()
    return row.acknowledged_at


_Key = tuple[str, int, str, int | None, int | None, int | None]


def _key(d: Delivery) -> _Key:
    return (d.item_kind.value, d.item_id, d.form.value, d.user_id, d.agency_id, d.area_id)


def _present(session: Session, deliveries: Sequence[Delivery]) -> set[_Key]:
    """The deliveries already in the register: one indexed query per item kind."""
    found: set[_Key] = set()
    by_kind: dict[str, set[int]] = {}
    for d in deliveries:
        by_kind.setdefault(d.item_kind.value, set()).add(d.item_id)
    for kind, ids in by_kind.items():
        id_list = sorted(ids)
        for start in range(0, len(id_list), 500):
            rows = session.execute(
                select(
                    DisseminationRow.item_kind,
                    DisseminationRow.item_id,
                    DisseminationRow.form,
                    DisseminationRow.recipient_user_id,
                    DisseminationRow.recipient_agency_id,
                    DisseminationRow.recipient_area_id,
                ).where(
                    DisseminationRow.item_kind == kind,
                    DisseminationRow.item_id.in_(id_list[start : start + 500]),
                )
            )
            found.update((k, i, f, u, g, a) for k, i, f, u, g, a in rows)
    return found
