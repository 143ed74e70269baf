"""`threadline tick` keeps scores following the data: a change is scored once."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from tests.factories import make_link, make_person
from tests.scoring.groups import build_group
from threadline.schedule import tick
from threadline.scoring import score_groups
from threadline.settings import Settings
from threadline.storage.db import session_scope
from threadline.storage.tables import OcgScoreRow


def _count(engine: Engine) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(OcgScoreRow)) or 0


def test_tick_rescores_a_changed_group_once(engine: Engine) -> None:
    with session_scope(engine) as session:
        built = build_group(session)
        score_groups(session, [built.group])
    [first] = tick(engine, settings=Settings(), only=("ocg-scores",))
    assert first.counts == {"groups_rescored": 0, "bands_changed": 0}
    with session_scope(engine) as session:
        person = make_person(session, family_name="Grey", warning_markers=["FI"])
        make_link(session, from_id=person.entity_id, to_id=built.group, link_type="member_of",
                  role="lieutenant")  # fmt: skip
    [second] = tick(engine, settings=Settings(), only=("ocg-scores",))
    assert second.counts["groups_rescored"] == 1
    [third] = tick(engine, settings=Settings(), only=("ocg-scores",))
    assert third.counts["groups_rescored"] == 0
    assert _count(engine) == 2
