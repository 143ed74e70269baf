"""Streaming readers for CSV and JSON Lines files, plain or gzip-compressed.

A reader yields `(line, row)` one row at a time and never holds the file: `line` is the
physical line the row starts on (the CSV header is line 1; a quoted cell that runs over
several lines still counts each of them), and `row` maps column names to cells, or is an
`Unreadable` saying why that line could not be read. Reading stops at the first problem
that makes the rest of the file unreadable (bad UTF-8, broken gzip, broken quoting).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

Cell = str | list[str]
Row = dict[str, Cell]

JSONL_SUFFIXES = (".jsonl", ".ndjson")
_EXPECTED_OBJECT = 'one JSON object per line, e.g. {"source_system": "athena", ...}'
_EXPECTED_VALUE = "text, a number, null or (for list columns) an array of text"


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
                    yield start, dict(zip(header, cells, strict=False))  # lengths equal
            elif cells and any(cells):
                received = f"{len(cells)} cells"
                yield start, Unreadable(received, f"{width} cells, one for each header column")

    def _json_rows(self) -> Iterator[tuple[int, Row | Unreadable]]:
        for line, text in enumerate(self._text, start=1):
            self._last_line = line
            if not text.strip():
                continue
            try:
                value = json.loads(text)
            except ValueError:
                yield line, Unreadable(shorten(text.strip()), _EXPECTED_OBJECT)
                continue
            if not isinstance(value, dict):
                yield line, Unreadable(shorten(text.strip()), _EXPECTED_OBJECT)
                continue
            yield line, _json_row(value)

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


def _json_row(value: dict[str, object]) -> Row | Unreadable:
    """A JSON object as a row: numbers become text, null becomes empty."""
    row: Row = {}
    for key, item in value.items():
        if isinstance(item, str):
            row[key] = item
        elif item is None:
            row[key] = ""
        elif isinstance(item, bool):
            return Unreadable(json.dumps(item), _EXPECTED_VALUE, key)
        elif isinstance(item, int | float):
            row[key] = str(item)
        elif isinstance(item, list) and all(isinstance(i, str) for i in item):
            row[key] = list(item)
        else:
            return Unreadable(shorten(json.dumps(item)), _EXPECTED_VALUE, key)
    return row


def _failure(exc: BaseException) -> Unreadable:
    if isinstance(exc, UnicodeDecodeError):
        return Unreadable("bytes that are not UTF-8", "UTF-8 text (save the file as UTF-8)")
    if isinstance(exc, csv.Error):
        return Unreadable(str(exc), 'CSV with RFC 4180 quoting ("...", with "" inside)')
    return Unreadable(str(exc) or type(exc).__name__, "a readable file (is the gzip complete?)")
