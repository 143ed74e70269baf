"""Resolved ids stay put while clusters do, and follow the majority when they change."""

from __future__ import annotations

from threadline.resolve.clusters import assign_ids


def test_first_run_names_each_cluster_after_its_earliest_record() -> None:
    assert assign_ids([[7, 3], [5]], {}) == {3: "RP-3", 7: "RP-3", 5: "RP-5"}


def test_unchanged_clusters_keep_their_ids_whatever_they_were() -> None:
    previous = {3: "RP-9", 7: "RP-9", 5: "RP-5"}
    assert assign_ids([[3, 7], [5]], previous) == previous


def test_a_record_joining_a_cluster_takes_the_clusters_id() -> None:
    previous = {3: "RP-3", 7: "RP-3", 1: "RP-1"}
    # Record 1 is the earliest, but records 3 and 7 are the majority: they keep RP-3.
    assert assign_ids([[1, 3, 7]], previous) == {1: "RP-3", 3: "RP-3", 7: "RP-3"}


def test_a_split_leaves_the_id_with_the_larger_part() -> None:
    previous = {2: "RP-2", 4: "RP-2", 6: "RP-2"}
    assert assign_ids([[4, 6], [2]], previous) == {4: "RP-2", 6: "RP-2", 2: "RP-2-1"}


def test_a_new_record_gets_a_new_id() -> None:
    assert assign_ids([[1], [8]], {1: "RP-1"}) == {1: "RP-1", 8: "RP-8"}
