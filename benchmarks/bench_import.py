"""Benchmark `threadline import` of persons into SQLite, beside the floor of bare sqlite3.

For each size, writes a synthetic persons CSV (benchmarks/synth_persons.py), imports it
with `threadline.importer.import_file` into a fresh, migrated SQLite file, and reports
rows/s and peak RSS. Beside it, in the same run and on the same file, two FLOORS:

- `floor`: bare sqlite3 `executemany` of the file's raw rows (csv.reader, no validation)
  into one plain table with the same b-tree indexes the import maintains (source key,
  date of birth, PNC id, folded name); no FTS. The ratio ours/floor is printed.
- `schema floor`: bare sqlite3 writing minimal rows (no validation; names lower-cased,
  not keyed) into the real `entity`, `person` and `person_name` tables, FTS5 trigram
  trigger included, with the same multi-row INSERTs the importer uses: what the schema
  itself costs.

Each phase runs in its own process so its peak RSS is its own.

    .venv/bin/python benchmarks/bench_import.py            # 100,000 and 1,000,000 rows
    .venv/bin/python benchmarks/bench_import.py --quick    # 100,000 rows
    .venv/bin/python benchmarks/bench_import.py --rows 250000

Files go to a temporary directory (or --workdir); results to benchmarks/results/import.json.
The machine's other load is recorded (load average) since it moves the figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from itertools import chain
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

BATCH = 5000
PLAIN_TABLE = """
CREATE TABLE person_floor (
    source_system TEXT NOT NULL, source_id TEXT NOT NULL, marking TEXT, family_name TEXT,
    given_names TEXT, date_of_birth TEXT, gender TEXT, pnc_id TEXT, categories TEXT,
    aliases TEXT, nicknames TEXT);
CREATE UNIQUE INDEX uq_floor_source ON person_floor (source_system, source_id);
CREATE INDEX ix_floor_dob ON person_floor (date_of_birth);
CREATE INDEX ix_floor_pnc ON person_floor (pnc_id);
CREATE INDEX ix_floor_name ON person_floor (family_name, given_names);
"""


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _fresh_database(path: Path) -> Any:
    from threadline.storage.db import make_engine, migrate, session_scope
    from threadline.storage.reference import seed_region

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    engine = make_engine(str(path))
    migrate(engine)
    with session_scope(engine) as session:
        seed_region(session)
    return engine


def phase_import(csv_path: Path, db_path: Path) -> dict[str, Any]:
    from threadline.importer import import_file

    engine = _fresh_database(db_path)
    cpu, started = _cpu_seconds(), time.perf_counter()
    result = import_file(engine=engine, path=csv_path, owner="norfolk")
    seconds = time.perf_counter() - started
    if not result.written:
        raise SystemExit(f"import failed: {[str(e) for e in result.errors[:3]]}")
    return {
        "rows": result.rows,
        "seconds": seconds,
        "cpu_seconds": _cpu_seconds() - cpu,
        "peak_rss_mb": _peak_rss_mb(),
    }


def _connect(db_path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db_path, isolation_level=None)
    for pragma in (
        "journal_mode=WAL",
        "foreign_keys=ON",
        "synchronous=NORMAL",
        "cache_size=-65536",
        "temp_store=MEMORY",
    ):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def phase_floor(csv_path: Path, db_path: Path) -> dict[str, Any]:
    """Bare executemany of raw rows into one plain table with the same b-tree indexes."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    conn = _connect(db_path)
    conn.executescript(PLAIN_TABLE)
    cpu, started = _cpu_seconds(), time.perf_counter()
    rows = 0
    with csv_path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        width = len(next(reader))
        sql = f"INSERT INTO person_floor VALUES ({', '.join(['?'] * width)})"
        conn.execute("BEGIN IMMEDIATE")
        batch: list[list[str]] = []
        for row in reader:
            batch.append(row)
            if len(batch) == BATCH:
                conn.executemany(sql, batch)
                rows += len(batch)
                batch = []
        conn.executemany(sql, batch)
        rows += len(batch)
        conn.execute("COMMIT")
    return {
        "rows": rows,
        "seconds": time.perf_counter() - started,
        "cpu_seconds": _cpu_seconds() - cpu,
        "peak_rss_mb": _peak_rss_mb(),
    }


def _multi_insert(
    conn: sqlite3.Connection, head: str, width: int, rows: list[tuple[Any, ...]]
) -> None:
    per = 500
    one = "(" + ", ".join(["?"] * width) + ")"
    for start in range(0, len(rows), per):
        chunk = rows[start : start + per]
        conn.execute(head + ", ".join([one] * len(chunk)), tuple(chain.from_iterable(chunk)))


def phase_schema_floor(csv_path: Path, db_path: Path) -> dict[str, Any]:
    """Minimal rows into the real entity/person/person_name tables, FTS5 trigger on."""
    _fresh_database(db_path).dispose()
    conn = _connect(db_path)
    owner = conn.execute("SELECT id FROM agency WHERE code = 'norfolk'").fetchone()[0]
    stamp = "2026-01-01 00:00:00.000000"
    cpu, started = _cpu_seconds(), time.perf_counter()
    rows = 0
    next_id = 1
    with csv_path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        conn.execute("BEGIN IMMEDIATE")
        entities: list[tuple[Any, ...]] = []
        persons: list[tuple[Any, ...]] = []
        names: list[tuple[Any, ...]] = []
        for system, source_id, marking, family, given, dob, gender, pnc, cats, _a, _n in reader:
            entities.append(
                (next_id, "person", owner, system, source_id, marking, "3", stamp, stamp)
            )
            year = int(dob[:4]) if dob[4:5] == "-" else int(dob[-4:])
            persons.append((next_id, family, given, year, None, None, gender, pnc or None, cats))
            family_norm, given_norm = family.lower(), given.lower()
            full = f"{given_norm} {family_norm}"
            names.append((next_id, "primary", family, given, family_norm, given_norm, full, "", ""))
            next_id += 1
            if len(entities) == BATCH:
                _write_schema_batch(conn, entities, persons, names)
                rows += len(entities)
                entities, persons, names = [], [], []
        _write_schema_batch(conn, entities, persons, names)
        rows += len(entities)
        conn.execute("COMMIT")
    return {
        "rows": rows,
        "seconds": time.perf_counter() - started,
        "cpu_seconds": _cpu_seconds() - cpu,
        "peak_rss_mb": _peak_rss_mb(),
    }


def _write_schema_batch(
    conn: sqlite3.Connection,
    entities: list[tuple[Any, ...]],
    persons: list[tuple[Any, ...]],
    names: list[tuple[Any, ...]],
) -> None:
    _multi_insert(
        conn,
        "INSERT INTO entity (id, kind, owner_id, source_system, source_id, marking, "
        "retention_group, created_at, updated_at) VALUES ",
        9,
        entities,
    )
    _multi_insert(
        conn,
        "INSERT INTO person (entity_id, family_name, given_names, dob_year, dob_month, "
        "dob_day, gender, pnc_id, categories) VALUES ",
        9,
        persons,
    )
    _multi_insert(
        conn,
        "INSERT INTO person_name (person_id, kind, family_name, given_names, family_norm, "
        "given_norm, full_norm, family_key, given_key) VALUES ",
        9,
        names,
    )


PHASES = {"import": phase_import, "floor": phase_floor, "schema_floor": phase_schema_floor}


def _run_phase(name: str, csv_path: Path, db_path: Path) -> dict[str, Any]:
    """Run one phase in a child process, so that its peak RSS is its own."""
    command = [sys.executable, __file__, "--phase", name, str(csv_path), str(db_path)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    figures: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    figures["rows_per_second"] = figures["rows"] / figures["seconds"]
    return figures


def bench(rows: int, workdir: Path) -> dict[str, Any]:
    from synth_persons import write_persons

    csv_path = workdir / f"persons-{rows}.csv"
    if not csv_path.exists():
        write_persons(csv_path, rows, seed=1)
    db_path = workdir / f"import-{rows}.db"
    load_before = os.getloadavg()[0]
    result: dict[str, Any] = {"rows": rows, "file_mb": round(csv_path.stat().st_size / 2**20, 1)}
    for phase in ("import", "floor", "schema_floor"):
        result[phase] = _run_phase(phase, csv_path, db_path)
    result["ratio_to_floor"] = (
        result["import"]["rows_per_second"] / result["floor"]["rows_per_second"]
    )
    result["ratio_to_schema_floor"] = (
        result["import"]["rows_per_second"] / result["schema_floor"]["rows_per_second"]
    )
    result["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    return result


def _table(results: list[dict[str, Any]]) -> str:
    lines = [
        f"{'rows':>10}  {'phase':<13} {'seconds':>8} {'rows/s':>10} {'cpu s':>7} {'peak RSS':>9}"
    ]
    for r in results:
        for phase in ("import", "floor", "schema_floor"):
            f = r[phase]
            lines.append(
                f"{r['rows']:>10,}  {phase:<13} {f['seconds']:>8.1f} "
                f"{f['rows_per_second']:>10,.0f} "
                f"{f['cpu_seconds']:>7.1f} {f['peak_rss_mb']:>7.0f}MB"
            )
        lines.append(
            f"{'':>10}  import/floor = {r['ratio_to_floor']:.2f}, "
            f"import/schema floor = {r['ratio_to_schema_floor']:.2f}, "
            f"load average {r['load_average'][0]} -> {r['load_average'][1]}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only 100,000 rows")
    parser.add_argument("--rows", type=int, action="append", help="a size to run (repeatable)")
    parser.add_argument("--workdir", type=Path, help="where to keep the CSV files and databases")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "import.json")
    parser.add_argument("--phase", nargs=3, metavar=("NAME", "CSV", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        name, csv_path, db_path = args.phase
        print(json.dumps(PHASES[name](Path(csv_path), Path(db_path))))
        return 0
    sizes = args.rows or ([100_000] if args.quick else [100_000, 1_000_000])
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="threadline-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results = []
    for rows in sizes:
        results.append(bench(rows, workdir))
        print(_table(results[-1:]), flush=True)
    report = {
        "benchmark": "import persons CSV into SQLite",
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "platform": platform.platform(),
        },
        "batch_size": BATCH,
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\n{_table(results)}\nresults written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
