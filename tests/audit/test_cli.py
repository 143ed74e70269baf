"""`threadline audit verify|export` as an auditor runs them: exit codes and one-line answers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner, Result

from tests.audit.helpers import append, events, make_actor, make_user_row, sql
from threadline.cli.main import app
from threadline.errors import Forbidden, InvalidData, NotFound
from threadline.model.security import Role
from threadline.storage.db import session_scope

OFFICER = make_actor("officer@norfolk")


def url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def run(engine: Engine, *args: str) -> Result:
    return CliRunner().invoke(app, ["--db", url(engine), *args])


@pytest.fixture
def logged(engine: Engine) -> Engine:
    append(engine, OFFICER, 3, records=[42])
    return engine


def test_verify_prints_one_ok_line_with_the_head(logged: Engine) -> None:
    result = run(logged, "audit", "verify")
    head = events(logged)[-1]
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"audit log OK: 3 events verified; 0 signed checkpoints matched; head 3:{head.hash}\n"
    )


def test_verify_json(logged: Engine) -> None:
    result = run(logged, "audit", "verify", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["ok"] is True and data["events_checked"] == 3 and data["head_id"] == 3


def test_verify_fails_naming_the_edited_event(logged: Engine) -> None:
    sql(logged, "UPDATE audit_event SET actor = 'nobody@norfolk' WHERE id = 2")
    result = run(logged, "audit", "verify")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("audit log BROKEN at event 2: its stored fields do not")
    assert result.stderr.count("\n") == 1


def test_verify_json_reports_the_break_and_exits_non_zero(logged: Engine) -> None:
    sql(logged, "DELETE FROM audit_record WHERE event_id = 2")
    sql(logged, "DELETE FROM audit_event WHERE id = 2")
    result = run(logged, "audit", "verify", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False and data["first_broken_id"] == 2
    assert "event 2 of the chain is missing" in data["problem"]


def test_expect_head_catches_a_deleted_last_event(logged: Engine) -> None:
    head = json.loads(run(logged, "audit", "verify", "--json").stdout)["head"]
    sql(logged, "DELETE FROM audit_record WHERE event_id = 3")
    sql(logged, "DELETE FROM audit_event WHERE id = 3")
    assert run(logged, "audit", "verify").exit_code == 0  # the chain alone cannot tell
    result = run(logged, "audit", "verify", "--expect-head", head)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "audit log BROKEN at event 3: the checkpoint names event 3 of the chain"
    )


def test_expect_head_passes_when_the_log_only_grew(logged: Engine) -> None:
    head = json.loads(run(logged, "audit", "verify", "--json").stdout)["head"]
    append(logged, OFFICER, 2)
    result = run(logged, "audit", "verify", "--expect-head", head)
    assert result.exit_code == 0
    assert "5 events verified and matches the checkpoint" in result.stdout


def test_a_malformed_expect_head_is_a_user_error(logged: Engine) -> None:
    result = run(logged, "audit", "verify", "--expect-head", "three")
    assert result.exit_code == 1
    assert isinstance(result.exception, InvalidData)
    assert "--expect-head: got 'three', expected ID:HASH" in str(result.exception)


def test_export_to_a_file_is_logged_as_the_console(logged: Engine, tmp_path: Path) -> None:
    target = tmp_path / "subject-42.json"
    result = run(
        logged,
        "audit",
        "export",
        "--purpose",
        "verify_lawfulness",
        "--subject",
        "42",
        "--format",
        "json",
        "--output",
        str(target),
    )
    assert result.exit_code == 0, result.output
    assert [row["id"] for row in json.loads(target.read_text())] == [1, 2, 3]
    assert not (tmp_path / "subject-42.json.partial").exists()
    assert "exported 3 audit events (up to event 3)" in result.stderr
    last = events(logged)[-1]
    assert (last.id, last.event, last.actor) == (4, "audit.exported", "system:audit-export")
    assert last.purpose == "verify_lawfulness"


def test_export_csv_to_stdout_as_a_named_dpo(logged: Engine) -> None:
    with session_scope(logged) as session:
        make_user_row(session, "dpo@norfolk", roles=[Role.DPO])
    result = run(logged, "audit", "export", "--purpose", "self_monitoring", "--as", "dpo@norfolk")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(
        '"id","chain_seq","at","actor_id","actor","agency","action","event","records"'
    )
    assert len(lines) == 4
    last = events(logged)[-1]
    assert (last.actor, last.agency, last.purpose) == ("dpo@norfolk", "norfolk", "self_monitoring")


def test_export_refuses_a_frontline_user(logged: Engine) -> None:
    with session_scope(logged) as session:
        make_user_row(session, "officer@norfolk", roles=[Role.FRONTLINE])
    result = run(
        logged, "audit", "export", "--purpose", "self_monitoring", "--as", "officer@norfolk"
    )
    assert result.exit_code == 1
    assert isinstance(result.exception, Forbidden)
    assert len(events(logged)) == 3


def test_export_refuses_an_unknown_user(logged: Engine) -> None:
    result = run(logged, "audit", "export", "--purpose", "self_monitoring", "--as", "ghost@kent")
    assert result.exit_code == 1
    assert isinstance(result.exception, NotFound)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "1/3/2025"], "--from: got '1/3/2025', expected a date as YYYY-MM-DD"),
        (["--to", "soon"], "--to: got 'soon', expected a date as YYYY-MM-DD"),
        (["--format", "xml"], "--format: got 'xml', expected one of csv, json"),
    ],
)
def test_export_bad_values_are_user_errors(logged: Engine, args: list[str], message: str) -> None:
    result = run(logged, "audit", "export", "--purpose", "self_monitoring", *args)
    assert result.exit_code == 1
    assert isinstance(result.exception, InvalidData)
    assert message in str(result.exception)
    assert len(events(logged)) == 3  # nothing was exported, so nothing was logged


def test_export_refuses_a_purpose_the_law_does_not_allow(logged: Engine) -> None:
    result = run(logged, "audit", "export", "--purpose", "marketing")
    assert isinstance(result.exception, InvalidData)
    assert "--purpose: got 'marketing', expected one of verify_lawfulness" in str(result.exception)


def _threadline(engine: Engine, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "threadline.cli.main", "--db", url(engine), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_installed_command_answers_in_one_line(logged: Engine) -> None:
    bad = _threadline(logged, "audit", "export", "--purpose", "self_monitoring", "--from", "x")
    assert bad.returncode == 1
    assert bad.stdout == ""
    assert bad.stderr.strip().splitlines() == [
        "error: --from: got 'x', expected a date as YYYY-MM-DD or an ISO 8601 date-time "
        "such as 2025-03-01T14:30:00Z"
    ]
    sql(logged, "UPDATE audit_event SET details = '{}' WHERE id = 1")
    broken = _threadline(logged, "audit", "verify")
    assert broken.returncode == 1
    assert "Traceback" not in broken.stderr
    assert broken.stderr.startswith("audit log BROKEN at event 1:")


def test_a_refused_command_is_logged_as_a_refused_attempt(logged: Engine) -> None:
    with session_scope(logged) as session:
        make_user_row(session, "officer@norfolk", roles=[Role.FRONTLINE])
    refused = _threadline(
        logged, "audit", "export", "--purpose", "self_monitoring", "--as", "officer@norfolk"
    )
    assert refused.returncode == 1
    assert refused.stderr.startswith("error: officer@norfolk holds frontline")
    last = events(logged)[-1]
    assert (last.event, last.actor, last.action) == (
        "access.refused",
        "officer@norfolk",
        "consultation",
    )
    details = json.loads(last.details)
    assert details["outcome"] == "refused" and details["attempted"] == "threadline audit export"
    assert "only data protection officers" in details["reason"]
