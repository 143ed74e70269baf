"""Other events that touch a watched record: new intelligence and imports."""

from __future__ import annotations

from pathlib import Path

from tests.intel.world import SOURCE, grading
from tests.tripwires.region import Region, watched_runner
from threadline.importer import import_file
from threadline.intel import submit_report
from threadline.storage.db import session_scope


def _alerts(region: Region, username: str) -> list[tuple[int, str, str]]:
    return region.rows(
        "SELECT a.entity_id, a.kind, a.summary FROM alert a JOIN user_account u "
        "ON u.id = a.user_id WHERE u.username = :u ORDER BY a.id",
        u=username,
    )


def test_new_intelligence_about_a_watched_runner_alerts_the_lro_without_its_text(
    region: Region,
) -> None:
    runner = watched_runner(region, not_force="suffolk")
    fact = "Seen collecting a package at the railway station car park at 23:00"
    with session_scope(region.engine) as session:
        submit_report(
            session,
            actor=region.actor("analyst@suffolk"),
            fact=fact,
            assessment="Likely a drugs run for the line",
            grading=grading(),
            marking="OFFICIAL-SENSITIVE",
            subjects=[runner.entity_id],
            source=SOURCE,
        )
    region.tick()
    (alert,) = _alerts(region, runner.lro)
    assert alert[:2] == (runner.entity_id, "intelligence")
    assert "An analyst of Suffolk Constabulary submitted intelligence about" in alert[2]
    assert "railway" not in alert[2] and "package" not in alert[2]


def test_a_secret_report_is_not_announced_to_a_watcher_not_cleared_for_it(
    region: Region,
) -> None:
    runner = watched_runner(region, not_force="suffolk")
    region.execute(
        "UPDATE user_account SET clearance = 'OFFICIAL-SENSITIVE' WHERE username = :u",
        u=runner.lro,
    )
    with session_scope(region.engine) as session:
        submit_report(
            session,
            actor=region.actor("analyst@suffolk"),
            fact="Covert deployment details",
            assessment="Sensitive",
            grading=grading(),
            marking="SECRET",
            subjects=[runner.entity_id],
            source=SOURCE,
        )
    result = region.tick()
    assert _alerts(region, runner.lro) == []
    assert result.counts["withheld"] >= 1


def test_an_import_that_updates_a_watched_record_alerts_its_watcher(
    region: Region, tmp_path: Path
) -> None:
    runner = watched_runner(region, not_force="suffolk")
    system, source_id, owner, family = region.rows(
        "SELECT e.source_system, e.source_id, a.code, p.family_name FROM entity e "
        "JOIN agency a ON a.id = e.owner_id JOIN person p ON p.entity_id = e.id "
        "WHERE e.id = :i",
        i=runner.entity_id,
    )[0]
    path = tmp_path / "persons-update.csv"
    path.write_text(
        "source_system,source_id,family_name,given_names,date_of_birth\n"
        f"{system},{source_id},{family},{runner.name.split()[0]},{runner.dob}\n"
    )
    result = import_file(engine=region.engine, path=path, owner=owner)
    assert result.ok and result.updated == 1, result.errors
    region.tick()
    (alert,) = _alerts(region, runner.lro)
    assert alert[:2] == (runner.entity_id, "import")
    assert "was updated by an import (persons-update.csv)" in alert[2]
