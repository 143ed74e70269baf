"""Scheduled work: `threadline tick` runs every job once; cron, a timer or `serve` call it.

Each job is idempotent (running tick twice in a row does nothing the second time) and
runs in its own transaction, so one failing job never blocks the others.
"""

from threadline.jobs.result import JobResult
from threadline.jobs.tick import JOBS, tick

__all__ = ["JOBS", "JobResult", "tick"]
