"""Scheduled work: the runner of `threadline tick`, and what a job reports.

Each job is idempotent (running tick twice in a row does nothing the second time) and
runs in its own transaction, so one failing job never blocks the others. The jobs belong
to the capabilities, which build on this package; the schedule listing them in order is
`threadline.schedule` (above every capability), which `tick`, cron and `serve` use.
"""

from threadline.jobs.result import JobResult
from threadline.jobs.tick import Job, run_jobs, seal_audit_events, write_audit_checkpoint

__all__ = ["Job", "JobResult", "run_jobs", "seal_audit_events", "write_audit_checkpoint"]
