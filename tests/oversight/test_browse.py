"""Browsing the log: each event is described to the DPO in words, not by its stored name."""

from __future__ import annotations

from sqlalchemy import Engine

from tests.audit.helpers import append, make_actor, sql
from threadline.audit import AuditAction, AuditEvent, AuditPurpose
from threadline.model.security import system_actor
from threadline.oversight.browse import search_events
from threadline.storage.db import session_scope

REGION = system_actor("ersou", "audit-browse")
OFFICER = make_actor("officer@norfolk")


def test_each_event_is_described_in_plain_english(engine: Engine) -> None:
    append(engine, OFFICER, event="check")
    append(engine, OFFICER, action=AuditAction.COLLECTION, event=AuditEvent.USER_ADDED)
    with session_scope(engine) as session:
        page = search_events(
            session, actor=REGION, purpose=AuditPurpose.VERIFY_LAWFULNESS, user=OFFICER.username
        )
    assert [(entry.event, entry.description) for entry in page.entries] == [
        ("user.added", "Added a user account (about the new user)"),
        ("check", "Ran a check, such as a stop check (about the records shown)"),
    ]


def test_an_event_outside_the_vocabulary_is_shown_by_its_name(engine: Engine) -> None:
    append(engine, OFFICER, event="check")
    # As an event of an older release, or one written into the log by other means.
    sql(engine, "UPDATE audit_event SET event = 'person.viewed'")
    with session_scope(engine) as session:
        page = search_events(
            session, actor=REGION, purpose=AuditPurpose.VERIFY_LAWFULNESS, user=OFFICER.username
        )
    [entry] = page.entries
    assert entry.description == "person.viewed"
