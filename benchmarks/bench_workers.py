"""Audited requests per second with 1, 2 and 4 server workers (issue 16 item 5).

Every audited request appends an event to the audit log. On SQLite it is chained at once
under the database write lock. On PostgreSQL it is appended without any lock and, after
its request's commit, sealed into the hash chain under one advisory lock held only for
the seal's short transaction (`threadline.audit.sealing`), one seal taking every pending
event. This measures whether workers scale, and how busy that lock still is.

For each database (PostgreSQL with `--postgres URL`, and SQLite unless `--no-sqlite`) and
each worker count N (`--workers 1 2 4`), it serves a copy of bench_lookup's database of
`--people` people (10,000 by default; built when missing) with `threadline serve
--workers N`, warms up, then K client threads (`--clients`, default 8), each on its own
keep-alive connection, send audited checks (`/api/v1/check` with a frontline officer's
token, varied names, phones, vehicles and postcodes) for `--seconds` (default 20).
Reported per N: requests per second, p50 and p95 latency, errors (anything but 200) and
the audit events written (one per check: none lost) and, on PostgreSQL, those still
not sealed once the checks stop (each request seals before it answers: 0). The FLOOR,
in the same run with the same server and clients, is the no-op `/api/v1/health` (no
database, no audit) for a quarter of the time: what the machine's CPU allows at N
workers with no lock at all.
On PostgreSQL a sampler also reads `pg_locks` every 20 ms while the checks run: the
mean number of requests waiting for the audit chain's advisory lock (to seal), and the
share of samples in which the lock was held at all (near 1.0: the lock is busy all the
time, and the chain, not the CPU, bounds the rate).

    .venv/bin/python benchmarks/bench_workers.py \
        --postgres postgresql://postgres@127.0.0.1:5432/bench_workers

Bounded: loopback only, fixed duration, everything on copies. Results go to
benchmarks/results/workers.json with the machine's load (`os.getloadavg`) before and
after each run: the machine is shared, so the figures are rough.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import psycopg
from bench_http_check import (
    SECRET_KEY,
    Client,
    Query,
    copy_to_postgres,
    prepare_copy,
    sample_queries,
)
from bench_lookup import DATA, _label, ensure_database
from serving import serving

from threadline.audit.chain import CHAIN_LOCK_KEY
from threadline.storage.db import normalise_url

HERE = Path(__file__).parent
RESULTS = HERE / "results" / "workers.json"


def serve_env() -> dict[str, str]:
    """The server's environment: no jobs beside the measurement."""
    return os.environ | {
        "THREADLINE_SECRET_KEY": SECRET_KEY,
        "THREADLINE_DEMO_MODE": "false",
        "THREADLINE_TICK_INTERVAL_SECONDS": "0",
    }


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def hammer(
    port: int, token: str, queries: Sequence[Query], clients: int, seconds: float, path: str
) -> dict[str, Any]:
    """`clients` threads sending requests for `seconds`: rate, latencies, errors."""
    stop = time.monotonic() + seconds
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors: list[int] = [0] * clients

    def client(index: int) -> None:
        rng = random.Random(index)
        conn = Client(port, token)
        try:
            while time.monotonic() < stop:
                if path == "/api/v1/check":
                    params = {"reason": "stop", "purpose": "benchmark"}
                    status, _, ms = conn.get(path, params | rng.choice(queries).params)
                else:
                    status, _, ms = conn.get(path)
                if status == 200:
                    latencies[index].append(ms)
                else:
                    errors[index] += 1
        finally:
            conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    every = [ms for own in latencies for ms in own]
    return {
        "requests": len(every),
        "per_second": round(len(every) / elapsed, 1),
        "p50_ms": round(statistics.median(every), 2) if every else None,
        "p95_ms": round(p95(every), 2) if every else None,
        "errors": sum(errors),
    }


class LockSampler:
    """Reads how many sessions wait for the audit chain's advisory lock, every 20 ms."""

    def __init__(self, url: str) -> None:
        self.dsn = normalise_url(url).replace("postgresql+psycopg://", "postgresql://", 1)
        self.samples: list[int] = []
        self.held: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> LockSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            while not self._stop.wait(0.02):
                waiting, held = conn.execute(
                    "SELECT count(*) FILTER (WHERE NOT granted), count(*) FILTER (WHERE granted) "
                    "FROM pg_locks WHERE locktype = 'advisory' AND objid = %s "
                    # pg_locks is the whole server's: only this database's chain.
                    "AND database = (SELECT oid FROM pg_database "
                    "WHERE datname = current_database())",
                    (CHAIN_LOCK_KEY,),
                ).fetchone() or (0, 0)
                self.samples.append(int(waiting))
                self.held.append(int(held))

    def mean(self) -> float:
        return round(statistics.fmean(self.samples), 2) if self.samples else 0.0

    def held_fraction(self) -> float:
        """The share of samples in which some request held the lock (1.0: always busy)."""
        return round(statistics.fmean(self.held), 2) if self.held else 0.0


def audit_events(database: str, where: str = "TRUE") -> int:
    if "://" in database:
        dsn = normalise_url(database).replace("postgresql+psycopg://", "postgresql://", 1)
        with psycopg.connect(dsn) as conn:
            query = f"SELECT count(*) FROM audit_event WHERE {where}"
            (count,) = conn.execute(query).fetchone() or (0,)
            return int(count)
    import sqlite3

    with sqlite3.connect(database) as db:
        (count,) = db.execute("SELECT count(*) FROM audit_event").fetchone()
    db.close()
    return int(count)


def run_backend(
    database: str, token: str, queries: Sequence[Query], args: argparse.Namespace, work: Path
) -> list[dict[str, Any]]:
    rows = []
    postgres = "://" in database
    for workers in args.workers:
        print(f"  {workers} worker(s)...", file=sys.stderr)
        load_before = os.getloadavg()[0]
        log = work / f"server-{workers}.log"
        with serving(database, log, env=serve_env(), workers=workers, wait=180) as server:
            port = server.port
            hammer(port, token, queries, args.clients, args.warmup, "/api/v1/check")
            floor = hammer(port, token, queries, args.clients, args.seconds / 4, "/api/v1/health")
            before = audit_events(database)
            if postgres:
                with LockSampler(database) as sampler:
                    checks = hammer(
                        port, token, queries, args.clients, args.seconds, "/api/v1/check"
                    )
                waiting: float | None = sampler.mean()
                held: float | None = sampler.held_fraction()
                unsealed: int | None = audit_events(database, "chain_seq IS NULL")
            else:
                checks = hammer(port, token, queries, args.clients, args.seconds, "/api/v1/check")
                waiting = held = unsealed = None
            written = audit_events(database) - before
        row = {
            "workers": workers,
            "clients": args.clients,
            "checks": checks,
            "audit_events_written": written,
            "audit_events_unsealed_after": unsealed,
            "floor_health": floor,
            "waiting_for_audit_lock_mean": waiting,
            "audit_lock_held_fraction": held,
            "load_before": round(load_before, 2),
            "load_after": round(os.getloadavg()[0], 2),
        }
        print(f"    {json.dumps(row)}", file=sys.stderr)
        rows.append(row)
    one = rows[0]["checks"]["per_second"] or 1.0
    for row in rows:
        row["speedup_over_one_worker"] = round(row["checks"]["per_second"] / one, 2)
        floor_one = rows[0]["floor_health"]["per_second"] or 1.0
        row["floor_speedup"] = round(row["floor_health"]["per_second"] / floor_one, 2)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--postgres", help="a PostgreSQL database to fill (emptied first)")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    label = _label(args.people)
    source = DATA / f"lookup-{label}.db"
    ensure_database(source, args.people, args.seed, rebuild=False)
    report: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "people": args.people,
        "seconds": args.seconds,
    }
    with tempfile.TemporaryDirectory(prefix="bench-workers-") as tmp:
        work = Path(tmp)
        copy = work / f"workers-{label}.db"
        token = prepare_copy(source, copy)
        queries = sample_queries(copy, random.Random(args.seed), 200)
        if args.postgres:
            print(f"copying into {args.postgres}...", file=sys.stderr)
            copy_to_postgres(copy, args.postgres)
            print("PostgreSQL:", file=sys.stderr)
            report["postgresql"] = run_backend(args.postgres, token, queries, args, work)
        if not args.no_sqlite:
            print("SQLite:", file=sys.stderr)
            report["sqlite"] = run_backend(str(copy), token, queries, args, work)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
