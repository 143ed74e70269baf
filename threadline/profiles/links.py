"""The records linked to one record, as far as the actor may see them.

Links are read from either end (`threadline.model.links`): from a person a membership
reads `member_of`, from the group `has_member`. Each record at the other end gets its
own policy decision; one the actor may not see is left out, with its link, and so is a
link marked above the actor's clearance.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session

from threadline.model.enums import OcgRole
from threadline.model.links import LinkType, link_name
from threadline.policy import (
    Decision,
    EntityFacts,
    ResourceKind,
    View,
    entity_facts,
    gate,
    redact,
)
from threadline.profiles.records import Reader, label, load_records
from threadline.profiles.types import Linked, LinkGroup, TimelineEntry
from threadline.storage.tables import LinkRow

MAX_LINKS = 2000  # links read per profile: far more than any page can usefully show

# The order link groups appear in, by the name read from the profile's end.
LINK_ORDER: tuple[str, ...] = (
    "member_of",
    "has_member",
    "runs_line",
    "line_run_by",
    "runner_for",
    "has_runner",
    "exploits",
    "exploited_by",
    "associate_of",
    "family_of",
    "uses_phone",
    "phone_used_by",
    "line_phone",
    "deal_line_of",
    "uses_vehicle",
    "vehicle_used_by",
    "resides_at",
    "residence_of",
    "operates_from",
    "base_of",
    "cuckoos",
    "cuckooed_by",
    "called",
    "called_by",
)

# How each link name reads in a sentence ("Began: member of Operation Kestrel").
LINK_WORDS: dict[str, str] = {
    "member_of": "member of",
    "has_member": "member",
    "associate_of": "associate of",
    "family_of": "family of",
    "uses_phone": "uses phone",
    "phone_used_by": "used by",
    "resides_at": "lives at",
    "residence_of": "home of",
    "uses_vehicle": "uses vehicle",
    "vehicle_used_by": "used by",
    "exploits": "exploits",
    "exploited_by": "exploited by",
    "cuckoos": "cuckoos",
    "cuckooed_by": "cuckooed by",
    "called": "called",
    "called_by": "called by",
    "runs_line": "runs",
    "line_run_by": "run by",
    "runner_for": "runner for",
    "has_runner": "runner",
    "line_phone": "deal line",
    "deal_line_of": "deal line of",
    "operates_from": "operates from",
    "base_of": "base of",
}

_LINK_TYPES = frozenset(t.value for t in LinkType)
# The links of the record bound as `id`, from either end, in the order made; built once
# (building it cost more than running it).
_LINKS = (
    select(LinkRow)
    .where(or_(LinkRow.from_id == bindparam("id"), LinkRow.to_id == bindparam("id")))
    .order_by(LinkRow.id)
    .limit(MAX_LINKS)
)
_ROLE_RANK = {role.value: rank for rank, role in enumerate(OcgRole)}


def linked_records(
    session: Session,
    *,
    reader: Reader,
    entity_id: int,
    decision: Decision,
) -> tuple[LinkGroup, ...]:
    """Every link of the record the actor may see, grouped by name in `LINK_ORDER`.

    `decision` is the actor's decision on the record itself: where it shows only some
    fields, link dates are left out too.
    """
    rows = list(session.scalars(_LINKS, {"id": entity_id}))
    actor, ctx = reader.actor, reader.ctx
    rows = [
        row for row in rows if gate.within_clearance(actor, row.marking) and _known(row.link_type)
    ]
    others = {row.to_id if row.from_id == entity_id else row.from_id for row in rows}
    facts = entity_facts(session, others, on=ctx.on)
    decisions = {
        entry.item.id: entry.decision
        for entry in gate.allowed(
            actor=actor, ctx=ctx, items=facts.values(), resource=EntityFacts.resource
        )
    }
    records = load_records(session, {i: facts[i] for i in decisions}, reader=reader)
    groups: dict[str, list[Linked]] = defaultdict(list)
    for row in rows:
        from_here = row.from_id == entity_id
        other_id = row.to_id if from_here else row.from_id
        if other_id not in records:
            continue
        kind = ResourceKind(facts[other_id].kind)
        view: View = redact(kind, records[other_id], decisions[other_id])
        dated = decision.fields is None and decisions[other_id].fields is None
        name = link_name(LinkType(row.link_type), from_source=from_here)
        groups[name].append(
            Linked(
                name=name,
                kind=kind,
                record=view,
                label=label(kind, view),
                role=row.role,
                valid_from=row.valid_from if dated else None,
                valid_to=row.valid_to if dated else None,
                current=row.valid_to is None or row.valid_to >= ctx.on,
            )
        )
    return tuple(
        LinkGroup(name, tuple(sorted(groups[name], key=_order)))
        for name in sorted(groups, key=_group_rank)
    )


def _known(link_type: str) -> bool:
    return link_type in _LINK_TYPES


def _group_rank(name: str) -> tuple[int, str]:
    return (LINK_ORDER.index(name) if name in LINK_ORDER else len(LINK_ORDER), name)


def _order(item: Linked) -> tuple[bool, int, str]:
    """Current links first; then by role (principal before runner); then by name."""
    rank = _ROLE_RANK.get(item.role or "", len(_ROLE_RANK))
    return (not item.current, rank, item.label.lower())


def link_timeline(groups: tuple[LinkGroup, ...]) -> list[TimelineEntry]:
    """An entry for each dated start and end of a shown link."""
    entries: list[TimelineEntry] = []
    for group in groups:
        words = LINK_WORDS.get(group.name, group.name.replace("_", " "))
        for item in group.items:
            role = f" ({item.role})" if item.role else ""
            for on, verb, kind in (
                (item.valid_from, "Began", "link_from"),
                (item.valid_to, "Ended", "link_to"),
            ):
                if isinstance(on, date):
                    entries.append(
                        TimelineEntry(
                            on=on,
                            title=f"{verb}: {words} {item.label}{role}",
                            kind=kind,
                            record_id=item.id,
                            record_kind=item.kind,
                        )
                    )
    return entries
