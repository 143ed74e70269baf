"""`threadline afi` and `threadline lines` from a console."""

from __future__ import annotations

import json

from sqlalchemy import Engine
from typer.testing import CliRunner

from tests.audit.helpers import make_user_row
from tests.factories import make_county_line
from threadline.cli.main import app
from threadline.errors import InvalidData
from threadline.model.security import Role
from threadline.storage.db import session_scope


def test_a_supervisor_records_a_finding_and_an_action(engine: Engine, database_url: str) -> None:
    with session_scope(engine) as session:
        make_user_row(session, "supervisor@norfolk", roles={Role.SUPERVISOR})
    base = ["--db", database_url, "afi"]
    added = CliRunner().invoke(app, [
        *base, "add", "--force", "norfolk", "--report", "SOC inspection", "--published",
        "2026-01-10", "--wording", "Identify vulnerable people consistently.",
        "--as", "supervisor@norfolk", "--json",
    ])  # fmt: skip
    assert added.exit_code == 0, added.output
    finding = json.loads(added.stdout)
    assert finding["response_due"] == "2026-03-07" and finding["response_overdue"]
    action = CliRunner().invoke(app, [
        *base, "action", str(finding["id"]), "--description", "Screen every child charged",
        "--owner", "supervisor@norfolk", "--due", "2027-01-31",
        "--figure", "screened_before_charge", "--as", "supervisor@norfolk",
    ])  # fmt: skip
    assert action.exit_code == 0, action.output
    shown = CliRunner().invoke(
        app, [*base, "show", str(finding["id"]), "--as", "supervisor@norfolk"]
    )
    assert "Screen every child charged" in shown.stdout
    assert "Under-18s screened for exploitation before a drug supply charge" in shown.stdout
    listed = CliRunner().invoke(app, [*base, "list", "--as", "supervisor@norfolk"])
    assert "response OVERDUE (due 7 March 2026)" in listed.stdout
    bad = CliRunner().invoke(app, [
        *base, "action", str(finding["id"]), "--description", "x", "--owner",
        "supervisor@norfolk", "--due", "soon", "--as", "supervisor@norfolk",
    ])  # fmt: skip
    assert isinstance(bad.exception, InvalidData)  # main() prints it as one line
    assert "due: got 'soon'" in str(bad.exception)


def test_an_analyst_changes_and_reads_a_lines_status(engine: Engine, database_url: str) -> None:
    with session_scope(engine) as session:
        make_user_row(session, "analyst@norfolk", roles={Role.ANALYST})
        line = make_county_line(session, name="TONY").entity_id
    base = ["--db", database_url, "lines"]
    changed = CliRunner().invoke(app, [
        *base, "status", str(line), "--status", "disrupted", "--kind",
        "deal_line_disconnected", "--evidence", "Phone cut off by the provider",
        "--since", "2026-06-01", "--as", "analyst@norfolk",
    ])  # fmt: skip
    assert changed.exit_code == 0, changed.output
    assert "TONY: Disrupted since 1 June 2026" in changed.stdout
    listed = CliRunner().invoke(app, [*base, "list", "--as", "analyst@norfolk", "--json"])
    assert json.loads(listed.stdout)["counts"]["disrupted"] == 1
    shown = CliRunner().invoke(app, [*base, "show", str(line), "--as", "analyst@norfolk"])
    assert "Phone cut off by the provider" in shown.stdout
