"""Phones, vehicles and addresses held by several forces, shown as one card.

Where policy lets the reader see records together (`threadline.policy.resolution`,
police readers only), the cards of phones, vehicles and addresses whose normalised
value is the same become one card: a phone by its E.164 number, a vehicle by its VRM,
an address by its UPRN when both records have one, else by its postcode and first
address line. Values are read from what the reader sees of each record, and only the
records the check shows are grouped, so a record the reader may not see is never drawn
on. A partner or a prison is never asked about here beyond that one question: their
check is exactly what it is without grouping.

The card then names the people linked to the value in any of its records (its users,
residents), each as far as the reader may see them and their link, warnings first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from threadline.model.enums import EntityKind
from threadline.model.schema import RECORD_KINDS
from threadline.model.security import Actor
from threadline.policy import PolicyContext, ResourceKind, View
from threadline.policy.resolution import may_combine
from threadline.profiles.links import LINK_WORDS, linked_records
from threadline.profiles.records import Reader
from threadline.safeguarding.exploitation import exploitation_prompts

OBJECT_KINDS = frozenset({ResourceKind.PHONE, ResourceKind.VEHICLE, ResourceKind.LOCATION})

# The links from a person to a phone, vehicle or address, read from the object's end.
PEOPLE_LINKS = ("phone_used_by", "vehicle_used_by", "residence_of")

# The fields a combined object card compares between its records, by kind, in order.
COMPARED: dict[ResourceKind, tuple[str, ...]] = {
    ResourceKind.PHONE: ("imei", "valid"),
    ResourceKind.VEHICLE: ("make", "model", "colour"),
    ResourceKind.LOCATION: ("line1", "line2", "town", "postcode", "uprn", "location_type"),
}


@dataclass(frozen=True, slots=True)
class LinkedPerson:
    """A person linked to a combined object card: what the reader may see of them, and how."""

    record: View
    # "used by", "home of", with the link's role and whether it has ended:
    # "used by (subscriber), formerly"
    relation: str
    # Why they may be a victim of exploitation (`threadline.safeguarding.exploitation`),
    # or "" if they are not prompted.
    exploitation: str = ""

    def as_dict(self) -> dict[str, object]:
        said = {"exploitation": self.exploitation} if self.exploitation else {}
        return {**dict(self.record), "relation": self.relation, **said}


def same_value(*, actor: Actor, ctx: PolicyContext, views: Sequence[View]) -> list[list[int]]:
    """The indexes of `views` grouped by their value, each group in order, groups in the
    order of their first view.

    Only phones, vehicles and addresses are grouped, and only for a reader who may see
    records together; anyone else gets each view alone.
    """
    if not may_combine(actor=actor, ctx=ctx):
        return [[index] for index in range(len(views))]
    parent = list(range(len(views)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for right, view in enumerate(views):
        for left in range(right):
            if _same(views[left], view):
                a, b = root(left), root(right)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for index in range(len(views)):
        groups.setdefault(root(index), []).append(index)
    return list(groups.values())


def _same(left: View, right: View) -> bool:
    """Whether two records hold the same phone, vehicle or address, on what the reader sees."""
    if left.kind is not right.kind or left.kind not in OBJECT_KINDS:
        return False
    if left.kind is ResourceKind.PHONE:
        return _filled(left, "number") and _key(left, "number") == _key(right, "number")
    if left.kind is ResourceKind.VEHICLE:
        return _filled(left, "vrm") and _key(left, "vrm") == _key(right, "vrm")
    if _filled(left, "uprn") and _filled(right, "uprn"):
        return _key(left, "uprn") == _key(right, "uprn")
    return (
        _filled(left, "postcode")
        and _filled(left, "line1")
        and _key(left, "postcode") == _key(right, "postcode")
        and _key(left, "line1") == _key(right, "line1")
    )


def _filled(view: View, key: str) -> bool:
    return bool(_key(view, key))


def _key(view: View, key: str) -> str:
    """A field's value compared as written: no case, spaces or punctuation."""
    value = view.get(key)
    return "" if value is None else re.sub(r"[\W_]+", "", str(value)).casefold()


def differences(kind: ResourceKind, first: View, other: View, other_holder: str) -> tuple[str, ...]:
    """How `other` differs from `first` (the record the card shows), on the fields both show:
    "Colour Blue here, Silver in Suffolk's record"."""
    spec = RECORD_KINDS[EntityKind(kind.value)]
    said: list[str] = []
    for key in COMPARED.get(kind, ()):
        if key not in first or key not in other:
            continue
        here, there = _said(first[key]), _said(other[key])
        if here.casefold() == there.casefold():
            continue
        said.append(
            f"{spec.label(key)} {here or 'not recorded'} here, "
            f"{there or 'not recorded'} in {other_holder}'s record"
        )
    return tuple(said)


def _said(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value).strip()


def linked_people(
    session: Session, *, actor: Actor, ctx: PolicyContext, records: Sequence[View]
) -> tuple[LinkedPerson, ...]:
    """The people linked to any of `records` as users or residents, each once, those with
    warning markers first; only people and links the reader may see (`linked_records`)."""
    reader = Reader(actor, ctx)
    found: dict[int, LinkedPerson] = {}
    for record in records:
        if "id" not in record:
            continue
        groups = linked_records(
            session,
            reader=reader,
            entity_id=int(record["id"]),  # type: ignore[call-overload]
            decision=record.decision,
        )
        for group in groups:
            if group.name not in PEOPLE_LINKS:
                continue
            for linked in group.items:
                if linked.kind is not ResourceKind.PERSON or "id" not in linked.record:
                    continue
                words = LINK_WORDS.get(linked.name, linked.name)
                relation = f"{words} ({linked.role})" if linked.role else words
                if not linked.current:
                    relation = f"{relation}, formerly"
                found.setdefault(
                    int(linked.record["id"]),  # type: ignore[call-overload]
                    LinkedPerson(linked.record, relation),
                )
    prompts = exploitation_prompts(session, actor=actor, ctx=ctx, person_ids=list(found))
    people = [
        replace(person, exploitation=str(prompts[i]["text"])) if i in prompts else person
        for i, person in found.items()
    ]
    # Those who may be victims, and those with warning markers, first.
    return tuple(
        sorted(
            people,
            key=lambda person: (not person.exploitation, not person.record.get("warning_markers")),
        )
    )
