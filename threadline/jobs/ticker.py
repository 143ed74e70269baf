"""Run the jobs in the background of `threadline serve`, every `tick_interval_seconds`.

One daemon thread; each run is a normal `tick` (each job in its own transaction), so a
server and a cron job running tick at the same time do no harm: the jobs are idempotent
and SQLite/PostgreSQL transactions keep them apart.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from sqlalchemy import Engine

from threadline.jobs.result import JobResult
from threadline.jobs.tick import Job, run_jobs
from threadline.settings import Settings

log = logging.getLogger(__name__)


class Ticker:
    """Runs `jobs` every `interval` seconds on a daemon thread until `stop()`."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        *,
        interval: float,
        jobs: Sequence[tuple[str, Job]],
    ) -> None:
        self.engine = engine
        self.jobs = tuple(jobs)
        self.settings = settings
        self.interval = interval
        self.runs = 0
        self.last: list[JobResult] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="threadline-tick", daemon=True)

    def start(self) -> Ticker:
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.last = run_jobs(self.engine, self.jobs, settings=self.settings)
            except Exception:  # the server keeps serving; the next run tries again
                log.exception("tick failed")
            else:
                for result in self.last:
                    if result.error:
                        log.warning("tick job %s failed: %s", result.name, result.error)
            self.runs += 1
            self._stop.wait(self.interval)
