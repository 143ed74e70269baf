"""Benchmark the check over HTTP: /api/v1/check beside the no-op /api/v1/health.

Serves the real application (`threadline serve`, one uvicorn process) over a COPY of the
look-up benchmark's database (benchmarks/data/lookup-<size>.db, built by
`bench_lookup.py`'s builder when missing; the original is never written to), with one
frontline officer and an API token added to the copy. Then, from this process, it sends
`--requests` varied checks one after another (names typed as officers type them, with or
without a date of birth; phones; vehicle registrations; postcodes; all sampled from the
database) over one keep-alive connection, and before each check one call to the no-op
health endpoint of the same app. The no-op is the FLOOR: what HTTP parsing, routing,
middleware and JSON cost on this machine in this run, so `check/no-op` shows what the
check itself adds (token look-up, search, policy, result cards, the audit write).

    .venv/bin/python benchmarks/bench_http_check.py            # 100,000 and 1,000,000 people
    .venv/bin/python benchmarks/bench_http_check.py --quick    # 100,000 people only
    .venv/bin/python benchmarks/bench_http_check.py --requests 1000
    .venv/bin/python benchmarks/bench_http_check.py --people 1000000   # one size
    .venv/bin/python benchmarks/bench_http_check.py --quick \
        --postgres postgresql://postgres@127.0.0.1:5432/bench   # both databases

With `--postgres URL` each size is also served from that PostgreSQL database, in the same
run and with the same queries: the SQLite copy is copied into it table by table
(everything it held is replaced), so both servers hold the same rows, user and token.
The PostgreSQL figures sit beside the SQLite ones with their ratio (goal, issue 16: name
check p95 on PostgreSQL at most 1.5x SQLite's).

Each request is timed once (not best-of-n: a p95 over HTTP should show the slow ones),
client-side from sending the request to reading the whole body, so it includes the
loopback round trip. The database sits in the OS page cache after the warm-up. The
server's resident memory (VmRSS, and its peak VmHWM) is read from /proc after the
warm-up and after the run. Every check is audited, as in production, so each writes an
audit event to the copy.

The goal (issue 4): at 1,000,000 people, check p95 at most 20 ms and at most 5x the
no-op's p95, with the server under 1 GB resident. Results go to
benchmarks/results/http_check.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psycopg
from bench_lookup import DATA, _label, _sample, ensure_database, name_cases
from serving import serving
from sqlalchemy import func, select

from threadline.accounts import add_user, create_token
from threadline.model.security import system_actor
from threadline.model.values import PhoneNumber
from threadline.storage.db import make_engine, migrate, normalise_url, session_scope
from threadline.storage.tables import PersonRow, UserRow

HERE = Path(__file__).parent
RESULTS = HERE / "results" / "http_check.json"
USERNAME = "officer@norfolk"
ADMIN = system_actor("ersou", "benchmark")
SECRET_KEY = "benchmark-secret-key-not-used-for-anything-real-0123456789"
GOAL_P95_MS = 20.0
GOAL_RATIO = 5.0
GOAL_RSS_MB = 1024.0
GOAL_PG_RATIO = 1.5  # PostgreSQL's name check p95 over SQLite's, same run
KINDS = ("name", "phone", "vrm", "postcode")
TOP = 5  # name results compared between SQLite and PostgreSQL (ids and scores)


# ------------------------------------------------------------------------- the database


def prepare_copy(source: Path, target: Path) -> str:
    """Copy `source` to `target` (SQLite's backup API: consistent even with a WAL), bring
    the copy's schema up to date, add a frontline officer and return their API token."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    engine = make_engine(str(target))
    try:
        migrate(engine)  # the source may predate the accounts tables
        with session_scope(engine) as session:
            add_user(
                session,
                actor=ADMIN,
                username=USERNAME,
                display_name="Benchmark Officer",
                agency_code="norfolk",
                roles=["frontline"],
                clearance="OFFICIAL-SENSITIVE",
                password="benchmark officer passphrase never used",
            )
        with session_scope(engine) as session:
            return create_token(session, actor=ADMIN, username=USERNAME, label="benchmark")
    finally:
        engine.dispose()


def copy_to_postgres(source: Path, url: str) -> None:
    """Replace everything in the PostgreSQL database at `url` with the rows of `source`.

    The schema is Threadline's own (migrated here); every table the two share is
    emptied and refilled by COPY, with foreign keys unchecked while it loads (the rows
    come from a consistent database), then the id sequences are moved past the copied
    ids and the planner's statistics refreshed.
    """
    engine = make_engine(url)
    try:
        migrate(engine)
    finally:
        engine.dispose()
    dsn = normalise_url(url).replace("postgresql+psycopg://", "postgresql://", 1)
    with sqlite3.connect(source) as lite, psycopg.connect(dsn) as pg:
        lite_tables = {
            name for (name,) in lite.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        columns: dict[str, list[str]] = {}
        for table, column in pg.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
        ):
            if table in lite_tables and table != "alembic_version":
                columns.setdefault(table, []).append(column)
        pg.execute("SET session_replication_role = replica")  # no FK triggers while loading
        pg.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in columns) + " CASCADE")
        for table, names in columns.items():
            have = {row[1] for row in lite.execute(f'PRAGMA table_info("{table}")')}
            shared = [n for n in names if n in have]
            quoted = ", ".join(f'"{n}"' for n in shared)
            with pg.cursor().copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                for row in lite.execute(f'SELECT {quoted} FROM "{table}"'):
                    copy.write_row(row)
        for table, names in columns.items():
            for name in names:
                (sequence,) = pg.execute(
                    "SELECT pg_get_serial_sequence(%s, %s)", (f'"{table}"', name)
                ).fetchone() or (None,)
                if sequence:
                    pg.execute(
                        f'SELECT setval(%s, coalesce(max("{name}"), 0) + 1, false) FROM "{table}"',
                        (sequence,),
                    )
        pg.execute("SET session_replication_role = DEFAULT")
        pg.commit()
        pg.autocommit = True
        pg.execute("VACUUM ANALYZE")
    lite.close()


def reused_postgres(url: str, people: int) -> str | None:
    """A new API token for the benchmark officer in the PostgreSQL database at `url` if
    it already holds a copy of `people` people with that officer (an earlier run's),
    else None (the copy must be made)."""
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            count = session.scalar(select(func.count()).select_from(PersonRow))
            officer = session.scalar(select(UserRow.id).where(UserRow.username == USERNAME))
            if count != people or not officer:
                return None
        with session_scope(engine) as session:
            print(f"reusing the copy in {url} ({people:,} people)", file=sys.stderr)
            return create_token(session, actor=ADMIN, username=USERNAME, label="benchmark")
    except Exception:
        return None
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Query:
    kind: str
    params: dict[str, str]


def sample_queries(path: Path, rng: random.Random, per_kind: int) -> list[Query]:
    """`per_kind` checks of each kind, typed as an officer would, in a shuffled order.

    Names come from bench_lookup's cases (exact, typos, nicknames, swapped day and
    month, with and without a date of birth); the rest are records in the database.
    """
    with sqlite3.connect(path) as db:
        names = name_cases(db, rng, per_kind)
        phones = _sample(db, "SELECT number FROM phone", rng, per_kind)
        vrms = _sample(db, "SELECT vrm FROM vehicle", rng, per_kind)
        postcodes = _sample(db, "SELECT postcode FROM location", rng, per_kind)
    db.close()
    queries = [
        Query("name", {"name": c.typed} | ({"dob": c.dob.isoformat()} if c.dob else {}))
        for c in names
    ]
    queries += [Query("phone", {"phone": PhoneNumber.parse(n).national()}) for (n,) in phones]
    queries += [Query("vrm", {"vrm": v.lower()}) for (v,) in vrms]
    queries += [Query("postcode", {"postcode": p.replace(" ", "")}) for (p,) in postcodes]
    rng.shuffle(queries)
    return queries


# ------------------------------------------------------------------------- the server


def cpu_seconds(pid: int) -> float:
    """CPU time the server process has used so far, every thread (ns-exact schedstat)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            continue  # a thread that ended while being read
    return total / 1e9


def memory_mb(pid: int) -> dict[str, float]:
    """The process's resident memory now (VmRSS) and at its peak (VmHWM), in MB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in {"VmRSS", "VmHWM"}:
            found[key] = round(int(value.split()[0]) / 1024, 1)  # kB
    return {"rss_mb": found["VmRSS"], "peak_rss_mb": found["VmHWM"]}


# ------------------------------------------------------------------------- the client


class Client:
    """One keep-alive HTTP/1.1 connection; `get` returns (status, body, milliseconds)."""

    def __init__(self, port: int, token: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}

    def get(self, path: str, params: dict[str, str] | None = None) -> tuple[int, bytes, float]:
        url = f"{path}?{urlencode(params)}" if params else path
        started = time.perf_counter()
        self.conn.request("GET", url, headers=self.headers)
        response = self.conn.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000.0
        return response.status, body, elapsed

    def close(self) -> None:
        self.conn.close()


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def _stats(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50_ms": round(statistics.median(values), 3),
        "p95_ms": round(p95(values), 3),
        "max_ms": round(max(values), 3),
    }


def drive(client: Client, queries: Sequence[Query]) -> dict[str, Any]:
    """Each query as a check, each after one no-op call; latencies and what was found."""
    health: list[float] = []
    checks: dict[str, list[float]] = {kind: [] for kind in KINDS}
    found = dict.fromkeys(KINDS, 0)
    tops: list[list[tuple[object, object]]] = []  # per name check: its first results
    failures: list[str] = []
    for query in queries:
        status, _, elapsed = client.get("/api/v1/health")
        if status != 200:
            failures.append(f"health: HTTP {status}")
        health.append(elapsed)
        params = {"reason": "stop", "purpose": "benchmark", **query.params}
        status, body, elapsed = client.get("/api/v1/check", params)
        if status != 200:
            failures.append(f"check {query.params}: HTTP {status} {body[:200]!r}")
            continue
        checks[query.kind].append(elapsed)
        results = json.loads(body)["results"]
        found[query.kind] += bool(results)
        if query.kind == "name":
            tops.append([(r["record"].get("id"), r["score"]) for r in results[:TOP]])
    every = [ms for kind in KINDS for ms in checks[kind]]
    return {
        "health": _stats(health),
        "check": _stats(every),
        "check_by_kind": {
            kind: _stats(ms) | {"with_results": found[kind]} for kind, ms in checks.items() if ms
        },
        "failures": failures,
        "name_tops": tops,
    }


# ------------------------------------------------------------------------- one size


def run_size(people: int, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    label = _label(people)
    source = DATA / f"lookup-{label}.db"
    build_seconds = ensure_database(source, people, args.seed, rebuild=False)
    copy = workdir / f"http-check-{label}.db"
    print(f"copying {source} to {copy} and adding {USERNAME}...", file=sys.stderr)
    token = prepare_copy(source, copy)
    rng = random.Random(args.seed + 2)
    per_kind = max(1, args.requests // len(KINDS))
    warmup = sample_queries(copy, rng, max(1, args.warmup // len(KINDS)))
    queries = sample_queries(copy, rng, per_kind)

    print(f"serving {copy} ({people:,} people)...", file=sys.stderr)
    run = {
        "people": people,
        "database": _shown(source),
        "database_mb": round(source.stat().st_size / 1e6, 1),
        "build_seconds": round(build_seconds, 1) if build_seconds is not None else None,
        "warmup_requests": len(warmup),
        **measure(copy, token, warmup, queries, workdir / f"server-{label}.log"),
    }
    if args.postgres:
        pg_token = reused_postgres(args.postgres, people) if args.reuse_postgres else None
        if pg_token is None:
            print(f"copying {copy} into {args.postgres}...", file=sys.stderr)
            started = time.perf_counter()
            copy_to_postgres(copy, args.postgres)
            run["postgresql_copy_seconds"] = round(time.perf_counter() - started, 1)
            pg_token = token
        print(f"serving {args.postgres} ({people:,} people)...", file=sys.stderr)
        pg = measure(args.postgres, pg_token, warmup, queries, workdir / f"server-{label}-pg.log")
        name_p95 = pg["check_by_kind"]["name"]["p95_ms"]
        same = sum(a == b for a, b in zip(run["name_tops"], pg.pop("name_tops"), strict=True))
        run["postgresql"] = pg | {
            "name_p95_over_sqlite": round(name_p95 / run["check_by_kind"]["name"]["p95_ms"], 2),
            "name_same_top_results": f"{same} of {len(run['name_tops'])}",
        }
    run.pop("name_tops")
    return run


def measure(
    database: Path | str,
    token: str,
    warmup: Sequence[Query],
    queries: Sequence[Query],
    log: Path,
) -> dict[str, Any]:
    """Serve `database`, warm it up, then time `queries`: latencies and server memory."""
    env = os.environ | {"THREADLINE_SECRET_KEY": SECRET_KEY, "THREADLINE_DEMO_MODE": "false"}
    with serving(database, log, env=env, wait=60) as server:
        pid, port = server.pid, server.port
        client = Client(port, token)
        try:
            warm = drive(client, warmup)
            if warm["failures"]:
                raise RuntimeError(f"warm-up failed: {warm['failures'][:3]}")
            after_warmup = memory_mb(pid)
            measured = drive(client, queries)
            after_run = memory_mb(pid)
            cpu = cpu_per_request(pid, client, queries)
        finally:
            client.close()
    check_p95, health_p95 = measured["check"]["p95_ms"], measured["health"]["p95_ms"]
    check_p50, health_p50 = measured["check"]["p50_ms"], measured["health"]["p50_ms"]
    return {
        "memory_after_warmup": after_warmup,
        "memory_after_run": after_run,
        **measured,
        "ratio_p50": round(check_p50 / health_p50, 1),
        "ratio_p95": round(check_p95 / health_p95, 1),
        "server_cpu": cpu,
    }


def cpu_per_request(pid: int, client: Client, queries: Sequence[Query]) -> dict[str, float]:
    """The server's CPU time per no-op and per check: `queries` again, first as as many
    no-ops alone, then as checks alone, reading the server's CPU time around each."""
    started = cpu_seconds(pid)
    for _ in queries:
        client.get("/api/v1/health")
    health = (cpu_seconds(pid) - started) * 1000.0 / len(queries)
    started = cpu_seconds(pid)
    for query in queries:
        client.get("/api/v1/check", {"reason": "stop", "purpose": "benchmark", **query.params})
    check = (cpu_seconds(pid) - started) * 1000.0 / len(queries)
    return {
        "health_ms": round(health, 3),
        "check_ms": round(check, 3),
        "ratio": round(check / health, 1),
    }


def verdict(run: dict[str, Any]) -> dict[str, Any]:
    """Whether one size's run meets the goal, point by point."""
    peak = max(run["memory_after_warmup"]["peak_rss_mb"], run["memory_after_run"]["peak_rss_mb"])
    points = {
        f"check p95 <= {GOAL_P95_MS:g} ms": run["check"]["p95_ms"] <= GOAL_P95_MS,
        f"check p95 <= {GOAL_RATIO:g}x no-op p95": run["ratio_p95"] <= GOAL_RATIO,
        f"server CPU per check <= {GOAL_RATIO:g}x no-op's": run["server_cpu"]["ratio"]
        <= GOAL_RATIO,
        f"server peak RSS < {GOAL_RSS_MB:g} MB": peak < GOAL_RSS_MB,
        "every request answered 200": not run["failures"],
    }
    if "name_p95_over_sqlite" in run:
        points[f"name check p95 <= {GOAL_PG_RATIO:g}x SQLite's"] = (
            run["name_p95_over_sqlite"] <= GOAL_PG_RATIO
        )
    return {"people": run["people"], "points": points, "met": all(points.values())}


def machine() -> dict[str, Any]:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.partition(":")[2].strip()
                break
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9, 1),
        "arch": platform.machine(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the check over HTTP.")
    parser.add_argument("--quick", action="store_true", help="Use 100,000 people only.")
    parser.add_argument(
        "--people",
        type=int,
        action="append",
        help="Measure this many people (repeatable; default 100,000 and 1,000,000).",
    )
    parser.add_argument(
        "--requests", type=int, default=400, help="Checks timed per size (and as many no-ops)."
    )
    parser.add_argument(
        "--warmup", type=int, default=80, help="Checks (and no-ops) sent before timing."
    )
    parser.add_argument("--seed", type=int, default=20261126, help="Seed for data and queries.")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="Also serve each size from this PostgreSQL database (its contents are replaced).",
    )
    parser.add_argument(
        "--reuse-postgres",
        action="store_true",
        help="Serve the PostgreSQL copy an earlier run left if it holds as many people "
        "(copying 1,000,000 people takes minutes).",
    )
    parser.add_argument(
        "--output", type=Path, default=RESULTS, help=f"Where to write the results ({RESULTS.name})."
    )
    args = parser.parse_args(argv)
    sizes = args.people or ([100_000] if args.quick else [100_000, 1_000_000])

    runs = {}
    with tempfile.TemporaryDirectory(prefix="http-check-", dir=DATA) as tmp:
        for people in sizes:
            runs[_label(people)] = run_size(people, args, Path(tmp))
    pg_runs = {
        label: run["postgresql"] | {"people": run["people"]}
        for label, run in runs.items()
        if "postgresql" in run
    }
    goal = verdict(runs["1m"]) if "1m" in runs else None
    output = {
        "date": date.today().isoformat(),
        "machine": machine(),
        "requests": args.requests,
        "client": "http.client, one keep-alive connection, sequential, from the same machine",
        "server": "threadline serve (uvicorn, 1 process), SQLite copy of the look-up database"
        + (" and a PostgreSQL copy of that copy" if args.postgres else ""),
        "postgresql": _pg_version(args.postgres) if args.postgres else None,
        "goal": {
            "at": "1,000,000 people",
            "check_p95_ms": GOAL_P95_MS,
            "ratio_p95": GOAL_RATIO,
            "rss_mb": GOAL_RSS_MB,
            "postgresql_name_p95_over_sqlite": GOAL_PG_RATIO,
        },
        "runs": runs,
        "verdicts": {label: verdict(run) for label, run in runs.items()}
        | {f"{label} postgresql": verdict(run) for label, run in pg_runs.items()},
        "goal_met": goal["met"] if goal else None,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(output, indent=2) + "\n")
    print_table(output)
    return 0


def _pg_version(url: str) -> str:
    dsn = normalise_url(url).replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(dsn) as pg:
        row = pg.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "unknown"


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def print_table(output: dict[str, Any]) -> None:
    m = output["machine"]
    print(f"\n{m['cpu']} ({m['cores']} cores, {m['memory_gb']} GB), Python {m['python']}, ", end="")
    print(f"SQLite {m['sqlite']}; {output['requests']} checks per size")
    header = (
        f"{'people':>10} {'endpoint':18} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
        f"{'found':>6} {'RSS MB':>8} {'peak MB':>8}"
    )
    print(header)
    print("-" * len(header))
    for run in output["runs"].values():
        mem = run["memory_after_run"]
        rows = [("no-op /health", run["health"], ""), ("check (all)", run["check"], "")]
        rows += [
            (f"  {kind}", s, str(s["with_results"])) for kind, s in run["check_by_kind"].items()
        ]
        for i, (name, s, found) in enumerate(rows):
            people = f"{run['people']:,}" if i == 0 else ""
            memory = f"{mem['rss_mb']:>8.0f} {mem['peak_rss_mb']:>8.0f}" if i == 0 else ""
            print(
                f"{people:>10} {name:18} {s['n']:>5} {s['p50_ms']:>8.2f} {s['p95_ms']:>8.2f} "
                f"{s['max_ms']:>8.2f} {found:>6} {memory}"
            )
        print(
            f"{'':>10} {'check / no-op':18} {'':>5} {run['ratio_p50']:>7.1f}x "
            f"{run['ratio_p95']:>7.1f}x"
        )
        cpu = run["server_cpu"]
        print(
            f"{'':>10} server CPU per request: no-op {cpu['health_ms']:.2f} ms, check "
            f"{cpu['check_ms']:.2f} ms ({cpu['ratio']:.1f}x)"
        )
        if run["failures"]:
            print(f"{'':>10} {len(run['failures'])} failed requests, e.g. {run['failures'][0]}")
        pg = run.get("postgresql")
        if pg:
            pg_rows = [("PG no-op", pg["health"]), ("PG check (all)", pg["check"])]
            pg_rows += [(f"  PG {kind}", s) for kind, s in pg["check_by_kind"].items()]
            for name, s in pg_rows:
                print(
                    f"{'':>10} {name:18} {s['n']:>5} {s['p50_ms']:>8.2f} {s['p95_ms']:>8.2f} "
                    f"{s['max_ms']:>8.2f}"
                )
            cpu = pg["server_cpu"]
            print(
                f"{'':>10} PG check / no-op p50 {pg['ratio_p50']:.1f}x, p95 "
                f"{pg['ratio_p95']:.1f}x; server CPU per request: no-op "
                f"{cpu['health_ms']:.2f} ms, check {cpu['check_ms']:.2f} ms ({cpu['ratio']:.1f}x)"
            )
            print(
                f"{'':>10} PostgreSQL name p95 / SQLite name p95: "
                f"{pg['name_p95_over_sqlite']:.2f}x (goal <= {GOAL_PG_RATIO:g}x); same top "
                f"{TOP} name results on both: {pg['name_same_top_results']}"
            )
            if pg["failures"]:
                print(f"{'':>10} {len(pg['failures'])} failed on PostgreSQL: {pg['failures'][0]}")
    for label, v in output["verdicts"].items():
        marks = "; ".join(f"{point}: {'yes' if ok else 'NO'}" for point, ok in v["points"].items())
        print(f"\n{label}: {marks}")
    if output["goal_met"] is not None:
        print(f"goal at 1,000,000 people {'met' if output['goal_met'] else 'NOT met'}")


if __name__ == "__main__":
    raise SystemExit(main())
