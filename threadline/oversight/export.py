"""Export the audit log for the regulator or a data protection officer (DPA 2018 s62(5)).

An export is itself a consultation of the log and is logged, with its stated purpose,
**before** any event is read out, and committed at once: an export that fails half-way
is still on record, and the chain lock is not held while a long export streams.

Formats, one row or object per event, oldest first:

- CSV with a header: id, chain_seq, at, actor_id, actor, agency, action, event, records,
  recipients, purpose, details, prev_hash, hash. `records`, `recipients` and `details`
  are the JSON text as stored. Every cell is quoted, and a text cell that a spreadsheet
  would run as a formula (starting `=`, `+`, `-`, `@`, TAB, CR...) starts with an added
  `'` (`audit.spreadsheet`): remove it before recomputing a hash, or use JSON.
- JSON: one array of objects with the same keys; `records`, `recipients` and `details`
  are decoded into lists and an object.

`at` is UTC, written as ISO 8601 with a `Z`. `chain_seq` (the event's position in the
chain), `prev_hash` and `hash` let an auditor match exported events against the live log
(`event_hash` in `threadline.audit.chain` recomputes a hash from the stored fields, `at`
as a naive UTC datetime). An event written but not yet sealed into the chain (PostgreSQL,
for a moment after its request; `audit.sealing`) has all three empty.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any, TextIO

from sqlalchemy import RowMapping, Select, select
from sqlalchemy.orm import Session

from threadline.audit.chain import HASHED_FIELDS
from threadline.audit.events import AuditEvent, AuditPurpose
from threadline.audit.spreadsheet import SafeDictWriter
from threadline.errors import FieldError, InvalidData
from threadline.model.security import Actor
from threadline.oversight.access import log_read, parse_purpose
from threadline.policy import read_path
from threadline.storage.tables import AuditEventRow, AuditRecordRow

BATCH = 2000
COLUMNS = ("id", "chain_seq", *HASHED_FIELDS, "prev_hash", "hash")
_JSON_COLUMNS = ("records", "recipients", "details")
_TIME_EXPECTED = "a date as YYYY-MM-DD or an ISO 8601 date-time such as 2025-03-01T14:30:00Z"

TimeBound = date | datetime


class ExportFormat(StrEnum):
    """Formats the audit log is exported in."""

    CSV = "csv"  # one row per event, JSON columns as stored text
    JSON = "json"  # one array of objects, JSON columns decoded


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What was exported: how many events, up to which event, and the export's own event."""

    count: int
    through_event: int  # the log's head when the export started; later events are left out
    audit_event_id: int  # the consultation event that records this export

    def as_dict(self) -> dict[str, int]:
        return {
            "count": self.count,
            "through_event": self.through_event,
            "audit_event_id": self.audit_event_id,
        }


def parse_time_bound(value: str, *, location: str) -> TimeBound:
    """Read `YYYY-MM-DD` as a date, anything longer as an ISO 8601 date-time.

    A date-time without an offset is taken as UTC (every time in the log is UTC).
    """
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text)
    except ValueError:
        raise InvalidData([FieldError(location, value, _TIME_EXPECTED)]) from None


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _lower(start: TimeBound) -> datetime:
    if isinstance(start, datetime):
        return _utc(start)
    return datetime(start.year, start.month, start.day)


def _upper(end: TimeBound) -> tuple[datetime, bool]:
    """The end as a time and whether it is inclusive (a date includes its whole day)."""
    if isinstance(end, datetime):
        return _utc(end), True
    return datetime(end.year, end.month, end.day) + timedelta(days=1), False


def _iso(value: date | datetime) -> str:
    return value.isoformat()


@read_path(AuditEvent.AUDIT_EXPORTED)
def export_events(
    session: Session,
    *,
    actor: Actor,
    purpose: AuditPurpose | str,
    out: TextIO,
    fmt: ExportFormat | str = ExportFormat.CSV,
    subject: int | None = None,
    user: str | None = None,
    start: TimeBound | None = None,
    end: TimeBound | None = None,
) -> ExportResult:
    """Write the events matching every filter given to `out`, oldest first; log the export.

    `subject` keeps events that touched that record (via the `audit_record` index),
    `user` events by that username, `start`/`end` events in that time range (dates are
    whole days, both ends included). An actor who may read only their organisation's
    part of the log (see `audit.access`) gets only that part.

    Contract: the session must not have read anything yet in its transaction (SQLite
    could then refuse the chain lock). The consultation event is committed before the
    export streams; the caller's session is left in a fresh read transaction.
    """
    try:
        fmt = ExportFormat(fmt)
    except ValueError:
        raise InvalidData([FieldError("format", str(fmt), "csv or json")]) from None
    purpose = parse_purpose(purpose)
    if start is not None and end is not None and _lower(start) > _upper(end)[0]:
        raise InvalidData(
            [FieldError("--from/--to", f"{_iso(start)} to {_iso(end)}", "--from before --to")]
        )
    read = log_read(
        session,
        actor=actor,
        event=AuditEvent.AUDIT_EXPORTED,
        purpose=purpose,
        subject=subject,
        filters={
            "user": user,
            "from": _iso(start) if start is not None else None,
            "to": _iso(end) if end is not None else None,
        },
        details={"format": fmt.value},
    )
    session.commit()
    scope, through, event_id = read.scope, read.through, read.event_id

    query = select(AuditEventRow.__table__).where(AuditEventRow.id <= through)
    query = _filtered(query, subject=subject, user=user, start=start, end=end, agency=scope.agency)
    result = session.execute(query.execution_options(yield_per=BATCH))
    rows = (_as_export(row._mapping) for row in result)
    count = _write_csv(rows, out) if fmt is ExportFormat.CSV else _write_json(rows, out)
    return ExportResult(count=count, through_event=through, audit_event_id=event_id)


def _filtered(
    query: Select[*tuple[Any, ...]],
    *,
    subject: int | None,
    user: str | None,
    start: TimeBound | None,
    end: TimeBound | None,
    agency: str | None,
) -> Select[*tuple[Any, ...]]:
    if subject is not None:
        query = query.where(
            AuditEventRow.id.in_(
                select(AuditRecordRow.event_id).where(AuditRecordRow.entity_id == subject)
            )
        )
    if user is not None:
        query = query.where(AuditEventRow.actor == user)
    if agency is not None:
        query = query.where(AuditEventRow.agency == agency)
    if start is not None:
        query = query.where(AuditEventRow.at >= _lower(start))
    if end is not None:
        upper, inclusive = _upper(end)
        query = query.where(AuditEventRow.at <= upper if inclusive else AuditEventRow.at < upper)
    return query.order_by(AuditEventRow.id)


def _as_export(values: RowMapping) -> dict[str, object]:
    row = {name: values[name] for name in COLUMNS}
    row["at"] = values["at"].isoformat(timespec="microseconds") + "Z"
    return row


def _write_csv(rows: Iterator[dict[str, object]], out: TextIO) -> int:
    writer = SafeDictWriter(out, COLUMNS)
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def _write_json(rows: Iterator[dict[str, object]], out: TextIO) -> int:
    out.write("[")
    count = 0
    for row in rows:
        for name in _JSON_COLUMNS:
            # Not JSON only if edited by hand: then it is exported as the stored text.
            with suppress(ValueError):
                row[name] = json.loads(str(row[name]))
        out.write(",\n" if count else "\n")
        out.write(json.dumps(row, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count
