"""Two ticks asked for at once run a job once: the second, having waited for the first
(which started after it was asked for), finds the work done and does not run it again.
A tick asked for after a run has started runs the job again (new work may be due)."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from threadline import schedule
from threadline.jobs import JobResult
from threadline.schedule import tick
from threadline.settings import Settings


def test_a_tick_that_waited_for_a_run_started_after_it_was_asked_skips_the_job(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[float] = []
    entered = threading.Event()

    def slow(session: Session, **_: object) -> JobResult:
        calls.append(time.monotonic())
        entered.set()
        time.sleep(0.5)
        return JobResult(name="slow", counts={"done": 1})

    monkeypatch.setattr(schedule, "JOBS", (("slow", slow),))
    results: list[list[JobResult]] = []
    # The first tick is asked for and waits for the lock held by a run asked for before
    # it: the seed run below, which holds the lock when the two others are asked for.
    seed = threading.Thread(target=lambda: results.append(tick(engine, settings=Settings())))
    seed.start()
    assert entered.wait(30)
    waiting = [
        threading.Thread(target=lambda: results.append(tick(engine, settings=Settings())))
        for _ in range(2)
    ]
    for thread in waiting:
        thread.start()
    for thread in (seed, *waiting):
        thread.join(60)
    # Both were asked for while the seed ran: the first to get the lock runs the job
    # again (the seed started before they were asked), the other finds it done.
    assert len(calls) == 2
    notes = [r.notes for run in results for r in run if not r.counts]
    assert notes == [["another process ran it meanwhile; nothing left to do"]]
    # A tick asked for afterwards runs the job: ticks one after another always run.
    (later,) = tick(engine, settings=Settings())
    assert later.counts == {"done": 1} and len(calls) == 3
