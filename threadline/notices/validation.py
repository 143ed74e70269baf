"""Checking a draft threat notice before anything is written.

Every field is checked and every problem is reported at once, on the field it belongs to
(`InvalidData`). The grading is carried from the sanitised report the notice is made
from — with that report's conditions and restriction, and its marking as the lowest the
notice may have — or is given explicitly as a 3x5x2 grading. The marking may not be above
the author's clearance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.errors import FieldError, InvalidData, NotFound
from threadline.intel import validation as v
from threadline.intel.records import load_sanitised
from threadline.model.enums import AgencyKind, Marking
from threadline.model.events import Grading, HandlingCode
from threadline.model.security import Actor
from threadline.notices.records import Audience, AudienceKind
from threadline.policy import (
    Action,
    EntityFacts,
    PolicyContext,
    Resource,
    ResourceKind,
    decide,
    entity_facts,
)
from threadline.policy.context import split_words
from threadline.policy.sharing import receives_under_agreements
from threadline.storage.tables import AgencyRow, AreaRow

SUBJECT_KINDS = ("person", "organisation", "county_line", "phone", "vehicle", "location")
MAX_TITLE = 200
MAX_CONTACT = 200


@dataclass(frozen=True, slots=True)
class NoticeGrading:
    """The grading a notice carries, and the lowest marking it may have (`floor`)."""

    source_eval: str | None = None
    intel_eval: str | None = None
    handling: str = HandlingCode.PERMITTED.value
    conditions: str | None = None
    restricted_to: tuple[str, ...] = ()
    sanitised_id: int | None = None  # the sanitised report it is carried from, if any
    floor: Marking = Marking.OFFICIAL


@dataclass(frozen=True, slots=True)
class Draft:
    """A draft that passed every check, cleaned and ready to write.

    `contact` is empty when none was given: the author's default is looked up then.
    """

    subject_id: int
    title: str
    threat: str
    action: str
    place: str
    review_date: date
    grading: NoticeGrading
    marking: Marking
    areas: tuple[str, ...]
    audiences: tuple[Audience, ...]
    contact: str


def parse_audience(text: str) -> Audience | None:
    """`area:norwich`, `agency:norfolk-cads` or `region`; None if it is none of those."""
    word = text.strip().lower()
    if word == "region":
        return Audience(AudienceKind.REGION)
    kind, sep, code = word.partition(":")
    if not sep or not code.strip() or kind not in (AudienceKind.AREA, AudienceKind.AGENCY):
        return None
    return Audience(AudienceKind(kind), code.strip())


def check_draft(
    session: Session,
    *,
    actor: Actor,
    ctx: PolicyContext,
    subject_id: int,
    title: str,
    threat: str,
    action: str,
    review_date: date | str | None,
    audiences: Sequence[Audience | str],
    place: str,
    contact: str | None,
    areas: Sequence[str] | None,
    marking: Marking | str | None,
    sanitised_id: int | str | None,
    grading: Grading | None,
    restricted_to: Sequence[str],
) -> Draft:
    """The draft, cleaned; `InvalidData` naming every field at fault (see `create_notice`)."""
    errors: list[FieldError] = []
    facts = _subject(session, errors, actor=actor, ctx=ctx, subject_id=subject_id)
    title = _text(errors, "title", title, "a short title for the notice", MAX_TITLE)
    threat = _text(errors, "threat", threat, "what the threat is", 5000)
    action = _text(errors, "action", action, "what the reader should do", 5000)
    review = _review_date(errors, review_date, ctx.on)
    carried = _grading(
        session,
        errors,
        actor=actor,
        ctx=ctx,
        sanitised_id=sanitised_id,
        grading=grading,
        restricted_to=restricted_to,
    )
    chosen = _marking(errors, actor=actor, ctx=ctx, marking=marking, floor=carried.floor)
    area_codes = _areas(session, errors, areas, facts)
    chosen_audiences = _audiences(session, errors, audiences, actor.agency_code)
    if errors:
        raise InvalidData(errors)
    assert chosen is not None and review is not None
    return Draft(
        subject_id=subject_id,
        title=title,
        threat=threat,
        action=action,
        place=place.strip()[:2000],
        review_date=review,
        grading=carried,
        marking=chosen,
        areas=tuple(area_codes),
        audiences=tuple(chosen_audiences),
        contact=(contact or "").strip()[:MAX_CONTACT],
    )


def _subject(
    session: Session, errors: list[FieldError], *, actor: Actor, ctx: PolicyContext, subject_id: int
) -> EntityFacts | None:
    """The subject's facts (None if there is no such record); it must be one the actor reads."""
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
    return facts


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


def _grading(
    session: Session,
    errors: list[FieldError],
    *,
    actor: Actor,
    ctx: PolicyContext,
    sanitised_id: int | str | None,
    grading: Grading | None,
    restricted_to: Sequence[str],
) -> NoticeGrading:
    """Carried from the sanitised report if one is given, else the explicit grading."""
    restriction = tuple(sorted({w.strip().lower() for w in restricted_to if w.strip()}))
    if sanitised_id is not None and sanitised_id != "":
        return _carried(
            session,
            errors,
            actor=actor,
            ctx=ctx,
            sanitised_id=sanitised_id,
            grading=grading,
            restriction=restriction,
        )
    if grading is None:
        errors.append(
            FieldError(
                "grading",
                "",
                "a sanitised report to carry the grading from, or a 3x5x2 grading",
            )
        )
        return NoticeGrading(restricted_to=restriction)
    errors.extend(v.grading_errors(grading, restriction))
    errors.extend(v.restriction_errors(session, restriction))
    return NoticeGrading(
        source_eval=str(grading.source),
        intel_eval=str(grading.intelligence),
        handling=str(grading.handling),
        conditions=(grading.conditions or "").strip() or None,
        restricted_to=restriction,
    )


def _carried(
    session: Session,
    errors: list[FieldError],
    *,
    actor: Actor,
    ctx: PolicyContext,
    sanitised_id: int | str,
    grading: Grading | None,
    restriction: tuple[str, ...],
) -> NoticeGrading:
    """The sanitised report's grading, restriction and marking; none may be given as well."""
    try:
        loaded = load_sanitised(session, sanitised_id, on=ctx.on)
    except NotFound:
        loaded = None
    if (
        loaded is None
        or not decide(actor=actor, action=Action.READ, resource=loaded.resource, ctx=ctx).allowed
    ):
        errors.append(
            FieldError("sanitised_id", str(sanitised_id), "a sanitised report you may read")
        )
        return NoticeGrading(restricted_to=restriction)
    original = loaded.row
    if restriction:
        errors.append(
            FieldError(
                "restricted_to",
                ",".join(restriction),
                f"no restriction: it is carried from the sanitised report {original.ref}",
            )
        )
    if grading is not None:
        errors.append(
            FieldError(
                "grading",
                str(grading),
                f"no grading: it is carried from the sanitised report {original.ref}",
            )
        )
    conditional = original.handling == HandlingCode.CONDITIONS.value
    return NoticeGrading(
        source_eval=original.source_eval,
        intel_eval=original.intel_eval,
        handling=original.handling,
        conditions=original.conditions,
        restricted_to=tuple(sorted(split_words(original.restricted_to))) if conditional else (),
        sanitised_id=original.id,
        floor=Marking(original.marking),
    )


def _marking(
    errors: list[FieldError],
    *,
    actor: Actor,
    ctx: PolicyContext,
    marking: Marking | str | None,
    floor: Marking,
) -> Marking | None:
    """The marking given (default: the floor); within clearance and not below the floor."""
    chosen = v.marking_value(marking or floor.value)
    if isinstance(chosen, FieldError):
        errors.append(chosen)
        return None
    if not decide(
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
    return chosen


def _areas(
    session: Session,
    errors: list[FieldError],
    areas: Sequence[str] | None,
    facts: EntityFacts | None,
) -> list[str]:
    """The area codes given, else the subject's areas; each a known policing area."""
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
    return area_codes


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
