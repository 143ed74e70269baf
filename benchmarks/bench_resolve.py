"""Benchmark entity resolution on the demo's ground truth: pairwise precision, recall, F1.

Builds (once, then reuses) a demo region of `--people` true identities in
benchmarks/data/resolve-<N>.db; the demo keeps aside which identity stands behind each
person record (`ground_truth`). On a copy of it, it runs in the same process:

- **splink**: `threadline.resolve.run_resolution` end to end, as `threadline resolve run
  --retrain` does: read the records, train the model (unsupervised EM), predict,
  cluster, store the resolved ids;
- **exact name + DOB**: records with the same folded family name, given names and full
  date of birth are one person (records without a full date of birth stand alone);
- **splink defaults**: Splink as its documentation sets it up for people, on the same
  records: `NameComparison` on first name and surname (term-frequency adjusted),
  `DateOfBirthComparison`, `PostcodeComparison`; blocking on names and date of birth;
  the prior from exact name and date of birth (recall 0.7), u by random sampling, m by
  EM blocked on names then on date of birth; clusters at 0.95.

Each is scored pairwise against the ground truth: a pair of records is a true match
when both come from one identity; precision, recall and F1 over all such pairs. The
wall time of each is printed beside. The goal is F1 >= 0.99.

Then (unless `--skip-incremental`) files of 1,000 and 10,000 new person records, half
new identities and half new records of known ones, are imported after the full run and
matched as they are imported (`threadline.resolve.incremental`): the import and matching
times, the pairwise precision and recall over the pairs with a new record, and the p50
and p95 of matching one new record on its own (and, beside them, the same records with
their pairs scored on DuckDB rather than in Python). The goal is p95 <= 100 ms.

    .venv/bin/python benchmarks/bench_resolve.py                  # 10,000 people
    .venv/bin/python benchmarks/bench_resolve.py --people 100000
    .venv/bin/python benchmarks/bench_resolve.py --seed 7         # another draw of the demo
    .venv/bin/python benchmarks/bench_resolve.py --people 1000000 --skip-incremental \
        --skip-defaults
    .venv/bin/python benchmarks/bench_resolve.py --people 300000 --synthetic   # the 1M
        # generator at a smaller size, to see how time and memory grow towards 1M

From 1,000,000 people the region is not the demo (too slow to build) but a synthetic one
with ground truth written by bulk inserts (`synth_region`: another generator, on
purpose). Splink's DuckDB runs with `memory_limit` 3GB (as on a 4 GB machine), and the
peak resident memory of the process and its children (`ru_maxrss`) is reported beside
the wall time, the CPU time and the load average (the machine is shared: wall time
depends on what else runs).

Results go to benchmarks/results/resolve-<N>[-seed<S>].json. All data is synthetic.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
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

import pyarrow as pa
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from sqlalchemy import text
from synth_region import build_region

from threadline.demo import build_demo
from threadline.importer import import_file
from threadline.importer import service as importer_service
from threadline.model.security import system_actor
from threadline.resolve import engine as resolve_engine
from threadline.resolve import incremental as resolve_incremental
from threadline.resolve import run_resolution
from threadline.resolve.incremental import resolve_new
from threadline.resolve.load import load_table
from threadline.storage.db import make_engine, migrate, session_factory, session_scope
from threadline.storage.reference import seed_region
from threadline.storage.resolution import resolved_ids

HERE = Path(__file__).parent
DATA = HERE / "data"
RESULTS = HERE / "results"
GOAL_F1 = 0.99
GOAL_SECONDS_1M = 600
DUCKDB_MEMORY_LIMIT = "3GB"
# From this many people the region is built by `synth_region`, not the demo.
SYNTHETIC_FROM = 1_000_000


def region(people: int, seed: int | None = None, *, synthetic: bool = False) -> Path:
    """The demo region of `people` identities, built once and kept in benchmarks/data.

    `seed` builds another region from the demo's generator (the demo's own seed when
    None), to check that a change to the model is not tuned to one draw of the data.
    """
    suffix = "" if seed is None else f"-seed{seed}"
    if people >= SYNTHETIC_FROM or synthetic:
        path = DATA / f"resolve-synth-{people}{suffix}.db"
        if not path.exists():
            DATA.mkdir(parents=True, exist_ok=True)
            print(f"building a synthetic region of {people:,} people (once)…", file=sys.stderr)
            build_region(path, people, seed=1 if seed is None else seed)
        return path
    path = DATA / f"resolve-{people}{suffix}.db"
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    print(f"building a demo region of {people:,} people in {path} (once)…", file=sys.stderr)
    engine = make_engine(str(path))
    migrate(engine)
    with session_scope(engine) as session:
        seed_region(session)
    if seed is None:
        build_demo(engine=engine, people=people)
    else:
        build_demo(engine=engine, people=people, seed=seed)
    engine.dispose()
    return path


def score(db: sqlite3.Connection, predicted: str) -> dict[str, float]:
    """Pairwise precision, recall and F1 of a clustering against the true identities.

    `predicted` is a table (or a query in brackets) of (entity_id, cluster); the counts
    are made in SQLite, beside the ground truth, not in dicts of a million records.
    """
    pairs = (
        "SELECT COALESCE(SUM(n * (n - 1) / 2), 0) FROM (SELECT COUNT(*) AS n FROM j GROUP BY {})"
    )
    together, true, found = db.execute(
        "WITH j AS (SELECT p.cluster AS c, g.identity AS i FROM "
        f"{predicted} AS p JOIN ground_truth AS g ON g.entity_id = p.entity_id) "
        f"SELECT ({pairs.format('c')}), ({pairs.format('i')}), ({pairs.format('c, i')})"
    ).fetchone()
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


def exact_name_dob(db: sqlite3.Connection) -> str:
    """The baseline: one person per (family name, given names, full date of birth),
    clustered into a temporary table of (entity_id, cluster); returns its name."""
    db.execute(
        "CREATE TEMP TABLE exact_name_dob AS SELECT p.entity_id AS entity_id, "
        "CASE WHEN p.dob_year IS NULL OR p.dob_month IS NULL OR p.dob_day IS NULL "
        "THEN 'alone-' || p.entity_id ELSE n.family_norm || '|' || n.given_norm || '|' || "
        "p.dob_year || '-' || p.dob_month || '-' || p.dob_day END AS cluster "
        "FROM person p JOIN person_name n ON n.person_id = p.entity_id AND n.kind = 'primary'"
    )
    return "exact_name_dob"


def _kept(db: sqlite3.Connection, name: str, clusters: Mapping[int, str]) -> str:
    """`clusters` as a temporary table of (entity_id, cluster) named `name`."""
    db.execute(f"CREATE TEMP TABLE {name} (entity_id INTEGER PRIMARY KEY, cluster TEXT)")
    db.execute("BEGIN")
    db.executemany(f"INSERT INTO {name} VALUES (?, ?)", clusters.items())
    db.execute("COMMIT")
    return name


def splink_defaults(records: Any) -> dict[int, str]:
    """Splink with its documented settings for people (see the module), on `records`
    (resolution's Arrow table): first name, surname, full date of birth, one postcode."""
    rows = records.select(["unique_id", "given", "family", "dob", "postcodes"]).to_pylist()
    table = pa.table(
        {
            "unique_id": [r["unique_id"] for r in rows],
            "first_name": [r["given"] for r in rows],
            "surname": [r["family"] for r in rows],
            "dob": [r["dob"] for r in rows],
            "postcode": [(r["postcodes"] or [None])[0] for r in rows],
        }
    )
    db_api = DuckDBAPI(":memory:")
    db_api._con.execute(f"SET memory_limit = '{DUCKDB_MEMORY_LIMIT}'")
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.PostcodeComparison("postcode"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname"),
            block_on("surname", "dob"),
            block_on("first_name", "dob"),
        ],
    )
    linker = Linker(db_api.register(table), settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "surname")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    predictions = linker.inference.predict(threshold_match_probability=0.9)
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=0.95
    )
    return {
        int(row["unique_id"]): str(row["cluster_id"])
        for row in clustered.query_sql(
            f"SELECT cluster_id, unique_id FROM {clustered.physical_name}"
        ).as_record_list()
    }


_database_api = resolve_engine.database_api


def _limited(*args: Any) -> Any:
    """Resolution's database API, DuckDB's memory limited to `DUCKDB_MEMORY_LIMIT`."""
    api = _database_api(*args)
    if isinstance(api, DuckDBAPI):
        api._con.execute(f"SET memory_limit = '{DUCKDB_MEMORY_LIMIT}'")
    return api


def _peak_mb() -> float:
    """The peak resident memory of this process or any child so far, in MB (Linux:
    ru_maxrss in KiB)."""
    return (
        max(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        )
        / 1024
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000, help="True identities (demo size).")
    parser.add_argument(
        "--skip-incremental",
        action="store_true",
        help="Skip importing files of new people after the full run (incremental matching).",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        help="Build the demo region with this seed instead of the demo's own (another draw "
        "of the same generator, to check a change generalises).",
    )
    parser.add_argument(
        "--synthetic",
        action="store_true",
        help="Use the synthetic region (synth_region) below 1,000,000 people too, to see how "
        "time and memory grow towards it.",
    )
    parser.add_argument(
        "--skip-defaults",
        action="store_true",
        help="Skip Splink with its default settings (at 1,000,000 people its blocking on "
        "first name and surname alone makes hundreds of millions of pairs).",
    )
    args = parser.parse_args()
    source = region(args.people, args.seed, synthetic=args.synthetic)
    os.environ.setdefault("THREADLINE_DEMO_MODE", "true")

    with tempfile.TemporaryDirectory(prefix="bench-resolve-") as scratch:
        path = Path(scratch) / "region.db"
        shutil.copy(source, path)
        engine = make_engine(str(path))
        migrate(engine)  # the kept region may predate the resolution tables
        # The ground truth and the baselines stay in SQLite until the run is done, and
        # are scored there: the peak memory is resolution's, not the benchmark's.
        resolve_engine.database_api = _limited
        load_before = os.getloadavg()
        started = time.perf_counter()
        cpu = time.process_time()
        with session_scope(engine) as session:
            summary = run_resolution(
                session, actor=system_actor("ersou", "benchmark"), retrain=True
            )
        splink_seconds = time.perf_counter() - started
        splink_cpu = time.process_time() - cpu
        load_after = os.getloadavg()
        peak_mb = _peak_mb()
        db = sqlite3.connect(path, isolation_level=None)
        records = db.execute("SELECT COUNT(*) FROM ground_truth").fetchone()[0]
        scores = {
            "splink": score(db, "(SELECT entity_id, resolved_id AS cluster FROM resolved_person)")
        }
        started = time.perf_counter()
        scores["exact name + DOB"] = score(db, exact_name_dob(db))
        baseline_seconds = time.perf_counter() - started
        if not args.skip_defaults:
            with session_scope(engine) as session:
                table = load_table(session)
            started = time.perf_counter()
            defaults = splink_defaults(table)
            defaults_seconds = time.perf_counter() - started
            del table
            scores["splink defaults"] = score(db, _kept(db, "splink_defaults", defaults))
            del defaults
        figures = json.loads(
            db.execute("SELECT figures FROM resolution_model ORDER BY version DESC").fetchone()[0]
        )
        db.close()
        matched = None if args.skip_incremental else incremental(engine, path)
        engine.dispose()

    results: dict[str, Any] = {
        "people": args.people,
        "seed": args.seed,
        "records": records,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "methods": {
            "splink": {
                **scores["splink"],
                "seconds": splink_seconds,
                "cpu_seconds": splink_cpu,
                "training_seconds": figures.get("seconds"),
                "pairs_scored": summary.pairs_scored,
                "peak_rss_mb": round(peak_mb),
                "duckdb_memory_limit": DUCKDB_MEMORY_LIMIT,
            },
            "exact name + DOB": {**scores["exact name + DOB"], "seconds": baseline_seconds},
        },
        "load_average": {
            "before": [round(x, 2) for x in load_before],
            "after": [round(x, 2) for x in load_after],
        },
    }
    if "splink defaults" in scores:
        results["methods"]["splink defaults"] = {
            **scores["splink defaults"],
            "seconds": defaults_seconds,
        }
    print(f"{args.people:,} people, {records:,} person records ({results['machine']})")
    print(f"{'method':<18} {'precision':>9} {'recall':>9} {'F1':>9} {'seconds':>9}")
    for name, got in results["methods"].items():
        print(
            f"{name:<18} {got['precision']:>9.4f} {got['recall']:>9.4f} {got['f1']:>9.4f} "
            f"{got['seconds']:>9.1f}"
        )
    f1 = results["methods"]["splink"]["f1"]
    print(f"goal F1 >= {GOAL_F1}: {'met' if f1 >= GOAL_F1 else 'NOT met'} ({f1:.4f})")
    print(
        f"splink: {splink_seconds:.0f} s wall ({splink_cpu:.0f} s CPU), peak memory "
        f"{peak_mb:,.0f} MB (DuckDB memory_limit {DUCKDB_MEMORY_LIMIT}); load average "
        f"{load_before[0]:.1f} before, {load_after[0]:.1f} after"
    )
    if args.people >= SYNTHETIC_FROM or args.synthetic:
        results["region"] = "synthetic (benchmarks/synth_region.py), not the demo"
    if args.people >= SYNTHETIC_FROM:
        met = splink_seconds <= GOAL_SECONDS_1M and peak_mb <= 4096
        print(f"goal <= {GOAL_SECONDS_1M} s within 4 GB: {'met' if met else 'NOT met'}")
    if matched is not None:
        results["incremental"] = matched
        print_incremental(matched)
    RESULTS.mkdir(parents=True, exist_ok=True)
    suffix = ("" if args.seed is None else f"-seed{args.seed}") + (
        "-synthetic" if args.synthetic and args.people < SYNTHETIC_FROM else ""
    )
    out = RESULTS / f"resolve-{args.people}{suffix}.json"
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


# ---------------------------------------------------------------- incremental matching
# Files of new records imported after the full run (`resolve.incremental`): half new
# identities, half new records of known ones, made from the ground truth.
INCREMENTAL_SIZES = (1_000, 10_000)
SINGLE_SAMPLES = 200  # records matched one at a time, for the p95 of one record
GOAL_P95_MS = 100.0
_TYPO = str.maketrans("aeiou", "eaiuo")


def _new_rows(db: sqlite3.Connection, count: int, start: int, seed: int) -> list[dict[str, Any]]:
    """`count` person rows: even ones a known identity again (a vowel typo in the family
    name, day and month swapped), odd ones a new identity (one record's family name,
    another's given names, a date of birth of neither). Each carries its true identity."""
    rng = random.Random(seed)
    people = db.execute(
        "SELECT p.entity_id, g.identity, p.family_name, p.given_names, p.dob_year, "
        "p.dob_month, p.dob_day, p.gender, a.code FROM person p "
        "JOIN ground_truth g ON g.entity_id = p.entity_id "
        "JOIN entity e ON e.id = p.entity_id JOIN agency a ON a.id = e.owner_id "
        "WHERE p.dob_year IS NOT NULL AND p.dob_month IS NOT NULL AND p.dob_day IS NOT NULL"
    ).fetchall()
    rows: list[dict[str, Any]] = []
    for n in range(count):
        _, identity, family, given, year, month, day, gender, owner = rng.choice(people)
        if n % 2 == 0:
            family = family.translate(_TYPO) if rng.random() < 0.5 else family
            if day <= 12:
                month, day = day, month
        else:
            identity = f"new-{start + n}"
            given = rng.choice(people)[3]
            year, month, day = rng.randint(1950, 2008), rng.randint(1, 12), rng.randint(1, 28)
        rows.append(
            {
                "source_system": "bench",
                "source_id": f"INC{start + n}",
                "owner": owner,
                "family_name": family,
                "given_names": given,
                "date_of_birth": f"{year:04d}-{month:02d}-{day:02d}",
                "gender": gender,
                "categories": "suspect",
                "identity": identity,
            }
        )
    return rows


def _write_rows(path: Path, rows: list[dict[str, Any]]) -> None:
    header = [k for k in rows[0] if k != "identity"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row[k] for k in header])


def _score_new(
    predicted: Mapping[int, str], truth: Mapping[int, str], new: set[int]
) -> dict[str, float]:
    """Pairwise precision and recall over the pairs with at least one new record."""

    def with_new(groups: Iterable[tuple[int, int]]) -> int:
        return sum(n * (n - 1) // 2 - (n - k) * (n - k - 1) // 2 for n, k in groups)

    def groups(key: Any) -> list[tuple[int, int]]:
        sizes: Counter[Any] = Counter()
        fresh: Counter[Any] = Counter()
        for record in truth.keys() & predicted.keys():
            sizes[key(record)] += 1
            fresh[key(record)] += record in new
        return [(sizes[k], fresh[k]) for k in sizes]

    together = with_new(groups(lambda r: predicted[r]))
    true = with_new(groups(lambda r: truth[r]))
    found = with_new(groups(lambda r: (predicted[r], truth[r])))
    precision = found / together if together else 1.0
    recall = found / true if true else 1.0
    return {"precision": precision, "recall": recall, "true_pairs": true}


def incremental(engine: Any, path: Path) -> dict[str, Any]:
    """Import files of new people after the full run; time matching and score it."""
    timed: dict[str, float] = {}
    match = importer_service.match_new_people

    def timed_match(file: Any) -> None:
        started = time.perf_counter()
        match(file)
        timed["seconds"] = time.perf_counter() - started

    importer_service.match_new_people = timed_match  # type: ignore[assignment]
    found: dict[str, Any] = {}
    db = sqlite3.connect(path)
    truth = {e: i for e, i in db.execute("SELECT entity_id, identity FROM ground_truth")}
    start = 0
    try:
        for size in INCREMENTAL_SIZES:
            rows = _new_rows(db, size, start, seed=size)
            start += size
            with tempfile.TemporaryDirectory(prefix="bench-incremental-") as scratch:
                csv_path = Path(scratch) / f"persons-new-{size}.csv"
                _write_rows(csv_path, rows)
                started = time.perf_counter()
                result = import_file(engine=engine, path=csv_path)
                seconds = time.perf_counter() - started
            assert result.written, [str(e) for e in result.errors[:5]]
            ids = {
                source: entity
                for entity, source in db.execute(
                    "SELECT id, source_id FROM entity WHERE source_system = 'bench'"
                )
            }
            new = {ids[row["source_id"]] for row in rows}
            truth.update({ids[row["source_id"]]: str(row["identity"]) for row in rows})
            with session_scope(engine) as session:
                resolved = resolved_ids(session)
            found[f"{size}"] = {
                "import_seconds": round(seconds, 2),
                "matching_seconds": round(timed.get("seconds", 0.0), 2),
                "matching": result.matching,
                "warnings": result.warnings,
                **_score_new(resolved, truth, new),
            }
        found["one_record_ms"] = _one_at_a_time(engine, sorted(new)[:SINGLE_SAMPLES])
        # The same records with their pairs scored on DuckDB (`resolve.scorer`), as
        # before the Python scorer (`resolve.pyscore`): the same run's comparison.
        python_scorer = resolve_incremental.py_scorer_for
        resolve_incremental.py_scorer_for = lambda _: None  # type: ignore[assignment]
        try:
            found["one_record_ms_duckdb"] = _one_at_a_time(engine, sorted(new)[:SINGLE_SAMPLES])
        finally:
            resolve_incremental.py_scorer_for = python_scorer  # type: ignore[assignment]
    finally:
        importer_service.match_new_people = match  # type: ignore[assignment]
        db.close()
    return found


def _one_at_a_time(engine: Any, sample: list[int]) -> dict[str, float]:
    """Match records one at a time, as if each had just been created (rolled back)."""
    actor = system_actor("ersou", "benchmark")
    times: list[float] = []
    for entity_id in sample:
        session = session_factory(engine)()
        try:
            set_unresolved(session, entity_id)
            started = time.perf_counter()
            resolve_new(session, [entity_id], actor=actor)
            times.append((time.perf_counter() - started) * 1000)
        finally:
            session.rollback()
            session.close()
    times.sort()
    return {
        "samples": len(times),
        "p50": round(times[len(times) // 2], 1),
        "p95": round(times[int(len(times) * 0.95) - 1], 1),
        "max": round(times[-1], 1),
    }


def set_unresolved(session: Any, entity_id: int) -> None:
    """Forget one record's resolved id and links (in a transaction rolled back after)."""
    session.execute(text("DELETE FROM resolved_person WHERE entity_id = :e"), {"e": entity_id})
    session.execute(
        text("DELETE FROM resolution_link WHERE entity_a = :e OR entity_b = :e"),
        {"e": entity_id},
    )


def print_incremental(found: dict[str, Any]) -> None:
    print("incremental matching (new records imported after the full run):")
    print(f"{'file rows':>9} {'import s':>9} {'matching s':>10} {'precision':>9} {'recall':>9}")
    for size in INCREMENTAL_SIZES:
        got = found[f"{size}"]
        print(
            f"{size:>9,} {got['import_seconds']:>9.1f} {got['matching_seconds']:>10.1f} "
            f"{got['precision']:>9.4f} {got['recall']:>9.4f}"
        )
    one = found["one_record_ms"]
    print(
        f"one new record: p50 {one['p50']} ms, p95 {one['p95']} ms "
        f"(goal p95 <= {GOAL_P95_MS:.0f} ms: {'met' if one['p95'] <= GOAL_P95_MS else 'NOT met'})"
    )
    duck = found.get("one_record_ms_duckdb")
    if duck:
        print(f"  the same, pairs scored on DuckDB: p50 {duck['p50']} ms, p95 {duck['p95']} ms")


if __name__ == "__main__":
    main()
