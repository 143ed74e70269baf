"""`threadline watch add|list|end` and `threadline alerts --as USER [--json]`."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tests.tripwires.region import Region, watched_runner
from threadline.check import check
from threadline.cli.main import app
from threadline.demo.tripwires import add_demo_tripwires
from threadline.errors import InvalidData
from threadline.storage.db import session_scope


def _run(region: Region, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--db", str(region.path), *args])
    return result.exit_code, result.output


def test_watch_a_record_then_see_the_alert_at_the_console(region: Region) -> None:
    runner = watched_runner(region, not_force="suffolk")
    code, out = _run(
        region,
        "watch", "add", str(runner.entity_id), "--as", "officer@suffolk",
        "--reason", "seen at Ipswich station", "--json",
    )  # fmt: skip
    assert code == 0, out
    assert json.loads(out)["reason"] == "seen at Ipswich station"
    code, out = _run(region, "watch", "list", "--as", "officer@suffolk", "--json")
    assert [w["entity_id"] for w in json.loads(out)] == [runner.entity_id]

    with session_scope(region.engine) as session:
        check(session, actor=region.actor(runner.lro), name=runner.name, dob=runner.dob)
    code, out = _run(region, "tick", "--only", "tripwires", "--json")
    assert code == 0, out
    code, out = _run(region, "alerts", "--as", "officer@suffolk", "--json")
    (alert,) = json.loads(out)
    assert alert["entity_id"] == runner.entity_id and alert["kind"] == "check"
    assert "(seen at Ipswich station)" in alert["summary"]

    code, out = _run(region, "watch", "end", str(runner.entity_id), "--as", "officer@suffolk")
    assert code == 0 and "Stopped watching" in out


def test_ending_an_automatic_watch_says_why_it_cannot(region: Region) -> None:
    runner = watched_runner(region, not_force="suffolk")
    result = CliRunner().invoke(
        app, ["--db", str(region.path), "watch", "end", str(runner.entity_id), "--as", runner.lro]
    )
    # `threadline` (main) prints a refusal as one line and exits 1; here it is raised.
    assert isinstance(result.exception, InvalidData)
    assert "while you lead the group" in str(result.exception.errors[0])


def test_the_demo_starts_with_the_lros_watches_and_no_backlog(region: Region) -> None:
    with session_scope(region.engine) as session:
        again = add_demo_tripwires(session)
    assert (again.started, again.changed, again.ended) == (0, 0, 0)
    assert region.tick().counts["alerts"] == 0
