"""Custody episodes: recorded and changed by prison intelligence officers, read by anyone
policy allows (police of the region; partners under an agreement covering `custody`).

Each change is one COLLECTION or ALTERATION audit event named `custody.*` naming the
person (so watches on the person trip); each read is one CONSULTATION event named
`prison.*`, which trips no wire (a list that merely shows records tells watchers nothing).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.errors import FieldError, InvalidData, NotFound
from threadline.model.enums import AgencyKind, Marking
from threadline.model.security import Actor
from threadline.policy import (
    Action,
    Decision,
    EntityFacts,
    PolicyContext,
    View,
    decide,
    load_context,
    read_path,
    require,
)
from threadline.policy.outcomes import allow
from threadline.prison.records import (
    agency_names,
    custody_resource,
    custody_view,
    person_facts,
)
from threadline.prison.types import CustodyDetails
from threadline.prison.validation import category, details_problems, prison_number
from threadline.storage.ids import is_stored_id
from threadline.storage.prison_tables import CustodyEpisodeRow, CustodyTransferRow
from threadline.storage.reference import utcnow
from threadline.storage.tables import AgencyRow, EntityRow


def _agency(session: Session, code: str) -> AgencyRow:
    row = session.scalar(select(AgencyRow).where(AgencyRow.code == code))
    if row is None:
        raise NotFound(f"no organisation {code!r}")
    return row


def _prison(session: Session, code: str, column: str = "establishment") -> AgencyRow:
    row = session.scalar(select(AgencyRow).where(AgencyRow.code == code.strip().lower()))
    if row is None or row.kind != AgencyKind.PRISON.value:
        raise InvalidData([FieldError(column, code, "the code of a prison, e.g. hmp-norwich")])
    return row


def _person_exists(session: Session, person_id: int) -> None:
    kind = session.scalar(select(EntityRow.kind).where(EntityRow.id == person_id))
    if kind != "person":
        raise InvalidData([FieldError("person_id", str(person_id), "the id of a person record")])


def record_custody(
    session: Session, *, actor: Actor, details: CustodyDetails, establishment: str | None = None
) -> View:
    """Record a new custody episode at the actor's prison (or `establishment`, for the
    system). Raises `InvalidData` naming each bad field, `Forbidden` for other roles."""
    code = establishment or actor.agency_code
    ctx = load_context(session, actor)
    facts = person_facts(session, [details.person_id], ctx.on).get(details.person_id)
    # Policy first: asked of an episode held by the actor's organisation (or, for the
    # system, the establishment), before anything about the details is looked up.
    asked = CustodyEpisodeRow(id=None, marking=details.marking, prison_number="")
    if details.marking in {m.value for m in Marking}:
        require(
            actor=actor,
            action=Action.CREATE,
            resource=custody_resource(asked, code if actor.is_system else actor.agency_code, facts),
            ctx=ctx,
        )
    problems = details_problems(details)
    try:
        Marking(details.marking)
    except ValueError:
        problems.append(FieldError("marking", details.marking, "a marking such as OFFICIAL"))
    if problems:
        raise InvalidData(problems)
    _person_exists(session, details.person_id)
    prison = _prison(session, code)
    owner = _agency(session, actor.agency_code) if not actor.is_system else prison
    now = utcnow()
    row = CustodyEpisodeRow(
        person_id=details.person_id,
        owner_id=owner.id,
        source_system="threadline",
        source_id=f"custody-{now.timestamp()}-{details.prison_number}",
        establishment_id=prison.id,
        created_at=now,
        updated_at=now,
    )
    _apply(row, details)
    session.add(row)
    session.flush()
    row.source_id = f"custody-{row.id}"
    record_event(
        session,
        actor=actor,
        action=AuditAction.COLLECTION,
        event="custody.recorded",
        records=[details.person_id],
        details={
            "episode": row.id,
            "establishment": prison.code,
            "prison_number": row.prison_number,
        },
    )
    return custody_view(session, row, _read(actor, ctx, session, row))


def update_custody(
    session: Session, *, actor: Actor, episode_id: int, details: CustodyDetails
) -> View:
    """Change an episode's facts (release, recall, dates) as its holding prison."""
    ctx = load_context(session, actor)
    row = _episode(session, episode_id)
    problems = details_problems(details)
    if problems:
        raise InvalidData(problems)
    _require_update(session, actor, ctx, row)
    before = {"released_on": row.released_on, "release_date": row.release_date}
    _apply(row, replace(details, person_id=row.person_id))
    row.updated_at = utcnow()
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="custody.updated",
        records=[row.person_id],
        details={"episode": row.id, "before": {k: str(v) for k, v in before.items()}},
    )
    return custody_view(session, row, _read(actor, ctx, session, row))


def transfer_custody(session: Session, *, actor: Actor, episode_id: int, to: str, on: date) -> View:
    """Move a prisoner to another establishment, which then holds the record."""
    ctx = load_context(session, actor)
    row = _episode(session, episode_id)
    _require_update(session, actor, ctx, row)
    decision = _read(actor, ctx, session, row)  # as the sender sees it, before it goes
    target = _prison(session, to, "to")
    if target.id == row.establishment_id:
        raise InvalidData([FieldError("to", to, "a prison other than the one holding them now")])
    if on < row.received_on:
        raise InvalidData(
            [FieldError("on", on.isoformat(), f"a date on or after {row.received_on}")]
        )
    session.add(
        CustodyTransferRow(
            episode_id=row.id, from_id=row.establishment_id, to_id=target.id, transferred_on=on
        )
    )
    row.establishment_id = target.id
    row.owner_id = target.id
    row.updated_at = utcnow()
    session.flush()
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="custody.transferred",
        records=[row.person_id],
        recipients=[target.code] if target.code != actor.agency_code else [],
        details={"episode": row.id, "to": target.code, "on": on.isoformat()},
    )
    return custody_view(session, row, decision)


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
    owner = agency_names(session, [row.owner_id])[row.owner_id][0]
    facts = person_facts(session, [row.person_id], ctx.on).get(row.person_id)
    decision = decide(
        actor=actor, action=Action.READ, resource=custody_resource(row, owner, facts), ctx=ctx
    )
    if not decision.allowed:
        raise missing
    view = custody_view(session, row, decision)
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="prison.custody_viewed",
        records=[row.person_id],
        purpose=purpose,
        details={"episode": row.id},
    )
    return view


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
    query = select(CustodyEpisodeRow).order_by(CustodyEpisodeRow.received_on.desc())
    if establishment:
        query = query.join(AgencyRow, AgencyRow.id == CustodyEpisodeRow.establishment_id).where(
            AgencyRow.code == establishment
        )
    if person_id is not None:
        query = query.where(CustodyEpisodeRow.person_id == person_id)
    if current_only:
        query = query.where(CustodyEpisodeRow.released_on.is_(None))
    rows = list(session.scalars(query.limit(limit)))
    views = custody_views(session, actor, ctx, rows)
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="prison.custody_listed",
        records=sorted({int(v["person_id"]) for v in views}),  # type: ignore[call-overload]
        details={"establishment": establishment, "person": person_id, "shown": len(views)},
    )
    return views


def custody_views(
    session: Session, actor: Actor, ctx: PolicyContext, rows: list[CustodyEpisodeRow]
) -> list[View]:
    """The episodes among `rows` the actor may see (others are left out silently).

    Not audited: the caller's own read event names what was shown.
    """
    if not rows:
        return []
    owners = agency_names(session, {r.owner_id for r in rows})
    facts = person_facts(session, {r.person_id for r in rows}, ctx.on)
    views = []
    for row in rows:
        resource = custody_resource(row, owners[row.owner_id][0], facts.get(row.person_id))
        decision = decide(actor=actor, action=Action.READ, resource=resource, ctx=ctx)
        if decision.allowed:
            views.append(custody_view(session, row, decision))
    return views


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
    for view in custody_views(session, actor, ctx, rows):
        found.setdefault(int(view["person_id"]), []).append(view)  # type: ignore[call-overload]
    return {
        person: tuple(sorted(views, key=lambda v: not v.get("in_custody", False)))
        for person, views in found.items()
    }


def _episode(session: Session, episode_id: int) -> CustodyEpisodeRow:
    row = session.get(CustodyEpisodeRow, episode_id) if is_stored_id(episode_id) else None
    if row is None:
        raise NotFound(f"no custody episode with id {episode_id}")
    return row


def _require_update(
    session: Session, actor: Actor, ctx: PolicyContext, row: CustodyEpisodeRow
) -> None:
    owner = agency_names(session, [row.owner_id])[row.owner_id][0]
    facts = person_facts(session, [row.person_id], ctx.on).get(row.person_id)
    require(
        actor=actor, action=Action.UPDATE, resource=custody_resource(row, owner, facts), ctx=ctx
    )


def _read(actor: Actor, ctx: PolicyContext, session: Session, row: CustodyEpisodeRow) -> Decision:
    if actor.is_system:  # a console import or a job: it recorded the episode itself
        return allow("system", "the system returns what it recorded")
    owner = agency_names(session, [row.owner_id])[row.owner_id][0]
    facts = person_facts(session, [row.person_id], ctx.on).get(row.person_id)
    resource = custody_resource(row, owner, facts)
    return require(actor=actor, action=Action.READ, resource=resource, ctx=ctx)


def _apply(row: CustodyEpisodeRow, details: CustodyDetails) -> None:
    row.prison_number = prison_number(details.prison_number) or details.prison_number
    row.received_on = details.received_on
    row.sentenced_on = details.sentenced_on
    row.sentence_months = details.sentence_months
    row.category = category(details.category) or ""
    row.release_date = details.release_date
    row.parole_eligible_on = details.parole_eligible_on
    row.licence_end = details.licence_end
    row.released_on = details.released_on
    row.recalled_on = details.recalled_on
    row.marking = details.marking


def custody_items(
    session: Session, *, actor: Actor, ctx: PolicyContext, fact: EntityFacts
) -> tuple[View, ...]:
    """A person's custody episodes the actor may see, for the profile's custody section."""
    return custody_for_people(session, actor=actor, ctx=ctx, person_ids=[fact.id]).get(fact.id, ())
