"""Synthetic identifiers for the demo: PNC ids, phone numbers, registration marks, IMEIs.

Everything here is made up but has the real shape, so the importer's value types accept
it: PNC ids carry their real check letter, phone numbers come only from the ranges Ofcom
reserves for drama (they can never ring a real person), registration marks use the
current GB format with the memory tags of the region's DVLA offices, and IMEIs carry a
valid Luhn check digit.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

__all__ = [
    "DEAL_LINE_NUMBERS",
    "LANDLINE_NUMBERS",
    "PhonePool",
    "VrmMaker",
    "imei",
    "pnc_id",
]

# --------------------------------------------------------------------------- PNC ids

_PNC_LETTERS = "ZABCDEFGHJKLMNPQRTUVWXY"


def pnc_id(year: int, serial: int, *, long_form: bool = False) -> str:
    """A PNC id: year of first entry, a 7-digit serial and its mod-23 check letter.

    Short form `YY/NNNNNNNL` (e.g. `98/0123456T`); long form `YYYY/NNNNNNNL`. The check
    letter is computed from the two-digit year and the serial in either form.
    """
    yy = year % 100
    check = _PNC_LETTERS[int(f"{yy:02d}{serial:07d}") % 23]
    shown = f"{year:04d}" if long_form else f"{yy:02d}"
    return f"{shown}/{serial:07d}{check}"


# --------------------------------------------------------------------------- phones


def _block(prefix: str, first: int, count: int, width: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{n:0{width}d}" for n in range(first, first + count))


_GEOGRAPHIC = (
    "0113", "0114", "0115", "0116", "0117", "0118", "0121", "0131", "0141", "0151", "0161",
)  # fmt: skip

# Ofcom's drama numbers. Only one block is mobile: it is kept for deal lines first.
DEAL_LINE_NUMBERS: tuple[str, ...] = _block("07700 900", 0, 1000, 3)
LANDLINE_NUMBERS: tuple[str, ...] = (
    _block("01632 960", 0, 1000, 3)
    + _block("020 7946 ", 0, 1000, 4)
    + _block("0191 498 ", 0, 1000, 4)
    + _block("028 9649 6", 0, 1000, 3)
    + _block("029 2018 ", 0, 1000, 4)
    + tuple(number for code in _GEOGRAPHIC for number in _block(f"{code} 496 ", 0, 1000, 4))
)


class PhonePool:
    """Hands out each drama-range number at most once, so no two identities share one.

    Deal lines take numbers from the one mobile block (07700 900xxx); people take the
    mobile numbers the lines leave, then landlines. The pool is finite (17,000 numbers):
    callers decide who gets one (see `World`), and `take` returns None once it is empty.
    """

    def __init__(self, rng: random.Random, *, deal_lines: int) -> None:
        if deal_lines > len(DEAL_LINE_NUMBERS):
            raise ValueError(f"at most {len(DEAL_LINE_NUMBERS)} deal lines, not {deal_lines}")
        mobiles = list(DEAL_LINE_NUMBERS)
        rng.shuffle(mobiles)
        landlines = list(LANDLINE_NUMBERS)
        rng.shuffle(landlines)
        self._deal: Iterator[str] = iter(mobiles[:deal_lines])
        self._mobiles: Iterator[str] = iter(mobiles[deal_lines:])
        self._landlines: Iterator[str] = iter(landlines)
        self.capacity = len(mobiles) - deal_lines + len(landlines)

    def deal_line(self) -> str:
        return next(self._deal)

    def take(self) -> str | None:
        """A fresh number, mobile while any are left, or None when every one is used."""
        number = next(self._mobiles, None)
        return number if number is not None else next(self._landlines, None)


def imei(rng: random.Random) -> str:
    """A 15-digit IMEI with a valid Luhn check digit and a synthetic type allocation code."""
    body = "35" + "".join(str(rng.randrange(10)) for _ in range(12))
    total = 0
    for i, ch in enumerate(reversed(body)):
        digit = int(ch)
        if i % 2 == 0:  # doubled positions, counting from the right of the body
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return body + str((10 - total % 10) % 10)


# --------------------------------------------------------------------------- vehicles

# DVLA memory tags of the offices that register the region's cars (first two letters).
_MEMORY_TAGS: dict[str, tuple[str, ...]] = {
    "bedfordshire": tuple(f"K{c}" for c in "ABCDEFGHJKL"),  # Luton
    "cambridgeshire": tuple(f"A{c}" for c in "ABCDEFGHJKLMN"),  # Peterborough
    "essex": tuple(f"E{c}" for c in "ABCDEFGHJKLMNOPRSTUVWXY"),  # Chelmsford
    "hertfordshire": tuple(f"K{c}" for c in "ABCDEFGHJKL"),  # Luton
    "kent": tuple(f"G{c}" for c in "ABCDEFGHJKLMNO"),  # Maidstone
    "norfolk": tuple(f"A{c}" for c in "OPRSTU"),  # Norwich
    "suffolk": tuple(f"A{c}" for c in "VWXY"),  # Ipswich
}
_RANDOM_LETTERS = "ABCDEFGHJKLMNOPRSTUVWXYZ"  # I and Q are never used
# Three-letter runs a synthetic plate should not spell (the DVLA withholds these too).
_WITHHELD = frozenset((
    "ASS", "BUM", "CUM", "DIE", "FAG", "FUC", "FUK", "FCK", "GAY", "GOD", "JEW", "KKK", "NAZ",
    "NOB", "POO", "POX", "SEX", "SOD", "TIT", "WTF", "XXX", "ZZZ", "PIG", "RAT", "HUN", "DIK",
    "COK", "SHT", "CRP", "ARS", "GIT",
))  # fmt: skip

CARS: tuple[tuple[str, str], ...] = (
    ("Ford", "Fiesta"),
    ("Ford", "Focus"),
    ("Vauxhall", "Corsa"),
    ("Vauxhall", "Astra"),
    ("Volkswagen", "Golf"),
    ("Volkswagen", "Polo"),
    ("BMW", "3 Series"),
    ("BMW", "1 Series"),
    ("Audi", "A3"),
    ("Audi", "A4"),
    ("Mercedes-Benz", "A-Class"),
    ("Mercedes-Benz", "C-Class"),
    ("Toyota", "Yaris"),
    ("Toyota", "Prius"),
    ("Nissan", "Qashqai"),
    ("Kia", "Sportage"),
    ("Peugeot", "208"),
    ("Seat", "Leon"),
    ("Skoda", "Octavia"),
    ("Land Rover", "Range Rover Sport"),
    ("Honda", "Civic"),
    ("Hyundai", "Tucson"),
    ("Ford", "Transit"),
    ("Mini", "Cooper"),
)
COLOURS: tuple[str, ...] = ("Black", "White", "Grey", "Silver", "Blue", "Red", "Green")


class VrmMaker:
    """Registration marks `AB12 CDE` that are unique within one demo build."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def make(self, rng: random.Random, force_code: str, *, latest_year: int) -> str:
        tags = _MEMORY_TAGS[force_code]
        while True:
            year = rng.randint(2008, latest_year)
            age = year % 100 if rng.random() < 0.5 else year % 100 + 50
            letters = "".join(rng.choice(_RANDOM_LETTERS) for _ in range(3))
            if letters in _WITHHELD:
                continue
            mark = f"{rng.choice(tags)}{age:02d} {letters}"
            if mark not in self._used:
                self._used.add(mark)
                return mark
