"""What the writers share: the modes of a flush, and how held records are sorted.

Each writer (`entity_writer`, `link_writer`, `custody_writer`) takes batches of checked
records: it looks up which keys are already held, refuses the batch if a held record is
one the importer may not update, and otherwise counts (and, writing, writes) the new
records and the held ones, so that a record keeps its id on re-import.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from enum import StrEnum
from typing import Protocol

from threadline.importer.permits import Permits, refused_update
from threadline.importer.problems import Problems
from threadline.importer.records import SourceKey

Held = tuple[int, str]  # the id and marking of a record already held


class Mode(StrEnum):
    """What a flush does besides validating: write, only count (dry run), or neither."""

    WRITE = "write"
    COUNT = "count"  # dry run: look up keys to say what would be inserted or updated
    CHECK = "check"  # an error was found: nothing will be written, only keep checking


class Keyed(Protocol):
    """A checked record: the file line it came from and its source key."""

    @property
    def line(self) -> int: ...

    @property
    def key(self) -> SourceKey: ...


def by_source(keys: list[SourceKey]) -> dict[tuple[int, str], list[str]]:
    """Source ids grouped by owner and system, as the look-ups take them."""
    groups: dict[tuple[int, str], list[str]] = defaultdict(list)
    for owner_id, system, source_id in keys:
        groups[owner_id, system].append(source_id)
    return groups


def refuses_any(
    records: Sequence[Keyed],
    held: dict[SourceKey, Held],
    permits: Permits | None,
    problems: Problems | None,
) -> bool:
    """Whether any held record is one the importer may not update; each is reported.

    Without `permits` every update is allowed; without `problems` refusals go unsaid.
    """
    if permits is None:
        return False
    refused = False
    for record in records:
        if record.key not in held:
            continue
        refusal = permits.refusal(record.key[0], held[record.key][1])
        if refusal is None:
            continue
        refused = True
        if problems is not None:
            problems.add(record.line, "source_id", record.key[2], refused_update(refusal[1]))
    return refused
