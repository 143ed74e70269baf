"""The schedule of `threadline tick` (cron, a timer) and of `serve`'s ticker: every job, in order.

The composition root of the scheduled work. Each capability owns its job
(`tripwires.job.run`...) and `threadline.jobs` owns the runner; this module, above every
capability (beside the web app, the CLI and the demo), is the one place that names them
all, so the runner never imports a capability and the order is stated once, here:
tripwires first (they are the ones that must be fast), then prison matching and alerts,
then the shift briefings, then the partner digests (which may include what the briefings
compiled), and last the audit checkpoint, which then covers what the jobs before it logged.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine

from threadline.briefings.job import run as compile_briefings
from threadline.countylines.job import run as follow_county_lines
from threadline.digests.job import run as send_digests
from threadline.jobs import Job, JobResult, run_jobs, seal_audit_events, write_audit_checkpoint
from threadline.jobs.ticker import Ticker
from threadline.prison.job import run as match_prison
from threadline.scoring.job import run as rescore_groups
from threadline.settings import Settings
from threadline.tripwires.job import run as match_tripwires

JOBS: tuple[tuple[str, Job], ...] = (
    ("audit-seal", seal_audit_events),  # audit events left pending by a stopped process
    ("tripwires", match_tripwires),
    ("prison", match_prison),
    ("briefings", compile_briefings),
    ("digests", send_digests),
    ("ocg-scores", rescore_groups),  # OCG mapping scores follow the data
    ("county-lines", follow_county_lines),  # line statuses follow disruptions, activity
    ("audit", write_audit_checkpoint),
)


def tick(
    engine: Engine,
    *,
    settings: Settings,
    now: datetime | None = None,
    only: tuple[str, ...] = (),
) -> list[JobResult]:
    """Run each job (or only those named) once at `now` (naive UTC; default: now)."""
    return run_jobs(engine, JOBS, settings=settings, now=now, only=only)


def ticker(engine: Engine, settings: Settings, *, interval: float) -> Ticker:
    """A (not yet started) background ticker running the schedule every `interval` s."""
    return Ticker(engine, settings, interval=interval, jobs=JOBS)
