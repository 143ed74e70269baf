"""The golden nominal: one resolved person's records, as far as the reader may see them.

Entity resolution (`threadline.resolve`) stores which person records are one person and
the pairwise matches that joined them. Policy decides who is shown them together
(`threadline.policy.resolution`): police readers only, and only records they may see,
joined by the stored links among those records alone (`combined`). For anyone else
nothing is looked up, so a partner's or a prison's page is exactly what it is without
resolution: no count of hidden records, no fact drawn from one.

The pure parts (which record is the best identity, how the others differ from it, every
record's warning markers once) are shared by the check's combined card
(`threadline.check.cards`) and the person profile (`golden_nominal` here, completed with
custody and safeguarding prompts by `threadline.dossier`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.model.enums import EntityKind
from threadline.model.schema import RECORD_KINDS
from threadline.policy import (
    Decision,
    EntityFacts,
    ResourceKind,
    View,
    entity_facts,
    gate,
    redact,
)
from threadline.policy.resolution import combined, may_combine
from threadline.profiles.links import linked_records
from threadline.profiles.records import Reader, load_records, uk_date
from threadline.profiles.types import Linked
from threadline.storage.resolution import links_among, members_of, resolved_ids
from threadline.storage.tables import AgencyRow, EntityRow

__all__ = [
    "COMPARED",
    "GoldenNominal",
    "Holder",
    "Source",
    "differences",
    "golden_nominal",
    "holders_of",
    "markers_of",
    "most_complete",
    "same_person",
    "short_name",
    "uk_date",
    "with_markers",
]

# The identity fields a golden nominal compares between its records, in the order said.
COMPARED = ("family_name", "given_names", "date_of_birth", "gender", "pnc_id")
_PERSON = RECORD_KINDS[EntityKind.PERSON]


@dataclass(frozen=True, slots=True)
class Source:
    """One source record of a resolved person: what the reader may see of it, where it is
    held, and how it differs from the identity shown."""

    record: View
    owner_name: str  # the owning organisation's name, e.g. "Suffolk Constabulary"
    source_system: str  # the system the record came from, e.g. "Athena"
    differences: tuple[str, ...]  # e.g. "Date of birth 07/03/1990 here, 03/07/1990 in …"
    source_id: str = ""  # the record's key in its source system

    def as_dict(self) -> dict[str, object]:
        return {
            "record": dict(self.record),
            "conditions": self.record.conditions,
            "owner_name": self.owner_name,
            "source_system": self.source_system,
            "differences": list(self.differences),
        }


@dataclass(frozen=True, slots=True)
class Holder:
    """Where a record is held: its owner's name (and short name), system and key there."""

    owner_name: str  # "Suffolk Constabulary"
    short_name: str  # "Suffolk"
    source_system: str
    source_id: str


def holders_of(session: Session, ids: Iterable[int]) -> dict[int, Holder]:
    """Where each record of `ids` is held."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = session.execute(
        select(EntityRow.id, AgencyRow.name, EntityRow.source_system, EntityRow.source_id)
        .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
        .where(EntityRow.id.in_(wanted))
    )
    return {
        i: Holder(name, short_name(name), system or "", source_id or "")
        for i, name, system, source_id in rows
    }


def short_name(name: str) -> str:
    """A force's name without "Constabulary" or "Police" ("Suffolk"), else the name."""
    for suffix in (" Constabulary", " Police"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name.removesuffix(suffix)
    return name


def most_complete(records: Sequence[View]) -> int:
    """The index of the record with the most identity fields filled (the first, on a tie)."""

    def filled(record: View) -> int:
        return sum(1 for key in COMPARED if record.get(key) not in (None, "", []))

    return max(range(len(records)), key=lambda index: (filled(records[index]), -index))


def differences(best: View, other: View, other_holder: str) -> tuple[str, ...]:
    """How `other` differs from `best` (the identity shown), on the fields both show.

    Plain English, dates as officers write them: "Date of birth 07/03/1990 here,
    03/07/1990 in Suffolk's record".
    """
    said: list[str] = []
    for key in COMPARED:
        if key not in best or key not in other:
            continue
        here, there = _said(key, best[key]), _said(key, other[key])
        if here.casefold() == there.casefold():
            continue
        label = _PERSON.label(key)
        said.append(
            f"{label} {here or 'not recorded'} here, "
            f"{there or 'not recorded'} in {other_holder}'s record"
        )
    return tuple(said)


def _said(key: str, value: object) -> str:
    if value is None:
        return ""
    text = str(value).strip()
    return uk_date(text) if key == "date_of_birth" else text


def markers_of(records: Iterable[View]) -> list[str]:
    """Every record's warning markers, each once, in the order first seen."""
    found: list[str] = []
    for record in records:
        markers = record.get("warning_markers")
        if isinstance(markers, list | tuple):
            found.extend(str(m) for m in markers)
    return list(dict.fromkeys(found))


def with_markers(record: View, markers: list[str]) -> View:
    """`record` showing `markers` as its warning markers (unchanged if there are none)."""
    if not markers:
        return record
    return View(record.kind, {**record, "warning_markers": markers}, record.decision)


# ----------------------------------------------------------------- the person profile


@dataclass(frozen=True, slots=True)
class GoldenNominal:
    """A resolved person as the reader may see them, from the profile of one of its records.

    `identity` is the most complete record's view with every record's warning markers;
    `sources` every record of the person shown, the profile's own first, each with how
    it differs from `identity`; `memberships` the groups (role, lead responsible officer)
    of every record, each group once. `custody` and `safeguarding` (prompts to protect)
    come from every record too, as far as the reader may see them (filled by
    `threadline.dossier`, which builds on the prison and safeguarding capabilities).
    """

    identity: View
    sources: tuple[Source, ...]
    memberships: tuple[Linked, ...]
    custody: tuple[View, ...] = field(default=())
    safeguarding: tuple[View, ...] = field(default=())

    @property
    def record_ids(self) -> list[int]:
        """The person records shown, the profile's own first."""
        return [int(source.record["id"]) for source in self.sources]  # type: ignore[call-overload]

    @property
    def shown_ids(self) -> list[int]:
        """Every record it shows, for the audit log: the person's records and groups."""
        return [*self.record_ids, *(item.id for item in self.memberships)]


def same_person(
    session: Session, *, reader: Reader, entity_id: int
) -> list[tuple[EntityFacts, Decision]]:
    """The other records of the person `entity_id` is, that the reader may see and be
    shown with it, oldest first.

    Empty unless the reader may be shown records together (`may_combine`): for anyone
    else no resolution table is read. A record they may not see is never drawn on, and
    never joins two they may (`policy.resolution.combined` over the stored links among
    the records they may see).
    """
    actor, ctx = reader.actor, reader.ctx
    if not may_combine(actor=actor, ctx=ctx):
        return []
    resolved = resolved_ids(session, [entity_id]).get(entity_id)
    if resolved is None:
        return []
    others = [m for m in members_of(session, {resolved}).get(resolved, []) if m != entity_id]
    if not others:
        return []
    facts = {
        i: fact
        for i, fact in entity_facts(session, others, on=ctx.on).items()
        if fact.kind == ResourceKind.PERSON.value
    }
    allowed = {
        entry.item.id: (entry.item, entry.decision)
        for entry in gate.allowed(
            actor=actor, ctx=ctx, items=facts.values(), resource=EntityFacts.resource
        )
    }
    visible = [entity_id, *(i for i in others if i in allowed)]
    groups = combined(actor=actor, ctx=ctx, visible=visible, links=links_among(session, visible))
    mine = next(group for group in groups if entity_id in group)
    return [allowed[i] for i in mine if i != entity_id]


def golden_nominal(
    session: Session,
    *,
    reader: Reader,
    view: View,
    memberships: Sequence[Linked],
) -> GoldenNominal | None:
    """The golden nominal of the person record `view` (as the reader sees it), whose own
    groups are `memberships`; None where there is no other record of the person the
    reader may be shown with it (the profile is then as it is without resolution)."""
    entity_id = int(view["id"])  # type: ignore[call-overload]
    others = same_person(session, reader=reader, entity_id=entity_id)
    if not others:
        return None
    records = load_records(session, {fact.id: fact for fact, _ in others}, reader=reader)
    views = [view] + [
        redact(ResourceKind.PERSON, records[fact.id], decision) for fact, decision in others
    ]
    best = views[most_complete(views)]
    held = holders_of(session, [int(v["id"]) for v in views])  # type: ignore[call-overload]
    sources = []
    for record in views:
        holder = held[int(record["id"])]  # type: ignore[call-overload]
        found = () if record is best else differences(best, record, holder.short_name)
        sources.append(
            Source(record, holder.owner_name, holder.source_system, found, holder.source_id)
        )
    groups: dict[int, Linked] = {item.id: item for item in memberships}
    for fact, decision in others:
        links = linked_records(session, reader=reader, entity_id=fact.id, decision=decision)
        for group in links:
            if group.name == "member_of":
                for item in group.items:
                    groups.setdefault(item.id, item)
    return GoldenNominal(
        identity=with_markers(best, markers_of(views)),
        sources=tuple(sources),
        memberships=tuple(sorted(groups.values(), key=lambda item: not item.current)),
    )
