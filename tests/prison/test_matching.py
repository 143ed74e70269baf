"""Prison intelligence matched against what police hold: each call to a deal line raises
exactly one alert to the group's LRO (a week's calls counted in it), and the prison's
officers are told without the police detail."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import make_link, make_organisation
from tests.prison.world import DEAL_LINE, World
from threadline.dossier import get_person, get_phone
from threadline.errors import Forbidden, InvalidData
from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind
from threadline.model.security import system_actor
from threadline.prison.intel import list_prison_intel, record_intel, retain_call
from threadline.prison.types import IntelItem
from threadline.schedule import tick
from threadline.settings import Settings
from threadline.sharing import add_isa
from threadline.storage.db import session_scope
from threadline.storage.prison_tables import PrisonHitRow, PrisonIntelRow
from threadline.storage.reference import ensure_agency
from threadline.storage.sharing_tables import AlertRow, DisseminationRow
from threadline.storage.tables import AuditEventRow, AuditRecordRow, EntityRow

MONDAY = datetime(2026, 11, 2, 10, 0)
SETTINGS = Settings(secret_key="prison-tests-secret-key-long-enough-for-hmac-signing")


def _call(world: World, at: datetime, number: str = DEAL_LINE, grading: str = "2BP") -> int:
    with session_scope(world.engine) as session:
        view = record_intel(
            session,
            actor=world.actor(session, world.prison_officer),
            item=IntelItem(
                kind="call",
                prisoner_id=world.member,
                occurred_at=at,
                grading=grading,
                number=number,
                duration_seconds=120,
            ),
        )
    return int(view["id"])  # type: ignore[call-overload]


def _alerts(world: World, user_id: int) -> list[AlertRow]:
    with session_scope(world.engine) as session:
        return list(session.scalars(select(AlertRow).where(AlertRow.user_id == user_id)))


def _tick(world: World, now: datetime) -> dict[str, int]:
    (result,) = tick(world.engine, settings=SETTINGS, now=now, only=("prison",))
    assert result.error is None, result.error
    return result.counts


def test_calls_to_a_deal_line_raise_one_alert_a_week_to_the_lro(world: World) -> None:
    for day in range(3):
        _call(world, MONDAY + timedelta(days=day))
    _call(world, MONDAY, number="07700 900999")  # a number police do not know
    counts = _tick(world, MONDAY + timedelta(days=3))
    assert counts["hits"] == 3 and counts["contact_alerts"] == 2  # the LRO and the prison

    (alert,) = _alerts(world, world.lro)
    assert alert.entity_id == world.member and alert.kind == "prison"
    assert alert.summary == (
        "Dean Carter, member of Carter OCG, in HMP Norwich called deal line "
        f"{DEAL_LINE} of the Dice line 3 times this week"
    )
    (staff,) = _alerts(world, world.prison_officer)
    assert "A1234BC" in staff.summary and "Carter OCG" not in staff.summary
    assert DEAL_LINE not in staff.summary

    # A fourth call that week updates the count; the next tick alone changes nothing.
    _call(world, MONDAY + timedelta(days=4))
    assert _tick(world, MONDAY + timedelta(days=5))["contact_alerts"] == 0
    (alert,) = _alerts(world, world.lro)
    assert "4 times this week" in alert.summary
    assert _tick(world, MONDAY + timedelta(days=5)) == {
        "custody_linked": 0,
        "matched": 0,
        "hits": 0,
        "contact_alerts": 0,
        "release_alerts": 0,
        "order_alerts": 0,
        "calls_disposed": 0,
    }
    # Next week's call is a new alert.
    _call(world, MONDAY + timedelta(days=8))
    _tick(world, MONDAY + timedelta(days=8))
    assert len(_alerts(world, world.lro)) == 2
    with session_scope(world.engine) as session:
        register = session.scalars(
            select(DisseminationRow).where(DisseminationRow.recipient_user_id == world.lro)
        ).all()
        assert {r.item_kind for r in register} == {"alert"} and len(register) == 2
        hits = session.scalars(select(PrisonHitRow)).all()
        assert {h.matched_id for h in hits} == {world.deal_line}
        # Every call counted in exactly one alert.
        assert len({h.intel_id for h in hits}) == len(hits) == 5


def test_visits_and_associations_match_members_associates_and_addresses(world: World) -> None:
    with session_scope(world.engine) as session:
        # The prison names a visitor's record only if it may see it: Norfolk shares its
        # person records with HMP Norwich.
        add_isa(
            session,
            actor=system_actor("ersou", "test"),
            ref="ISA-NFK-HMPN-02",
            title="Visitors of HMP Norwich",
            purpose="Identifying visitors",
            legal_basis="Crime and Disorder Act 1998 s115",
            providers=["norfolk"],
            recipients=["hmp-norwich"],
            data_items=["person"],
            retention="While the person is held",
            starts_on=date(2026, 1, 1),
            review_on=date(2099, 1, 1),
        )
    with session_scope(world.engine) as session:
        officer = world.actor(session, world.prison_officer)
        record_intel(
            session,
            actor=officer,
            item=IntelItem(
                kind="visit",
                prisoner_id=world.member,
                occurred_at=MONDAY,
                grading="1AP",
                visitor_name="Kyle Moss",
                other_id=world.associate,
            ),
        )
        record_intel(
            session,
            actor=officer,
            item=IntelItem(
                kind="visit",
                prisoner_id=world.member,
                occurred_at=MONDAY,
                grading="2CP",
                visitor_name="Unknown woman",
                visitor_postcode="nr3 1ab",
            ),
        )
    _tick(world, MONDAY + timedelta(hours=1))
    summaries = sorted(a.summary for a in _alerts(world, world.lro))
    assert summaries == [
        "Dean Carter, member of Carter OCG, in HMP Norwich had a visitor from NR3 1AB, an "
        "address of Carter OCG once this week",
        "Dean Carter, member of Carter OCG, in HMP Norwich was visited by Kyle Moss, "
        "associate of a member of Carter OCG once this week",
    ]


def test_only_the_prisons_officers_record_and_the_prisoner_must_be_held_there(
    world: World,
) -> None:
    item = IntelItem(
        kind="call", prisoner_id=world.member, occurred_at=MONDAY, grading="2BP", number=DEAL_LINE
    )
    with session_scope(world.engine) as session, pytest.raises(InvalidData, match="held in"):
        record_intel(session, actor=world.actor(session, world.wayland_officer), item=item)
    with session_scope(world.engine) as session, pytest.raises(Forbidden):
        record_intel(session, actor=world.actor(session, world.lro), item=item)
    bad = IntelItem(kind="call", prisoner_id=world.member, occurred_at=MONDAY, grading="4ZQ")
    with session_scope(world.engine) as session, pytest.raises(InvalidData) as raised:
        record_intel(session, actor=world.actor(session, world.prison_officer), item=bad)
    assert {e.location for e in raised.value.errors} == {"grading", "number"}


def test_recorded_calls_are_disposed_of_after_three_months_unless_retained(
    world: World,
) -> None:
    kept = _call(world, MONDAY)
    gone = _call(world, MONDAY + timedelta(hours=1))
    _tick(world, MONDAY + timedelta(days=1))
    with session_scope(world.engine) as session:
        retain_call(
            session,
            actor=world.actor(session, world.prison_officer),
            item_id=kept,
            reason="Evidence in Operation Dice prosecution",
        )
    assert _tick(world, MONDAY + timedelta(days=60))["calls_disposed"] == 0
    assert _tick(world, MONDAY + timedelta(days=93))["calls_disposed"] == 1
    with session_scope(world.engine) as session:
        left = session.scalars(select(PrisonIntelRow.id)).all()
        assert left == [kept]
        erasure = session.scalars(
            select(AuditEventRow).where(AuditEventRow.event == "prison.calls_disposed")
        ).one()
        assert erasure.action == "erasure" and str(gone) in erasure.details
        # The contact itself is still known to police.
        assert session.scalar(select(func.count()).select_from(PrisonHitRow)) == 2
        views = list_prison_intel(session, actor=world.actor(session, world.lro))
        assert [v["id"] for v in views] == [kept]
        assert views[0]["retained_reason"] == "Evidence in Operation Dice prosecution"


def test_a_contact_appears_on_the_prisoners_profile_and_the_phones(world: World) -> None:
    _call(world, MONDAY)
    _call(world, MONDAY + timedelta(hours=2))
    _tick(world, MONDAY + timedelta(days=1))
    with session_scope(world.engine) as session:
        lro = world.actor(session, world.lro)
        person = get_person(session, actor=lro, person_id=world.member)
        phone = get_phone(session, actor=lro, phone_id=world.deal_line)
    (mine,) = [e for e in person.timeline if e.kind == "prison"]
    assert mine.title == (f"2 calls from HMP Norwich matched {DEAL_LINE} (week of 2 November 2026)")
    assert mine.record_id == world.deal_line
    (theirs,) = [e for e in phone.timeline if e.kind == "prison"]
    assert theirs.title == "2 calls with Dean Carter in HMP Norwich (week of 2 November 2026)"


def test_watchers_hear_of_new_custody_intelligence_but_not_of_reads(world: World) -> None:
    from threadline.audit import AuditAction
    from threadline.tripwires.wording import classify

    collected = AuditAction.COLLECTION
    assert classify("prison_intel.recorded", collected) is not None
    assert classify("custody.recorded", collected) is not None
    for event in (
        "prison.custody_viewed",
        "prison.custody_listed",
        "prison.intel_listed",
        "prison.calls_disposed",
        "prison.prison_alert",
        "prison.dashboard",
        "prison.people_searched",
    ):
        assert classify(event, AuditAction.CONSULTATION) is None, event


def test_the_prison_reads_its_own_call_without_the_police_record_it_matched(
    world: World,
) -> None:
    # The prison recorded the call, so it reads the call; that the number is the Dice
    # line's deal line, and which police record it is, are for police.
    _call(world, MONDAY)
    _tick(world, MONDAY + timedelta(days=1))
    with session_scope(world.engine) as session:
        (mine,) = list_prison_intel(session, actor=world.actor(session, world.prison_officer))
        (police,) = list_prison_intel(session, actor=world.actor(session, world.lro))
    (said,) = police["matches"]
    assert said.startswith("the deal line of a county line: +44")
    assert mine["matches"] == ["a number known to police"]


def test_the_prisons_view_of_the_prisoners_timeline_does_not_name_the_police_record(
    world: World,
) -> None:
    # HMP Norwich receives OCG members' names from Norfolk, not their phones or lines.
    with session_scope(world.engine) as session:
        add_isa(
            session,
            actor=system_actor(),
            ref="ISA-NFK-HMPN-01",
            title="Norfolk and HMP Norwich: OCG members in custody",
            purpose="Monitoring OCG members in prison",
            legal_basis="Crime and Disorder Act 1998 s115",
            providers=["norfolk"],
            recipients=["hmp-norwich"],
            data_items=["person.family_name", "person.given_names"],
            cohorts=["ocg_member"],
            retention="Two years",
            starts_on=date(2025, 1, 1),
            review_on=date(2099, 1, 1),
        )
    _call(world, MONDAY)
    _tick(world, MONDAY + timedelta(days=1))
    with session_scope(world.engine) as session:
        person = get_person(
            session, actor=world.actor(session, world.prison_officer), person_id=world.member
        )
    (entry,) = [e for e in person.timeline if e.kind == "prison"]
    assert DEAL_LINE not in entry.title and "deal line" not in (entry.text or "")
    assert entry.record_id is None
    assert entry.title == (
        "1 call from HMP Norwich matched a record police hold (week of 2 November 2026)"
    )


def test_a_prisoner_named_on_a_phones_timeline_is_in_the_profiles_audit_event(
    world: World,
) -> None:
    _call(world, MONDAY)
    _tick(world, MONDAY + timedelta(days=1))
    with session_scope(world.engine) as session:
        phone = get_phone(session, actor=world.actor(session, world.lro), phone_id=world.deal_line)
        (entry,) = [e for e in phone.timeline if e.kind == "prison"]
        assert "Dean Carter" in entry.title
        records = set(
            session.scalars(
                select(AuditRecordRow.entity_id).where(
                    AuditRecordRow.event_id == phone.audit_event_id
                )
            )
        )
    assert world.member in records


def test_a_contact_alert_names_only_the_groups_its_lro_may_read(world: World) -> None:
    # Dean Carter also belongs to a Suffolk group kept for Suffolk's own use (agency scope):
    # Norfolk's LRO is told of the call, not of the Suffolk group.
    with session_scope(world.engine) as session:
        suffolk = ensure_agency(session, Agency("suffolk", "Suffolk", AgencyKind.FORCE, "suffolk"))
        hidden = make_organisation(session, name="Suffolk Hidden OCG", owner="suffolk")
        session.flush()
        entity = session.get(EntityRow, hidden.entity_id)
        assert entity is not None and suffolk.id == entity.owner_id
        entity.scope = "agency"
        make_link(session, from_id=world.member, to_id=hidden.entity_id, link_type="member_of")
    _call(world, MONDAY)
    _tick(world, MONDAY + timedelta(days=1))
    (alert,) = _alerts(world, world.lro)
    assert "Carter OCG" in alert.summary and "Suffolk Hidden OCG" not in alert.summary
