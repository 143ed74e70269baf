"""Profiles show each actor what policy allows of a record and all linked to it, audited once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from tests.factories import (
    make_link,
    make_location,
    make_organisation,
    make_person,
    make_phone,
)
from tests.intel.world import build_world
from tests.policy.factories import make_actor
from tests.profiles.factories import make_county_line
from threadline import dossier, profiles
from threadline.accounts import add_user, passwords
from threadline.errors import Forbidden, NotFound
from threadline.model.enums import Marking
from threadline.model.security import Role, system_actor
from threadline.policy import ResourceKind
from threadline.storage.db import session_factory
from threadline.storage.tables import AuditEventRow, EntityRow, OrganisationRow

SUFFOLK_OFFICER = make_actor(
    roles=Role.FRONTLINE, agency="force-other", clearance=Marking.OFFICIAL_SENSITIVE
)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_factory(engine)() as session:
        yield session


def _events(session: Session, event: str) -> list[AuditEventRow]:
    return list(session.scalars(select(AuditEventRow).where(AuditEventRow.event == event)))


def _hide(
    session: Session, entity_id: int, *, scope: str = "region", marking: str = "OFFICIAL"
) -> None:
    row = session.get_one(EntityRow, entity_id)
    row.scope, row.marking = scope, marking


def test_another_forces_officer_sees_region_records_and_not_the_rest(session: Session) -> None:
    person = make_person(session, family_name="Black", given_names="Ray", dob="1985-02-03")
    group = make_organisation(session, name="Kestrel")
    phone = make_phone(session, number="07700 900001")
    private_phone = make_phone(session, number="07700 900002")
    secret_associate = make_person(session, family_name="Grey", given_names="Sam")
    hidden_link_phone = make_phone(session, number="07700 900003")
    make_link(
        session,
        from_id=person.entity_id,
        to_id=group.entity_id,
        link_type="member_of",
        role="lieutenant",
    )
    for target in (phone, private_phone):
        make_link(session, from_id=person.entity_id, to_id=target.entity_id, link_type="uses_phone")
    make_link(
        session,
        from_id=person.entity_id,
        to_id=secret_associate.entity_id,
        link_type="associate_of",
    )
    make_link(
        session,
        from_id=person.entity_id,
        to_id=hidden_link_phone.entity_id,
        link_type="uses_phone",
        marking="SECRET",
    )
    _hide(session, private_phone.entity_id, scope="agency")  # Norfolk's own
    _hide(session, secret_associate.entity_id, marking="SECRET")  # above clearance
    session.commit()

    profile = dossier.get_person(
        session, actor=SUFFOLK_OFFICER, person_id=person.entity_id, purpose="stop check"
    )
    session.commit()
    assert profile.title == "BLACK, Ray (03/02/1985)"
    assert [(g.label, g.role) for g in profile.group("member_of")] == [("Kestrel", "lieutenant")]
    assert [p.label for p in profile.group("uses_phone")] == ["+447700900001"]
    assert profile.group("associate_of") == ()
    # One consultation naming the person and every record shown, and nothing held back.
    [event] = _events(session, "person.profile")
    assert event.action == "consultation" and event.purpose == "stop check"
    assert sorted(json.loads(event.records)) == sorted(
        [person.entity_id, group.entity_id, phone.entity_id]
    )
    assert event.id == profile.audit_event_id


@pytest.mark.parametrize(
    ("scope", "marking"), [("agency", "OFFICIAL"), ("region", "SECRET")], ids=["agency", "secret"]
)
def test_a_record_the_actor_may_not_see_is_not_found(
    session: Session, scope: str, marking: str
) -> None:
    """Refused as every single-record read is (`policy.read_refusal`): police are told
    why, so they can ask the owner; a partner as if the record did not exist."""
    world = build_world(session)
    person = make_person(session, family_name="Black", given_names="Ray")
    lynn = make_location(session, postcode="PE30 1AA", town="King's Lynn")  # outside Norwich
    make_link(session, from_id=person.entity_id, to_id=lynn.entity_id, link_type="resides_at")
    _hide(session, person.entity_id, scope=scope, marking=marking)
    session.commit()
    with pytest.raises(Forbidden, match=r"clearance|agency scope"):
        dossier.get_person(session, actor=SUFFOLK_OFFICER, person_id=person.entity_id)
    with pytest.raises(NotFound) as hidden:
        dossier.get_person(session, actor=world.partner, person_id=person.entity_id)
    with pytest.raises(NotFound) as missing:
        dossier.get_person(session, actor=world.partner, person_id=person.entity_id + 1000)
    words = str(hidden.value).replace(str(person.entity_id), "N")
    assert words == str(missing.value).replace(str(person.entity_id + 1000), "N")
    # Nor is a record of one kind found as another.
    with pytest.raises(NotFound):
        dossier.get_organisation(
            session,
            actor=SUFFOLK_OFFICER,
            organisation_id=make_person(session, family_name="X").entity_id,
        )


def test_partner_under_an_agreement_sees_only_its_data_items(session: Session) -> None:
    world = build_world(session)  # CADS: people's family names and sanitised reports
    session.commit()
    profile = dossier.get_person(session, actor=world.partner, person_id=world.child)
    session.commit()
    assert dict(profile.record) == {
        "id": world.child,
        "owner": "norfolk",
        "marking": "OFFICIAL",
        "family_name": "Smith",
    }
    assert profile.record.isa_ref == world.isa.ref
    assert profile.links == ()  # the home address: locations are not among its data items
    assert profile.custody is None and profile.safeguarding is None
    assert profile.reports == ()  # partners never see an original report
    assert {v.ref for v in profile.sanitised} == {world.sanitised_p.ref, world.sanitised_c.ref}
    assert all(
        set(v) <= {"id", "ref", "report_ref", "owner", "marking", "handling", "conditions", "text"}
        for v in profile.sanitised
    )
    # Nothing dated that the agreement does not give: no record dates, no link dates.
    assert profile.timeline == ()
    [event] = _events(session, "person.profile")
    details = json.loads(event.details)
    assert details["isas"] == [world.isa.ref]
    assert world.report_p.id in json.loads(event.records)


def test_partner_without_an_agreement_finds_nothing(session: Session) -> None:
    world = build_world(session)
    session.commit()
    charity = make_actor(roles=Role.PARTNER, agency="charity", clearance=Marking.OFFICIAL_SENSITIVE)
    with pytest.raises(NotFound):
        dossier.get_person(session, actor=charity, person_id=world.child)
    # And an adult outside the agreement's area is hidden from CADS too.
    with pytest.raises(NotFound):
        dossier.get_person(session, actor=world.partner, person_id=world.adult)


def test_officer_sees_custody_and_safeguarding_sections_empty(session: Session) -> None:
    world = build_world(session)
    session.commit()
    profile = dossier.get_person(session, actor=world.officer, person_id=world.child)
    assert profile.custody is not None and profile.custody.items == ()
    assert profile.custody.kind is ResourceKind.CUSTODY
    assert profile.safeguarding is not None and profile.safeguarding.items == ()


def test_analyst_sees_originals_without_the_source_outside_the_unit(session: Session) -> None:
    world = build_world(session)
    session.commit()
    analyst = make_actor(roles=Role.ANALYST, agency="force-other", clearance=Marking.SECRET)
    profile = dossier.get_person(session, actor=analyst, person_id=world.child)
    assert {r.ref for r in profile.reports} == {world.report_p.ref, world.report_c.ref}
    assert profile.sanitised == ()  # their sanitised versions would only repeat them
    assert all("source_ref" not in r for r in profile.reports)
    coded_c = next(r for r in profile.reports if r["handling"] == "C")
    assert coded_c.conditions and "safeguarding use only" in coded_c.conditions
    in_unit = dossier.get_person(session, actor=world.analyst, person_id=world.child)
    assert all(r["source_ref"] == "CHIS-NFK-0042" for r in in_unit.reports)
    # Frontline officers read the sanitised versions.
    officer = dossier.get_person(session, actor=world.officer, person_id=world.child)
    assert officer.reports == () and len(officer.sanitised) == 2


def test_group_profile_members_by_role_with_the_lro(session: Session) -> None:
    passwords.configure(time_cost=1, memory_cost=8, parallelism=1)
    try:
        lro = add_user(
            session,
            actor=system_actor("ersou", "test"),
            username="lro@norfolk",
            display_name="Gemma Johnson",
            agency_code="norfolk",
            roles=["lro"],
            clearance="SECRET",
            password="correct horse battery staple",
        )
    finally:
        passwords.configure()
    group = make_organisation(session, name="Kestrel")
    session.get_one(OrganisationRow, group.entity_id).lro_id = lro.id
    people = {}
    for name, role in (
        ("Runner", "runner"),
        ("Boss", "principal"),
        ("Helper", "associate"),
        ("Deputy", "lieutenant"),
    ):
        people[role] = make_person(session, family_name=name, given_names="A")
        make_link(
            session,
            from_id=people[role].entity_id,
            to_id=group.entity_id,
            link_type="member_of",
            role=role,
            valid_from=date(2024, 1, 1),
        )
    old = make_person(session, family_name="Former", given_names="A")
    make_link(
        session,
        from_id=old.entity_id,
        to_id=group.entity_id,
        link_type="member_of",
        role="principal",
        valid_from=date(2019, 1, 1),
        valid_to=date(2022, 6, 30),
    )
    base = make_location(session, postcode="NR1 1AA", line1="1 Yard")
    make_link(session, from_id=group.entity_id, to_id=base.entity_id, link_type="operates_from")
    line = make_county_line(session, name="Rocco")
    make_link(session, from_id=group.entity_id, to_id=line.entity_id, link_type="runs_line")
    session.commit()

    profile = dossier.get_organisation(
        session, actor=SUFFOLK_OFFICER, organisation_id=group.entity_id
    )
    assert profile.record["lro"] == (
        "Gemma Johnson (lro@norfolk); out of hours: "
        "Norfolk Constabulary control room, 01632 960106 (24 hours)"
    )
    assert profile.record["members"] == 4  # the former principal is no longer a member
    members = [(m.role, m.current) for m in profile.group("has_member")]
    assert members == [
        ("principal", True),
        ("lieutenant", True),
        ("associate", True),
        ("runner", True),
        ("principal", False),
    ]
    assert [b.label for b in profile.group("operates_from")] == ["1 Yard, Norwich, NR1 1AA"]
    assert [c.label for c in profile.group("runs_line")] == ["Rocco line"]
    titles = [entry.title for entry in profile.timeline if entry.kind.startswith("link")]
    assert "Ended: member FORMER, A (principal)" in titles
    assert profile.timeline == tuple(sorted(profile.timeline, key=lambda e: e.on, reverse=True))


def test_county_line_profile_with_deal_lines_and_runners(session: Session) -> None:
    line = make_county_line(session, name="Rocco")
    deal = make_phone(session, number="07700 900999")
    runner = make_person(session, family_name="Smith", given_names="Jo", dob="2011-04-05")
    cuckooed = make_location(session, postcode="NR3 2BB", line1="4 Flat Lane")
    make_link(session, from_id=line.entity_id, to_id=deal.entity_id, link_type="line_phone")
    make_link(session, from_id=runner.entity_id, to_id=line.entity_id, link_type="runner_for")
    make_link(session, from_id=line.entity_id, to_id=cuckooed.entity_id, link_type="cuckoos")
    session.commit()
    profile = dossier.get_county_line(session, actor=SUFFOLK_OFFICER, county_line_id=line.entity_id)
    assert profile.record["deal_lines"] == ["+447700900999"]
    assert profile.record["importing_area"] == "norwich"
    assert [r.id for r in profile.group("has_runner")] == [runner.entity_id]
    assert [r.id for r in profile.group("line_phone")] == [deal.entity_id]
    assert [r.id for r in profile.group("cuckoos")] == [cuckooed.entity_id]
    phone = dossier.get_phone(session, actor=SUFFOLK_OFFICER, phone_id=deal.entity_id)
    assert [r.label for r in phone.group("deal_line_of")] == ["Rocco line"]


def test_list_people_pages_over_what_the_actor_may_see(session: Session) -> None:
    shown = [
        make_person(session, family_name="Hatherley", given_names=g).entity_id
        for g in ("Anna", "Anne", "Ann")
    ]
    hidden = make_person(session, family_name="Hatherley", given_names="Annie")
    _hide(session, hidden.entity_id, scope="agency")
    session.commit()
    first = profiles.list_people(session, actor=SUFFOLK_OFFICER, name="Ann Hatherley", limit=2)
    second = profiles.list_people(
        session, actor=SUFFOLK_OFFICER, name="Ann Hatherley", limit=2, offset=2
    )
    session.commit()
    ids = [v["id"] for v in first.items + second.items]
    assert first.more and not second.more
    assert sorted(ids) == sorted(shown)  # type: ignore[type-var]
    events = _events(session, "person.listed")
    assert [json.loads(e.records) for e in events] == [
        sorted(v["id"] for v in first.items),  # type: ignore[type-var]
        [second.items[0]["id"]],
    ]


def test_list_organisations_by_type_and_name(session: Session) -> None:
    for name, kind in (("Kestrel", "ocg"), ("Kestrel Car Wash", "business"), ("Harrier", "ocg")):
        make_organisation(session, name=name, org_type=kind)
    hidden = make_organisation(session, name="Kestrel Two", org_type="ocg")
    _hide(session, hidden.entity_id, marking="SECRET")
    session.commit()
    ocgs = profiles.list_organisations(session, actor=SUFFOLK_OFFICER, org_type="ocg")
    assert [v["name"] for v in ocgs.items] == ["Harrier", "Kestrel"]
    named = profiles.list_organisations(
        session, actor=SUFFOLK_OFFICER, name="KESTREL", limit=1, offset=1
    )
    assert [v["name"] for v in named.items] == ["Kestrel Car Wash"] and not named.more
