"""CSV that is safe to open in a spreadsheet: every CSV Threadline writes goes through here.

Text typed by users (a check's purpose, a name, a note) ends up in CSV files that DPOs,
auditors and analysts open in Excel or LibreOffice. A cell starting with `=`, `+`, `-`
or `@` is run there as a formula (`=HYPERLINK(...)` sends data away, `=cmd|...` runs
programs); TAB and CR at the start do the same after the spreadsheet trims them. So, as
OWASP advises, a text cell starting with any of those (or their full-width forms, or a
line feed) gets a leading single quote: the spreadsheet then shows it as text. Numbers
are written as numbers.

Every cell is quoted (`csv.QUOTE_ALL`), so a bare CR or TAB inside a value can never
split a row or a cell, whatever line ending the reader expects.

Whoever recomputes something from the exported text (an audit hash, say) removes that
one leading quote from cells that start with `'` followed by one of the characters
above; the JSON exports are never altered.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

# What a spreadsheet may treat as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value: object) -> object:
    """The value as a cell: text that could start a formula gets a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def writer(out: TextIO) -> SafeWriter:
    """A CSV writer over `out` that neutralises and quotes every cell."""
    return SafeWriter(out)


class SafeWriter:
    """Like `csv.writer`, with every text cell neutralised and every cell quoted."""

    def __init__(self, out: TextIO) -> None:
        self._writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter:
    """Like `csv.DictWriter`, with every text cell neutralised and every cell quoted."""

    def __init__(self, out: TextIO, fieldnames: Sequence[str]) -> None:
        self.fieldnames = list(fieldnames)
        self._writer = SafeWriter(out)

    def writeheader(self) -> None:
        self._writer.writerow(self.fieldnames)

    def writerow(self, row: Mapping[str, Any]) -> None:
        self._writer.writerow([row.get(name, "") for name in self.fieldnames])
