"""What a group's OCG mapping score is made of: its inputs, one per item of the scale.

`gather` reads the groups' members, markers, profiles, lines, bases, businesses and links
to other groups (all the data, whoever reads it later) and turns them into `Input`s: the
dimension, the item in words, its points and the records (and links) it rests on. The
score is the sum of the inputs; a dimension over its cap gets one negative input that
brings it back to the cap, so the inputs always add up to the score shown.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from threadline.model.enums import WarningMarker
from threadline.reference.geography import area_name, organisation_name
from threadline.scoring.scale import Scale
from threadline.storage import ocg_scores as store

__all__ = ["Input", "fingerprint", "gather", "input_ids", "link_ids"]

# Links between people that tie a member to another group's members.
ASSOCIATION_LINKS = ("associate_of", "family_of", "exploits")
_ROLE_WORDS = {
    "principal": "Principal",
    "lieutenant": "Lieutenant",
    "associate": "Associate",
    "runner": "Runner",
}
_ROLE_RANK = {"principal": 0, "lieutenant": 1, "associate": 2, "runner": 3}


@dataclass(frozen=True, slots=True)
class Input:
    """One item of a score: what it counts, its points and the records behind it."""

    dimension: str
    item: str  # in words, as shown: "Principal", "Firearms marker"
    code: str  # stable: "role:principal", "marker:FI"
    points: int
    evidence: tuple[int, ...]  # entity ids
    links: tuple[int, ...] = ()  # link ids followed to reach them

    def as_json(self) -> dict[str, object]:
        return {
            "dimension": self.dimension,
            "item": self.item,
            "code": self.code,
            "points": self.points,
            "evidence": list(self.evidence),
            "links": list(self.links),
        }


def fingerprint(inputs: Iterable[Input]) -> str:
    """A hash of the inputs: the same data gives the same fingerprint."""
    text = json.dumps([i.as_json() for i in inputs], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def input_ids(group_id: int, inputs: Iterable[Input]) -> list[int]:
    """Every record the score draws on, the group's own included."""
    return sorted({group_id, *(eid for i in inputs for eid in i.evidence)})


def link_ids(inputs: Iterable[Input]) -> list[int]:
    return sorted({lid for i in inputs for lid in i.links})


def _words(code: str, names: dict[str, str]) -> str:
    return names.get(code) or code.replace("_", " ").capitalize()


def _codes(text: str) -> list[str]:
    return sorted({c.strip() for c in text.split("|") if c.strip()})


def gather(
    session: Session, group_ids: Collection[int], *, scale: Scale, on: date, names: dict[str, str]
) -> dict[int, list[Input]]:
    """The inputs of each group's score on the day `on`, in the scale's order.

    `names` gives commodity and counter-measure codes in words (unknown codes are
    written from the code itself).
    """
    groups = sorted(set(group_ids))
    members = store.group_members(session, groups, on=on)
    by_group: dict[int, dict[int, store.Membership]] = defaultdict(dict)
    for m in members:  # a person counts once in a group, in their weightiest role
        held = by_group[m.org_id].get(m.person_id)
        if held is None or _ROLE_RANK.get(m.role, 9) < _ROLE_RANK.get(held.role, 9):
            by_group[m.org_id][m.person_id] = m
    people = {m.person_id for m in members}
    markers = store.markers(session, people)
    profiles = store.profiles(session, groups)
    lines = store.lines(session, groups, on=on)
    bases = store.bases(session, groups, on=on)
    elsewhere = store.memberships_of(session, people, on=on)
    at_bases = store.businesses_at(session, {b.location_id for b in bases}, on=on)
    associations = store.person_links(session, people, ASSOCIATION_LINKS, on=on)
    others = {a[1] for a in associations} | {a[2] for a in associations}
    their_groups = store.memberships_of(session, others - people, on=on)
    owners = store.owners(session, groups)

    result: dict[int, list[Input]] = {}
    for gid in groups:
        mine = by_group.get(gid, {})
        found: list[Input] = []
        found += _criminality(scale, mine, markers)
        found += _capability(
            scale, gid, profiles.get(gid), names, mine, lines, bases, elsewhere, at_bases
        )
        found += _reach(scale, gid, owners.get(gid), lines, bases)
        found += _network(scale, gid, mine, elsewhere, associations, their_groups + elsewhere)
        result[gid] = _capped(scale, found)
    return result


def _criminality(
    scale: Scale, mine: dict[int, store.Membership], markers: dict[int, list[str]]
) -> list[Input]:
    dim = scale.dimension("criminality")
    found = []
    for pid, m in sorted(mine.items()):
        word = _ROLE_WORDS.get(m.role, "Member")
        code = m.role if m.role in dim.tables["roles"] else "other"
        found.append(
            Input(dim.code, word, f"role:{code}", dim.points("roles", code), (pid,), (m.link_id,))
        )
        for marker in sorted(set(markers.get(pid, ()))):
            points = dim.tables["markers"].get(marker, 0)
            if points:
                try:
                    label = WarningMarker(marker).label
                except ValueError:
                    label = marker
                found.append(
                    Input(
                        dim.code,
                        f"{label} marker",
                        f"marker:{marker}",
                        points,
                        (pid,),
                        (m.link_id,),
                    )
                )
    return found


def _capability(
    scale: Scale,
    gid: int,
    profile: tuple[str, str] | None,
    names: dict[str, str],
    mine: dict[int, store.Membership],
    lines: list[store.Line],
    bases: list[store.Base],
    elsewhere: list[store.Membership],
    at_bases: list[tuple[int, int, int]],
) -> list[Input]:
    dim = scale.dimension("capability")
    found = []
    commodities, measures = profile or ("", "")
    for code in _codes(commodities):
        found.append(
            Input(
                dim.code,
                f"Commodity: {_words(code, names)}",
                f"commodity:{code}",
                dim.points("commodities", code),
                (gid,),
            )
        )
    for code in _codes(measures):
        found.append(
            Input(
                dim.code,
                f"Counter-measure: {_words(code, names)}",
                f"counter_measure:{code}",
                dim.points("counter_measures", code),
                (gid,),
            )
        )
    for line in sorted(
        {ln.line_id: ln for ln in lines if ln.group_id == gid}.values(), key=lambda ln: ln.line_id
    ):
        found.append(
            Input(
                dim.code,
                "County line run",
                "county_line",
                dim.tables["items"]["county_line"],
                (line.line_id,),
                (line.link_id,),
            )
        )
    # Businesses: one a member belongs to, or one operating from the group's premises.
    used: dict[int, tuple[set[int], set[int]]] = {}
    for m in elsewhere:
        if m.person_id in mine and m.org_type not in store.GROUP_TYPES:
            ev, lk = used.setdefault(m.org_id, (set(), set()))
            ev.add(m.person_id)
            lk.update((m.link_id, mine[m.person_id].link_id))
    mine_bases = {b.location_id: b for b in bases if b.group_id == gid}
    for link_id, org_id, loc_id in at_bases:
        if loc_id in mine_bases:
            ev, lk = used.setdefault(org_id, (set(), set()))
            ev.add(loc_id)
            lk.update((link_id, mine_bases[loc_id].link_id))
    for org_id, (ev, lk) in sorted(used.items()):
        found.append(
            Input(
                dim.code,
                "Business used",
                "business",
                dim.tables["items"]["business"],
                (org_id, *sorted(ev)),
                tuple(sorted(lk)),
            )
        )
    return found


def _reach(
    scale: Scale, gid: int, owner: str | None, lines: list[store.Line], bases: list[store.Base]
) -> list[Input]:
    dim = scale.dimension("reach")
    items = dim.tables["items"]
    areas: dict[str, tuple[set[int], set[int]]] = {}
    forces: dict[str, tuple[set[int], set[int]]] = {}
    where = [(ln.area, ln.force, ln.line_id, ln.link_id) for ln in lines if ln.group_id == gid]
    where += [(b.area, b.force, b.location_id, b.link_id) for b in bases if b.group_id == gid]
    for area, force, eid, link_id in where:
        if area is None:
            continue
        for table, key in ((areas, area), (forces, force or "")):
            ev, lk = table.setdefault(key, (set(), set()))
            ev.add(eid)
            lk.add(link_id)
    found = []
    for area, (ev, lk) in sorted(areas.items()):
        found.append(
            Input(
                dim.code,
                f"Operates in {area_name(area)}",
                f"area:{area}",
                items["area"],
                tuple(sorted(ev)),
                tuple(sorted(lk)),
            )
        )
    # The first force is the group's own (or, if it works only elsewhere, the first named).
    first = owner if owner in forces else min(forces, default=None)
    for force, (ev, lk) in sorted(forces.items()):
        if force == first or not force:
            continue
        found.append(
            Input(
                dim.code,
                f"Also operates in {organisation_name(force)}'s area",
                f"force:{force}",
                items["extra_force"],
                tuple(sorted(ev)),
                tuple(sorted(lk)),
            )
        )
    exporting: dict[str, tuple[set[int], set[int]]] = {}
    for ln in lines:
        if ln.group_id == gid and ln.exporting_area:
            ev, lk = exporting.setdefault(ln.exporting_area, (set(), set()))
            ev.add(ln.line_id)
            lk.add(ln.link_id)
    for name, (ev, lk) in sorted(exporting.items()):
        found.append(
            Input(
                dim.code,
                f"Lines run from {name}",
                f"exporting:{name}",
                items["exporting_area"],
                tuple(sorted(ev)),
                tuple(sorted(lk)),
            )
        )
    return found


def _network(
    scale: Scale,
    gid: int,
    mine: dict[int, store.Membership],
    elsewhere: list[store.Membership],
    associations: list[tuple[int, int, int]],
    memberships: list[store.Membership],
) -> list[Input]:
    dim = scale.dimension("network")
    items = dim.tables["items"]
    found = []
    for m in elsewhere:  # members of this group who are members of another
        if m.person_id in mine and m.org_type in store.GROUP_TYPES and m.org_id != gid:
            found.append(
                Input(
                    dim.code,
                    "Member shared with another group",
                    "shared_member",
                    items["shared_member"],
                    (m.person_id, m.org_id),
                    tuple(sorted((m.link_id, mine[m.person_id].link_id))),
                )
            )
    groups_of: dict[int, list[store.Membership]] = defaultdict(list)
    for m in memberships:
        if m.org_type in store.GROUP_TYPES and m.org_id != gid:
            groups_of[m.person_id].append(m)
    tied: dict[int, tuple[set[int], set[int]]] = {}
    for link_id, a, b in associations:
        for ours, theirs in ((a, b), (b, a)):
            if ours not in mine or theirs in mine:
                continue
            for m in groups_of.get(theirs, ()):
                ev, lk = tied.setdefault(m.org_id, (set(), set()))
                ev.update((ours, theirs))
                lk.update((link_id, m.link_id, mine[ours].link_id))
    for org_id, (ev, lk) in sorted(tied.items()):
        found.append(
            Input(
                dim.code,
                "Members associated with another group's",
                "associated_group",
                items["associated_group"],
                (org_id, *sorted(ev)),
                tuple(sorted(lk)),
            )
        )
    return sorted(set(found), key=lambda i: (i.code, i.evidence))


def _capped(scale: Scale, inputs: list[Input]) -> list[Input]:
    """The inputs in the scale's order, each dimension over its cap brought back to it."""
    ordered = []
    for dim in scale.dimensions:
        mine = [i for i in inputs if i.dimension == dim.code]
        ordered += mine
        total = sum(i.points for i in mine)
        if total > dim.cap:
            ordered.append(
                Input(dim.code, f"Counted at most {dim.cap} points", "cap", dim.cap - total, ())
            )
    return ordered
