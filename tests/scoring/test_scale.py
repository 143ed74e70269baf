"""Scales are configuration: the newest version is used, a malformed one is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from threadline.scoring.scale import SCALES, ScaleError, load_scale, read_scale

GOOD = (SCALES / "ocg-mapping-2026.1.toml").read_text(encoding="utf-8")


def _write(folder: Path, version: str, text: str) -> Path:
    path = folder / f"ocg-mapping-{version}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_scale_names_its_bands_in_words() -> None:
    scale = load_scale()
    assert scale.bands[0].name == "Band A (highest harm)"
    assert scale.band_for(0).code == "D"
    assert scale.band_for(10_000).code == "A"


def test_the_newest_version_wins(tmp_path: Path) -> None:
    _write(tmp_path, "2026.1", GOOD)
    _write(tmp_path, "2026.10", GOOD.replace('version = "2026.1"', 'version = "2026.10"'))
    _write(tmp_path, "2026.2", GOOD.replace('version = "2026.1"', 'version = "2026.2"'))
    assert load_scale(tmp_path).version == "2026.10"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("principal = 12", 'principal = "twelve"'),
            "key `dimensions.criminality.roles.principal`: got 'twelve', expected a whole number",
        ),
        (
            ("principal = 12\n", ""),
            "key `dimensions.criminality.roles.principal`: got nothing, expected a whole number",
        ),
        (
            ('version = "2026.1"', 'version = "2027.1"'),
            "key `version`: got '2027.1', expected \"2026.1\", as the file name says",
        ),
        (("min = -25", "min = 5"), "key `adjustments.min`: got 5, expected a negative"),
        (("min = 0\n", "min = 10\n"), "key `bands`: got [110, 85, 60, 10], expected a lowest band"),
        (
            ('label = "Links to other groups"', ""),
            "key `dimensions.network.label`: got nothing, expected the dimension's name in words",
        ),
        (("cap = 120", "cap = true"), "key `dimensions.criminality.cap`: got True"),
        (("[names]", "[names"), "not valid TOML"),
    ],
    ids=[
        "text for points",
        "missing item",
        "version",
        "adjustments",
        "bands",
        "dimension",
        "boolean",
        "toml",
    ],
)
def test_a_malformed_scale_is_refused_saying_which_key_and_what_was_expected(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    old, new = change
    assert old in GOOD
    path = _write(tmp_path, "2026.1", GOOD.replace(old, new, 1))
    with pytest.raises(ScaleError) as raised:
        read_scale(path)
    assert "ocg-mapping-2026.1.toml" in raised.value.detail
    assert message in raised.value.detail


def test_no_scale_at_all_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ScaleError, match=r"expected a file ocg-mapping-<version>\.toml"):
        load_scale(tmp_path)
