"""Reading what an officer typed into a name search, and rejecting what cannot work.

A name is read as "Given Names Family" or, with a comma, "Family, Given Names". Without a
comma the words may be in either order and a family name may have several words, so a
query carries every plausible *reading* (given, family, weight); matching takes the best.
One word may be a family name, a given name or a nickname: all three are tried.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from threadline.errors import FieldError, InvalidData
from threadline.model.names import fold
from threadline.model.values import PartialDate

MAX_LIMIT = 200
MAX_NAME_LENGTH = 200


@dataclass(frozen=True, slots=True)
class Reading:
    """One way to read the query: folded given names and family name, and how likely."""

    given: str
    family: str
    weight: float  # 1.0 for the natural reading; less for swapped or re-split ones

    @property
    def first_given(self) -> str:
        return self.given.split(" ", 1)[0] if self.given else ""


@dataclass(frozen=True, slots=True)
class NameQuery:
    """A validated name search: the folded text, its words and its readings."""

    raw: str
    folded: str
    words: tuple[str, ...]
    readings: tuple[Reading, ...]

    @property
    def single_word(self) -> bool:
        return len(self.words) == 1


def parse_name(raw: str) -> NameQuery:
    """Validate and read a name query; raises InvalidData naming the `name` field."""
    text = (raw or "").strip()
    if len(text) > MAX_NAME_LENGTH:
        raise _invalid("name", text[:40] + "...", f"a name of at most {MAX_NAME_LENGTH} characters")
    if "," in text:
        family_part, _, given_part = text.partition(",")
        family, given = fold(family_part), fold(given_part)
        folded = " ".join(part for part in (given, family) if part)
        readings = [Reading(given, family, 1.0)] if folded else []
    else:
        folded = fold(text)
        readings = _readings(folded.split(" ")) if folded else []
    letters = sum(ch.isalpha() for ch in folded)
    if letters < 2:
        raise _invalid(
            "name", raw or "", 'a name with at least 2 letters, such as "Smith" or "John Smith"'
        )
    return NameQuery(
        raw=text, folded=folded, words=tuple(folded.split(" ")), readings=tuple(readings)
    )


def _one_word(word: str) -> list[Reading]:
    # One word: most often a family name, but a given name or street name is just as
    # likely from the roadside, so both readings carry full weight.
    return [Reading("", word, 1.0), Reading(word, "", 1.0)]


# Words that begin a family name of several words: "O Brien", "Van der Berg", "St John".
PARTICLES = frozenset(
    {"o", "mc", "mac", "st", "van", "von", "der", "den", "de", "da", "di", "du", "del",
     "della", "le", "la", "al", "el", "ap", "bin", "ibn", "ben", "abu"}
)  # fmt: skip


def _readings(words: list[str]) -> list[Reading]:
    if len(words) == 1:
        return _one_word(words[0])
    start = len(words) - 1
    while start > 1 and words[start - 1] in PARTICLES:
        start -= 1
    readings = [Reading(" ".join(words[:start]), " ".join(words[start:]), 1.0)]
    if start < len(words) - 1:
        # The particle may after all be a middle initial: "Sean O Brien" as Sean O. Brien.
        readings.append(Reading(" ".join(words[:-1]), words[-1], 0.9))
    elif len(words) >= 3:
        # "Mary Bailey Smith": a double-barrelled family name written without its hyphen.
        readings.append(Reading(words[0], " ".join(words[1:]), 0.98))
    # "Smith John": the family name written first without a comma.
    readings.append(Reading(" ".join(words[1:]), words[0], 0.95))
    return readings


def family_only(name: str) -> str | None:
    """The query's family name alone, written so a search reads it so ("Smith,"), or
    None when the query has no separate given name (or cannot be read)."""
    try:
        readings = parse_name(name).readings
    except InvalidData:
        return None
    if not readings or not readings[0].family or not readings[0].given:
        return None
    return f"{readings[0].family},"


def check_dob(dob: PartialDate | None) -> None:
    if dob is not None and dob.earliest() > date.today():
        raise _invalid("dob", dob.isoformat(), "a date of birth that is not in the future")


def check_age_range(age_range: tuple[int, int] | None) -> None:
    if age_range is None:
        return
    low, high = age_range
    if not (0 <= low <= high <= 130):
        raise _invalid(
            "age_range",
            f"{low}-{high}",
            "two ages in years, youngest first, between 0 and 130 (for example 25-35)",
        )


def check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise _invalid("limit", str(limit), f"a number of results from 1 to {MAX_LIMIT}")


def _invalid(field: str, received: str, expected: str) -> InvalidData:
    return InvalidData([FieldError(field, received, expected)])
