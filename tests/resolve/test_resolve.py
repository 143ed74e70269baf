"""Resolution of a small region: one person across three forces, namesakes kept apart.

Splink runs on DuckDB in memory; the region is far below the size that trains a model,
so these runs use the default weights (`threadline.resolve.defaults`).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.audit.helpers import events, make_actor
from tests.factories import make_person
from tests.resolve.region import Region, build_region
from threadline.audit import AuditAction
from threadline.errors import Forbidden, NotFound
from threadline.model.enums import AgencyKind
from threadline.model.security import Role, system_actor
from threadline.resolve import EXPORT_HEADER, explain_pair, export_resolution, run_resolution
from threadline.storage.db import session_scope
from threadline.storage.resolution import resolved_ids

CONSOLE = system_actor("ersou", "resolution")
REGIONAL_ANALYST = make_actor(
    "analyst@ersou", roles=[Role.ANALYST], kind=AgencyKind.REGIONAL_UNIT, user_id=20
)
NORFOLK_OFFICER = make_actor("officer@norfolk", user_id=21)


@pytest.fixture
def region(engine: Engine) -> Region:
    return build_region(engine)


def _run(engine: Engine) -> dict[int, str]:
    with session_scope(engine) as session:
        run_resolution(session, actor=CONSOLE)
    with session_scope(engine) as session:
        return resolved_ids(session)


def test_one_person_across_three_forces_gets_one_resolved_id(
    engine: Engine, region: Region
) -> None:
    ids = _run(engine)
    norfolk, essex, suffolk = region.william
    # A nickname (Bill) in Essex; a typo (Hargraves) and day and month swapped in Suffolk.
    assert ids[norfolk] == ids[essex] == ids[suffolk]
    others = set(region.everyone) - set(region.william)
    assert ids[norfolk] not in {ids[other] for other in others}


def test_namesakes_with_different_dates_of_birth_stay_apart(engine: Engine, region: Region) -> None:
    ids = _run(engine)
    first, second = region.smiths
    assert ids[first] != ids[second]
    # Every record has a resolved id; the people who are nobody else's are alone in theirs.
    assert set(ids) == set(region.everyone)
    assert len(set(ids.values())) == len(region.everyone) - 2


def test_a_second_run_keeps_every_resolved_id(engine: Engine, region: Region) -> None:
    first = _run(engine)
    with session_scope(engine) as session:
        summary = run_resolution(session, actor=CONSOLE)
        assert summary.ids_changed == 0 and not summary.trained
        # A new, unrelated record does not move anyone else's id.
        newcomer = make_person(
            session, family_name="Quist", given_names="Tobias", dob="2004-06-06", owner="kent"
        ).entity_id
    second = _run(engine)
    assert {e: second[e] for e in first} == first
    assert second[newcomer] not in set(first.values())


def test_a_run_is_logged_as_combination_of_the_records_it_resolved(
    engine: Engine, region: Region
) -> None:
    with session_scope(engine) as session:
        summary = run_resolution(session, actor=REGIONAL_ANALYST)
    assert summary.records == len(region.everyone)
    assert summary.people_with_several_records == 1
    event = events(engine)[-1]
    assert (event.event, event.action) == ("resolution.run", AuditAction.COMBINATION.value)
    assert event.actor == "analyst@ersou"


def test_a_force_officer_may_not_run_or_export_resolution(
    engine: Engine, region: Region, tmp_path: Path
) -> None:
    with session_scope(engine) as session, pytest.raises(Forbidden, match="regional unit"):
        run_resolution(session, actor=NORFOLK_OFFICER)
    with session_scope(engine) as session, pytest.raises(Forbidden, match="regional unit"):
        export_resolution(session, actor=NORFOLK_OFFICER, out=tmp_path / "ids.csv")
    assert not (tmp_path / "ids.csv").exists()


def test_export_writes_one_row_per_person_record(
    engine: Engine, region: Region, tmp_path: Path
) -> None:
    ids = _run(engine)
    out = tmp_path / "resolved.csv"
    with session_scope(engine) as session:
        summary = export_resolution(session, actor=REGIONAL_ANALYST, out=out)
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == EXPORT_HEADER == (
        "owner", "source_system", "source_id", "resolved_id"
    )  # fmt: skip
    assert summary.rows == len(rows) - 1 == len(region.everyone)
    by_owner = {(row[0], row[3]) for row in rows[1:]}
    william = ids[region.william[0]]
    assert {("norfolk", william), ("essex", william), ("suffolk", william)} <= by_owner
    assert events(engine)[-1].event == "resolution.exported"


def test_explain_shows_the_weights_field_by_field(engine: Engine, region: Region) -> None:
    _run(engine)
    norfolk, _, suffolk = region.william
    with session_scope(engine) as session:
        found = explain_pair(
            session, actor=REGIONAL_ANALYST, first=str(norfolk), second=str(suffolk)
        )
    fields = {part.comparison: part for part in found.fields}
    assert fields["date_of_birth"].level == "Day and month swapped"
    assert fields["date_of_birth"].weight > 5
    assert (fields["date_of_birth"].left, fields["date_of_birth"].right) == (
        "1990-03-07", "1990-07-03"
    )  # fmt: skip
    assert fields["family_name"].weight > 0
    assert found.same_person and found.match_probability > 0.95
    assert events(engine)[-1].event == "resolution.explained"


def test_explain_names_records_by_source_key_and_hides_unknown_ones(
    engine: Engine, region: Region
) -> None:
    first, second = region.smiths
    with session_scope(engine) as session:
        found = explain_pair(session, actor=REGIONAL_ANALYST, first=str(first), second=str(second))
        assert not found.same_person and found.match_probability < 0.5
        # The same record by its source key (owner/source_system/source_id).
        source_key = found.left.split(" ", 1)[0]
        again = explain_pair(session, actor=REGIONAL_ANALYST, first=source_key, second=str(second))
        assert again.match_weight == found.match_weight
        with pytest.raises(NotFound, match="no person record 'norfolk/test/nobody'"):
            explain_pair(
                session, actor=REGIONAL_ANALYST, first=str(first), second="norfolk/test/nobody"
            )
