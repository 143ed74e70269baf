"""`tick`: run every scheduled job once, in order, each in its own transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from threadline.briefings.job import run as compile_briefings
from threadline.digests.job import run as send_digests
from threadline.errors import ThreadlineError
from threadline.jobs.result import JobResult
from threadline.prison.job import run as match_prison
from threadline.settings import Settings
from threadline.storage.db import session_scope
from threadline.storage.reference import utcnow
from threadline.tripwires.job import run as match_tripwires

log = logging.getLogger(__name__)

Job = Callable[..., JobResult]  # run(session, *, settings, now) -> JobResult

# In order: tripwires first (they are the ones that must be fast), then the shift
# briefings, then the partner digests (which may include what the briefings compiled).
JOBS: tuple[tuple[str, Job], ...] = (
    ("tripwires", match_tripwires),
    ("prison", match_prison),
    ("briefings", compile_briefings),
    ("digests", send_digests),
)


def tick(
    engine: Engine,
    *,
    settings: Settings,
    now: datetime | None = None,
    only: tuple[str, ...] = (),
) -> list[JobResult]:
    """Run each job (or only those named) once at `now` (naive UTC; default: now)."""
    at = now or utcnow()
    results = []
    for name, run in JOBS:
        if only and name not in only:
            continue
        try:
            with session_scope(engine) as session:
                result = _run(run, session, settings=settings, now=at)
        except ThreadlineError as exc:
            result = JobResult(name=name, error=exc.detail)
        except Exception as exc:  # one broken job must not stop the others
            log.exception("job %s failed", name)
            result = JobResult(name=name, error=f"{type(exc).__name__}: {exc}")
        results.append(result)
    return results


def _run(run: Job, session: Session, *, settings: Settings, now: datetime) -> JobResult:
    return run(session, settings=settings, now=now)
