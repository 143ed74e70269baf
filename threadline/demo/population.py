"""Synthetic people and places: names, dates of birth by age, and addresses in real areas.

Names come from `names` (weighted family names, gender-appropriate given names). Ages
follow the mix of people who appear in police records: mostly 15 to 35, some children.
Addresses are in the region's real policing areas, on plausible streets in the area's
real towns, with a real postcode district of that area and a synthetic inward code; a
street block always gets the same postcode, and no address is handed out twice.
"""

from __future__ import annotations

import random
import zlib
from bisect import bisect
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from threadline.demo import names
from threadline.reference.geography import AreaGeo

__all__ = [
    "DEMO_TODAY",
    "Address",
    "AddressBook",
    "NamePicker",
    "born_aged",
    "general_age",
]

# The demo's "today": fixed, so a seed always builds the same region whatever the clock.
DEMO_TODAY = date(2026, 11, 1)

# Age bands of people in police records (low, high, weight): mostly 15-35, some children.
_AGE_BANDS: tuple[tuple[int, int, int], ...] = (
    (10, 13, 2),
    (14, 17, 9),
    (18, 24, 24),
    (25, 34, 28),
    (35, 49, 22),
    (50, 64, 11),
    (65, 85, 4),
)
_AGE_CUM = list(accumulate(w for _, _, w in _AGE_BANDS))


def general_age(rng: random.Random) -> int:
    """An age drawn from the mix of people recorded by police."""
    low, high, _ = _AGE_BANDS[bisect(_AGE_CUM, rng.random() * _AGE_CUM[-1])]
    return rng.randint(low, high)


def born_aged(rng: random.Random, low: int, high: int) -> date:
    """A date of birth of someone aged `low` to `high` (inclusive) on `DEMO_TODAY`."""
    earliest = DEMO_TODAY.replace(year=DEMO_TODAY.year - high - 1) + timedelta(days=1)
    latest = DEMO_TODAY.replace(year=DEMO_TODAY.year - low)
    return date.fromordinal(rng.randint(earliest.toordinal(), latest.toordinal()))


# Family names whose bearers mostly carry given names of one heritage. Anything not
# listed takes mostly English given names, with some Celtic and Black British ones.
_HERITAGE_FAMILIES: dict[str, frozenset[str]] = {
    "south_asian": frozenset((
        "Patel", "Khan", "Singh", "Begum", "Ali", "Hussain", "Ahmed", "Ahmad", "Kaur", "Gill",
        "Sharma", "Shah", "Mahmood", "Iqbal", "Rahman", "Islam", "Akhtar", "Bibi", "Mohammed",
        "Uddin", "Miah", "Chowdhury", "Rashid", "Malik", "Aziz", "Qureshi", "Siddiqui", "Butt",
        "Mirza", "Kumar", "Gupta", "Mistry", "Parmar", "Chauhan", "Joshi", "Desai", "Sandhu",
        "Dhillon", "Sidhu", "Bains", "Johal", "Mehta", "Chaudhry", "Nawaz", "Haque", "Sultana",
        "Javed", "Abbasi",
    )),
    "black": frozenset((
        "Okafor", "Mensah", "Okoro", "Adeyemi", "Okonkwo", "Adebayo", "Oluwole", "Boateng",
        "Owusu", "Asante", "Osei", "Appiah", "Nwosu", "Eze", "Balogun", "Afolabi", "Bello",
        "Ogunleye", "Mohamud", "Abdi", "Farah", "Yusuf", "Warsame",
    )),
    "eastern": frozenset((
        "Nowak", "Kowalski", "Kowalska", "Wisniewski", "Wojcik", "Kaminski", "Lewandowski",
        "Zielinski", "Szymanski", "Wozniak", "Dabrowski", "Kozlowski", "Mazur", "Krawczyk",
        "Popescu", "Ionescu", "Popa", "Stan", "Dumitru", "Kazlauskas", "Petrauskas",
        "Jankauskas", "Berzins", "Ivanov", "Petrov", "Horvath", "Novak", "Kovac",
    )),
    "irish": frozenset((
        "O'Brien", "O'Connor", "O'Neill", "O'Sullivan", "O'Donnell", "O'Reilly", "O'Leary",
        "O'Mahony", "Ryan", "Byrne", "Doyle", "Kavanagh", "Quinn", "Gallagher", "Brennan",
        "Daly", "Flynn", "Nolan", "Keane", "Doherty", "McCarthy", "Fitzgerald", "Sweeney",
        "Donnelly", "Duffy", "Connolly", "Hegarty", "Moran", "Whelan", "Lynch", "Murphy",
        "Walsh",
    )),
    "scottish": frozenset((
        "McDonald", "MacDonald", "McLean", "MacLeod", "McKay", "Mackay", "Fraser", "Ross",
        "Paterson", "Morrison", "Robertson", "Henderson", "Ferguson", "Cameron", "Munro",
        "Sinclair", "Douglas", "Crawford", "Buchanan", "Boyd", "McGregor", "Kerr",
        "Sutherland", "Duncan", "Johnston", "Campbell", "Stewart",
    )),
    "welsh": frozenset((
        "Llewellyn", "Pritchard", "Vaughan", "Rowlands", "Howells", "Parry", "Bowen", "Jenkin",
        "Probert", "Prosser", "Pugh", "Gwynne", "Meredith", "Lloyd-Jones", "Bevan", "Hopkin",
        "Rees-Evans", "Humphreys", "Morgans",
    )),
}  # fmt: skip
_FEMALE_ONLY_FAMILIES = frozenset({"Begum", "Kaur", "Bibi", "Sultana", "Kowalska"})
# Where each heritage's given names start in names.MALE_GIVEN / FEMALE_GIVEN (the lists
# are grouped, English first); a missing anchor just merges two groups.
_ANCHORS = {
    "male": (("irish", "Connor"), ("scottish", "Callum"), ("welsh", "Rhys"),
             ("south_asian", "Mohammed"), ("black", "Kwame"), ("eastern", "Tomasz")),
    "female": (("irish", "Siobhan"), ("scottish", "Eilidh"), ("welsh", "Rhiannon"),
               ("south_asian", "Aisha"), ("black", "Chiamaka"), ("eastern", "Agnieszka")),
}  # fmt: skip
# (heritage of the given name, chance) for each heritage of family name; the rest English.
_GIVEN_MIX: dict[str, tuple[tuple[str, float], ...]] = {
    "south_asian": (("south_asian", 0.85),),
    "black": (("black", 0.7),),
    "eastern": (("eastern", 0.8),),
    "irish": (("irish", 0.35),),
    "scottish": (("scottish", 0.35),),
    "welsh": (("welsh", 0.4),),
    "english": (("black", 0.06), ("irish", 0.03), ("scottish", 0.03), ("welsh", 0.02)),
}


def _given_groups(
    pool: tuple[str, ...], anchors: tuple[tuple[str, str], ...]
) -> dict[str, tuple[str, ...]]:
    starts = [(pool.index(name), group) for group, name in anchors if name in pool]
    starts.append((0, "english"))
    starts.sort()
    groups: dict[str, tuple[str, ...]] = {}
    for (start, group), (end, _) in zip(starts, [*starts[1:], (len(pool), "")], strict=True):
        groups[group] = pool[start:end]
    for group, _name in anchors:
        groups.setdefault(group, pool)
    return groups


class NamePicker:
    """Family names by their real relative frequency; given names by gender and heritage.

    A family name's heritage (South Asian, Black African, Eastern European, Irish,
    Scottish, Welsh or otherwise English) makes given names of that heritage likely but
    not certain, as in modern Britain; names borne only by women (Begum, Kaur) are not
    given to men.
    """

    def __init__(self) -> None:
        self._family = [name for name, _ in names.FAMILY_NAMES]
        self._family_cum = list(accumulate(weight for _, weight in names.FAMILY_NAMES))
        self._total = self._family_cum[-1]
        self._heritage = {
            family: heritage
            for heritage, families in _HERITAGE_FAMILIES.items()
            for family in families
        }
        self._given = {
            "male": _given_groups(names.MALE_GIVEN, _ANCHORS["male"]),
            "female": _given_groups(names.FEMALE_GIVEN, _ANCHORS["female"]),
        }

    def family(self, rng: random.Random, gender: str = "female") -> str:
        while True:
            name = self._family[bisect(self._family_cum, rng.random() * self._total)]
            if gender == "female" or name not in _FEMALE_ONLY_FAMILIES:
                return name

    def given(self, rng: random.Random, gender: str, family: str = "") -> str:
        groups = self._given["female" if gender == "female" else "male"]
        heritage = self._heritage.get(family, "english")
        roll = rng.random()
        chosen = "english"
        for group, chance in _GIVEN_MIX[heritage]:
            if roll < chance:
                chosen = group
                break
            roll -= chance
        return rng.choice(groups[chosen])

    def given_names(self, rng: random.Random, gender: str, family: str = "") -> str:
        """One given name, or two (about a third of people have a middle name recorded)."""
        first = self.given(rng, gender, family)
        if rng.random() < 0.33:
            middle = self.given(rng, gender, family)
            if middle != first:
                return f"{first} {middle}"
        return first


@dataclass(frozen=True, slots=True)
class Address:
    """A synthetic address in a real policing area."""

    line1: str
    town: str
    postcode: str  # canonical, e.g. "NR3 1EP"
    area: str  # policing area code

    @property
    def district(self) -> str:
        return self.postcode.split(" ")[0]

    @property
    def uprn(self) -> str:
        """A made-up Unique Property Reference Number (12 digits starting 99), the same
        whichever force records the address."""
        digest = zlib.crc32(f"{self.line1}|{self.postcode}".encode())
        return f"99{digest % 10**10:010d}"


# Stems and types of generated street names, added to each area's own streets so that a
# large demo does not put thousands of households on eight streets.
_STEMS = (
    "Ash", "Beech", "Birch", "Blackthorn", "Bramble", "Brook", "Castle", "Cedar", "Chestnut",
    "Church", "Clover", "Coronation", "Cowslip", "Elm", "Field", "Fir", "Foxglove", "Glebe",
    "Hawthorn", "Hazel", "Heath", "Holly", "Juniper", "Kestrel", "Larch", "Laurel", "Lavender",
    "Lime", "Linden", "Maple", "Meadow", "Mill", "Oak", "Orchard", "Plover", "Poplar",
    "Primrose", "Rowan", "Sandpiper", "Spinney", "Swallow", "Sycamore", "Thistle", "Walnut",
    "Wheatfield", "Willow", "Windmill", "Wren", "Yew",
)  # fmt: skip
_TYPES = (
    "Road", "Street", "Lane", "Close", "Avenue", "Way", "Drive", "Court", "Gardens",
    "Crescent", "Place", "Rise", "Grove", "Walk",
)  # fmt: skip
_EXTRA_STREETS = 40
_NUMBERS = 240  # house numbers per street
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters allowed in the inward code


class AddressBook:
    """Hands out distinct addresses in one policing area.

    Each street belongs to one of the area's towns; houses are numbered 1 to 240; once
    every house has been used, flats are added ("Flat 2, 14 Mill Lane"). A block of
    twenty houses on a street shares one postcode, derived from the street and block, so
    it is the same whichever force records the address.
    """

    def __init__(self, area: AreaGeo, rng: random.Random) -> None:
        self.area = area
        extra = sorted(
            (f"{stem} {kind}" for stem in _STEMS for kind in _TYPES),
            key=lambda name: zlib.crc32(f"{area.code}|{name}".encode()),
        )
        streets = list(area.streets)
        streets += [s for s in extra if s not in streets][:_EXTRA_STREETS]
        self.streets = tuple(streets)
        self.capacity = len(self.streets) * _NUMBERS
        self._step = 104_729  # a prime larger than any capacity: visits every slot once
        self._offset = rng.randrange(self.capacity)
        self._used = 0

    def next(self) -> Address:
        slot = (self._offset + self._used * self._step) % self.capacity
        flat = self._used // self.capacity
        self._used += 1
        street_index, number = divmod(slot, _NUMBERS)
        number += 1
        street = self.streets[street_index]
        town = self.area.towns[street_index % len(self.area.towns)]
        line1 = f"{number} {street}" if flat == 0 else f"Flat {flat}, {number} {street}"
        return Address(line1, town, self.postcode(street, number), self.area.code)

    def postcode(self, street: str, number: int) -> str:
        block = number // 20
        digest = zlib.crc32(f"{self.area.code}|{street}|{block}".encode())
        districts = self.area.postcode_districts
        district = districts[digest % len(districts)]
        digest //= len(districts)
        digit = digest % 10
        digest //= 10
        first = _INWARD_LETTERS[digest % len(_INWARD_LETTERS)]
        digest //= len(_INWARD_LETTERS)
        second = _INWARD_LETTERS[digest % len(_INWARD_LETTERS)]
        return f"{district} {digit}{first}{second}"
