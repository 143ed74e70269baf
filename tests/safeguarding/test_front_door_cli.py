"""The front door from the command line, on the demo region: the queue, and a response."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tests.safeguarding.region import Region
from threadline.cli.main import app


def test_an_officer_lists_the_front_door_and_responds(region: Region) -> None:
    runner = CliRunner()
    db = ["--db", str(region.path)]
    listed = runner.invoke(
        app, [*db, "safeguarding", "front-door", "--as", "officer@norfolk", "--json"]
    )
    assert listed.exit_code == 0, listed.output
    door = json.loads(listed.output)
    assert door["waiting"] and door["counts"]["total"] == len(door["waiting"])
    first = door["waiting"][0]
    assert first["rag"] in ("red", "amber", "green") and first["clock"]
    concern = str(first["concern"]["id"])
    wrong = runner.invoke(
        app,
        [*db, "safeguarding", "respond", "--as", "officer@norfolk", "--concern", concern,
         "--outcome", "shrug", "--feedback", "Seen."],
    )  # fmt: skip
    assert wrong.exit_code != 0 and "shrug" in str(wrong.exception)  # main() prints it
    done = runner.invoke(
        app,
        [*db, "safeguarding", "respond", "--as", "officer@norfolk", "--concern", concern,
         "--outcome", "police_action", "--feedback", "Officers visited the family today."],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "Police are acting" in done.output
    after = json.loads(
        runner.invoke(
            app, [*db, "safeguarding", "front-door", "--as", "officer@norfolk", "--json"]
        ).output
    )
    assert concern not in {str(i["concern"]["id"]) for i in after["waiting"]}
    partner = runner.invoke(
        app, [*db, "safeguarding", "front-door", "--as", "partner@norfolk-cads", "--json"]
    )
    assert partner.exit_code != 0
