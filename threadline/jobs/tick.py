"""`run_jobs`: run the scheduled jobs once, in order, each in its own transaction.

The jobs themselves belong to the capabilities (`tripwires.job`, `prison.job`...); the
schedule that lists them in order is `threadline.schedule`, above every capability, so this
runner knows no capability.

A job whose transaction finds the database busy (SQLite's write lock held by an import,
a PostgreSQL serialization failure or deadlock) is rolled back and run again, a few
times, after a short pause: jobs are idempotent, so a retried job does its work once.
A job that still cannot run is reported as failed, in one line, never with a traceback;
the other jobs run regardless. One run of each job works at a time, across processes
(`_one_at_a_time`), so the server's ticker and a cron `tick` never both do the same work,
and a run that waited for another, started after it was asked for, is skipped
(`_first_since`): however many servers and timers tick at once, each job runs once for
one due slot.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from threadline.audit.checkpoints import checkpoint_due, checkpoint_path, write_checkpoint
from threadline.audit.sealing import seal_in_transaction
from threadline.clock import utcnow
from threadline.errors import ThreadlineError
from threadline.jobs.result import JobResult
from threadline.settings import Settings
from threadline.storage.db import is_locked_error, session_scope, session_writes
from threadline.storage.sharing_tables import JobCursorRow

log = logging.getLogger(__name__)

Job = Callable[..., JobResult]  # run(session, *, settings, now) -> JobResult

ATTEMPTS = 4  # runs of a job whose transaction found the database busy
PAUSE_SECONDS = 0.5  # before the second run; doubled before each later one
RUN_PREFIX = "run:"  # job_cursor rows saying when each job last ran


def seal_audit_events(session: Session, *, settings: Settings, now: datetime) -> JobResult:
    """Seal audit events left pending (their process stopped between its commit and its
    seal, `audit.sealing`), before the `audit` job signs the chain's head."""
    del settings, now
    result = JobResult(name="audit-seal")
    sealed = seal_in_transaction(session)
    if sealed:
        result.counts["sealed"] = sealed
    return result


def write_audit_checkpoint(session: Session, *, settings: Settings, now: datetime) -> JobResult:
    """Sign the audit log's head (file and log) when events were added since the last."""
    result = JobResult(name="audit")
    interval = timedelta(seconds=max(0, settings.audit_checkpoint_interval_seconds))
    if checkpoint_due(session, now=now, interval=interval):
        engine = session.get_bind()
        assert isinstance(engine, Engine)
        path = checkpoint_path(settings, engine)
        written = write_checkpoint(session, path=path, now=now)
        result.counts["checkpoints"] = 1
        result.notes.append(f"checkpoint of {written.through_event:,} events")
    return result


def run_jobs(
    engine: Engine,
    jobs: Sequence[tuple[str, Job]],
    *,
    settings: Settings,
    now: datetime | None = None,
    only: tuple[str, ...] = (),
) -> list[JobResult]:
    """Run each job (or only those named) once at `now` (naive UTC; default: now)."""
    at = now or utcnow()
    results = []
    for name, run in jobs:
        if only and name not in only:
            continue
        results.append(_run_with_retries(engine, name, run, settings=settings, now=at))
    return results


def _run_with_retries(
    engine: Engine, name: str, run: Job, *, settings: Settings, now: datetime
) -> JobResult:
    pause = PAUSE_SECONDS
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with session_scope(engine) as session:
                asked = _clock(session)
                _one_at_a_time(session, name)
                if not _first_since(session, name, asked):
                    return JobResult(
                        name=name,
                        notes=["another process ran it meanwhile; nothing left to do"],
                    )
                return _run(run, session, settings=settings, now=now)
        except ThreadlineError as exc:
            return JobResult(name=name, error=exc.detail)
        except DBAPIError as exc:
            if not is_locked_error(exc):
                return _crashed(name, exc)
            if attempt == ATTEMPTS:
                log.warning("job %s: the database stayed busy over %d attempts", name, attempt)
                return JobResult(
                    name=name,
                    error=f"the database stayed busy (locked by another writer) over {attempt} "
                    "attempts; nothing was written; the next tick tries again",
                )
            log.info("job %s: database busy, retrying (attempt %d)", name, attempt)
            time.sleep(pause)
            pause *= 2
        except Exception as exc:  # one broken job must not stop the others
            return _crashed(name, exc)
    raise AssertionError("unreachable")  # pragma: no cover


def _one_at_a_time(session: Session, name: str) -> None:
    """Let one run of a job at a time work, across processes (server ticker and cron).

    A job reads what is due and then writes it; two runs of it at once would both see
    the same thing due. SQLite: the job's transaction takes the write lock before its
    first read. PostgreSQL: a transaction advisory lock named after the job.
    """
    if session.get_bind().dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(f"threadline-job:{name}".encode()).digest()[:4])
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})
    else:
        session_writes(session)


def _clock(session: Session) -> datetime:
    """Now, naive UTC, by the database's clock on PostgreSQL (one clock for every host)."""
    if session.get_bind().dialect.name == "postgresql":
        found = session.scalar(text("SELECT clock_timestamp() AT TIME ZONE 'UTC'"))
        assert isinstance(found, datetime)
        return found
    return datetime.now(UTC).replace(tzinfo=None)


def _first_since(session: Session, name: str, asked: datetime) -> bool:
    """Whether this is the first run of job `name` to start since `asked`; if so, say so.

    Called under the job's lock. A run of the job that took the lock after this one was
    asked for (it waited for that run to finish) read everything due at `asked` and did
    it, in a transaction committed before this one got the lock: a second run would find
    nothing to do, and does nothing. So two `tick`s started at once (the ticker of each
    of several servers, a timer's tick) run each job once. The time each run took the
    lock, and how many runs there were, are kept in `job_cursor` as `run:<job>` (read by
    /metrics as the job's last run).
    """
    started = _clock(session)
    marker = session.get(JobCursorRow, RUN_PREFIX + name)
    if marker is None:
        session.add(JobCursorRow(name=RUN_PREFIX + name, position=1, updated_at=started))
        return True
    if marker.updated_at >= asked:
        return False
    marker.position += 1
    marker.updated_at = started
    return True


def _crashed(name: str, exc: Exception) -> JobResult:
    # A bug, not a busy database: logged with its traceback for the developers (the
    # operator's tick output shows one line).
    log.error("job %s failed", name, exc_info=exc)
    return JobResult(name=name, error=f"{type(exc).__name__}: {exc}")


def _run(run: Job, session: Session, *, settings: Settings, now: datetime) -> JobResult:
    return run(session, settings=settings, now=now)
