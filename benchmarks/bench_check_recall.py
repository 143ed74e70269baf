"""Benchmark the check's recall across forces: are all of a person's records on one card?

On a copy of a demo region (`bench_resolve.region`, built once and kept), resolution is
run (`threadline resolve run --retrain`), then a regional police officer (ERSOU,
frontline) runs the frontline check (`threadline.check.check`) for a sample of true
identities held as several records, as an officer would ask for them, three ways:

- **name + full DOB**: the name and full date of birth of the identity's first record;
- **name + year**: the same name, the year of birth only;
- **name only**.

An identity counts when one card holds every one of its records (the golden nominal);
otherwise it is *split* (its records found, on several cards) or *missed* (some not
found at all). The goal is a recall of 0.99 or more each way. Identities are drawn from
those whose first record has a full date of birth, so that all three ways can be asked.

    .venv/bin/python benchmarks/bench_check_recall.py                 # 10,000 people, 400
    .venv/bin/python benchmarks/bench_check_recall.py --sample 600 --seed 7

Results go to benchmarks/results/check_recall-<N>[-seed<S>].json. All data is synthetic.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench_resolve import region

from threadline.check import check
from threadline.model.enums import AgencyKind, Marking
from threadline.model.security import Actor, Role, system_actor
from threadline.resolve import run_resolution
from threadline.storage.db import make_engine, migrate, session_factory, session_scope

HERE = Path(__file__).parent
RESULTS = HERE / "results"
GOAL = 0.99
OFFICER = Actor(
    user_id=None,
    username="officer@ersou",
    agency_code="ersou",
    agency_kind=AgencyKind.REGIONAL_UNIT,
    roles=frozenset({Role.FRONTLINE}),
    clearance=Marking.SECRET,
)
WAYS = ("name + full DOB", "name + year", "name only")


def identities(db: sqlite3.Connection, sample: int, seed: int) -> list[dict[str, Any]]:
    """`sample` true identities held as several records, each with its records and the
    name and date of birth of its first record (which has a full date of birth)."""
    records: dict[str, list[int]] = defaultdict(list)
    for entity_id, identity in db.execute(
        "SELECT g.entity_id, g.identity FROM ground_truth g JOIN person p "
        "ON p.entity_id = g.entity_id ORDER BY g.entity_id"
    ):
        records[identity].append(entity_id)
    several = sorted(identity for identity, ids in records.items() if len(ids) > 1)
    chosen: list[dict[str, Any]] = []
    for identity in random.Random(seed).sample(several, len(several)):
        first = records[identity][0]
        given, family, year, month, day = db.execute(
            "SELECT given_names, family_name, dob_year, dob_month, dob_day FROM person "
            "WHERE entity_id = ?",
            (first,),
        ).fetchone()
        if None in (year, month, day) or not family or not given:
            continue
        chosen.append(
            {
                "identity": identity,
                "records": records[identity],
                "name": f"{given} {family}",
                "dob": f"{year:04d}-{month:02d}-{day:02d}",
                "year": f"{year:04d}",
            }
        )
        if len(chosen) == sample:
            break
    return chosen


def _card_ids(card: Any) -> set[int]:
    ids = {int(source.record["id"]) for source in card.sources}
    return ids or {int(card.record["id"])}


def outcome(engine: Any, person: dict[str, Any], way: str) -> str:
    """`one card`, `split` or `missed`, for one identity asked for one way."""
    dob = {"name + full DOB": person["dob"], "name + year": person["year"]}.get(way)
    with session_factory(engine)() as session, session.begin():
        result = check(session, actor=OFFICER, name=person["name"], dob=dob, purpose="bench")
    wanted = set(person["records"])
    cards = [_card_ids(card) for card in result.cards]
    if any(wanted <= ids for ids in cards):
        return "one card"
    found = set().union(*cards) if cards else set()
    return "split" if wanted <= found else "missed"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000, help="True identities (demo size).")
    parser.add_argument("--sample", type=int, default=400, help="Identities to check.")
    parser.add_argument("--seed", type=int, default=None, help="Demo seed (see bench_resolve).")
    args = parser.parse_args()
    source = region(args.people, args.seed)
    os.environ.setdefault("THREADLINE_DEMO_MODE", "true")
    with tempfile.TemporaryDirectory(prefix="bench-check-recall-") as scratch:
        path = Path(scratch) / "region.db"
        shutil.copy(source, path)
        engine = make_engine(str(path))
        migrate(engine)
        with session_scope(engine) as session:
            run_resolution(session, actor=system_actor("ersou", "benchmark"), retrain=True)
        db = sqlite3.connect(path)
        people = identities(db, args.sample, seed=args.seed or 0)
        db.close()
        ways: dict[str, Any] = {}
        for way in WAYS:
            started = time.perf_counter()
            outcomes = {p["identity"]: outcome(engine, p, way) for p in people}
            counts = {k: sum(1 for v in outcomes.values() if v == k) for k in ("split", "missed")}
            ways[way] = {
                "recall": sum(1 for v in outcomes.values() if v == "one card") / len(people),
                **counts,
                "not_on_one_card": sorted(
                    (f"{p['name']} ({p['dob']}): {outcomes[p['identity']]}")
                    for p in people
                    if outcomes[p["identity"]] != "one card"
                )[:50],
                "seconds": round(time.perf_counter() - started, 1),
            }
        engine.dispose()
    results = {
        "people": args.people,
        "seed": args.seed,
        "identities_checked": len(people),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "goal": GOAL,
        "ways": ways,
    }
    print(f"{len(people)} identities held as several records, {args.people:,}-person region")
    print(f"{'asked by':<16} {'recall':>7} {'split':>6} {'missed':>6} {'seconds':>8}")
    for way, got in ways.items():
        print(
            f"{way:<16} {got['recall']:>7.4f} {got['split']:>6} {got['missed']:>6} "
            f"{got['seconds']:>8.1f}"
        )
    print(
        f"goal recall >= {GOAL} each way: "
        + ("met" if all(got["recall"] >= GOAL for got in ways.values()) else "NOT met")
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.seed is None else f"-seed{args.seed}"
    out = RESULTS / f"check_recall-{args.people}{suffix}.json"
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
