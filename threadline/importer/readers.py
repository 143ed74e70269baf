"""Streaming readers for CSV and JSON Lines files, plain or gzip-compressed.

A reader yields `(line, row)` one row at a time and never holds the file: `line` is the
physical line the row starts on (the CSV header is line 1; a quoted cell that runs over
several lines still counts each of them), and `row` maps column names to cells, or is an
`Unreadable` saying why that line could not be read. Reading stops at the first problem
that makes the rest of the file unreadable (bad UTF-8, broken gzip, broken quoting).

Readers also refuse what a store would mangle or a reader be misled by, before any row
is validated: cells holding control or invisible characters (`importer.characters`), and
JSON that is not one flat object of plain values: `NaN`, `Infinity` and numbers too big
for a float, a field named twice (JSON leaves it to the reader which one wins), and
nesting deep enough to exhaust the decoder.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from threadline.importer import characters

Cell = str | list[str]
Row = dict[str, Cell]

JSONL_SUFFIXES = (".jsonl", ".ndjson")
_EXPECTED_OBJECT = 'one JSON object per line, e.g. {"source_system": "athena", ...}'
_EXPECTED_VALUE = "text, a number, null or (for list columns) an array of text"
_EXPECTED_FINITE = "a finite number, or text (JSON has no NaN or Infinity)"
_EXPECTED_ONCE = "each field once in a line (this one is named again: which value is meant?)"
_EXPECTED_FLAT = (
    "one flat JSON object: text, numbers, null or arrays of text (this is nested deeper)"
)


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A line that could not be read as a row: which column (if one), what, and why."""

    received: str
    expected: str
    column: str | None = None


def is_json_lines(path: Path) -> bool:
    name = path.name.lower().removesuffix(".gz")
    return name.endswith(JSONL_SUFFIXES)


def shorten(text: str, limit: int = 80) -> str:
    """A value as shown in an error message: long values are cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class RowReader:
    """Rows of one file, streamed. Use as a context manager; iterate once.

    `header` is the CSV header (stripped, lower-cased), or None for JSON Lines, whose
    rows each carry their own field names. `position()` is how many bytes of the file
    (compressed bytes for `.gz`) have been read, for progress against `total_bytes`.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.json_lines = is_json_lines(path)
        self.total_bytes = path.stat().st_size
        self._raw: BinaryIO = path.open("rb")
        stream: BinaryIO = self._raw
        if path.name.lower().endswith(".gz"):
            stream = gzip.GzipFile(fileobj=self._raw, mode="rb")  # type: ignore[assignment]
        # newline="" keeps line endings for csv, which counts physical lines itself.
        self._text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        self.header: list[str] | None = None
        self._csv = None if self.json_lines else csv.reader(self._text, strict=True)
        self._header_problem: Unreadable | None = None
        self._last_line = 0  # the last physical line read so far
        if self._csv is not None:
            self._read_header()

    def _read_header(self) -> None:
        assert self._csv is not None
        try:
            first = next(self._csv, None)
        except (csv.Error, UnicodeDecodeError, OSError, EOFError, zlib.error) as exc:
            self._header_problem = _failure(exc)
            return
        if not first:
            self._header_problem = Unreadable("", "a header row naming the columns")
            return
        for name in first:
            found = characters.problem(name)
            if found is not None:
                self._header_problem = Unreadable(found[0], found[1], _column(name))
                return
        self.header = [name.strip().lower() for name in first]

    @property
    def header_problem(self) -> Unreadable | None:
        """Why the CSV header could not be read, if it could not."""
        return self._header_problem

    def position(self) -> int:
        return self._raw.tell()

    def __iter__(self) -> Iterator[tuple[int, Row | Unreadable]]:
        try:
            if self._csv is not None:
                if self.header is not None:
                    yield from self._csv_rows(self._csv, self.header)
            else:
                yield from self._json_rows()
        except (csv.Error, UnicodeDecodeError, OSError, EOFError, zlib.error) as exc:
            line = self._csv.line_num if self._csv is not None else self._last_line + 1
            yield max(line, 1), _failure(exc)

    def _csv_rows(
        self, reader: Iterator[list[str]], header: list[str]
    ) -> Iterator[tuple[int, Row | Unreadable]]:
        width = len(header)
        csv_reader = self._csv
        assert csv_reader is not None
        line = csv_reader.line_num
        for cells in reader:
            start, line = line + 1, csv_reader.line_num
            self._last_line = line
            if len(cells) == width:
                if any(cells):
                    if characters.forbidden(" ".join(cells)) >= 0:  # space: never forbidden
                        yield start, _bad_cell(header, cells)
                        continue
                    yield start, dict(zip(header, cells, strict=False))  # lengths equal
            elif cells and any(cells):
                received = f"{len(cells)} cells"
                yield start, Unreadable(received, f"{width} cells, one for each header column")

    def _json_rows(self) -> Iterator[tuple[int, Row | Unreadable]]:
        for line, text in enumerate(self._text, start=1):
            self._last_line = line
            if not text.strip():
                continue
            yield line, _parse_json(text)

    def close(self) -> None:
        self._text.close()
        self._raw.close()

    def __enter__(self) -> RowReader:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class _Constant(str):
    """`NaN`, `Infinity`, `-Infinity` or a number too big for a float, as written."""

    __slots__ = ()


class _Repeated(ValueError):
    """A JSON object names the same field twice."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _pairs(pairs: list[tuple[str, object]]) -> dict[str, object]:
    value = dict(pairs)
    if len(value) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Repeated(key)
            seen.add(key)
    return value


def _float(text: str) -> object:
    number = float(text)
    return _Constant(text) if math.isinf(number) else number


_DECODER = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_Constant, parse_float=_float)


def _parse_json(text: str) -> Row | Unreadable:
    """One line of JSON Lines as a row, or why it is not one."""
    try:
        value = _DECODER.decode(text.rstrip("\r\n"))
    except _Repeated as exc:
        return Unreadable(characters.visible(shorten(exc.key)), _EXPECTED_ONCE, _column(exc.key))
    except json.JSONDecodeError as exc:
        received = characters.visible(shorten(text.strip()))
        return Unreadable(received, f"{_EXPECTED_OBJECT} ({exc.msg})", str(exc.colno))
    except RecursionError:
        key, at = _nesting(text)
        received = characters.visible(shorten(text.strip()))
        return Unreadable(received, _EXPECTED_FLAT, _column(key) if key else str(at))
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        received = characters.visible(shorten(text.strip()))
        return Unreadable(received, f"{_EXPECTED_OBJECT} ({exc})")
    if not isinstance(value, dict):
        return Unreadable(characters.visible(shorten(text.strip())), _EXPECTED_OBJECT)
    # A forbidden character reaches a value written as itself or as a \u escape: a line
    # with neither (nearly every line) needs no check of each value. (Its line ending,
    # never forbidden, is left out so that the check's fast path can see printable text.)
    clean = "\\u" not in text and characters.forbidden(text.rstrip("\r\n")) < 0
    return _json_row(value, clean)


def _column(key: str) -> str:
    """A field name as a location names it (forbidden characters made visible)."""
    return characters.visible(shorten(key, 40))


def _nesting(text: str, limit: int = 2) -> tuple[str | None, int]:
    """The top-level field whose value nests deeper than `limit`, and where (1-based).

    Only called after the decoder gave up, so a plain scan is fast enough.
    """
    depth, key, in_string, escaped, start = 0, None, False, False, 0
    for at, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
                if depth == 1:
                    key = text[start + 1 : at]
        elif char == '"':
            in_string, start = True, at
        elif char in "[{":
            depth += 1
            if depth > limit:
                return (key if depth > 1 else None), at + 1
        elif char in "]}":
            depth -= 1
    return None, 1


def _json_row(value: dict[str, object], clean: bool = False) -> Row | Unreadable:
    """A JSON object as a row: numbers become text, null becomes empty.

    `clean` says the line is known to hold no forbidden character (see `_parse_json`).
    """
    row: Row = {}
    for key, item in value.items():
        found = None if clean else characters.problem(key)
        if found is not None:
            return Unreadable(found[0], found[1], _column(key))
        if item.__class__ is str:
            assert isinstance(item, str)
            found = None if clean else characters.problem(item)
            if found is not None:
                return Unreadable(shorten(found[0]), found[1], key)
            row[key] = item
        elif item is None:
            row[key] = ""
        elif isinstance(item, _Constant):
            return Unreadable(str(item), _EXPECTED_FINITE, key)
        elif isinstance(item, bool):
            return Unreadable(json.dumps(item), _EXPECTED_VALUE, key)
        elif isinstance(item, int | float):
            row[key] = str(item)
        elif isinstance(item, list) and all(i.__class__ is str for i in item):
            for text in () if clean else item:
                found = characters.problem(text)
                if found is not None:
                    return Unreadable(shorten(found[0]), found[1], key)
            row[key] = list(item)
        else:
            received = characters.visible(shorten(json.dumps(item, ensure_ascii=False)))
            return Unreadable(received, _EXPECTED_VALUE, key)
    return row


def _bad_cell(header: list[str], cells: list[str]) -> Unreadable:
    """The first cell of a CSV row holding a forbidden character, and which."""
    for column, cell in zip(header, cells, strict=False):
        found = characters.problem(cell)
        if found is not None:
            return Unreadable(shorten(found[0]), found[1], column)
    raise AssertionError("no cell holds a forbidden character")  # pragma: no cover


def _failure(exc: BaseException) -> Unreadable:
    if isinstance(exc, UnicodeDecodeError):
        return Unreadable("bytes that are not UTF-8", "UTF-8 text (save the file as UTF-8)")
    if isinstance(exc, csv.Error):
        return Unreadable(str(exc), 'CSV with RFC 4180 quoting ("...", with "" inside)')
    return Unreadable(str(exc) or type(exc).__name__, "a readable file (is the gzip complete?)")
