"""The rules of links files: link types, endpoint kinds and the dates a link held.

Endpoints are only checked for shape here; whether the records exist (in the database or
earlier in the same import) is settled when the batch is written, see `writer.LinkWriter`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from threadline.importer import fields
from threadline.importer.kinds import ENDPOINT_KINDS
from threadline.importer.readers import Row
from threadline.importer.records import LinkRecord, SourceKey
from threadline.model.enums import EntityKind
from threadline.model.links import LINK_SPECS, LinkType, check_endpoints

if TYPE_CHECKING:
    from threadline.importer.validate import RowValidator

LINK_TYPES: dict[str, LinkType] = {t.value: t for t in LinkType}
_EXPECTED_KIND = "one of " + ", ".join(k.value for k in EntityKind)


class LinkRules:
    """Checks the link-specific columns of a row for a `RowValidator`."""

    def __init__(self, validator: RowValidator) -> None:
        self.v = validator

    def check(self, line: int, row: Row) -> tuple[Any, ...] | None:
        v = self.v
        raw_type = v.cell(line, row, "link_type", required=True, limit=32)
        link_type = LINK_TYPES.get(raw_type.lower()) if raw_type else None
        if raw_type and link_type is None:
            v.bad(line, "link_type", raw_type, "one of " + ", ".join(LINK_TYPES))
        source_kind = self._kind(line, row, "from_kind")
        target_kind = self._kind(line, row, "to_kind")
        if link_type and source_kind and target_kind:
            self._check_kinds(line, link_type, source_kind, target_kind)
        source_id = v.cell(line, row, "from_id", required=True, limit=128)
        target_id = v.cell(line, row, "to_id", required=True, limit=128)
        source_system = self._system(line, row, "from_system")
        target_system = self._system(line, row, "to_system")
        role = v.cell(line, row, "role", limit=64) or None
        valid_from = self._date(line, row, "valid_from")
        valid_to = self._date(line, row, "valid_to")
        if valid_from and valid_to and valid_to < valid_from:
            v.bad(
                line,
                "valid_to",
                valid_to.isoformat(),
                f"a date not before valid_from ({valid_from.isoformat()})",
            )
        if link_type is None or source_kind is None or target_kind is None:
            return None
        return (
            link_type.value,
            (source_kind.value, source_system, source_id),
            (target_kind.value, target_system, target_id),
            role,
            valid_from,
            valid_to,
        )

    def record(
        self, line: int, key: SourceKey, marking: str, body: tuple[Any, ...]
    ) -> LinkRecord | None:
        """The link's record; endpoint systems default to the link's own system."""
        link_type, (s_kind, s_system, s_id), (t_kind, t_system, t_id), role, start, end = body
        owner_id, system, _ = key
        source = (owner_id, s_system or system, s_kind, s_id)
        target = (owner_id, t_system or system, t_kind, t_id)
        if source == target:
            self.v.bad(line, "to_id", t_id, "a different record from from_id (a link joins two)")
            return None
        return LinkRecord(line, key, marking, link_type, source, target, role, start, end)

    def _check_kinds(
        self, line: int, link_type: LinkType, source: EntityKind, target: EntityKind
    ) -> None:
        if check_endpoints(link_type, source, target) is None:
            return
        spec = LINK_SPECS[link_type]
        if source not in spec.sources:
            column, received, end, allowed = "from_kind", source, "start", spec.sources
        else:
            column, received, end, allowed = "to_kind", target, "end", spec.targets
        kinds = " or ".join(sorted(k.value for k in allowed))
        self.v.bad(line, column, received.value, f"{kinds}: a {link_type} link must {end} there")

    def _kind(self, line: int, row: Row, column: str) -> EntityKind | None:
        raw = self.v.cell(line, row, column, required=True, limit=32)
        if not raw:
            return None
        kind = ENDPOINT_KINDS.get(raw.lower())
        if kind is None:
            self.v.bad(line, column, raw, _EXPECTED_KIND)
        return kind

    def _system(self, line: int, row: Row, column: str) -> str:
        raw = self.v.cell(line, row, column, limit=64)
        if not raw:
            return ""
        memo = self.v.memo("source_system")
        return str(self.v.parse(memo, line, column, raw, fields.source_system) or "")

    def _date(self, line: int, row: Row, column: str) -> date | None:
        raw = self.v.cell(line, row, column, limit=10)
        if not raw:
            return None
        parsed: date | None = self.v.parse(self.v.memo("date"), line, column, raw, fields.full_date)
        return parsed
