"""`threadline ocg plan`, `ocg action add|update` and `ocg review-plan` from a console."""

from __future__ import annotations

import json

from sqlalchemy import Engine
from typer.testing import CliRunner

from tests.plans.world import PlanWorld, build_plan_world
from threadline.cli.main import app
from threadline.errors import Forbidden, InvalidData
from threadline.storage.db import session_scope


def _world(engine: Engine) -> PlanWorld:
    with session_scope(engine) as session:
        return build_plan_world(session)


def test_the_lro_adds_updates_reviews_and_reads_the_plan(engine: Engine, database_url: str) -> None:
    world = _world(engine)
    base = ["--db", database_url, "ocg"]
    added = CliRunner().invoke(app, [
        *base, "action", "add", str(world.group), "--as", "lro@norfolk", "--strand", "prevent",
        "--description", "Schools input in Norwich", "--owner", "norfolk-cads",
        "--due", "2099-02-01", "--json",
    ])  # fmt: skip
    assert added.exit_code == 0, added.output
    action = json.loads(added.stdout)
    assert action["owner"]["name"] == "Norfolk CADS" and action["status"] == "planned"
    updated = CliRunner().invoke(app, [
        *base, "action", "update", str(action["id"]), "--as", "lro@norfolk",
        "--status", "in_progress", "--evidence", "Two schools booked",
    ])  # fmt: skip
    assert updated.exit_code == 0, updated.output
    assert "[In progress] Schools input in Norwich" in updated.stdout
    reviewed = CliRunner().invoke(app, [
        *base, "review-plan", str(world.group), "--as", "supervisor@norfolk", "--note", "On track",
    ])  # fmt: skip
    assert reviewed.exit_code == 0, reviewed.output
    shown = CliRunner().invoke(app, [*base, "plan", str(world.group), "--as", "officer@norfolk"])
    assert shown.exit_code == 0, shown.output
    assert "Operation Kestrel" in shown.stdout and ": Current" in shown.stdout
    assert "Prevent: Stop people being drawn into the group" in shown.stdout
    as_json = json.loads(
        CliRunner()
        .invoke(app, [*base, "plan", str(world.group), "--as", "lro@norfolk", "--json"])
        .stdout
    )
    assert as_json["state"]["label"] == "Current" and as_json["may_change"] is True
    assert [a["evidence"] for a in as_json["actions"]] == ["Two schools booked"]


def test_refusals_and_bad_values_say_why(engine: Engine, database_url: str) -> None:
    world = _world(engine)
    base = ["--db", database_url, "ocg"]
    refused = CliRunner().invoke(app, [
        *base, "action", "add", str(world.group), "--as", "officer@norfolk", "--strand",
        "pursue", "--description", "x", "--owner", "lro@norfolk", "--due", "2099-01-01",
    ])  # fmt: skip
    assert isinstance(refused.exception, Forbidden)
    bad = CliRunner().invoke(app, [
        *base, "action", "add", str(world.group), "--as", "lro@norfolk", "--strand", "pursuit",
        "--description", "Arrests", "--owner", "lro@norfolk", "--due", "2001-01-01",
    ])  # fmt: skip
    assert isinstance(bad.exception, InvalidData)
    assert {e.location for e in bad.exception.errors} == {"strand", "due"}
