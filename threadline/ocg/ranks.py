"""Bands and priorities in words, and in the order the index sorts them.

A band is the code of the current mapping scale's band ("A" highest); a priority the key
of the current MoRiLE scale's priority band ("p1" highest). Their words come from the
scales themselves (`threadline.scoring.scale`, `threadline.morile.scales`), so a page
never shows a code where a name exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from threadline.morile.scales import load_scale as load_morile_scale
from threadline.scoring.scale import load_scale as load_mapping_scale

__all__ = ["Choice", "band_choices", "band_rank", "band_words", "priority_choices",
           "priority_rank", "priority_words"]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of a filter: the stored code and its words."""

    code: str
    words: str


def band_choices() -> list[Choice]:
    """The bands of the current mapping scale, highest first."""
    return [Choice(band.code, band.name) for band in load_mapping_scale().bands]


def priority_choices() -> list[Choice]:
    """The priorities of the current MoRiLE scale, highest first."""
    return [Choice(band.key, band.label) for band in load_morile_scale().priorities]


def band_words(code: str | None) -> str | None:
    """The band in words ("Band A (highest harm)"), or None for no band."""
    return None if code is None else load_mapping_scale().band_name(code)


def priority_words(code: str | None) -> str | None:
    """The priority in words ("Priority 1 (high)"), or None for no priority."""
    return None if code is None else load_morile_scale().band(code).label


def band_rank(code: str | None) -> int:
    """0 for the highest band, then 1, 2...; unknown and no band last."""
    codes = [band.code for band in load_mapping_scale().bands]
    return codes.index(code) if code in codes else len(codes)


def priority_rank(code: str | None) -> int:
    """0 for the highest priority, then 1, 2...; no priority last."""
    return load_morile_scale().rank(code) if code else len(load_morile_scale().priorities)
