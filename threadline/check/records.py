"""The records a check card shows: the record found, its groups and its county lines.

Each builder returns plain dicts of every field; the service asks policy and redacts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import (
    BindParameter,
    CompoundSelect,
    bindparam,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from threadline.model.security import Actor
from threadline.ocg import lro_label
from threadline.policy import (
    Action,
    EntityFacts,
    PolicyContext,
    ResourceKind,
    View,
    decide,
    redact,
)
from threadline.storage.db import read_rows
from threadline.storage.tables import (
    AgencyRow,
    CountyLineRow,
    LinkRow,
    OrganisationRow,
    UserRow,
)

Membership = tuple[int, str, str, str | None, str]  # group id, name, role, LRO, org type


_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)
_TODAY: BindParameter[date] = bindparam("today")
# The statements are built once: building one costs more than running it on an indexed
# key, and every check runs them.
# Each person's current groups, with the LRO to contact (if their account is in use).
_MEMBERSHIPS = (
    select(
        LinkRow.from_id,
        OrganisationRow.entity_id,
        OrganisationRow.name,
        OrganisationRow.org_type,
        LinkRow.role,
        UserRow.display_name,
        UserRow.username,
        UserRow.email,
        UserRow.phone,
        AgencyRow.out_of_hours,
    )
    .join(OrganisationRow, OrganisationRow.entity_id == LinkRow.to_id)
    .outerjoin(UserRow, (UserRow.id == OrganisationRow.lro_id) & UserRow.disabled.is_(False))
    .outerjoin(AgencyRow, AgencyRow.id == UserRow.agency_id)
    .where(
        LinkRow.link_type == "member_of",
        LinkRow.from_id.in_(_IDS),
        (LinkRow.valid_to.is_(None)) | (LinkRow.valid_to >= _TODAY),
    )
    .order_by(LinkRow.from_id, OrganisationRow.name)
)


def memberships(session: Session, person_ids: list[int]) -> dict[int, list[Membership]]:
    """Current groups of each person: (group id, group name, role, the LRO to contact)."""
    groups: dict[int, list[Membership]] = defaultdict(list)
    if not person_ids:
        return groups
    rows = read_rows(session, _MEMBERSHIPS, {"ids": person_ids, "today": date.today()})
    for person_id, group_id, group_name, org_type, role, lro_name, lro_user, *contact in rows:
        lro = lro_label(lro_name, lro_user, *contact) if lro_user else None
        groups[person_id].append((group_id, group_name, role or "member", lro, org_type))
    return groups


def visible_groups(
    actor: Actor,
    ctx: PolicyContext,
    groups: list[Membership],
    facts: dict[int, EntityFacts],
) -> tuple[tuple[View, ...], tuple[str, ...]]:
    shown: list[View] = []
    roles: list[str] = []
    for group_id, group_name, role, lro, org_type in groups:
        fact = facts.get(group_id)
        if fact is None:
            continue
        decision = decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx)
        if not decision.allowed:
            continue  # the membership itself would reveal the group
        record = {
            "id": group_id,
            "owner": fact.owner,
            "marking": fact.marking.value,
            "name": group_name,
            "org_type": org_type,
            "lro": lro,
        }
        shown.append(redact(ResourceKind.ORGANISATION, record, decision))
        roles.append(role)
    return tuple(shown), tuple(roles)


# How a record stands to a county line, as a card says it: (link type, from the record?).
_LINE_RELATIONS: dict[tuple[str, bool], str] = {
    ("runs_line", True): "runs the line",
    ("runner_for", True): "runner for the line",
    ("line_phone", False): "deal line of",
    ("cuckoos", False): "cuckooed by the line",
}
LineLink = tuple[int, str]  # county line id, how the record stands to it


_RECORDS: BindParameter[list[int]] = bindparam("records", expanding=True)
# In one statement: the lines each record bound as `ids` (a record found, or a group)
# runs or runs for (`outgoing` 1), then the lines whose deal line or base each record
# bound as `records` is (`outgoing` 0).
_LINES: CompoundSelect[*tuple[Any, ...]] = union_all(
    select(
        literal_column("1").label("outgoing"),
        LinkRow.from_id.label("record_id"),
        LinkRow.to_id.label("line_id"),
        LinkRow.link_type,
    )
    .join(CountyLineRow, CountyLineRow.entity_id == LinkRow.to_id)
    .where(
        LinkRow.from_id.in_(_IDS),
        LinkRow.link_type.in_(("runs_line", "runner_for")),
        LinkRow.valid_to.is_(None) | (LinkRow.valid_to >= _TODAY),
    ),
    select(literal_column("0"), LinkRow.to_id, LinkRow.from_id, LinkRow.link_type)
    .join(CountyLineRow, CountyLineRow.entity_id == LinkRow.from_id)
    .where(
        LinkRow.to_id.in_(_RECORDS),
        LinkRow.link_type.in_(("line_phone", "cuckoos")),
        LinkRow.valid_to.is_(None) | (LinkRow.valid_to >= _TODAY),
    ),
)


def county_line_links(
    session: Session, record_ids: list[int], groups: dict[int, list[Membership]]
) -> dict[int, list[LineLink]]:
    """Current county lines each record is tied to: its own links, then its groups' lines.

    A person runs a line or runs for it; a phone is a line's deal line; an address is
    cuckooed by it; a member of a group that runs a line is shown that line too.
    """
    lines: dict[int, list[LineLink]] = defaultdict(list)
    group_ids = {g for gs in groups.values() for g, *_ in gs}
    if not record_ids and not group_ids:
        return lines
    rows = read_rows(
        session,
        _LINES,
        {"ids": [*record_ids, *group_ids], "records": record_ids, "today": date.today()},
    )
    by_group: dict[int, list[LineLink]] = defaultdict(list)
    # A record's own lines first, then the lines it is tied to (stable: in the order read).
    for outgoing, record_id, line_id, link_type in sorted(rows, key=lambda row: -row[0]):
        relation = _LINE_RELATIONS[(link_type, bool(outgoing))]
        if outgoing and record_id in group_ids:
            by_group[record_id].append((line_id, relation))
        if record_id in record_ids:
            lines[record_id].append((line_id, relation))
    for person_id, memberships_of in groups.items():
        for group_id, group_name, *_ in memberships_of:
            for line_id, _ in by_group.get(group_id, []):
                lines[person_id].append((line_id, f"line of {group_name}"))
    for record_id, found in lines.items():
        first: dict[int, str] = {}  # each line once, with the closest tie first found
        for line_id, relation in found:
            first.setdefault(line_id, relation)
        lines[record_id] = list(first.items())
    return lines


def visible_lines(
    actor: Actor,
    ctx: PolicyContext,
    links: list[LineLink],
    records: Mapping[int, Mapping[str, object]],
    facts: dict[int, EntityFacts],
) -> tuple[tuple[View, str], ...]:
    """The county lines of one card the actor may see, each with how the record stands."""
    shown: list[tuple[View, str]] = []
    for line_id, relation in links:
        fact = facts.get(line_id)
        if fact is None or line_id not in records:
            continue
        decision = decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx)
        if decision.allowed:
            shown.append((redact(ResourceKind.COUNTY_LINE, records[line_id], decision), relation))
    return tuple(shown)
