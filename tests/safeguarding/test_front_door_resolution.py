"""A concern about a child not yet known to the partner joins the police record of the
same child through resolution, and the partner learns nothing of it."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tests.factories import make_link, make_location, make_person
from tests.resolve.region import build_region
from tests.safeguarding.world import World
from threadline.clock import utcnow
from threadline.model.security import system_actor
from threadline.resolve import run_resolution
from threadline.safeguarding.front_door import front_door, raised_concerns
from threadline.safeguarding.new_child import ChildGiven, raise_about_child
from threadline.storage.resolution import resolved_ids

TEXT = "Riley has been seen getting into cars with older men after school and carries cash."


def _police_riley(session: Session) -> int:
    riley = make_person(
        session,
        family_name="Scott",
        given_names="Riley",
        dob=f"{utcnow().year - 15}-03-09",
        owner="norfolk",
        gender="male",
    )
    home = make_location(session, postcode="NR3 4HG", line1="18 Silver Road")
    make_link(session, from_id=riley.entity_id, to_id=home.entity_id, link_type="resides_at")
    session.commit()
    return riley.entity_id


def _given() -> ChildGiven:
    return ChildGiven(
        family_name="Scot",
        given_names="Riley",
        date_of_birth=f"{utcnow().year - 15}-03-09",
        postcode="NR3 4HG",
        school="Sewell Park Academy",
    )


def test_a_concern_about_riley_scot_joins_the_police_record_of_riley_scott(
    engine: Engine, session: Session, world: World
) -> None:
    build_region(engine)
    police = _police_riley(session)
    run_resolution(session, actor=system_actor(reason="resolution"))
    session.commit()
    view = raise_about_child(session, actor=world.partner, child=_given(), text=TEXT)
    session.commit()
    raised = int(str(view["person_id"]))
    ids = resolved_ids(session)
    assert ids[raised] == ids[police]
    # Police at the front door see the police record of the same child beside the concern.
    [item] = [i for i in front_door(session, actor=world.officer).waiting if i.person_id == raised]
    assert [pid for pid, _ in item.same_person] == [police]
    assert item.same_person[0][1].startswith("SCOTT, Riley")
    # The partner sees its own concern about its own record, nothing more.
    [(mine, name)] = raised_concerns(session, actor=world.partner)
    assert name.startswith("SCOT, Riley")
    assert mine.get("person_id") == raised


def test_the_partner_is_answered_alike_whether_or_not_police_hold_the_child(
    engine: Engine, session: Session, world: World
) -> None:
    build_region(engine)
    run_resolution(session, actor=system_actor(reason="resolution"))
    session.commit()
    unknown = raise_about_child(session, actor=world.partner, child=_given(), text=TEXT)
    session.commit()
    _police_riley(session)
    known = raise_about_child(session, actor=world.partner, child=_given(), text=TEXT)
    session.commit()
    fields = ("record_type", "owner", "marking", "text", "response", "outcome", "case_ref")
    assert {k: unknown.get(k) for k in fields} == {k: known.get(k) for k in fields}
    assert set(unknown) == set(known)
