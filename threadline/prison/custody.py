"""Custody episodes as anyone policy allows reads them: police of the region, and partners
under an agreement covering `custody`.

Each read is one CONSULTATION event named `prison.*`, which trips no wire (a list that
merely shows records tells watchers nothing). Recording and changing episodes is
`prison.custody_changes`; its functions are importable from here too.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.errors import NotFound
from threadline.model.security import Actor
from threadline.policy import (
    Action,
    EntityFacts,
    PolicyContext,
    View,
    decide,
    load_context,
    read_path,
)
from threadline.prison.custody_changes import (
    episode_actions,
    record_custody,
    transfer_custody,
    update_custody,
)
from threadline.prison.records import (
    agency_names,
    custody_resource,
    custody_view,
    people_named,
    person_facts,
)
from threadline.storage.ids import is_stored_id
from threadline.storage.prison_tables import CustodyEpisodeRow
from threadline.storage.tables import AgencyRow, PersonRow

__all__ = [
    "custody_for_people",
    "custody_items",
    "custody_views",
    "episode_actions",
    "get_custody",
    "list_custody",
    "record_custody",
    "transfer_custody",
    "update_custody",
]


@read_path("prison.custody_viewed")
def get_custody(
    session: Session, *, actor: Actor, episode_id: int, purpose: str | None = None
) -> View:
    """One custody episode; `NotFound` alike for none and for one the actor may not see."""
    ctx = load_context(session, actor)
    missing = NotFound(f"no custody episode with id {episode_id} that you may see")
    if not is_stored_id(episode_id):  # beyond what the database holds: none such
        raise missing
    row = session.get(CustodyEpisodeRow, episode_id)
    if row is None:
        raise missing
    shown = _visible(session, actor, ctx, [row])
    if not shown:
        raise missing
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="prison.custody_viewed",
        records=people_named(row),
        purpose=purpose,
        details={"episode": row.id},
    )
    return shown[0][1]


@read_path("prison.custody_listed")
def list_custody(
    session: Session,
    *,
    actor: Actor,
    establishment: str | None = None,
    person_id: int | None = None,
    current_only: bool = True,
    limit: int = 200,
) -> list[View]:
    """Episodes the actor may see, newest reception first: of one prison or one person."""
    ctx = load_context(session, actor)
    query = select(CustodyEpisodeRow).order_by(
        CustodyEpisodeRow.received_on.desc(), CustodyEpisodeRow.id.desc()
    )
    if establishment:
        query = query.join(AgencyRow, AgencyRow.id == CustodyEpisodeRow.establishment_id).where(
            AgencyRow.code == establishment
        )
    if person_id is not None:
        query = query.where(CustodyEpisodeRow.person_id == person_id)
    if current_only:
        query = query.where(CustodyEpisodeRow.released_on.is_(None))
    shown = _visible(session, actor, ctx, list(session.scalars(query)))[:limit]
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="prison.custody_listed",
        records=sorted({p for row, _ in shown for p in people_named(row)}),
        details={"establishment": establishment, "person": person_id, "shown": len(shown)},
    )
    return [view for _, view in shown]


def custody_views(
    session: Session, actor: Actor, ctx: PolicyContext, rows: list[CustodyEpisodeRow]
) -> list[View]:
    """The episodes among `rows` the actor may see (others are left out silently).

    Not audited: the caller's own read event names what was shown.
    """
    return [view for _, view in _visible(session, actor, ctx, rows)]


def _visible(
    session: Session, actor: Actor, ctx: PolicyContext, rows: list[CustodyEpisodeRow]
) -> list[tuple[CustodyEpisodeRow, View]]:
    """Each row the actor may read with its view; the person link is shown only to those
    who may read the person (a prison holding someone police matched to a record it may
    not see is not told which record)."""
    if not rows:
        return []
    owners = agency_names(session, {r.owner_id for r in rows})
    facts = person_facts(session, {r.person_id for r in rows}, ctx.on)
    readable = {
        person
        for person, fact in facts.items()
        if decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx).allowed
    }
    # A prisoner received by choosing their record is named as that record names them.
    unnamed = {r.person_id for r in rows if r.person_id in readable and not r.family_name}
    names = {
        person.entity_id: (person.given_names or "", person.family_name or "")
        for person in (
            session.scalars(select(PersonRow).where(PersonRow.entity_id.in_(unnamed)))
            if unnamed
            else []
        )
    }
    shown = []
    for row in rows:
        person = facts.get(row.person_id) if row.person_id is not None else None
        resource = custody_resource(row, owners[row.owner_id][0], person)
        decision = decide(actor=actor, action=Action.READ, resource=resource, ctx=ctx)
        if decision.allowed:
            view = custody_view(session, row, decision, person_shown=row.person_id in readable)
            if row.person_id in names and "family_name" in view:
                given, family = names[row.person_id]
                named = {**view, "given_names": given, "family_name": family}
                view = View(view.kind, named, view.decision)
            shown.append((row, view))
    return shown


def custody_for_people(
    session: Session, *, actor: Actor, ctx: PolicyContext, person_ids: list[int]
) -> dict[int, tuple[View, ...]]:
    """Each person's episodes the actor may see, current first (for check cards and
    profiles; the caller's read event covers them)."""
    if not person_ids:
        return {}
    rows = list(
        session.scalars(
            select(CustodyEpisodeRow)
            .where(CustodyEpisodeRow.person_id.in_(set(person_ids)))
            .order_by(CustodyEpisodeRow.received_on.desc())
        )
    )
    found: dict[int, list[View]] = {}
    for row, view in _visible(session, actor, ctx, rows):
        if row.person_id is not None:
            found.setdefault(row.person_id, []).append(view)
    return {
        person: tuple(sorted(views, key=lambda v: not v.get("in_custody", False)))
        for person, views in found.items()
    }


def custody_items(
    session: Session, *, actor: Actor, ctx: PolicyContext, fact: EntityFacts
) -> tuple[View, ...]:
    """A person's custody episodes the actor may see, for the profile's custody section."""
    return custody_for_people(session, actor=actor, ctx=ctx, person_ids=[fact.id]).get(fact.id, ())
