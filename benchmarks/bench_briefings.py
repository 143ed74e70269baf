"""Benchmark compiling every area's shift briefing for a 1,000,000-person region.

Works on a COPY of benchmarks/data/lookup-1m.db (made by bench_lookup.py; never written
here). That database holds people, locations, phones and vehicles but no groups and no
links, so the copy is migrated and given synthetic organised crime around the people
already there, at roughly the density of the demo region:

- every person lives somewhere (one `resides_at` link each: a million-row link table);
- one organised crime group per 1,000 people, 8-24 members (principal, lieutenants,
  associates, runners) living mostly in the group's home area, operating from one to
  three addresses there, with group and member vehicles;
- a county line for every third group, importing into an area, with a deal line,
  runners and one to three cuckooed addresses;
- a published threat notice for every fourth group (area audience; every tenth notice
  region-wide), and a few withdrawn ones; a fifth of groups and lines are
  OFFICIAL-SENSITIVE.

It then times `compile_briefings` for every policing area (58) of the region, in one
transaction rolled back after each run, so each run does the whole work; beside it, a
FLOOR measured in the same run: one full scan of the link table (the least any
compilation that looks at links could do without indexes). Each is run `--repeat`
times (default 3) and the fastest kept; timings are warm-cache. The goal is under 60 s
on 2 cores.

    .venv/bin/python benchmarks/bench_briefings.py             # lookup-1m.db
    .venv/bin/python benchmarks/bench_briefings.py --quick     # lookup-100k.db

Results go to benchmarks/results/briefings.json. All data is synthetic.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from threadline.briefings.compile import compile_briefings
from threadline.briefings.gather import gather, load_areas
from threadline.settings import Settings
from threadline.storage.db import make_engine, migrate, session_factory, session_scope
from threadline.storage.reference import seed_region

HERE = Path(__file__).parent
DATA = HERE / "data"
RESULTS = HERE / "results" / "briefings.json"
NOW = "2026-01-01 00:00:00.000000"
GOAL_SECONDS = 60.0
BRANDS = ("Bolt", "Tony", "Mitch", "Kay", "Zee", "Smokey", "Flex", "Dino", "Rocco", "Ace")
EXPORTERS = ("London (Lambeth)", "London (Hackney)", "Merseyside", "West Midlands")
MARKERS = ("", "", "", "VI", "WE", "DR", "FI,VI", "DR,WE")


class Synth:
    """Writes the synthetic organised crime into the copy with plain sqlite3 (fast)."""

    def __init__(self, conn: sqlite3.Connection, seed: int) -> None:
        self.conn = conn
        self.rng = random.Random(seed)
        self.next_entity = int(conn.execute("SELECT max(id) FROM entity").fetchone()[0]) + 1
        self.next_link = int(conn.execute("SELECT coalesce(max(id), 0) FROM link").fetchone()[0])
        self.links: list[tuple[Any, ...]] = []
        self.counts: dict[str, int] = defaultdict(int)

    def entity(self, kind: str, owner: int, marking: str = "OFFICIAL") -> int:
        entity_id = self.next_entity
        self.next_entity += 1
        self.conn.execute(
            "INSERT INTO entity (id, kind, owner_id, source_system, source_id, marking, scope, "
            "retention_group, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (entity_id, kind, owner, "bench", f"{kind}-{entity_id}", marking, "region", "3",
             NOW, NOW),
        )  # fmt: skip
        return entity_id

    def link(
        self, link_type: str, from_id: int, to_id: int, owner: int, role: str | None = None
    ) -> None:
        self.next_link += 1
        self.links.append(
            (self.next_link, link_type, from_id, to_id, role, "2025-01-01", None, owner,
             "bench", f"L{self.next_link}", "OFFICIAL", NOW, NOW)
        )  # fmt: skip
        self.counts[link_type] += 1
        if len(self.links) >= 50_000:
            self.flush()

    def flush(self) -> None:
        self.conn.executemany(
            "INSERT INTO link (id, link_type, from_id, to_id, role, valid_from, valid_to, "
            "owner_id, source_system, source_id, marking, created_at, updated_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            self.links,
        )
        self.links.clear()


def build(path: Path, seed: int) -> dict[str, int]:
    """Migrate the copy and add the synthetic groups, lines, notices and links."""
    engine = make_engine(str(path))
    migrate(engine)
    with session_scope(engine) as session:
        seed_region(session)
    engine.dispose()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    synth = Synth(conn, seed)
    rng = synth.rng
    areas = conn.execute("SELECT id, code, force_id FROM area").fetchall()
    force_of = {a[0]: a[2] for a in areas}
    code_of = {a[0]: a[1] for a in areas}
    by_area: dict[int, list[int]] = defaultdict(list)
    for location_id, area_id in conn.execute(
        "SELECT entity_id, area_id FROM location WHERE area_id IS NOT NULL"
    ):
        by_area[area_id].append(location_id)
    area_ids = sorted(by_area)
    all_locations = [loc for locs in by_area.values() for loc in locs]
    people = [row[0] for row in conn.execute("SELECT entity_id FROM person ORDER BY entity_id")]
    vehicles = [row[0] for row in conn.execute("SELECT entity_id FROM vehicle")]
    phones = [row[0] for row in conn.execute("SELECT entity_id FROM phone")]
    rng.shuffle(people)
    groups = len(people) // 1000
    home_of: dict[int, int] = {}  # member -> area they live in
    cursor = 0
    notices = 0
    for g in range(groups):
        area_id = rng.choice(area_ids)
        force = force_of[area_id]
        marking = "OFFICIAL-SENSITIVE" if rng.random() < 0.2 else "OFFICIAL"
        group = synth.entity("organisation", force, marking)
        name = f"Operation {rng.choice(BRANDS)}{g}"
        conn.execute(
            "INSERT INTO organisation (entity_id, name, name_norm, org_type) VALUES (?,?,?,?)",
            (group, name, name.lower(), "ocg"),
        )
        for base in rng.sample(by_area[area_id], k=min(len(by_area[area_id]), rng.randint(1, 3))):
            synth.link("operates_from", group, base, force)
        size = rng.randint(8, 24)
        members = people[cursor : cursor + size]
        cursor += size
        lieutenants = rng.randint(2, 3)
        runners: list[int] = []
        for i, person in enumerate(members):
            role = (
                "principal"
                if i == 0
                else "lieutenant"
                if i <= lieutenants
                else "runner"
                if i > size - 4
                else "associate"
            )
            synth.link("member_of", person, group, force, role)
            home_of[person] = area_id if rng.random() < 0.8 else rng.choice(area_ids)
            if role in ("principal", "lieutenant"):
                synth.link("uses_vehicle", person, rng.choice(vehicles), force)
                markers = rng.choice(MARKERS)
                if markers:
                    conn.execute(
                        "UPDATE person SET warning_markers = ? WHERE entity_id = ?",
                        (markers, person),
                    )
            if role == "runner":
                runners.append(person)
        for _ in range(rng.randint(1, 2)):
            synth.link("uses_vehicle", group, rng.choice(vehicles), force)
        if g % 3 == 0:
            into = area_id if rng.random() < 0.5 else rng.choice(area_ids)
            line = synth.entity("county_line", force, marking)
            conn.execute(
                "INSERT INTO county_line (entity_id, name, exporting_area, importing_area_id) "
                "VALUES (?,?,?,?)",
                (line, f"{rng.choice(BRANDS)} {g}", rng.choice(EXPORTERS), into),
            )
            synth.link("runs_line", group, line, force)
            synth.link("line_phone", line, rng.choice(phones), force)
            for runner in runners:
                synth.link("runner_for", runner, line, force)
            for home in rng.sample(by_area[into], k=min(len(by_area[into]), rng.randint(1, 3))):
                synth.link("cuckoos", line, home, force)
        if g % 4 == 0:
            notices += 1
            withdrawn = notices % 25 == 0
            conn.execute(
                "INSERT INTO threat_notice (ref, owner_id, subject_id, title, threat, place, "
                "action, contact, areas, source_eval, intel_eval, handling, conditions, marking, "
                "status, review_date, created_at, published_at, withdrawn_at) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (f"TN-BENCH-{notices:05d}", force, group, f"{name}: active threat",
                 "Dealing class A drugs; violence against rivals.", "Town centre",
                 "Submit intelligence on any sighting.", "Force intelligence bureau",
                 code_of[area_id], "2", "B", "C" if notices % 7 == 0 else "P",
                 "Police only." if notices % 7 == 0 else None, marking,
                 "withdrawn" if withdrawn else "published", "2026-06-30", NOW, NOW,
                 NOW if withdrawn else None),
            )  # fmt: skip
            notice_id = conn.execute("SELECT last_insert_rowid()").fetchone()[0]
            audience = ("region", "") if notices % 10 == 0 else ("area", code_of[area_id])
            conn.execute(
                "INSERT INTO notice_audience (notice_id, kind, code) VALUES (?,?,?)",
                (notice_id, *audience),
            )
    owners = dict(conn.execute("SELECT id, owner_id FROM entity WHERE kind = 'person'"))
    for person in people:
        area_id = home_of.get(person)
        home = rng.choice(by_area[area_id]) if area_id else rng.choice(all_locations)
        synth.link("resides_at", person, home, owners[person])
    synth.flush()
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()
    return {"groups": groups, "notices": notices, **synth.counts}


def floor_scan(path: Path) -> float:
    """One full scan of the link table, touching every row."""
    conn = sqlite3.connect(path)
    started = time.perf_counter()
    conn.execute(
        "SELECT count(*), sum(from_id + to_id), max(length(link_type)) FROM link"
    ).fetchone()
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def compile_once(path: Path, now: datetime) -> tuple[float, float, int, int]:
    """Time compiling every area's pack (rolled back after) and the gathering alone."""
    engine = make_engine(str(path))
    settings = Settings(secret_key="bench-" + "x" * 40)
    with session_factory(engine)() as session:
        started = time.perf_counter()
        done = compile_briefings(session, now=now, settings=settings)
        elapsed = time.perf_counter() - started
        session.rollback()
    with session_factory(engine)() as session:
        started = time.perf_counter()
        gather(session, areas=load_areas(session), on=now.date())
        gathered = time.perf_counter() - started
        session.rollback()
    engine.dispose()
    return elapsed, gathered, len(done.compiled), done.items


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="Use lookup-100k.db instead.")
    parser.add_argument("--repeat", type=int, default=3, help="Runs of each timing; fastest kept.")
    parser.add_argument("--seed", type=int, default=20261126, help="Seed of the synthetic data.")
    args = parser.parse_args(argv)
    source = DATA / ("lookup-100k.db" if args.quick else "lookup-1m.db")
    if not source.exists():
        print(f"no {source}: run benchmarks/bench_lookup.py first to build it", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="bench-briefings-") as folder:
        path = Path(folder) / "region.db"
        started = time.perf_counter()
        shutil.copy(source, path)
        built = build(path, args.seed)
        build_seconds = time.perf_counter() - started
        print(f"copied and built in {build_seconds:.1f} s: {built}", flush=True)
        now = datetime(2026, 1, 1, 8, 0, tzinfo=UTC).replace(tzinfo=None)
        floors, runs, gathers = [], [], []
        briefings = items = 0
        for run in range(args.repeat):
            floors.append(floor_scan(path))
            elapsed, gathered, briefings, items = compile_once(path, now)
            runs.append(elapsed)
            gathers.append(gathered)
            print(
                f"run {run + 1}: compile {elapsed:.2f} s (gather {gathered:.2f} s), "
                f"floor {floors[-1]:.2f} s; {briefings} briefings, {items} items",
                flush=True,
            )
        conn = sqlite3.connect(path)
        people = conn.execute("SELECT count(*) FROM person").fetchone()[0]
        links = conn.execute("SELECT count(*) FROM link").fetchone()[0]
        conn.close()
    best, floor = min(runs), min(floors)
    result = {
        "people": people,
        "links": links,
        "synthetic": built,
        "areas": briefings,
        "items": items,
        "database": str(source.relative_to(HERE.parent)),
        "date": datetime.now(UTC).date().isoformat(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "machine": platform.machine(),
        "repeat": args.repeat,
        "build_seconds": round(build_seconds, 1),
        "compile_all_areas_seconds": round(best, 3),
        "compile_runs_seconds": [round(r, 3) for r in runs],
        "gather_seconds": round(min(gathers), 3),
        "floor_link_scan_seconds": round(floor, 3),
        "ratio_to_floor": round(best / floor, 1) if floor else None,
        "goal_seconds": GOAL_SECONDS,
        "meets_goal": best < GOAL_SECONDS,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
