"""Households: the general population of a force, recorded at one address together.

Most people police record are alone at their address in the records; some share it
with a partner, children or siblings, linked by `family_of` (role `partner`, `parent`
or `sibling`, read from the head of the household). A few know someone recorded just
before them in the same force (`associate_of`).
"""

from __future__ import annotations

import random
from bisect import bisect
from itertools import accumulate

from threadline.demo.population import general_age
from threadline.demo.world import DUPLICATE_SHARE, PHONE_SHARE, Identity, World
from threadline.reference.geography import ForceGeo

__all__ = ["household"]

VEHICLE_SHARE = 0.04  # people with a vehicle recorded against them

# Data subject category mixes of the general population: (categories, weight).
_GENERAL_CATEGORIES: tuple[tuple[str, int], ...] = (
    ("suspect", 34),
    ("suspect;convicted", 20),
    ("convicted", 4),
    ("victim", 20),
    ("witness", 12),
    ("victim;witness", 5),
    ("suspect;victim", 5),
)
_GENERAL_CUM = list(accumulate(w for _, w in _GENERAL_CATEGORIES))
_HOUSEHOLD_SIZES = (1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 4)


def _general_categories(rng: random.Random) -> str:
    return _GENERAL_CATEGORIES[bisect(_GENERAL_CUM, rng.random() * _GENERAL_CUM[-1])][0]


def _relative(rng: random.Random, index: int, head_age: int) -> tuple[int, int, str]:
    """Age range and relation to the head of the household's `index`-th member."""
    if index == 0:
        return head_age, head_age, ""
    if index == 1 and head_age >= 20 and rng.random() < 0.55:
        return max(16, head_age - 6), head_age + 6, "partner"
    if head_age >= 32:
        return max(10, head_age - 45), head_age - 18, "parent"
    return max(10, head_age - 5), max(10, head_age + 5), "sibling"


def household(world: World, force: ForceGeo, rng: random.Random, budget: int) -> int:
    """Write one household of recorded people at one address; returns how many."""
    area = world.pick_area(rng, force)
    address = world.books[area.code].next()
    size = min(rng.choice(_HOUSEHOLD_SIZES), budget)
    head_age = general_age(rng)
    family = world.names.family(rng, "male")  # shared, so not Begum or Kaur
    members: list[tuple[Identity, str]] = []
    for i in range(size):
        low, high, relation = _relative(rng, i, head_age)
        categories = _general_categories(rng)
        convicted = "convicted" in categories
        suspect = "suspect" in categories
        same_family = relation != "partner" or rng.random() < 0.6
        ident = world.person(
            rng,
            low=low,
            high=high,
            male=0.72 if suspect or convicted else 0.45,
            categories=categories,
            family_name=family if same_family else None,
            pnc=1.0 if convicted else (0.45 if suspect else 0.03),
            nickname=0.04 if suspect else 0.0,
            alias=0.05 if suspect or convicted else 0.0,
        )
        ident.address = address
        ident.phone = world.phone_for(rng, PHONE_SHARE, member=False)
        members.append((ident, relation))
    export = world.exports[force.code]
    location: str | None = None
    head_id = ""
    for ident, relation in members:
        recorded = world.record(force.code, ident, rng=rng, location=location)
        location = recorded.location
        if relation:
            export.link("family_of", "person", head_id, "person", recorded.person, role=relation)
        else:
            head_id = recorded.person
        if rng.random() < VEHICLE_SHARE:
            world.add_vehicle(force.code, rng, "person", recorded.person)
        recent = world.recent[force.code]
        if recent and rng.random() < 0.12:
            other = recent[rng.randrange(len(recent))]
            export.link("associate_of", "person", recorded.person, "person", other)
        recent.append(recorded.person)
        world.maybe_duplicate(force.code, ident, rng, DUPLICATE_SHARE)
    return size
