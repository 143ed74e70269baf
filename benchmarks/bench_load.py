"""Load test: officers' checks and profiles over HTTP while an import and `tick` run.

Bounded and loopback only. It builds a demo region in a temporary directory, serves it
with `threadline serve` (uvicorn on 127.0.0.1, with its in-process ticker), and for
`--seconds` runs at once:

- `--clients` HTTP clients (4 to 8), each a police user with its own bearer token, one
  keep-alive connection each, alternating a check (`/api/v1/check?reason=stop&name=...&purpose=...`)
  and a person profile (`/api/v1/people/{id}`) of a record of the region;
- `threadline import` of a generated persons CSV (`--rows` rows, from synth_persons);
- `threadline tick`, again and again, as cron would.

It reports requests, 5xx answers (goal 0), p50/p95 latency, import time, tick runs and
crashed ticks (goal 0: a tick that exits non-zero, or prints a traceback), tracebacks or
"database is locked" in the server's log (goal 0), and whether `threadline audit verify`
passes at the end (signatures and checkpoints included). Results go to
benchmarks/results/load.json (`--quick`: load-quick.json).

    .venv/bin/python benchmarks/bench_load.py --quick     # 10 s, 30,000 rows
    .venv/bin/python benchmarks/bench_load.py             # 60 s, 300,000 rows, 6 clients

The import runs as one `threadline import` (the importer's own transaction and batch
policy apply). Nothing leaves the machine: every socket is on 127.0.0.1.
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
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from serving import serving  # noqa: E402

RESULTS = HERE / "results"
THREADLINE = Path(sys.executable).with_name("threadline")
USERS = (
    "officer@norfolk",
    "analyst@norfolk",
    "lro@norfolk",
    "supervisor@norfolk",
    "officer@suffolk",
    "officer@essex",
    "officer@kent",
    "officer@hertfordshire",
)
ENV = os.environ | {
    "THREADLINE_SECRET_KEY": "bench-load-secret-key-long-enough-for-hmac-signing-0123456789",
    "THREADLINE_AUDIT_KEY": "bench-load-audit-key-kept-outside-the-database-0123456789",
    "THREADLINE_DEMO_MODE": "false",
    "THREADLINE_TICK_INTERVAL_SECONDS": "5",
}


@dataclass
class Tally:
    """What the clients saw."""

    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, status: int, seconds: float) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.statuses[status] = self.statuses.get(status, 0) + 1


def run(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(THREADLINE), *args], capture_output=True, text=True, env=ENV, timeout=timeout
    )


# ------------------------------------------------------------------------- the region


def build_region(directory: Path, people: int) -> tuple[Path, dict[str, str]]:
    """A demo region with police users and a token for each; returns (db, tokens)."""
    database = directory / "load.db"
    demo_env = ENV | {"THREADLINE_DEMO_MODE": "true"}
    done = subprocess.run(
        [str(THREADLINE), "--db", str(database), "demo", "--people", str(people), "--no-serve"],
        capture_output=True,
        text=True,
        env=demo_env,
        timeout=900,
    )
    if done.returncode != 0:
        raise RuntimeError(f"demo failed:\n{done.stderr[-2000:]}")
    # The demo ran with the benchmark's audit key (ENV), so its events are signed with
    # the key the server and `audit verify` use below.
    from threadline.accounts import add_user, create_token
    from threadline.audit.keys import use_chain_key
    from threadline.model.security import system_actor
    from threadline.storage.db import make_engine, session_scope

    engine = make_engine(str(database))
    use_chain_key(engine, ENV["THREADLINE_AUDIT_KEY"])  # this process signs like the others
    admin = system_actor("ersou", "bench-load")
    tokens: dict[str, str] = {}
    try:
        for username in USERS:
            agency = username.split("@", 1)[1]
            with session_scope(engine) as session:
                exists = session.execute(
                    _sql("SELECT 1 FROM user_account WHERE username = :u"), {"u": username}
                ).first()
                if exists is None:
                    add_user(
                        session,
                        actor=admin,
                        username=username,
                        display_name=f"Load {username}",
                        agency_code=agency,
                        roles=["frontline"],
                        clearance="OFFICIAL-SENSITIVE",
                        password="load test passphrase never used",
                    )
            with session_scope(engine) as session:
                tokens[username] = create_token(
                    session, actor=admin, username=username, label="bench-load"
                )
    finally:
        engine.dispose()
    return database, tokens


def _sql(text: str) -> Any:
    from sqlalchemy import text as sql_text

    return sql_text(text)


def sample(database: Path, rng: random.Random) -> tuple[list[str], list[int]]:
    """Names typed as officers type them, and person ids, from the region."""
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT entity_id, given_names, family_name FROM person").fetchall()
    db.close()
    rng.shuffle(rows)
    names = [f"{g.split(' ')[0]} {f}".strip() for _, g, f in rows[:400] if f]
    ids = [int(i) for i, _, _ in rows[:400]]
    return names, ids


# ------------------------------------------------------------------------- the server


# ------------------------------------------------------------------------- the work


def client(
    port: int, token: str, names: list[str], ids: list[int], until: float, seed: int, tally: Tally
) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Authorization": f"Bearer {token}"}
    n = 0
    while time.monotonic() < until:
        if n % 2 == 0:
            query = urlencode(
                {"reason": "stop", "name": rng.choice(names), "purpose": "load test stop check"}
            )
            path = f"/api/v1/check?{query}"
        else:
            path = f"/api/v1/people/{rng.choice(ids)}"
        n += 1
        started = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            reply = conn.getresponse()
            body = reply.read()
        except (OSError, http.client.HTTPException) as exc:
            tally.errors.append(f"{path}: {type(exc).__name__}: {exc}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            continue
        tally.add(reply.status, time.perf_counter() - started)
        if reply.status >= 500:
            tally.errors.append(f"{path}: {reply.status} {body[:200]!r}")
    conn.close()


def ticking(database: Path, until: float, out: dict[str, Any]) -> None:
    runs = crashed = 0
    failures: list[str] = []
    while time.monotonic() < until:
        done = run("--db", str(database), "tick", "--json", timeout=300)
        runs += 1
        if done.returncode != 0 or "Traceback" in done.stderr:
            crashed += 1
            failures.append((done.stdout + done.stderr)[-600:])
        time.sleep(0.5)
    out.update({"runs": runs, "crashed": crashed, "failures": failures[:5]})


def importing(database: Path, csv_path: Path, out: dict[str, Any]) -> None:
    started = time.perf_counter()
    done = run("--db", str(database), "import", str(csv_path), "--org", "norfolk", timeout=1800)
    out.update(
        {
            "seconds": round(time.perf_counter() - started, 2),
            "exit_code": done.returncode,
            "tail": (done.stdout + done.stderr)[-400:],
        }
    )


def _tracebacks(log: str) -> list[str]:
    """Each traceback in the server's log: the line before it and its last lines."""
    lines = log.splitlines()
    found = []
    for index, line in enumerate(lines):
        if line.startswith("Traceback"):
            end = index + 1
            while end < len(lines) and (lines[end].startswith(" ") or not lines[end].strip()):
                end += 1
            found.append("\n".join(lines[max(0, index - 1) : index + 1] + lines[end - 4 : end + 1]))
    return found


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 s and 30,000 rows")
    parser.add_argument("--seconds", type=int, help="how long the clients run (default 60)")
    parser.add_argument("--rows", type=int, help="persons to import (default 300,000)")
    parser.add_argument("--clients", type=int, default=6, help="HTTP clients, 4 to 8")
    parser.add_argument("--people", type=int, default=500, help="demo region size")
    args = parser.parse_args(argv)
    seconds = args.seconds or (10 if args.quick else 60)
    rows = args.rows or (30_000 if args.quick else 300_000)
    clients = max(4, min(8, args.clients))
    rng = random.Random(11)

    from synth_persons import main as synth

    with tempfile.TemporaryDirectory(prefix="threadline-load-") as tmp:
        directory = Path(tmp)
        print(f"building a demo region of {args.people} people ...", flush=True)
        database, tokens = build_region(directory, args.people)
        csv_path = directory / "persons.csv"
        synth([str(csv_path), str(rows), "--seed", "7"])
        names, ids = sample(database, rng)
        log = directory / "server.log"
        tally = Tally()
        imported: dict[str, Any] = {}
        ticks: dict[str, Any] = {}
        print(f"serving; {clients} clients for {seconds} s, importing {rows:,} rows", flush=True)
        with serving(database, log, env=ENV) as server:
            port = server.port
            until = time.monotonic() + seconds
            workers = [
                threading.Thread(
                    target=client,
                    args=(port, tokens[USERS[i]], names, ids, until, i, tally),
                )
                for i in range(clients)
            ]
            workers.append(threading.Thread(target=ticking, args=(database, until, ticks)))
            workers.append(threading.Thread(target=importing, args=(database, csv_path, imported)))
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            time.sleep(1)
        server_log = log.read_text(errors="replace")
        verify = run("--db", str(database), "audit", "verify")
        result = {
            "benchmark": "load: checks and profiles over HTTP beside an import and tick",
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "sqlite": sqlite3.sqlite_version,
            },
            "seconds": seconds,
            "clients": clients,
            "rows_imported": rows,
            "requests": len(tally.latencies),
            "statuses": {str(k): v for k, v in sorted(tally.statuses.items())},
            "responses_5xx": sum(v for k, v in tally.statuses.items() if k >= 500),
            "client_errors": len(tally.errors),
            "errors_sample": tally.errors[:5],
            "latency_ms": {
                "p50": round(1000 * percentile(tally.latencies, 0.50), 1),
                "p95": round(1000 * percentile(tally.latencies, 0.95), 1),
                "max": round(1000 * max(tally.latencies, default=0.0), 1),
                "mean": round(1000 * statistics.fmean(tally.latencies), 1)
                if tally.latencies
                else 0.0,
            },
            "import": imported,
            "ticks": ticks,
            "server_tracebacks": server_log.count("Traceback"),
            "server_traceback_sample": _tracebacks(server_log)[:3],
            "server_database_locked": server_log.count("database is locked"),
            "audit_verify": {
                "ok": verify.returncode == 0,
                "output": (verify.stdout + verify.stderr).strip()[-400:],
            },
        }
    RESULTS.mkdir(exist_ok=True)
    target = RESULTS / ("load-quick.json" if args.quick else "load.json")
    target.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    good = (
        result["responses_5xx"] == 0
        and ticks.get("crashed", 1) == 0
        and result["server_tracebacks"] == 0
        and result["audit_verify"]["ok"]
        and imported.get("exit_code") == 0
    )
    print("GOALS MET" if good else "GOALS NOT MET")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
