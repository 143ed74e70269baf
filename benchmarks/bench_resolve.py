"""Benchmark entity resolution on the demo's ground truth: pairwise precision, recall, F1.

Builds (once, then reuses) a demo region of `--people` true identities in
benchmarks/data/resolve-<N>.db; the demo keeps aside which identity stands behind each
person record (`ground_truth`). On a copy of it, it runs in the same process:

- **splink**: `threadline.resolve.run_resolution` end to end, as `threadline resolve run
  --retrain` does: read the records, train the model (unsupervised EM), predict,
  cluster, store the resolved ids;
- **exact name + DOB**: records with the same folded family name, given names and full
  date of birth are one person (records without a full date of birth stand alone).

Each is scored pairwise against the ground truth: a pair of records is a true match
when both come from one identity; precision, recall and F1 over all such pairs. The
wall time of each is printed beside. The goal is F1 >= 0.99.

    .venv/bin/python benchmarks/bench_resolve.py                  # 10,000 people
    .venv/bin/python benchmarks/bench_resolve.py --people 100000

Results go to benchmarks/results/resolve-<N>.json. All data is synthetic.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from threadline.demo import build_demo
from threadline.model.security import system_actor
from threadline.resolve import run_resolution
from threadline.storage.db import make_engine, migrate, session_scope
from threadline.storage.reference import seed_region
from threadline.storage.resolution import resolved_ids

HERE = Path(__file__).parent
DATA = HERE / "data"
RESULTS = HERE / "results"
GOAL_F1 = 0.99


def region(people: int) -> Path:
    """The demo region of `people` identities, built once and kept in benchmarks/data."""
    path = DATA / f"resolve-{people}.db"
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    print(f"building a demo region of {people:,} people in {path} (once)…", file=sys.stderr)
    engine = make_engine(str(path))
    migrate(engine)
    with session_scope(engine) as session:
        seed_region(session)
    build_demo(engine=engine, people=people)
    engine.dispose()
    return path


def _pairs(sizes: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes)


def score(predicted: Mapping[int, str], truth: Mapping[int, str]) -> dict[str, float]:
    """Pairwise precision, recall and F1 of a clustering against the true identities."""
    records = truth.keys() & predicted.keys()
    together = _pairs(Counter(predicted[r] for r in records).values())
    true = _pairs(Counter(truth[r] for r in records).values())
    found = _pairs(Counter((predicted[r], truth[r]) for r in records).values())
    precision = found / together if together else 1.0
    recall = found / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "true_pairs": true,
        "predicted_pairs": together,
    }


def exact_name_dob(db: sqlite3.Connection) -> dict[int, str]:
    """The baseline: one person per (family name, given names, full date of birth)."""
    rows = db.execute(
        "SELECT p.entity_id, n.family_norm, n.given_norm, p.dob_year, p.dob_month, p.dob_day "
        "FROM person p JOIN person_name n ON n.person_id = p.entity_id AND n.kind = 'primary'"
    )
    clusters: dict[int, str] = {}
    for entity_id, family, given, year, month, day in rows:
        if None in (year, month, day):
            clusters[entity_id] = f"alone-{entity_id}"
        else:
            clusters[entity_id] = f"{family}|{given}|{year}-{month}-{day}"
    return clusters


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000, help="True identities (demo size).")
    args = parser.parse_args()
    source = region(args.people)
    os.environ.setdefault("THREADLINE_DEMO_MODE", "true")

    with tempfile.TemporaryDirectory(prefix="bench-resolve-") as scratch:
        path = Path(scratch) / "region.db"
        shutil.copy(source, path)
        engine = make_engine(str(path))
        migrate(engine)  # the kept region may predate the resolution tables
        db = sqlite3.connect(path)
        truth = {e: i for e, i in db.execute("SELECT entity_id, identity FROM ground_truth")}

        started = time.perf_counter()
        baseline = exact_name_dob(db)
        baseline_seconds = time.perf_counter() - started

        started = time.perf_counter()
        with session_scope(engine) as session:
            summary = run_resolution(
                session, actor=system_actor("ersou", "benchmark"), retrain=True
            )
        splink_seconds = time.perf_counter() - started
        with session_scope(engine) as session:
            resolved = resolved_ids(session)
        figures = json.loads(
            db.execute("SELECT figures FROM resolution_model ORDER BY version DESC").fetchone()[0]
        )
        db.close()
        engine.dispose()

    results: dict[str, Any] = {
        "people": args.people,
        "records": len(truth),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "methods": {
            "splink": {
                **score(resolved, truth),
                "seconds": splink_seconds,
                "training_seconds": figures.get("seconds"),
                "pairs_scored": summary.pairs_scored,
            },
            "exact name + DOB": {**score(baseline, truth), "seconds": baseline_seconds},
        },
    }
    print(f"{args.people:,} people, {len(truth):,} person records ({results['machine']})")
    print(f"{'method':<18} {'precision':>9} {'recall':>9} {'F1':>9} {'seconds':>9}")
    for name, got in results["methods"].items():
        print(
            f"{name:<18} {got['precision']:>9.4f} {got['recall']:>9.4f} {got['f1']:>9.4f} "
            f"{got['seconds']:>9.1f}"
        )
    f1 = results["methods"]["splink"]["f1"]
    print(f"goal F1 >= {GOAL_F1}: {'met' if f1 >= GOAL_F1 else 'NOT met'} ({f1:.4f})")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"resolve-{args.people}.json"
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
