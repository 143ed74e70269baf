"""Custody episodes recorded and changed by prison intelligence officers: a new episode,
its dates (release, recall, licence) and transfers between establishments.

Each change is one COLLECTION or ALTERATION audit event named `custody.*` naming the
person (so watches on the person trip). Reading episodes is `prison.custody`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.errors import FieldError, InvalidData, InvalidValue, NotFound
from threadline.model.enums import Marking
from threadline.model.security import Actor
from threadline.model.values import PncId
from threadline.policy import (
    Action,
    EntityFacts,
    PolicyContext,
    Resource,
    ResourceKind,
    View,
    allowed_actions,
    decide,
    load_context,
    require,
)
from threadline.policy.prison import custody_about, holds_prisoners
from threadline.prison.records import (
    agency_names,
    custody_resource,
    custody_view,
    people_named,
    person_facts,
    typed_person,
)
from threadline.prison.types import CustodyDetails
from threadline.prison.validation import category, details_problems, prison_number
from threadline.storage.ids import is_stored_id
from threadline.storage.prison_tables import CustodyEpisodeRow, CustodyTransferRow
from threadline.storage.tables import AgencyRow

# The one answer for a person record that does not exist and for one the recorder may
# not see: the same field, the same words, nothing of what was sent echoed back.
UNSEEN_PERSON = FieldError(
    "person",
    "",
    "a person chosen from the search results, or the prisoner's family name, given names "
    "and date of birth",
)


def _prison(session: Session, code: str, column: str = "establishment") -> AgencyRow:
    row = session.scalar(select(AgencyRow).where(AgencyRow.code == code.strip().lower()))
    if row is None or not holds_prisoners(row.kind):
        raise InvalidData([FieldError(column, code, "the code of a prison, e.g. hmp-norwich")])
    return row


def _linked_person(
    session: Session, actor: Actor, ctx: PolicyContext, person_id: int
) -> EntityFacts | None:
    """The person's facts if the actor may link custody to them; None alike for a record
    that does not exist, is not a person, or is one the actor may not see."""
    facts = typed_person(session, person_id, ctx.on)
    if facts is None:
        return None
    decision = decide(actor=actor, action=Action.CREATE, resource=custody_about(facts), ctx=ctx)
    return facts if decision.allowed else None


def _identifier_problems(details: CustodyDetails) -> list[FieldError]:
    """A prisoner recorded without a person record needs names and a date of birth."""
    problems = []
    if not details.family_name.strip():
        problems.append(FieldError("family_name", "", "the prisoner's family name"))
    if not details.given_names.strip():
        problems.append(FieldError("given_names", "", "the prisoner's given names"))
    if details.date_of_birth is None:
        problems.append(FieldError("date_of_birth", "", "the prisoner's date of birth"))
    elif details.date_of_birth >= details.received_on:
        problems.append(
            FieldError(
                "date_of_birth",
                details.date_of_birth.isoformat(),
                f"a date of birth before the day received ({details.received_on.isoformat()})",
            )
        )
    return problems


def _pnc(text: str) -> str | FieldError | None:
    if not text.strip():
        return None
    try:
        return PncId.parse(text).value
    except InvalidValue as exc:
        return FieldError("pnc_id", text, exc.expected)


def record_custody(
    session: Session, *, actor: Actor, details: CustodyDetails, establishment: str | None = None
) -> View:
    """Record a new custody episode at the actor's prison (or `establishment`, for the
    system). Raises `InvalidData` naming each bad field, `Forbidden` for other roles.

    The prisoner is a person record the actor may see (`details.person_id`), or, with
    `person_id` None, their identifiers; police matching (`prison.linking`) later links
    such an episode to the person record they match. A `person_id` of a record the actor
    may not see is answered exactly as one that does not exist, and nothing is written.
    """
    code = actor.agency_code if establishment is None else establishment
    ctx = load_context(session, actor)
    # Policy first: may the actor record custody for this prison, at this marking?
    if details.marking in {m.value for m in Marking}:
        require(
            actor=actor,
            action=Action.CREATE,
            resource=Resource(
                kind=ResourceKind.CUSTODY, owner=code, marking=Marking(details.marking)
            ),
            ctx=ctx,
        )
    pnc = _checked_details(session, actor, ctx, details)
    prison = _prison(session, code)
    now = utcnow()
    row = CustodyEpisodeRow(
        person_id=details.person_id,
        owner_id=prison.id,
        source_system="threadline",
        source_id=f"custody-{now.timestamp()}-{details.prison_number}",
        establishment_id=prison.id,
        family_name=" ".join(details.family_name.split()),
        given_names=" ".join(details.given_names.split()),
        date_of_birth=details.date_of_birth,
        pnc_id=pnc,
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
        records=people_named(row),
        details={
            "episode": row.id,
            "establishment": prison.code,
            "prison_number": row.prison_number,
            "linked": details.person_id is not None,
        },
    )
    return _own_view(session, actor, ctx, row)


def _checked_details(
    session: Session, actor: Actor, ctx: PolicyContext, details: CustodyDetails
) -> str | None:
    """The new episode's PNC id (None if none was given), once every field is good;
    `InvalidData` naming each bad field otherwise."""
    problems = details_problems(details)
    try:
        Marking(details.marking)
    except ValueError:
        problems.append(FieldError("marking", details.marking, "a marking such as OFFICIAL"))
    pnc = _pnc(details.pnc_id)
    if isinstance(pnc, FieldError):
        problems.append(pnc)
        pnc = None
    if details.person_id is not None:
        if _linked_person(session, actor, ctx, details.person_id) is None:
            problems.append(UNSEEN_PERSON)
    else:
        problems += _identifier_problems(details)
    if problems:
        raise InvalidData(problems)
    return pnc


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
        records=people_named(row),
        details={"episode": row.id, "before": {k: str(v) for k, v in before.items()}},
    )
    return _own_view(session, actor, ctx, row)


def transfer_custody(session: Session, *, actor: Actor, episode_id: int, to: str, on: date) -> View:
    """Move a prisoner to another establishment, which then holds the record."""
    ctx = load_context(session, actor)
    row = _episode(session, episode_id)
    _require_update(session, actor, ctx, row)
    view = _own_view(session, actor, ctx, row)  # as the sender sees it, before it goes
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
        records=people_named(row),
        recipients=[target.code],
        details={"episode": row.id, "to": target.code, "on": on.isoformat()},
    )
    return view


def episode_actions(session: Session, *, actor: Actor, episode_id: int) -> frozenset[Action]:
    """What the actor may do with an episode they may read (the change and transfer forms
    are shown from it); empty for one that does not exist."""
    ctx = load_context(session, actor)
    row = session.get(CustodyEpisodeRow, episode_id) if is_stored_id(episode_id) else None
    if row is None:
        return frozenset()
    owner = agency_names(session, [row.owner_id])[row.owner_id][0]
    facts = person_facts(session, [row.person_id], ctx.on)
    person = facts.get(row.person_id) if row.person_id is not None else None
    return allowed_actions(
        actor=actor,
        resource=custody_resource(row, owner, person),
        ctx=ctx,
        actions=[Action.UPDATE],
    )


def _episode(session: Session, episode_id: int) -> CustodyEpisodeRow:
    row = session.get(CustodyEpisodeRow, episode_id) if is_stored_id(episode_id) else None
    if row is None:
        raise NotFound(f"no custody episode with id {episode_id}")
    return row


def _require_update(
    session: Session, actor: Actor, ctx: PolicyContext, row: CustodyEpisodeRow
) -> None:
    owner = agency_names(session, [row.owner_id])[row.owner_id][0]
    facts = person_facts(session, [row.person_id], ctx.on)
    person = facts.get(row.person_id) if row.person_id is not None else None
    require(
        actor=actor, action=Action.UPDATE, resource=custody_resource(row, owner, person), ctx=ctx
    )


def _own_view(session: Session, actor: Actor, ctx: PolicyContext, row: CustodyEpisodeRow) -> View:
    """The episode as the actor who recorded or changed it may read it (`Forbidden`, with
    policy's reason, if they may not: a marking above their clearance, say)."""
    owner = agency_names(session, [row.owner_id])[row.owner_id][0]
    facts = person_facts(session, [row.person_id], ctx.on)
    person = facts.get(row.person_id) if row.person_id is not None else None
    decision = require(
        actor=actor, action=Action.READ, resource=custody_resource(row, owner, person), ctx=ctx
    )
    readable = (
        person is not None
        and decide(actor=actor, action=Action.READ, resource=person.resource(), ctx=ctx).allowed
    )
    return custody_view(session, row, decision, person_shown=readable)


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
