"""Watches: kept automatically for each group's LRO, and added or ended by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.tripwires.region import Region, watched_runner
from threadline.check import check
from threadline.errors import InvalidData, NotFound
from threadline.ocg import assign_lro
from threadline.storage.db import session_scope
from threadline.tripwires import add_watch, end_watch, list_watches, watch_status


def _watchers(region: Region, entity_id: int) -> set[str]:
    return {
        row[0]
        for row in region.rows(
            "SELECT u.username FROM watch w JOIN user_account u ON u.id = w.user_id "
            "WHERE w.entity_id = :i AND w.ended_at IS NULL",
            i=entity_id,
        )
    }


def test_each_lro_watches_their_groups_members_lines_phones_and_addresses(
    region: Region,
) -> None:
    reasons = [r[0] for r in region.rows("SELECT reason FROM watch WHERE source = 'ocg'")]
    assert any(r.endswith(", the group you lead") for r in reasons)
    assert any(r.startswith("principal of ") for r in reasons)
    assert any(r.startswith("runner for the ") and " line of " in r for r in reasons)
    assert any(r.startswith("deal line of the ") for r in reasons)
    assert any(r.startswith("address cuckooed by ") for r in reasons)
    assert any("a county line of the group you lead" in r for r in reasons)
    # Every watch is an LRO's, of a group their force owns.
    mismatched = region.scalar(
        "SELECT count(*) FROM watch w JOIN organisation o ON o.entity_id = w.group_id "
        "WHERE o.lro_id != w.user_id AND w.ended_at IS NULL AND w.source = 'ocg'"
    )
    assert mismatched == 0


def test_watches_move_with_the_lro_and_end_when_a_member_leaves(region: Region) -> None:
    runner = watched_runner(region, not_force="suffolk")
    group_id = region.scalar(
        "SELECT group_id FROM watch WHERE entity_id = :i AND ended_at IS NULL",
        i=runner.entity_id,
    )
    supervisor = region.actor(f"supervisor@{runner.lro_force}")
    with session_scope(region.engine) as session:
        assign_lro(session, actor=supervisor, organisation_id=group_id, username="lro@ersou")
    result = region.tick()
    assert result.counts["watches_started"] > 0 and result.counts["watches_ended"] > 0
    assert _watchers(region, runner.entity_id) == {"lro@ersou"}
    assert _watchers(region, group_id) == {"lro@ersou"}

    principal = region.scalar(
        "SELECT from_id FROM link WHERE link_type = 'member_of' AND to_id = :g "
        "AND role = 'principal'",
        g=group_id,
    )
    region.execute(
        "UPDATE link SET valid_to = :d WHERE link_type = 'member_of' AND from_id = :p "
        "AND to_id = :g",
        d=date.today() - timedelta(days=2),
        p=principal,
        g=group_id,
    )
    region.tick()
    assert "lro@ersou" not in _watchers(region, principal)


def test_anyone_may_watch_a_record_they_may_see_and_is_then_alerted(region: Region) -> None:
    runner = watched_runner(region, not_force="suffolk")
    officer = region.actor("officer@suffolk")
    with session_scope(region.engine) as session:
        watch = add_watch(
            session, actor=officer, entity_id=runner.entity_id, reason="stopped in Ipswich"
        )
    assert (watch.reason, watch.automatic) == ("stopped in Ipswich", False)
    with session_scope(region.engine) as session:
        assert watch_status(session, actor=officer, entity_id=runner.entity_id).watching
        assert [w.entity_id for w in list_watches(session, actor=officer)] == [runner.entity_id]
    with session_scope(region.engine) as session:
        check(session, actor=region.actor(runner.lro), name=runner.name, dob=runner.dob)
    region.tick()
    summaries = [
        r[0]
        for r in region.rows(
            "SELECT a.summary FROM alert a JOIN user_account u ON u.id = a.user_id "
            "WHERE u.username = 'officer@suffolk'"
        )
    ]
    assert len(summaries) == 1 and "(stopped in Ipswich)" in summaries[0]
    assert "A lead responsible officer of" in summaries[0]

    with session_scope(region.engine) as session:
        end_watch(session, actor=officer, entity_id=runner.entity_id)
    with session_scope(region.engine) as session:
        check(session, actor=region.actor(runner.lro), name=runner.name, dob=runner.dob)
    assert region.tick().counts["alerts"] == 0


def test_an_lro_cannot_stop_an_automatic_watch_by_hand(region: Region) -> None:
    runner = watched_runner(region, not_force="suffolk")
    with session_scope(region.engine) as session, pytest.raises(InvalidData) as refused:
        end_watch(session, actor=region.actor(runner.lro), entity_id=runner.entity_id)
    assert "while you lead the group" in str(refused.value.errors[0])


def test_a_record_above_the_users_clearance_cannot_be_watched(region: Region) -> None:
    runner = watched_runner(region, not_force="suffolk")
    region.execute("UPDATE entity SET marking = 'SECRET' WHERE id = :i", i=runner.entity_id)
    with session_scope(region.engine) as session, pytest.raises(NotFound):
        add_watch(session, actor=region.actor("officer@suffolk"), entity_id=runner.entity_id)
    # A partner without an agreement covering the record cannot watch it either.
    with session_scope(region.engine) as session, pytest.raises(NotFound):
        add_watch(
            session, actor=region.actor("partner@norfolk-schools"), entity_id=runner.entity_id
        )
