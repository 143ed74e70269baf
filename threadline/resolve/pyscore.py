"""Score a few pairs of person records in Python: the model's arithmetic without DuckDB.

Matching one new record as it is imported scores it against a few hundred candidates at
most. `resolve.scorer.PairScorer` runs Splink's SQL for that on DuckDB, and DuckDB binds
and optimises the whole of it (some 16,000 characters) on every call: about 40% of the
time of matching one record. A `PyScorer` does the same sums in Python, from the stored
model itself, in well under a millisecond for a record and its candidates:

- each comparison level of `resolve.spec` has a twin here, a Python function of the two
  records that holds exactly where DuckDB's SQL condition is true (a NULL is not true;
  the first level that holds decides, as in Splink's CASE);
- each blocking rule of `spec.prediction_rules` has a twin too (a rule on an exploded
  list column pairs two records sharing any one value, as `scorer._shared_values`; one
  on two exploded columns, two records sharing a value of each);
- the match weight is Splink 5's: log2 of the prior odds plus, for each comparison, the
  level's log2(m / u), plus the term-frequency adjustment of a level that has one,
  `weight * (log2(u of the exact level) - log2(max(tf_l, tf_r, tf_minimum_u_value)))`,
  with a missing side's frequency taken from the other and nothing when both are missing.

Jaro-Winkler and Damerau-Levenshtein are rapidfuzz's, which agree with DuckDB's on
characters (not bytes) at the thresholds used (DuckDB's Jaro-Winkler of an empty string
is 0; within one edit, optimal string alignment and true Damerau-Levenshtein agree).

The twins are written for the SQL text of the levels and rules they stand for (the
`_LEVELS` and `_RULES` tables). A model with any level, rule or setting not in those
tables (one stored from an older `spec`, or a later change to `spec` without a twin
here) gets no `PyScorer` (`py_scorer_for` returns None): the caller then scores with
DuckDB, which is never wrong, only slower. tests/resolve/test_pyscore.py checks that both
give the same pairs and probabilities.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from threadline.resolve.records import PersonRecord

__all__ = ["PyScorer", "py_scorer_for", "unsupported"]

logger = logging.getLogger(__name__)

# Splink's constants (splink.internals.constants, comparison_level): what a level not seen
# in training stands for, and the floor of m and u in a match weight.
_NOT_OBSERVED = "level not observed in training dataset"
_NOT_OBSERVED_VALUE = 1e-6
_CLAMP = 1e-300
# The columns with term frequencies (`scorer.with_frequencies`).
_TF_COLUMNS = ("family", "given")
# DuckDB's regexp_replace is RE2's, whose \s is [\t\n\f\r ].
_FIRST_NAME = re.compile(r"^[^\t\n\f\r ]+ ")


class _Row:
    """One record as the twins read it: the record's columns, its list columns as sets
    (None stays None; list_has_any and list_intersect pass over NULL elements), its
    middle names and its names' term frequencies."""

    __slots__ = (
        "addresses",
        "aliases",
        "districts",
        "districts_list",
        "dob",
        "dob_dm",
        "dob_md",
        "dob_month",
        "dob_year",
        "family",
        "family_key",
        "gender",
        "given",
        "given_all",
        "given_canon",
        "given_forms",
        "given_key",
        "lines",
        "lines_list",
        "middle",
        "middle_words",
        "names_all",
        "nicknames",
        "phones",
        "phones_list",
        "pnc_id",
        "postcodes",
        "postcodes_list",
        "tf_family",
        "tf_given",
        "unique_id",
        "uprns",
    )

    def __init__(self, record: PersonRecord, frequencies: dict[str, dict[str, float]]) -> None:
        self.unique_id = record.unique_id
        self.family = record.family
        self.family_key = record.family_key
        self.given = record.given
        self.given_key = record.given_key
        self.given_canon = record.given_canon
        self.given_all = record.given_all
        self.dob_year = record.dob_year
        self.dob_month = record.dob_month
        self.dob = record.dob
        self.dob_md = record.dob_md
        self.dob_dm = record.dob_dm
        self.gender = record.gender
        self.pnc_id = record.pnc_id
        self.given_forms = _set(record.given_forms)
        self.names_all = _set(record.names_all)
        self.aliases = _set(record.aliases)
        self.nicknames = _set(record.nicknames)
        self.postcodes = _set(record.postcodes)
        self.districts = _set(record.districts)
        self.lines = _set(record.lines)
        self.addresses = _set(record.addresses)
        self.uprns = _set(record.uprns)
        self.phones = _set(record.phones)
        self.phones_list = record.phones
        self.postcodes_list = record.postcodes
        self.lines_list = record.lines
        self.districts_list = record.districts
        # As `scorer.with_frequencies`: a name's share, None when not known.
        self.tf_family = frequencies.get("family", {}).get(record.family or "")
        self.tf_given = frequencies.get("given", {}).get(record.given or "")
        middle = None if record.given_all is None else _FIRST_NAME.sub("", record.given_all, 1)
        self.middle = middle
        self.middle_words = _set(None if middle is None else middle.split(" "))


def _set(values: list[str] | None) -> set[str] | None:
    return None if values is None else {v for v in values if v is not None}


Condition = Callable[[_Row, _Row], bool]


def _jaro_winkler(a: str, b: str) -> float:
    # DuckDB's jaro_winkler_similarity is 0 when either string is empty.
    return JaroWinkler.similarity(a, b) if a and b else 0.0


def _one_edit(a: str, b: str) -> bool:
    # Within one edit, optimal string alignment and true Damerau-Levenshtein agree.
    return bool(DamerauLevenshtein.distance(a, b, score_cutoff=1) <= 1)


def _both(name: str, test: Callable[[Any, Any], bool]) -> Condition:
    """`test` of the column `name` on both sides; not true when either is NULL."""

    def holds(left: _Row, right: _Row) -> bool:
        a, b = getattr(left, name), getattr(right, name)
        return a is not None and b is not None and test(a, b)

    return holds


def _either_null(name: str) -> Condition:
    return lambda left, right: getattr(left, name) is None or getattr(right, name) is None


def _equal(name: str) -> Condition:
    return _both(name, lambda a, b: bool(a == b))


def _shared(name: str) -> Condition:
    """list_has_any, or array_length(list_intersect(...)) >= 1, or their coalesce with
    false: all true exactly where the two lists share a (non-NULL) value."""
    return _both(name, lambda a, b: not a.isdisjoint(b))


def _close(name: str, threshold: float) -> Condition:
    return _both(name, lambda a, b: _jaro_winkler(a, b) >= threshold)


def _middle_null(left: _Row, right: _Row) -> bool:
    a, b = left.given_all, right.given_all
    return not (a is not None and b is not None and " " in a and " " in b)


def _middle_slip(left: _Row, right: _Row) -> bool:
    a, b = left.middle, right.middle
    return a is not None and b is not None and (_one_edit(a, b) or _jaro_winkler(a, b) >= 0.9)


def _alias_named(left: _Row, right: _Row) -> bool:
    return _shared_sets(left.aliases, right.names_all) or _shared_sets(
        right.aliases, left.names_all
    )


def _shared_sets(a: set[str] | None, b: set[str] | None) -> bool:
    return a is not None and b is not None and not a.isdisjoint(b)


def _other_names_null(left: _Row, right: _Row) -> bool:
    return not (
        _alias_named(left, right)
        or (left.aliases is not None and right.aliases is not None)
        or (left.nicknames is not None and right.nicknames is not None)
    )


def _same_year(left: _Row, right: _Row) -> bool:
    return (
        left.dob_year is not None and right.dob_year is not None and left.dob_year == right.dob_year
    )


def _swapped(left: _Row, right: _Row) -> bool:
    return (
        left.dob is not None
        and right.dob is not None
        and _same_year(left, right)
        and left.dob_md is not None
        and right.dob_dm is not None
        and left.dob_md == right.dob_dm
    )


def _partial(left: _Row, right: _Row) -> bool:
    ml, mr = left.dob_month, right.dob_month
    return (
        _same_year(left, right)
        and (left.dob is None or right.dob is None)
        and (ml is None or mr is None or ml == mr)
    )


def _year_and_month(left: _Row, right: _Row) -> bool:
    ml, mr = left.dob_month, right.dob_month
    return _same_year(left, right) and ml is not None and mr is not None and ml == mr


def _year_apart(left: _Row, right: _Row) -> bool:
    a, b = left.dob_year, right.dob_year
    return a is not None and b is not None and abs(a - b) <= 1


def _names_swapped(left: _Row, right: _Row) -> bool:
    """jaro_winkler_similarity(family_l, given_r) >= 0.88 AND
    jaro_winkler_similarity(given_l, family_r) >= 0.88: each name close to the other
    record's other name (not true when one is NULL)."""
    fl, gr, gl, fr = left.family, right.given, left.given, right.family
    return (
        fl is not None
        and gr is not None
        and gl is not None
        and fr is not None
        and _jaro_winkler(fl, gr) >= 0.88
        and _jaro_winkler(gl, fr) >= 0.88
    )


def _household(left: _Row, right: _Row) -> bool:
    shared_home = (
        _shared_sets(left.uprns, right.uprns)
        or _shared_sets(left.addresses, right.addresses)
        or _shared_sets(left.postcodes, right.postcodes)
    )
    if not shared_home:
        return False
    gl, gr, cl, cr = left.given, right.given, left.given_canon, right.given_canon
    another_given = (
        gl is not None
        and gr is not None
        and cl is not None
        and cr is not None
        and cl != cr
        and not _shared_sets(left.given_forms, right.given_forms)
        and _jaro_winkler(gl, gr) < 0.88
    )
    return another_given or _another_dob(left, right)


def _another_dob(left: _Row, right: _Row) -> bool:
    """coalesce(dob_year_l <> dob_year_r OR (dob_l <> dob_r AND NOT (dob_year_l =
    dob_year_r AND dob_md_l = dob_dm_r)), false): NOT of a NULL is NULL, so the swap
    must be known false (a year or the day and month known to differ)."""
    yl, yr = left.dob_year, right.dob_year
    years_differ = yl is not None and yr is not None and yl != yr
    if years_differ:
        return True
    dates_differ = left.dob is not None and right.dob is not None and left.dob != right.dob
    md, dm = left.dob_md, right.dob_dm
    not_swapped = years_differ or (md is not None and dm is not None and md != dm)
    return dates_differ and not_swapped


_ELSE = "ELSE"
_NAMES_SWAPPED = (
    "jaro_winkler_similarity(family_l, given_r) >= 0.88 "
    "AND jaro_winkler_similarity(given_l, family_r) >= 0.88"
)
_MIDDLE_L = "regexp_replace(given_all_l, '^\\S+ ', '')"
_MIDDLE_R = "regexp_replace(given_all_r, '^\\S+ ', '')"
_ALIAS_NAMED = (
    "(coalesce(list_has_any(aliases_l, names_all_r), false) "
    "OR coalesce(list_has_any(aliases_r, names_all_l), false))"
)

# Every comparison level this module has a twin for: (comparison, SQL condition as a
# stored model has it) -> the twin; None for the ELSE level.
_LEVELS: dict[tuple[str, str], Condition | None] = {
    ("family_name", '"family_l" IS NULL OR "family_r" IS NULL'): _either_null("family"),
    ("family_name", '"family_l" = "family_r"'): _equal("family"),
    ("family_name", 'damerau_levenshtein("family_l", "family_r") <= 1'): _both("family", _one_edit),
    ("family_name", "family_key_l = family_key_r"): _equal("family_key"),
    ("family_name", 'jaro_winkler_similarity("family_l", "family_r") >= 0.88'): _close(
        "family", 0.88
    ),
    ("family_name", _NAMES_SWAPPED): _names_swapped,
    ("family_name", _ELSE): None,
    ("given_name", '"given_l" IS NULL OR "given_r" IS NULL'): _either_null("given"),
    ("given_name", '"given_l" = "given_r"'): _equal("given"),
    ("given_name", "given_canon_l = given_canon_r"): _equal("given_canon"),
    (
        "given_name",
        'array_length(list_intersect("given_forms_l", "given_forms_r")) >= 1',
    ): _shared("given_forms"),
    ("given_name", 'damerau_levenshtein("given_l", "given_r") <= 1'): _both("given", _one_edit),
    ("given_name", "given_key_l = given_key_r"): _equal("given_key"),
    ("given_name", 'jaro_winkler_similarity("given_l", "given_r") >= 0.88'): _close("given", 0.88),
    ("given_name", _NAMES_SWAPPED): _names_swapped,  # a null level there
    ("given_name", _ELSE): None,
    (
        "middle_names",
        "NOT coalesce(contains(given_all_l, ' ') AND contains(given_all_r, ' '), false)",
    ): _middle_null,
    ("middle_names", f"{_MIDDLE_L} = {_MIDDLE_R}"): _equal("middle"),
    (
        "middle_names",
        f"damerau_levenshtein({_MIDDLE_L}, {_MIDDLE_R}) <= 1 "
        f"OR jaro_winkler_similarity({_MIDDLE_L}, {_MIDDLE_R}) >= 0.9",
    ): _middle_slip,
    (
        "middle_names",
        f"list_has_any(string_split({_MIDDLE_L}, ' '), string_split({_MIDDLE_R}, ' '))",
    ): _shared("middle_words"),
    ("middle_names", _ELSE): None,
    (
        "other_names",
        f"NOT ({_ALIAS_NAMED} OR (aliases_l IS NOT NULL AND aliases_r IS NOT NULL) "
        "OR (nicknames_l IS NOT NULL AND nicknames_r IS NOT NULL))",
    ): _other_names_null,
    ("other_names", _ALIAS_NAMED): _alias_named,
    ("other_names", "list_has_any(nicknames_l, nicknames_r)"): _shared("nicknames"),
    ("other_names", _ELSE): None,
    ("date_of_birth", "dob_year_l IS NULL OR dob_year_r IS NULL"): _either_null("dob_year"),
    ("date_of_birth", "dob_l = dob_r"): _equal("dob"),
    (
        "date_of_birth",
        "dob_l IS NOT NULL AND dob_r IS NOT NULL AND dob_year_l = dob_year_r "
        "AND dob_md_l = dob_dm_r",
    ): _swapped,
    (
        "date_of_birth",
        "dob_year_l = dob_year_r AND (dob_l IS NULL OR dob_r IS NULL) "
        "AND (dob_month_l IS NULL OR dob_month_r IS NULL OR dob_month_l = dob_month_r)",
    ): _partial,
    ("date_of_birth", "dob_year_l = dob_year_r AND dob_month_l = dob_month_r"): _year_and_month,
    ("date_of_birth", "dob_year_l = dob_year_r"): _same_year,
    ("date_of_birth", "abs(dob_year_l - dob_year_r) <= 1"): _year_apart,
    ("date_of_birth", "damerau_levenshtein(dob_l, dob_r) <= 1"): _both("dob", _one_edit),
    ("date_of_birth", _ELSE): None,
    ("address", '"postcodes_l" IS NULL OR "postcodes_r" IS NULL'): _either_null("postcodes"),
    (
        "address",
        "(coalesce(list_has_any(uprns_l, uprns_r), false) "
        "OR coalesce(list_has_any(addresses_l, addresses_r), false) "
        "OR coalesce(list_has_any(postcodes_l, postcodes_r), false)) AND "
        "((given_l IS NOT NULL AND given_r IS NOT NULL AND given_canon_l <> given_canon_r "
        "AND NOT coalesce(list_has_any(given_forms_l, given_forms_r), false) "
        "AND jaro_winkler_similarity(given_l, given_r) < 0.88) "
        "OR coalesce((dob_year_l <> dob_year_r OR (dob_l <> dob_r AND NOT "
        "(dob_year_l = dob_year_r AND dob_md_l = dob_dm_r))), false))",
    ): _household,
    **{
        ("address", f'array_length(list_intersect("{c}_l", "{c}_r")) >= 1'): _shared(c)
        for c in ("uprns", "addresses", "postcodes", "lines", "districts")
    },
    ("address", _ELSE): None,
    ("phone", '"phones_l" IS NULL OR "phones_r" IS NULL'): _either_null("phones"),
    ("phone", 'array_length(list_intersect("phones_l", "phones_r")) >= 1'): _shared("phones"),
    ("phone", _ELSE): None,
    ("pnc_id", '"pnc_id_l" IS NULL OR "pnc_id_r" IS NULL'): _either_null("pnc_id"),
    ("pnc_id", '"pnc_id_l" = "pnc_id_r"'): _equal("pnc_id"),
    ("pnc_id", _ELSE): None,
    ("gender", '"gender_l" IS NULL OR "gender_r" IS NULL'): _either_null("gender"),
    ("gender", '"gender_l" = "gender_r"'): _equal("gender"),
    ("gender", _ELSE): None,
}
# The levels Splink takes as an exact match on one column (for a term-frequency
# adjustment on that column, its u is the base).
_EXACT: dict[str, str] = {
    '"family_l" = "family_r"': "family",
    '"given_l" = "given_r"': "given",
}


def _initial(name: str) -> Condition:
    """substr(l.name, 1, 1) = substr(r.name, 1, 1)."""
    return _both(name, lambda a, b: a[:1] == b[:1])


def _all(*conditions: Condition) -> Condition:
    return lambda left, right: all(condition(left, right) for condition in conditions)


def _near_years(left: _Row, right: _Row) -> bool:
    """coalesce(abs(l.dob_year - r.dob_year) <= 1, true)."""
    a, b = left.dob_year, right.dob_year
    return a is None or b is None or abs(a - b) <= 1


def _md_dm(left: _Row, right: _Row) -> bool:
    return left.dob_md is not None and right.dob_dm is not None and left.dob_md == right.dob_dm


def _same_or_shared(whole: str, values: str) -> Condition:
    """An exploded list rule: the lists equal (Splink's own test) or sharing a value."""
    equal, shared = _equal(whole), _shared(values)
    return lambda left, right: equal(left, right) or shared(left, right)


def _given_all_spaced(left: _Row, right: _Row) -> bool:
    return left.given_all is not None and " " in left.given_all


_NEAR = " AND coalesce(abs(l.dob_year - r.dob_year) <= 1, true)"
_FAMILY_GIVEN = _all(_equal("family_key"), _equal("given_canon"))
_GIVEN_ALL = _all(_equal("given_all"), _given_all_spaced)

Keys = Callable[[_Row], tuple[Hashable, ...]]


def _key(tag: str, *names: str) -> Keys:
    """The row's value of the columns `names` (none when one is NULL), as a join key."""

    def keys(row: _Row) -> tuple[Hashable, ...]:
        values = tuple(getattr(row, name) for name in names)
        return () if None in values else ((tag, *values),)

    return keys


def _each(tag: str, values: str, whole: str) -> Keys:
    """Each value of a list column, and the list itself, as join keys."""

    def keys(row: _Row) -> tuple[Hashable, ...]:
        found: set[str] | None = getattr(row, values)
        listed: list[str] | None = getattr(row, whole)
        if found is None or listed is None:
            return ()
        return ((tag, tuple(listed)), *((tag, value) for value in found))

    return keys


def _keys_swapped(left: _Row, right: _Row) -> bool:
    """l.family_key = r.given_key AND l.given_key = r.family_key."""
    fl, gr, gl, fr = left.family_key, right.given_key, left.given_key, right.family_key
    return (
        fl is not None
        and gr is not None
        and gl is not None
        and fr is not None
        and (fl == gr and gl == fr)
    )


def _line_in_district(left: _Row, right: _Row) -> bool:
    """The rule on lines and districts, both exploded: Splink explodes each list in
    turn (every line with every district) and joins on both, so a pair is formed where
    the two share a line and share a district, not necessarily of one address (or,
    Splink's own test, where both lists are equal)."""
    same = (
        left.lines_list is not None
        and left.lines_list == right.lines_list
        and left.districts_list is not None
        and left.districts_list == right.districts_list
    )
    return same or (
        _shared_sets(left.lines, right.lines) and _shared_sets(left.districts, right.districts)
    )


def _lines_by_district(row: _Row) -> tuple[Hashable, ...]:
    """Each line with each district, and the two lists themselves, as join keys."""
    lines, districts = row.lines_list, row.districts_list
    if lines is None or districts is None:
        return ()
    pairs = (("ld", line, district) for line in row.lines or () for district in row.districts or ())
    return (("ld", tuple(lines), tuple(districts)), *pairs)


@dataclass(frozen=True, slots=True)
class _Rule:
    """A blocking rule's twin, and keys for finding the pairs it may form: any pair it
    forms shares a key (`left` of one, `right` of the other); the twin decides."""

    twin: Condition
    left: Keys
    right: Keys


def _symmetric(twin: Condition, keys: Keys) -> _Rule:
    return _Rule(twin, keys, keys)


_SWAPPED = _Rule(
    _all(_same_year, _md_dm), _key("md", "dob_year", "dob_md"), _key("md", "dob_year", "dob_dm")
)
# Every blocking rule this module has a twin for: (SQL, exploded columns) -> the twin.
_RULES: dict[tuple[str, tuple[str, ...]], _Rule] = {
    ("l.family_key = r.family_key AND l.given_canon = r.given_canon", ()): _symmetric(
        _FAMILY_GIVEN, _key("fc", "family_key", "given_canon")
    ),
    ("l.family_key = r.family_key AND l.given_canon = r.given_canon" + _NEAR, ()): _symmetric(
        _all(_FAMILY_GIVEN, _near_years), _key("fc", "family_key", "given_canon")
    ),
    (
        "l.family_key = r.family_key AND l.dob_year = r.dob_year AND "
        "substr(l.given, 1, 1) = substr(r.given, 1, 1)",
        (),
    ): _symmetric(
        _all(_equal("family_key"), _same_year, _initial("given")),
        _key("fy", "family_key", "dob_year"),
    ),
    (
        '(l."given_canon" = r."given_canon") AND (l."dob_year" = r."dob_year") '
        'AND (l."dob_month" = r."dob_month")',
        (),
    ): _symmetric(
        _all(_equal("given_canon"), _year_and_month),
        _key("cym", "given_canon", "dob_year", "dob_month"),
    ),
    (
        '(l."given_canon" = r."given_canon") AND (l."dob_year" = r."dob_year") '
        "AND (SUBSTRING(l.family, 1, 1) = SUBSTRING(r.family, 1, 1))",
        (),
    ): _symmetric(
        _all(_equal("given_canon"), _same_year, _initial("family")),
        _key("cy", "given_canon", "dob_year"),
    ),
    ("l.dob = r.dob AND substr(l.family, 1, 1) = substr(r.family, 1, 1)", ()): _symmetric(
        _all(_equal("dob"), _initial("family")), _key("d", "dob")
    ),
    ("l.dob = r.dob AND substr(l.given, 1, 1) = substr(r.given, 1, 1)", ()): _symmetric(
        _all(_equal("dob"), _initial("given")), _key("d", "dob")
    ),
    (
        "l.dob_year = r.dob_year AND l.dob_md = r.dob_dm AND "
        "substr(l.family, 1, 1) = substr(r.family, 1, 1)",
        (),
    ): _Rule(_all(_SWAPPED.twin, _initial("family")), _SWAPPED.left, _SWAPPED.right),
    (
        "l.dob_year = r.dob_year AND l.dob_md = r.dob_dm AND "
        "substr(l.given, 1, 1) = substr(r.given, 1, 1)",
        (),
    ): _Rule(_all(_SWAPPED.twin, _initial("given")), _SWAPPED.left, _SWAPPED.right),
    ("l.given_all = r.given_all AND contains(l.given_all, ' ')", ()): _symmetric(
        _GIVEN_ALL, _key("ga", "given_all")
    ),
    ("l.given_all = r.given_all AND contains(l.given_all, ' ')" + _NEAR, ()): _symmetric(
        _all(_GIVEN_ALL, _near_years), _key("ga", "given_all")
    ),
    ('l."pnc_id" = r."pnc_id"', ()): _symmetric(_equal("pnc_id"), _key("pnc", "pnc_id")),
    ('l."phones" = r."phones"', ("phones",)): _symmetric(
        _same_or_shared("phones_list", "phones"), _each("ph", "phones", "phones_list")
    ),
    ('l."postcodes" = r."postcodes"', ("postcodes",)): _symmetric(
        _same_or_shared("postcodes_list", "postcodes"),
        _each("pc", "postcodes", "postcodes_list"),
    ),
    ("l.family_key = r.given_key AND l.given_key = r.family_key", ()): _Rule(
        _keys_swapped, _key("sw", "family_key", "given_key"), _key("sw", "given_key", "family_key")
    ),
    (
        '(l."lines" = r."lines") AND (l."districts" = r."districts")',
        ("lines", "districts"),
    ): _symmetric(_line_in_district, _lines_by_district),
}
# Model settings that change the sums (anything else there is not read by scoring).
_KNOWN_SETTINGS = {"link_type": "dedupe_only", "sql_dialect": "duckdb"}
_LEVEL_KEYS = {
    "sql_condition",
    "label_for_charts",
    "label_for_charts_is_default",
    "m_probability",
    "u_probability",
    "fix_m_probability",
    "fix_u_probability",
    "is_null_level",
    "tf_adjustment_column",
    "tf_adjustment_weight",
    "tf_minimum_u_value",
    "comparison_vector_value",
}


@dataclass(frozen=True, slots=True)
class _Adjustment:
    column: str  # "family" or "given"
    weight: float
    log2_u: float  # log2 of the u of the exact level on the column
    minimum: float  # tf_minimum_u_value


@dataclass(frozen=True, slots=True)
class _Level:
    condition: Condition | None  # None: ELSE
    weight: float  # log2(m / u); 0 for a null level
    adjustment: _Adjustment | None
    gamma: int  # Splink's number for the level: -1 null, then down to 0 (ELSE)


@dataclass(frozen=True, slots=True)
class _Comparison:
    name: str
    levels: tuple[_Level, ...]
    adjusted: bool  # whether Splink sums a term-frequency column for it


class _Unsupported(Exception):
    pass


def _m_or_u(level: dict[str, Any], key: str) -> float:
    value = level.get(key)
    if value == _NOT_OBSERVED:
        return _NOT_OBSERVED_VALUE
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise _Unsupported(f"{key} not set: {level.get('sql_condition')!r}")
    return float(value)


def _comparison(comparison: dict[str, Any]) -> _Comparison:
    name = comparison.get("output_column_name", "")
    raw = comparison.get("comparison_levels", [])
    levels: list[_Level] = []
    gamma = sum(1 for level in raw if not level.get("is_null_level"))
    for level in raw:
        unknown = set(level) - _LEVEL_KEYS
        if unknown:
            raise _Unsupported(f"{name}: level settings {sorted(unknown)}")
        sql = level.get("sql_condition", "").strip()
        key = (name, _ELSE if sql.upper() == _ELSE else sql)
        if key not in _LEVELS:
            raise _Unsupported(f"{name}: no twin for {sql!r}")
        condition = _LEVELS[key]
        if level.get("is_null_level"):
            if condition is None:
                raise _Unsupported(f"{name}: an ELSE null level")
            levels.append(_Level(condition, 0.0, None, -1))
            continue
        m, u = _m_or_u(level, "m_probability"), _m_or_u(level, "u_probability")
        weight = math.log2(max(m, _CLAMP) / max(u, _CLAMP))
        gamma -= 1
        levels.append(_Level(condition, weight, _adjustment(name, level, raw), gamma))
    if not levels or levels[-1].condition is not None:
        raise _Unsupported(f"{name}: no ELSE level last")
    adjusted = any(lvl.get("tf_adjustment_column") for lvl in raw)
    return _Comparison(name, tuple(levels), adjusted)


def _adjustment(
    name: str, level: dict[str, Any], levels: list[dict[str, Any]]
) -> _Adjustment | None:
    column = level.get("tf_adjustment_column")
    if not column:
        return None
    if column not in _TF_COLUMNS:
        raise _Unsupported(f"{name}: term frequencies of {column!r}")
    weight = float(level.get("tf_adjustment_weight", 1.0))
    if weight == 0 or level.get("sql_condition", "").strip().upper() == _ELSE:
        return None
    exact = next(
        (lvl for lvl in levels if _EXACT.get(lvl.get("sql_condition", "").strip()) == column),
        None,
    )
    if exact is None:
        raise _Unsupported(f"{name}: no exact level on {column!r}")
    return _Adjustment(
        column=column,
        weight=weight,
        log2_u=math.log2(_m_or_u(exact, "u_probability")),
        minimum=float(level.get("tf_minimum_u_value", 0.0)),
    )


def _rule(rule: Any) -> _Rule:
    if isinstance(rule, str):
        sql, exploded = rule, ()
    elif isinstance(rule, dict):
        sql = rule.get("blocking_rule", "")
        exploded = tuple(rule.get("arrays_to_explode") or ())
        if rule.get("sql_dialect", "duckdb") != "duckdb":
            raise _Unsupported(f"a rule in {rule.get('sql_dialect')!r}")
    else:
        raise _Unsupported(f"a blocking rule {rule!r}")
    twin = _RULES.get((sql.strip(), exploded))
    if twin is None:
        raise _Unsupported(f"no twin for the blocking rule {sql!r}")
    return twin


def _log2(value: float) -> float:
    # DuckDB's log2(0) is -inf.
    return math.log2(value) if value > 0 else -math.inf


def _log2_odds(prior: float) -> float:
    """Splink's prob_to_match_weight."""
    return math.log2(prior / (1 - prior) if prior != 1 else math.inf)


class PyScorer:
    """Scores pairs of records with one model, in Python (see the module)."""

    def __init__(self, model: dict[str, Any]) -> None:
        """Raises ValueError when `model` has anything without a twin here."""
        try:
            for key, value in _KNOWN_SETTINGS.items():
                if model.get(key, value) != value:
                    raise _Unsupported(f"{key} {model.get(key)!r}")
            prior = model.get("probability_two_random_records_match")
            if not isinstance(prior, int | float) or not 0 < prior <= 1:
                raise _Unsupported(f"prior {prior!r}")
            self._prior = _log2_odds(float(prior))
            self._comparisons = tuple(_comparison(c) for c in model["comparisons"])
            self._rules = tuple(
                _rule(r) for r in model.get("blocking_rules_to_generate_predictions", [])
            )
        except (_Unsupported, KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"not a model this scorer knows: {error}") from error

    def match_weight(self, left: _Row, right: _Row) -> float:
        """Splink's match weight of a pair, summed in Splink's order."""
        total = self._prior
        for comparison in self._comparisons:
            level = _level_of(comparison, left, right)
            total += level.weight
            if comparison.adjusted:
                total += _adjusted(level.adjustment, left, right)
        return total

    def gammas(self, left: _Row, right: _Row) -> tuple[int, ...]:
        """The pair's comparison vector: each comparison's level, as Splink numbers it."""
        return tuple(_level_of(c, left, right).gamma for c in self._comparisons)

    def blocked(self, left: _Row, right: _Row) -> bool:
        """Whether one of the model's blocking rules forms the pair."""
        return any(rule.twin(left, right) for rule in self._rules)

    def candidates(
        self, left: Sequence[_Row], right: Sequence[_Row]
    ) -> Iterator[tuple[_Row, _Row]]:
        """The pairs of a `left` and a `right` row (two rows, not one twice) that the
        model's blocking rules form, found by their keys, in the order of `left` then
        `right` (as every pair's test would find them, only faster)."""
        index: dict[Hashable, list[int]] = {}
        for position, row in enumerate(right):
            for rule in self._rules:
                for key in rule.right(row):
                    index.setdefault(key, []).append(position)
        for a in left:
            near = {p for rule in self._rules for key in rule.left(a) for p in index.get(key, ())}
            for position in sorted(near):
                b = right[position]
                if a.unique_id != b.unique_id and self.blocked(a, b):
                    yield a, b

    def rows(
        self, records: Sequence[PersonRecord], frequencies: dict[str, dict[str, float]]
    ) -> list[_Row]:
        """`records` ready to score, with their names' term frequencies."""
        return [_Row(record, frequencies) for record in records]

    def score(
        self, left: Sequence[_Row], right: Sequence[_Row], *, threshold: float
    ) -> list[tuple[int, int, float]]:
        """(left id, right id, match probability) of each pair of a `left` and a `right`
        row (`rows`) that a blocking rule forms and that scores `threshold` or more: as
        `scorer.PairScorer.score`."""
        found: list[tuple[int, int, float]] = []
        for a, b in self.candidates(left, right):
            probability = _probability_of(self.match_weight(a, b))
            if probability >= threshold:
                found.append((int(a.unique_id), int(b.unique_id), probability))
        return found


def _level_of(comparison: _Comparison, left: _Row, right: _Row) -> _Level:
    """The first level of `comparison` that holds for the pair (the ELSE level last)."""
    for level in comparison.levels:
        if level.condition is None or level.condition(left, right):
            return level
    raise AssertionError("a comparison ends with its ELSE level")


def _adjusted(adjustment: _Adjustment | None, left: _Row, right: _Row) -> float:
    if adjustment is None:
        return 0.0
    if adjustment.column == "family":
        tf_l, tf_r = left.tf_family, right.tf_family
    else:
        tf_l, tf_r = left.tf_given, right.tf_given
    a = tf_l if tf_l is not None else tf_r
    b = tf_r if tf_r is not None else tf_l
    if a is None or b is None:
        return 0.0
    return adjustment.weight * (adjustment.log2_u - _log2(max(a, b, adjustment.minimum)))


def _probability_of(weight: float) -> float:
    """Splink's match probability of a match weight (as its SQL computes it)."""
    if weight >= 0:
        return 1.0 / (1.0 + math.pow(2.0, -weight))
    return math.pow(2.0, weight) / (1.0 + math.pow(2.0, weight))


def unsupported(model: dict[str, Any]) -> str | None:
    """Why `model` cannot be scored in Python, or None when it can."""
    try:
        PyScorer(model)
    except ValueError as error:
        return str(error)
    return None


@lru_cache(maxsize=4)
def py_scorer_for(parameters: str) -> PyScorer | None:
    """The Python scorer of a stored model (its JSON), made once per process; None when
    the model has a level, rule or setting without a twin here."""
    try:
        return PyScorer(json.loads(parameters))
    except ValueError as error:
        logger.info("new records are scored on DuckDB: %s", error)
        return None
