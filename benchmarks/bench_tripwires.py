"""Benchmark tripwire matching: audit events per second against 1,000,000 watched records.

Copies the 1,000,000-person look-up database (benchmarks/data/lookup-1m.db, built by
bench_lookup.py; never written), migrates the copy to the current schema, and adds:

- 100 watching users (LROs of the seven forces and the regional unit), and 1,000,000
  active watches over the records (every person, else a random sample of all records),
  spread across those users;
- N synthetic audit events (default 200,000) after the job's cursor, each a "check" by a
  frontline officer listing 1 to 3 records, of which a share (default 5 %) touch a
  watched record and so must alert its watcher.

It then times, in the same run:

- OURS (job): `threadline.tripwires.job.run` over all N events: the batched matching
  query, policy for each watcher and record, alert rows, audit events and register
  rows, the cursor; one transaction, as `threadline tick` runs it.
- OURS (match): only the matching (`tripwires.matching.collect_hits` per batch), to
  separate the search from what raising alerts costs.
- FLOOR: the bare sqlite3 join of the same batches (`audit_record` range joined to
  `watch` on the indexed entity id), returning ids only.

The goal is at least 10,000 events a second on 2 cores for the job. Results go to
benchmarks/results/tripwires.json.

    .venv/bin/python benchmarks/bench_tripwires.py               # 200,000 events
    .venv/bin/python benchmarks/bench_tripwires.py --events 50000 --hit-share 0.2
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from threadline.settings import Settings
from threadline.storage.db import make_engine, migrate
from threadline.tripwires.job import BATCH_EVENTS
from threadline.tripwires.job import run as run_job
from threadline.tripwires.matching import collect_hits

HERE = Path(__file__).parent
SOURCE = HERE / "data" / "lookup-1m.db"
RESULTS = HERE / "results" / "tripwires.json"
NOW = datetime(2026, 11, 26, 2, 14)
STAMP = "2026-11-26 02:00:00.000000"
WATCHERS = 100
CHUNK = 100_000


def prepare(path: Path, watches: int, events: int, hit_share: float, seed: int) -> dict[str, int]:
    """Users, watches and audit events on the copy at `path`; returns their counts."""
    rng = random.Random(seed)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    forces = db.execute(
        "SELECT id, code FROM agency WHERE kind IN ('force', 'regional_unit') ORDER BY id"
    ).fetchall()
    users = []
    for n in range(WATCHERS + 10):
        agency_id, code = forces[n % len(forces)]
        role = "lro" if n < WATCHERS else "frontline"
        word = "lro" if n < WATCHERS else "officer"
        users.append(
            (f"{word}{n}@{code}", f"User {n}", agency_id, role, "SECRET", "", "x", 0, STAMP)
        )
    db.executemany(
        "INSERT INTO user_account (username, display_name, agency_id, roles, clearance, "
        "home_areas, password_hash, disabled, failed_logins, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
        users,
    )
    user_rows = db.execute(
        "SELECT id, username, agency_id FROM user_account ORDER BY id"
    ).fetchall()
    watchers = [u[0] for u in user_rows[:WATCHERS]]
    officers = user_rows[WATCHERS:]
    codes = dict(forces)
    entity_ids = [row[0] for row in db.execute("SELECT id FROM entity ORDER BY id")]
    people = [row[0] for row in db.execute("SELECT id FROM entity WHERE kind = 'person'")]
    watched = people[:watches] if len(people) >= watches else rng.sample(entity_ids, watches)
    watched_set = set(watched)
    unwatched = [e for e in entity_ids if e not in watched_set]
    for start in range(0, len(watched), CHUNK):
        db.executemany(
            "INSERT INTO watch (entity_id, user_id, reason, source, created_at) "
            "VALUES (?, ?, 'member of a group', 'manual', ?)",
            [
                (eid, watchers[(start + i) % len(watchers)], STAMP)
                for i, eid in enumerate(watched[start : start + CHUNK])
            ],
        )
    (head,) = db.execute("SELECT coalesce(max(id), 0) FROM audit_event").fetchone()
    db.execute(
        "INSERT INTO job_cursor (name, position, updated_at) VALUES ('tripwires', ?, ?)",
        (head, STAMP),
    )
    hits = 0
    for start in range(0, events, CHUNK):
        event_rows, record_rows = [], []
        for event_id in range(head + 1 + start, head + 1 + min(start + CHUNK, events)):
            officer_id, username, agency_id = rng.choice(officers)
            records = set(rng.sample(unwatched, rng.randint(1, 3)))
            if rng.random() < hit_share:
                records.add(rng.choice(watched))
                hits += 1
            ordered = sorted(records)
            event_rows.append(
                (
                    event_id,
                    STAMP,
                    officer_id,
                    username,
                    codes[agency_id],
                    "consultation",
                    "check",
                    json.dumps(ordered),
                    "[]",
                    json.dumps({"query": {"name": "synthetic"}, "shown": len(ordered)}),
                    "0" * 64,
                    f"{event_id:064x}",
                )
            )
            record_rows.extend((event_id, eid) for eid in ordered)
        db.executemany(
            "INSERT INTO audit_event (id, at, actor_id, actor, agency, action, event, records, "
            "recipients, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            event_rows,
        )
        db.executemany("INSERT INTO audit_record (event_id, entity_id) VALUES (?, ?)", record_rows)
    db.commit()
    db.execute("ANALYZE")
    db.close()
    return {"watches": len(watched), "events": events, "hit_events": hits, "head": head}


def floor(path: Path, head: int, events: int) -> float:
    """Seconds for the bare indexed join of every batch (ids only), fastest of 3."""
    db = sqlite3.connect(path)
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for after in range(head, head + events, BATCH_EVENTS):
            db.execute(
                "SELECT r.event_id, r.entity_id, w.id, w.user_id FROM audit_record r "
                "JOIN watch w ON w.entity_id = r.entity_id "
                "WHERE r.event_id > ? AND r.event_id <= ? AND w.ended_at IS NULL",
                (after, min(after + BATCH_EVENTS, head + events)),
            ).fetchall()
        best = min(best, time.perf_counter() - started)
    db.close()
    return best


def match_only(path: Path, head: int, events: int) -> tuple[float, int]:
    """Seconds for `collect_hits` over every batch (fastest of 3), and the hits found."""
    engine = make_engine(str(path))
    best, found = float("inf"), 0
    for _ in range(3):
        with Session(engine) as session:
            started = time.perf_counter()
            found = 0
            for after in range(head, head + events, BATCH_EVENTS):
                hits, _ = collect_hits(
                    session, after=after, upto=min(after + BATCH_EVENTS, head + events)
                )
                found += len(hits)
            best = min(best, time.perf_counter() - started)
    engine.dispose()
    return best, found


def job(path: Path) -> tuple[float, dict[str, int]]:
    """Seconds for one run of the tripwires job over all the events, and its counts."""
    engine = make_engine(str(path))
    settings = Settings(database_url=str(path))
    with Session(engine) as session:
        started = time.perf_counter()
        result = run_job(session, settings=settings, now=NOW)
        session.commit()
        seconds = time.perf_counter() - started
    engine.dispose()
    assert result.error is None, result.error
    return seconds, result.counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark tripwire matching throughput.")
    parser.add_argument("--events", type=int, default=200_000, help="Audit events to match.")
    parser.add_argument("--watches", type=int, default=1_000_000, help="Active watches.")
    parser.add_argument(
        "--hit-share", type=float, default=0.05, help="Share of events touching a watch."
    )
    parser.add_argument("--seed", type=int, default=20261126, help="Seed for the synthesis.")
    parser.add_argument("--source", type=Path, default=SOURCE, help="Database to copy.")
    args = parser.parse_args(argv)
    if not args.source.exists():
        parser.error(f"{args.source} is missing: build it with benchmarks/bench_lookup.py")

    with tempfile.TemporaryDirectory(prefix="bench-tripwires-") as folder:
        path = Path(folder) / "tripwires.db"
        started = time.perf_counter()
        shutil.copyfile(args.source, path)
        engine = make_engine(str(path))
        migrate(engine)
        engine.dispose()
        counts = prepare(path, args.watches, args.events, args.hit_share, args.seed)
        build_seconds = time.perf_counter() - started
        head, events = counts["head"], counts["events"]

        floor_seconds = floor(path, head, events)
        match_seconds, hits = match_only(path, head, events)
        job_seconds, job_counts = job(path)
        size_mb = path.stat().st_size / 1e6

    output = {
        "date": date.today().isoformat(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "machine": platform.machine(),
        "database": "copy of benchmarks/data/lookup-1m.db",
        "database_mb": round(size_mb, 1),
        "build_seconds": round(build_seconds, 1),
        "watches": counts["watches"],
        "events": events,
        "hit_events": counts["hit_events"],
        "batch_events": BATCH_EVENTS,
        "hits_found": hits,
        "job": {
            "seconds": round(job_seconds, 3),
            "events_per_second": round(events / job_seconds),
            "alerts": job_counts.get("alerts", 0),
            "counts": job_counts,
        },
        "match_only": {
            "seconds": round(match_seconds, 3),
            "events_per_second": round(events / match_seconds),
        },
        "floor": {
            "seconds": round(floor_seconds, 3),
            "events_per_second": round(events / floor_seconds),
        },
        "ratio_job_to_floor": round(job_seconds / floor_seconds, 1),
        "ratio_match_to_floor": round(match_seconds / floor_seconds, 1),
        "goal_events_per_second": 10_000,
        "goal_met": events / job_seconds >= 10_000,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(output, indent=2) + "\n")
    print(
        f"\n{output['watches']:,} watches, {events:,} events ({counts['hit_events']:,} touching "
        f"a watch), batches of {BATCH_EVENTS:,}"
    )
    for label, key in (("job (alerts)", "job"), ("match only", "match_only"), ("floor", "floor")):
        r = output[key]
        assert isinstance(r, dict)
        print(f"{label:14} {r['seconds']:>8.3f} s {r['events_per_second']:>12,} events/s")
    print(
        f"job/floor {output['ratio_job_to_floor']}x, match/floor "
        f"{output['ratio_match_to_floor']}x; goal 10,000 events/s met: {output['goal_met']}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
