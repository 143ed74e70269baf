"""The priority list of crime groups, for one force or the region, as the reader may see it.

Who may see the list is asked first (`OcgTask.PRIORITIES`: police analysts, supervisors
and LROs); then each mapped group is decided as a POLE read of the group and a view of its
work, so the list holds only groups the reader may see, and its counts only count those.
Each group shows its latest assessment, with what changed since the one before; groups
never assessed are listed apart, as the gap an inspection would ask about. Threat themes
(assessed with no group) follow. Viewing the list is logged as `ocg.priorities_viewed`
about the groups shown.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.errors import FieldError, InvalidData
from threadline.model.security import Actor
from threadline.morile.access import summary_of
from threadline.morile.reading import history_of, scale_of
from threadline.morile.types import PriorityEntry, PriorityList, ThemeEntry
from threadline.policy import Action, decide, entity_facts, load_context, require
from threadline.policy.ocg import OcgTask, ocg_resource, task_resource
from threadline.reference.geography import FORCES, REGIONAL_UNIT, organisation_name
from threadline.storage.morile import (
    agency_codes,
    agency_id_of,
    assessments_of,
    mapped_groups,
    theme_assessments,
    user_names,
)

__all__ = ["force_choices", "priority_list"]


def force_choices() -> list[tuple[str, str]]:
    """The organisations a list may be filtered to: (code, name), forces then the unit."""
    return [(f.code, organisation_name(f.code)) for f in FORCES] + [
        (REGIONAL_UNIT[0], organisation_name(REGIONAL_UNIT[0]))
    ]


def _check_force(force: str | None) -> str | None:
    if force is None or not force.strip():
        return None
    code = force.strip().lower()
    choices = force_choices()
    for known, name in choices:
        if code in (known, name.lower()):
            return known
    raise InvalidData(
        [
            FieldError(
                "force",
                force,
                "one of the region's forces: " + ", ".join(code for code, _ in choices),
            )
        ]
    )


def priority_list(
    session: Session, *, actor: Actor, force: str | None = None, on: date | None = None
) -> PriorityList:
    """The groups the actor may see (of `force`, a code, or the region) by priority."""
    ctx = load_context(session, actor, on=on)
    require(actor=actor, action=Action.READ, resource=task_resource(OcgTask.PRIORITIES), ctx=ctx)
    code = _check_force(force)
    groups = mapped_groups(session, owner_code=code)
    facts = entity_facts(session, [g.id for g in groups], on=ctx.on)
    visible = []
    for group in groups:
        found = facts.get(group.id)
        if found is None:
            continue
        read = decide(actor=actor, action=Action.READ, resource=found.resource(), ctx=ctx)
        work = ocg_resource(found, OcgTask.VIEW, lro_id=group.lro_id)
        if read.allowed and decide(actor=actor, action=Action.READ, resource=work, ctx=ctx).allowed:
            visible.append(group)
    history = assessments_of(session, [g.id for g in visible])
    agency_ids = None
    if code is not None:
        agency_id = agency_id_of(session, code)
        agency_ids = [agency_id] if agency_id is not None else []
    themes = theme_assessments(session, agency_ids=agency_ids)
    names = user_names(
        session,
        [r.assessor_id for rows in history.values() for r in rows[:2]]
        + [r.assessor_id for rows in themes.values() for r in rows[:1]],
    )
    entries = []
    not_assessed = []
    for group in visible:
        rows = history.get(group.id)
        if not rows:
            not_assessed.append(summary_of(group))
            continue
        [latest] = history_of(rows[:2], names=names, on=ctx.on)[:1]
        entries.append(
            PriorityEntry(
                group.id,
                group.name,
                group.owner_code,
                organisation_name(group.owner_code),
                latest,
            )
        )
    codes = agency_codes(session, {agency for agency, _ in themes})
    theme_entries = []
    for (agency, theme), rows in themes.items():
        [latest] = history_of(rows[:2], names=names, on=ctx.on)[:1]
        owner = codes.get(agency, "")
        theme_entries.append(ThemeEntry(theme, owner, organisation_name(owner), latest))

    def order(item: PriorityEntry | ThemeEntry) -> tuple[int, float, str]:
        latest = item.latest
        rank = scale_of(latest.scale_version).rank(latest.priority)
        return rank, -latest.score, item.name if isinstance(item, PriorityEntry) else item.theme

    entries.sort(key=order)
    theme_entries.sort(key=order)
    not_assessed.sort(key=lambda g: (g.owner_name, g.name))
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="ocg.priorities_viewed",
        records=[g.id for g in visible],
        details={
            "scope": code or "region",
            "shown": len(visible),
            "not_assessed": len(not_assessed),
            "themes": len(theme_entries),
        },
    )
    return PriorityList(
        force=code,
        force_name=organisation_name(code) if code else None,
        on=ctx.on,
        entries=entries,
        not_assessed=not_assessed,
        themes=theme_entries,
        forces=force_choices(),
    )
