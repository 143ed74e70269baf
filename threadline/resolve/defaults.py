"""Default weights, for a region with too few person records to train a model on.

The m and u probabilities of every comparison level (null levels left out), in the
order `threadline.resolve.spec` declares them. They come from unsupervised training on
a 10,000-person demo region, rounded, except the address levels the demo never varies
(UPRN, a postcode or first line differing), which are set by hand; each comparison's m
are renormalised when used. A region large enough to learn from trains its own model.
"""

from __future__ import annotations

__all__ = ["DEFAULT_LEVELS", "default_prior"]

# A person record has, on average, about this many other records of the same person.
_DUPLICATES_PER_RECORD = 0.1

DEFAULT_LEVELS: dict[str, tuple[tuple[float, float], ...]] = {
    "family_name": (
        (0.6234, 0.004806),  # Exact match on family
        (0.3541, 0.000867),  # Damerau-Levenshtein distance of family <= 1
        (0.004762, 0.0006816),  # Same phonetic key
        (0.01065, 0.000736),  # Jaro-Winkler distance of family >= 0.88
        (0.001, 3e-06),  # Given and family names swapped (by hand: the demo never swaps them)
        (0.007047, 0.9929),  # All other comparisons
    ),
    "given_name": (
        (0.7474, 0.003588),  # Exact match on given
        (0.06892, 0.0002917),  # Same canonical name (nickname)
        (0.01358, 0.0003562),  # Array intersection size >= 1
        (0.1634, 0.0003829),  # Damerau-Levenshtein distance of given <= 1
        (0.0008495, 0.0007436),  # Same phonetic key
        (0.001277, 0.0003078),  # Jaro-Winkler distance of given >= 0.88
        (0.004538, 0.9943),  # All other comparisons
    ),
    "middle_names": (
        (0.8533, 0.003564),  # Same middle names
        (0.1175, 0.0009084),  # Middle names one slip apart
        (0.02913, 0.001),  # A middle name in common (by hand: no random pair had one)
        (0.000993, 0.9945),  # All other comparisons
    ),
    "other_names": (
        (0.3188, 0.0003325),  # An alias of one is a name of the other
        (0.6802, 0.0137),  # A shared nickname
        (0.000997, 0.986),  # All other comparisons
    ),
    "date_of_birth": (
        (0.8035, 7.898e-05),  # Exact date
        (0.07155, 1.998e-05),  # Day and month swapped
        (0.1209, 0.0009346),  # One side partial, consistent with the other
        (0.000993, 0.001906),  # Same year and month, another day
        (0.000993, 0.02139),  # Same year
        (0.000993, 0.04823),  # A year apart
        (0.000993, 0.0004806),  # One digit typed wrong, or two neighbours swapped
        (0.000993, 0.9274),  # All other comparisons
    ),
    "address": (
        (0.01035, 0.0001314),  # Same home, another given name or date of birth (a household)
        (0.3, 1e-06),  # Same UPRN (never seen in the demo: set by hand)
        (0.468, 1.846e-05),  # Same first line and postcode
        (0.02, 1.589e-05),  # Same postcode (by hand: a house number slip)
        (0.01, 8.189e-06),  # Same first line, another postcode (by hand)
        (0.01, 0.003578),  # Same postcode district (by hand)
        (0.3023, 0.9962),  # All other comparisons
    ),
    "phone": (
        (0.7942, 3.4e-05),  # Array intersection size >= 1
        (0.2058, 1.0),  # All other comparisons
    ),
    "pnc_id": (
        (0.999, 6.98e-05),  # Exact match on pnc_id
        (0.000998, 0.9999),  # All other comparisons
    ),
    "gender": (
        (0.999, 0.5334),  # Exact match on gender
        (0.000998, 0.4666),  # All other comparisons
    ),
}


def default_prior(records: int) -> float:
    """The chance two records picked at random are the same person, from the region's size.

    With about `_DUPLICATES_PER_RECORD` other records per person record, n records hold
    about 0.1 n matching pairs of n (n - 1) / 2.
    """
    if records < 2:
        return 0.5
    return min(0.5, _DUPLICATES_PER_RECORD * 2 / (records - 1))
