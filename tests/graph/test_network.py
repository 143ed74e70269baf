"""Network analytics on a small hand-built region where the answers are known."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from tests.factories import make_link, make_person
from tests.graph.groups import Groups, build_groups
from threadline.errors import Forbidden, NotFound
from threadline.graph import (
    Window,
    analyse_group,
    communities,
    k_hop,
    key_players,
    shortest_chain,
)
from threadline.storage.db import session_scope
from threadline.storage.resolution import replace_resolved_ids
from threadline.storage.tables import AuditEventRow


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    with session_scope(engine) as session:
        yield session


@pytest.fixture
def world(db: Session) -> Groups:
    return build_groups(db)


def test_the_best_linked_member_is_the_groups_first_key_player(db: Session, world: Groups) -> None:
    # (For the SECRET-cleared analyst Ann ties with Ben: Quin's SECRET link.)
    result, _ = analyse_group(db, actor=world.officer, group_id=world.kestrel)

    top = result.key_players[0]
    assert top.person_id == world.ben
    assert top.label == "Birch, Ben (1990)"
    assert top.role == "lieutenant"
    assert top.why.startswith("linked to 4 people")
    assert result.members == 3


def test_why_counts_the_people_in_other_groups(db: Session, world: Groups) -> None:
    result, _ = analyse_group(db, actor=world.analyst, group_id=world.merlin)

    xan = next(p for p in result.key_players if p.person_id == world.xan)
    # Yas is in Merlin (the group asked about); Zed is in no group.
    assert xan.why.startswith("linked to 2 people")
    zed = next(p for p in result.key_players if p.person_id == world.zed)
    assert zed.why.startswith("linked to 2 people, 1 of them in other groups")


def test_a_person_linked_into_two_groups_is_a_broker(db: Session, world: Groups) -> None:
    result, _ = analyse_group(db, actor=world.analyst, group_id=world.kestrel)

    brokers = {b.person_id: b for b in result.brokers}
    assert world.zed in brokers
    zed = brokers[world.zed]
    assert [(g.name, g.people) for g in zed.groups] == [
        ("Operation Kestrel", 1),
        ("Operation Merlin", 1),
    ]
    assert zed.why == "linked to 1 person in Operation Kestrel and 1 person in Operation Merlin"
    assert world.oli not in brokers and world.sam not in brokers


def test_a_hidden_secret_link_makes_no_broker_for_an_official_cleared_officer(
    db: Session, world: Groups
) -> None:
    secret, _ = analyse_group(db, actor=world.analyst, group_id=world.kestrel)
    official, _ = analyse_group(db, actor=world.officer, group_id=world.kestrel)

    assert world.quin in {b.person_id for b in secret.brokers}
    assert world.quin not in {b.person_id for b in official.brokers}
    quin = next(p for p in official.key_players if p.person_id == world.quin)
    assert quin.why.startswith("linked to 1 person")
    assert quin.degree == 1


def test_a_partner_gets_no_analytics(db: Session, world: Groups) -> None:
    with pytest.raises(Forbidden):
        analyse_group(db, actor=world.partner, group_id=world.kestrel)
    with pytest.raises(Forbidden):
        key_players(db, actor=world.partner)


def test_records_of_one_resolved_person_are_one_vertex(db: Session, world: Groups) -> None:
    # Suffolk's record of Zed is linked to Yas: one person, so Zed links to three.
    other = make_person(db, family_name="Zane", given_names="Zed", dob="1990", owner="suffolk")
    make_link(db, from_id=other.entity_id, to_id=world.yas, link_type="associate_of")
    replace_resolved_ids(
        db, {world.zed: "R1", other.entity_id: "R1"}, model_version=1, at=date(2026, 1, 1)
    )  # type: ignore[arg-type]

    players = key_players(db, actor=world.analyst)

    zed = next(p for p in players if p.person_id == world.zed)
    assert zed.records == (world.zed, other.entity_id)
    assert zed.degree == 3


def test_region_key_players_and_communities(db: Session, world: Groups) -> None:
    players = key_players(db, actor=world.analyst, limit=3)
    assert players[0].person_id in {world.ben, world.ann}

    found = communities(db, actor=world.analyst, min_size=2)
    assert sum(c.size for c in found) <= 10
    merlin = [c for c in found if "Operation Merlin" in c.groups]
    assert merlin


def test_the_shortest_chain_between_two_people(db: Session, world: Groups) -> None:
    # (The SECRET-cleared analyst also sees Ann - Quin - Yas - Xan, as short.)
    chain = shortest_chain(db, actor=world.officer, from_id=world.ann, to_id=world.xan)

    assert chain.length == 3
    assert [s.record_id for s in chain.steps] == [world.ann, world.ben, world.zed, world.xan]
    assert [s.link for s in chain.steps] == ["associate_of", "associate_of", "associate_of", None]
    event = db.scalars(select(AuditEventRow).where(AuditEventRow.event == "graph.path_found")).one()
    assert event.actor == "frontline@norfolk"


def test_no_chain_through_a_hidden_link(db: Session, world: Groups) -> None:
    # Quin reaches Yas directly only by a SECRET link.
    secret = shortest_chain(db, actor=world.analyst, from_id=world.quin, to_id=world.yas)
    official = shortest_chain(db, actor=world.officer, from_id=world.quin, to_id=world.yas)

    assert secret.length == 1
    assert official.length is not None and official.length > 1


def test_a_chain_to_someone_you_may_not_see_is_not_found(db: Session, world: Groups) -> None:
    hidden = make_person(db, family_name="Hidden", given_names="Hal", marking="SECRET")
    make_link(db, from_id=hidden.entity_id, to_id=world.ann, link_type="associate_of")
    with pytest.raises(NotFound):
        shortest_chain(db, actor=world.officer, from_id=world.ann, to_id=hidden.entity_id)


def test_k_hop_neighbourhood(db: Session, world: Groups) -> None:
    near = k_hop(db, actor=world.analyst, entity_id=world.hal, order=2)

    assert [(r, d) for r, _, _, d in near[:1]] == [(world.hal, 0)]
    ids = {r for r, *_ in near}
    assert world.cal in ids  # through the shared address
    assert world.ben not in ids  # three links away


def test_a_time_window_leaves_out_links_that_had_ended(db: Session, world: Groups) -> None:
    make_link(
        db,
        from_id=world.oli,
        to_id=world.xan,
        link_type="associate_of",
        valid_from=date(2015, 1, 1),
        valid_to=date(2016, 1, 1),
    )
    now = Window(on_or_after=date(2020, 1, 1))
    past = analyse_group(db, actor=world.analyst, group_id=world.merlin)[0]
    current = analyse_group(db, actor=world.analyst, group_id=world.merlin, window=now)[0]

    assert world.oli in {p.person_id for p in past.brokers}
    assert world.oli not in {p.person_id for p in current.brokers}
