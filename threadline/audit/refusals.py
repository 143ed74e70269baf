"""Refused attempts are logged too: an officer asking for a SECRET record leaves a trace.

A refusal rolls back the transaction of the work it refused, and with it any event that
work had begun to log; so the refusal is recorded afterwards, in a short transaction of
its own, by the one place each shell turns errors into answers (the web error handler,
the CLI's entry point). The event is a CONSULTATION (an attempt to consult) with
`outcome: refused`, the reason policy gave (what the actor was told, and the rule's own
reason when the actor was told "not found"), what was asked for, and the records named.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence

from sqlalchemy.orm import Session

from threadline.audit.events import AuditAction, AuditEvent
from threadline.audit.log import record_event
from threadline.errors import Forbidden, NotFound, ThreadlineError
from threadline.model.security import Actor
from threadline.storage.db import commit

log = logging.getLogger(__name__)

REFUSED_EVENT = AuditEvent.ACCESS_REFUSED.value  # the name, as stored and compared in SQL
INDEXABLE_ID = 2**31 - 1


def is_refusal(exc: BaseException) -> bool:
    """A policy refusal: Forbidden, or NotFound (how outsiders are told of a refusal)."""
    return isinstance(exc, Forbidden | NotFound)


def refusal_reason(exc: ThreadlineError) -> str:
    """The reason to log: policy's own reason when the actor was told "not found"."""
    hidden = getattr(exc, "refusal_reason", None)
    return str(hidden) if hidden else exc.detail


def record_refusal(
    new_session: Callable[[], Session],
    *,
    actor: Actor,
    attempted: str,
    exc: ThreadlineError,
    records: Sequence[int] = (),
    details: Mapping[str, object] | None = None,
) -> int | None:
    """Log a refused attempt in its own short transaction; return the event id.

    `attempted` says what was asked (`GET /people/{id}`, `threadline check`). Never
    raises: if the log cannot be written the failure is logged, and the caller still
    answers the refusal.
    """
    # Ids the records index can hold (a 32-bit integer column on PostgreSQL); any other
    # number asked for names no record, and is kept in the details only.
    indexed = sorted({r for r in records if 0 < r <= INDEXABLE_ID})
    other = sorted({r for r in records if not 0 < r <= INDEXABLE_ID})
    try:
        with new_session() as session:
            event_id = record_event(
                session,
                actor=actor,
                action=AuditAction.CONSULTATION,
                event=REFUSED_EVENT,
                records=indexed,
                details={
                    "outcome": "refused",
                    "attempted": attempted,
                    "status": exc.status,
                    "reason": refusal_reason(exc),
                    **({"other_ids": [str(r) for r in other]} if other else {}),
                    **(details or {}),
                },
            )
            commit(session)  # and seal it into the chain (`storage.db.commit`)
            return event_id
    except Exception:
        log.exception("could not log a refused attempt by %s (%s)", actor.username, attempted)
        return None
