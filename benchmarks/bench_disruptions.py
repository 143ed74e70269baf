"""Benchmark the `disruptions` import and the regional return on SQLite.

Writes a synthetic disruptions CSV (N rows against the example county line, three
tactics each), imports it into a fresh, migrated SQLite file holding the example records
(`import_files`), imports it again (every row an update, tactics replaced), then writes
the regional return of all of it as an analyst (`disruptions.returns.write_return`).
Beside them, in the same run, a FLOOR: bare sqlite3 `executemany` of the same rows into
the real `disruption` and `disruption_tactic` tables (no validation, no look-ups, no
audit), so the ratio ours/floor says what checking and the import's rules cost.

    .venv/bin/python benchmarks/bench_disruptions.py              # 20,000 rows
    .venv/bin/python benchmarks/bench_disruptions.py --rows 5000

Results go to benchmarks/results/disruptions.json, with the load average.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sqlite3
import tempfile
import time
from datetime import datetime
from pathlib import Path

from threadline.accounts import add_user
from threadline.accounts.login import actor_for
from threadline.disruptions.returns import write_return
from threadline.importer import import_files
from threadline.model.security import system_actor
from threadline.storage.db import make_engine, migrate, session_scope
from threadline.storage.reference import seed_region

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
RESULTS = ROOT / "benchmarks" / "results" / "disruptions.json"
HEADER = ["source_system", "source_id", "owner", "occurred_on", "subject_kind", "subject_id",
          "strand", "grade", "rationale", "tactics", "team"]  # fmt: skip
GRADES = ("major", "moderate", "minor")


def write_file(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for i in range(rows):
            out.writerow([
                "athena", f"D{i}", "norfolk", f"2026-{1 + i % 11:02d}-{1 + i % 28:02d}",
                "county_line", "C6001", "pursue", GRADES[i % 3],
                "Line quiet for weeks after the arrests.",
                "arrest@P1001;seizure_drugs:250g;seizure_cash:£1200", f"Team {i % 5}",
            ])  # fmt: skip


def floor(db: Path, rows: int) -> float:
    """Bare sqlite3 inserts of the same disruptions and tactics into the real tables."""
    conn = sqlite3.connect(db)
    now = datetime.now().isoformat(sep=" ")
    started = time.perf_counter()
    with conn:
        (top,) = conn.execute("SELECT COALESCE(MAX(id), 0) FROM disruption").fetchone()
        conn.executemany(
            "INSERT INTO disruption (id, agency_id, subject_kind, entity_id, theme, strand, "
            "claimed_grade, rationale, validation, occurred_on, team, summary, source_system, "
            "source_id, marking, scope, created_at, updated_at) VALUES "
            "(?, 1, 'county_line', NULL, 'drugs_county_lines', 'pursue', ?, 'r', 'claimed', "
            "'2026-05-14', 't', '', 'floor', ?, 'OFFICIAL', 'region', ?, ?)",
            [(top + 1 + i, GRADES[i % 3], f"F{i}", now, now) for i in range(rows)],
        )
        conn.executemany(
            "INSERT INTO disruption_tactic (disruption_id, tactic, quantity, unit, detail) "
            "VALUES (?, ?, ?, ?, '')",
            [
                (top + 1 + i, tactic, quantity, unit)
                for i in range(rows)
                for tactic, quantity, unit in (
                    ("arrest", None, None),
                    ("seizure_drugs", 250, "g"),
                    ("seizure_cash", 1200, "£"),
                )
            ],
        )
    conn.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000, help="Disruptions in the file.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        db = Path(work) / "bench.db"
        engine = make_engine(str(db))
        migrate(engine)
        with session_scope(engine) as session:
            seed_region(session)
            add_user(session, actor=system_actor("ersou", "bench"), username="analyst@norfolk",
                     display_name="Analyst", agency_code="norfolk", roles=["analyst"],
                     clearance="SECRET", password="correct horse battery staple")  # fmt: skip
        names = ("persons.csv", "organisations.csv", "county_lines.csv")
        import_files(engine=engine, paths=[EXAMPLES / n for n in names])
        path = Path(work) / "disruptions.csv"
        write_file(path, args.rows)
        timings: dict[str, float] = {}
        for label in ("import", "reimport"):
            started = time.perf_counter()
            [result] = import_files(engine=engine, paths=[path])
            timings[label] = time.perf_counter() - started
            assert result.ok, result.errors[:3]
        with session_scope(engine) as session:
            analyst = actor_for(session, "analyst@norfolk")
        started = time.perf_counter()
        with session_scope(engine) as session:
            written = write_return(
                session, actor=analyst, out=io.StringIO(), date_from=None, date_to=None
            )
        timings["regional return"] = time.perf_counter() - started
        engine.dispose()
        timings["floor"] = floor(db, args.rows)
    report = {
        "rows": args.rows,
        "return_rows": written.rows,
        "seconds": {k: round(v, 2) for k, v in timings.items()},
        "import_rows_per_s": round(args.rows / timings["import"]),
        "import_over_floor": round(timings["import"] / timings["floor"], 1),
        "load_average": os.getloadavg(),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
