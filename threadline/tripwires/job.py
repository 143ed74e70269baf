"""The tripwires job of `threadline tick`: alert watchers of every record an event touched.

Each run keeps the automatic OCG watches in step, then reads the audit events after the
job's cursor in id order, in batches, matching each batch against every active watch with
one indexed query; creates the alerts (one per event, record and watcher), records them
in the register with their audit event, and moves the cursor, all in the job's one
transaction: a run that fails leaves nothing half done, and a second run adds nothing.
Finally each watcher with an email address gets one message saying how many alerts
wait, and the link.

The first run starts at the end of the log: what happened before tripwires were set up
is history, not news.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from threadline.dissemination import Form
from threadline.jobs import JobResult
from threadline.settings import Settings
from threadline.storage.sharing_tables import JobCursorRow
from threadline.storage.tables import AuditEventRow
from threadline.tripwires.delivery import email_alerts, record_alerts
from threadline.tripwires.matching import by_agency, match_batch
from threadline.tripwires.ocg_watches import sync_ocg_watches
from threadline.tripwires.partners import partner_alerts
from threadline.tripwires.people import Directory

NAME = "tripwires"
BATCH_EVENTS = 5000  # audit events matched per query


def run(session: Session, *, settings: Settings, now: datetime) -> JobResult:
    """Run the tripwires job once at `now` (naive UTC)."""
    result = JobResult(name=NAME)
    synced = sync_ocg_watches(session, now=now)
    # Positions in the chain, not ids: on PostgreSQL events take their ids when written
    # and their positions when sealed, so an event committed late has a lower id than
    # events already read, but never a lower position than the head read here.
    head = session.scalar(select(func.max(AuditEventRow.chain_seq))) or 0
    cursor = session.get(JobCursorRow, NAME)
    if cursor is None:
        cursor = JobCursorRow(name=NAME, position=head, updated_at=now)
        session.add(cursor)
        result.notes.append(f"first run: watching events after event {head} of the audit chain")
    counts = {"events": 0, "alerts": 0, "partner_alerts": 0, "withheld": 0}
    directory = Directory.load(session)
    while cursor.position < head:
        upto = min(cursor.position + BATCH_EVENTS, head)
        batch = match_batch(session, directory, after=cursor.position, upto=upto, now=now)
        counts["alerts"] += len(batch.alerts)
        counts["partner_alerts"] += partner_alerts(
            session, directory, batch, after=cursor.position, upto=upto, now=now
        )
        counts["withheld"] += batch.withheld
        record_alerts(
            session, by_agency(batch, directory), form=Form.APP, event="alert.raised", at=now
        )
        counts["events"] += upto - cursor.position
        cursor.position, cursor.updated_at = upto, now
        session.flush()
    sent, notes = email_alerts(session, settings, now=now)
    result.notes.extend(notes)
    result.counts = {
        "watches_started": synced.started,
        "watches_changed": synced.changed,
        "watches_ended": synced.ended,
        **counts,
        "emails": sent,
    }
    return result
