"""A large synthetic region with ground truth, built fast, for benchmarking resolution at scale.

The demo (`threadline.demo.build_demo`) writes every force's export files and imports
them: right for 100,000 people, too slow for a million. This builds a region straight
into a migrated SQLite database by bulk inserts (as `bench_lookup` does): people drawn
from the demo's name lists with `bench_lookup.Generator`, some living together (a
household: one family name, one home, other given names and dates of birth), and for
about one in eight a second record held by another force, sometimes a third, each made
differently (a typing slip in a name, a nickname, day and month swapped, a year-only or
missing date of birth, another home, another phone, no PNC id). The true identity behind
every record, and how it was varied, go in `ground_truth` as the demo keeps them.

It is another generator than the demo's, on purpose: a model tuned to the demo's quirks
shows it here. All data is synthetic.
"""

from __future__ import annotations

import random
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench_lookup import INSERTS, NOW, Generator, Rows

from threadline.demo import names
from threadline.reference import geography
from threadline.storage.db import make_engine, migrate, session_scope
from threadline.storage.reference import agency_ids, area_ids, seed_region

__all__ = ["build_region"]

CHUNK = 50_000
HOUSEHOLD_SHARE = 0.15  # a new identity joins the previous one's home (same family name)
HOME_SHARE = 0.7  # identities with a recorded home
PHONE_SHARE = 0.3
PNC_SHARE = 0.4
DUPLICATE_SHARE = 0.12  # identities held by a second force too
THIRD_SHARE = 0.2  # of those, held by a third force as well
STREETS = ("High Street", "Church Road", "Station Road", "Mill Lane", "Park Avenue", "The Close")

EXTRA = {
    "link": "INSERT INTO link (link_type, from_id, to_id, owner_id, source_system, source_id, "
    "marking, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
    "ground_truth": "INSERT INTO ground_truth (entity_id, identity, variation) VALUES (?,?,?)",
}


@dataclass
class Identity:
    number: int
    family: str
    given: str
    female: bool
    dob: tuple[int | None, int | None, int | None]
    pnc: str | None
    home: tuple[str, str, str] | None  # line1, postcode, area code
    phone: str | None
    aliases: list[tuple[str, str, str]] = field(default_factory=list)


class Builder:
    """Identities and their records, written in batches."""

    def __init__(self, db: sqlite3.Connection, seed: int) -> None:
        self.db = db
        self.rng = random.Random(seed)
        self.gen = Generator(self.rng)
        self.rows = Rows()
        self.rows.tables.update({table: [] for table in EXTRA})
        self.link_serial = 0
        self.previous: Identity | None = None

    def identity(self, number: int, owners: list[int]) -> Identity:
        rng, gen = self.rng, self.gen
        female = rng.random() < 0.48
        previous = self.previous
        household = previous is not None and previous.home and rng.random() < HOUSEHOLD_SHARE
        if household and previous is not None:
            family, home = previous.family, previous.home
        else:
            family = gen.family()
            home = None
            if rng.random() < HOME_SHARE:
                postcode, area = gen.postcode()
                home = (f"{rng.randint(1, 250)} {rng.choice(STREETS)}", postcode, area)
        year, month, day = gen.dob()
        pnc = None
        if rng.random() < PNC_SHARE:
            self.rows.pnc_serial += rng.randint(1, 9)
            pnc = gen.pnc(self.rows.pnc_serial)
        phone = gen.phone() if rng.random() < PHONE_SHARE else None
        found = Identity(
            number, family, gen.given(female), female, (year, month, day), pnc, home, phone
        )
        if rng.random() < 0.05:
            found.aliases.append(("nickname", "", rng.choice(gen.street)))
        self.previous = found
        return found

    def varied(self, who: Identity) -> tuple[Identity, list[str]]:
        """Another force's record of `who`: a few differences, noted."""
        rng, gen = self.rng, self.gen
        notes: list[str] = []
        family, given, (year, month, day) = who.family, who.given, who.dob
        home, phone, pnc = who.home, who.phone, who.pnc
        roll = rng.random()
        if roll < 0.25:
            family = gen.typo(family)
            notes.append("typo family_name")
        elif roll < 0.35:
            first, _, rest = given.partition(" ")
            given = " ".join(p for p in (gen.typo(first), rest) if p)
            notes.append("typo given_names")
        elif roll < 0.45:
            nick = gen.nickname(given)
            if nick:
                given = nick
                notes.append("nickname given_names")
        if " " in given and rng.random() < 0.2:
            given = given.split(" ")[0]
            notes.append("dropped middle name")
        roll = rng.random()
        if roll < 0.06 and day is not None and month is not None and day <= 12:
            month, day = day, month
            notes.append("swapped dob")
        elif roll < 0.14 and year is not None:
            month = day = None
            notes.append("year-only dob")
        elif roll < 0.18:
            year = month = day = None
            notes.append("no dob")
        if rng.random() < 0.35:
            postcode, area = gen.postcode()
            home = (f"{rng.randint(1, 250)} {rng.choice(STREETS)}", postcode, area)
            notes.append("moved address")
        if phone and rng.random() < 0.3:
            phone = gen.phone()
            notes.append("changed phone")
        if pnc and rng.random() < 0.3:
            pnc = None
            notes.append("no pnc_id")
        record = Identity(
            who.number, family, given, who.female, (year, month, day), pnc, home, phone
        )
        return record, notes

    def write_record(
        self, who: Identity, owner: int, areas: dict[str, int], notes: list[str]
    ) -> None:
        rows = self.rows
        pid = rows.entity("person", owner)
        year, month, day = who.dob
        gender = "female" if who.female else "male"
        rows.tables["person"].append(
            (pid, who.family, who.given, year, month, day, gender, who.pnc, "suspect")
        )
        rows.name(pid, "primary", who.family, who.given)
        for kind, family, given in who.aliases:
            rows.name(pid, kind, family, given)
        rows.tables["ground_truth"].append((pid, f"S{who.number}", "; ".join(notes)))
        if who.home is not None:
            line1, postcode, area = who.home
            location = rows.entity("location", owner)
            rows.tables["location"].append(
                (location, "address", line1, "", "", postcode, areas[area])
            )
            self.link("resides_at", pid, location, owner)
        if who.phone is not None:
            phone = rows.entity("phone", owner)
            rows.tables["phone"].append((phone, who.phone, 1, None))
            self.link("uses_phone", pid, phone, owner)

    def link(self, link_type: str, from_id: int, to_id: int, owner: int) -> None:
        self.link_serial += 1
        source_id = f"link-{self.link_serial}"
        row = (link_type, from_id, to_id, owner, "bench", source_id, "OFFICIAL", NOW, NOW)
        self.rows.tables["link"].append(row)

    def flush(self) -> None:
        self.db.execute("BEGIN")
        for table, sql in {**INSERTS, **EXTRA}.items():
            self.db.executemany(sql, self.rows.tables[table])
            self.rows.tables[table].clear()
        self.db.execute("COMMIT")


def build_region(path: Path, people: int, seed: int = 1) -> float:
    """Create the region at `path` with `people` true identities; returns seconds."""
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
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-1048576")
    builder = Builder(db, seed)
    rng = builder.rng
    assert names.FAMILY_NAMES  # the demo's lists, weighted
    for number in range(people):
        who = builder.identity(number, owners)
        holders = rng.sample(owners, 3)
        builder.write_record(who, holders[0], areas, [])
        if rng.random() < DUPLICATE_SHARE:
            for owner in holders[1 : 3 if rng.random() < THIRD_SHARE else 2]:
                record, notes = builder.varied(who)
                builder.write_record(record, owner, areas, notes or ["exact copy"])
        if (number + 1) % CHUNK == 0 or number + 1 == people:
            builder.flush()
            print(f"  built {number + 1:,} / {people:,} identities", file=sys.stderr, end="\r")
    print(file=sys.stderr)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return time.perf_counter() - started
