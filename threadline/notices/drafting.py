"""Writing threat notices: drafting one about a record, and withdrawing it.

A draft is checked in full before anything is written (`threadline.notices.validation`):
every problem is reported at once on the field it belongs to. Its grading comes from the
sanitised report it was made from — a notice from code C material is code C, with the
same mandatory conditions and restriction — or is given explicitly (code C with
conditions and, if they restrict who may receive it, `restricted_to`). The restriction is
kept on the notice, so it holds even when the report it came from is erased.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.errors import Conflict, FieldError, InvalidData
from threadline.intel.records import known_user_id
from threadline.intel.refs import ref_prefix
from threadline.model.enums import Marking
from threadline.model.events import (
    Grading,
    HandlingCode,
    IntelligenceAssessment,
    SourceEvaluation,
)
from threadline.model.security import Actor
from threadline.notices.groups import groups_of
from threadline.notices.records import Audience, Status, describe, load_notice
from threadline.notices.types import NoticeView
from threadline.notices.validation import MAX_CONTACT, Draft, check_draft
from threadline.notices.views import view_of
from threadline.ocg import lro_label
from threadline.policy import Action, Resource, ResourceKind, decide, load_context
from threadline.policy import require as require_policy
from threadline.policy.context import split_words
from threadline.policy.sharing import offered_partners
from threadline.storage.reference import get_agency
from threadline.storage.sharing_tables import NoticeAudienceRow, ThreatNoticeRow
from threadline.storage.tables import OrganisationRow, UserRow


def _next_ref(session: Session, owner: str, year: int) -> str:
    prefix = f"TN-{ref_prefix(owner)}-{year}-"
    last = session.scalar(
        select(func.max(ThreatNoticeRow.ref)).where(ThreatNoticeRow.ref.like(f"{prefix}%"))
    )
    number = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def default_contact(session: Session, actor: Actor, subject_id: int) -> str:
    """The LRO of the group the subject is (or belongs to), else the author."""
    for group_id in [subject_id, *groups_of(session, subject_id)]:
        found = session.execute(
            select(UserRow.display_name, UserRow.username, UserRow.email, UserRow.phone)
            .join(OrganisationRow, OrganisationRow.lro_id == UserRow.id)
            .where(OrganisationRow.entity_id == group_id)
        ).first()
        if found is not None:
            return lro_label(*found)
    user = session.get(UserRow, actor.user_id) if actor.user_id is not None else None
    if user is not None:
        return lro_label(user.display_name, user.username, user.email, user.phone)
    return actor.username


def create_notice(
    session: Session,
    *,
    actor: Actor,
    subject_id: int,
    title: str,
    threat: str,
    action: str,
    review_date: date | str | None,
    audiences: Sequence[Audience | str],
    place: str = "",
    contact: str | None = None,
    areas: Sequence[str] | None = None,
    marking: Marking | str | None = None,
    sanitised_id: int | str | None = None,
    grading: Grading | None = None,
    restricted_to: Sequence[str] = (),
) -> NoticeView:
    """Draft a notice about a record; nothing reaches anyone until it is published.

    The author must be an analyst or LRO of a police organisation who may read the
    subject (and the sanitised report, if one is given). `areas` default to the areas of
    the subject's facts; `contact` to the LRO of the subject's group. `restricted_to`
    (agency codes, agency kinds or "police") goes with an explicit code C grading only: a
    notice made from a sanitised report carries that report's restriction.
    """
    ctx = load_context(session, actor)
    require_policy(
        actor=actor,
        action=Action.CREATE,
        resource=Resource(kind=ResourceKind.THREAT_NOTICE, owner=actor.agency_code),
        ctx=ctx,
    )
    draft = check_draft(
        session,
        actor=actor,
        ctx=ctx,
        subject_id=subject_id,
        title=title,
        threat=threat,
        action=action,
        review_date=review_date,
        audiences=audiences,
        place=place,
        contact=contact,
        areas=areas,
        marking=marking,
        sanitised_id=sanitised_id,
        grading=grading,
        restricted_to=restricted_to,
    )
    row = _write(session, actor=actor, draft=draft)
    record_event(
        session,
        actor=actor,
        action=AuditAction.COLLECTION,
        event="threat_notice.created",
        records=[subject_id],
        details={
            "ref": row.ref,
            "audiences": [str(a) for a in draft.audiences],
            "restricted_to": list(draft.grading.restricted_to),
        },
    )
    described = describe(session, [row], on=ctx.on)[0]
    return view_of(actor, ctx, described)


def _write(session: Session, *, actor: Actor, draft: Draft) -> ThreatNoticeRow:
    """The draft notice and its audiences, written; the contact defaults here."""
    contact = draft.contact or default_contact(session, actor, draft.subject_id)[:MAX_CONTACT]
    carried = draft.grading
    now = utcnow()
    row = ThreatNoticeRow(
        ref=_next_ref(session, actor.agency_code, now.year),
        owner_id=get_agency(session, actor.agency_code).id,
        subject_id=draft.subject_id,
        sanitised_id=carried.sanitised_id,
        title=draft.title,
        threat=draft.threat,
        place=draft.place,
        action=draft.action,
        contact=contact,
        areas=",".join(draft.areas),
        source_eval=carried.source_eval,
        intel_eval=carried.intel_eval,
        handling=carried.handling,
        conditions=carried.conditions,
        restricted_to=",".join(carried.restricted_to),
        marking=draft.marking.value,
        status=Status.DRAFT.value,
        review_date=draft.review_date,
        created_by=known_user_id(session, actor),
        created_at=now,
    )
    session.add(row)
    session.flush()
    for audience in draft.audiences:
        session.add(NoticeAudienceRow(notice_id=row.id, kind=audience.kind, code=audience.code))
    session.flush()
    return row


def edit_notice(
    session: Session,
    *,
    actor: Actor,
    ref: str | int,
    title: str,
    threat: str,
    action: str,
    review_date: date | str | None,
    audiences: Sequence[Audience | str],
    place: str = "",
    contact: str | None = None,
    areas: Sequence[str] | None = None,
    marking: Marking | str | None = None,
    sanitised_id: int | str | None = None,
    grading: Grading | None = None,
    restricted_to: Sequence[str] = (),
) -> NoticeView:
    """Change a draft before it is published: every field but the record it is about,
    checked as a new draft is. Only those who may publish it may change it (its force's
    analysts and LROs); a published or withdrawn notice is a `Conflict` (withdraw it and
    draft another: what was sent stays as it was sent)."""
    ctx = load_context(session, actor)
    loaded = load_notice(session, ref, on=ctx.on)
    require_policy(actor=actor, action=Action.PUBLISH, resource=loaded.resource, ctx=ctx)
    row = loaded.row
    if row.status != Status.DRAFT.value:
        raise Conflict(f"{row.ref} is {row.status}, not a draft: only a draft can be changed")
    if sanitised_id is None and grading is None:  # the grading it has is kept
        sanitised_id = row.sanitised_id
        if sanitised_id is None and row.source_eval and row.intel_eval and row.handling:
            grading = Grading(
                SourceEvaluation(row.source_eval),
                IntelligenceAssessment(row.intel_eval),
                HandlingCode(row.handling),
                row.conditions,
            )
            restricted_to = restricted_to or sorted(split_words(row.restricted_to or ""))
    draft = check_draft(
        session,
        actor=actor,
        ctx=ctx,
        subject_id=row.subject_id,
        title=title,
        threat=threat,
        action=action,
        review_date=review_date,
        audiences=audiences,
        place=place,
        contact=contact,
        areas=areas,
        marking=marking,
        sanitised_id=sanitised_id,
        grading=grading,
        restricted_to=restricted_to,
    )
    carried = draft.grading
    new = {
        "sanitised_id": carried.sanitised_id,
        "title": draft.title,
        "threat": draft.threat,
        "place": draft.place,
        "action": draft.action,
        "contact": draft.contact or default_contact(session, actor, row.subject_id)[:MAX_CONTACT],
        "areas": ",".join(draft.areas),
        "source_eval": carried.source_eval,
        "intel_eval": carried.intel_eval,
        "handling": carried.handling,
        "conditions": carried.conditions,
        "restricted_to": ",".join(carried.restricted_to),
        "marking": draft.marking.value,
        "review_date": draft.review_date,
    }
    changed = sorted(name for name, value in new.items() if getattr(row, name) != value)
    for name, value in new.items():
        setattr(row, name, value)
    before = {(a.kind, a.code) for a in loaded.audiences}
    after = {(a.kind, a.code) for a in draft.audiences}
    if before != after:
        changed.append("audiences")
        for old in session.scalars(
            select(NoticeAudienceRow).where(NoticeAudienceRow.notice_id == row.id)
        ):
            session.delete(old)
        session.flush()
        for audience in draft.audiences:
            session.add(NoticeAudienceRow(notice_id=row.id, kind=audience.kind, code=audience.code))
    session.flush()
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="threat_notice.edited",
        records=[row.subject_id],
        details={
            "ref": row.ref,
            "audiences": [str(a) for a in draft.audiences],
            "changed": changed,
        },
    )
    return view_of(actor, ctx, describe(session, [row], on=ctx.on)[0])


def notice_for_editing(session: Session, *, actor: Actor, ref: str | int) -> NoticeView:
    """A draft as its editor sees it, for the form that changes it: `Forbidden` unless the
    actor may publish it, `Conflict` unless it is still a draft."""
    ctx = load_context(session, actor)
    loaded = load_notice(session, ref, on=ctx.on)
    require_policy(actor=actor, action=Action.PUBLISH, resource=loaded.resource, ctx=ctx)
    if loaded.row.status != Status.DRAFT.value:
        raise Conflict(f"{loaded.row.ref} is {loaded.row.status}: only a draft can be changed")
    return view_of(actor, ctx, loaded)


def withdraw_notice(session: Session, *, actor: Actor, ref: str | int, reason: str) -> NoticeView:
    """Withdraw a draft or published notice, with the reason; its register stays."""
    ctx = load_context(session, actor)
    loaded = load_notice(session, ref, on=ctx.on)
    require_policy(actor=actor, action=Action.PUBLISH, resource=loaded.resource, ctx=ctx)
    if not reason.strip():
        raise InvalidData([FieldError("reason", reason, "the reason for withdrawing it")])
    row = loaded.row
    if row.status == Status.WITHDRAWN.value:
        when = row.withdrawn_at.isoformat(timespec="minutes") if row.withdrawn_at else "before"
        raise Conflict(f"{row.ref} was already withdrawn on {when}: {row.withdrawn_reason}")
    row.status = Status.WITHDRAWN.value
    row.withdrawn_at = utcnow()
    row.withdrawn_reason = reason.strip()[:2000]
    session.flush()
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="threat_notice.withdrawn",
        records=[row.subject_id],
        details={"ref": row.ref, "reason": row.withdrawn_reason},
    )
    return view_of(actor, ctx, describe(session, [row], on=ctx.on)[0])


def may_write_notices(session: Session, *, actor: Actor) -> bool:
    """Whether policy lets the actor write notices: a profile then offers "Create a
    notice" about its record (the form and the service ask policy again)."""
    ctx = load_context(session, actor)
    resource = Resource(kind=ResourceKind.THREAT_NOTICE, owner=actor.agency_code)
    return decide(actor=actor, action=Action.CREATE, resource=resource, ctx=ctx).allowed


def notice_form(session: Session, *, actor: Actor) -> list[str]:
    """What the form for a new notice offers the actor: the partner organisations their
    organisation has agreements with (publishing decides each again). Raises `Forbidden`
    with the reason if the actor may not write notices."""
    ctx = load_context(session, actor)
    require_policy(
        actor=actor,
        action=Action.CREATE,
        resource=Resource(kind=ResourceKind.THREAT_NOTICE, owner=actor.agency_code),
        ctx=ctx,
    )
    return offered_partners(actor, ctx)
