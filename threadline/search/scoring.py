"""Scoring a stored name (and date of birth) against a query: 0-100, with reasons.

The score is built from parts an officer can follow: family name and first given name are
compared separately (exact, nickname equivalent, same sound, similar spelling), weighted
55/45, and a date of birth, when one is asked for, counts for a fifth. A part that is
plainly different drags the score down hard, so "Jane Smith" does not pass for "John
Smith" just because the family name is right. Pure functions: no database here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein

from threadline.clock import uk_date
from threadline.model.names import phonetic_key
from threadline.model.values import PartialDate
from threadline.search.nicknames import are_equivalent
from threadline.search.query import NameQuery, Reading

FAMILY_WEIGHT = 0.55
GIVEN_WEIGHT = 0.45
DOB_WEIGHT = 0.2  # share of the score given to date of birth when one is asked for
UNKNOWN_PART = 60.0  # a part the record does not hold: neither evidence for nor against
WEAK_PART = 60.0  # below this a part is evidence against, and is halved

EXACT = 100.0
EQUIVALENT = 92.0
PHONETIC = 90.0
PART_OF = 95.0
INITIAL = 85.0
MIDDLE = 85.0
SHORTENED = 80.0
SIMILAR = 70.0  # a spelling at least this close is worth saying so


@dataclass(frozen=True, slots=True)
class StoredName:
    """The searchable forms of one stored name (see `threadline.search.keys`)."""

    family_norm: str
    given_norm: str
    family_key: str
    given_key: str


# The record fields a name match may rest on (the policy vocabulary's names for them).
FAMILY_FIELD = "family_name"
GIVEN_FIELD = "given_names"
WHOLE_NAME = frozenset({FAMILY_FIELD, GIVEN_FIELD})


@dataclass(frozen=True, slots=True)
class Judgement:
    """A score with its reasons, and the name fields it rests on.

    `fields` names every part of the stored name the winning reading of the query was
    compared with, matching or not: a reader who may not see one of them must not be
    shown a result the comparison let through (see `threadline.check`).
    """

    score: float
    reasons: tuple[str, ...]
    fields: frozenset[str] = frozenset()


def spelling(one: str, other: str) -> float:
    """0-100 closeness of spelling; a swap of neighbouring letters counts as one edit."""
    return max(
        fuzz.ratio(one, other),
        DamerauLevenshtein.normalized_similarity(one, other) * 100.0,
    )


def sounds_alike(one: str, other: str, other_key: str) -> bool:
    """Same Metaphone key and the same first vowel sound.

    Metaphone drops vowels, so on its own it makes Jane sound like John and Janes like
    Jones; requiring the first vowel to agree (y counting as i) keeps Jon/John,
    Smith/Smyth, Steven/Stephen and Stevenson/Stephenson together and those apart.
    """
    return (
        bool(other_key)
        and phonetic_key(one) == other_key
        and _first_vowel(one) == _first_vowel(other)
    )


def _first_vowel(word: str) -> str:
    for ch in word[1:] if len(word) > 1 else word:
        if ch in "aeiouy":
            return "i" if ch == "y" else ch
    return ""


def family_similarity(query: str, stored: str, stored_key: str) -> tuple[float, str | None]:
    """How well a stored family name answers the query's family name."""
    if not stored:
        return -1.0, None
    if query == stored or query.replace(" ", "") == stored.replace(" ", ""):
        return EXACT, "family name matches"
    if " " in stored and " " not in query and query in stored.split(" "):
        return PART_OF, "family name matches part of a double-barrelled name"
    close = spelling(query, stored)
    if sounds_alike(query, stored, stored_key):
        return max(PHONETIC, close), "phonetic match on family name"
    if close >= SIMILAR:
        return close, "similar spelling of family name"
    return close, None


def given_similarity(query: str, stored: str, stored_key: str) -> tuple[float, str | None]:
    """How well stored given names answer the query's first given name."""
    if not stored:
        return -1.0, None
    words = stored.split(" ")
    first = words[0]
    if query == first:
        return EXACT, "given name matches"
    if are_equivalent(query, first):
        return EQUIVALENT, f"given name {query.title()} is a form of {first.title()}"
    close = spelling(query, first)
    if sounds_alike(query, first, stored_key):
        return max(PHONETIC, close), "phonetic match on given name"
    if len(query) == 1:
        if first.startswith(query):
            return INITIAL, "initial matches given name"
        return 0.0, None
    if query in words[1:]:
        return MIDDLE, "matches a middle name"
    if len(query) >= 3 and len(first) >= 3 and (first.startswith(query) or query.startswith(first)):
        return max(SHORTENED, close), "given name is a shortened form"
    if close >= SIMILAR:
        return close, "similar spelling of given name"
    return close, None


def _fields_of(reading: Reading) -> frozenset[str]:
    """The fields of a stored name that `reading` is compared with."""
    return frozenset(
        name
        for name, part in ((FAMILY_FIELD, reading.family), (GIVEN_FIELD, reading.given))
        if part
    )


def _weigh(part: float) -> float:
    if part < 0:
        return UNKNOWN_PART
    return part if part >= WEAK_PART else part / 2


@dataclass
class NameScorer:
    """Scores stored names against one query, remembering repeated comparisons.

    Candidates for a common name share a handful of family names and given names, so
    caching the part comparisons keeps re-ranking a thousand candidates cheap.
    """

    query: NameQuery
    _names: dict[StoredName, Judgement] = field(default_factory=dict)
    _family: dict[tuple[str, str, str], tuple[float, str | None]] = field(default_factory=dict)
    _given: dict[tuple[str, str, str], tuple[float, str | None]] = field(default_factory=dict)
    # Worked out once per query, not once per name: each reading with its first given
    # name and the fields it rests on, and the query run together.
    _readings: tuple[tuple[Reading, str, frozenset[str]], ...] = field(init=False)
    _whole_query: str = field(init=False)

    def __post_init__(self) -> None:
        self._readings = tuple(
            (reading, reading.first_given, _fields_of(reading)) for reading in self.query.readings
        )
        self._whole_query = self.query.folded.replace(" ", "")

    def score(self, name: StoredName) -> Judgement:
        known = self._names.get(name)
        if known is not None:
            return known
        best = Judgement(0.0, ())
        for reading, first_given, fields in self._readings:
            judged = self._score_reading(reading, first_given, fields, name)
            if judged.score > best.score:
                best = judged
        if best.score < EXACT and self._whole(name) == self._whole_query:
            # A street name of several words ("Boss Man", "K-Dog") has no family name
            # to compare part by part, and run together it is simply the same.
            best = Judgement(EXACT, ("whole name matches",), WHOLE_NAME)
        self._names[name] = best
        return best

    @staticmethod
    def _whole(name: StoredName) -> str:
        return (name.given_norm + name.family_norm).replace(" ", "")

    def _score_reading(
        self, reading: Reading, first_given: str, fields: frozenset[str], name: StoredName
    ) -> Judgement:
        reasons: list[str] = []
        fam = giv = -1.0
        if reading.family:
            fam, why = self._family_part(reading.family, name)
            if why:
                reasons.append(why)
        if reading.given:
            giv, why = self._given_part(first_given, name)
            if why:
                reasons.append(why)
        if reading.family and reading.given:
            score = FAMILY_WEIGHT * _weigh(fam) + GIVEN_WEIGHT * _weigh(giv)
        else:
            score = max(fam, giv, 0.0)
        if reading.weight < 1.0 and reasons:
            reasons.append("name parts in a different order")
        return Judgement(score * reading.weight, tuple(reasons), fields)

    def _family_part(self, query: str, name: StoredName) -> tuple[float, str | None]:
        key = (query, name.family_norm, name.family_key)
        if key not in self._family:
            self._family[key] = family_similarity(query, name.family_norm, name.family_key)
        return self._family[key]

    def _given_part(self, query: str, name: StoredName) -> tuple[float, str | None]:
        key = (query, name.given_norm, name.given_key)
        if key not in self._given:
            self._given[key] = given_similarity(query, name.given_norm, name.given_key)
        return self._given[key]


def dob_agreement(query: PartialDate, stored: PartialDate | None) -> tuple[float, str]:
    """0-100 agreement of a stored date of birth with the one asked for, and why."""
    if stored is None:
        return 50.0, "no date of birth recorded"
    if query.day is not None and stored.day is not None:
        if query == stored:
            return 100.0, "date of birth matches"
        if query.swapped() == stored:
            return 75.0, "date of birth matches with day and month swapped"
        if (query.month, query.day) == (stored.month, stored.day) and abs(
            query.year - stored.year
        ) == 1:
            return 60.0, "date of birth matches but for the year, one out"
        if query.year == stored.year and (query.month == stored.month or query.day == stored.day):
            return 35.0, f"date of birth differs by one part (recorded {uk_date(str(stored))})"
        return 0.0, f"date of birth differs (recorded {uk_date(str(stored))})"
    if _compatible(query, stored):
        if query.precision == stored.precision:
            return 90.0, "date of birth matches as far as it is known"
        return 80.0, f"date of birth agrees as far as it is known (recorded {uk_date(str(stored))})"
    if abs(query.year - stored.year) == 1 and _compatible(
        PartialDate(stored.year, query.month, query.day), stored
    ):
        return 50.0, f"year of birth one out (recorded {uk_date(str(stored))})"
    return 0.0, f"date of birth differs (recorded {uk_date(str(stored))})"


def _compatible(one: PartialDate, other: PartialDate) -> bool:
    if one.year != other.year:
        return False
    if one.month is None or other.month is None:
        return True
    if one.month != other.month:
        return False
    return one.day is None or other.day is None or one.day == other.day


def with_dob(name_score: float, dob_score: float) -> float:
    return (1.0 - DOB_WEIGHT) * name_score + DOB_WEIGHT * dob_score


def fits_age_range(stored: PartialDate | None, age_range: tuple[int, int], today: date) -> bool:
    """False only when the recorded date of birth puts the person outside the range."""
    if stored is None:
        return True
    youngest, oldest = stored.age_on(today)
    low, high = age_range
    return oldest >= low and youngest <= high
