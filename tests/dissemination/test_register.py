"""The register: deliveries written once, acknowledgements, and reading it back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.notices.world import NoticeWorld, draft
from threadline.accounts import actor_for, add_user, passwords
from threadline.audit import AuditAction
from threadline.clock import utcnow
from threadline.dissemination import (
    Delivery,
    ItemKind,
    acknowledge,
    record_deliveries,
)
from threadline.errors import Forbidden, InvalidData, NotFound
from threadline.model.security import Actor, system_actor
from threadline.notices import acknowledge_notice, list_register, publish_notice
from threadline.storage.sharing_tables import (
    BriefingItemRow,
    BriefingRow,
    DigestItemRow,
    DigestRow,
    DisseminationRow,
)
from threadline.storage.tables import AgencyRow, AreaRow, AuditEventRow


@pytest.fixture(autouse=True)
def cheap_hashing() -> Iterator[None]:
    passwords.configure(time_cost=1, memory_cost=8, parallelism=1)
    yield
    passwords.configure()


def _user(session: Session, username: str, agency: str, roles: list[str]) -> Actor:
    add_user(
        session,
        actor=system_actor("ersou", "test"),
        username=username,
        display_name=username.split("@")[0].title(),
        agency_code=agency,
        roles=roles,
        clearance="OFFICIAL-SENSITIVE",
        password="correct horse battery staple",
    )
    return actor_for(session, username)


def _id(session: Session, table: type[AreaRow] | type[AgencyRow], code: str) -> int:
    found = session.scalar(select(table.id).where(table.code == code))
    assert found is not None
    return found


def _briefing(session: Session, world: NoticeWorld, notice_id: int) -> tuple[int, int]:
    """A Norwich briefing with one item about the notice, delivered to the area."""
    norwich = _id(session, AreaRow, "norwich")
    now = utcnow()
    briefing = BriefingRow(area_id=norwich, shift_start=now, compiled_at=now)
    session.add(briefing)
    session.flush()
    item = BriefingItemRow(
        briefing_id=briefing.id,
        position=1,
        section="notice",
        notice_id=notice_id,
        group_id=world.group,
        title="Kestrel lieutenant active in Norwich",
    )
    session.add(item)
    session.flush()
    record_deliveries(
        session,
        [
            Delivery(ItemKind.BRIEFING, briefing.id, area_id=norwich),
            Delivery(
                ItemKind.BRIEFING_ITEM,
                item.id,
                area_id=norwich,
                notice_id=notice_id,
                group_id=world.group,
            ),
        ],
        audit_event_id=None,
    )
    return briefing.id, item.id


def test_a_delivery_is_recorded_once(session: Session, world: NoticeWorld) -> None:
    delivery = Delivery(ItemKind.ALERT, 7, agency_id=_id(session, AgencyRow, "norfolk-cads"))
    assert record_deliveries(session, [delivery, delivery], audit_event_id=None) == 1
    assert record_deliveries(session, [delivery], audit_event_id=None) == 0


def test_the_register_of_a_notice_shows_who_was_told_and_who_acknowledged(
    session: Session, world: NoticeWorld
) -> None:
    notice = draft(session, world)
    publish_notice(session, actor=world.analyst, ref=notice.ref)
    briefing_id, _ = _briefing(session, world, notice.id)
    officer = _user(session, "pc.jones@norfolk", "norfolk", ["frontline"])
    acknowledge(session, actor=officer, item_kind=ItemKind.BRIEFING, item_id=briefing_id)
    cads = _user(session, "worker@norfolk-cads", "norfolk-cads", ["partner"])
    acknowledge(
        session,
        actor=cads,
        item_kind=ItemKind.NOTICE,
        item_id=notice.id,
        agency_id=_id(session, AgencyRow, "norfolk-cads"),
    )
    session.commit()

    analyst = _user(session, "analyst2@norfolk", "norfolk", ["analyst"])
    register = list_register(session, actor=analyst, notice_ref=notice.ref)
    told = {(e.item_kind, e.recipient, e.acknowledged) for e in register}
    assert told == {
        ("notice", "Norfolk Children's Advice and Duty Service (CADS)", True),
        ("notice", "Frontline of Norwich", False),
        ("notice", "All police in the region", False),
        ("briefing_item", "Frontline of Norwich", True),
    }
    cads_row = next(e for e in register if e.recipient_kind == "agency")
    assert cads_row.acknowledged_by == "Worker (worker@norfolk-cads)"
    item = next(e for e in register if e.item_kind == "briefing_item")
    assert item.item == "Briefing item: Kestrel lieutenant active in Norwich"
    assert [name for name, _ in item.pack_acknowledgements] == ["Pc.Jones (pc.jones@norfolk)"]
    assert all(e.notice_ref == notice.ref for e in register)


def test_one_page_answers_who_knows_about_a_group(session: Session, world: NoticeWorld) -> None:
    about_member = draft(session, world, subject=world.adult, audiences=("region",))
    publish_notice(session, actor=world.analyst, ref=about_member.ref)
    unrelated = draft(session, world, audiences=("region",), title="About the child")
    publish_notice(session, actor=world.analyst, ref=unrelated.ref)
    cads = _id(session, AgencyRow, "norfolk-cads")
    now = utcnow()
    digest = DigestRow(agency_id=cads, period_start=now - timedelta(days=7), compiled_at=now)
    session.add(digest)
    session.flush()
    item = DigestItemRow(
        digest_id=digest.id, position=1, section="group", group_id=world.group, title="Kestrel"
    )
    session.add(item)
    session.flush()
    record_deliveries(
        session,
        [Delivery(ItemKind.DIGEST_ITEM, item.id, agency_id=cads, group_id=world.group)],
        audit_event_id=None,
    )
    session.commit()
    supervisor = _user(session, "supervisor@norfolk", "norfolk", ["supervisor"])
    register = list_register(session, actor=supervisor, group_id=world.group)
    assert register.about == "the group Kestrel and its members"
    assert sorted((e.item_kind, e.recipient) for e in register) == [
        ("digest_item", "Norfolk Children's Advice and Duty Service (CADS)"),
        ("notice", "All police in the region"),
    ]
    with pytest.raises(InvalidData):
        list_register(session, actor=supervisor, group_id=world.child)


def test_partners_and_frontline_officers_never_read_the_register(
    session: Session, world: NoticeWorld
) -> None:
    notice = draft(session, world)
    publish_notice(session, actor=world.analyst, ref=notice.ref)
    for actor in (world.cads, world.officer):
        with pytest.raises(Forbidden):
            list_register(session, actor=actor, notice_ref=notice.ref)


def test_reading_the_register_is_one_consultation(session: Session, world: NoticeWorld) -> None:
    notice = draft(session, world)
    publish_notice(session, actor=world.analyst, ref=notice.ref)
    before = session.scalar(select(AuditEventRow.id).order_by(AuditEventRow.id.desc()).limit(1))
    list_register(session, actor=world.analyst, notice_ref=notice.ref)
    events = session.scalars(select(AuditEventRow).where(AuditEventRow.id > (before or 0))).all()
    assert [(e.action, e.event) for e in events] == [
        (AuditAction.CONSULTATION.value, "dissemination.register_viewed")
    ]
    assert session.scalar(select(DisseminationRow.sent_at).limit(1)) <= datetime.now()


def test_an_officer_who_reads_a_notice_appears_in_its_register(
    session: Session, world: NoticeWorld
) -> None:
    notice = draft(session, world, audiences=("area:norwich",))
    publish_notice(session, actor=world.analyst, ref=notice.ref)
    officer = _user(session, "pc.smith@norfolk", "norfolk", ["frontline"])
    acknowledge_notice(session, actor=officer, ref=notice.ref)
    register = list_register(session, actor=world.analyst, notice_ref=notice.ref)
    mine = [e for e in register if e.recipient_kind == "user"]
    assert [(e.recipient, e.acknowledged) for e in mine] == [("Pc.Smith (pc.smith@norfolk)", True)]
    with pytest.raises(NotFound):  # a partner it was not sent to: as if there were none
        acknowledge_notice(session, actor=world.housing, ref=notice.ref)
