"""The resolution model's shape: comparisons, blocking rules, training rules, threshold.

Comparisons (each an ordered list of levels; the first that holds decides):

- family name: exact (term-frequency adjusted: a shared rare surname says more than a
  shared "Smith"), one edit apart (a typing slip), same phonetic key, Jaro-Winkler close,
  given and family names swapped (each close to the other's other name);
- first given name: exact (term-frequency adjusted), same canonical name (a nickname:
  Bill for William), known equivalents, one edit apart, same phonetic key, Jaro-Winkler
  close (names swapped: weighed once, with the family name);
- middle names (when both records have them): the same, one slip apart, one in common;
- other names: an alias of one is a name of the other; a shared nickname (street name);
- date of birth, recorded in parts: exact, day and month swapped, one side partial and
  consistent with the other, same year and month, same year, a year apart, one digit
  typed wrong or two neighbours swapped (1978 for 1987);
- address: a shared home with another given name or date of birth (a household: the
  members of one share a family name and a home, so a shared home says little about
  them, and a parent and child may share a given name too), UPRN, first
  line and postcode, postcode, first line, postcode district (one comparison, so that a
  shared home is not counted twice), phone (any shared E.164 number), PNC id, gender.

Blocking (`prediction_rules`) decides which pairs are compared at all; the model is
trained unsupervised (`engine.train`), and pairs at or above MATCH_THRESHOLD are one
person. The SQL is DuckDB's; Splink translates it for its other backends where it can.
"""

from __future__ import annotations

from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on

__all__ = [
    "DESCRIPTIONS",
    "MATCH_THRESHOLD",
    "MIN_PNC_PAIRS",
    "MIN_TRAINING_RECORDS",
    "PRIOR_RECALL",
    "PRIOR_RULES",
    "TRAINING_RULES_NAMES",
    "TRAINING_RULES_PNC",
    "settings",
]

_DUCKDB = "duckdb"
# Given and family names written the other way round by one force ("Thoonen Makayla"):
# each name close to the other record's other name.
_NAMES_SWAPPED = (
    "jaro_winkler_similarity(family_l, given_r) >= 0.88 "
    "AND jaro_winkler_similarity(given_l, family_r) >= 0.88"
)
# Each comparison's name and what it compares, for people reading an explanation.
DESCRIPTIONS = {
    "family_name": "Family name",
    "given_name": "First given name",
    "middle_names": "Middle names",
    "other_names": "Aliases and nicknames",
    "date_of_birth": "Date of birth",
    "address": "Address (UPRN, first line, postcode)",
    "phone": "Phone numbers",
    "pnc_id": "PNC id",
    "gender": "Gender",
}
# Pairs at or above this match probability are the same person: the model's own decision,
# more likely the same person than not. The model is calibrated (on the demo at 100,000
# people, pairs scored 0.5 to 0.8 are the same person about two times in three), so a
# higher threshold would only trade found pairs for fewer, equally likely, mistakes;
# namesakes sharing a home (a household) and chains through a partial record are kept
# apart by the comparisons and by clustering (`engine.cluster`), not by the threshold.
MATCH_THRESHOLD = 0.5
# Rules that admit (almost) only true matches, for estimating the prior; and how many of
# the true matches they are thought to find.
PRIOR_RULES = (
    "l.family = r.family AND l.given = r.given AND l.dob = r.dob",
    "l.pnc_id = r.pnc_id",
)
PRIOR_RECALL = 0.7
# EM is run once per rule; each estimates the comparisons its rule does not fix, and
# Splink averages the sessions. Pairs sharing a PNC id are nearly all true matches, so
# they teach how a person's date of birth, names and address vary between records
# without the households (same name, same address, another generation) that blocking on
# names brings in; with too few PNC ids, names stand in.
TRAINING_RULES_PNC = (block_on("pnc_id"), block_on("dob"))
TRAINING_RULES_NAMES = (block_on("family_key", "given_canon"), block_on("dob"))
# Fewer pairs sharing a PNC id than this: train on names instead.
MIN_PNC_PAIRS = 200
# Fewer person records than this are too few to learn from: use the default weights.
MIN_TRAINING_RECORDS = 1000


def _level(sql: str, label: str) -> cll.CustomLevel:
    return cll.CustomLevel(sql, label_for_charts=label, base_dialect_str=_DUCKDB)


def _null(sql: str, label: str) -> cll.CustomLevel:
    level = _level(sql, label)
    level.configure(is_null_level=True)
    return level


def _family() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="family_name",
        comparison_levels=[
            cll.NullLevel("family"),
            cll.ExactMatchLevel("family", term_frequency_adjustments=True),
            # A slip between two common names ("Davies", "Davis") says less than one
            # between rare ones: adjusted by the commoner name's frequency.
            cll.DamerauLevenshteinLevel("family", 1).configure(tf_adjustment_column="family"),
            _level("family_key_l = family_key_r", "Same phonetic key"),
            cll.JaroWinklerLevel("family", 0.88),
            _level(_NAMES_SWAPPED, "Given and family names swapped"),
            cll.ElseLevel(),
        ],
        comparison_description=DESCRIPTIONS["family_name"],
    )


def _given() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="given_name",
        comparison_levels=[
            cll.NullLevel("given"),
            cll.ExactMatchLevel("given", term_frequency_adjustments=True),
            _level("given_canon_l = given_canon_r", "Same canonical name (nickname)"),
            cll.ArrayIntersectLevel("given_forms", 1),
            cll.DamerauLevenshteinLevel("given", 1),
            _level("given_key_l = given_key_r", "Same phonetic key"),
            cll.JaroWinklerLevel("given", 0.88),
            # Weighed once, by the family name's level: not counted twice, nor against.
            _null(_NAMES_SWAPPED, "Given and family names swapped (weighed with the family name)"),
            cll.ElseLevel(),
        ],
        comparison_description=DESCRIPTIONS["given_name"],
    )


# The middle names: the given names after the first (`given_all` holds them all).
_MIDDLE_L = "regexp_replace(given_all_l, '^\\S+ ', '')"
_MIDDLE_R = "regexp_replace(given_all_r, '^\\S+ ', '')"


def _middle() -> cl.CustomComparison:
    # Apart from the first given name: middle names that agree are strong evidence, and
    # middle names that differ (two brothers "John Paul" and "John Michael") strong
    # evidence against; a middle name left out by one force says nothing.
    return cl.CustomComparison(
        output_column_name="middle_names",
        comparison_levels=[
            _null(
                "NOT coalesce(contains(given_all_l, ' ') AND contains(given_all_r, ' '), false)",
                "Middle names on one side only, or neither",
            ),
            _level(f"{_MIDDLE_L} = {_MIDDLE_R}", "Same middle names"),
            _level(
                f"damerau_levenshtein({_MIDDLE_L}, {_MIDDLE_R}) <= 1 "
                f"OR jaro_winkler_similarity({_MIDDLE_L}, {_MIDDLE_R}) >= 0.9",
                "Middle names one slip apart",
            ),
            _level(
                f"list_has_any(string_split({_MIDDLE_L}, ' '), string_split({_MIDDLE_R}, ' '))",
                "A middle name in common",
            ),
            cll.ElseLevel(),
        ],
        comparison_description=DESCRIPTIONS["middle_names"],
    )


_ALIAS_NAMED = (
    "(coalesce(list_has_any(aliases_l, names_all_r), false) "
    "OR coalesce(list_has_any(aliases_r, names_all_l), false))"
)


def _other_names() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="other_names",
        comparison_levels=[
            _null(
                f"NOT ({_ALIAS_NAMED} OR (aliases_l IS NOT NULL AND aliases_r IS NOT NULL) "
                "OR (nicknames_l IS NOT NULL AND nicknames_r IS NOT NULL))",
                "Nothing to compare (no aliases or nicknames on both sides)",
            ),
            _level(_ALIAS_NAMED, "An alias of one is a name of the other"),
            _level("list_has_any(nicknames_l, nicknames_r)", "A shared nickname"),
            cll.ElseLevel(),
        ],
        comparison_description=DESCRIPTIONS["other_names"],
    )


def _dob() -> cl.CustomComparison:
    both_full = "dob_l IS NOT NULL AND dob_r IS NOT NULL"
    return cl.CustomComparison(
        output_column_name="date_of_birth",
        comparison_levels=[
            _null("dob_year_l IS NULL OR dob_year_r IS NULL", "No year of birth on one side"),
            _level("dob_l = dob_r", "Exact date"),
            _level(
                f"{both_full} AND dob_year_l = dob_year_r AND dob_md_l = dob_dm_r",
                "Day and month swapped",
            ),
            _level(
                "dob_year_l = dob_year_r AND (dob_l IS NULL OR dob_r IS NULL) "
                "AND (dob_month_l IS NULL OR dob_month_r IS NULL OR dob_month_l = dob_month_r)",
                "One side partial, consistent with the other",
            ),
            _level(
                "dob_year_l = dob_year_r AND dob_month_l = dob_month_r",
                "Same year and month, another day",
            ),
            _level("dob_year_l = dob_year_r", "Same year"),
            _level("abs(dob_year_l - dob_year_r) <= 1", "A year apart"),
            _level(
                "damerau_levenshtein(dob_l, dob_r) <= 1",
                "One digit typed wrong, or two neighbours swapped",
            ),
            cll.ElseLevel(),
        ],
        comparison_description=DESCRIPTIONS["date_of_birth"],
    )


# A shared home says much less when the given names differ: that is how the members of
# one household (same family name, same home) look. Splitting it off lets the model learn
# its own m and u, rather than multiplying a shared home by a shared family name as if
# the two were independent.
_SHARED_HOME = (
    "coalesce(list_has_any(uprns_l, uprns_r), false) "
    "OR coalesce(list_has_any(addresses_l, addresses_r), false) "
    "OR coalesce(list_has_any(postcodes_l, postcodes_r), false)"
)
_ANOTHER_GIVEN = (
    "given_l IS NOT NULL AND given_r IS NOT NULL AND given_canon_l <> given_canon_r "
    "AND NOT coalesce(list_has_any(given_forms_l, given_forms_r), false) "
    "AND jaro_winkler_similarity(given_l, given_r) < 0.88"
)
# Dates of birth that disagree: both years known and different, or both dates full and
# neither the same nor with day and month swapped.
_ANOTHER_DOB = (
    "(dob_year_l <> dob_year_r OR (dob_l <> dob_r AND NOT "
    "(dob_year_l = dob_year_r AND dob_md_l = dob_dm_r)))"
)


def _address() -> cl.CustomComparison:
    # One comparison, not a postcode comparison and an address comparison: the two agree
    # together, and counting both would count a shared home twice (siblings would merge).
    return cl.CustomComparison(
        output_column_name="address",
        comparison_levels=[
            cll.NullLevel("postcodes"),
            _level(
                f"({_SHARED_HOME}) AND (({_ANOTHER_GIVEN}) OR coalesce({_ANOTHER_DOB}, false))",
                "Same home, another given name or date of birth (a household)",
            ),
            cll.ArrayIntersectLevel("uprns", 1).configure(label_for_charts="Same UPRN"),
            cll.ArrayIntersectLevel("addresses", 1).configure(
                label_for_charts="Same first line and postcode"
            ),
            cll.ArrayIntersectLevel("postcodes", 1).configure(label_for_charts="Same postcode"),
            cll.ArrayIntersectLevel("lines", 1).configure(
                label_for_charts="Same first line, another postcode"
            ),
            cll.ArrayIntersectLevel("districts", 1).configure(
                label_for_charts="Same postcode district"
            ),
            cll.ElseLevel(),
        ],
        comparison_description=DESCRIPTIONS["address"],
    )


def _phone() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="phone",
        comparison_levels=[
            cll.NullLevel("phones"),
            cll.ArrayIntersectLevel("phones", 1),
            cll.ElseLevel(),
        ],
        comparison_description=DESCRIPTIONS["phone"],
    )


def _exact(column: str, description: str) -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name=column,
        comparison_levels=[cll.NullLevel(column), cll.ExactMatchLevel(column), cll.ElseLevel()],
        comparison_description=description,
    )


# Years of birth within one of each other, or one side without a year: pairs outside it
# meet only on names, and the date of birth then scores them below the review floor.
_NEAR_YEAR = "coalesce(abs(l.dob_year - r.dob_year) <= 1, true)"
_SAME_INITIAL = "substr(l.{0}, 1, 1) = substr(r.{0}, 1, 1)"


def prediction_rules(*, near_years: bool = True) -> list[Any]:
    """Which pairs are compared at all: any one of these must hold.

    Phonetic name keys with a name or part of the date of birth, full or swapped dates
    of birth with an initial, all given names (middle names too), a shared PNC id, phone
    or postcode, swapped given and family names, a first line in the same district.

    Each name or date key is joined with a second, so that a block stays small as a
    region grows (a million people share a date of birth fifty at a time, a phonetic
    family key and a year of birth hundreds at a time): the pairs scored grow nearly in
    step with the records, not with their square. The second key is one that another
    force's record of the same person keeps when the first one does (an initial, a year
    of birth near the other); a pair that differs in it as well meets on another rule.

    Without `near_years`, namesakes are paired whatever their years of birth: for the
    default weights of a region too small to train on (`engine.default_model`), which
    are less sure that namesakes born years apart are two people, and where such pairs
    are few.
    """
    near = f" AND {_NEAR_YEAR}" if near_years else ""
    return [
        f"l.family_key = r.family_key AND l.given_canon = r.given_canon{near}",
        "l.family_key = r.family_key AND l.dob_year = r.dob_year AND "
        + _SAME_INITIAL.format("given"),
        block_on("given_canon", "dob_year", "dob_month"),
        block_on("given_canon", "dob_year", "substr(family, 1, 1)"),
        "l.dob = r.dob AND " + _SAME_INITIAL.format("family"),
        "l.dob = r.dob AND " + _SAME_INITIAL.format("given"),
        "l.dob_year = r.dob_year AND l.dob_md = r.dob_dm AND " + _SAME_INITIAL.format("family"),
        "l.dob_year = r.dob_year AND l.dob_md = r.dob_dm AND " + _SAME_INITIAL.format("given"),
        # The same given names, middle names too: a slip in the family name and no date
        # of birth leave nothing else to meet on.
        f"l.given_all = r.given_all AND contains(l.given_all, ' '){near}",
        block_on("pnc_id"),
        block_on("phones", arrays_to_explode=["phones"]),
        block_on("postcodes", arrays_to_explode=["postcodes"]),
        # Given and family names swapped by one force.
        "l.family_key = r.given_key AND l.given_key = r.family_key",
        # The same first line in the same postcode district: a slip in the postcode.
        block_on("lines", "districts", arrays_to_explode=["lines", "districts"]),
    ]


def settings(*, near_years: bool = True) -> SettingsCreator:
    """A fresh, untrained model specification for deduplicating person records
    (`near_years`: see `prediction_rules`)."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            _family(),
            _given(),
            _middle(),
            _other_names(),
            _dob(),
            _address(),
            _phone(),
            _exact("pnc_id", DESCRIPTIONS["pnc_id"]),
            _exact("gender", DESCRIPTIONS["gender"]),
        ],
        blocking_rules_to_generate_predictions=prediction_rules(near_years=near_years),
        retain_intermediate_calculation_columns=True,
        additional_columns_to_retain=["owner"],
        max_iterations=25,
        em_convergence=0.0001,
    )
