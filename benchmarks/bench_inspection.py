"""Benchmark the inspection pack and the dashboard's queries on a large region.

Builds the synthetic region of `synth_region.py` (1,000,000 people; `--quick`: 100,000)
once into benchmarks/data/inspection-<people>.db, then adds what the pack counts:

- 700 crime groups (100 per force) with LROs on most, MoRiLE assessments (some past their
  review date), 4P plans with reviews and actions (some late), and 350 county lines;
- one disruption per 25 people (40,000 at 1M) over the two years to the pack's end,
  against a line, a group, a person or a theme, county lines the majority in Norfolk,
  one to three tactics each, and court outcomes (a custodial sentence for about a third);
- a supervisor of Norfolk and one of the regional unit.

It then times, in the same run, each as its reader (policy decided for every record):

- PACK (force): `export_pack` of Norfolk for six months as a PDF, charts included;
- PACK (region): the seven forces side by side, as a PDF;
- DASHBOARD (force / region): `dashboard`, the same figures without the PDF;
- TALLY, COVERAGE, OTHERS: the parts of the figures (disruptions counted; group coverage;
  the sharing, prison and safeguarding dashboards), for the region;
- FLOOR: one bare scan, `SELECT agency, count(*) FROM disruption WHERE occurred_on
  BETWEEN .. GROUP BY agency` in sqlite3, the least any count of disruptions can do.

Goal: each pack under 30 s on 2 cores. Results go to benchmarks/results/inspection.json
(inspection-quick.json for --quick).

    .venv/bin/python benchmarks/bench_inspection.py            # 1,000,000 people
    .venv/bin/python benchmarks/bench_inspection.py --quick    # 100,000 people
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from synth_region import build_region

from threadline.accounts import actor_for
from threadline.inspection.coverage import group_coverage
from threadline.inspection.disruption_figures import Period, tally_disruptions
from threadline.inspection.others import other_figures
from threadline.inspection.pack import check_request, dashboard, export_pack
from threadline.policy import load_context
from threadline.storage.db import make_engine, migrate, session_scope

HERE = Path(__file__).parent
STAMP = "2026-10-01 09:00:00.000000"
START, END = date(2026, 4, 1), date(2026, 9, 30)
TODAY = date(2026, 10, 15)
GROUPS_PER_FORCE, LINES_PER_FORCE = 100, 50
PEOPLE_PER_DISRUPTION = 25
THEMES = ("cse", "msht", "firearms", "fraud", "cyber", "money_laundering")
TACTICS = (
    "arrest",
    "charge",
    "seizure_drugs",
    "seizure_cash",
    "warrant",
    "closure_order",
    "deal_line_disconnected",
    "cuckooed_address_recovered",
    "child_safeguarded",
)


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


def prepare(path: Path, people: int, seed: int = 7) -> dict[str, int]:
    """Groups, lines, plans, assessments, disruptions and users on the copy at `path`."""
    rng = random.Random(seed)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("BEGIN")
    forces = dict(db.execute("SELECT code, id FROM agency WHERE kind = 'force' ORDER BY code"))
    (ersou,) = db.execute("SELECT id FROM agency WHERE kind = 'regional_unit'").fetchone()
    users = [
        ("supervisor@norfolk", "Supervisor", forces["norfolk"], "supervisor"),
        ("supervisor@ersou", "Supervisor", ersou, "supervisor"),
    ] + [(f"lro@{code}", f"LRO of {code}", fid, "lro") for code, fid in forces.items()]
    db.executemany(
        "INSERT INTO user_account (username, display_name, agency_id, roles, clearance, "
        "home_areas, password_hash, disabled, failed_logins, created_at) "
        "VALUES (?, ?, ?, ?, 'SECRET', '', 'x', 0, 0, ?)",
        [(*u, STAMP) for u in users],
    )
    lro = dict(db.execute("SELECT agency_id, id FROM user_account WHERE roles = 'lro'"))
    persons = [r[0] for r in db.execute("SELECT id FROM entity WHERE kind = 'person'")]
    groups: dict[str, list[int]] = {}
    lines: dict[str, list[int]] = {}
    plans, reviews, assessments, orgs = [], [], [], []
    for code, fid in forces.items():
        groups[code] = _entities(db, "organisation", fid, GROUPS_PER_FORCE, f"ocg-{code}")
        lines[code] = _entities(db, "county_line", fid, LINES_PER_FORCE, f"line-{code}")
        db.executemany(
            "INSERT INTO county_line (entity_id, name, exporting_area) VALUES (?, ?, 'London')",
            [(line, f"LINE {line}") for line in lines[code]],
        )
        for n, group in enumerate(groups[code]):
            orgs.append((group, f"Group {group}", f"group {group}", lro[fid] if n % 5 else None))
            if n % 4:
                due = TODAY + timedelta(days=rng.randint(-60, 200))
                assessments.append((group, fid, due.isoformat()))
            if n % 3:
                next_review = TODAY + timedelta(days=rng.randint(-30, 90))
                reviews.append((group, STAMP, next_review.isoformat()))
                for k in range(3):
                    due = TODAY + timedelta(days=rng.randint(-20, 120))
                    plans.append((group, ("pursue", "prevent", "protect")[k], due.isoformat()))
    db.executemany(
        "INSERT INTO organisation (entity_id, name, name_norm, org_type, lro_id) "
        "VALUES (?, ?, ?, 'ocg', ?)",
        orgs,
    )
    db.executemany(
        "INSERT INTO morile_assessment (group_id, agency_id, scale_version, physical, "
        "psychological, financial, community, geographic, vulnerability, likelihood, "
        "confidence, position, score, priority, rationale, assessed_at, review_due) "
        "VALUES (?, ?, 'morile-2019', 3, 3, 3, 3, 3, 3, 3, 3, 3, 50.0, 'p2', 'bench', ?, ?)",
        [(g, f, STAMP, due) for g, f, due in assessments],
    )
    db.executemany(
        "INSERT INTO plan_review (group_id, reviewed_at, next_review, note) VALUES (?, ?, ?, '')",
        reviews,
    )
    db.executemany(
        "INSERT INTO plan_action (group_id, strand, description, due, status, evidence, "
        "created_at, updated_at) VALUES (?, ?, 'bench action', ?, 'in_progress', '', ?, ?)",
        [(g, s, due, STAMP, STAMP) for g, s, due in plans],
    )
    count = people // PEOPLE_PER_DISRUPTION
    first = END - timedelta(days=730)
    rows, tactics, outcomes = [], [], []
    (top,) = db.execute("SELECT coalesce(max(id), 0) FROM disruption").fetchone()
    for n in range(count):
        did = top + n + 1
        code = rng.choice(list(forces))
        county_lines = rng.random() < (0.65 if code == "norfolk" else 0.4)
        pick = rng.random()
        if county_lines and pick < 0.6:
            kind, subject, theme = "county_line", rng.choice(lines[code]), "drugs_county_lines"
        elif pick < 0.8:
            kind, subject = "group", rng.choice(groups[code])
            theme = "drugs_county_lines" if county_lines else rng.choice(THEMES)
        elif pick < 0.93:
            kind, subject = "person", rng.choice(persons)
            theme = "drugs_county_lines" if county_lines else rng.choice(THEMES)
        else:
            kind, subject = "theme", None
            theme = "drugs_county_lines" if county_lines else rng.choice(THEMES)
        claimed = rng.choice(("major", "moderate", "moderate", "minor", "minor"))
        state = rng.choice(("claimed", "validated", "validated", "regraded"))
        grade = None if state == "claimed" else claimed if state == "validated" else "minor"
        on = first + timedelta(days=rng.randrange(731))
        rows.append(
            (
                did,
                forces[code],
                kind,
                subject,
                theme,
                rng.choice(("pursue", "pursue", "pursue", "prevent", "protect", "prepare")),
                claimed,
                state,
                grade,
                on.isoformat(),
                rng.choice(("County lines team", "SOCU", "Neighbourhood team", None)),
                f"bench-{did}",
                STAMP,
                STAMP,
            )
        )
        for tactic in rng.sample(TACTICS, rng.randint(1, 3)):
            tactics.append((did, tactic))
        if rng.random() < 0.35:
            outcomes.append((did, on.isoformat(), rng.choice((6, 12, 18, 30, 48, 72, 96))))
    db.executemany(
        "INSERT INTO disruption (id, agency_id, subject_kind, entity_id, theme, strand, "
        "claimed_grade, rationale, validation, grade, occurred_on, team, summary, "
        "source_system, source_id, marking, scope, created_at, updated_at) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, 'bench', ?, ?, ?, ?, '', 'bench', ?, 'OFFICIAL', 'region', ?, ?)",
        rows,
    )
    db.executemany(
        "INSERT INTO disruption_tactic (disruption_id, tactic, detail) VALUES (?, ?, '')",
        tactics,
    )
    db.executemany(
        "INSERT INTO court_outcome (disruption_id, stage, on_date, offence, sentence, "
        "custodial_months, created_at) VALUES (?, 'sentenced', ?, 'bench', 'custodial', ?, ?)",
        [(d, on, months, STAMP) for d, on, months in outcomes],
    )
    db.execute("COMMIT")
    db.execute("ANALYZE")
    db.close()
    return {
        "groups": len(orgs),
        "county_lines": sum(len(v) for v in lines.values()),
        "disruptions": count,
        "tactics": len(tactics),
        "court_outcomes": len(outcomes),
    }


def _timed(label: str, work: Callable[[], Any], results: dict[str, float]) -> Any:
    started = time.perf_counter()
    out = work()
    results[label] = round(time.perf_counter() - started, 3)
    print(f"  {label:<22} {results[label]:8.3f} s", file=sys.stderr)
    return out


def floor(path: Path) -> float:
    """One scan of the disruptions in the period, grouped by force, in bare sqlite3."""
    db = sqlite3.connect(path)
    started = time.perf_counter()
    db.execute(
        "SELECT agency_id, count(*) FROM disruption WHERE occurred_on BETWEEN ? AND ? "
        "GROUP BY agency_id",
        (START.isoformat(), END.isoformat()),
    ).fetchall()
    took = time.perf_counter() - started
    db.close()
    return round(took, 4)


def run(people: int, rebuild: bool) -> dict[str, Any]:
    data = HERE / "data"
    data.mkdir(exist_ok=True)
    base = data / f"inspection-{people}.db"
    built = None
    if rebuild or not base.exists():
        print(f"building a region of {people:,} people", file=sys.stderr)
        built = round(build_region(base, people), 1)
    work = data / f"inspection-{people}-run.db"
    shutil.copyfile(base, work)
    engine = make_engine(str(work))
    migrate(engine)  # a region built by an older schema is brought up to date
    engine.dispose()
    counts = prepare(work, people)
    print(f"prepared: {counts}", file=sys.stderr)
    engine = make_engine(str(work))
    timings: dict[str, float] = {"floor": floor(work)}
    print(f"  {'floor':<22} {timings['floor']:8.4f} s", file=sys.stderr)
    force = check_request(force="norfolk", start=START, end=END, today=TODAY)
    region = check_request(force=None, start=START, end=END, today=TODAY)
    sizes: dict[str, int] = {}
    with session_scope(engine) as session:
        norfolk = actor_for(session, "supervisor@norfolk")
        ersou = actor_for(session, "supervisor@ersou")
    for label, actor, request in (
        ("pack_force_pdf", norfolk, force),
        ("pack_region_pdf", ersou, region),
    ):
        with session_scope(engine) as session:
            _, pdf = _timed(
                label,
                lambda a=actor, r=request, s=session: export_pack(
                    s, actor=a, request=r, form="pdf"
                ),
                timings,
            )
            sizes[label] = len(pdf)
    for label, actor, request in (
        ("dashboard_force", norfolk, force),
        ("dashboard_region", ersou, region),
    ):
        with session_scope(engine) as session:
            _timed(
                label,
                lambda a=actor, r=request, s=session: dashboard(s, actor=a, request=r),
                timings,
            )
    with session_scope(engine) as session:
        ctx = load_context(session, ersou)
        period = Period(START, END)
        tally = _timed(
            "tally_region",
            lambda: tally_disruptions(session, actor=ersou, ctx=ctx, period=period),
            timings,
        )
        _timed(
            "coverage_region",
            lambda: group_coverage(session, actor=ersou, ctx=ctx, on=END),
            timings,
        )
        _timed(
            "others_region",
            lambda: other_figures(session, actor=ersou, ctx=ctx, on=END),
            timings,
        )
    engine.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)
    return {
        "people": people,
        "built_seconds": built,
        "counted": {"disruptions_in_period": len(tally.ids), **counts},
        "seconds": timings,
        "pdf_bytes": sizes,
        "goal_seconds": 30,
        "machine": {
            "python": platform.python_version(),
            "processor": platform.machine(),
            "cpus": os.cpu_count(),
            # Shared machines: the load while measuring says how far to trust the seconds.
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
            "niceness": os.nice(0),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 people, not 1,000,000.")
    parser.add_argument("--people", type=int, help="Region size (overrides --quick).")
    parser.add_argument("--rebuild", action="store_true", help="Build the region afresh.")
    args = parser.parse_args()
    people = args.people or (100_000 if args.quick else 1_000_000)
    result = run(people, args.rebuild)
    name = "inspection-quick.json" if args.quick and not args.people else "inspection.json"
    if args.people:
        name = f"inspection-{people}.json"
    out = HERE / "results" / name
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
