"""Shared state of one generation run, and how one identity is written to the files.

`World` holds the generators, number pools and per-force writers of a run (see
`region.generate_region`, which walks the forces). Each identity is written to its home
force's files as soon as it is made (`record`); about one in ten is also written, with
realistic differences, to one or two other forces (`maybe_duplicate`). Nothing is kept
per person except a short list of recent people to draw associates from, so memory
stays flat at a million people. The true identity behind every person record goes to
`ground_truth.csv` beside the force folders, to be joined to entity ids after import.

Phones: only Ofcom drama numbers are used (`values.PhonePool`, 17,000 of them) and no
number is ever given to two identities. Deal lines take 07700 900xxx numbers first,
so there are at most `MAX_LINES` lines. OCG members are then served (only a share of
them once the groups would take more than 60% of the pool), and everyone else shares
what is left: at the default 3,000 people about a third of people have a phone; at a
million, about one in seventy, and the pool is close to exhausted. The same identity recorded by
two forces carries the same number in both, unless the variation is `changed phone`.
"""

from __future__ import annotations

import csv
import random
from bisect import bisect
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

from threadline.demo.exports import ForceExport
from threadline.demo.names import STREET_NICKNAMES
from threadline.demo.population import DEMO_TODAY, Address, AddressBook, NamePicker, born_aged
from threadline.demo.values import CARS, COLOURS, PhonePool, VrmMaker
from threadline.demo.variations import DobRecorded, vary
from threadline.model.enums import WarningMarker
from threadline.reference import geography
from threadline.reference.geography import AreaGeo, ForceGeo

__all__ = [
    "MIN_PEOPLE",
    "TRUTH_COLUMNS",
    "TRUTH_FILE",
    "Identity",
    "Plan",
    "Progress",
    "World",
    "make_plan",
]

MIN_PEOPLE = 100
TRUTH_FILE = "ground_truth.csv"
TRUTH_COLUMNS = ["owner", "source_system", "kind", "source_id", "identity", "variation"]

# Relative size of each force's caseload (roughly its county's population).
FORCE_WEIGHTS: dict[str, int] = {
    "bedfordshire": 7,
    "cambridgeshire": 9,
    "essex": 18,
    "hertfordshire": 12,
    "kent": 19,
    "norfolk": 9,
    "suffolk": 8,
}
# Forces whose people most often turn up in each other's records (shared borders).
NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "bedfordshire": ("hertfordshire", "cambridgeshire"),
    "cambridgeshire": ("norfolk", "suffolk", "bedfordshire", "hertfordshire", "essex"),
    "essex": ("suffolk", "hertfordshire", "cambridgeshire", "kent"),
    "hertfordshire": ("bedfordshire", "cambridgeshire", "essex"),
    "kent": ("essex",),
    "norfolk": ("suffolk", "cambridgeshire"),
    "suffolk": ("norfolk", "essex", "cambridgeshire"),
}
PEOPLE_PER_OCG = 150
MIN_OCGS = 12
# A region maps some hundreds of groups, whatever the size of its records (England and
# Wales's 43 forces map a few thousand in all): past 150,000 people the region holds
# more people per group rather than more groups than any region has, and the groups'
# plans, assessments and scores (written per group, through policy) stay bounded.
MAX_OCGS = 1_000
OCGS_PER_LINE = 2
MIN_LINES = 8
# Every deal line has its own 07700 900xxx number; this leaves 200 of them for people.
MAX_LINES = 800
DUPLICATE_SHARE = 0.10  # identities also recorded by one or two other forces
PHONE_SHARE = 0.35  # people who would have a phone recorded, if numbers were unlimited


def _split(total: int, weights: dict[str, int], *, minimum: int) -> dict[str, int]:
    """Share `total` out by weight (largest remainder), at least `minimum` each."""
    keys = list(weights)
    rest = total - minimum * len(keys)
    whole = sum(weights.values())
    raw = {k: rest * weights[k] / whole for k in keys}
    shares = {k: minimum + int(raw[k]) for k in keys}
    left = total - sum(shares.values())
    for k in sorted(keys, key=lambda k: (-(raw[k] - int(raw[k])), k))[:left]:
        shares[k] += 1
    return shares


@dataclass(frozen=True, slots=True)
class Plan:
    """How many people, OCGs and county lines each force gets."""

    people: dict[str, int]
    ocgs: dict[str, int]
    lines: dict[str, int]

    @property
    def total_lines(self) -> int:
        return sum(self.lines.values())

    @property
    def total_ocgs(self) -> int:
        return sum(self.ocgs.values())


def make_plan(people: int) -> Plan:
    """Share the region out: about one OCG per 150 people (at most `MAX_OCGS`) and one
    line per two OCGs."""
    ocgs = min(MAX_OCGS, max(MIN_OCGS, people // PEOPLE_PER_OCG))
    lines = min(MAX_LINES, max(MIN_LINES, ocgs // OCGS_PER_LINE))
    by_force_ocgs = _split(ocgs, FORCE_WEIGHTS, minimum=1)
    by_force_lines = _split(lines, FORCE_WEIGHTS, minimum=1)
    for code, count in by_force_lines.items():
        by_force_lines[code] = min(count, by_force_ocgs[code])
    return Plan(
        people=_split(people, FORCE_WEIGHTS, minimum=0),
        ocgs=by_force_ocgs,
        lines=by_force_lines,
    )


@dataclass(slots=True)
class Identity:
    """One true (synthetic) person, as their home force records them."""

    key: str  # "P000123"
    family_name: str
    given_names: str
    gender: str
    born: date
    categories: str
    pnc: tuple[int, int] | None = None  # (year of first entry, serial)
    aliases: str = ""
    nicknames: str = ""
    warnings: tuple[WarningMarker, ...] = ()
    address: Address | None = None
    phone: str | None = None


@dataclass(slots=True)
class Recorded:
    """The ids a force gave one identity's records."""

    person: str
    location: str | None
    phone: str | None


Progress = Callable[[str, int, int], None]


class World:
    """Shared state of one generation run: generators, number pools, writers."""

    def __init__(self, *, seed: int, people: int, directory: Path) -> None:
        self.seed = seed
        self.plan = make_plan(people)
        self.directory = directory
        self.names = NamePicker()
        self.pool = PhonePool(random.Random(f"{seed}:phones"), deal_lines=self.plan.total_lines)
        self.vrms = VrmMaker()
        self.exports: dict[str, ForceExport] = {}
        self.books: dict[str, AddressBook] = {}
        for force in geography.FORCES:
            self.exports[force.code] = ForceExport(directory / force.code, force.code)
            for area in force.areas:
                self.books[area.code] = AddressBook(area, random.Random(f"{seed}:{area.code}"))
        self._area_cum = {
            force.code: list(accumulate(len(a.postcode_districts) for a in force.areas))
            for force in geography.FORCES
        }
        self._truth_file = (directory / TRUTH_FILE).open("w", encoding="utf-8", newline="")
        self._truth = csv.writer(self._truth_file)
        self._truth.writerow(TRUTH_COLUMNS)
        self.recent: dict[str, deque[str]] = {f.code: deque(maxlen=256) for f in geography.FORCES}
        self.operations = 0  # operation names given to OCGs so far
        self.brands: dict[str, set[str]] = {}  # deal-line brands in use, by area
        self.identities = 0
        self.duplicated = 0
        self.duplicate_records = 0
        self._pnc_serial = random.Random(f"{seed}:pnc").randrange(100_000, 900_000)
        self._phone_shares(people)

    def _phone_shares(self, people: int) -> None:
        # OCG members are served first, but take at most 60% of the pool so that some
        # of everyone else keep phones at any size; the rest share what is left.
        members = self.plan.total_ocgs * 12
        wanted_members = members * 0.85
        room = 0.9 * self.pool.capacity
        self.member_phone_share = min(1.0, 0.6 * room / wanted_members)
        left = max(0.0, room - wanted_members * self.member_phone_share)
        wanted_general = max(1.0, (people - members) * PHONE_SHARE * (1 + DUPLICATE_SHARE))
        self.general_phone_share = min(1.0, left / wanted_general)

    # ------------------------------------------------------------------ pieces

    def new_key(self) -> str:
        self.identities += 1
        return f"P{self.identities:06d}"

    def pick_area(self, rng: random.Random, force: ForceGeo) -> AreaGeo:
        cum = self._area_cum[force.code]
        return force.areas[bisect(cum, rng.random() * cum[-1])]

    def phone_for(self, rng: random.Random, chance: float, *, member: bool) -> str | None:
        share = self.member_phone_share if member else self.general_phone_share
        return self.pool.take() if rng.random() < chance * share else None

    def pnc_for(self, rng: random.Random, born: date) -> tuple[int, int]:
        """A PNC id issued when the person was first arrested (aged 12 or over)."""
        first = max(born.year + 12, DEMO_TODAY.year - 25)
        year = rng.randint(min(first, DEMO_TODAY.year), DEMO_TODAY.year)
        self._pnc_serial += rng.randint(1, 7)
        return year, self._pnc_serial % 10_000_000

    def since(self, rng: random.Random, born: date, years: int) -> date:
        """A date in the last `years` years, not before the person was born."""
        when = DEMO_TODAY - timedelta(days=rng.randint(30, 365 * years))
        return max(when, born)

    def person(
        self,
        rng: random.Random,
        *,
        low: int,
        high: int,
        male: float,
        categories: str,
        family_name: str | None = None,
        pnc: float = 0.0,
        nickname: float = 0.0,
        alias: float = 0.0,
    ) -> Identity:
        """A new identity with the given age range, chance of being male and records."""
        gender = "male" if rng.random() < male else "female"
        born = born_aged(rng, low, high)
        family = family_name or self.names.family(rng, gender)
        ident = Identity(
            key=self.new_key(),
            family_name=family,
            given_names=self.names.given_names(rng, gender, family),
            gender=gender,
            born=born,
            categories=categories,
        )
        if rng.random() < pnc:
            ident.pnc = self.pnc_for(rng, born)
        if rng.random() < nickname:
            ident.nicknames = rng.choice(STREET_NICKNAMES)
        if rng.random() < alias:
            other = self.names.given(rng, gender, family)
            ident.aliases = f"{other} {self.names.family(rng, gender)}"
        ident.warnings = warning_markers(ident.key, categories)
        return ident

    def record(
        self,
        force: str,
        ident: Identity,
        *,
        rng: random.Random,
        location: str | None = None,
    ) -> Recorded:
        """Write an identity to its home force (with address and phone) and its truth row."""
        export = self.exports[force]
        pid = export.person(
            family_name=ident.family_name,
            given_names=ident.given_names,
            dob=DobRecorded.of(ident.born),
            gender=ident.gender,
            pnc=ident.pnc,
            categories=ident.categories,
            aliases=ident.aliases,
            nicknames=ident.nicknames,
            warnings=ident.warnings,
        )
        self._truth.writerow((force, export.system.name, "person", pid, ident.key, ""))
        if ident.address is not None:
            if location is None:
                location = export.location(ident.address)
            moved_in = self.since(rng, ident.born, 12)
            export.link("resides_at", "person", pid, "location", location, valid_from=moved_in)
        phone = None
        if ident.phone is not None:
            phone = export.phone(ident.phone)
            export.link("uses_phone", "person", pid, "phone", phone)
        return Recorded(pid, location, phone)

    def maybe_duplicate(
        self, home: str, ident: Identity, rng: random.Random, chance: float
    ) -> None:
        """With the given chance, record the identity again in one or two other forces."""
        if rng.random() >= chance:
            return
        others = [code for code in FORCE_WEIGHTS if code != home]
        near = NEIGHBOURS[home]
        copies = 1 if rng.random() < 0.75 else 2
        chosen: list[str] = []
        while len(chosen) < copies:  # mostly a neighbouring force, sometimes any other
            candidate = rng.choice(near if rng.random() < 0.75 else others)
            if candidate not in chosen:
                chosen.append(candidate)
        self.duplicated += 1
        for code in chosen:
            self._copy(code, ident, rng)

    def _copy(self, force: str, ident: Identity, rng: random.Random) -> None:
        variant = vary(
            rng,
            family_name=ident.family_name,
            given_names=ident.given_names,
            born=ident.born,
            has_pnc=ident.pnc is not None,
            has_phone=ident.phone is not None,
        )
        export = self.exports[force]
        pid = export.person(
            family_name=variant.family_name,
            given_names=variant.given_names,
            dob=variant.dob,
            gender=ident.gender,
            pnc=ident.pnc if variant.keep_pnc else None,
            categories=ident.categories,
            aliases=ident.aliases if rng.random() < 0.5 else "",
            nicknames=ident.nicknames if rng.random() < 0.6 else "",
            # Forces hold different markers: each copy keeps only the first, if any.
            warnings=ident.warnings[:1],
        )
        self.duplicate_records += 1
        self._truth.writerow((force, export.system.name, "person", pid, ident.key, variant.note))
        address = ident.address
        if variant.moved:  # moved into this force's area, which is why it knows them
            area = self.pick_area(rng, geography.force_by_code(force))
            address = self.books[area.code].next()
        if address is not None:
            location = export.location(address)
            when = self.since(rng, ident.born, 3)
            export.link("resides_at", "person", pid, "location", location, valid_from=when)
        phone = self.pool.take() if variant.new_phone else ident.phone
        if phone is not None:
            export.link("uses_phone", "person", pid, "phone", export.phone(phone))

    def add_vehicle(self, force: str, rng: random.Random, user_kind: str, user_id: str) -> str:
        """Write a vehicle and a uses_vehicle link from its user; returns the vehicle's id."""
        make, model = rng.choice(CARS)
        vrm = self.vrms.make(rng, force, latest_year=DEMO_TODAY.year)
        export = self.exports[force]
        vehicle = export.vehicle(vrm, make, model, rng.choice(COLOURS))
        export.link("uses_vehicle", user_kind, user_id, "vehicle", vehicle)
        return vehicle

    def close(self) -> None:
        for export in self.exports.values():
            export.close()
        self._truth_file.close()


# Warning markers people with a criminal record may carry, with their weights.
_MARKER_WEIGHTS: tuple[tuple[WarningMarker, int], ...] = (
    (WarningMarker.DRUGS, 30),
    (WarningMarker.VIOLENT, 22),
    (WarningMarker.WEAPONS, 20),
    (WarningMarker.MENTAL_HEALTH, 8),
    (WarningMarker.SELF_HARM, 6),
    (WarningMarker.ALLEGES, 4),
    (WarningMarker.ESCAPER, 3),
    (WarningMarker.FIREARMS, 3),
    (WarningMarker.SUICIDAL, 2),
    (WarningMarker.IMPERSONATES, 2),
)


def warning_markers(key: str, categories: str) -> tuple[WarningMarker, ...]:
    """The markers of one identity: about a third of suspects and offenders carry some.

    Drawn from a generator of their own, seeded by the identity's key, so adding markers
    left every other part of a seeded region as it was.
    """
    if "suspect" not in categories and "convicted" not in categories:
        return ()
    rng = random.Random(f"warnings:{key}")
    if rng.random() >= 0.35:
        return ()
    markers, weights = zip(*_MARKER_WEIGHTS, strict=True)
    chosen = set(rng.choices(markers, weights, k=rng.choice((1, 1, 2, 3))))
    return tuple(m for m in WarningMarker if m in chosen)
