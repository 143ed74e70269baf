"""Writing threat notices: drafting one about a record, and withdrawing it.

A draft is checked in full before anything is written, and every problem is reported at
once on the field it belongs to (`InvalidData`). Its grading comes from the sanitised
report it was made from — a notice from code C material is code C, with the same
mandatory conditions and restriction — or is given explicitly (code C with conditions and,
if they restrict who may receive it, `restricted_to`). The restriction is kept on the
notice, so it holds even when the report it came from is erased.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.audit.log import lock_chain
from threadline.clock import utcnow
from threadline.errors import Conflict, FieldError, InvalidData, NotFound
from threadline.intel import validation as v
from threadline.intel.records import known_user_id, load_sanitised
from threadline.intel.refs import ref_prefix
from threadline.model.enums import AgencyKind, Marking
from threadline.model.events import Grading, HandlingCode
from threadline.model.security import Actor
from threadline.notices.groups import groups_of
from threadline.notices.records import (
    Audience,
    AudienceKind,
    Status,
    describe,
    load_notice,
)
from threadline.notices.types import NoticeView
from threadline.notices.views import view_of
from threadline.ocg import lro_label
from threadline.policy import Action, Resource, ResourceKind, decide, entity_facts, load_context
from threadline.policy import require as require_policy
from threadline.policy.context import split_words
from threadline.policy.sharing import offered_partners, receives_under_agreements
from threadline.storage.reference import get_agency
from threadline.storage.sharing_tables import NoticeAudienceRow, ThreatNoticeRow
from threadline.storage.tables import AgencyRow, AreaRow, OrganisationRow, UserRow

SUBJECT_KINDS = ("person", "organisation", "county_line", "phone", "vehicle", "location")
MAX_TITLE = 200
MAX_CONTACT = 200


def parse_audience(text: str) -> Audience | None:
    """`area:norwich`, `agency:norfolk-cads` or `region`; None if it is none of those."""
    word = text.strip().lower()
    if word == "region":
        return Audience(AudienceKind.REGION)
    kind, sep, code = word.partition(":")
    if not sep or not code.strip() or kind not in (AudienceKind.AREA, AudienceKind.AGENCY):
        return None
    return Audience(AudienceKind(kind), code.strip())


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
            select(UserRow.display_name, UserRow.username, UserRow.email)
            .join(OrganisationRow, OrganisationRow.lro_id == UserRow.id)
            .where(OrganisationRow.entity_id == group_id)
        ).first()
        if found is not None:
            return lro_label(*found)
    user = session.get(UserRow, actor.user_id) if actor.user_id is not None else None
    if user is not None:
        return lro_label(user.display_name, user.username, user.email)
    return actor.username


def _text(errors: list[FieldError], name: str, value: str, expected: str, limit: int) -> str:
    cleaned = value.strip()
    if not cleaned:
        errors.append(FieldError(name, value, expected))
    elif len(cleaned) > limit:
        errors.append(FieldError(name, f"{len(cleaned)} characters", f"at most {limit}"))
    return cleaned


def _review_date(errors: list[FieldError], value: date | str | None, today: date) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        errors.append(FieldError("review_date", "", "the date to review the notice by"))
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            errors.append(FieldError("review_date", str(value), "a real date as YYYY-MM-DD"))
            return None
    if value <= today:
        errors.append(
            FieldError(
                "review_date", value.isoformat(), f"a date after today ({today.isoformat()})"
            )
        )
        return None
    return value


def _audiences(
    session: Session, errors: list[FieldError], given: Sequence[Audience | str], owner: str
) -> list[Audience]:
    found: list[Audience] = []
    for index, item in enumerate(given):
        audience = item if isinstance(item, Audience) else parse_audience(item)
        where = f"audiences[{index}]"
        if audience is None:
            errors.append(
                FieldError(where, str(item), "area:<area code>, agency:<partner code> or region")
            )
            continue
        if audience.kind is AudienceKind.AREA:
            if session.scalar(select(AreaRow.id).where(AreaRow.code == audience.code)) is None:
                errors.append(FieldError(where, audience.code, "a policing area code"))
                continue
        elif audience.kind is AudienceKind.AGENCY:
            kind = session.scalar(select(AgencyRow.kind).where(AgencyRow.code == audience.code))
            if kind is None:
                errors.append(FieldError(where, audience.code, "a partner organisation code"))
                continue
            if not receives_under_agreements(AgencyKind(kind)) or audience.code == owner:
                errors.append(
                    FieldError(
                        where,
                        audience.code,
                        "a partner organisation (police receive notices as the region or "
                        "the frontline of an area)",
                    )
                )
                continue
        if audience not in found:
            found.append(audience)
    if not given:
        errors.append(
            FieldError(
                "audiences",
                "",
                "at least one audience: the frontline of an area, a partner, or the region",
            )
        )
    return found


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
    lock_chain(session)
    ctx = load_context(session, actor)
    require_policy(
        actor=actor,
        action=Action.CREATE,
        resource=Resource(kind=ResourceKind.THREAT_NOTICE, owner=actor.agency_code),
        ctx=ctx,
    )
    errors: list[FieldError] = []
    facts = entity_facts(session, [subject_id], on=ctx.on).get(subject_id)
    if facts is None or facts.kind not in SUBJECT_KINDS:
        errors.append(
            FieldError(
                "subject_id",
                str(subject_id),
                "the id of a person, group, county line, phone, vehicle or address",
            )
        )
    elif not decide(actor=actor, action=Action.READ, resource=facts.resource(), ctx=ctx).allowed:
        errors.append(FieldError("subject_id", str(subject_id), "a record you may read"))
    title = _text(errors, "title", title, "a short title for the notice", MAX_TITLE)
    threat = _text(errors, "threat", threat, "what the threat is", 5000)
    action = _text(errors, "action", action, "what the reader should do", 5000)
    place = place.strip()[:2000]
    review = _review_date(errors, review_date, ctx.on)

    floor = Marking.OFFICIAL
    source_eval: str | None
    intel_eval: str | None
    handling: str
    conditions: str | None
    sanitised_row_id: int | None = None
    restriction = sorted({w.strip().lower() for w in restricted_to if w.strip()})
    if sanitised_id not in (None, ""):
        assert sanitised_id is not None
        try:
            loaded = load_sanitised(session, sanitised_id, on=ctx.on)
        except NotFound:
            loaded = None
        if (
            loaded is None
            or not decide(
                actor=actor, action=Action.READ, resource=loaded.resource, ctx=ctx
            ).allowed
        ):
            errors.append(
                FieldError("sanitised_id", str(sanitised_id), "a sanitised report you may read")
            )
            source_eval = intel_eval = conditions = None
            handling = HandlingCode.PERMITTED.value
        else:
            original = loaded.row
            sanitised_row_id = original.id
            source_eval, intel_eval = original.source_eval, original.intel_eval
            handling, conditions = original.handling, original.conditions
            floor = Marking(original.marking)
            if restriction:
                errors.append(
                    FieldError(
                        "restricted_to",
                        ",".join(restriction),
                        f"no restriction: it is carried from the sanitised report {original.ref}",
                    )
                )
            restriction = (
                sorted(split_words(original.restricted_to))
                if handling == HandlingCode.CONDITIONS.value
                else []
            )
            if grading is not None:
                errors.append(
                    FieldError(
                        "grading",
                        str(grading),
                        f"no grading: it is carried from the sanitised report {original.ref}",
                    )
                )
    elif grading is not None:
        errors += v.grading_errors(grading, restriction)
        errors += v.restriction_errors(session, restriction)
        source_eval, intel_eval = str(grading.source), str(grading.intelligence)
        handling = str(grading.handling)
        conditions = (grading.conditions or "").strip() or None
    else:
        errors.append(
            FieldError(
                "grading",
                "",
                "a sanitised report to carry the grading from, or a 3x5x2 grading",
            )
        )
        source_eval = intel_eval = conditions = None
        handling = HandlingCode.PERMITTED.value

    chosen = v.marking_value(marking or floor.value)
    if isinstance(chosen, FieldError):
        errors.append(chosen)
    elif not decide(
        actor=actor,
        action=Action.CREATE,
        resource=Resource(kind=ResourceKind.THREAT_NOTICE, owner=actor.agency_code, marking=chosen),
        ctx=ctx,
    ).allowed:
        errors.append(
            FieldError("marking", chosen.value, f"at most your clearance ({actor.clearance.value})")
        )
    elif chosen.rank < floor.rank:
        errors.append(
            FieldError("marking", chosen.value, f"at least {floor.value}, the sanitised report's")
        )

    area_codes = sorted({a.strip() for a in areas if a.strip()}) if areas else []
    if not area_codes and facts is not None:
        area_codes = sorted(facts.areas)
    known = set(session.scalars(select(AreaRow.code).where(AreaRow.code.in_(area_codes))))
    for code in area_codes:
        if code not in known:
            errors.append(FieldError("areas", code, "a policing area code, e.g. norwich"))
    if not area_codes:
        errors.append(
            FieldError(
                "areas",
                "",
                "the policing areas the notice concerns (the subject has no recorded area)",
            )
        )
    chosen_audiences = _audiences(session, errors, audiences, actor.agency_code)
    contact_text = (contact or "").strip()[:MAX_CONTACT]
    if errors:
        raise InvalidData(errors)
    assert isinstance(chosen, Marking) and review is not None
    if not contact_text:
        contact_text = default_contact(session, actor, subject_id)[:MAX_CONTACT]

    owner_id = get_agency(session, actor.agency_code).id
    now = utcnow()
    row = ThreatNoticeRow(
        ref=_next_ref(session, actor.agency_code, now.year),
        owner_id=owner_id,
        subject_id=subject_id,
        sanitised_id=sanitised_row_id,
        title=title,
        threat=threat,
        place=place,
        action=action,
        contact=contact_text,
        areas=",".join(area_codes),
        source_eval=source_eval,
        intel_eval=intel_eval,
        handling=handling,
        conditions=conditions,
        restricted_to=",".join(restriction),
        marking=chosen.value,
        status=Status.DRAFT.value,
        review_date=review,
        created_by=known_user_id(session, actor),
        created_at=now,
    )
    session.add(row)
    session.flush()
    for audience in chosen_audiences:
        session.add(NoticeAudienceRow(notice_id=row.id, kind=audience.kind, code=audience.code))
    session.flush()
    record_event(
        session,
        actor=actor,
        action=AuditAction.COLLECTION,
        event="threat_notice.created",
        records=[subject_id],
        details={
            "ref": row.ref,
            "audiences": [str(a) for a in chosen_audiences],
            "restricted_to": restriction,
        },
    )
    described = describe(session, [row], on=ctx.on)[0]
    return view_of(actor, ctx, described)


def withdraw_notice(session: Session, *, actor: Actor, ref: str | int, reason: str) -> NoticeView:
    """Withdraw a draft or published notice, with the reason; its register stays."""
    lock_chain(session)
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
