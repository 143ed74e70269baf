"""PostgreSQL: events are appended without the chain's lock and sealed into the chain in
batches afterwards; every event ends sealed, verifiable, and none is lost."""

from __future__ import annotations

import threading
from itertools import pairwise

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from tests.audit.helpers import append, events, make_actor, sql
from threadline.audit import AuditAction, record_event
from threadline.audit.checkpoints import write_checkpoint
from threadline.audit.sealing import seal_pending
from threadline.audit.verify import VerifyResult, verify_chain
from threadline.cli.main import app
from threadline.schedule import tick
from threadline.settings import Settings
from threadline.storage.db import commit, session_factory, session_scope
from threadline.storage.tables import AuditEventRow

pytestmark = pytest.mark.postgres

OFFICER = make_actor("officer@norfolk")


def verify(engine: Engine) -> VerifyResult:
    with session_scope(engine) as session:
        return verify_chain(session)


def commit_without_sealing(
    engine: Engine, count: int = 1, records: list[int] | None = None
) -> None:
    """Append and commit as a process killed before its seal would leave them: pending."""
    session = session_factory(engine)()
    for n in range(count):
        record_event(
            session,
            actor=OFFICER,
            action=AuditAction.CONSULTATION,
            event="person.profile",
            records=records or [],
            details={"n": n},
        )
    session.commit()  # a plain commit: the seal registered for `storage.db.commit` is not run
    session.close()


def pending_count(engine: Engine) -> int:
    with session_scope(engine) as session:
        query = select(func.count()).where(AuditEventRow.chain_seq.is_(None))
        return int(session.scalar(query) or 0)


def test_events_appended_from_many_sessions_at_once_all_end_sealed_in_one_chain(
    pg_engine: Engine,
) -> None:
    threads, per_thread = 4, 25
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def worker(number: int) -> None:
        actor = make_actor(f"officer{number}@norfolk", user_id=number)
        try:
            start.wait()
            for n in range(per_thread):
                append(pg_engine, actor, records=[n])  # its own transaction, then its seal
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    workers = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    assert errors == []
    # No request waits for the chain's lock: one whose event was committed just after a
    # busy sealer read the pending ones leaves it to the next sealer (here, the tick's).
    assert pending_count(pg_engine) <= threads
    with session_scope(pg_engine) as session:
        seal_pending(session)

    rows = events(pg_engine)
    assert len(rows) == threads * per_thread
    assert [row.chain_seq for row in rows] == list(range(1, threads * per_thread + 1))
    assert all(b.prev_hash == a.hash for a, b in pairwise(rows))
    result = verify(pg_engine)
    assert result.ok and result.events_checked == threads * per_thread
    assert result.pending_events == 0 and result.pending_note is None


def test_an_appending_transaction_holds_no_lock_that_blocks_another_append(
    pg_engine: Engine,
) -> None:
    slow = session_factory(pg_engine)()
    first = record_event(slow, actor=OFFICER, action=AuditAction.CONSULTATION, event="check")
    done: list[int] = []
    other = threading.Thread(target=lambda: done.extend(append(pg_engine, OFFICER)))
    other.start()
    other.join(timeout=30)
    try:
        # Appended, committed and sealed while the first transaction is still open.
        assert not other.is_alive() and len(done) == 1
        assert [row.id for row in events(pg_engine)] == done
    finally:
        commit(slow)  # and now the first is sealed too, after the other
        slow.close()
        other.join()
    assert [row.id for row in events(pg_engine)] == [done[0], first]
    assert verify(pg_engine).ok


def test_a_pending_event_verifies_as_pending_until_the_next_sealer_seals_it(
    pg_engine: Engine,
) -> None:
    append(pg_engine, OFFICER, 2)
    commit_without_sealing(pg_engine, 3, records=[101])
    result = verify(pg_engine)
    assert result.ok and result.events_checked == 2 and result.pending_events == 3
    assert result.pending_note == "3 events written but not yet sealed into the chain, each signed"

    append(pg_engine, OFFICER)  # any later append's seal seals every pending event
    assert pending_count(pg_engine) == 0
    result = verify(pg_engine)
    assert result.ok and result.events_checked == 6 and result.pending_events == 0


def test_the_tick_job_seals_events_left_pending(pg_engine: Engine) -> None:
    commit_without_sealing(pg_engine, 2)
    settings = Settings()
    (result,) = tick(pg_engine, settings=settings, only=("audit-seal",))
    assert result.error is None and result.counts == {"sealed": 2}
    assert pending_count(pg_engine) == 0 and verify(pg_engine).ok


def test_a_checkpoint_seals_pending_events_before_signing_the_head(pg_engine: Engine) -> None:
    commit_without_sealing(pg_engine, 3)
    with session_scope(pg_engine) as session:
        checkpoint = write_checkpoint(session, path=None)
    assert checkpoint.through_event == 3
    rows = events(pg_engine)
    assert [row.chain_seq for row in rows] == [1, 2, 3, 4]  # the checkpoint right after
    result = verify(pg_engine)
    assert result.ok and result.checkpoints_checked == 1


def test_a_deleted_sealed_event_is_reported_by_its_chain_position(pg_engine: Engine) -> None:
    append(pg_engine, OFFICER, 5)
    sql(pg_engine, "DELETE FROM audit_event WHERE chain_seq = 3")
    result = verify(pg_engine)
    assert not result.ok and result.first_broken_id == 3
    assert result.problem == (
        "event 3 of the chain is missing (chain positions jump from 2 to 4): deleted from the log"
    )


def test_an_edited_pending_event_fails_its_signature_and_is_never_sealed(
    pg_engine: Engine,
) -> None:
    commit_without_sealing(pg_engine, 2)
    (edited, _) = [row.id for row in events(pg_engine)]
    sql(pg_engine, "UPDATE audit_event SET actor = 'someone@else' WHERE id = :i", i=edited)
    result = verify(pg_engine)
    assert not result.ok and result.first_broken_id == edited
    assert "not yet sealed into the chain, and its signature does not match" in (
        result.problem or ""
    )
    append(pg_engine, OFFICER)  # the seal skips it: sealing would sign it into the chain
    assert pending_count(pg_engine) == 1
    assert verify(pg_engine).first_broken_id == edited


def test_a_pending_events_records_index_is_checked(pg_engine: Engine) -> None:
    commit_without_sealing(pg_engine, 1, records=[101, 102])
    sql(pg_engine, "DELETE FROM audit_record WHERE entity_id = 102")
    result = verify(pg_engine)
    assert not result.ok
    assert "records [102] are missing from the index" in (result.problem or "")


def test_audit_verify_says_how_many_events_wait_to_be_sealed(pg_engine: Engine) -> None:
    append(pg_engine, OFFICER, 2)
    commit_without_sealing(pg_engine, 3)
    url = pg_engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(app, ["--db", url, "audit", "verify"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("audit log OK: 2 events verified;")
    assert "note: 3 events written but not yet sealed into the chain, each signed;" in (
        result.stderr
    )
