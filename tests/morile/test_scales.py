"""MoRiLE scales: read from configuration, the formula, and malformed files refused."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from threadline.morile.scales import SCALES, ScaleError, load_scale, load_scale_file, parse_scale

HARM = ("physical", "psychological", "financial", "community", "geographic", "vulnerability")


def _doc() -> dict[str, object]:
    return tomllib.loads((SCALES / "morile-2026.1.toml").read_text(encoding="utf-8"))


def test_the_current_scales_have_words_for_every_level() -> None:
    scale = load_scale()
    assert scale.version == "2026.1"
    assert [d.key for d in scale.dimensions] == list(HARM)
    assert [lv.label for lv in scale.harm_levels] == [
        "No harm", "Low", "Moderate", "Substantial", "Critical"
    ]  # fmt: skip
    assert scale.likelihood[-1].label == "Almost certain or already occurring"
    assert [lv.label for lv in scale.confidence] == ["Low", "Medium", "High"]
    assert scale.priorities[0].label == "Priority 1 (high)"


@pytest.mark.parametrize(
    ("harm", "likelihood", "confidence", "position", "score", "band"),
    [
        (3, 5, 3, 2, 99.0, "p1"),  # 18 x 5 x 1.0 x 1.1
        (2, 4, 2, 2, 47.5, "p2"),  # 12 x 4 x 0.9 x 1.1
        (1, 3, 2, 1, 16.2, "p3"),  # 6 x 3 x 0.9
        (1, 1, 1, 1, 4.8, "p4"),  # 6 x 1 x 0.8
        (4, 5, 3, 4, 168.0, "p1"),  # the most there is
        (0, 5, 3, 4, 0.0, "p4"),  # no harm, no priority
    ],
)
def test_the_formula_gives_the_score_and_the_priority(
    harm: int, likelihood: int, confidence: int, position: int, score: float, band: str
) -> None:
    scale = load_scale()
    got = scale.score(
        harm=dict.fromkeys(HARM, harm), likelihood=likelihood, confidence=confidence,
        position=position,
    )  # fmt: skip
    assert got == score
    assert scale.band_for(got).key == band


def test_a_band_starts_at_its_minimum_score() -> None:
    scale = load_scale()
    assert scale.band_for(60).key == "p1"
    assert scale.band_for(59.9).key == "p2"


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda d: d.pop("version"), "version: got None, expected the version"),
        (lambda d: d["likelihood"][2].update(value=7), "[[likelihood]] item 3, value: got 7"),
        (lambda d: d["dimensions"].pop(), "expected each of physical, psychological"),
        (lambda d: d["confidence"][0].update(multiplier="high"), "multiplier: got 'high'"),
        (lambda d: d["priorities"][1].update(min_score=80), "min_score: got 80, expected less"),
        (lambda d: d["priorities"][-1].update(min_score=5), "expected 0 (the last band"),
        (lambda d: d["harm_levels"][1].pop("label"), "[[harm_levels]] item 2, label: got None"),
    ],
)
def test_a_malformed_scale_is_refused_saying_where(spoil: object, message: str) -> None:
    doc = _doc()
    spoil(doc)  # type: ignore[operator]
    with pytest.raises(ScaleError) as info:
        parse_scale(doc, name="morile-test.toml")
    assert message in info.value.detail
    assert info.value.detail.startswith("morile-test.toml")


def test_a_file_whose_version_differs_from_its_name_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "morile-2027.1.toml"
    path.write_text((SCALES / "morile-2026.1.toml").read_text(encoding="utf-8"))
    with pytest.raises(ScaleError, match=r"got '2026\.1', expected '2027\.1'"):
        load_scale_file(path)


def test_broken_toml_and_unknown_versions_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "morile-x.toml"
    path.write_text("version = ")
    with pytest.raises(ScaleError, match="is not valid TOML"):
        load_scale_file(path)
    with pytest.raises(ScaleError, match=r"expected one of 2026\.1"):
        load_scale("1999.1")
