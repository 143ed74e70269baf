"""`tick` runs every job once, each in its own transaction, and the server's ticker runs it
again and again until stopped; one failing job does not stop the others."""

from __future__ import annotations

import sqlite3
import sys
import threading
import time

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from threadline import schedule
from threadline.audit import AuditAction, record_event
from threadline.cli.main import app
from threadline.errors import InvalidData
from threadline.jobs import JobResult
from threadline.jobs.ticker import Ticker
from threadline.model.security import system_actor
from threadline.schedule import JOBS, tick
from threadline.settings import Settings
from threadline.storage.db import session_scope
from threadline.storage.tables import AuditEventRow


def test_tick_runs_each_job_once_in_order(engine: Engine) -> None:
    results = tick(engine, settings=Settings())
    assert [r.name for r in results] == [name for name, _ in JOBS]
    assert all(r.error is None for r in results), [r.error for r in results]


def test_only_runs_the_named_jobs(engine: Engine) -> None:
    results = tick(engine, settings=Settings(), only=("briefings",))
    assert [r.name for r in results] == ["briefings"]


def test_a_failing_job_is_reported_and_the_others_still_run(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object, **__: object) -> JobResult:
        raise InvalidData([])

    first, *rest = JOBS
    monkeypatch.setattr(schedule, "JOBS", ((first[0], broken), *rest))
    results = tick(engine, settings=Settings())
    assert results[0].error is not None
    assert [r.name for r in results[1:]] == [name for name, _ in rest]


def test_the_ticker_runs_tick_until_stopped(engine: Engine) -> None:
    ticker = Ticker(engine, Settings(), interval=0.05, jobs=JOBS).start()
    deadline = time.monotonic() + 30
    while ticker.runs < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    ticker.stop()
    assert ticker.runs >= 2
    runs = ticker.runs
    time.sleep(0.2)
    assert ticker.runs == runs  # stopped means stopped


def test_the_cli_refuses_an_unknown_job_name(tmp_path: object) -> None:
    result = CliRunner().invoke(app, ["--db", f"{tmp_path}/x.db", "tick", "--only", "nonsense"])
    assert result.exit_code != 0
    assert "nonsense" in result.output


# --------------------------------------------------------------------------- busy database


def test_a_job_that_finds_the_database_locked_is_retried(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[int] = []

    def busy_once(*_: object, **__: object) -> JobResult:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError(
                "BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked")
            )
        return JobResult(name="busy", counts={"done": 1})

    tick_module = sys.modules["threadline.jobs.tick"]
    monkeypatch.setattr(schedule, "JOBS", (("busy", busy_once),))
    monkeypatch.setattr(tick_module, "PAUSE_SECONDS", 0.01)
    (result,) = tick(engine, settings=Settings())
    assert result.error is None and result.counts == {"done": 1} and len(calls) == 2
    assert not any(record.exc_info for record in caplog.records)  # no traceback


def test_a_job_that_stays_locked_fails_in_one_line_and_the_others_run(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def always_busy(*_: object, **__: object) -> JobResult:
        raise OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))

    tick_module = sys.modules["threadline.jobs.tick"]
    monkeypatch.setattr(schedule, "JOBS", (("busy", always_busy), JOBS[-1]))
    monkeypatch.setattr(tick_module, "PAUSE_SECONDS", 0.01)
    busy, audit = tick(engine, settings=Settings())
    assert busy.error is not None and "stayed busy" in busy.error
    assert audit.error is None
    assert not any(record.exc_info for record in caplog.records)


def test_tick_waits_for_a_writer_instead_of_crashing(sqlite_engine: Engine) -> None:
    """Another process holds SQLite's write lock for a moment (an import batch, say)."""
    holder = sqlite3.connect(
        sqlite_engine.url.database or "", isolation_level=None, check_same_thread=False
    )
    holder.execute("BEGIN IMMEDIATE")
    released = threading.Timer(1.0, lambda: holder.execute("COMMIT"))
    released.start()
    try:
        results = tick(sqlite_engine, settings=Settings())
    finally:
        released.join()
        holder.close()
    assert all(r.error is None for r in results), [r.error for r in results]


def test_two_ticks_at_once_do_a_job_once(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server's ticker and cron may tick at the same moment: a job reads what is due
    and then writes it, so two runs of it at once must not both do it."""

    def once(session: Session, **_: object) -> JobResult:
        done = session.scalar(
            select(func.count())
            .select_from(AuditEventRow)
            .where(AuditEventRow.event == "review.dates_backfilled")
        )
        time.sleep(0.3)  # the other tick reads meanwhile
        if not done:
            record_event(
                session,
                actor=system_actor(reason="test"),
                action=AuditAction.COLLECTION,
                event="review.dates_backfilled",
            )
        return JobResult(name="once")

    monkeypatch.setattr(schedule, "JOBS", (("once", once),))
    start = threading.Barrier(2)
    results: list[list[JobResult]] = []

    def run() -> None:
        start.wait()
        results.append(tick(engine, settings=Settings()))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.error for rs in results for r in rs] == [None, None]
    with session_scope(engine) as session:
        count = session.scalar(
            select(func.count())
            .select_from(AuditEventRow)
            .where(AuditEventRow.event == "review.dates_backfilled")
        )
    assert count == 1
