"""OCG mapping scales: configuration files, versioned, checked when loaded.

A scale is a TOML file `scales/ocg-mapping-<version>.toml` (see the 2026.1 file for what
each item means and why). `load_scale()` reads the newest version; `scale_version(v)`
reads a named one (to name the bands of an older score). A malformed file is refused
with a `ScaleError` naming the file, the key, what was found and what was expected —
never a half-read scale.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from threadline.errors import ConfigurationError

__all__ = [
    "DIMENSIONS",
    "SCALES",
    "Band",
    "Dimension",
    "Scale",
    "ScaleError",
    "load_scale",
    "read_scale",
    "scale_version",
]

SCALES = Path(__file__).parent / "scales"
_NAME = re.compile(r"^ocg-mapping-(\d+(?:\.\d+)*)\.toml$")

# The dimensions every scale scores, and the point tables each must give. A table listed
# with "other" must score "other" too (codes the table does not name).
DIMENSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "criminality": {"roles": ("principal", "lieutenant", "associate", "runner", "other"),
                    "markers": ()},
    "capability": {"commodities": ("other",), "counter_measures": ("other",),
                   "items": ("county_line", "business")},
    "reach": {"items": ("area", "extra_force", "exporting_area")},
    "network": {"items": ("shared_member", "associated_group")},
}  # fmt: skip


class ScaleError(ConfigurationError):
    """A scale file that cannot be used: where, what was found, what was expected."""


@dataclass(frozen=True, slots=True)
class Band:
    """A band of the scale: a score at or above `min` takes it (highest band first)."""

    code: str
    name: str  # in words: "Band A (highest harm)"
    min: int


@dataclass(frozen=True, slots=True)
class Dimension:
    """One dimension: its label, its cap and its tables of points (`roles`, `items`...)."""

    code: str
    label: str
    order: int
    cap: int
    tables: dict[str, dict[str, int]]

    def points(self, table: str, code: str) -> int:
        """Points of `code` in `table`, or of the table's "other" (0 if it has none)."""
        found = self.tables[table]
        return found.get(code, found.get("other", 0))


@dataclass(frozen=True, slots=True)
class Scale:
    """A whole OCG mapping scale, as loaded from one file."""

    version: str
    title: str
    path: Path
    adjust_min: int
    adjust_max: int
    bands: tuple[Band, ...]  # highest first
    dimensions: tuple[Dimension, ...]  # in `order`
    names: dict[str, str]  # commodity and counter-measure codes in words

    def dimension(self, code: str) -> Dimension:
        for dim in self.dimensions:
            if dim.code == code:
                return dim
        raise KeyError(code)

    def band_for(self, total: int) -> Band:
        """The band a total takes (the lowest band takes everything below the others)."""
        for band in self.bands:
            if total >= band.min:
                return band
        return self.bands[-1]

    def band_name(self, code: str) -> str:
        return next((b.name for b in self.bands if b.code == code), f"Band {code}")


def _version_key(path: Path) -> tuple[int, ...]:
    found = _NAME.match(path.name)
    assert found is not None
    return tuple(int(part) for part in found.group(1).split("."))


def _files(folder: Path) -> list[Path]:
    return sorted((p for p in folder.glob("ocg-mapping-*.toml") if _NAME.match(p.name)),
                  key=_version_key)  # fmt: skip


class _Reader:
    """Reads typed values from a parsed TOML table, refusing with the key's full name."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, found: object, expected: str) -> ScaleError:
        shown = "nothing" if found is None else repr(found)
        return ScaleError(
            f"OCG mapping scale {self.path.name}, key `{key}`: got {shown}, expected {expected}"
        )

    def get(self, table: dict[str, Any], key: str, where: str, kind: type, expected: str) -> Any:
        value = table.get(key)
        # bool is an int to Python, never to a scale.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(f"{where}{key}", value, expected)
        return value

    def points(self, table: object, where: str, required: tuple[str, ...]) -> dict[str, int]:
        if not isinstance(table, dict):
            raise self.fail(where, table, "a table of codes and whole numbers of points")
        for code in required:
            if code not in table:
                raise self.fail(f"{where}.{code}", None, "a whole number of points")
        return {
            str(code): self.get(table, code, f"{where}.", int, "a whole number of points")
            for code in table
        }


def read_scale(path: Path) -> Scale:
    """Read and check one scale file; raise `ScaleError` on the first problem."""
    read = _Reader(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScaleError(f"OCG mapping scale {path}: no such file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScaleError(f"OCG mapping scale {path.name}: not valid TOML ({exc})") from None
    version = read.get(data, "version", "", str, 'a version such as "2026.1"')
    found = _NAME.match(path.name)
    if found and found.group(1) != version:
        raise read.fail("version", version, f'"{found.group(1)}", as the file name says')
    title = data.get("title") or f"OCG mapping {version}"
    adjust = data.get("adjustments")
    if not isinstance(adjust, dict):
        raise read.fail("adjustments", adjust, "a table with `min` and `max` points")
    low = read.get(adjust, "min", "adjustments.", int, "a negative whole number")
    high = read.get(adjust, "max", "adjustments.", int, "a positive whole number")
    if low >= 0:
        raise read.fail("adjustments.min", low, "a negative whole number")
    if high <= 0:
        raise read.fail("adjustments.max", high, "a positive whole number")
    bands = _bands(read, data.get("bands"))
    dims = data.get("dimensions")
    if not isinstance(dims, dict):
        raise read.fail("dimensions", dims, "a table of the dimensions " + ", ".join(DIMENSIONS))
    dimensions = []
    for code, tables in DIMENSIONS.items():
        table = dims.get(code)
        where = f"dimensions.{code}"
        if not isinstance(table, dict):
            raise read.fail(where, table, "a table with label, order, cap and points")
        dimensions.append(
            Dimension(
                code=code,
                label=read.get(table, "label", f"{where}.", str, "the dimension's name in words"),
                order=read.get(table, "order", f"{where}.", int, "a whole number"),
                cap=read.get(table, "cap", f"{where}.", int, "the most points it may add"),
                tables={
                    name: read.points(table.get(name), f"{where}.{name}", required)
                    for name, required in tables.items()
                },
            )
        )
    names = data.get("names", {})
    if not isinstance(names, dict) or not all(isinstance(v, str) for v in names.values()):
        raise read.fail("names", names, "a table of codes and their names in words")
    for code in dims:
        if code not in DIMENSIONS:
            raise read.fail(f"dimensions.{code}", code, "one of " + ", ".join(DIMENSIONS))
    return Scale(
        version=version,
        title=str(title),
        path=path,
        adjust_min=low,
        adjust_max=high,
        bands=bands,
        dimensions=tuple(sorted(dimensions, key=lambda d: d.order)),
        names={str(k): v for k, v in names.items()},
    )


def _bands(read: _Reader, raw: object) -> tuple[Band, ...]:
    if not isinstance(raw, list) or not raw:
        raise read.fail("bands", raw, "a list of [[bands]] tables with code, name and min")
    bands = []
    for i, entry in enumerate(raw):
        where = f"bands[{i}]."
        if not isinstance(entry, dict):
            raise read.fail(f"bands[{i}]", entry, "a table with code, name and min")
        bands.append(
            Band(
                code=read.get(entry, "code", where, str, 'a short code such as "A"'),
                name=read.get(entry, "name", where, str, 'its name in words, "Band A (...)"'),
                min=read.get(entry, "min", where, int, "the lowest total in the band"),
            )
        )
    ordered = tuple(sorted(bands, key=lambda b: -b.min))
    if len({b.code for b in bands}) != len(bands):
        raise read.fail("bands", [b.code for b in bands], "each band's code once")
    if ordered[-1].min != 0:
        raise read.fail("bands", [b.min for b in bands], "a lowest band starting at 0")
    return ordered


def load_scale(folder: Path = SCALES) -> Scale:
    """The newest scale in `folder` (by the version in its file name)."""
    files = _files(folder)
    if not files:
        raise ScaleError(
            f"no OCG mapping scale in {folder}: expected a file ocg-mapping-<version>.toml"
        )
    return _cached(files[-1])


def scale_version(version: str, folder: Path = SCALES) -> Scale | None:
    """The scale of `version`, or None when that version's file is gone."""
    path = folder / f"ocg-mapping-{version}.toml"
    return _cached(path) if path.exists() else None


@cache
def _cached(path: Path) -> Scale:
    return read_scale(path)
