"""Organised crime groups and the county lines they run.

An OCG has one principal, one to three lieutenants, associates and runners (member_of
links with those roles), often a relative of the principal among its members, phones,
vehicles, a base (operates_from) and associates outside the group. About one OCG in two
runs a county line: a branded deal line (always an 07700 900xxx drama number) run from a
real exporting area into one of the force's areas, with the group's runners (mostly
children of 14 to 17) as runner_for, the members who recruited them as `exploits`, and
one to three cuckooed homes of vulnerable adults.

Unmapped members: in about three groups in five, one or two associates are true members
(in the world model) whom the force has not mapped: written without their member_of
link, but with the links that could give them away (their boss's associate_of, the
runners they recruited, and often one more tie: associate_of another senior member, or
living at a member's address). Who they are is kept beside the ground truth, in
`unmapped_members.csv` (owner, source_system, group_source_id, person_source_id,
identity, tie), so that suggested members can be measured (benchmarks/bench_graph.py).
They are chosen by a generator of their own, seeded by the group, so every other part
of a seeded region is as it was.
"""

from __future__ import annotations

import csv
import random
import weakref
from dataclasses import dataclass

from threadline.demo import names
from threadline.demo.values import imei
from threadline.demo.world import Identity, World
from threadline.reference.geography import EXPORTING_AREAS, AreaGeo, ForceGeo

__all__ = ["MIN_GROUP", "UNMAPPED_FILE", "organised_crime_group"]

UNMAPPED_FILE = "unmapped_members.csv"
UNMAPPED_COLUMNS = [
    "owner", "source_system", "group_source_id", "person_source_id", "identity", "tie",
]  # fmt: skip

SENSITIVE = "OFFICIAL-SENSITIVE"
# The fewest identities one group needs: principal, lieutenant, associate, two runners
# and a cuckooed resident (when it runs a line).
MIN_GROUP = 6

_CODE_WORDS = (
    "Kestrel", "Harrier", "Bittern", "Avocet", "Curlew", "Dunlin", "Godwit", "Lapwing",
    "Merlin", "Osprey", "Plover", "Redshank", "Shrike", "Siskin", "Skylark", "Stonechat",
    "Teal", "Tern", "Wagtail", "Whimbrel", "Wigeon", "Yellowhammer", "Basalt", "Cobalt",
    "Feldspar", "Garnet", "Granite", "Jasper", "Marble", "Onyx", "Quartz", "Slate",
    "Topaz", "Tourmaline", "Anvil", "Bracken", "Cinder", "Driftwood", "Ember", "Flint",
    "Gorse", "Hemlock", "Ironwood", "Juniper", "Kelp", "Lantern", "Mistral", "Nettle",
    "Orchard", "Pewter", "Quill", "Rampart", "Saltmarsh", "Tideway", "Umber", "Vellum",
    "Warren", "Zephyr", "Alder", "Blackwater", "Cormorant", "Deben", "Estuary", "Fenland",
)  # fmt: skip
_FRONTS = (
    "{town} Hand Car Wash",
    "{town} Vape and Phone Repairs",
    "{family} Motors",
    "{family} and Sons Scaffolding",
    "Star Nails {town}",
    "Golden Grill {town}",
    "{town} Barbers",
    "{family} Lettings",
)


@dataclass(slots=True)
class Member:
    role: str
    ident: Identity
    person: str = ""  # the person's id in the force's files
    location: str | None = None  # their address's id
    phone: str | None = None  # the phone record's id


def _group_name(world: World, rng: random.Random, principal: Identity, home: AreaGeo) -> str:
    """An operation name (most groups), or the principal's family name and the area."""
    if rng.random() < 0.35:
        return f"{principal.family_name} OCG ({home.name})"
    count = world.operations
    world.operations += 1
    word = _CODE_WORDS[count % len(_CODE_WORDS)]
    round_ = count // len(_CODE_WORDS)
    return f"Operation {word}" + (f" {round_ + 1}" if round_ else "")


def _sizes(rng: random.Random, lines: int, budget: int) -> tuple[int, int, int, int]:
    """Lieutenants, associates, runners and cuckooed homes, trimmed to the budget."""
    lieutenants = rng.randint(1, 3)
    associates = rng.randint(3, 8)
    runners = rng.randint(3, 6) if lines else rng.randint(0, 3)
    cuckooed = sum(rng.randint(1, 3) for _ in range(lines))
    floor_runners = 2 if lines else 0
    while 1 + lieutenants + associates + runners + cuckooed > budget:
        if associates > 1:
            associates -= 1
        elif runners > floor_runners:
            runners -= 1
        elif lieutenants > 1:
            lieutenants -= 1
        elif cuckooed > lines:
            cuckooed -= 1
        else:
            break
    return lieutenants, associates, runners, cuckooed


def _local(world: World, rng: random.Random, force: ForceGeo, home: AreaGeo) -> AreaGeo:
    return home if rng.random() < 0.8 else world.pick_area(rng, force)


def organised_crime_group(
    world: World, force: ForceGeo, rng: random.Random, lines: int, budget: int
) -> int:
    """Write one OCG, its members and any county lines it runs; returns identities made."""
    export = world.exports[force.code]
    home = world.pick_area(rng, force)
    lieutenants, associates, runners, cuckooed = _sizes(rng, lines, budget)

    principal = world.person(
        rng,
        low=28,
        high=55,
        male=0.9,
        categories="suspect;convicted" if rng.random() < 0.8 else "suspect",
        pnc=0.95,
        nickname=0.8,
        alias=0.3,
    )
    members = [Member("principal", principal)]
    relative_family = principal.family_name if rng.random() < 0.3 else None
    for _ in range(lieutenants):
        convicted = rng.random() < 0.6
        ident = world.person(
            rng,
            low=22,
            high=45,
            male=0.85,
            categories="suspect;convicted" if convicted else "suspect",
            family_name=relative_family,
            pnc=0.9,
            nickname=0.7,
            alias=0.15,
        )
        relative_family = None  # one relative at most
        members.append(Member("lieutenant", ident))
    for _ in range(associates):
        convicted = rng.random() < 0.4
        ident = world.person(
            rng,
            low=18,
            high=40,
            male=0.75,
            categories="suspect;convicted" if convicted else "suspect",
            pnc=0.7,
            nickname=0.5,
            alias=0.05,
        )
        members.append(Member("associate", ident))
    for _ in range(runners):
        child = rng.random() < 0.75
        ident = world.person(
            rng,
            low=14 if child else 18,
            high=17 if child else 21,
            male=0.8,
            categories=rng.choice(("suspect;victim", "suspect;victim", "victim", "suspect")),
            pnc=0.4,
            nickname=0.6,
        )
        members.append(Member("runner", ident))

    # Addresses and phones. The principal of a group that runs lines into the area lives
    # in the exporting area, so the force holds no address for them.
    for member in members:
        away = member.role == "principal" and lines > 0
        sent = member.role == "runner" and rng.random() < 0.25  # sent in from elsewhere
        if not away and not sent:
            area = _local(world, rng, force, home)
            member.ident.address = world.books[area.code].next()
        chance = {"principal": 0.95, "lieutenant": 0.95, "associate": 0.7, "runner": 0.85}
        member.ident.phone = world.phone_for(rng, chance[member.role], member=True)

    group = _group_name(world, rng, principal, home)
    org = export.organisation(group, "ocg", marking=SENSITIVE)
    formed = world.since(rng, principal.born, 8)
    pick = random.Random(f"{world.seed}:unmapped:{force.code}:{org}")
    unmapped = _unmapped(pick, members)
    for member in members:
        recorded = world.record(force.code, member.ident, rng=rng)
        member.person, member.location = recorded.person, recorded.location
        member.phone = recorded.phone
        joined = max(formed, world.since(rng, member.ident.born, 6))
        if member not in unmapped:
            export.link(
                "member_of", "person", member.person, "organisation", org,
                role=member.role, valid_from=joined,
            )  # fmt: skip
        world.maybe_duplicate(force.code, member.ident, rng, 0.2)
    _group_links(world, force, rng, org, members, home)
    _tie_unmapped(world, force, pick, org, members, unmapped)
    made = len(members)
    per_line = _share(cuckooed, lines)
    for count in per_line:
        made += _county_line(world, force, rng, org, members, home, count)
    return made


def _unmapped(pick: random.Random, members: list[Member]) -> list[Member]:
    """The associates the force has not mapped as members (none in two groups in five)."""
    associates = [m for m in members if m.role == "associate"]
    if len(associates) < 2 or pick.random() >= 0.6:
        return []
    count = 2 if len(associates) >= 4 and pick.random() < 0.4 else 1
    return pick.sample(associates, count)


# The unmapped-members file each world is writing (made afresh by its first group).
_UNMAPPED_STARTED: weakref.WeakKeyDictionary[World, bool] = weakref.WeakKeyDictionary()


def _tie_unmapped(
    world: World,
    force: ForceGeo,
    pick: random.Random,
    org: str,
    members: list[Member],
    unmapped: list[Member],
) -> None:
    """One more tie for most unmapped members, and their row in `unmapped_members.csv`."""
    path = world.directory / UNMAPPED_FILE
    fresh = world not in _UNMAPPED_STARTED
    _UNMAPPED_STARTED[world] = True
    export = world.exports[force.code]
    senior = [m for m in members if m.role in ("principal", "lieutenant")]
    housed = [m for m in members if m.location is not None and m not in unmapped]
    with path.open("w" if fresh else "a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        if fresh:
            writer.writerow(UNMAPPED_COLUMNS)
        for member in unmapped:
            draw = pick.random()
            tie = ""
            if draw < 0.4:
                other = pick.choice(senior)
                export.link("associate_of", "person", other.person, "person", member.person)
                tie = "associate_of"
            elif draw < 0.75 and housed:
                home = pick.choice(housed)
                assert home.location is not None
                export.link("resides_at", "person", member.person, "location", home.location)
                tie = "resides_at"
            row = (force.code, export.system.name, org, member.person, member.ident.key, tie)
            writer.writerow(row)


def _share(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def _group_links(
    world: World,
    force: ForceGeo,
    rng: random.Random,
    org: str,
    members: list[Member],
    home: AreaGeo,
) -> None:
    """Associations, family, exploitation, vehicles and a base for one group."""
    export = world.exports[force.code]
    principal = members[0]
    lieutenants = [m for m in members if m.role == "lieutenant"]
    associates = [m for m in members if m.role == "associate"]
    runners = [m for m in members if m.role == "runner"]
    for lieutenant in lieutenants:
        export.link("associate_of", "person", principal.person, "person", lieutenant.person)
        if lieutenant.ident.family_name == principal.ident.family_name:
            role = rng.choice(("sibling", "cousin"))
            export.link(
                "family_of", "person", principal.person, "person", lieutenant.person, role=role
            )
        if lieutenant.phone and principal.phone:
            export.link("called", "phone", lieutenant.phone, "phone", principal.phone)
    for associate in associates:
        boss = rng.choice(lieutenants)
        export.link("associate_of", "person", boss.person, "person", associate.person)
    recruiters = lieutenants + associates
    for runner in runners:
        recruiter = rng.choice(recruiters)
        when = world.since(rng, runner.ident.born, 2)
        export.link(
            "exploits", "person", recruiter.person, "person", runner.person,
            role="recruited", valid_from=when,
        )  # fmt: skip
    # Associates outside the group, from the force's recent people.
    recent = world.recent[force.code]
    for member in [principal, *lieutenants]:
        if recent and rng.random() < 0.6:
            other = recent[rng.randrange(len(recent))]
            export.link("associate_of", "person", member.person, "person", other)
    for member in [principal, *lieutenants, *associates]:
        chance = {"principal": 0.7, "lieutenant": 0.5}.get(member.role, 0.2)
        if rng.random() < chance:
            world.add_vehicle(force.code, rng, "person", member.person)
    if rng.random() < 0.4:
        world.add_vehicle(force.code, rng, "organisation", org)
    # A base: a front business's premises, or the principal's home.
    if rng.random() < 0.3:
        address = world.books[home.code].next()
        front = rng.choice(_FRONTS).format(town=address.town, family=principal.ident.family_name)
        business = export.organisation(front, "business")
        # Business premises carry a UPRN, as AddressBase gives them (synthetic digits).
        premises = export.location(address, location_type="premises", uprn=address.uprn)
        export.link("operates_from", "organisation", business, "location", premises)
        export.link("operates_from", "organisation", org, "location", premises)
        export.link(
            "member_of", "person", principal.person, "organisation", business, role="director"
        )
    elif principal.location is not None:  # the principal's home
        export.link("operates_from", "organisation", org, "location", principal.location)


def _brand(world: World, rng: random.Random, area: AreaGeo) -> str:
    taken = world.brands.setdefault(area.code, set())
    brand = rng.choice(names.LINE_BRANDS)
    name, n = brand, 1
    while name in taken:
        n += 1
        name = f"{brand} {n}"
    taken.add(name)
    return name


def _county_line(
    world: World,
    force: ForceGeo,
    rng: random.Random,
    org: str,
    members: list[Member],
    home: AreaGeo,
    cuckooed: int,
) -> int:
    """Write one line run by the group; returns the cuckooed residents it made."""
    export = world.exports[force.code]
    area = _local(world, rng, force, home)
    source = rng.choice(EXPORTING_AREAS)
    line = export.county_line(_brand(world, rng, area), source.name, area.code, marking=SENSITIVE)
    started = world.since(rng, members[0].ident.born, 4)
    deal = export.phone(world.pool.deal_line(), imei=imei(rng), marking=SENSITIVE)
    export.link("line_phone", "county_line", line, "phone", deal, valid_from=started)
    export.link("runs_line", "organisation", org, "county_line", line, valid_from=started)
    holders = [m for m in members if m.role in ("principal", "lieutenant")]
    holder = rng.choice(holders)
    export.link(
        "uses_phone", "person", holder.person, "phone", deal, role="line holder", valid_from=started
    )
    for runner in (m for m in members if m.role == "runner"):
        when = max(started, world.since(rng, runner.ident.born, 2))
        export.link("runner_for", "person", runner.person, "county_line", line, valid_from=when)
        if runner.phone is not None:
            export.link("called", "phone", deal, "phone", runner.phone, valid_from=when)
    for i in range(cuckooed):
        resident = world.person(rng, low=35, high=75, male=0.6, categories="victim", pnc=0.2)
        resident.address = world.books[area.code].next()
        recorded = world.record(force.code, resident, rng=rng)
        assert recorded.location is not None
        taken = max(started, world.since(rng, resident.born, 2))
        export.link("cuckoos", "county_line", line, "location", recorded.location, valid_from=taken)
        if i == 0:
            export.link("operates_from", "county_line", line, "location", recorded.location)
        world.maybe_duplicate(force.code, resident, rng, 0.1)
    return cuckooed
