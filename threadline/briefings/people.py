"""Nominals of note as the frontline needs them: name, date of birth, warning markers.

A pack is compiled once for the area's force (`threadline.briefings.gather`), one item per
person record. When a police reader opens it, the items of records that are one resolved
person are shown as one (`one_per_person`): the best identity, every record's warning
markers, roles and homes, and the organisations that hold them. Only items the reader may
see are joined, by the stored links among their records alone (`policy.resolution.
combined`), so a record they may not see never shows, joins or is counted.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.briefings.types import ItemView
from threadline.model.enums import Marking, WarningMarker
from threadline.model.security import Actor
from threadline.policy import (
    EntityFacts,
    PolicyContext,
    ResourceKind,
    View,
    entity_facts,
    gate,
    redact,
)
from threadline.policy.context import split_words
from threadline.policy.resolution import combined, may_combine
from threadline.profiles.golden import holders_of, most_complete
from threadline.profiles.records import load_records
from threadline.storage.resolution import links_among, resolved_ids
from threadline.storage.tables import EntityRow, PersonRow

CHUNK = 2000  # ids per query (well under every database's limit on bound parameters)


@dataclasses.dataclass(frozen=True, slots=True)
class Nominal:
    name: str
    dob: str
    markers: str  # warning markers in words, officer safety first
    marking: str


def markers_text(codes: str) -> str:
    """Warning marker codes ("FI,VI") in words: "Firearms (FI), Violent (VI)"."""
    words = []
    for code in sorted(split_words(codes)):
        try:
            words.append(f"{WarningMarker(code).label} ({code})")
        except ValueError:
            words.append(code)
    return ", ".join(words)


def dob_text(year: int | None, month: int | None, day: int | None) -> str:
    """A partial date of birth as written: 07/03/2001, 03/2001 or 2001 (empty if none)."""
    if year is None:
        return ""
    if month is None:
        return str(year)
    if day is None:
        return f"{month:02d}/{year}"
    return f"{day:02d}/{month:02d}/{year}"


def load_nominals(session: Session, person_ids: Collection[int]) -> dict[int, Nominal]:
    ids = sorted(set(person_ids))
    found: dict[int, Nominal] = {}
    for start in range(0, len(ids), CHUNK):
        query = (
            select(
                PersonRow.entity_id,
                PersonRow.given_names,
                PersonRow.family_name,
                PersonRow.dob_year,
                PersonRow.dob_month,
                PersonRow.dob_day,
                PersonRow.warning_markers,
                EntityRow.marking,
            )
            .join(EntityRow, EntityRow.id == PersonRow.entity_id)
            .where(PersonRow.entity_id.in_(ids[start : start + CHUNK]))
        )
        for pid, given, family, year, month, day, markers, marking in session.execute(query):
            found[pid] = Nominal(
                name=f"{given} {family.upper()}".strip(),
                dob=dob_text(year, month, day),
                markers=markers_text(markers or ""),
                marking=marking,
            )
    return found


# The rows of a nominal item (`gather._add_nominals`) and how items of one person join.
MARKERS, ROLE, BORN, LIVES = "Warning markers", "Role", "Date of birth", "Lives at"
RECORDED_BY = "Recorded by"


def one_per_person(
    session: Session, *, actor: Actor, ctx: PolicyContext, items: list[ItemView]
) -> list[ItemView]:
    """`items` (nominals the reader may see, in order) with those of one resolved person
    joined into one, in the place of the first (its `also`: the records joined into it).

    Unchanged for a reader not shown resolved people (`may_combine`): no resolution
    table is even read.
    """
    if not may_combine(actor=actor, ctx=ctx):
        return items
    by_record = {item.entity_id: item for item in items if item.entity_id is not None}
    resolved = resolved_ids(session, list(by_record))
    if len(set(resolved.values())) == len(resolved):  # no two records of one person
        return items
    groups = combined(
        actor=actor,
        ctx=ctx,
        visible=list(by_record),
        links=links_among(session, list(resolved)),
    )
    joined = [list(group) for group in groups if len(group) > 1]
    if not joined:
        return items
    best = _best_of(session, actor, ctx, joined)
    held = holders_of(session, [i for group in joined for i in group])
    first_of = {group[0]: group for group in joined}
    folded = {i for group in joined for i in group[1:]}
    shown: list[ItemView] = []
    for item in items:
        if item.entity_id in folded:
            continue
        group = first_of.get(item.entity_id) if item.entity_id is not None else None
        if group is None:
            shown.append(item)
            continue
        ordered = sorted(group, key=lambda i: i != best.get(group[0], group[0]))
        owners = [held[i].owner_name for i in ordered if i in held]
        shown.append(_joined([by_record[i] for i in ordered], owners))
    return shown


def _best_of(
    session: Session, actor: Actor, ctx: PolicyContext, groups: list[list[int]]
) -> dict[int, int]:
    """The best identity of each group (keyed by its first record): the record with the
    most identity fields the reader may see filled (`profiles.golden.most_complete`)."""
    facts = entity_facts(session, [i for group in groups for i in group], on=ctx.on)
    allowed = gate.allowed(
        actor=actor, ctx=ctx, items=facts.values(), resource=EntityFacts.resource
    )
    records = load_records(session, {entry.item.id: entry.item for entry in allowed})
    views: dict[int, View] = {
        entry.item.id: redact(ResourceKind.PERSON, records[entry.item.id], entry.decision)
        for entry in allowed
        if entry.item.id in records
    }
    best: dict[int, int] = {}
    for group in groups:
        seen = [i for i in group if i in views]
        if seen:
            best[group[0]] = seen[most_complete([views[i] for i in seen])]
    return best


def _joined(items: list[ItemView], owners: list[str]) -> ItemView:
    """One item of the items of one person, the best identity's first: its title and date
    of birth, every item's markers, roles and homes once each, and who holds the records."""
    first = items[0]

    def every(label: str, separator: str) -> str:
        values = [v for item in items for key, v in item.rows if key == label and v]
        parts = [p.strip() for v in values for p in v.split(separator)]
        return separator.join(dict.fromkeys(p for p in parts if p))

    rows = [
        (MARKERS, every(MARKERS, ", ")),
        (ROLE, every(ROLE, "; ")),
        (BORN, next((v for k, v in first.rows if k == BORN), "")),
        (LIVES, every(LIVES, "; ")),
        (RECORDED_BY, ", ".join(dict.fromkeys(owners))),
    ]
    marking = max((Marking(i.marking) for i in items), key=lambda m: m.rank)
    conditions = "; ".join(dict.fromkeys(i.conditions for i in items if i.conditions))
    return dataclasses.replace(
        first,
        also=tuple(i.entity_id for i in items[1:] if i.entity_id is not None),
        rows=[(label, value) for label, value in rows if value],
        marking=marking.value,
        conditions=conditions or None,
    )
