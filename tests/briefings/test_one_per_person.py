"""Nominals of note who are one resolved person appear once on an area's briefing.

William Hargreaves, a principal of Operation Heron living in Norwich, is held by Norfolk
(with his PNC id and a weapons marker) and by Essex as "Bill" (with a drugs marker); a
third record, Suffolk's, is SECRET. A Norfolk officer reading the Norwich pack sees one
item: the best identity, both visible records' warnings and the forces that hold them.
The SECRET record is never drawn on: where only it joins the other two, they stay apart,
and the pack reads as it does without resolution.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Engine, select

from tests.factories import make_link, make_location, make_organisation, make_person
from tests.policy.factories import make_actor
from threadline.briefings import get_briefing
from threadline.briefings.compile import current_briefing
from threadline.briefings.types import BriefingView, ItemView, Section
from threadline.clock import utcnow
from threadline.model.enums import Marking
from threadline.model.security import Role
from threadline.settings import Settings
from threadline.storage.db import session_scope
from threadline.storage.resolution import replace_links, replace_resolved_ids
from threadline.storage.tables import AuditEventRow, EntityRow

NOW = datetime(2026, 12, 7, 8, 0)  # UTC, as stored
SETTINGS = Settings(secret_key="briefing-tests-secret-key-long-enough-for-hmac")
OFFICER = make_actor(roles=Role.FRONTLINE, agency="force-own", clearance=Marking.OFFICIAL_SENSITIVE)


def _william(engine: Engine) -> tuple[int, int, int]:
    """Norfolk's, Essex's and Suffolk's (SECRET) records of William, all in Norwich."""
    with session_scope(engine) as session:
        heron = make_organisation(session, name="Operation Heron", owner="norfolk")
        ids = []
        for owner, given, markers, pnc, marking in (
            ("norfolk", "William", ["WE"], "90/123456X", "OFFICIAL"),
            ("essex", "Bill", ["DR"], None, "OFFICIAL"),
            ("suffolk", "William", ["FI"], None, "SECRET"),
        ):
            person = make_person(
                session,
                family_name="Hargreaves",
                given_names=given,
                dob="1990-03-07",
                owner=owner,
                pnc_id=pnc,
                warning_markers=markers,
            )
            person_entity = person.entity_id
            session.get_one(EntityRow, person_entity).marking = marking
            home = make_location(session, postcode="NR1 3AB", line1="12 Elm Road", owner=owner)
            make_link(session, from_id=person_entity, to_id=home.entity_id, link_type="resides_at")
            make_link(
                session,
                from_id=person_entity,
                to_id=heron.entity_id,
                link_type="member_of",
                role="principal",
            )
            ids.append(person_entity)
    return ids[0], ids[1], ids[2]


def _resolve(engine: Engine, ids: tuple[int, ...], links: list[tuple[int, int]]) -> None:
    with session_scope(engine) as session:
        replace_resolved_ids(session, dict.fromkeys(ids, "RP-1"), model_version=1, at=utcnow())
        replace_links(session, [(a, b, 0.99) for a, b in links], model_version=1)


def _read(engine: Engine) -> BriefingView:
    with session_scope(engine) as session:
        briefing = current_briefing(session, area_code="norwich", now=NOW, settings=SETTINGS)
    with session_scope(engine) as session:
        return get_briefing(session, actor=OFFICER, briefing_id=briefing, now=NOW)


def _nominals(view: BriefingView) -> list[ItemView]:
    [section] = [s for s in view.sections if s.section is Section.NOMINAL]
    return [i for i in section.items if "Hargreaves" in i.title.title()]


def _last_read(engine: Engine) -> AuditEventRow:
    with session_scope(engine) as session:
        event = session.scalars(
            select(AuditEventRow)
            .where(AuditEventRow.event == "briefing.viewed")
            .order_by(AuditEventRow.id.desc())
        ).first()
        assert event is not None
        session.expunge(event)
        return event


def test_one_person_held_by_two_forces_is_one_nominal(engine: Engine) -> None:
    norfolk, essex, suffolk = _william(engine)
    _resolve(engine, (norfolk, essex, suffolk), [(norfolk, essex), (essex, suffolk)])
    [item] = _nominals(_read(engine))
    rows = dict(item.rows)
    # The best identity (Norfolk's has the PNC id) and both visible records' warnings.
    assert item.entity_id == norfolk and item.title == "William HARGREAVES"
    assert rows["Warning markers"] == "Weapons (WE), Drugs (DR)"
    assert rows["Recorded by"] == "Norfolk Constabulary, Essex Police"
    assert rows["Role"] == "Principal of Operation Heron"
    assert "Firearms" not in repr(item) and "Suffolk" not in repr(item)
    event = _last_read(engine)
    assert {norfolk, essex} <= set(json.loads(event.records))
    assert suffolk not in json.loads(event.records)
    assert json.loads(event.details)["combined"] == [[norfolk, essex]]


def test_a_hidden_record_never_joins_two_the_reader_may_see(engine: Engine) -> None:
    norfolk, essex, suffolk = _william(engine)
    before = _nominals(_read(engine))
    assert len(before) == 2  # each visible record alone; the SECRET one not at all
    # Only the SECRET record links the other two.
    _resolve(engine, (norfolk, essex, suffolk), [(norfolk, suffolk), (essex, suffolk)])
    after = _nominals(_read(engine))
    assert after == before
    assert "combined" not in json.loads(_last_read(engine).details)
