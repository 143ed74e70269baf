"""Benchmark prison matching: 1,000,000 PIN-phone call records against the region.

Copies the 1,000,000-person look-up database (benchmarks/data/lookup-1m.db, built by
bench_lookup.py; never written), migrates the copy to the current schema, and adds the
region's organised crime as prison matching sees it:

- 500 OCGs across the seven forces, each with an LRO (100 LRO users), 30 members each
  (15,000 members), an associate per member, a phone per member, a home address per
  member, and a county line with two deal lines;
- a prison with its intelligence officer, and 5,000 prisoners in custody (half of them
  OCG members);
- N call records (default 1,000,000) over 13 weeks, of which a share (default 1 %) dial
  a deal line or a member's phone.

It then times, in the same run:

- OURS (job): `threadline.prison.job.match_new` over every call: the index of known
  phones, members, associates and addresses, the matching, the hit rows, marking the
  calls matched, and one alert per prisoner, record and week to the LRO and the prison
  (alert, audit event and register rows); one transaction, as `threadline tick` runs it;
- OURS (match): loading the index and matching every call in memory, nothing written;
- FLOOR: the bare sqlite3 join of the calls to the `phone` table on the number
  (indexed), returning ids only: the least any matching can do.

The goal is under 30 s for the job on 2 cores. Results go to benchmarks/results/prison.json.

    .venv/bin/python benchmarks/bench_prison.py                 # 1,000,000 calls
    .venv/bin/python benchmarks/bench_prison.py --calls 200000 --hit-share 0.05
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.prison.job import BATCH, match_new
from threadline.prison.matching import Index, Item, match
from threadline.storage.db import make_engine, migrate
from threadline.storage.prison_tables import PrisonIntelRow

HERE = Path(__file__).parent
SOURCE = HERE / "data" / "lookup-1m.db"
RESULTS = HERE / "results" / "prison.json"
NOW = datetime(2026, 11, 26, 2, 0)
STAMP = "2026-11-26 02:00:00.000000"
DAY = "2026-01-01"
GROUPS, MEMBERS, LROS, PRISONERS = 500, 30, 100, 5_000
CHUNK = 100_000


def _entities(db: sqlite3.Connection, kind: str, owner: int, count: int, tag: str) -> list[int]:
    (top,) = db.execute("SELECT max(id) FROM entity").fetchone()
    ids = list(range(top + 1, top + 1 + count))
    db.executemany(
        "INSERT INTO entity (id, kind, owner_id, source_system, source_id, marking, scope, "
        "retention_group, created_at, updated_at) VALUES (?, ?, ?, 'bench', ?, 'OFFICIAL', "
        "'region', '3', ?, ?)",
        [(i, kind, owner, f"{tag}-{i}", STAMP, STAMP) for i in ids],
    )
    return ids


def _links(db: sqlite3.Connection, rows: list[tuple[str, int, int]], owner: int) -> None:
    db.executemany(
        "INSERT INTO link (link_type, from_id, to_id, owner_id, source_system, source_id, "
        "marking, created_at, updated_at) VALUES (?, ?, ?, ?, 'bench', ?, 'OFFICIAL', ?, ?)",
        [(t, a, b, owner, f"{t}-{a}-{b}", STAMP, STAMP) for t, a, b in rows],
    )


def prepare(path: Path, calls: int, hit_share: float, seed: int) -> dict[str, int]:
    """Groups, prisoners and call records on the copy at `path`; returns their counts."""
    rng = random.Random(seed)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    forces = [r[0] for r in db.execute("SELECT id FROM agency WHERE kind = 'force' ORDER BY id")]
    db.execute(
        "INSERT INTO agency (code, name, kind, county, created_at) "
        "VALUES ('hmp-bench', 'HMP Bench', 'prison', 'norfolk', ?)",
        (STAMP,),
    )
    (prison,) = db.execute("SELECT id FROM agency WHERE code = 'hmp-bench'").fetchone()
    user_rows = [
        (f"lro{n}@bench", f"LRO {n}", forces[n % len(forces)], "lro", "SECRET", "", "x", 0, STAMP)
        for n in range(LROS)
    ]
    user_rows.append(
        ("prison@hmp-bench", "Prison", prison, "prison_intel", "SECRET", "", "x", 0, STAMP)
    )
    db.executemany(
        "INSERT INTO user_account (username, display_name, agency_id, roles, clearance, "
        "home_areas, password_hash, disabled, failed_logins, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
        user_rows,
    )
    lros = [r[0] for r in db.execute("SELECT id FROM user_account WHERE roles = 'lro' ORDER BY id")]
    people = [r[0] for r in db.execute("SELECT id FROM entity WHERE kind = 'person' ORDER BY id")]
    phones = db.execute("SELECT entity_id, number FROM phone ORDER BY entity_id").fetchall()
    places = [r[0] for r in db.execute("SELECT entity_id FROM location ORDER BY entity_id")]
    rng.shuffle(people)
    members = people[: GROUPS * MEMBERS]
    associates = people[GROUPS * MEMBERS : 2 * GROUPS * MEMBERS]
    groups = _entities(db, "organisation", forces[0], GROUPS, "ocg")
    db.executemany(
        "INSERT INTO organisation (entity_id, name, name_norm, org_type, lro_id) "
        "VALUES (?, ?, ?, 'ocg', ?)",
        [(g, f"Group {n}", f"group {n}", lros[n % LROS]) for n, g in enumerate(groups)],
    )
    lines = _entities(db, "county_line", forces[0], GROUPS, "line")
    db.executemany(
        "INSERT INTO county_line (entity_id, name, exporting_area) VALUES (?, ?, 'London')",
        [(line, f"Line {n}") for n, line in enumerate(lines)],
    )
    links: list[tuple[str, int, int]] = []
    known: list[str] = []  # numbers whose calls are hits
    for n, group in enumerate(groups):
        links.append(("runs_line", group, lines[n]))
        for k in range(2):
            phone_id, number = phones[2 * n + k]
            links.append(("line_phone", lines[n], phone_id))
            known.append(number)
        for m in range(MEMBERS):
            i = n * MEMBERS + m
            links.append(("member_of", members[i], group))
            links.append(("associate_of", associates[i], members[i]))
            phone_id, number = phones[2 * GROUPS + i]
            links.append(("uses_phone", members[i], phone_id))
            known.append(number)
            links.append(("resides_at", members[i], places[i % len(places)]))
    _links(db, links, forces[0])
    prisoners = members[: PRISONERS // 2] + people[2 * GROUPS * MEMBERS :][: PRISONERS // 2]
    db.executemany(
        "INSERT INTO custody_episode (person_id, owner_id, source_system, source_id, marking, "
        "establishment_id, prison_number, received_on, category, release_date, created_at, "
        "updated_at) VALUES (?, ?, 'bench', ?, 'OFFICIAL', ?, ?, ?, 'C', ?, ?, ?)",
        [
            (p, prison, f"E{p}", prison, f"A{n % 10000:04d}BC", DAY, "2028-01-01", STAMP, STAMP)
            for n, p in enumerate(prisoners)
        ],
    )
    hits = 0
    start = NOW - timedelta(weeks=13)
    for first in range(0, calls, CHUNK):
        rows = []
        for _ in range(first, min(first + CHUNK, calls)):
            if rng.random() < hit_share:
                number = rng.choice(known)
                hits += 1
            else:
                number = f"+4478{rng.randint(0, 99_999_999):08d}"  # no known phone
            at = start + timedelta(seconds=rng.randint(0, 13 * 7 * 86_400))
            rows.append(
                (
                    prison,
                    rng.choice(prisoners),
                    at.strftime("%Y-%m-%d %H:%M:%S.000000"),
                    number,
                    rng.randint(20, 600),
                )
            )
        db.executemany(
            "INSERT INTO prison_intel (kind, establishment_id, prisoner_id, occurred_at, number, "
            "duration_seconds, visitor_name, association, find_type, notes, source_eval, "
            "intel_eval, handling, marking, recorded_by, created_at) VALUES ('call', ?, ?, ?, "
            "?, ?, '', '', '', '', '2', 'B', 'P', 'OFFICIAL', 'bench', '" + STAMP + "')",
            rows,
        )
    db.commit()
    db.execute("ANALYZE")
    db.close()
    return {
        "calls": calls,
        "hit_calls": hits,
        "known_numbers": len(known),
        "prisoners": len(prisoners),
    }


def floor(path: Path) -> tuple[float, int]:
    """Seconds for the bare indexed join of every call to `phone` (fastest of 3)."""
    db = sqlite3.connect(path)
    best, found = float("inf"), 0
    for _ in range(3):
        started = time.perf_counter()
        found = len(
            db.execute(
                "SELECT i.id, p.entity_id FROM prison_intel i JOIN phone p ON p.number = i.number"
            ).fetchall()
        )
        best = min(best, time.perf_counter() - started)
    db.close()
    return best, found


def match_only(path: Path) -> tuple[float, int]:
    """Seconds to load the index and match every call in memory (fastest of 3)."""
    engine = make_engine(str(path))
    best, found = float("inf"), 0
    for _ in range(3):
        with Session(engine) as session:
            started = time.perf_counter()
            index = Index.load(session, NOW.date())
            found, last = 0, 0
            while True:
                rows = session.execute(
                    select(
                        PrisonIntelRow.id,
                        PrisonIntelRow.kind,
                        PrisonIntelRow.prisoner_id,
                        PrisonIntelRow.establishment_id,
                        PrisonIntelRow.occurred_at,
                        PrisonIntelRow.number,
                        PrisonIntelRow.other_id,
                        PrisonIntelRow.visitor_postcode,
                    )
                    .where(PrisonIntelRow.id > last)
                    .order_by(PrisonIntelRow.id)
                    .limit(BATCH)
                ).all()
                if not rows:
                    break
                found += len(match([Item(*row) for row in rows], index))
                last = rows[-1][0]
            best = min(best, time.perf_counter() - started)
    engine.dispose()
    return best, found


def job(path: Path) -> tuple[float, tuple[int, int, int]]:
    """Seconds for matching every call as the tick job does, committed."""
    engine = make_engine(str(path))
    with Session(engine) as session:
        started = time.perf_counter()
        counts = match_new(session, now=NOW)
        session.commit()
        seconds = time.perf_counter() - started
    engine.dispose()
    return seconds, counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark prison call matching.")
    parser.add_argument("--calls", type=int, default=1_000_000, help="Call records to match.")
    parser.add_argument("--hit-share", type=float, default=0.01, help="Share of calls that hit.")
    parser.add_argument("--seed", type=int, default=20261126, help="Seed for the synthesis.")
    parser.add_argument("--source", type=Path, default=SOURCE, help="Database to copy.")
    args = parser.parse_args(argv)
    if not args.source.exists():
        parser.error(f"{args.source} is missing: build it with benchmarks/bench_lookup.py")

    with tempfile.TemporaryDirectory(prefix="bench-prison-") as folder:
        path = Path(folder) / "prison.db"
        started = time.perf_counter()
        shutil.copyfile(args.source, path)
        engine = make_engine(str(path))
        migrate(engine)
        engine.dispose()
        counts = prepare(path, args.calls, args.hit_share, args.seed)
        build_seconds = time.perf_counter() - started

        floor_seconds, floor_found = floor(path)
        match_seconds, hits = match_only(path)
        job_seconds, (matched, stored, alerts) = job(path)
        size_mb = path.stat().st_size / 1e6

    calls = counts["calls"]
    output = {
        "date": date.today().isoformat(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "machine": platform.machine(),
        "database": "copy of benchmarks/data/lookup-1m.db",
        "database_mb": round(size_mb, 1),
        "build_seconds": round(build_seconds, 1),
        "groups": GROUPS,
        "members": GROUPS * MEMBERS,
        "prisoners": counts["prisoners"],
        "known_numbers": counts["known_numbers"],
        "calls": calls,
        "hit_calls": counts["hit_calls"],
        "batch": BATCH,
        "job": {
            "seconds": round(job_seconds, 3),
            "calls_per_second": round(calls / job_seconds),
            "matched": matched,
            "hits": stored,
            "alerts": alerts,
        },
        "match_only": {
            "seconds": round(match_seconds, 3),
            "calls_per_second": round(calls / match_seconds),
            "hits": hits,
        },
        "floor": {
            "seconds": round(floor_seconds, 3),
            "calls_per_second": round(calls / floor_seconds),
            "rows": floor_found,
        },
        "ratio_job_to_floor": round(job_seconds / floor_seconds, 1),
        "ratio_match_to_floor": round(match_seconds / floor_seconds, 1),
        "goal_seconds": 30,
        "goal_met": job_seconds < 30,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(output, indent=2) + "\n")
    print(f"\n{calls:,} calls ({counts['hit_calls']:,} to known numbers), batches of {BATCH:,}")
    for label, key in (("job (alerts)", "job"), ("match only", "match_only"), ("floor", "floor")):
        r = output[key]
        assert isinstance(r, dict)
        print(f"{label:14} {r['seconds']:>8.3f} s {r['calls_per_second']:>12,} calls/s")
    print(
        f"job/floor {output['ratio_job_to_floor']}x, match/floor "
        f"{output['ratio_match_to_floor']}x; goal under 30 s met: {output['goal_met']}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
