"""Benchmark `threadline import` of persons into SQLite, beside the floor of bare sqlite3.

For each size, writes a synthetic persons CSV (benchmarks/synth_persons.py), imports it
with `threadline.importer.import_file` into a fresh, migrated SQLite file (a FIRST LOAD:
`importer.first_load`, indexes built after the rows), and reports rows/s and peak RSS
(of the whole process tree: the importer and its forked reader). Beside it, in the same
run and on the same file, two FLOORS:

- `floor`: bare sqlite3 `executemany` of the file's raw rows (csv.reader, no validation)
  into one plain table with the same b-tree indexes the import maintains (source key,
  date of birth, PNC id, folded name); no FTS. The ratio ours/floor is printed.
- `schema floor`: bare sqlite3 writing minimal rows (no validation; names lower-cased,
  not keyed) into the real `entity`, `person` and `person_name` tables, FTS5 trigram
  trigger included, with the same multi-row INSERTs the importer uses: what the schema
  itself costs.

Then the three cases that are not first loads, each beside its own same-schema floor
(bare sqlite3, the same statements as the importer, FTS5 trigger on, one transaction):

- `incremental`: the file's second half imported into a database holding its first
  half (new rows, keys looked up); `incremental_floor` looks the keys up and inserts.
- `update`: the whole file imported again into the database its import made (every row
  an update, its values repeated); `update_floor` looks the ids up, updates `entity`,
  upserts `person`, and replaces `person_name` rows (delete, insert), as the importer
  did before it compared values: more than the import has to do for repeated values
  (it stamps each record and rewrites only what differs).
- `changed`: the whole file imported into the schema floor's database, where every
  stored row differs from the file's (names not keyed, dates of birth cut to years):
  every person row and name rewritten; `changed_floor` is `update_floor` from there.

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
import shutil
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
    """This process's peak RSS plus its largest child's (the importer's forked reader)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return (own + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024


def _cpu_seconds() -> float:
    """CPU of this process and its children (the importer's forked reader, once ended)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


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

    engine = _fresh_database(db_path)
    return _timed_import(engine, csv_path)


def phase_into(csv_path: Path, db_path: Path) -> dict[str, Any]:
    """Import into the database already at `db_path` (incremental or update)."""
    from threadline.storage.db import make_engine

    return _timed_import(make_engine(str(db_path)), csv_path)


def _timed_import(engine: Any, csv_path: Path) -> dict[str, Any]:
    from threadline.importer import import_file

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


def _held_ids(conn: sqlite3.Connection, owner: int, keys: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(keys), 5000):
        chunk = keys[start : start + 5000]
        sql = (
            "SELECT source_id, id FROM entity WHERE owner_id = ? AND source_system = ? "
            f"AND kind = 'person' AND source_id IN ({', '.join(['?'] * len(chunk))})"
        )
        found.update(conn.execute(sql, (owner, "athena", *chunk)).fetchall())
    return found


def phase_into_floor(csv_path: Path, db_path: Path) -> dict[str, Any]:
    """Bare sqlite3 into a database holding rows: keys looked up, new rows inserted and
    held rows updated with the importer's statements (names replaced), trigger on."""
    conn = _connect(db_path)
    owner = conn.execute("SELECT id FROM agency WHERE code = 'norfolk'").fetchone()[0]
    stamp = "2026-01-01 00:00:00.000000"
    cpu, started = _cpu_seconds(), time.perf_counter()
    rows = 0
    (top,) = conn.execute("SELECT COALESCE(MAX(id), 0) FROM entity").fetchone()
    next_id = int(top) + 1
    upsert = (
        "INSERT INTO person (entity_id, family_name, given_names, dob_year, dob_month, "
        "dob_day, gender, pnc_id, categories) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (entity_id) DO UPDATE SET family_name = excluded.family_name, "
        "given_names = excluded.given_names, dob_year = excluded.dob_year, "
        "dob_month = excluded.dob_month, dob_day = excluded.dob_day, "
        "gender = excluded.gender, pnc_id = excluded.pnc_id, categories = excluded.categories"
    )
    with csv_path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        conn.execute("BEGIN IMMEDIATE")
        while True:
            batch = [row for _, row in zip(range(BATCH), reader, strict=False)]
            if not batch:
                break
            held = _held_ids(conn, owner, [row[1] for row in batch])
            entities, persons, names, updates, old = [], [], [], [], []
            for system, source_id, marking, family, given, dob, gender, pnc, cats, _a, _n in batch:
                id_ = held.get(source_id)
                if id_ is None:
                    id_, next_id = next_id, next_id + 1
                    entities.append(
                        (id_, "person", owner, system, source_id, marking, "3", stamp, stamp)
                    )
                else:
                    updates.append((marking, stamp, id_))
                    old.append(id_)
                year = int(dob[:4]) if dob[4:5] == "-" else int(dob[-4:])
                persons.append((id_, family, given, year, None, None, gender, pnc or None, cats))
                family_norm, given_norm = family.lower(), given.lower()
                full = f"{given_norm} {family_norm}"
                names.append((id_, "primary", family, given, family_norm, given_norm, full, "", ""))
            conn.executemany("UPDATE entity SET marking = ?, updated_at = ? WHERE id = ?", updates)
            for start in range(0, len(old), 5000):
                chunk = old[start : start + 5000]
                conn.execute(
                    f"DELETE FROM person_name WHERE person_id IN ({', '.join(['?'] * len(chunk))})",
                    chunk,
                )
            _multi_insert(
                conn,
                "INSERT INTO entity (id, kind, owner_id, source_system, source_id, marking, "
                "retention_group, created_at, updated_at) VALUES ",
                9,
                entities,
            )
            conn.executemany(upsert, persons)
            _multi_insert(
                conn,
                "INSERT INTO person_name (person_id, kind, family_name, given_names, "
                "family_norm, given_norm, full_norm, family_key, given_key) VALUES ",
                9,
                names,
            )
            rows += len(batch)
        conn.execute("COMMIT")
    return {
        "rows": rows,
        "seconds": time.perf_counter() - started,
        "cpu_seconds": _cpu_seconds() - cpu,
        "peak_rss_mb": _peak_rss_mb(),
    }


PHASES = {
    "import": phase_import,
    "floor": phase_floor,
    "schema_floor": phase_schema_floor,
    "into": phase_into,
    "into_floor": phase_into_floor,
}


def _run_phase(name: str, csv_path: Path, db_path: Path) -> dict[str, Any]:
    """Run one phase in a child process, so that its peak RSS is its own."""
    command = [sys.executable, __file__, "--phase", name, str(csv_path), str(db_path)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    figures: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    figures["rows_per_second"] = figures["rows"] / figures["seconds"]
    # On a shared machine wall time moves with the load; CPU time (of the whole process
    # tree) far less: both are kept, and ratios given of each.
    figures["rows_per_cpu_second"] = figures["rows"] / max(figures["cpu_seconds"], 1e-9)
    return figures


def _halves(csv_path: Path) -> tuple[Path, Path]:
    """The file's first and second halves, each with the header."""
    first, second = (csv_path.with_name(f"{csv_path.stem}-{n}.csv") for n in (1, 2))
    if not second.exists():
        lines = csv_path.read_text(encoding="utf-8").splitlines(keepends=True)
        middle = 1 + (len(lines) - 1) // 2
        first.write_text("".join(lines[:middle]), encoding="utf-8")
        second.write_text(lines[0] + "".join(lines[middle:]), encoding="utf-8")
    return first, second


def _copy_db(source: Path, target: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)


def _drop_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def bench(rows: int, workdir: Path, *, only_first: bool = False) -> dict[str, Any]:
    from synth_persons import write_persons

    csv_path = workdir / f"persons-{rows}.csv"
    if not csv_path.exists():
        write_persons(csv_path, rows, seed=1)
    db_path = workdir / f"import-{rows}.db"
    load_before = os.getloadavg()[0]
    result: dict[str, Any] = {"rows": rows, "file_mb": round(csv_path.stat().st_size / 2**20, 1)}
    base = workdir / f"base-{rows}.db"
    for phase in ("import", "floor", "schema_floor"):
        result[phase] = _run_phase(phase, csv_path, db_path)
        if phase == "import" and not only_first:
            _copy_db(db_path, base)  # the import's database: the update case starts there
    result["ratio_to_floor"] = (
        result["import"]["rows_per_second"] / result["floor"]["rows_per_second"]
    )
    result["ratio_to_schema_floor"] = (
        result["import"]["rows_per_second"] / result["schema_floor"]["rows_per_second"]
    )
    result["cpu_ratio_to_schema_floor"] = (
        result["import"]["rows_per_cpu_second"] / result["schema_floor"]["rows_per_cpu_second"]
    )
    if not only_first:
        changed = workdir / f"changed-{rows}.db"
        _copy_db(db_path, changed)  # the schema floor's database
        for case, start in (("update", base), ("changed", changed)):
            _copy_db(start, db_path)
            result[case] = _run_phase("into", csv_path, db_path)
            _copy_db(start, db_path)
            result[f"{case}_floor"] = _run_phase("into_floor", csv_path, db_path)
        _drop_db(changed)
        first, second = _halves(csv_path)
        _drop_db(base)
        _run_phase("import", first, base)  # the incremental case starts from the first half
        _copy_db(base, db_path)
        result["incremental"] = _run_phase("into", second, db_path)
        _copy_db(base, db_path)
        result["incremental_floor"] = _run_phase("into_floor", second, db_path)
        _drop_db(base)
        for case in ("update", "changed", "incremental"):
            result[f"{case}_ratio_to_floor"] = (
                result[case]["rows_per_second"] / result[f"{case}_floor"]["rows_per_second"]
            )
            result[f"{case}_cpu_ratio_to_floor"] = (
                result[case]["rows_per_cpu_second"] / result[f"{case}_floor"]["rows_per_cpu_second"]
            )
    result["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    _drop_db(db_path)
    return result


_PHASE_NAMES = (
    "import",
    "floor",
    "schema_floor",
    "update",
    "update_floor",
    "changed",
    "changed_floor",
    "incremental",
    "incremental_floor",
)


def _table(results: list[dict[str, Any]]) -> str:
    lines = [
        f"{'rows':>10}  {'phase':<17} {'seconds':>8} {'rows/s':>10} {'rows/cpu s':>10} "
        f"{'cpu s':>7} {'peak RSS':>9}"
    ]
    for r in results:
        for phase in _PHASE_NAMES:
            if phase not in r:
                continue
            f = r[phase]
            lines.append(
                f"{r['rows']:>10,}  {phase:<17} {f['seconds']:>8.1f} "
                f"{f['rows_per_second']:>10,.0f} {f['rows_per_cpu_second']:>10,.0f} "
                f"{f['cpu_seconds']:>7.1f} {f['peak_rss_mb']:>7.0f}MB"
            )
        lines.append(
            f"{'':>10}  import/floor = {r['ratio_to_floor']:.2f}, "
            f"import/schema floor = {r['ratio_to_schema_floor']:.2f} "
            f"(CPU {r['cpu_ratio_to_schema_floor']:.2f}), "
            f"load average {r['load_average'][0]} -> {r['load_average'][1]}"
        )
        if "update" in r:
            lines.append(
                f"{'':>10}  update/floor = {r['update_ratio_to_floor']:.2f} "
                f"(CPU {r['update_cpu_ratio_to_floor']:.2f}), "
                f"changed/floor = {r['changed_ratio_to_floor']:.2f} "
                f"(CPU {r['changed_cpu_ratio_to_floor']:.2f}), "
                f"incremental/floor = {r['incremental_ratio_to_floor']:.2f} "
                f"(CPU {r['incremental_cpu_ratio_to_floor']:.2f})"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only 100,000 rows")
    parser.add_argument("--rows", type=int, action="append", help="a size to run (repeatable)")
    parser.add_argument(
        "--first-load-only", action="store_true", help="skip the update and incremental cases"
    )
    parser.add_argument("--workdir", type=Path, help="where to keep the CSV files and databases")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "import.json")
    parser.add_argument("--phase", nargs=3, metavar=("NAME", "CSV", "DB"), help=argparse.SUPPRESS)
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="benchmark PostgreSQL instead (COPY import beside a bare COPY floor, "
        "benchmarks/bench_import_pg.py) in a scratch database made on URL's server; "
        "results to benchmarks/results/import_postgres.json unless --out",
    )
    args = parser.parse_args(argv)
    if args.phase:
        name, csv_path, db_path = args.phase
        print(json.dumps(PHASES[name](Path(csv_path), Path(db_path))))
        return 0
    sizes = args.rows or ([100_000] if args.quick else [100_000, 1_000_000])
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="threadline-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    if args.postgres:
        from bench_import_pg import run

        own = HERE / "results" / "import_postgres.json"
        out = own if args.out == parser.get_default("out") else args.out
        return run(args.postgres, sizes, workdir, out, only_first=args.first_load_only)
    results = []
    for rows in sizes:
        results.append(bench(rows, workdir, only_first=args.first_load_only))
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
