"""Recording disruptions, validating their grades and following them to court.

Every call opens what it works on through policy first: a subject (or a person named)
the actor may not see is answered as a missing one (`NotFound`), and a task policy
refuses raises `Forbidden` with the reason. Every problem with the input is reported at
once (`InvalidData`, one `FieldError` per field: what was received, what was expected),
before anything is written; each write leaves one audit event in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.disruptions import store
from threadline.disruptions import vocabulary as v
from threadline.disruptions.access import readable, sees_disruption
from threadline.disruptions.types import DisruptionDraft, OutcomeDraft, TacticDraft
from threadline.errors import Conflict, FieldError, InvalidData, NotFound
from threadline.model.enums import Marking
from threadline.model.security import Actor
from threadline.policy import Action, PolicyContext, load_context, require
from threadline.policy.disruptions import DisruptionTask, disruption_resource
from threadline.storage.ids import is_stored_id
from threadline.storage.tables import CourtOutcomeRow, DisruptionRow, DisruptionTacticRow

__all__ = ["add_outcome", "find_by_source", "record_disruption", "validate"]

MAX_TEXT = 4000
MAX_TEAM = 120
MAX_MONTHS = 12 * 60  # a custodial term of more than 60 years is a typing slip
EARLIEST = date(2000, 1, 1)
POLICE_KINDS = ("force", "regional_unit")
# A county line disruption is about drugs and county lines unless the recorder says so.
DEFAULT_THEMES = {"county_line": "drugs_county_lines"}


def _missing(kind: str, entity_id: int) -> NotFound:
    return NotFound(f"no {v.word(kind, v.SUBJECT_KINDS).lower()} with id {entity_id}")


def _code(
    errors: list[FieldError],
    location: str,
    value: str | None,
    vocab: Mapping[str, str],
    what: str,
) -> str | None:
    """The code `value` (trimmed, lower case) if `vocab` knows it; else an error noted."""
    text = (value or "").strip().lower()
    if text in vocab:
        return text
    errors.append(FieldError(location, value or "", f"one of the {what}: {', '.join(vocab)}"))
    return None


def _text(
    errors: list[FieldError], location: str, value: str | None, *, limit: int, what: str | None
) -> str:
    text = (value or "").strip()
    if what is not None and not text:
        errors.append(FieldError(location, value or "", what))
    elif len(text) > limit:
        errors.append(
            FieldError(location, f"{len(text)} characters", f"at most {limit} characters")
        )
    return text


def _day(
    errors: list[FieldError], location: str, value: date | None, *, on: date, what: str
) -> None:
    if value is None:
        errors.append(FieldError(location, "", what))
    elif value > on:
        errors.append(
            FieldError(location, value.isoformat(), f"a date on or before today ({on.isoformat()})")
        )
    elif value < EARLIEST:
        errors.append(
            FieldError(location, value.isoformat(), f"a date from {EARLIEST.isoformat()}")
        )


def _recording_force(draft: DisruptionDraft, actor: Actor) -> str:
    """The force named by the draft, else the recorder's own: a default, not a decision
    (policy decides whether the recorder may record for the force this returns)."""
    own = actor.agency_code
    named = _plain(draft.agency_code)
    return named or own


def _plain(value: str | None) -> str:
    """A code as given, trimmed and in lower case ("" for none)."""
    return (value or "").strip().lower()


def find_by_source(
    session: Session, *, agency_code: str, source_system: str, source_id: str
) -> int | None:
    """The id of the disruption a force recorded with this source reference, if any (for
    idempotent imports; the caller decides whether it may see it)."""
    agency = store.agency_by_code(session, agency_code)
    if agency is None:
        return None
    return session.scalar(
        select(DisruptionRow.id).where(
            DisruptionRow.agency_id == agency.id,
            DisruptionRow.source_system == source_system,
            DisruptionRow.source_id == source_id,
        )
    )


def _check_tactics(
    session: Session,
    errors: list[FieldError],
    tactics: tuple[TacticDraft, ...],
    *,
    people: set[int],
) -> list[DisruptionTacticRow]:
    rows: list[DisruptionTacticRow] = []
    if not tactics:
        errors.append(FieldError("tactics", "none", "at least one tactic, e.g. arrest or seizure"))
    for number, tactic in enumerate(tactics, start=1):
        where = f"tactic {number}"
        code = _code(errors, f"{where} tactic", tactic.tactic, v.TACTICS, "tactics")
        unit = (tactic.unit or "").strip() or None
        if unit is not None and unit not in v.UNITS:
            errors.append(FieldError(f"{where} unit", unit, f"one of {', '.join(v.UNITS)}"))
        if tactic.quantity is not None:
            if tactic.quantity < 0:
                errors.append(
                    FieldError(f"{where} quantity", str(tactic.quantity), "a quantity of 0 or more")
                )
            elif unit is None:
                errors.append(
                    FieldError(
                        f"{where} unit", "", f"the unit of the quantity: {', '.join(v.UNITS)}"
                    )
                )
        if tactic.person_id is not None and tactic.person_id not in people:
            errors.append(
                FieldError(
                    f"{where} person", str(tactic.person_id), "a person you can find by searching"
                )
            )
        detail = _text(errors, f"{where} detail", tactic.detail, limit=MAX_TEXT, what=None)
        if code:
            rows.append(
                DisruptionTacticRow(
                    tactic=code,
                    quantity=tactic.quantity,
                    unit=unit,
                    person_id=tactic.person_id,
                    detail=detail,
                )
            )
    return rows


def _people_seen(session: Session, actor: Actor, ctx: PolicyContext, ids: set[int]) -> set[int]:
    wanted = {i for i in ids if is_stored_id(i)}
    seen = readable(session, actor=actor, ctx=ctx, ids=wanted)
    return {i for i in wanted if seen.kinds.get(i) == "person"}


def record_disruption(
    session: Session, *, actor: Actor, draft: DisruptionDraft, at: datetime | None = None
) -> int:
    """Record a disruption and its tactics; its id. Nothing is written on any error.

    Raises `NotFound` for a subject the actor may not see (or that does not exist, or is
    not of the kind given), `Forbidden` when policy refuses the recording, `Conflict` for
    a source reference the force already used, and `InvalidData` naming every bad field.
    `at` (naive UTC, default now) is when it was recorded: the demo writes history.
    """
    ctx = load_context(session, actor)
    on = at.date() if at else ctx.on
    errors: list[FieldError] = []
    kind = _code(errors, "subject_kind", draft.subject_kind, v.SUBJECT_KINDS, "subjects")
    # The subject first: one the actor may not see is answered as a missing one.
    if kind in ("group", "county_line", "person"):
        if draft.entity_id is None:
            errors.append(
                FieldError(
                    "subject",
                    "",
                    f"the {v.word(kind, v.SUBJECT_KINDS).lower()}, found by searching",
                )
            )
        else:
            seen = readable(
                session,
                actor=actor,
                ctx=ctx,
                ids=[draft.entity_id] if is_stored_id(draft.entity_id) else [],
            )
            if seen.kinds.get(draft.entity_id) != kind:
                raise _missing(kind, draft.entity_id)
    elif kind == "theme" and draft.entity_id is not None:
        errors.append(
            FieldError(
                "subject", str(draft.entity_id), "no record for a threat theme: the theme alone"
            )
        )
    # The recording force: the one named, else the recorder's own (policy decides below
    # whether the recorder may record for it).
    force_code = _recording_force(draft, actor)
    force = store.agency_by_code(session, force_code)
    if force is None or force.kind not in POLICE_KINDS:
        errors.append(
            FieldError("force", force_code, "a police force or the regional unit, by its code")
        )
    marking = (draft.marking or "").strip().upper() or Marking.OFFICIAL.value
    if marking not in {m.value for m in Marking}:
        errors.append(
            FieldError("marking", draft.marking, f"one of {', '.join(m.value for m in Marking)}")
        )
        marking = Marking.OFFICIAL.value
    if force is not None and force.kind in POLICE_KINDS:
        require(
            actor=actor,
            action=Action.CREATE,
            resource=disruption_resource(DisruptionTask.RECORD, owner=force.code, marking=marking),
            ctx=ctx,
        )
    theme_text = (draft.theme or "").strip() or (DEFAULT_THEMES.get(kind or "") or "")
    theme = _code(errors, "theme", theme_text, v.THEMES, "threat themes")
    strand = _code(errors, "strand", draft.strand, v.STRANDS, "4P strands")
    grade = _code(errors, "claimed_grade", draft.claimed_grade, v.GRADES, "grades")
    rationale = _text(
        errors,
        "rationale",
        draft.rationale,
        limit=MAX_TEXT,
        what="why the grade is right: the impact on the group's capability",
    )
    _day(errors, "occurred_on", draft.occurred_on, on=on, what="the date of the disruption")
    lead_officer = None
    if draft.lead_officer_id is not None:
        lead_officer = (
            store.police_user(session, draft.lead_officer_id, POLICE_KINDS)
            if is_stored_id(draft.lead_officer_id)
            else None
        )
        if lead_officer is None:
            errors.append(
                FieldError(
                    "lead_officer",
                    str(draft.lead_officer_id),
                    "an officer of a force or the regional unit",
                )
            )
    lead_agency = None
    if draft.lead_agency_code:
        lead_agency = store.agency_by_code(session, draft.lead_agency_code)
        if lead_agency is None or lead_agency.kind in POLICE_KINDS:
            errors.append(
                FieldError(
                    "lead_agency",
                    draft.lead_agency_code,
                    "a partner organisation (housing, children's services...) by its code",
                )
            )
    team = _text(errors, "team", draft.team, limit=MAX_TEAM, what=None) or None
    summary = _text(errors, "summary", draft.summary, limit=MAX_TEXT, what=None)
    scope = (draft.scope or "region").strip().lower()
    if scope not in ("region", "agency"):
        errors.append(FieldError("scope", draft.scope, "region or agency"))
    source_id = (draft.source_id or "").strip() or None
    people = _people_seen(
        session, actor, ctx, {t.person_id for t in draft.tactics if t.person_id is not None}
    )
    tactic_rows = _check_tactics(session, errors, draft.tactics, people=people)
    if errors:
        raise InvalidData(errors)
    assert force is not None and kind and theme and strand and grade and draft.occurred_on
    if source_id and find_by_source(
        session, agency_code=force.code, source_system=draft.source_system, source_id=source_id
    ):
        raise Conflict(
            f"{force.name} already recorded a disruption with reference {source_id!r} "
            f"from {draft.source_system}"
        )
    now = at or utcnow()
    row = DisruptionRow(
        agency_id=force.id,
        subject_kind=kind,
        entity_id=draft.entity_id if kind != "theme" else None,
        theme=theme,
        strand=strand,
        claimed_grade=grade,
        rationale=rationale,
        validation="claimed",
        occurred_on=draft.occurred_on,
        lead_officer_id=draft.lead_officer_id if lead_officer else None,
        lead_agency_id=lead_agency.id if lead_agency else None,
        team=team,
        summary=summary,
        source_system=draft.source_system,
        source_id=source_id,
        marking=marking,
        scope=scope,
        created_by_id=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    for tactic in tactic_rows:
        tactic.disruption_id = row.id
        session.add(tactic)
    session.flush()
    record_event(
        session,
        actor=actor,
        action=AuditAction.COLLECTION,
        event="disruption.recorded",
        records=[i for i in [row.entity_id, *people] if i is not None],
        details={
            "disruption": row.id,
            "subject_kind": kind,
            "theme": theme,
            "strand": strand,
            "claimed_grade": grade,
            "tactics": [t.tactic for t in tactic_rows],
            "occurred_on": draft.occurred_on.isoformat(),
            "force": force.code,
            "lead_agency": lead_agency.code if lead_agency else None,
            "source": f"{draft.source_system}:{source_id}" if source_id else None,
        },
    )
    return row.id


def _open(
    session: Session, *, actor: Actor, ctx: PolicyContext, disruption_id: int
) -> tuple[DisruptionRow, str]:
    """The disruption and its force's code, if the actor may see it; else `NotFound`."""
    missing = NotFound(f"no disruption with id {disruption_id}")
    row = store.disruption(session, disruption_id) if is_stored_id(disruption_id) else None
    if row is None:
        raise missing
    agency = store.agencies(session, [row.agency_id])[row.agency_id]
    if not sees_disruption(
        actor=actor, ctx=ctx, owner=agency.code, marking=row.marking, scope=row.scope
    ):
        raise missing
    if row.entity_id is not None and not readable(
        session, actor=actor, ctx=ctx, ids=[row.entity_id]
    ).sees(row.entity_id):
        raise missing
    return row, agency.code


def validate(
    session: Session,
    *,
    actor: Actor,
    disruption_id: int,
    grade: str,
    reason: str = "",
    at: datetime | None = None,
) -> str:
    """A supervisor validates the claimed grade (the same grade) or regrades it (another
    grade, with a reason); the new validation state ("validated" or "regraded").

    A grade already decided is not decided again (`Conflict`).
    """
    ctx = load_context(session, actor)
    row, owner = _open(session, actor=actor, ctx=ctx, disruption_id=disruption_id)
    require(
        actor=actor,
        action=Action.UPDATE,
        resource=disruption_resource(
            DisruptionTask.VALIDATE,
            owner=owner,
            marking=row.marking,
            scope="agency" if row.scope == "agency" else "region",
            disruption_id=row.id,
            recorded_by=row.created_by_id,
        ),
        ctx=ctx,
    )
    if row.validation != "claimed":
        state = v.word(row.validation, v.VALIDATION_STATES).lower()
        raise Conflict(
            f"this disruption's grade was already {state} ({v.word(row.grade, v.GRADES).lower()})"
        )
    errors: list[FieldError] = []
    chosen = _code(errors, "grade", grade, v.GRADES, "grades")
    regraded = chosen is not None and chosen != row.claimed_grade
    text = _text(
        errors,
        "reason",
        reason,
        limit=MAX_TEXT,
        what=(
            f"why the grade is {v.word(chosen, v.GRADES).lower()} and not "
            f"{v.word(row.claimed_grade, v.GRADES).lower()} as claimed"
        )
        if regraded
        else None,
    )
    if errors:
        raise InvalidData(errors)
    assert chosen is not None
    now = at or utcnow()
    row.validation = "regraded" if regraded else "validated"
    row.grade = chosen
    row.validation_reason = text or None
    row.validated_by_id = actor.user_id
    row.validated_at = now
    row.updated_at = now
    session.flush()
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="disruption.validated",
        records=[row.entity_id] if row.entity_id is not None else [],
        details={
            "disruption": row.id,
            "claimed_grade": row.claimed_grade,
            "grade": chosen,
            "validation": row.validation,
            "reason": text or None,
        },
    )
    return row.validation


def add_outcome(
    session: Session,
    *,
    actor: Actor,
    disruption_id: int,
    draft: OutcomeDraft,
    at: datetime | None = None,
) -> int:
    """Record a court outcome for a person after the disruption; its id.

    A sentence is given only at the "sentenced" stage; a custodial sentence needs its
    length in months (what custodial years are added up from).
    """
    ctx = load_context(session, actor)
    row, owner = _open(session, actor=actor, ctx=ctx, disruption_id=disruption_id)
    require(
        actor=actor,
        action=Action.UPDATE,
        resource=disruption_resource(
            DisruptionTask.OUTCOME,
            owner=owner,
            marking=row.marking,
            scope="agency" if row.scope == "agency" else "region",
            disruption_id=row.id,
            recorded_by=row.created_by_id,
        ),
        ctx=ctx,
    )
    on = at.date() if at else ctx.on
    errors: list[FieldError] = []
    if draft.person_id is None:
        errors.append(FieldError("person", "", "the person, found by searching"))
    elif draft.person_id not in _people_seen(session, actor, ctx, {draft.person_id}):
        errors.append(
            FieldError("person", str(draft.person_id), "a person you can find by searching")
        )
    stage = _code(errors, "stage", draft.stage, v.STAGES, "court stages")
    _day(errors, "on_date", draft.on_date, on=on, what="the date of the court outcome")
    if draft.on_date is not None and draft.on_date < row.occurred_on:
        errors.append(
            FieldError(
                "on_date",
                draft.on_date.isoformat(),
                f"a date on or after the disruption ({row.occurred_on.isoformat()})",
            )
        )
    offence = _text(errors, "offence", draft.offence, limit=MAX_TEXT, what=None)
    orders = _text(errors, "orders", draft.orders, limit=MAX_TEXT, what=None) or None
    sentence: str | None = None
    if stage == "sentenced":
        sentence = _code(errors, "sentence", draft.sentence, v.SENTENCES, "sentences")
    elif draft.sentence:
        errors.append(
            FieldError("sentence", draft.sentence, "no sentence before the sentenced stage")
        )
    months = draft.custodial_months
    if sentence == "custodial":
        if months is None or months <= 0:
            errors.append(
                FieldError(
                    "custodial_months",
                    "" if months is None else str(months),
                    "the custodial term in months, e.g. 54 for 4 years 6 months",
                )
            )
        elif months > MAX_MONTHS:
            errors.append(
                FieldError("custodial_months", str(months), f"at most {MAX_MONTHS} months")
            )
    elif months is not None:
        errors.append(
            FieldError(
                "custodial_months", str(months), "a custodial term only with a custodial sentence"
            )
        )
    if errors:
        raise InvalidData(errors)
    assert stage is not None and draft.on_date is not None
    outcome = CourtOutcomeRow(
        disruption_id=row.id,
        person_id=draft.person_id,
        stage=stage,
        on_date=draft.on_date,
        offence=offence,
        sentence=sentence,
        custodial_months=months if sentence == "custodial" else None,
        orders=orders,
        recorded_by_id=actor.user_id,
        created_at=at or utcnow(),
    )
    session.add(outcome)
    session.flush()
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="disruption.outcome_added",
        records=[i for i in (row.entity_id, draft.person_id) if i is not None],
        details={
            "disruption": row.id,
            "outcome": outcome.id,
            "stage": stage,
            "sentence": sentence,
            "custodial_months": outcome.custodial_months,
        },
    )
    return outcome.id
