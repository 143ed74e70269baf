"""Row validation: raw cells in, a normalised record (or located errors) out.

`RowValidator(kind, ...)(line, row)` checks one row against the contract in
docs/formats.md, reports every problem it finds in that row to `Problems`, and returns
the record only if the row was wholly valid. It runs once per row of files with millions
of rows, so the hot paths (the common columns and persons) are straight-line code over
per-file memos of parsed values: a file holds few distinct markings, genders, category
lists, systems and dates of birth, and each is parsed once.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

from threadline.errors import InvalidValue
from threadline.importer import custody, disruption_rows, entities, fields, outcome_rows
from threadline.importer.kinds import SPECS, ImportKind
from threadline.importer.links import LinkRules
from threadline.importer.names import NameKeyer
from threadline.importer.permits import Permits, refused_row
from threadline.importer.problems import Problems
from threadline.importer.readers import Row, Unreadable, shorten
from threadline.importer.records import EntityRecord, LinkRecord, NameRow, Reference, SourceKey
from threadline.model.names import split_full_name
from threadline.model.values import PartialDate

TEXT_LIMIT = 200  # the contract's default for text fields
_MEMO_LIMIT = 100_000  # a memo past this size is cleared (files of unique values)

Record = EntityRecord | LinkRecord
Parser = Callable[[str], Any]
Body = Callable[[int, Row], tuple[Any, ...] | None]


class RowValidator:
    """Validates the rows of one file of one kind; see the module docstring."""

    def __init__(
        self,
        kind: ImportKind,
        *,
        reference: Reference,
        problems: Problems,
        json_lines: bool,
        permits: Permits | None = None,
    ) -> None:
        self.kind = kind
        self.permits = permits  # the import rule, asked per owner and marking
        self.ref = reference
        self.problems = problems
        self.columns = SPECS[kind].columns
        self.lists = SPECS[kind].lists
        self.json_lines = json_lines
        # Keys seen so far, by (owner, system): source id -> line it was first seen on.
        self.seen: dict[tuple[int, str], dict[str, int]] = {}
        self.names = NameKeyer()
        self.memos: dict[str, dict[str, Any]] = {}
        self._systems = self.memo("source_system")
        self._markings = self.memo("marking")
        self._markings[""] = "OFFICIAL"
        self._dobs = self.memo("date_of_birth")
        self._genders = self.memo("gender")
        self._genders[""] = "unknown"
        self._categories = self.memo("categories")
        self._categories[""] = ""
        self._warnings = self.memo("warning_markers")
        self._warnings[""] = ""
        self._pncs = self.memo("pnc_id")
        self._owners: dict[str, int] = {}
        if reference.default_owner is not None:
            self._owners[""] = reference.default_owner
        self._links = LinkRules(self) if kind is ImportKind.LINKS else None
        self._body: Body = {
            ImportKind.PERSONS: self._person,
            ImportKind.LINKS: self._link,
            ImportKind.CUSTODY: self._custody,
            ImportKind.DISRUPTIONS: self._disruption,
            ImportKind.COURT_OUTCOMES: self._outcome,
        }.get(kind) or entities.body(kind, self)
        if kind.entity_kind is not None:
            self._body = entities.plain(kind.entity_kind, self, self._body)

    # ------------------------------------------------------------------ helpers

    def bad(self, line: int, column: str | None, received: str, expected: str) -> None:
        self.problems.add(line, column, shorten(received), expected)

    def memo(self, name: str) -> dict[str, Any]:
        """The per-file memo `name`: raw text -> parsed value (or the InvalidValue)."""
        return self.memos.setdefault(name, {})

    def parse(self, memo: dict[str, Any], line: int, column: str, raw: str, parse: Parser) -> Any:
        """`parse(raw)` through `memo`, or None after reporting why it is invalid.

        Hot paths look in the memo themselves and call this only on a miss or a bad value.
        """
        result = memo.get(raw)
        if result is None:
            try:
                result = parse(raw)
            except InvalidValue as exc:
                result = exc
            if len(memo) > _MEMO_LIMIT:
                memo.clear()
            memo[raw] = result
        if isinstance(result, InvalidValue):
            self.bad(line, column, raw, result.expected)
            return None
        return result

    def cell(
        self, line: int, row: Row, column: str, *, required: bool = False, limit: int = TEXT_LIMIT
    ) -> str:
        """The trimmed text of a single-valued cell ('' when empty), checked for length."""
        value = row.get(column, "")
        assert isinstance(value, str)  # arrays were refused by _check_fields
        value = value.strip()
        if not value:
            if required:
                self.bad(line, column, "", "a value (this column is required)")
        elif len(value) > limit:
            self.bad(line, column, value, f"at most {limit} characters (got {len(value)})")
            return ""
        return value

    def area(self, line: int, column: str, code: str) -> int | None:
        area_id = self.ref.areas.get(code.lower())
        if area_id is None:
            close = difflib.get_close_matches(code.lower(), self.ref.areas, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            self.bad(line, column, code, f"a known policing area code such as norwich{hint}")
        return area_id

    def _owner(self, line: int, code: str) -> int | None:
        if not code:
            self.bad(line, "owner", "", "an agency code here, or --org CODE for the whole file")
            return None
        owner_id = self.ref.agencies.get(code.lower())
        if owner_id is None:
            close = difflib.get_close_matches(code.lower(), self.ref.agencies, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            expected = (
                custody.unknown_org(code.lower()) or f"the code of a known organisation{hint}"
            )
            self.bad(line, "owner", code, expected)
            return None
        self._owners[code] = owner_id
        return owner_id

    # ------------------------------------------------------------------ rows

    def __call__(self, line: int, row: Row | Unreadable) -> Record | None:
        """The row's record, or None when anything in it was wrong (all reported)."""
        if row.__class__ is Unreadable:
            assert isinstance(row, Unreadable)
            self.bad(line, row.column, row.received, row.expected)
            return None
        assert isinstance(row, dict)
        before = self.problems.count
        if self.json_lines and not self._fields_ok(line, row):
            return None
        get: Any = row.get  # cells of single-valued columns are all str by now
        raw = get("source_system", "").strip()
        system: Any = self._systems.get(raw)
        if system is None or system.__class__ is InvalidValue:
            if not raw:
                self.bad(line, "source_system", "", "a value (this column is required)")
            else:
                system = self.parse(self._systems, line, "source_system", raw, fields.source_system)
        source_id: str = get("source_id", "").strip()
        if not source_id or len(source_id) > 128:
            self.bad(line, "source_id", source_id, "a value of at most 128 characters")
        raw = get("owner", "").strip()
        owner_id = self._owners.get(raw)
        if owner_id is None:
            owner_id = self._owner(line, raw)
        raw = get("marking", "").strip()
        marking = self._markings.get(raw)
        if marking is None or marking.__class__ is InvalidValue:
            marking = self.parse(self._markings, line, "marking", raw, fields.marking)
        if owner_id is not None and marking is not None and self.permits is not None:
            refusal = self.permits.refusal(owner_id, marking)
            if refusal is not None:
                column, reason = refusal
                received = marking if column == "marking" else self.permits.codes.get(owner_id)
                self.bad(line, column, str(received), refused_row(reason))
                return None
        body = self._body(line, row)
        if owner_id is None or not system or not source_id:
            return None
        key: SourceKey = (owner_id, system, source_id)
        seen = self.seen.get((owner_id, system))
        if seen is None:
            seen = self.seen[owner_id, system] = {}
        first = seen.setdefault(source_id, line)
        if first != line:
            self.bad(line, "source_id", source_id, f"a source_id not already used on line {first}")
            return None
        if body is None or self.problems.count != before:
            return None
        if self._links is not None:
            return self._links.record(line, key, marking, body)
        return EntityRecord(line, key, marking, body[0], body[1])

    def _fields_ok(self, line: int, row: Row) -> bool:
        """JSON Lines only (CSV headers are checked once): unknown fields and arrays.

        An array where one value belongs ends the row's checks, since every check after
        it would only repeat the same mistake.
        """
        arrays = False
        for column, cell in row.items():
            if column not in self.columns:
                known = ", ".join(sorted(self.columns))
                self.bad(line, column, column, f"a {self.kind.value} field (one of: {known})")
            elif isinstance(cell, list) and column not in self.lists:
                self.bad(line, column, "; ".join(cell), "a single value, not an array")
                arrays = True
        return not arrays

    def _person(self, line: int, row: Row) -> tuple[Any, ...] | None:
        get: Any = row.get
        family: str = get("family_name", "").strip()
        given: str = get("given_names", "").strip()
        if not family:
            self.bad(line, "family_name", "", "a value (this column is required)")
        elif len(family) > TEXT_LIMIT:
            self.bad(line, "family_name", family, f"at most {TEXT_LIMIT} characters")
        if len(given) > TEXT_LIMIT:
            self.bad(line, "given_names", given, f"at most {TEXT_LIMIT} characters")
        year = month = day = None
        raw = get("date_of_birth", "").strip()
        if raw:
            dob = self._dobs.get(raw)
            if dob is None or dob.__class__ is InvalidValue:
                dob = self.parse(self._dobs, line, "date_of_birth", raw, self._parse_dob)
            if dob is not None:
                year, month, day = dob
        raw = get("gender", "").strip()
        gender = self._genders.get(raw)
        if gender is None or gender.__class__ is InvalidValue:
            gender = self.parse(self._genders, line, "gender", raw, fields.gender)
        raw = get("pnc_id", "").strip()
        # PNC ids seldom repeat: no look-up before the memo's own (unlike the columns above).
        pnc_id = self.parse(self._pncs, line, "pnc_id", raw, fields.pnc_id) if raw else None
        raw = get("categories", "")
        if raw.__class__ is str:
            raw = raw.strip()
            categories = self._categories.get(raw)
            if categories is None or categories.__class__ is InvalidValue:
                categories = self.parse(self._categories, line, "categories", raw, _categories)
        else:
            categories = self.parse({}, line, "categories", "; ".join(raw), _categories)
        raw = get("warning_markers", "")
        if raw.__class__ is str:
            raw = raw.strip()
            markers = self._warnings.get(raw)
            if markers is None or markers.__class__ is InvalidValue:
                markers = self.parse(self._warnings, line, "warning_markers", raw, _warnings)
        else:
            markers = self.parse({}, line, "warning_markers", "; ".join(raw), _warnings)
        names: list[NameRow] = [self.names.row("primary", family, given)]
        cell = get("aliases")
        if cell:
            self._extra_names(line, "aliases", "alias", cell, names)
        cell = get("nicknames")
        if cell:
            self._extra_names(line, "nicknames", "nickname", cell, names)
        return (family, given, year, month, day, gender, pnc_id, categories, markers), names

    def _parse_dob(self, text: str) -> tuple[int, int | None, int | None]:
        parsed = PartialDate.parse(text, not_after=self.ref.today)
        return parsed.year, parsed.month, parsed.day

    def _extra_names(
        self, line: int, column: str, kind: str, cell: str | list[str], names: list[NameRow]
    ) -> None:
        """Aliases ("Given Names Family") and nicknames (kept whole as given names)."""
        for item in fields.split_list(cell):
            if len(item) > TEXT_LIMIT:
                self.bad(line, column, item, f"names of at most {TEXT_LIMIT} characters each")
                continue
            given, family = split_full_name(item) if kind == "alias" else (item, "")
            name = self.names.row(kind, family, given)
            if name not in names:
                names.append(name)

    def _custody(self, line: int, row: Row) -> tuple[Any, ...] | None:
        return custody.custody(self, line, row)

    def _disruption(self, line: int, row: Row) -> tuple[Any, ...] | None:
        return disruption_rows.disruption(self, line, row)

    def _outcome(self, line: int, row: Row) -> tuple[Any, ...] | None:
        return outcome_rows.outcome(self, line, row)

    def _link(self, line: int, row: Row) -> tuple[Any, ...] | None:
        assert self._links is not None
        return self._links.check(line, row)


def _categories(text: str) -> str:
    return fields.categories(fields.split_list(text))


def _warnings(text: str) -> str:
    return fields.warning_markers(fields.split_list(text))
