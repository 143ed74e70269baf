"""A check's cards: one per record found, or one per person or object held by several.

`Card` is what the check returns for each thing found. `combined_card` makes one card of
one resolved person's records; `object_card` one card of a phone, vehicle or address of
one value held in several records (`threadline.check.objects`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.orm import Session

from threadline.check.objects import LinkedPerson, linked_people
from threadline.check.objects import differences as object_differences
from threadline.check.resolved import Source, differences, most_complete
from threadline.model.security import Actor
from threadline.policy import PolicyContext, ResourceKind, View


@dataclass(frozen=True, slots=True)
class Card:
    """One record found: what the actor may see of it, and why it matched."""

    kind: ResourceKind
    record: View
    score: int | None = 100  # None where the actor may not see all that scored it
    reasons: tuple[str, ...] = ()
    memberships: tuple[View, ...] = ()  # groups a person belongs to, as far as allowed
    roles: tuple[str, ...] = ()  # the person's role in each of `memberships`
    intelligence: tuple[View, ...] = ()  # recent sanitised reports about a person, if allowed
    # County lines the record is tied to, as far as allowed, each with how it stands to it.
    county_lines: tuple[tuple[View, str], ...] = ()
    # Prompts to protect: concerns and medium or high risk screenings about a person.
    safeguarding: tuple[View, ...] = ()
    # A person's custody episodes (in custody first, with the expected release), if allowed.
    custody: tuple[View, ...] = ()
    # A resolved person's card: the source records it combines (empty on a plain card).
    sources: tuple[Source, ...] = ()
    # A phone, vehicle or address held by several records: the people linked to it.
    people: tuple[LinkedPerson, ...] = ()

    def as_dict(self) -> dict[str, object]:
        combined: dict[str, object] = {}
        if self.sources:
            # The resolved id is not given out: it is named after the cluster's earliest
            # record, which may be one the reader may not see.
            combined = {"records": [source.as_dict() for source in self.sources]}
        if self.people:
            combined["people"] = [person.as_dict() for person in self.people]
        return {
            "kind": self.kind.value,
            "record": dict(self.record),
            "conditions": self.record.conditions,
            "score": self.score,
            "reasons": list(self.reasons),
            "memberships": [
                {**dict(group), "role": role}
                for group, role in zip(self.memberships, self.roles, strict=True)
            ],
            "county_lines": [
                {**dict(line), "relation": relation} for line, relation in self.county_lines
            ],
            "intelligence": [
                {**dict(report), "conditions": report.conditions} for report in self.intelligence
            ],
            "safeguarding": [dict(prompt) for prompt in self.safeguarding],
            "custody": [dict(episode) for episode in self.custody],
            **combined,
        }


def combined_card(cards: list[Card], held: dict[int, tuple[str, str, str]]) -> Card:
    """One card for the cards of one resolved person's records (ranked as found).

    The identity is the most complete record's; warning markers, groups, county lines,
    intelligence, safeguarding prompts and custody come from every record, each once;
    the score and reasons are those of the best record found.
    """
    best = cards[most_complete([card.record for card in cards])]
    markers = list(dict.fromkeys(m for c in cards for m in _markers(c.record)))
    record = best.record
    if markers:
        record = View(best.kind, {**best.record, "warning_markers": markers}, best.record.decision)
    groups = _first_each(
        [(g, r) for c in cards for g, r in zip(c.memberships, c.roles, strict=True)]
    )
    sources = []
    for card in cards:
        name, short, system = held[int(card.record["id"])]  # type: ignore[call-overload]
        found = () if card is best else differences(best.record, card.record, short)
        sources.append(Source(card.record, name, system, found))
    return Card(
        best.kind,
        record,
        cards[0].score,
        cards[0].reasons,
        tuple(g for g, _ in groups),
        tuple(r for _, r in groups),
        tuple(v for v, _ in _first_each([(v, 0) for c in cards for v in c.intelligence])),
        _first_each([line for c in cards for line in c.county_lines]),
        tuple(v for v, _ in _first_each([(v, 0) for c in cards for v in c.safeguarding])),
        custody=tuple(v for v, _ in _first_each([(v, 0) for c in cards for v in c.custody])),
        sources=tuple(sources),
    )


def object_card(
    session: Session,
    actor: Actor,
    ctx: PolicyContext,
    cards: list[Card],
    held: dict[int, tuple[str, str, str]],
) -> Card:
    """One card for the cards of one phone, vehicle or address held by several records
    (ranked as found): the first record's fields, every record's county lines, the people
    linked to any of them, and the list of its records with how they differ."""
    first = cards[0]
    sources = []
    for card in cards:
        name, short, system = held[record_id(card.record)]
        found = object_differences(first.kind, first.record, card.record, short)
        sources.append(Source(card.record, name, system, found))
    return Card(
        first.kind,
        first.record,
        first.score,
        first.reasons,
        county_lines=_first_each([line for c in cards for line in c.county_lines]),
        sources=tuple(sources),
        people=linked_people(
            session, actor=actor, ctx=ctx, records=[card.record for card in cards]
        ),
    )


def record_id(record: View) -> int:
    """The record id of a view of a record."""
    value = record["id"]
    assert isinstance(value, int)
    return value


_T = TypeVar("_T")


def _markers(record: View) -> list[str]:
    markers = record.get("warning_markers")
    return [str(m) for m in markers] if isinstance(markers, list | tuple) else []


def _first_each(items: list[tuple[View, _T]]) -> tuple[tuple[View, _T], ...]:
    """Each view once (by its record id, else its content), the first seen kept."""
    seen: set[object] = set()
    kept = []
    for view, extra in items:
        key = view.get("id", repr(sorted(view.items(), key=lambda kv: kv[0])))
        if key not in seen:
            seen.add(key)
            kept.append((view, extra))
    return tuple(kept)
