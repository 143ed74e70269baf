"""Benchmark the roadside look-ups at scale: fuzzy names, phones, vehicles, postcodes, PNC.

Builds (or reuses) a SQLite database of synthetic people, migrated by Threadline itself,
then times a few hundred varied queries of each kind through `threadline.search`. Beside
each it times a FLOOR in the same run: the bare sqlite3 query of the same kind (an exact
index seek returning ids), so the ratio ours/floor shows what normalising, fuzzy
matching, joining owner and marking and building results cost on top of the index.

    .venv/bin/python benchmarks/bench_lookup.py            # 1,000,000 people
    .venv/bin/python benchmarks/bench_lookup.py --quick    # 100,000 people
    .venv/bin/python benchmarks/bench_lookup.py --people 250000 --queries 500

Each query is run `--repeat` times (default 3) and its fastest run kept, for ours and the
floor alike, so that other work on a shared machine does not masquerade as search cost;
timings are therefore warm-cache (the database sits in the OS page cache). Name queries
are made from random people, varied as records and officers vary them (typos,
nicknames, swapped day and month...), and the report says where the true person came.

The database goes to benchmarks/data/lookup-<size>.db (git-ignored: *.db) and is reused
when it already holds the right number of people; results go to
benchmarks/results/lookup.json. All data is synthetic: names are drawn at random from the
demo's name lists (family names weighted as in real records), so no real person appears.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from threadline.demo import names
from threadline.model.values import PartialDate, PhoneNumber, RegistrationMark, vrm_lookup_key
from threadline.reference import geography
from threadline.search import (
    find_locations,
    find_people,
    find_person_by_pnc,
    find_phone,
    find_vehicle,
    name_keys,
)
from threadline.storage.db import make_engine, migrate, session_scope
from threadline.storage.reference import agency_ids, area_ids, seed_region

HERE = Path(__file__).parent
DATA = HERE / "data"
RESULTS = HERE / "results" / "lookup.json"
CHUNK = 50_000
NOW = "2026-01-01 00:00:00.000000"
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

# Fractions of people who also have...
ALIAS_SHARE = 0.10  # a second recorded name (nickname given name or misspelt family name)
STREET_NAME_SHARE = 0.05  # a street nickname
PNC_SHARE = 0.40
PHONE_SHARE = 0.30
VEHICLE_SHARE = 0.15
LOCATION_SHARE = 0.20


# ------------------------------------------------------------------------- building


def _label(people: int) -> str:
    if people % 1_000_000 == 0:
        return f"{people // 1_000_000}m"
    if people % 1000 == 0:
        return f"{people // 1000}k"
    return str(people)


def _weights(count: int) -> list[float]:
    # Given names: a Zipf-like skew so that some are common and most are occasional.
    return [1.0 / (rank + 8) for rank in range(count)]


@dataclass
class Generator:
    rng: random.Random

    def __post_init__(self) -> None:
        self.families = [f for f, _ in names.FAMILY_NAMES]
        self.family_weights = [w for _, w in names.FAMILY_NAMES]
        self.male = list(names.MALE_GIVEN)
        self.female = list(names.FEMALE_GIVEN)
        self.male_w = _weights(len(self.male))
        self.female_w = _weights(len(self.female))
        self.street = list(names.STREET_NICKNAMES)
        self.districts = [
            (district, area)
            for force in geography.FORCES
            for area in force.areas
            for district in area.postcode_districts
        ]

    def family(self) -> str:
        return self.rng.choices(self.families, self.family_weights)[0]

    def given(self, female: bool) -> str:
        pool, weights = (self.female, self.female_w) if female else (self.male, self.male_w)
        first = self.rng.choices(pool, weights)[0]
        if self.rng.random() < 0.3:
            return f"{first} {self.rng.choices(pool, weights)[0]}"
        return first

    def dob(self) -> tuple[int | None, int | None, int | None]:
        roll = self.rng.random()
        if roll < 0.05:
            return None, None, None
        year = min(2010, max(1940, int(self.rng.gauss(1988, 12))))
        if roll < 0.10:
            return year, None, None
        month = self.rng.randint(1, 12)
        if roll < 0.13:
            return year, month, None
        return year, month, self.rng.randint(1, 28)

    def pnc(self, serial: int) -> str:
        return f"{self.rng.randint(0, 99):02d}/{serial}{self.rng.choice('ABCDEFGHJKLMNPQRTUVWXY')}"

    def typo(self, word: str) -> str:
        if len(word) < 4:
            return word
        i = self.rng.randrange(1, len(word) - 1)
        kind = self.rng.random()
        if kind < 0.4:
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if kind < 0.7:
            return word[:i] + word[i + 1 :]
        return word[:i] + self.rng.choice("aeiouy") + word[i + 1 :]

    def nickname(self, given: str) -> str | None:
        first = given.split(" ")[0]
        options = names.NICKNAMES.get(first)
        return self.rng.choice(options) if options else None

    def postcode(self) -> tuple[str, str]:
        district, area = self.rng.choice(self.districts)
        letters = "".join(self.rng.choice(INWARD_LETTERS) for _ in range(2))
        inward = f"{self.rng.randint(0, 9)}{letters}"
        return f"{district} {inward}", area.code

    def vrm(self) -> str:
        letters = "ABCDEFGHJKLMNOPRSTUVWXYZ"
        return (
            "".join(self.rng.choice(letters) for _ in range(2))
            + f"{self.rng.randint(2, 74):02d}"
            + "".join(self.rng.choice(letters) for _ in range(3))
        )

    def phone(self) -> str:
        return f"+447{self.rng.randint(100_000_000, 999_999_999)}"


INSERTS = {
    "entity": "INSERT INTO entity (id, kind, owner_id, source_system, source_id, marking, "
    "retention_group, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
    "person": "INSERT INTO person (entity_id, family_name, given_names, dob_year, dob_month, "
    "dob_day, gender, pnc_id, categories) VALUES (?,?,?,?,?,?,?,?,?)",
    "person_name": "INSERT INTO person_name (id, person_id, kind, family_name, given_names, "
    "family_norm, given_norm, full_norm, family_key, given_key) VALUES (?,?,?,?,?,?,?,?,?,?)",
    "phone": "INSERT INTO phone (entity_id, number, valid, imei) VALUES (?,?,?,?)",
    "vehicle": "INSERT INTO vehicle (entity_id, vrm, vrm_key, make, model, colour) "
    "VALUES (?,?,?,?,?,?)",
    "location": "INSERT INTO location (entity_id, location_type, line1, line2, town, postcode, "
    "area_id) VALUES (?,?,?,?,?,?,?)",
}


@dataclass
class Rows:
    """Rows of every table for one batch, with the ids handed out so far."""

    entity_id: int = 0
    name_id: int = 0
    pnc_serial: int = 100_000

    def __post_init__(self) -> None:
        self.tables: dict[str, list[tuple[object, ...]]] = {table: [] for table in INSERTS}

    def entity(self, kind: str, owner: int) -> int:
        self.entity_id += 1
        source_id = f"{kind}-{self.entity_id}"
        row = (self.entity_id, kind, owner, "bench", source_id, "OFFICIAL", "3", NOW, NOW)
        self.tables["entity"].append(row)
        return self.entity_id

    def name(self, person_id: int, kind: str, family: str, given: str) -> None:
        self.name_id += 1
        k = name_keys(family, given)
        keys = (k.family_norm, k.given_norm, k.full_norm, k.family_key, k.given_key)
        self.tables["person_name"].append((self.name_id, person_id, kind, family, given, *keys))

    def write(self, db: sqlite3.Connection) -> None:
        db.execute("BEGIN")
        for table, sql in INSERTS.items():
            db.executemany(sql, self.tables[table])
            self.tables[table].clear()
        db.execute("COMMIT")


def add_person(rows: Rows, gen: Generator, owners: list[int], areas: dict[str, int]) -> None:
    """One synthetic person and, for some, an alias, a street name, phone, car, address."""
    rng = gen.rng
    owner = rng.choice(owners)
    female = rng.random() < 0.45
    family, given = gen.family(), gen.given(female)
    year, month, day = gen.dob()
    pnc = None
    if rng.random() < PNC_SHARE:
        rows.pnc_serial += rng.randint(1, 9)
        pnc = gen.pnc(rows.pnc_serial)
    pid = rows.entity("person", owner)
    gender = "female" if female else "male"
    rows.tables["person"].append((pid, family, given, year, month, day, gender, pnc, ""))
    rows.name(pid, "primary", family, given)
    if rng.random() < ALIAS_SHARE:
        nick = gen.nickname(given)
        rows.name(pid, "alias", *((family, nick) if nick else (gen.typo(family), given)))
    if rng.random() < STREET_NAME_SHARE:
        rows.name(pid, "nickname", "", rng.choice(gen.street))
    if rng.random() < PHONE_SHARE:
        rows.tables["phone"].append((rows.entity("phone", owner), gen.phone(), 1, None))
    if rng.random() < VEHICLE_SHARE:
        vrm = gen.vrm()
        vehicle_id = rows.entity("vehicle", owner)
        rows.tables["vehicle"].append(
            (vehicle_id, vrm, vrm_lookup_key(vrm), "Ford", "Focus", "Blue")
        )
    if rng.random() < LOCATION_SHARE:
        postcode, area = gen.postcode()
        line1 = f"{rng.randint(1, 200)} High Street"
        location_id = rows.entity("location", owner)
        rows.tables["location"].append(
            (location_id, "address", line1, "", "", postcode, areas[area])
        )


def build(path: Path, people: int, seed: int) -> float:
    """Create the database at `path` with `people` synthetic people; returns seconds.

    The schema comes from Threadline's own migrations (so the indexes, FTS5 table and
    its triggers are the real ones); rows go in by bulk sqlite3 inserts.
    """
    started = time.perf_counter()
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    engine = make_engine(str(path))
    migrate(engine)
    with session_scope(engine) as session:
        seed_region(session)
        owners = [agency_ids(session)[force.code] for force in geography.FORCES]
        areas = area_ids(session)
    engine.dispose()

    gen = Generator(random.Random(seed))
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-1048576")  # 1 GiB while building
    rows = Rows()
    done = 0
    while done < people:
        batch = min(CHUNK, people - done)
        for _ in range(batch):
            add_person(rows, gen, owners, areas)
        rows.write(db)
        done += batch
        print(f"  built {done:,} / {people:,} people", file=sys.stderr, end="\r")
    print(file=sys.stderr)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return time.perf_counter() - started


def ensure_database(path: Path, people: int, seed: int, rebuild: bool) -> float | None:
    """Reuse the database at `path` if it holds `people` people; otherwise build it."""
    if path.exists() and not rebuild:
        try:
            with sqlite3.connect(path) as db:
                (count,) = db.execute("SELECT count(*) FROM person").fetchone()
        except sqlite3.DatabaseError:
            count = -1
        if count == people:
            print(f"reusing {path} ({people:,} people)", file=sys.stderr)
            return None
    print(f"building {path} with {people:,} people...", file=sys.stderr)
    return build(path, people, seed)


# ------------------------------------------------------------------------- queries


@dataclass(frozen=True)
class NameCase:
    person_id: int
    typed: str
    dob: PartialDate | None
    exact_family: str
    exact_given: str
    variation: str


def name_cases(db: sqlite3.Connection, rng: random.Random, count: int) -> list[NameCase]:
    """Queries made from random people, varied the ways officers and records differ."""
    (top,) = db.execute("SELECT max(entity_id) FROM person").fetchone()
    gen = Generator(rng)
    cases: list[NameCase] = []
    variations = [
        "exact",
        "exact + dob",
        "typo family",
        "typo given",
        "nickname",
        "swapped dob",
        "family only + dob",
        "given + year",
    ]
    while len(cases) < count:
        row = db.execute(
            "SELECT entity_id, family_name, given_names, dob_year, dob_month, dob_day "
            "FROM person WHERE entity_id >= ? LIMIT 1",
            (rng.randint(1, top),),
        ).fetchone()
        if row is None:
            continue
        pid, family, given, year, month, day = row
        first = given.split(" ")[0]
        dob = PartialDate.from_parts(year, month, day)
        variation = variations[len(cases) % len(variations)]
        typed, asked = f"{first} {family}", None
        if variation == "exact + dob":
            asked = dob
        elif variation == "typo family":
            typed = f"{first} {gen.typo(family)}"
        elif variation == "typo given":
            typed = f"{gen.typo(first)} {family}"
        elif variation == "nickname":
            nick = gen.nickname(first)
            if nick is None:
                continue
            typed = f"{nick} {family}"
        elif variation == "swapped dob":
            swapped = dob.swapped() if dob else None
            if swapped is None:
                continue
            asked = swapped
        elif variation == "family only + dob":
            if dob is None or dob.day is None:
                continue
            typed, asked = family, dob
        elif variation == "given + year" and year is not None:
            asked = PartialDate(year)
        keys = name_keys(family, given)
        cases.append(NameCase(pid, typed, asked, keys.family_norm, keys.given_norm, variation))
    return cases


def _sample(
    db: sqlite3.Connection, sql: str, rng: random.Random, count: int
) -> list[tuple[Any, ...]]:
    rows = db.execute(sql).fetchall()
    return rng.sample(rows, min(count, len(rows)))


# ------------------------------------------------------------------------- timing


def _time(calls: Sequence[Callable[[], object]], repeat: int) -> list[float]:
    """Milliseconds for each call: the best of `repeat` runs, which discounts the moments
    another process had the CPU (this machine is shared), as `timeit` does."""
    timings = []
    for call in calls:
        best = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            call()
            best = min(best, time.perf_counter() - started)
        timings.append(best * 1000.0)
    return timings


def _summary(ours: list[float], floor: list[float]) -> dict[str, float]:
    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)

    ours_median, floor_median = statistics.median(ours), statistics.median(floor)
    return {
        "queries": len(ours),
        "median_ms": round(ours_median, 3),
        "p95_ms": round(p95(ours), 3),
        "floor_median_ms": round(floor_median, 4),
        "floor_p95_ms": round(p95(floor), 4),
        "ratio_median": round(ours_median / floor_median, 1) if floor_median else float("inf"),
    }


def bench_people(
    session: Session, floor_db: sqlite3.Connection, cases: list[NameCase], repeat: int
) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Time find_people on every case, and say where the true person came in each time."""
    ranks: list[int | None] = []
    tied_first: list[bool] = []
    found_long: list[bool] = []
    for case in cases:
        results = find_people(session=session, name=case.typed, dob=case.dob)
        ids = [m.person_id for m in results]
        rank = ids.index(case.person_id) if case.person_id in ids else None
        ranks.append(rank)
        # Several people may share a name exactly: first equal is as good as first.
        tied_first.append(rank is not None and results[rank].score == results[0].score)
        # With a long page, is the person found at all? The gap to top-20 is people who
        # tie with many namesakes (hundreds of Oliver Taylors), not people missed.
        longer = find_people(session=session, name=case.typed, dob=case.dob, limit=200)
        found_long.append(case.person_id in {m.person_id for m in longer})
        session.rollback()
    ours = _time(
        [_ours(session, find_people, name=case.typed, dob=case.dob) for case in cases], repeat
    )
    floor = _time(
        [
            _floor(
                floor_db,
                "SELECT person_id FROM person_name WHERE family_norm = ? AND given_norm = ?",
                (case.exact_family, case.exact_given),
            )
            for case in cases
        ],
        repeat,
    )
    recall: dict[str, dict[str, float]] = {}
    for variation in dict.fromkeys(case.variation for case in cases):
        picked = [i for i, case in enumerate(cases) if case.variation == variation]
        found = [ranks[i] for i in picked]
        recall[variation] = {
            "queries": len(picked),
            "median_ms": round(statistics.median(ours[i] for i in picked), 3),
            "top1": round(sum(r == 0 for r in found) / len(found), 3),
            "top1_or_tied": round(sum(tied_first[i] for i in picked) / len(picked), 3),
            "top20": round(sum(r is not None for r in found) / len(found), 3),
            "top200": round(sum(found_long[i] for i in picked) / len(picked), 3),
        }
    return _summary(ours, floor), recall


def _floor(db: sqlite3.Connection, sql: str, params: tuple[object, ...]) -> Callable[[], object]:
    return lambda: db.execute(sql, params).fetchall()


def _ours(session: Session, call: Callable[..., object], **kwargs: object) -> Callable[[], object]:
    def run() -> None:
        call(session=session, **kwargs)
        session.rollback()

    return run


def _pair(
    session: Session,
    db: sqlite3.Connection,
    call: Callable[..., object],
    typed: list[dict[str, object]],
    floor_sql: str,
    floor_params: list[tuple[object, ...]],
    repeat: int,
) -> dict[str, float]:
    ours = _time([_ours(session, call, **kwargs) for kwargs in typed], repeat)
    floor = _time([_floor(db, floor_sql, params) for params in floor_params], repeat)
    return _summary(ours, floor)


def bench_exact(
    session: Session, db: sqlite3.Connection, rng: random.Random, count: int, repeat: int
) -> dict[str, dict[str, float]]:
    """Time the exact look-ups, typed as an officer would, against bare index seeks."""
    phones = [n for (n,) in _sample(db, "SELECT number FROM phone", rng, count)]
    vrms = [v for (v,) in _sample(db, "SELECT vrm FROM vehicle", rng, count)]
    postcodes = [p for (p,) in _sample(db, "SELECT postcode FROM location", rng, count)]
    districts = [p.split(" ")[0] for p in postcodes[: max(20, count // 4)]]
    pnc_sql = "SELECT pnc_id FROM person WHERE pnc_id IS NOT NULL"
    pncs = [p for (p,) in _sample(db, pnc_sql, rng, count)]
    return {
        "find_phone": _pair(
            session,
            db,
            find_phone,
            [{"number": PhoneNumber.parse(n).national()} for n in phones],
            "SELECT entity_id FROM phone WHERE number = ?",
            [(n,) for n in phones],
            repeat,
        ),
        "find_vehicle": _pair(
            session,
            db,
            find_vehicle,
            [{"vrm": RegistrationMark.parse(v).display.lower()} for v in vrms],
            "SELECT entity_id FROM vehicle WHERE vrm_key = ?",
            [(vrm_lookup_key(v),) for v in vrms],
            repeat,
        ),
        "find_locations (postcode)": _pair(
            session,
            db,
            find_locations,
            [{"postcode": p.replace(" ", "").lower()} for p in postcodes],
            "SELECT entity_id FROM location WHERE postcode = ?",
            [(p,) for p in postcodes],
            repeat,
        ),
        "find_locations (district, <=1000 rows)": _pair(
            session,
            db,
            find_locations,
            [{"postcode": d} for d in districts],
            "SELECT entity_id FROM location WHERE postcode >= ? AND postcode < ? "
            "ORDER BY postcode LIMIT 1000",
            [(d + " ", d + "!") for d in districts],
            repeat,
        ),
        "find_person_by_pnc": _pair(
            session,
            db,
            find_person_by_pnc,
            [{"pnc_id": p} for p in pncs],
            "SELECT entity_id FROM person WHERE pnc_id = ?",
            [(p,) for p in pncs],
            repeat,
        ),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark Threadline's roadside look-ups.")
    parser.add_argument(
        "--people", type=int, default=1_000_000, help="How many people the database holds."
    )
    parser.add_argument("--quick", action="store_true", help="Use 100,000 people instead.")
    parser.add_argument("--queries", type=int, default=400, help="Queries timed per kind.")
    parser.add_argument("--seed", type=int, default=20261126, help="Seed for data and queries.")
    parser.add_argument(
        "--repeat", type=int, default=3, help="Runs of each query; the fastest is kept."
    )
    parser.add_argument("--rebuild", action="store_true", help="Build the database afresh.")
    parser.add_argument(
        "--db", type=Path, default=None, help="Database path (default benchmarks/data/...)."
    )
    args = parser.parse_args(argv)
    people = 100_000 if args.quick else args.people
    path = args.db or DATA / f"lookup-{_label(people)}.db"
    build_seconds = ensure_database(path, people, args.seed, args.rebuild)

    rng = random.Random(args.seed + 1)
    floor_db = sqlite3.connect(path)
    floor_db.execute("PRAGMA cache_size=-65536")  # the same page cache Threadline uses
    engine = make_engine(str(path))
    with Session(engine) as session:
        # Warm both connections the same way before timing anything.
        find_people(session=session, name="John Smith")
        floor_db.execute("SELECT count(*) FROM person_name WHERE family_norm = 'smith'").fetchall()
        people_summary, recall = bench_people(
            session, floor_db, name_cases(floor_db, rng, args.queries), args.repeat
        )
        report = {"find_people (fuzzy)": people_summary}
        report.update(bench_exact(session, floor_db, rng, args.queries, args.repeat))
    (count,) = floor_db.execute("SELECT count(*) FROM person").fetchone()
    (name_count,) = floor_db.execute("SELECT count(*) FROM person_name").fetchone()
    floor_db.close()
    engine.dispose()

    output = {
        "people": count,
        "person_names": name_count,
        "database": _shown(path),
        "database_mb": round(path.stat().st_size / 1e6, 1),
        "build_seconds": round(build_seconds, 1) if build_seconds is not None else None,
        "date": date.today().isoformat(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "machine": platform.machine(),
        "repeat": args.repeat,
        "lookups": report,
        "find_people_by_variation": recall,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(output, indent=2) + "\n")
    print_table(output)
    return 0


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def print_table(output: dict[str, Any]) -> None:
    print(
        f"\n{output['people']:,} people ({output['person_names']:,} names), "
        f"{output['database_mb']} MB, SQLite {output['sqlite']}"
    )
    header = (
        f"{'look-up':40} {'n':>5} {'median ms':>10} {'p95 ms':>8} "
        f"{'floor med':>10} {'floor p95':>10} {'ours/floor':>11}"
    )
    print(header)
    print("-" * len(header))
    for kind, r in output["lookups"].items():
        print(
            f"{kind:40} {r['queries']:>5} {r['median_ms']:>10.3f} {r['p95_ms']:>8.3f} "
            f"{r['floor_median_ms']:>10.4f} {r['floor_p95_ms']:>10.4f} {r['ratio_median']:>10.1f}x"
        )
    print(
        f"\n{'find_people by variation':40} {'n':>5} {'median ms':>10} {'top-1':>8} "
        f"{'=top-1':>8} {'top-20':>8} {'top-200':>8}"
    )
    for variation, r in output["find_people_by_variation"].items():
        print(
            f"{variation:40} {r['queries']:>5} {r['median_ms']:>10.3f} "
            f"{r['top1']:>8.1%} {r['top1_or_tied']:>8.1%} {r['top20']:>8.1%} {r['top200']:>8.1%}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
