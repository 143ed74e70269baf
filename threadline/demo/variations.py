"""How the same person comes to be recorded differently by different forces.

Each function takes a value as one force recorded it and returns it as another force
might: a typing slip, a nickname for a given name, day and month swapped, a year-only
date of birth. `vary` picks a realistic handful for one duplicate record and returns the
changed fields with a note ("typo family_name (transposition); swapped dob") that is
kept in the ground truth.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from threadline.demo import names

__all__ = ["DobRecorded", "Variant", "nickname_for", "typo", "vary"]

# Neighbouring keys on a UK keyboard, for substitution slips.
_NEIGHBOURS = {
    "a": "qwsz", "b": "vghn", "c": "xdfv", "d": "serfcx", "e": "wsdr", "f": "drtgvc",
    "g": "ftyhbv", "h": "gyujnb", "i": "ujko", "j": "huikmn", "k": "jiolm", "l": "kop",
    "m": "njk", "n": "bhjm", "o": "iklp", "p": "ol", "q": "wa", "r": "edft", "s": "awedxz",
    "t": "rfgy", "u": "yhji", "v": "cfgb", "w": "qase", "x": "zsdc", "y": "tghu", "z": "asx",
}  # fmt: skip


def _letters(text: str) -> list[int]:
    """Positions of letters after the first character (slips rarely hit the first)."""
    return [i for i in range(1, len(text)) if text[i].isalpha()]


def typo(rng: random.Random, text: str) -> tuple[str, str]:
    """A one-keystroke slip in `text` and its kind: transposition, substitution, deletion."""
    positions = _letters(text)
    pairs = [i for i in positions if i + 1 < len(text) and text[i + 1].isalpha()]
    # Swap only lower-case neighbours that differ: "O'Brien" -> "O'Brein", never "O'rBien".
    pairs = [i for i in pairs if text[i].islower() and text[i + 1].islower()]
    pairs = [i for i in pairs if text[i] != text[i + 1]]
    kinds = ["substitution"]
    if pairs:
        kinds.append("transposition")
    if len(positions) >= 3:
        kinds.append("deletion")
    kind = rng.choice(kinds)
    if kind == "transposition":
        i = rng.choice(pairs)
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :], kind
    if kind == "deletion":
        doubled = [i for i in positions if text[i].lower() == text[i - 1].lower()]
        i = rng.choice(doubled or positions)
        return text[:i] + text[i + 1 :], kind
    i = rng.choice(positions) if positions else 0
    original = text[i]
    replacement = rng.choice(_NEIGHBOURS.get(original.lower(), "e"))
    if original.isupper():
        replacement = replacement.upper()
    return text[:i] + replacement + text[i + 1 :], kind


def nickname_for(rng: random.Random, given: str) -> str | None:
    """A nickname or short form of a given name (Bill for William), if one is known."""
    options = names.NICKNAMES.get(given)
    return rng.choice(options) if options else None


@dataclass(frozen=True, slots=True)
class DobRecorded:
    """A date of birth as a force recorded it; month and day may be unknown."""

    year: int
    month: int | None
    day: int | None

    @classmethod
    def of(cls, born: date) -> DobRecorded:
        return cls(born.year, born.month, born.day)


@dataclass(frozen=True, slots=True)
class Variant:
    """The fields of a duplicate record that differ from the true identity."""

    family_name: str
    given_names: str
    dob: DobRecorded | None
    keep_pnc: bool
    moved: bool
    new_phone: bool
    notes: tuple[str, ...]

    @property
    def note(self) -> str:
        return "; ".join(self.notes)


# (variation, weight): how often each kind of difference turns up between forces.
_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("typo family_name", 22),
    ("typo given_names", 10),
    ("nickname given_names", 16),
    ("dropped middle name", 8),
    ("swapped dob", 14),
    ("year-only dob", 8),
    ("no dob", 4),
    ("moved address", 24),
    ("changed phone", 12),
    ("no pnc_id", 14),
)
# How many differences a duplicate shows: none (an exact copy) up to three.
_HOW_MANY = (0, 1, 1, 1, 2, 2, 2, 3)


def vary(
    rng: random.Random,
    *,
    family_name: str,
    given_names: str,
    born: date,
    has_pnc: bool,
    has_phone: bool,
) -> Variant:
    """Choose the differences for one force's copy of a person and apply them."""
    first, _, middle = given_names.partition(" ")
    usable: list[tuple[str, int]] = []
    for kind, weight in _WEIGHTS:
        if kind == "nickname given_names" and first not in names.NICKNAMES:
            continue
        if kind == "dropped middle name" and not middle:
            continue
        if kind == "swapped dob" and (born.day > 12 or born.day == born.month):
            continue
        if kind == "no pnc_id" and not has_pnc:
            continue
        if kind == "changed phone" and not has_phone:
            continue
        usable.append((kind, weight))
    wanted = min(rng.choice(_HOW_MANY), len(usable))
    chosen: list[str] = []
    while len(chosen) < wanted:
        total = sum(w for k, w in usable if k not in chosen)
        pick = rng.random() * total
        for kind, weight in usable:
            if kind in chosen:
                continue
            pick -= weight
            if pick < 0:
                chosen.append(kind)
                break
    # Only one change to the date of birth, and to the given names, at a time.
    dob_kinds = [k for k in chosen if k.endswith(" dob")]
    given_kinds = [k for k in chosen if k in ("typo given_names", "nickname given_names")]
    given_kinds += [k for k in chosen if k == "dropped middle name"]
    chosen = [k for k in chosen if k not in dob_kinds[1:] and k not in given_kinds[1:]]
    chosen.sort(key=[k for k, _ in _WEIGHTS].index)

    notes: list[str] = []
    family, given = family_name, given_names
    dob: DobRecorded | None = DobRecorded.of(born)
    for kind in chosen:
        if kind == "typo family_name":
            family, how = typo(rng, family)
            notes.append(f"{kind} ({how})")
            continue
        if kind == "typo given_names":
            given, how = typo(rng, given)
            notes.append(f"{kind} ({how})")
            continue
        if kind == "nickname given_names":
            given = nickname_for(rng, first) or given
        elif kind == "dropped middle name":
            given = first
        elif kind == "swapped dob":
            dob = DobRecorded(born.year, born.day, born.month)
        elif kind == "year-only dob":
            dob = DobRecorded(born.year, None, None)
        elif kind == "no dob":
            dob = None
        notes.append(kind)
    return Variant(
        family_name=family,
        given_names=given,
        dob=dob,
        keep_pnc="no pnc_id" not in chosen,
        moved="moved address" in chosen,
        new_phone="changed phone" in chosen,
        notes=tuple(notes) or ("exact copy",),
    )
