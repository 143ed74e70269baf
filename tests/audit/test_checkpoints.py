"""A keyed chain and signed checkpoints: deleting the log, deleting its last events, or
appending an event with a recomputed hash all fail `threadline audit verify` (issue 11,
finding 10), without anyone passing a head."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner, Result

from tests.audit.helpers import append, events, make_actor, sql
from tests.factories import make_person
from threadline.audit.checkpoints import CHECKPOINT_EVENT, read_checkpoint_file
from threadline.audit.keys import chain_key
from threadline.audit.log import event_hash
from threadline.cli.main import app
from threadline.schedule import tick
from threadline.settings import DEFAULT_AUDIT_KEY, Settings
from threadline.storage.db import session_scope

OFFICER = make_actor("officer@norfolk")


def run(engine: Engine, *args: str) -> Result:
    url = engine.url.render_as_string(hide_password=False)
    return CliRunner().invoke(app, ["--db", url, *args])


@pytest.fixture
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The DPO's checkpoint file, named in settings (as on a PostgreSQL server)."""
    path = tmp_path / "dpo" / "checkpoints.jsonl"
    monkeypatch.setenv("THREADLINE_AUDIT_CHECKPOINT_FILE", str(path))
    return path


@pytest.fixture
def pinned(engine: Engine, kept: Path) -> Engine:
    """Six events, a checkpoint (file and log), and two events after it."""
    with session_scope(engine) as session:
        make_person(session, family_name="Record")  # the database holds a record
    append(engine, OFFICER, 6, records=[7])
    result = run(engine, "audit", "checkpoint")
    assert result.exit_code == 0, result.output
    assert "6 events, head 6:" in result.stdout
    append(engine, OFFICER, 2)
    return engine


def verify(engine: Engine) -> Result:
    return run(engine, "audit", "verify")


def test_a_checkpointed_log_verifies_without_being_given_a_head(pinned: Engine, kept: Path) -> None:
    result = verify(pinned)
    assert result.exit_code == 0, result.output
    # The checkpoint in the file and the checkpoint event in the log.
    assert "9 events verified; 2 signed checkpoints matched" in result.stdout
    (line,) = kept.read_text().splitlines()
    assert json.loads(line)["through_event"] == 6
    assert events(pinned)[6].event == CHECKPOINT_EVENT


def test_deleting_the_whole_log_fails(pinned: Engine) -> None:
    sql(pinned, "DELETE FROM audit_record")
    sql(pinned, "DELETE FROM audit_event")
    result = verify(pinned)
    assert result.exit_code == 1
    assert "says the chain had 6 events, but it now has 0" in result.stderr


def test_deleting_the_whole_log_fails_even_without_a_checkpoint_file(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_person(session, family_name="Record")
    append(engine, OFFICER, 3)
    sql(engine, "DELETE FROM audit_event")
    result = run(engine, "audit", "verify", "--checkpoints", "/nonexistent/checkpoints")
    assert result.exit_code == 1
    assert "the log is empty, but the database holds 1 records" in result.stderr


def test_deleting_the_last_events_back_past_the_checkpoint_fails(pinned: Engine) -> None:
    for event_id in (9, 8, 7, 6):
        sql(pinned, "DELETE FROM audit_record WHERE event_id = :i", i=event_id)
        sql(pinned, "DELETE FROM audit_event WHERE id = :i", i=event_id)
    result = verify(pinned)
    assert result.exit_code == 1
    assert "events 6 to 6 were deleted" in result.stderr or "event 6" in result.stderr
    assert "BROKEN" in result.stderr


def test_deleting_the_last_events_and_refilling_them_fails(pinned: Engine) -> None:
    for event_id in (9, 8, 7, 6, 5):
        sql(pinned, "DELETE FROM audit_record WHERE event_id = :i", i=event_id)
        sql(pinned, "DELETE FROM audit_event WHERE id = :i", i=event_id)
    append(pinned, OFFICER, 5)  # written with the key, as an insider with the app could
    result = verify(pinned)
    assert result.exit_code == 1
    assert "rewritten, or truncated and refilled" in result.stderr


def test_appending_an_event_with_a_recomputed_hash_fails(pinned: Engine) -> None:
    """Someone with database access but not the key adds an event, hash done right."""
    last = events(pinned)[-1]
    fields = {
        "at": last.at,
        "actor_id": None,
        "actor": "innocent@norfolk",
        "agency": "norfolk",
        "action": "consultation",
        "event": "person.viewed",
        "records": "[]",
        "recipients": "[]",
        "purpose": None,
        "details": "{}",
    }
    digest = event_hash(last.hash, fields)
    for mac in (None, "0" * 64):
        sql(pinned, "DELETE FROM audit_event WHERE id = 10")
        sql(
            pinned,
            "INSERT INTO audit_event (id, chain_seq, at, actor_id, actor, agency, action, event,"
            " records, recipients, purpose, details, prev_hash, hash, mac) VALUES (10, 10, :at,"
            " NULL, 'innocent@norfolk', 'norfolk', 'consultation', 'person.viewed', '[]', '[]',"
            " NULL, '{}', :prev, :hash, :mac)",
            at=last.at,
            prev=last.hash,
            hash=digest,
            mac=mac,
        )
        result = verify(pinned)
        assert result.exit_code == 1
        assert "audit log BROKEN at event 10" in result.stderr
        assert "by someone without the" in result.stderr


def test_verifying_with_another_key_fails(pinned: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THREADLINE_AUDIT_KEY", "not-the-key-the-log-was-written-with")
    result = verify(pinned)
    assert result.exit_code == 1
    assert "not signed with the audit key" in result.stderr


def test_an_edited_checkpoint_file_is_not_trusted(pinned: Engine, kept: Path) -> None:
    line = json.loads(kept.read_text())
    line["through_event"] = 3  # a forger would like the log to be allowed to be shorter
    kept.write_text(json.dumps(line) + "\n")
    result = verify(pinned)
    assert result.exit_code == 1
    assert "is not signed with the audit key" in result.stderr


def test_expect_head_still_works(pinned: Engine) -> None:
    head = f"9:{events(pinned)[-1].hash}"
    assert run(pinned, "audit", "verify", "--expect-head", head).exit_code == 0


def test_tick_writes_a_checkpoint_when_events_were_added(engine: Engine, kept: Path) -> None:
    append(engine, OFFICER, 2)
    settings = Settings(audit_checkpoint_interval_seconds=0)
    (result,) = tick(engine, settings=settings, only=("audit",))
    assert result.error is None and result.counts == {"checkpoints": 1}
    with session_scope(engine) as session:
        found = read_checkpoint_file(kept, chain_key(session))
    assert found.problem is None and [c.through_event for c in found.checkpoints] == [2]
    # Nothing new since: the next tick writes nothing (idempotent).
    (again,) = tick(engine, settings=settings, only=("audit",))
    assert again.counts == {}
    assert verify(engine).exit_code == 0


def test_the_demo_key_is_refused_outside_demo_mode() -> None:
    with pytest.raises(Exception, match="THREADLINE_AUDIT_KEY"):
        Settings(secret_key="x" * 40, audit_key=DEFAULT_AUDIT_KEY).check_secrets()
    Settings(demo_mode=True, audit_key=DEFAULT_AUDIT_KEY).check_secrets()
