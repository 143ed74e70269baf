"""The golden nominal of a person's profile, as the profile service returns it.

William Hargreaves is held by Norfolk, Essex and Suffolk (tests/resolve/region.py), and
resolution joins the three. Opening Essex's record, a police reader is given the person
as one: Norfolk's identity (the most complete) with every record's warning markers, the
group Norfolk names him in, Suffolk's custody episode, and the three records with how
they differ. A partner is given none of it, and a record the reader may not see is
neither shown nor joins two they may.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.factories import make_link, make_organisation, make_person
from tests.intel.world import build_world
from tests.policy.factories import make_actor
from tests.prison.samples import sample_episode
from tests.resolve.region import Region, build_region
from threadline.clock import utcnow
from threadline.dossier import get_person
from threadline.model.enums import Marking
from threadline.model.security import Role
from threadline.storage.db import session_scope
from threadline.storage.resolution import replace_links, replace_resolved_ids
from threadline.storage.tables import PersonRow

OFFICER = make_actor(roles=Role.FRONTLINE, agency="force-own", clearance=Marking.OFFICIAL_SENSITIVE)


def _join(engine: Engine, ids: tuple[int, ...], links: list[tuple[int, int]]) -> None:
    """Store `ids` as one resolved person joined by `links`, as a resolution run would."""
    with session_scope(engine) as session:
        replace_resolved_ids(session, dict.fromkeys(ids, "RP-1"), model_version=1, at=utcnow())
        replace_links(session, [(a, b, 0.99) for a, b in links], model_version=1)


@pytest.fixture
def region(engine: Engine) -> Region:
    found = build_region(engine)
    norfolk, essex, suffolk = found.william
    with session_scope(engine) as session:
        session.get_one(PersonRow, norfolk).warning_markers = "WE"
        session.get_one(PersonRow, suffolk).warning_markers = "SH"
        heron = make_organisation(session, name="Operation Heron", owner="norfolk")
        make_link(
            session, from_id=norfolk, to_id=heron.entity_id, link_type="member_of", role="principal"
        )
        sample_episode(session, suffolk)
    _join(engine, found.william, [(norfolk, essex), (essex, suffolk)])
    return found


def test_a_police_reader_is_given_the_person_as_one(engine: Engine, region: Region) -> None:
    norfolk, essex, suffolk = region.william
    with session_scope(engine) as session:
        profile = get_person(session, actor=OFFICER, person_id=essex)
        golden = profile.golden
        assert golden is not None
        assert golden.identity["id"] == norfolk  # the most complete: it has the PNC id
        assert golden.identity["warning_markers"] == ["WE", "SH"]
        assert golden.record_ids == [essex, norfolk, suffolk]
        assert [s.owner_name for s in golden.sources] == [
            "Essex Police",
            "Norfolk Constabulary",
            "Suffolk Constabulary",
        ]
        essex_source = golden.sources[0]
        assert "Given names William here, Bill in Essex's record" in essex_source.differences
        assert [(m.label, m.role) for m in golden.memberships] == [("Operation Heron", "principal")]
        assert [c.get("in_custody") for c in golden.custody] == [True]
        # The record's own view is unchanged: Essex's name, no markers of its own.
        assert profile.record["given_names"] == "Bill"


def test_a_partner_is_given_no_golden_nominal(engine: Engine) -> None:
    with session_scope(engine) as session:
        world = build_world(session)  # CADS may see the child Jo Smith under an agreement
        other = make_person(
            session, family_name="Smith", given_names="Jo", dob="2011-04-05", owner="suffolk"
        ).entity_id
    _join(engine, (world.child, other), [(world.child, other)])
    with session_scope(engine) as session:
        officer = get_person(session, actor=OFFICER, person_id=world.child)
        assert officer.golden is not None
        partner = get_person(session, actor=world.partner, person_id=world.child)
        assert partner.golden is None


def test_a_hidden_record_never_joins_two_the_reader_may_see(engine: Engine) -> None:
    with session_scope(engine) as session:
        a, b, c = (
            make_person(
                session,
                family_name="Hargreaves",
                given_names="William",
                dob="1990-03-07",
                owner=owner,
                marking=marking,
            ).entity_id
            for owner, marking in (
                ("norfolk", "OFFICIAL"),
                ("essex", "SECRET"),
                ("suffolk", "OFFICIAL"),
            )
        )
    _join(engine, (a, b, c), [(a, b), (b, c)])  # only the SECRET record links the others
    with session_scope(engine) as session:
        assert get_person(session, actor=OFFICER, person_id=a).golden is None
        assert get_person(session, actor=OFFICER, person_id=c).golden is None
