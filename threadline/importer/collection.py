"""The audit of an import: COLLECTION events that name every record the file wrote.

DPA 2018 s62 asks who collected what, and when; `threadline audit export --subject ID`
answers it from the events that list record ID. So a written file is logged as one or
more `import.<kind>` COLLECTION events in the transaction that wrote them, each naming
the file, its SHA-256, the owner and the file's counts, and listing up to
`IDS_PER_EVENT` of the records written (`part` of `parts`; on SQLite, where each batch
of the file is its own transaction, of that `batch` of `batches`): a file of 300,000
rows is 150 events or so, not one event of 300,000 ids. Records are entity ids: a links
file lists both ends of each link, a custody file the persons whose episodes it wrote.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.audit.refusals import record_refusal
from threadline.errors import FieldError, Forbidden
from threadline.importer.permits import is_refused
from threadline.model.security import Actor

IDS_PER_EVENT = 2000


def file_digest(path: Path) -> str:
    """The SHA-256 of the file as stored (compressed bytes for `.gz`)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def log_collection(
    conn: Connection,
    *,
    actor: Actor,
    kind: str,
    details: dict[str, object],
    records: Iterable[int],
) -> list[int]:
    """Append the file's COLLECTION events in `conn`'s transaction; their ids."""
    ids = sorted(set(records))
    parts = [ids[i : i + IDS_PER_EVENT] for i in range(0, len(ids), IDS_PER_EVENT)] or [[]]
    event_ids: list[int] = []
    with Session(bind=conn) as session:
        for number, part in enumerate(parts, start=1):
            event_ids.append(
                record_event(
                    session,
                    actor=actor,
                    action=AuditAction.COLLECTION,
                    event=f"import.{kind}",
                    records=part,
                    details={**details, "part": number, "parts": len(parts)},
                )
            )
        session.flush()
    return event_ids


def log_refusals(
    engine: Engine, *, actor: Actor, path: Path, errors: list[FieldError], count: int
) -> int | None:
    """Log a file refused (in part) by the import rule as a refused attempt; its event id.

    Refused rows are reported as located errors and the file writes nothing; the attempt
    is still logged, as any refused attempt is (`audit.refusals`), naming the file and
    where the refused rows are. `errors` are the file's listed errors, `count` all.
    """
    refused = [error for error in errors if is_refused(error.expected)]
    if not refused:
        return None
    return record_refusal(
        lambda: Session(engine),
        actor=actor,
        attempted="threadline import",
        exc=Forbidden(refused[0].expected),
        details={
            "file": path.name,
            "errors": count,
            "refused": [error.location for error in refused],
        },
    )
