"""Reading disruptions: one, a page of them, a subject's, and the sentences they led to.

Everything is decided by policy first (`threadline.disruptions.access`): lists, counts
and totals are computed over the disruptions the reader may see, then paged. Each read
leaves an audit event.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.disruptions import store
from threadline.disruptions.access import Readable, readable, visible
from threadline.disruptions.record import POLICE_KINDS
from threadline.disruptions.types import (
    CourtOutcome,
    Disruption,
    DisruptionFilters,
    DisruptionPage,
    SentenceTotal,
    Tactic,
)
from threadline.errors import FieldError, InvalidData, NotFound
from threadline.model.security import Actor
from threadline.policy import Action, PolicyContext, decide, load_context, require
from threadline.policy.disruptions import DisruptionTask, disruption_resource, task_resource
from threadline.storage.ids import is_stored_id
from threadline.storage.tables import CourtOutcomeRow, DisruptionRow, DisruptionTacticRow

__all__ = [
    "SENTENCE_GROUPINGS",
    "SubjectChoice",
    "SubjectDisruptions",
    "for_subject",
    "get_disruption",
    "list_disruptions",
    "may_record",
    "partner_choices",
    "readable_ids",
    "require_record",
    "search_subjects",
    "sentence_totals",
]

SENTENCE_GROUPINGS = ("line", "group", "team", "force")


@dataclass(frozen=True, slots=True)
class SubjectDisruptions:
    """The disruptions of one group, county line or person, for its page."""

    entity_id: int
    total: int
    items: tuple[Disruption, ...]  # the newest few
    by_grade: dict[str, int]
    custodial_months: int
    may_record: bool
    may_read: bool = True  # False: the reader sees no disruptions (show no section)


@dataclass(frozen=True, slots=True)
class SubjectChoice:
    """A record a disruption may be recorded against, found by searching."""

    id: int
    kind: str  # group | county_line | person
    name: str


def _scope(value: str) -> str:
    return "agency" if value == "agency" else "region"


def may_record(session: Session, *, actor: Actor, ctx: PolicyContext | None = None) -> bool:
    """Whether the actor may record a disruption for their own organisation (a link)."""
    ctx = ctx or load_context(session, actor)
    resource = disruption_resource(DisruptionTask.RECORD, owner=actor.agency_code)
    return decide(actor=actor, action=Action.CREATE, resource=resource, ctx=ctx).allowed


def require_record(session: Session, *, actor: Actor) -> None:
    """Raise `Forbidden` (with policy's reason) unless the actor may record a disruption
    for their own organisation: the form is not offered to anyone else."""
    ctx = load_context(session, actor)
    resource = disruption_resource(DisruptionTask.RECORD, owner=actor.agency_code)
    require(actor=actor, action=Action.CREATE, resource=resource, ctx=ctx)


def _may(
    actor: Actor, ctx: PolicyContext, row: DisruptionRow, owner: str, task: DisruptionTask
) -> bool:
    resource = disruption_resource(
        task,
        owner=owner,
        marking=row.marking,
        scope="agency" if row.scope == "agency" else "region",
        disruption_id=row.id,
        recorded_by=row.created_by_id,
    )
    return decide(actor=actor, action=Action.UPDATE, resource=resource, ctx=ctx).allowed


def _views(
    session: Session,
    *,
    actor: Actor,
    ctx: PolicyContext,
    ids: Sequence[int],
    subjects: Readable,
    with_actions: bool = False,
) -> list[Disruption]:
    """The disruptions `ids` (already decided visible), in that order, as the reader sees them."""
    rows = store.rows(session, ids)
    tactics = store.tactics_of(session, ids)
    outcomes = store.outcomes_of(session, ids)
    people_ids = {t.person_id for ts in tactics.values() for t in ts} | {
        o.person_id for os in outcomes.values() for o in os
    }
    people = readable(session, actor=actor, ctx=ctx, ids=people_ids)
    agencies = store.agencies(
        session,
        {r.agency_id for r in rows.values()}
        | {r.lead_agency_id for r in rows.values() if r.lead_agency_id},
    )
    users = store.user_names(
        session,
        [u for r in rows.values() for u in (r.validated_by_id, r.lead_officer_id, r.created_by_id)]
        + [o.recorded_by_id for os in outcomes.values() for o in os],
    )
    found = []
    for disruption_id in ids:
        row = rows[disruption_id]
        agency = agencies[row.agency_id]
        lead = agencies.get(row.lead_agency_id) if row.lead_agency_id else None
        found.append(
            Disruption(
                id=row.id,
                agency_code=agency.code,
                agency_name=agency.name,
                subject_kind=row.subject_kind,
                subject_id=row.entity_id,
                subject_name=subjects.name(row.entity_id),
                theme=row.theme,
                strand=row.strand,
                claimed_grade=row.claimed_grade,
                grade=row.grade,
                validation=row.validation,
                rationale=row.rationale,
                validated_by=users.get(row.validated_by_id) if row.validated_by_id else None,
                validated_at=row.validated_at,
                validation_reason=row.validation_reason,
                occurred_on=row.occurred_on,
                lead_officer_id=row.lead_officer_id,
                lead_officer=users.get(row.lead_officer_id) if row.lead_officer_id else None,
                lead_agency_code=lead.code if lead else None,
                lead_agency_name=lead.name if lead else None,
                team=row.team,
                summary=row.summary,
                marking=row.marking,
                source_system=row.source_system,
                source_id=row.source_id,
                created_by=users.get(row.created_by_id) if row.created_by_id else None,
                created_at=row.created_at,
                tactics=tuple(_tactic(t, people) for t in tactics[disruption_id]),
                outcomes=tuple(_outcome(o, people, users) for o in outcomes[disruption_id]),
                may_validate=with_actions
                and row.validation == "claimed"
                and _may(actor, ctx, row, agency.code, DisruptionTask.VALIDATE),
                may_add_outcome=with_actions
                and _may(actor, ctx, row, agency.code, DisruptionTask.OUTCOME),
            )
        )
    return found


def _tactic(row: DisruptionTacticRow, people: Readable) -> Tactic:
    seen = people.sees(row.person_id)
    return Tactic(
        tactic=row.tactic,
        quantity=row.quantity,
        unit=row.unit,
        person_id=row.person_id if seen else None,
        person_name=people.name(row.person_id) if seen else None,
        detail=row.detail,
    )


def _outcome(row: CourtOutcomeRow, people: Readable, users: dict[int, str]) -> CourtOutcome:
    seen = people.sees(row.person_id)
    return CourtOutcome(
        id=row.id,
        disruption_id=row.disruption_id,
        person_id=row.person_id if seen else None,
        person_name=people.name(row.person_id) if seen else None,
        stage=row.stage,
        on_date=row.on_date,
        offence=row.offence,
        sentence=row.sentence,
        custodial_months=row.custodial_months,
        orders=row.orders,
        recorded_by=users.get(row.recorded_by_id) if row.recorded_by_id else None,
        created_at=row.created_at,
    )


def get_disruption(session: Session, *, actor: Actor, disruption_id: int) -> Disruption:
    """One disruption as the reader sees it, with what they may do to it.

    A disruption the reader may not see (or whose subject they may not see) is answered
    as a missing one (`NotFound`).
    """
    ctx = load_context(session, actor)
    missing = NotFound(f"no disruption with id {disruption_id}")
    if not is_stored_id(disruption_id):
        raise missing
    found, subjects = visible(
        session,
        actor=actor,
        ctx=ctx,
        candidates=store.candidates(session, DisruptionFilters(), ids=[disruption_id]),
    )
    if not found:
        raise missing
    view = _views(
        session, actor=actor, ctx=ctx, ids=[disruption_id], subjects=subjects, with_actions=True
    )[0]
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="disruption.viewed",
        records=sorted(
            {
                i
                for i in [
                    view.subject_id,
                    *(t.person_id for t in view.tactics),
                    *(o.person_id for o in view.outcomes),
                ]
                if i
            }
        ),
        details={"disruption": view.id},
    )
    return view


def _check_filters(filters: DisruptionFilters) -> None:
    if filters.month:
        try:
            year, month = (int(part) for part in filters.month.split("-"))
            date(year, month, 1)
        except ValueError:
            raise InvalidData(
                [FieldError("month", filters.month, "a month as YYYY-MM, e.g. 2026-09")]
            ) from None


def _visible_candidates(
    session: Session, *, actor: Actor, ctx: PolicyContext, filters: DisruptionFilters
) -> tuple[list[store.Candidate], Readable]:
    require(actor=actor, action=Action.READ, resource=task_resource(DisruptionTask.LIST), ctx=ctx)
    _check_filters(filters)
    return visible(session, actor=actor, ctx=ctx, candidates=store.candidates(session, filters))


def list_disruptions(
    session: Session,
    *,
    actor: Actor,
    filters: DisruptionFilters = DisruptionFilters(),
    offset: int = 0,
    limit: int = 25,
) -> DisruptionPage:
    """A page of the disruptions the reader may see that match, newest first; the total
    and the counts by grade and validation state are over every one they may see."""
    ctx = load_context(session, actor)
    found, subjects = _visible_candidates(session, actor=actor, ctx=ctx, filters=filters)
    offset = max(0, offset)
    limit = max(1, min(limit, 200))
    page = found[offset : offset + limit]
    items = _views(session, actor=actor, ctx=ctx, ids=[c.id for c in page], subjects=subjects)
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="disruption.listed",
        records=sorted({c.entity_id for c in page if c.entity_id is not None}),
        details={
            "filters": {k: str(val) for k, val in _filter_items(filters)},
            "shown": len(items),
            "total": len(found),
            "offset": offset,
        },
    )
    return DisruptionPage(
        items=tuple(items),
        total=len(found),
        offset=offset,
        limit=limit,
        by_grade=dict(Counter(c.grade for c in found)),
        by_validation=dict(Counter(c.validation for c in found)),
    )


def _filter_items(filters: DisruptionFilters) -> list[tuple[str, object]]:
    return [
        (name, getattr(filters, name))
        for name in filters.__dataclass_fields__
        if getattr(filters, name) is not None
    ]


def readable_ids(
    session: Session, *, actor: Actor, filters: DisruptionFilters = DisruptionFilters()
) -> list[int]:
    """Every disruption id the reader may see that matches, newest first (for returns,
    dashboards and the inspection pack; the caller audits what it shows)."""
    ctx = load_context(session, actor)
    found, _ = _visible_candidates(session, actor=actor, ctx=ctx, filters=filters)
    return [c.id for c in found]


def for_subject(
    session: Session, *, actor: Actor, entity_id: int, limit: int = 5
) -> SubjectDisruptions:
    """The disruptions of a group, county line or person the reader may see (the page's
    own read of the record decides whether the reader sees the page at all)."""
    ctx = load_context(session, actor)
    record_link = may_record(session, actor=actor, ctx=ctx)
    listing = task_resource(DisruptionTask.LIST)
    if not decide(actor=actor, action=Action.READ, resource=listing, ctx=ctx).allowed:
        return SubjectDisruptions(entity_id, 0, (), {}, 0, record_link, may_read=False)
    found, subjects = visible(
        session,
        actor=actor,
        ctx=ctx,
        candidates=store.candidates(session, DisruptionFilters(entity_id=entity_id)),
    )
    items = _views(
        session, actor=actor, ctx=ctx, ids=[c.id for c in found[:limit]], subjects=subjects
    )
    outcomes = store.outcomes_of(session, [c.id for c in found])
    months = sum(
        o.custodial_months or 0 for os in outcomes.values() for o in os if o.sentence == "custodial"
    )
    if found:
        record_event(
            session,
            actor=actor,
            action=AuditAction.CONSULTATION,
            event="disruption.listed",
            records=[entity_id],
            details={
                "filters": {"entity_id": str(entity_id)},
                "shown": len(items),
                "total": len(found),
                "offset": 0,
            },
        )
    return SubjectDisruptions(
        entity_id=entity_id,
        total=len(found),
        items=tuple(items),
        by_grade=dict(Counter(c.grade for c in found)),
        custodial_months=months,
        may_record=record_link,
    )


def sentence_totals(
    session: Session,
    *,
    actor: Actor,
    by: str = "force",
    date_from: date | None = None,
    date_to: date | None = None,
    filters: DisruptionFilters = DisruptionFilters(),
) -> list[SentenceTotal]:
    """Custodial sentences secured after disruptions, added up by "line", "group", "team"
    or "force", largest first; over the disruptions the reader may see and the custodial
    outcomes dated in the period (`date_from`..`date_to`, either open)."""
    if by not in SENTENCE_GROUPINGS:
        raise InvalidData([FieldError("by", by, f"one of {', '.join(SENTENCE_GROUPINGS)}")])
    ctx = load_context(session, actor)
    found, subjects = _visible_candidates(session, actor=actor, ctx=ctx, filters=filters)
    shown = {c.id: c for c in found}
    outcomes = [
        o
        for o in store.custodial_outcomes(session, date_from=date_from, date_to=date_to)
        if o[0] in shown
    ]
    rows = store.rows(session, {o[0] for o in outcomes})
    names = store.agency_names(session)
    months: dict[str, int] = defaultdict(int)
    people: dict[str, set[int]] = defaultdict(set)
    counted: dict[str, int] = defaultdict(int)
    disruptions: dict[str, set[int]] = defaultdict(set)
    labels: dict[str, str] = {}
    for disruption_id, person_id, term in outcomes:
        row = rows[disruption_id]
        key, label = _group_key(by, row, shown[disruption_id].agency_code, names, subjects)
        if key is None:
            continue
        labels[key] = label
        months[key] += term
        counted[key] += 1
        disruptions[key].add(disruption_id)
        if person_id is not None:
            people[key].add(person_id)
    totals = [
        SentenceTotal(
            key=key,
            label=labels[key],
            custodial_months=months[key],
            people=len(people[key]),
            outcomes=counted[key],
            disruptions=len(disruptions[key]),
        )
        for key in months
    ]
    totals.sort(key=lambda t: (-t.custodial_months, t.label))
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="disruption.sentences_viewed",
        details={
            "by": by,
            "from": date_from.isoformat() if date_from else None,
            "to": date_to.isoformat() if date_to else None,
            "rows": len(totals),
        },
    )
    return totals


def _group_key(
    by: str, row: DisruptionRow, force: str, names: dict[str, str], subjects: Readable
) -> tuple[str | None, str]:
    if by == "force":
        return force, names.get(force, force)
    if by == "team":
        return (row.team or ""), (row.team or "No team named")
    wanted = "county_line" if by == "line" else "group"
    if row.subject_kind != wanted or row.entity_id is None:
        return None, ""
    return str(row.entity_id), subjects.name(row.entity_id) or f"record {row.entity_id}"


def search_subjects(
    session: Session, *, actor: Actor, text: str, limit: int = 20
) -> list[SubjectChoice]:
    """Groups, county lines and people the actor may see whose name contains `text`, to
    record a disruption against (fewer than two characters finds nothing)."""
    if len(text.strip()) < 2:
        return []
    ctx = load_context(session, actor)
    require(actor=actor, action=Action.READ, resource=task_resource(DisruptionTask.LIST), ctx=ctx)
    found = store.search_subjects(session, text=text, limit=limit * 2)
    seen = readable(session, actor=actor, ctx=ctx, ids=[eid for eid, _, _ in found])
    choices = [
        SubjectChoice(eid, kind, seen.name(eid) or name)
        for eid, kind, name in found
        if seen.sees(eid) and seen.kinds.get(eid) == kind
    ][:limit]
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="disruption.subjects_searched",
        records=[c.id for c in choices],
        details={"found": len(choices)},
    )
    return choices


def partner_choices(session: Session) -> list[tuple[str, str]]:
    """(code, name) of the partner organisations that may lead a disruption."""
    return store.partners(session, POLICE_KINDS)


def subject_choice(session: Session, *, actor: Actor, entity_id: int) -> SubjectChoice:
    """The group, county line or person `entity_id` if the actor may see it (the form's
    chosen subject); else `NotFound`, alike for a hidden and a missing record."""
    ctx = load_context(session, actor)
    missing = NotFound(f"no group, county line or person with id {entity_id}")
    if not is_stored_id(entity_id):
        raise missing
    seen = readable(session, actor=actor, ctx=ctx, ids=[entity_id])
    kind = seen.kinds.get(entity_id)
    if kind not in ("group", "county_line", "person"):
        raise missing
    return SubjectChoice(entity_id, kind, seen.name(entity_id) or f"record {entity_id}")
