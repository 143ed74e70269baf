"""Suggested members: who is suggested and why, accepting and rejecting, and policy."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from tests.graph.groups import Groups, build_groups
from threadline.errors import Forbidden, InvalidData
from threadline.graph import decide_suggestion, suggest_members
from threadline.storage.db import session_scope
from threadline.storage.tables import AuditEventRow, LinkRow, MemberSuggestionRow


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    with session_scope(engine) as session:
        yield session


@pytest.fixture
def world(db: Session) -> Groups:
    return build_groups(db)


def suggested(db: Session, world: Groups, actor_name: str = "analyst") -> dict[int, object]:
    actor = getattr(world, actor_name)
    found = suggest_members(db, actor=actor, group_id=world.kestrel)
    return {s.person_id: s for s in found.items}


def test_people_tied_to_two_members_or_sharing_an_address_are_suggested(
    db: Session, world: Groups
) -> None:
    found = suggested(db, world)

    assert set(found) == {world.sam, world.hal, world.quin}
    sam = found[world.sam]
    assert "associated with or exploited by 2 members" in sam.reasons  # type: ignore[attr-defined]
    texts = [e.text for e in sam.evidence]  # type: ignore[attr-defined]
    assert "Stone, Sam (1990) associate of Ash, Ann (1990) (principal)" in texts
    hal = found[world.hal]
    assert "shares 1 phone, vehicle or address with members" in hal.reasons  # type: ignore[attr-defined]
    assert any("4 Elm Road" in e.text for e in hal.evidence)  # type: ignore[attr-defined]


def test_a_suggestion_resting_on_a_hidden_link_is_not_shown(db: Session, world: Groups) -> None:
    # Quin is tied to two members only through a SECRET link.
    assert world.quin in suggested(db, world, "analyst")
    assert world.quin not in suggested(db, world, "officer")
    assert set(suggested(db, world, "officer")) == {world.sam, world.hal}


def test_viewing_suggestions_is_audited(db: Session, world: Groups) -> None:
    suggested(db, world)
    event = db.scalars(
        select(AuditEventRow).where(AuditEventRow.event == "ocg.suggestions_viewed")
    ).one()
    assert world.kestrel in json.loads(event.records)
    assert json.loads(event.details)["suggested"] == 3


def test_accepting_makes_a_member_of_link_with_the_role(db: Session, world: Groups) -> None:
    decide_suggestion(
        db, actor=world.analyst, group_id=world.kestrel, person_id=world.hal, accept=True,
        role="associate",
    )  # fmt: skip

    link = db.scalars(
        select(LinkRow).where(LinkRow.from_id == world.hal, LinkRow.link_type == "member_of")
    ).one()
    assert (link.to_id, link.role) == (world.kestrel, "associate")
    row = db.scalars(select(MemberSuggestionRow)).one()
    assert (row.decision, row.link_id) == ("accepted", link.id)
    assert world.hal not in suggested(db, world)
    event = db.scalars(
        select(AuditEventRow).where(AuditEventRow.event == "ocg.suggestion_decided")
    ).one()
    assert json.loads(event.details)["decision"] == "accepted"


def test_a_rejected_person_is_never_suggested_again(db: Session, world: Groups) -> None:
    decide_suggestion(
        db, actor=world.analyst, group_id=world.kestrel, person_id=world.sam, accept=False,
        reason="Sam is a neighbour, not a member",
    )  # fmt: skip

    assert world.sam not in suggested(db, world)
    with pytest.raises(InvalidData, match="already rejected"):
        decide_suggestion(
            db, actor=world.analyst, group_id=world.kestrel, person_id=world.sam, accept=True,
            role="associate",
        )  # fmt: skip


def test_a_rejection_needs_a_reason_and_an_acceptance_a_role(db: Session, world: Groups) -> None:
    with pytest.raises(InvalidData, match="reason"):
        decide_suggestion(
            db, actor=world.analyst, group_id=world.kestrel, person_id=world.sam, accept=False
        )
    with pytest.raises(InvalidData, match="role"):
        decide_suggestion(
            db, actor=world.analyst, group_id=world.kestrel, person_id=world.sam, accept=True,
            role="boss",
        )  # fmt: skip


def test_a_frontline_officer_may_not_decide(db: Session, world: Groups) -> None:
    found = suggest_members(db, actor=world.officer, group_id=world.kestrel)
    assert not found.may_decide
    with pytest.raises(Forbidden):
        decide_suggestion(
            db, actor=world.officer, group_id=world.kestrel, person_id=world.sam, accept=True,
            role="associate",
        )  # fmt: skip
