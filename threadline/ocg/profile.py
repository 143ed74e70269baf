"""A group's overview (its profile, LRO, areas, members and lines) and profile changes.

`group_overview` is the Overview tab: what the reader may see of the group, each member
and line decided as a read of its own record (a member the reader may not read is left
out, and so is any count of them). `update_profile` changes the operation name,
commodities, crime types and counter-measures (`OcgTask.PROFILE`: analysts and
supervisors of the owning force or of the regional unit), audited with before and after.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.errors import FieldError, InvalidData
from threadline.model.security import Actor
from threadline.ocg.header import GroupHeader, header_of, open_group
from threadline.ocg.lro import lro_label
from threadline.ocg.ranks import band_words, priority_words
from threadline.ocg.vocabulary import (
    COMMODITIES,
    COUNTER_MEASURES,
    CRIME_TYPES,
    check_codes,
    words_for,
)
from threadline.policy import Action, ResourceKind, decide, entity_facts, load_context, require
from threadline.policy.gate import allowed, within_clearance
from threadline.policy.ocg import OcgTask, may, ocg_resource
from threadline.reference.geography import area_name
from threadline.storage import ocg_groups

__all__ = [
    "GroupOverview",
    "Member",
    "MemberRole",
    "group_overview",
    "update_profile",
]

# Member roles in the order the overview lists them, with their headings.
ROLE_HEADINGS: tuple[tuple[str, str], ...] = (
    ("principal", "Principals"),
    ("lieutenant", "Lieutenants"),
    ("associate", "Associates"),
    ("runner", "Runners and exploited people"),
    ("other", "Other members"),
)
_ROLE_OF = {"exploited": "runner", "runner_for": "runner"}


@dataclass(frozen=True, slots=True)
class Member:
    """A member of the group the reader may see."""

    person_id: int
    name: str
    role: str | None


@dataclass(frozen=True, slots=True)
class MemberRole:
    """The members of one role, under its heading."""

    role: str
    heading: str
    members: list[Member]


@dataclass(frozen=True, slots=True)
class Line:
    """A county line the group runs (one the reader may see)."""

    id: int
    name: str
    exporting_area: str
    importing_area: str | None  # its name


@dataclass(frozen=True, slots=True)
class GroupOverview:
    """Everything the Overview tab shows, as the reader may see it."""

    header: GroupHeader
    band_words: str | None
    priority_words: str | None
    owner_code: str
    lro: str | None  # the LRO with how to contact them
    areas: list[str]  # area names, by name
    area_codes: list[str]
    commodities: list[str]  # codes (words via `vocabulary.words_for`)
    crime_types: list[str]
    counter_measures: list[str]
    commodity_words: list[str]
    crime_type_words: list[str]
    counter_measure_words: list[str]
    by_role: list[MemberRole]
    members: int
    lines: list[Line]
    mapped_on: date | None
    archived_reason: str | None
    archived_at: datetime | None
    may_edit: bool
    may_archive: bool
    may_read_register: bool  # who was told about the group (the dissemination register)


def _role_key(role: str | None, link_type: str) -> str:
    key = (role or "").strip().lower() or ("runner" if link_type == "runner_for" else "other")
    key = _ROLE_OF.get(key, key)
    return key if key in dict(ROLE_HEADINGS) else "other"


def group_overview(session: Session, *, actor: Actor, group_id: int) -> GroupOverview:
    """The Overview tab of the group for `actor`; records `ocg.viewed` (section overview)."""
    ctx = load_context(session, actor)
    stored, facts = open_group(session, actor=actor, ctx=ctx, group_id=group_id)
    # A link marked above the reader's clearance is not shown, nor counted.
    stored_members = [
        m
        for m in ocg_groups.members_of(session, group_id, on=ctx.on)
        if within_clearance(actor, m.marking)
    ]
    stored_lines = [
        line
        for line in ocg_groups.lines_of(session, group_id, on=ctx.on)
        if within_clearance(actor, line.marking)
    ]
    record_facts = entity_facts(
        session,
        [m.person_id for m in stored_members] + [line.id for line in stored_lines],
        on=ctx.on,
    )
    readable = {
        entry.item
        for entry in allowed(
            actor=actor,
            ctx=ctx,
            items=list(record_facts),
            resource=lambda entity_id: record_facts[entity_id].resource(),
        )
        if entry.decision.fields is None
    }
    by_role: dict[str, list[Member]] = {key: [] for key, _ in ROLE_HEADINGS}
    for member in stored_members:
        if member.person_id in readable:
            by_role[_role_key(member.role, member.link_type)].append(
                Member(member.person_id, member.name, member.role)
            )
    roles = [
        MemberRole(key, heading, by_role[key]) for key, heading in ROLE_HEADINGS if by_role[key]
    ]
    lines = [
        Line(
            line.id,
            line.name,
            line.exporting_area,
            area_name(line.importing_area) if line.importing_area else None,
        )
        for line in stored_lines
        if line.id in readable
    ]
    codes = sorted(facts.areas, key=area_name)
    lro = (
        lro_label(
            stored.lro_name or stored.lro_username or "",
            stored.lro_username or "",
            stored.lro_email,
            stored.lro_phone,
            stored.lro_out_of_hours,
        )
        if stored.lro_username
        else None
    )

    def task(which: OcgTask) -> bool:
        resource = ocg_resource(facts, which, lro_id=stored.lro_id)
        return may(actor=actor, ctx=ctx, resource=resource, action=Action.UPDATE)

    header = header_of(session, stored)
    overview = GroupOverview(
        header=header,
        band_words=band_words(header.band),
        priority_words=priority_words(header.priority),
        owner_code=stored.owner_code,
        lro=lro,
        areas=[area_name(code) for code in codes],
        area_codes=codes,
        commodities=list(stored.commodities),
        crime_types=list(stored.crime_types),
        counter_measures=list(stored.counter_measures),
        commodity_words=words_for(stored.commodities, COMMODITIES),
        crime_type_words=words_for(stored.crime_types, CRIME_TYPES),
        counter_measure_words=words_for(stored.counter_measures, COUNTER_MEASURES),
        by_role=roles,
        members=sum(len(role.members) for role in roles),
        lines=lines,
        mapped_on=stored.mapped_on,
        archived_reason=stored.archived_reason,
        archived_at=stored.archived_at,
        may_edit=task(OcgTask.PROFILE),
        may_archive=task(OcgTask.ARCHIVE) and not stored.archived,
        may_read_register=decide(
            actor=actor,
            action=Action.READ,
            resource=replace(facts.resource(), kind=ResourceKind.REGISTER),
            ctx=ctx,
        ).allowed,
    )
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="ocg.viewed",
        records=[group_id],
        details={"section": "overview", "members": overview.members, "lines": len(lines)},
    )
    return overview


def _clean(codes: list[str] | tuple[str, ...]) -> list[str]:
    seen: list[str] = []
    for code in codes:
        code = code.strip()
        if code and code not in seen:
            seen.append(code)
    return seen


def update_profile(
    session: Session,
    *,
    actor: Actor,
    group_id: int,
    operation_name: str | None,
    commodities: list[str] | tuple[str, ...],
    crime_types: list[str] | tuple[str, ...],
    counter_measures: list[str] | tuple[str, ...],
) -> list[str]:
    """Change the group's profile; returns the names of the fields that changed.

    Unknown codes are refused (`InvalidData`, naming each one and what was expected)
    before anything is written; nothing changed records no event.
    """
    ctx = load_context(session, actor)
    stored, facts = open_group(session, actor=actor, ctx=ctx, group_id=group_id)
    require(
        actor=actor,
        action=Action.UPDATE,
        resource=ocg_resource(facts, OcgTask.PROFILE, lro_id=stored.lro_id),
        ctx=ctx,
    )
    wanted = {
        "commodities": (_clean(commodities), COMMODITIES),
        "crime_types": (_clean(crime_types), CRIME_TYPES),
        "counter_measures": (_clean(counter_measures), COUNTER_MEASURES),
    }
    errors = [
        FieldError(name, code, f"one of {', '.join(vocabulary)}")
        for name, (codes, vocabulary) in wanted.items()
        for code in check_codes(codes, vocabulary)
    ]
    # PostgreSQL refuses NUL in text: control characters are never part of a name.
    operation = "".join(ch for ch in (operation_name or "") if ch.isprintable()).strip() or None
    if operation is not None and len(operation) > 100:
        errors.append(FieldError("operation_name", operation, "at most 100 characters"))
    if errors:
        raise InvalidData(errors)
    before = {
        "operation_name": stored.operation_name,
        "commodities": list(stored.commodities),
        "crime_types": list(stored.crime_types),
        "counter_measures": list(stored.counter_measures),
    }
    after = {"operation_name": operation} | {name: codes for name, (codes, _) in wanted.items()}
    changed = {
        name: {"before": before[name], "after": after[name]}
        for name in before
        if before[name] != after[name]
    }
    if not changed:
        return []
    ocg_groups.save_profile(
        session,
        group_id=group_id,
        operation_name=operation,
        commodities=wanted["commodities"][0],
        crime_types=wanted["crime_types"][0],
        counter_measures=wanted["counter_measures"][0],
        now=utcnow(),
    )
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="ocg.profile_updated",
        records=[group_id],
        details={"changed": changed},
    )
    return list(changed)
