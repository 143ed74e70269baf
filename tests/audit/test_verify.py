"""The hash chain: any hand edit or deletion of the log is found and the event named."""

from __future__ import annotations

import threading
from datetime import datetime
from itertools import pairwise

import pytest
from sqlalchemy import Engine, func, select, text

from tests.audit.helpers import append, events, make_actor, sql
from threadline.audit import AuditAction, record_event
from threadline.audit.log import GENESIS, event_hash
from threadline.audit.verify import BATCH, ChainHead, VerifyResult, verify_chain
from threadline.errors import InvalidData
from threadline.model.enums import AgencyKind
from threadline.model.security import Role
from threadline.storage.db import session_factory, session_scope
from threadline.storage.tables import AuditRecordRow

OFFICER = make_actor("officer@norfolk")
ANALYST = make_actor("analyst@essex", roles=[Role.ANALYST], user_id=2)


def verify(engine: Engine, expect_head: ChainHead | None = None) -> VerifyResult:
    with session_scope(engine) as session:
        return verify_chain(session, expect_head=expect_head)


@pytest.fixture
def chain(engine: Engine) -> Engine:
    """Ten events of every shape: records, recipients, purpose, details."""
    append(engine, OFFICER, 3, records=[101, 102])
    append(
        engine,
        ANALYST,
        3,
        action=AuditAction.DISCLOSURE,
        event="intel_sanitised.disseminated",
        records=[103],
        recipients=["norfolk-cads"],
        purpose="safeguarding",
    )
    append(engine, OFFICER, 4, action=AuditAction.COLLECTION, event="import.persons")
    return engine


def test_a_clean_chain_verifies_and_reports_its_head(chain: Engine) -> None:
    result = verify(chain)
    last = events(chain)[-1]
    assert result.ok and result.problem is None and result.first_broken_id is None
    assert result.events_checked == 10
    assert str(result.head) == f"10:{last.hash}"


def test_an_empty_log_verifies(engine: Engine) -> None:
    result = verify(engine)
    assert result.ok and result.events_checked == 0
    assert result.head == ChainHead(0, GENESIS)


def test_thousands_of_events_verify_across_streamed_batches(engine: Engine) -> None:
    append(engine, OFFICER, 2500, records=[7, 8])  # more than one batch of BATCH events
    seen: list[tuple[int, int]] = []
    with session_scope(engine) as session:
        result = verify_chain(session, progress=lambda done, total: seen.append((done, total)))
    assert result.ok and result.events_checked == 2500 and result.head.position == 2500
    assert seen == [(BATCH, 2500)]


EDITS = {
    "actor": "actor = 'someone-else@norfolk'",
    "actor_id": "actor_id = 999",
    "agency": "agency = 'kent'",
    "action": "action = 'collection'",
    "event": "event = 'person.created'",
    "records": "records = '[101]'",
    "recipients": "recipients = '[\"kent\"]'",
    "purpose": "purpose = 'curiosity'",
    "details": "details = '{\"n\": 99}'",
    "at": "at = :when",
    "prev_hash": "prev_hash = :fake",
    "hash": "hash = :fake",
}


@pytest.mark.parametrize("column", sorted(EDITS))
def test_editing_any_field_of_an_event_breaks_the_chain_at_that_event(
    chain: Engine, column: str
) -> None:
    sql(
        chain,
        f"UPDATE audit_event SET {EDITS[column]} WHERE id = 2",
        when=datetime(2020, 1, 1, 12, 0),
        fake="f" * 64,
    )
    result = verify(chain)
    assert not result.ok
    assert result.first_broken_id == 2
    assert "edited" in (result.problem or "")
    assert result.events_checked == 1


def test_an_unreadable_time_is_reported_not_crashed_on(sqlite_engine: Engine) -> None:
    append(sqlite_engine, OFFICER, 3)
    sql(sqlite_engine, "UPDATE audit_event SET at = 'last tuesday' WHERE id = 3")
    result = verify(sqlite_engine)
    assert not result.ok and result.first_broken_id == 3
    assert "'last tuesday' is not a timestamp" in (result.problem or "")


def test_rewriting_an_event_with_a_recomputed_hash_fails_its_signature(chain: Engine) -> None:
    row = events(chain)[4]
    fields = {name: getattr(row, name) for name in ("at", "actor_id", "agency", "action")}
    fields |= {
        "actor": "innocent@norfolk",
        "event": row.event,
        "records": row.records,
        "recipients": row.recipients,
        "purpose": row.purpose,
        "details": row.details,
    }
    sql(
        chain,
        "UPDATE audit_event SET actor = :actor, hash = :hash WHERE id = 5",
        actor="innocent@norfolk",
        hash=event_hash(row.prev_hash, fields),
    )
    result = verify(chain)
    # The key is not in the database: the recomputed hash has no valid signature.
    assert not result.ok and result.first_broken_id == 5
    assert "signature does not match the audit key" in (result.problem or "")


def _delete(engine: Engine, *ids: int) -> None:
    for event_id in ids:
        sql(engine, "DELETE FROM audit_record WHERE event_id = :i", i=event_id)
        sql(engine, "DELETE FROM audit_event WHERE id = :i", i=event_id)


def test_an_event_inserted_by_hand_out_of_sequence_is_detected(chain: Engine) -> None:
    sql(
        chain,
        "INSERT INTO audit_event (id, chain_seq, at, actor_id, actor, agency, action, event, "
        "records, recipients, purpose, details, prev_hash, hash) SELECT 0, 0, at, actor_id, "
        "actor, agency, action, event, records, recipients, purpose, details, prev_hash, :h "
        "FROM audit_event WHERE id = 1",
        h="e" * 64,
    )
    result = verify(chain)
    assert not result.ok and result.first_broken_id == 0
    assert "out of sequence" in (result.problem or "")


def test_deleting_a_middle_event_names_its_chain_position(chain: Engine) -> None:
    _delete(chain, 5)
    result = verify(chain)
    assert not result.ok and result.first_broken_id == 5
    assert result.problem == (
        "event 5 of the chain is missing (chain positions jump from 4 to 6): deleted from the log"
    )


def test_deleting_several_events_names_the_range(chain: Engine) -> None:
    _delete(chain, 4, 5, 6)
    result = verify(chain)
    assert result.first_broken_id == 4
    assert (result.problem or "").startswith("events 4 to 6 of the chain are missing")


def test_deleting_the_first_event_is_detected(chain: Engine) -> None:
    _delete(chain, 1)
    result = verify(chain)
    assert not result.ok and result.first_broken_id == 1


def test_a_deleted_middle_event_is_caught_even_if_positions_are_renumbered(
    chain: Engine,
) -> None:
    _delete(chain, 5)
    with chain.begin() as conn:
        index = conn.execute(text("SELECT event_id, entity_id FROM audit_record")).all()
        conn.execute(text("DELETE FROM audit_record"))
        for event_id in range(6, 11):
            conn.execute(
                text(
                    f"UPDATE audit_event SET id = {event_id - 1}, chain_seq = {event_id - 1} "
                    f"WHERE id = {event_id}"
                )
            )
        for event_id, entity_id in index:
            new_id = event_id - 1 if event_id > 5 else event_id
            conn.execute(text(f"INSERT INTO audit_record VALUES ({new_id}, {entity_id})"))
    result = verify(chain)
    assert not result.ok and result.first_broken_id == 5
    assert "does not match the hash of event 4 of the chain" in (result.problem or "")


def test_deleting_the_last_event_needs_the_checkpoint(chain: Engine) -> None:
    checkpoint = verify(chain).head
    _delete(chain, 10)
    # The chain alone cannot see a shortened tail: be honest about it...
    assert verify(chain).ok
    # ...and catch it with the head an auditor kept from an earlier run.
    result = verify(chain, expect_head=checkpoint)
    assert not result.ok and result.first_broken_id == 10
    assert "the chain ends at event 9" in (result.problem or "")


def test_a_truncated_and_refilled_tail_fails_the_checkpoint(chain: Engine) -> None:
    checkpoint = verify(chain).head
    _delete(chain, 9, 10)
    append(chain, OFFICER, 3)  # ids 9, 10, 11 again, chained onto event 8
    assert verify(chain).ok
    result = verify(chain, expect_head=checkpoint)
    assert not result.ok and result.first_broken_id == 10
    assert "rewritten or truncated" in (result.problem or "")


def test_a_fully_rehashed_log_fails_its_signatures_and_the_checkpoint(chain: Engine) -> None:
    """Edit event 3 and recompute every later hash: without the key, it cannot be signed."""
    checkpoint = verify(chain).head
    rows = events(chain)
    prev = rows[1].hash
    for row in rows[2:]:
        fields = {
            name: getattr(row, name)
            for name in ("at", "actor_id", "actor", "agency", "action", "event")
        }
        fields |= {
            "records": row.records,
            "recipients": row.recipients,
            "purpose": row.purpose,
            "details": '{"n": 42}' if row.id == 3 else row.details,
        }
        new_hash = event_hash(prev, fields)
        sql(
            chain,
            "UPDATE audit_event SET details = :d, prev_hash = :p, hash = :h WHERE id = :i",
            d=fields["details"],
            p=prev,
            h=new_hash,
            i=row.id,
        )
        prev = new_hash
    result = verify(chain)
    assert not result.ok and result.first_broken_id == 3
    assert "signature does not match" in (result.problem or "")
    result = verify(chain, expect_head=checkpoint)
    assert not result.ok and result.first_broken_id == 3


def test_a_checkpoint_from_earlier_still_matches_after_more_appends(chain: Engine) -> None:
    checkpoint = verify(chain).head
    append(chain, ANALYST, 5)
    result = verify(chain, expect_head=checkpoint)
    assert result.ok and result.events_checked == 15


def test_a_malformed_checkpoint_is_refused_with_the_expected_form() -> None:
    with pytest.raises(InvalidData, match="expected ID:HASH"):
        ChainHead.parse("10-abc")


@pytest.mark.parametrize(
    ("tamper", "broken"),
    [
        ("DELETE FROM audit_record WHERE event_id = 5", 5),
        ("INSERT INTO audit_record (event_id, entity_id) VALUES (8, 555)", 8),
        ("UPDATE audit_record SET entity_id = 999 WHERE event_id = 2 AND entity_id = 101", 2),
    ],
    ids=["index-row-deleted", "index-row-added", "index-row-changed"],
)
def test_tampering_with_the_records_index_is_detected(
    chain: Engine, tamper: str, broken: int
) -> None:
    sql(chain, tamper)
    result = verify(chain)
    assert not result.ok and result.first_broken_id == broken
    assert "records index does not match" in (result.problem or "")


def test_index_tamper_names_the_event_it_belongs_to(chain: Engine) -> None:
    sql(chain, "DELETE FROM audit_record WHERE event_id = 5")
    result = verify(chain)
    assert result.first_broken_id == 5
    assert "records [103] are missing from the index" in (result.problem or "")


def test_an_append_that_rolls_back_leaves_no_gap_in_the_chain(engine: Engine) -> None:
    append(engine, OFFICER, 2)
    session = session_factory(engine)()
    record_event(session, actor=OFFICER, action=AuditAction.CONSULTATION, event="check")
    session.rollback()
    session.close()
    append(engine, OFFICER, 1)
    # Ids may skip the rolled-back one (PostgreSQL's sequence); positions never do.
    assert [row.chain_seq for row in events(engine)] == [1, 2, 3]
    assert verify(engine).ok


def test_concurrent_appends_from_two_threads_keep_one_chain(engine: Engine) -> None:
    per_thread = 60
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def worker(username: str) -> None:
        actor = make_actor(username, kind=AgencyKind.FORCE)
        try:
            start.wait()
            for n in range(per_thread):
                # Each event in its own transaction, as services append them.
                append(engine, actor, records=[n])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [
        threading.Thread(target=worker, args=(name,))
        for name in ("officer@norfolk", "analyst@essex")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []

    rows = events(engine)
    assert len(rows) == 2 * per_thread
    assert {row.actor for row in rows} == {"officer@norfolk", "analyst@essex"}
    assert [row.chain_seq for row in rows] == list(range(1, 2 * per_thread + 1))
    # No fork: every event links to the one before it, and no hash is reused.
    assert rows[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in pairwise(rows))
    assert len({row.hash for row in rows}) == len(rows)
    with session_scope(engine) as session:
        indexed = session.scalar(select(func.count()).select_from(AuditRecordRow))
    assert indexed == 2 * per_thread
    assert verify(engine).ok
