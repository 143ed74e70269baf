"""MoRiLE scales as configuration: read, checked and versioned (scales/morile-<v>.toml).

A scale file names the levels of the six harm dimensions, likelihood, confidence and
organisational position (each level with words for people), and the priority bands the
score falls into; the formula is written in the file's comments and computed by
`Scale.score`. Every assessment keeps the version it was scored on, so it is always
shown with its own scales. A malformed file is refused with a `ScaleError` that says
which key is wrong, what was found and what was expected.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from threadline.errors import ConfigurationError

__all__ = [
    "CURRENT_VERSION",
    "DIMENSIONS",
    "Band",
    "Dimension",
    "Level",
    "Scale",
    "ScaleError",
    "load_scale",
    "load_scale_file",
]

SCALES = Path(__file__).parent / "scales"
CURRENT_VERSION = "2026.1"
# The harm dimensions every scale must define, in the order of the assessment table's
# columns (storage keeps one column each).
DIMENSIONS = ("physical", "psychological", "financial", "community", "geographic", "vulnerability")


class ScaleError(ConfigurationError):
    """A MoRiLE scale file is missing or malformed; `detail` says where and why."""


@dataclass(frozen=True, slots=True)
class Level:
    """One point of a scale: its value, its words, and a multiplier where it has one."""

    value: int
    label: str
    description: str
    multiplier: float = 1.0


@dataclass(frozen=True, slots=True)
class Dimension:
    """A harm dimension: its key (the column), label and a hint for the assessor."""

    key: str
    label: str
    hint: str


@dataclass(frozen=True, slots=True)
class Band:
    """A priority band: the score it starts at, its words, and what it asks for."""

    key: str
    label: str
    min_score: float
    description: str


@dataclass(frozen=True, slots=True)
class Scale:
    """One version of the MoRiLE scales (see the file's comments for the formula)."""

    version: str
    title: str
    default_review_days: int
    harm_levels: tuple[Level, ...]
    dimensions: tuple[Dimension, ...]
    likelihood: tuple[Level, ...]
    confidence: tuple[Level, ...]
    position: tuple[Level, ...]
    priorities: tuple[Band, ...]  # highest first

    def score(
        self, *, harm: dict[str, int], likelihood: int, confidence: int, position: int
    ) -> float:
        """sum(harm) x likelihood x confidence multiplier x position multiplier, 1 d.p."""
        risk = sum(harm[d.key] for d in self.dimensions) * likelihood
        conf = level_of(self.confidence, confidence).multiplier
        pos = level_of(self.position, position).multiplier
        return round(risk * conf * pos, 1)

    def band_for(self, score: float) -> Band:
        """The highest band whose `min_score` the score reaches."""
        for band in self.priorities:
            if score >= band.min_score:
                return band
        return self.priorities[-1]

    def band(self, key: str) -> Band:
        """The band `key` ("p1"...); a key of another version reads as itself."""
        for band in self.priorities:
            if band.key == key:
                return band
        return Band(key, key, 0, "")

    def rank(self, key: str) -> int:
        """0 for the highest priority, then 1, 2...; unknown keys last."""
        keys = [b.key for b in self.priorities]
        return keys.index(key) if key in keys else len(keys)

    def harm_level(self, value: int) -> Level:
        return level_of(self.harm_levels, value)


def level_of(levels: tuple[Level, ...], value: int) -> Level:
    """The level with `value` (a value outside the scale reads as its number)."""
    for level in levels:
        if level.value == value:
            return level
    return Level(value, str(value), "")


def _where(name: str, key: str, index: int | None = None) -> str:
    return f"{name}: {key}" + (f" item {index + 1}" if index is not None else "")


def _get(doc: dict[str, Any], key: str, kind: type, expected: str, where: str) -> Any:
    value = doc.get(key)
    # bool is an int to Python; a scale never means True by 1.
    ok = isinstance(value, kind) and not isinstance(value, bool)
    if kind is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok:
        raise ScaleError(f"{where}, {key}: got {value!r}, expected {expected}")
    return value


def _items(doc: dict[str, Any], key: str, name: str) -> list[dict[str, Any]]:
    items = doc.get(key)
    if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
        raise ScaleError(
            f"{name}: [[{key}]]: got {type(items).__name__ if items is not None else 'nothing'}"
            f", expected one or more [[{key}]] tables"
        )
    return items


def _levels(
    doc: dict[str, Any], key: str, name: str, *, first: int, multiplier: bool = False
) -> tuple[Level, ...]:
    levels = []
    for i, item in enumerate(_items(doc, key, name)):
        where = _where(name, f"[[{key}]]", i)
        value = _get(item, "value", int, "a whole number", where)
        if value != first + i:
            raise ScaleError(
                f"{where}, value: got {value}, expected {first + i} (levels run from {first} "
                "upwards in steps of one, in order)"
            )
        label = _get(item, "label", str, 'the level\'s words, e.g. "Moderate"', where)
        description = _get(item, "description", str, "a sentence describing the level", where)
        mult = 1.0
        if multiplier:
            mult = float(_get(item, "multiplier", float, "a number, e.g. 0.9", where))
            if mult <= 0:
                raise ScaleError(f"{where}, multiplier: got {mult}, expected a number above 0")
        levels.append(Level(value, label.strip(), description.strip(), mult))
    return tuple(levels)


def parse_scale(doc: dict[str, Any], *, name: str) -> Scale:
    """The scale in the TOML document `doc` (from the file `name`), or a `ScaleError`."""
    version = _get(doc, "version", str, 'the version, e.g. "2026.1"', name)
    title = _get(doc, "title", str, "a title for people", name)
    review_days = _get(doc, "default_review_days", int, "a whole number of days", name)
    if review_days < 1:
        raise ScaleError(f"{name}, default_review_days: got {review_days}, expected 1 or more")
    dimensions = []
    for i, item in enumerate(_items(doc, "dimensions", name)):
        where = _where(name, "[[dimensions]]", i)
        key = _get(item, "key", str, "one of " + ", ".join(DIMENSIONS), where)
        dimensions.append(
            Dimension(
                key,
                _get(item, "label", str, "the dimension's name for people", where),
                _get(item, "hint", str, "a hint for the assessor", where),
            )
        )
    keys = [d.key for d in dimensions]
    if sorted(keys) != sorted(DIMENSIONS):
        raise ScaleError(
            f"{name}: [[dimensions]]: got {', '.join(keys)}, expected each of "
            f"{', '.join(DIMENSIONS)} exactly once"
        )
    bands: list[Band] = []
    for i, item in enumerate(_items(doc, "priorities", name)):
        where = _where(name, "[[priorities]]", i)
        band = Band(
            _get(item, "key", str, 'a short key, e.g. "p1"', where),
            _get(item, "label", str, 'the priority in words, e.g. "Priority 1 (high)"', where),
            float(_get(item, "min_score", float, "the score the band starts at", where)),
            _get(item, "description", str, "what the priority asks for", where),
        )
        if bands and band.min_score >= bands[-1].min_score:
            raise ScaleError(
                f"{where}, min_score: got {band.min_score:g}, expected less than "
                f"{bands[-1].min_score:g} (bands are listed from the highest priority down)"
            )
        bands.append(band)
    if bands[-1].min_score != 0:
        raise ScaleError(
            f"{_where(name, '[[priorities]]', len(bands) - 1)}, min_score: got "
            f"{bands[-1].min_score:g}, expected 0 (the last band takes every score left)"
        )
    if len({b.key for b in bands}) != len(bands):
        raise ScaleError(f"{name}: [[priorities]]: the keys must differ from one another")
    return Scale(
        version=version,
        title=title,
        default_review_days=review_days,
        harm_levels=_levels(doc, "harm_levels", name, first=0),
        dimensions=tuple(dimensions),
        likelihood=_levels(doc, "likelihood", name, first=1),
        confidence=_levels(doc, "confidence", name, first=1, multiplier=True),
        position=_levels(doc, "position", name, first=1, multiplier=True),
        priorities=tuple(bands),
    )


def load_scale_file(path: Path) -> Scale:
    """The scale in `path`, checked; its `version` must match the file's name."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScaleError(
            f"{path}: could not be read ({exc.strerror}); expected a TOML file"
        ) from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScaleError(f"{path.name}: is not valid TOML: {exc}") from None
    scale = parse_scale(doc, name=path.name)
    if path.name.startswith("morile-") and path.stem != f"morile-{scale.version}":
        raise ScaleError(
            f"{path.name}, version: got {scale.version!r}, expected "
            f"{path.stem.removeprefix('morile-')!r} (the version in the file's name)"
        )
    return scale


@cache
def load_scale(version: str = CURRENT_VERSION) -> Scale:
    """The scales of `version` (default the current one), from scales/morile-<v>.toml."""
    path = SCALES / f"morile-{version}.toml"
    if not path.exists():
        known = sorted(p.stem.removeprefix("morile-") for p in SCALES.glob("morile-*.toml"))
        raise ScaleError(
            f"no MoRiLE scales version {version!r}: expected one of {', '.join(known)} "
            f"(files in {SCALES})"
        )
    return load_scale_file(path)
