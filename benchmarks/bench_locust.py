"""Load test with locust: 200 simulated users for 5 minutes, beside `tick` and an import.

Headless, bounded and loopback only. It builds (or reuses) the demo region, upgrades its
schema (`threadline init`), gives every simulated user an account of its own (copies of
the demo's officers, partners and analysts, with the demo password) and the officers and
analysts fresh bearer tokens, serves it with `threadline serve` on 127.0.0.1 (`--workers`;
its in-process ticker off: `tick` runs as cron would run it), and runs at once:

- locust (benchmarks/locustfile.py) as a subprocess, `--users` users spawned at
  `--spawn-rate` for `--seconds`: officers checking (the API check with a bearer token and a
  reason, and the check page, signed in), partners reading digests and threat notices,
  analysts submitting graded intelligence;
- `threadline tick` every `--tick-every` seconds;
- one `threadline import` of a fresh persons file (`--rows` rows, a new source system each
  run), a third of the way in.

Then it stops everything, runs `threadline audit verify`, and writes
benchmarks/results/locust_<db>.json (`--quick`: locust_<db>-quick.json): p50/p95 per route
as locust saw them and as the server logged them, request and error counts, the errors
themselves, the server's 5xx and tracebacks, tick and import outcomes, and the machine's
load sampled every 5 s. Goal: no error of any kind and `audit verify` passing.

    .venv/bin/python benchmarks/bench_locust.py --quick           # 20 users, 20 s, SQLite
    .venv/bin/python benchmarks/bench_locust.py                   # 200 users, 5 min, SQLite
    .venv/bin/python benchmarks/bench_locust.py --db postgresql \\
        --postgres-url postgresql://postgres@127.0.0.1:5432/tl_bench --workers 2

SQLite: the demo is built once into `--work` (demo-<people>.db) and copied for each run.
PostgreSQL: the database at `--postgres-url` is used as it is if it holds the demo region
(built with this script's keys), else the demo is built into it; `--rebuild` empties it
first. Nothing leaves the machine: the server and locust talk over 127.0.0.1.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from bench_load import _tracebacks, percentile  # noqa: E402
from serving import serving  # noqa: E402
from synth_persons import write_persons  # noqa: E402

RESULTS = HERE / "results"
BIN = Path(sys.executable).parent
THREADLINE = BIN / "threadline"
LOCUST = BIN / "locust"
LOCUSTFILE = HERE / "locustfile.py"
AUDIT_KEY = "bench-locust-audit-key-kept-outside-the-database-0123456789"
ENV = os.environ | {
    "THREADLINE_SECRET_KEY": "bench-locust-secret-key-long-enough-for-hmac-signing-0123456789",
    "THREADLINE_AUDIT_KEY": AUDIT_KEY,
    # The demo region is served in demo mode (its password; cookies over plain http on
    # 127.0.0.1); `tick` is run below, as cron would, not inside the server.
    "THREADLINE_DEMO_MODE": "true",
    "THREADLINE_TICK_INTERVAL_SECONDS": "0",
}
# Forces whose officers and analysts take part (the regional unit has no patrol areas).
FORCES = ("bedfordshire", "cambridgeshire", "essex", "hertfordshire", "kent", "norfolk", "suffolk")


def threadline(db: str, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(THREADLINE), "--db", db, *args],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=timeout,
    )


# ------------------------------------------------------------------------- the database


def sqlite_database(work: Path, people: int, run_dir: Path) -> str:
    """A copy of the demo region of `people` people, built into `work` once."""
    cached = work / f"demo-{people}.db"
    if not cached.exists():
        print(f"building the demo region of {people:,} people into {cached} ...", flush=True)
        partial = work / f"demo-{people}.building.db"
        for stale in work.glob(partial.name + "*"):
            stale.unlink()
        done = threadline(str(partial), "demo", "--people", str(people), "--no-serve", timeout=1800)
        if done.returncode != 0:
            raise RuntimeError(f"demo failed:\n{(done.stdout + done.stderr)[-2000:]}")
        for built in work.glob(partial.name + "*"):  # the database and its checkpoint file
            built.rename(work / built.name.replace(partial.name, cached.name))
    target = run_dir / "locust.db"
    for source in work.glob(cached.name + "*"):
        shutil.copy2(source, run_dir / source.name.replace(cached.name, target.name))
    return str(target)


def postgres_database(url: str, people: int, rebuild: bool) -> str:
    """The demo region in the PostgreSQL database at `url` (built if not there)."""
    from sqlalchemy import text

    from threadline.storage.db import make_engine, session_scope
    from threadline.storage.reference import holds_demo_region

    engine = make_engine(url)
    try:
        if rebuild:
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
            demo = False
        else:
            try:
                with session_scope(engine) as session:
                    demo = holds_demo_region(session)
            except Exception:  # no schema yet
                demo = False
    finally:
        engine.dispose()
    if not demo:
        print(f"building the demo region of {people:,} people into {url} ...", flush=True)
        done = threadline(url, "demo", "--people", str(people), "--no-serve", timeout=1800)
        if done.returncode != 0:
            raise RuntimeError(f"demo failed:\n{(done.stdout + done.stderr)[-2000:]}")
    return url


def accounts_like(
    session: Any, template: str, count: int, *, actor: Any, start: int = 0
) -> list[str]:
    """`count` accounts like the demo's `template` (its organisation, roles, clearance, areas
    and password), named `<word><n>@<org>`; made once, kept for later runs."""
    from sqlalchemy import select

    from threadline.accounts.users import check_new_user, create_user
    from threadline.storage.tables import AgencyRow, UserRow

    row = session.scalar(select(UserRow).where(UserRow.username == template))
    if row is None:
        raise RuntimeError(f"no demo account {template}: is this the demo region?")
    agency = session.get_one(AgencyRow, row.agency_id)
    word, org = template.split("@", 1)
    names = [f"{word}{n}@{org}" for n in range(start, start + count)]
    taken = set(session.scalars(select(UserRow.username).where(UserRow.username.in_(names))))
    for name in names:
        if name in taken:
            continue
        new = check_new_user(
            session,
            username=name,
            display_name=f"Load {name}",
            agency=agency,
            roles=row.roles.split(","),
            clearance=row.clearance,
            home_areas=[area for area in row.home_areas.split(",") if area],
            unit=row.unit,
        )
        # The template's hash: the demo password, without a slow argon2 hash each.
        create_user(session, actor=actor, new=new, password_hash=row.password_hash)
    return names


def fixture(db: str, users: int, rng: random.Random) -> dict[str, Any]:
    """What locust's users need: an account of their own each (bearer tokens made afresh
    for officers and analysts), names and phones to check, records to report on."""
    from sqlalchemy import text

    from threadline.accounts import create_token
    from threadline.audit.keys import use_chain_key
    from threadline.demo.accounts import OFFICER_AREAS
    from threadline.model.security import system_actor
    from threadline.storage.db import make_engine, session_scope

    engine = make_engine(db)
    use_chain_key(engine, AUDIT_KEY)  # this process signs its audit events like the server
    admin = system_actor("ersou", "bench-locust")
    # As many accounts of each kind as locust makes users of it (weights 14, 4, 2 of 20).
    wanted = {kind: -(-users * weight // 20) for kind, weight in (("o", 14), ("p", 4), ("a", 2))}
    try:
        with session_scope(engine) as session:
            people = session.execute(
                text("SELECT given_names, family_name FROM person ORDER BY random() LIMIT 400")
            ).all()
            phones = list(
                session.scalars(text("SELECT number FROM phone ORDER BY random() LIMIT 100"))
            )
            # Partners with digests; those a notice names as its audience first.
            told = set(
                session.scalars(text("SELECT code FROM notice_audience WHERE kind = 'agency'"))
            )
            partner_templates = sorted(
                session.scalars(
                    text(
                        "SELECT DISTINCT u.username FROM user_account u"
                        " JOIN digest d ON d.agency_id = u.agency_id"
                        " WHERE u.username LIKE 'partner@%'"
                    )
                ),
                key=lambda username: (username.split("@", 1)[1] not in told, username),
            )
            subjects = {
                force: list(
                    session.scalars(
                        text(
                            "SELECT p.entity_id FROM person p"
                            " JOIN entity e ON e.id = p.entity_id"
                            " JOIN agency a ON a.id = e.owner_id"
                            " WHERE a.code = :force AND e.marking = 'OFFICIAL'"
                            " ORDER BY p.entity_id LIMIT 200"
                        ),
                        {"force": force},
                    )
                )
                for force in FORCES
            }

        def spread(templates: list[str], total: int) -> list[str]:
            """`total` accounts shared out over the templates, in turn (as locust takes them)."""
            made: list[list[str]] = []
            for index, template in enumerate(templates):
                share = total // len(templates) + (1 if index < total % len(templates) else 0)
                with session_scope(engine) as session:
                    made.append(accounts_like(session, template, share, actor=admin))
            return [name for turn in itertools.zip_longest(*made) for name in turn if name]

        def with_token(username: str) -> dict[str, Any]:
            with session_scope(engine) as session:
                token = create_token(session, actor=admin, username=username, label="locust")
            return {"username": username, "token": token, "force": username.split("@", 1)[1]}

        officers = [
            with_token(name) for name in spread([f"officer@{f}" for f in FORCES], wanted["o"])
        ]
        analysts = [
            with_token(name) for name in spread([f"analyst@{f}" for f in FORCES], wanted["a"])
        ]
        partners = [{"username": name} for name in spread(partner_templates, wanted["p"])]
    finally:
        engine.dispose()
    for analyst in analysts:
        analyst["subjects"] = subjects[analyst["force"]]
        analyst["areas"] = list(OFFICER_AREAS[analyst["force"]])
    names = [f"{given.split(' ')[0]} {family}".strip() for given, family in people if family]
    rng.shuffle(names)
    return {
        "password": ENV.get("THREADLINE_DEMO_PASSWORD", "threadline-demo"),
        "officers": officers,
        "analysts": analysts,
        "partners": partners,
        "names": names,
        "phones": phones,
    }


# ------------------------------------------------------------------------- the server


def serve_supports_workers() -> bool:
    done = subprocess.run(
        [str(THREADLINE), "serve", "--help"], capture_output=True, text=True, env=ENV, timeout=60
    )
    return "--workers" in done.stdout


# ------------------------------------------------------------------------- beside locust


def ticking(db: str, every: float, stop: threading.Event, out: dict[str, Any]) -> None:
    """`threadline tick` every `every` seconds (start to start), as cron would."""
    runs: list[dict[str, Any]] = []
    while not stop.wait(every):
        started = time.perf_counter()
        try:
            done = threadline(db, "tick", "--json", timeout=300)
        except subprocess.TimeoutExpired:
            runs.append({"seconds": 300.0, "exit_code": -1, "tail": "timed out after 300 s"})
            continue
        runs.append(
            {
                "seconds": round(time.perf_counter() - started, 2),
                "exit_code": done.returncode,
                "tail": (done.stdout + done.stderr)[-300:]
                if done.returncode or "Traceback" in done.stderr
                else "",
            }
        )
    out["runs"] = len(runs)
    out["crashed"] = sum(1 for run in runs if run["exit_code"] != 0 or run["tail"])
    out["seconds"] = [run["seconds"] for run in runs]
    out["failures"] = [run["tail"] for run in runs if run["tail"]][:3]


def importing(
    db: str, path: Path, delay: float, stop: threading.Event, out: dict[str, Any]
) -> None:
    """One `threadline import` of `path`, `delay` seconds in."""
    if stop.wait(delay):
        return
    started = time.perf_counter()
    try:
        done = threadline(db, "import", str(path), "--org", "norfolk", timeout=1800)
    except subprocess.TimeoutExpired:
        out.update({"started_after_s": round(delay, 1), "exit_code": -1, "tail": "timed out"})
        return
    out.update(
        {
            "started_after_s": round(delay, 1),
            "seconds": round(time.perf_counter() - started, 2),
            "exit_code": done.returncode,
            "tail": (done.stdout + done.stderr)[-400:],
        }
    )


def sampling_load(stop: threading.Event, out: list[float]) -> None:
    """The 1-minute load average every 5 s."""
    while True:
        out.append(os.getloadavg()[0])
        if stop.wait(5):
            return


def uptime() -> str:
    done = subprocess.run(["uptime"], capture_output=True, text=True, timeout=10)
    return done.stdout.strip()


# ------------------------------------------------------------------------- the results


def locust_stats(prefix: Path) -> dict[str, Any]:
    """Per route from locust's CSV files: requests, failures, p50/p95/p99, mean, max."""
    routes: dict[str, Any] = {}
    with Path(f"{prefix}_stats.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            routes[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50_ms": _number(row["50%"]),
                "p95_ms": _number(row["95%"]),
                "p99_ms": _number(row["99%"]),
                "mean_ms": round(float(row["Average Response Time"]), 1),
                "max_ms": _number(row["Max Response Time"]),
                "per_second": round(float(row["Requests/s"]), 2),
            }
    failures = []
    failures_csv = Path(f"{prefix}_failures.csv")
    if failures_csv.exists():
        with failures_csv.open(newline="") as handle:
            failures = [
                {
                    "route": row["Name"],
                    "error": row["Error"],
                    "occurrences": int(row["Occurrences"]),
                }
                for row in csv.DictReader(handle)
            ]
    return {"routes": routes, "failures": failures}


def _number(value: str) -> float | None:
    return None if value in ("", "N/A") else round(float(value), 1)


def server_side(log: str) -> dict[str, Any]:
    """Per route from the server's own request log (one JSON line per request)."""
    times: dict[str, list[float]] = {}
    statuses: dict[str, int] = {}
    errors: dict[str, int] = {}
    for line in log.splitlines():
        if not line.startswith('{"time"'):
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        key = f"{entry['method']} {entry['route']}"
        times.setdefault(key, []).append(float(entry["ms"]))
        statuses[str(entry["status"])] = statuses.get(str(entry["status"]), 0) + 1
        if int(entry["status"]) >= 500:
            errors[key] = errors.get(key, 0) + 1
    return {
        "routes": {
            key: {
                "requests": len(values),
                "p50_ms": round(percentile(values, 0.50), 1),
                "p95_ms": round(percentile(values, 0.95), 1),
            }
            for key, values in sorted(times.items())
        },
        "statuses": dict(sorted(statuses.items())),
        "responses_5xx": errors,
    }


# ------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 users for 20 s, 2,000 rows")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("THREADLINE_BENCH_POSTGRES_URL", ""),
        help="postgresql://... of a database of your own (--db postgresql)",
    )
    parser.add_argument("--rebuild", action="store_true", help="PostgreSQL: empty it first")
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--users", type=int, help="simulated users (default 200)")
    parser.add_argument("--spawn-rate", type=float, help="users started per second")
    parser.add_argument("--seconds", type=int, help="how long locust runs (default 300)")
    parser.add_argument(
        "--rows", type=int, help="persons in the imported file (10,000; 0: no import)"
    )
    parser.add_argument(
        "--pace", type=float, help="scales the users' waits (1; quick 0.2: five times as busy)"
    )
    parser.add_argument("--tick-every", type=float, help="seconds between ticks (30; quick 8)")
    parser.add_argument("--people", type=int, default=3000, help="demo region size")
    parser.add_argument(
        "--work",
        type=Path,
        default=Path(tempfile.gettempdir()) / "threadline-locust",
        help="where the demo is kept between runs and each run's files go",
    )
    args = parser.parse_args(argv)
    users = args.users or (20 if args.quick else 200)
    seconds = args.seconds or (20 if args.quick else 300)
    spawn_rate = args.spawn_rate or (5.0 if args.quick else 4.0)
    rows = args.rows if args.rows is not None else (2_000 if args.quick else 10_000)
    pace = args.pace or (0.2 if args.quick else 1.0)
    tick_every = args.tick_every or (8.0 if args.quick else 30.0)
    if args.workers > 1 and not serve_supports_workers():
        print("`threadline serve` has no --workers option yet: run with --workers 1")
        return 2
    if args.db == "postgresql" and not args.postgres_url:
        print("--db postgresql needs --postgres-url (or THREADLINE_BENCH_POSTGRES_URL)")
        return 2

    args.work.mkdir(parents=True, exist_ok=True)
    run_dir = Path(tempfile.mkdtemp(prefix=f"run-{args.db}-", dir=args.work))
    if args.db == "sqlite":
        db = sqlite_database(args.work, args.people, run_dir)
    else:
        db = postgres_database(args.postgres_url, args.people, args.rebuild)
    # A kept database may predate the code's schema: upgrade it, as after a deployment.
    upgraded = threadline(db, "init", timeout=900)
    if upgraded.returncode != 0:
        raise RuntimeError(f"init failed:\n{(upgraded.stdout + upgraded.stderr)[-2000:]}")
    rng = random.Random(16)
    fixture_path = run_dir / "fixture.json"
    fixture_path.write_text(json.dumps(fixture(db, users, rng)))
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    import_file = write_persons(run_dir / "persons.csv", rows, seed=int(stamp), system=f"lc{stamp}")
    log = run_dir / "server.log"
    prefix = run_dir / "locust"
    ticks: dict[str, Any] = {}
    imported: dict[str, Any] = {}
    loads: list[float] = []
    before = uptime()
    print(
        f"serving {args.db} with {args.workers} worker(s); {users} users for {seconds} s, "
        f"a tick every {tick_every:g} s, importing {rows:,} rows; files in {run_dir}",
        flush=True,
    )
    with serving(db, log, env=ENV, workers=args.workers, wait=300) as server:
        port = server.port
        stop = threading.Event()
        helpers = [
            threading.Thread(target=ticking, args=(db, tick_every, stop, ticks)),
            threading.Thread(target=sampling_load, args=(stop, loads)),
        ]
        if rows:
            helpers.append(
                threading.Thread(
                    target=importing, args=(db, import_file, seconds / 3, stop, imported)
                )
            )
        for helper in helpers:
            helper.start()
        started = time.perf_counter()
        try:
            swarm = subprocess.run(
                [
                    str(LOCUST),
                    "-f",
                    str(LOCUSTFILE),
                    "--headless",
                    "--host",
                    f"http://127.0.0.1:{port}",
                    "--users",
                    str(users),
                    "--spawn-rate",
                    str(spawn_rate),
                    "--run-time",
                    f"{seconds}s",
                    "--stop-timeout",
                    "15",
                    "--csv",
                    str(prefix),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                capture_output=True,
                text=True,
                env=ENV
                | {
                    "THREADLINE_LOCUST_FIXTURE": str(fixture_path),
                    "THREADLINE_LOCUST_PACE": str(pace),
                },
                timeout=seconds + 300,
            )
        finally:
            stop.set()
            for helper in helpers:
                helper.join()
        elapsed = time.perf_counter() - started
        time.sleep(1)
    after = uptime()
    (run_dir / "locust.out").write_text(swarm.stdout + swarm.stderr)
    server_log = log.read_text(errors="replace")
    verify = threadline(db, "audit", "verify", timeout=1800)
    seen = locust_stats(prefix)
    total = seen["routes"].pop("Aggregated", {})
    server = server_side(server_log)
    result = {
        "benchmark": "locust: officers, partners and analysts over HTTP beside tick and an import",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_before": before,
            "load_after": after,
            "load_1min_during": {
                "min": round(min(loads, default=0.0), 2),
                "mean": round(sum(loads) / len(loads), 2) if loads else 0.0,
                "max": round(max(loads, default=0.0), 2),
            },
        },
        "database": args.db,
        "people": args.people,
        "workers": args.workers,
        "users": users,
        "spawn_rate": spawn_rate,
        "pace": pace,
        "seconds": seconds,
        "locust_seconds": round(elapsed, 1),
        "locust_exit_code": swarm.returncode,
        "requests": total.get("requests", 0),
        "errors": total.get("failures", 0),
        "per_second": total.get("per_second", 0.0),
        "all_routes": total,
        "routes": seen["routes"],
        "error_messages": seen["failures"][:20],
        "server": server,
        "server_tracebacks": server_log.count("Traceback"),
        "server_traceback_sample": _tracebacks(server_log)[:3],
        "server_database_locked": server_log.count("database is locked"),
        "ticks": ticks,
        "import": {"rows": rows, **imported},
        "audit_verify": {
            "ok": verify.returncode == 0,
            "output": (verify.stdout + verify.stderr).strip()[-400:],
        },
        "files": str(run_dir),
    }
    RESULTS.mkdir(exist_ok=True)
    target = RESULTS / (f"locust_{args.db}-quick.json" if args.quick else f"locust_{args.db}.json")
    target.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    good = (
        result["requests"] > 0
        and result["errors"] == 0
        and not server["responses_5xx"]
        and result["server_tracebacks"] == 0
        and ticks.get("runs", 0) > 0
        and ticks.get("crashed", 1) == 0
        and (rows == 0 or imported.get("exit_code") == 0)
        and result["audit_verify"]["ok"]
    )
    print(f"written to {target}")
    print("GOALS MET" if good else "GOALS NOT MET")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
