"""Disruption pages: the list, recording one, and each disruption with its court outcomes.

- GET /disruptions: the disruptions the reader may see, filtered (force, theme, strand,
  grade, tactic, validation, month), counted after policy, paged.
- GET /disruptions/new: the form, entered from a group, county line or person page
  (`?subject=<id>`) or by searching (`?q=`); `?person_q=` searches people the tactics
  name. Works without JavaScript: each search is a GET form above the main form.
- POST /disruptions: record it; GET /disruptions/{id}: the disruption, its tactics and
  court outcomes, with the validation form for supervisors policy allows and the court
  outcome form; POST /disruptions/{id}/validation and /disruptions/{id}/outcomes.

Every POST redirects (Post/Redirect/Get); a refused form's answers and errors are kept
on the server and shown on the form's GET with a GOV.UK error summary naming each field.
Who may do what is `threadline.policy.disruptions`, asked by the service: this module
compares no role or organisation.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from threadline.clock import uk_date
from threadline.disruptions import (
    DisruptionDraft,
    DisruptionFilters,
    OutcomeDraft,
    SubjectChoice,
    TacticDraft,
    add_outcome,
    get_disruption,
    list_disruptions,
    partner_choices,
    record_disruption,
    require_record,
    search_subjects,
    sentence_totals,
    subject_choice,
    validate,
)
from threadline.disruptions import vocabulary as v
from threadline.errors import FieldError, InvalidData
from threadline.model.security import Actor
from threadline.reference.geography import FORCES
from threadline.web import page_forms
from threadline.web.deps import ActorDep, CsrfCheck, FormDep, SessionDep
from threadline.web.forms_admin import pagination
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])

DisruptionId = Annotated[int, Path(ge=1, le=2**31 - 1)]
PER_PAGE = 25
TACTIC_ROWS = 4
FILTERS = ("force", "theme", "strand", "grade", "tactic", "validation", "month")
FORM_FIELDS = (
    "subject",
    "theme",
    "strand",
    "claimed_grade",
    "rationale",
    "occurred_on",
    "lead_agency",
    "team",
    "summary",
    "marking",
    "person_q",
)
TACTIC_FIELDS = ("tactic", "quantity", "unit", "person", "detail")
OUTCOME_FIELDS = ("person", "stage", "on_date", "offence", "sentence", "custodial_months", "orders")
LABELS = {
    "subject": "Recorded against",
    "subject_kind": "Recorded against",
    "theme": "Threat theme",
    "strand": "4P strand",
    "claimed_grade": "Grade",
    "grade": "Grade",
    "rationale": "Why this grade",
    "occurred_on": "Date of the disruption",
    "on_date": "Date",
    "lead_agency": "Led by a partner",
    "team": "Team",
    "summary": "What happened",
    "marking": "Security marking",
    "tactics": "Tactics",
    "reason": "Reason for the new grade",
    "person": "Person",
    "stage": "Stage",
    "offence": "Offence",
    "sentence": "Sentence",
    "custodial_months": "Custodial term in months",
    "orders": "Orders",
    "from": "From",
    "to": "To",
}
NOTICES = {
    "recorded": "Disruption recorded",
    "validated": "Grade validated",
    "regraded": "Disruption regraded",
    "outcome": "Court outcome recorded",
}
MARKINGS = [("OFFICIAL", "Official"), ("OFFICIAL-SENSITIVE", "Official-Sensitive")]


def _field_id(location: str) -> str:
    """The form field id for a service's error location ("tactic 2 unit" -> "t2_unit")."""
    if location.startswith("tactic "):
        parts = location.split()
        if len(parts) >= 3 and parts[1].isdigit():
            return f"t{parts[1]}_{parts[2]}"
    return {"subject_kind": "subject", "lead_officer": "subject", "force": "subject"}.get(
        location, location
    )


def messages(exc: InvalidData, *, prefix: str = "") -> list[tuple[str, str]]:
    """(field id, message) for each problem: what was expected, and what was entered."""
    found = []
    for error in exc.errors:
        field = _field_id(error.location)
        if error.location.startswith("tactic "):
            number, name = error.location.split()[1], error.location.split()[-1]
            label = f"Tactic {number}: {LABELS.get(name, name).lower()}"
        else:
            label = LABELS.get(error.location, error.location.replace("_", " ").capitalize())
        if error.expected.startswith("one of "):  # a list of codes: the form offers words
            what = error.expected.removeprefix("one of ").split(":")[0]
            named = what.startswith("the ") and ":" in error.expected
            choose = f"choose one of {what} offered" if named else "choose one from the list"
            found.append((prefix + field, f"{label}: {choose}"))
            continue
        got = f" (you entered “{error.received}”)" if error.received.strip() else ""
        found.append((prefix + field, f"{label}: enter {error.expected}{got}"))
    return found


def _int(value: str) -> int | None:
    text = value.strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


def _number(location: str, value: str, errors: list[FieldError]) -> float | None:
    text = value.strip().replace(",", "").lstrip("£")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        errors.append(FieldError(location, value, "a number, e.g. 120 or 4500"))
        return None


def _date(location: str, value: str, errors: list[FieldError]) -> date | None:
    text = value.strip()
    if not text:
        return None
    try:
        if "/" in text:
            day, month, year = (int(part) for part in text.split("/"))
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        errors.append(FieldError(location, value, "a real date as DD/MM/YYYY, e.g. 14/09/2026"))
        return None


def _checked(session: Session, problems: list[FieldError], write: Callable[[], object]) -> None:
    """Run `write`, but when the form itself had problems (a number or date that could not
    be read) run it only to collect the service's own problems, in a savepoint rolled
    back: every problem is reported at once and nothing is written."""
    if not problems:
        write()
        return
    more: list[FieldError] = []
    savepoint = session.begin_nested()
    try:
        write()
    except InvalidData as exc:
        more = list(exc.errors)
    finally:
        savepoint.rollback()
    seen = {p.location for p in problems}
    raise InvalidData(problems + [e for e in more if e.location not in seen])


def _options() -> dict[str, list[tuple[str, str]]]:
    return {
        "force": [(f.code, f.name) for f in FORCES],
        "theme": list(v.THEMES.items()),
        "strand": list(v.STRANDS.items()),
        "grade": list(v.GRADES.items()),
        "tactic": list(v.TACTICS.items()),
        "validation": list(v.VALIDATION_STATES.items()),
        "unit": list(v.UNITS.items()),
        "stage": list(v.STAGES.items()),
        "sentence": list(v.SENTENCES.items()),
    }


def _filters(
    params: dict[str, str],
    subject: int | None,
    period: tuple[date | None, date | None] = (None, None),
) -> DisruptionFilters:
    return DisruptionFilters(
        force=params["force"] or None,
        theme=params["theme"] or None,
        strand=params["strand"] or None,
        grade=params["grade"] or None,
        tactic=params["tactic"] or None,
        validation=params["validation"] or None,
        month=params["month"] or None,
        entity_id=subject,
        date_from=period[0],
        date_to=period[1],
    )


@router.get("/disruptions")
def index(request: Request, session: SessionDep, actor: ActorDep, page: int = 1) -> Response:
    """The disruptions the reader may see, filtered, newest first."""
    params = {name: request.query_params.get(name, "").strip()[:40] for name in FILTERS}
    subject = _int(request.query_params.get("subject", ""))
    options = _options()
    errors: list[tuple[str, str]] = []
    # A period, as the inspection pack's links give it ("from" and "to", ISO dates).
    period_problems: list[FieldError] = []
    for name in ("from", "to"):
        params[name] = request.query_params.get(name, "").strip()[:12]
    period = (
        _date("from", params["from"], period_problems),
        _date("to", params["to"], period_problems),
    )
    if period_problems:
        errors = messages(InvalidData(period_problems))
        params["from"] = params["to"] = ""
    filters = _filters(params, subject, period)
    page = max(1, page)
    try:
        found = list_disruptions(
            session, actor=actor, filters=filters, offset=(page - 1) * PER_PAGE, limit=PER_PAGE
        )
    except InvalidData as exc:
        errors = messages(exc)
        params["month"] = ""
        found = list_disruptions(
            session,
            actor=actor,
            filters=_filters(params, subject, period),
            limit=PER_PAGE,
        )
    pages = max(1, -(-found.total // PER_PAGE))
    paged = pagination(
        list(found.items), page=min(page, pages), pages=pages, total=found.total,
        path="/disruptions", params=params,
    )  # fmt: skip
    chosen = {
        name: dict(options[name]).get(value, value)
        for name, value in params.items()
        if value and name in options
    }
    if params["month"]:
        chosen["month"] = params["month"]
    start, end = period
    if start and end:
        chosen["period"] = f"{uk_date(start)} to {uk_date(end)}"
    elif start or end:
        chosen["period"] = f"from {uk_date(start)}" if start else f"up to {uk_date(end)}"
    if subject is not None:
        params["subject"] = str(subject)
        named = next((d.subject_name for d in found.items if d.subject_name), None)
        chosen["subject"] = named or "one record"
    return render(
        request,
        "disruptions/index.html",
        {
            "paged": paged,
            "found": found,
            "values": params,
            "options": options,
            "chosen": chosen,
            "errors": errors,
            "grades": v.GRADES,
            "states": v.VALIDATION_STATES,
        },
        actor=actor,
        title="Disruptions",
        status_code=422 if errors else 200,
    )


SENTENCE_BY = {
    "force": "Force",
    "team": "Team",
    "line": "County line",
    "group": "Crime group",
}


@router.get("/disruptions/sentences")
def sentences_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """Custodial sentences secured after disruptions, by force, team, line or group."""
    by = request.query_params.get("by", "force").strip()
    by = by if by in SENTENCE_BY else "force"
    values = {
        "by": by,
        "from": request.query_params.get("from", "").strip()[:12],
        "to": request.query_params.get("to", "").strip()[:12],
    }
    problems: list[FieldError] = []
    date_from = _date("from", values["from"], problems)
    date_to = _date("to", values["to"], problems)
    errors = messages(InvalidData(problems)) if problems else []
    totals = sentence_totals(session, actor=actor, by=by, date_from=date_from, date_to=date_to)
    return render(
        request,
        "disruptions/sentences.html",
        {
            "totals": totals,
            "values": values,
            "errors": errors,
            "by_options": list(SENTENCE_BY.items()),
            "heading": SENTENCE_BY[by],
            "date_from": date_from,
            "date_to": date_to,
        },
        actor=actor,
        title=("Error: " if errors else "") + "Custodial sentences after disruptions",
        status_code=422 if errors else 200,
    )


def _new_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    values: dict[str, str],
    errors: list[tuple[str, str]] | None = None,
    query: str = "",
) -> Response:
    require_record(session, actor=actor)
    subject: SubjectChoice | None = None
    subject_ref = values.get("subject", "")
    if subject_ref and subject_ref != "theme":
        chosen_id = _int(subject_ref)
        subject = subject_choice(session, actor=actor, entity_id=chosen_id or 0)
    choices = search_subjects(session, actor=actor, text=query) if query and not subject else []
    person_query = values.get("person_q", "")
    people = search_subjects(session, actor=actor, text=person_query) if person_query else []
    people = [p for p in people if p.kind == "person"]
    if subject is not None and subject.kind == "person" and all(p.id != subject.id for p in people):
        people.insert(0, subject)
    if subject is not None and subject.kind == "county_line" and not values.get("theme"):
        values = {**values, "theme": "drugs_county_lines"}
    context: dict[str, Any] = {
        "values": values,
        "errors": errors or [],
        "subject": subject,
        "query": query,
        "choices": choices,
        "searched": bool(query) and subject is None,
        "people": [(str(p.id), p.name) for p in people],
        "person_query": person_query,
        "options": _options(),
        "grade_options": [
            (code, f"{word}: {v.GRADE_MEANINGS[code]}") for code, word in v.GRADES.items()
        ],
        "partners": partner_choices(session),
        "markings": MARKINGS,
        "rows": range(1, TACTIC_ROWS + 1),
        "subject_kinds": v.SUBJECT_KINDS,
    }
    title = ("Error: " if errors else "") + "Record a disruption"
    return render(request, "disruptions/new.html", context, actor=actor, title=title)


@router.get("/disruptions/new")
def new_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """The form to record a disruption, against a chosen subject or one found by searching
    (with the answers and errors of a refused one: Post/Redirect/Get)."""
    query = request.query_params.get("q", "").strip()[:100]
    refused = page_forms.take(request)
    if refused is not None:
        return _new_page(
            request, session, actor, values=refused.values, errors=refused.errors, query=query
        )
    values = dict.fromkeys(FORM_FIELDS, "")
    values["subject"] = request.query_params.get("subject", "").strip()[:12]
    values["person_q"] = request.query_params.get("person_q", "").strip()[:100]
    values["occurred_on"] = ""
    return _new_page(request, session, actor, values=values, query=query)


def _draft(form: dict[str, str], actor: Actor, errors: list[FieldError]) -> DisruptionDraft:
    subject = form.get("subject", "").strip()
    entity_id = _int(subject) if subject != "theme" else None
    kind = "theme" if subject == "theme" else form.get("subject_kind", "").strip()
    if not subject:
        errors.append(
            FieldError(
                "subject",
                "",
                "the group, county line or person, found by searching, or a threat theme",
            )
        )
    tactics = []
    for row in range(1, TACTIC_ROWS + 1):
        code = form.get(f"t{row}_tactic", "").strip()
        if not code:
            continue
        tactics.append(
            TacticDraft(
                tactic=code,
                quantity=_number(
                    f"tactic {row} quantity", form.get(f"t{row}_quantity", ""), errors
                ),
                unit=form.get(f"t{row}_unit", "").strip() or None,
                person_id=_int(form.get(f"t{row}_person", "")),
                detail=form.get(f"t{row}_detail", ""),
            )
        )
    return DisruptionDraft(
        subject_kind=kind,
        entity_id=entity_id,
        theme=form.get("theme", "").strip() or None,
        strand=form.get("strand", ""),
        claimed_grade=form.get("claimed_grade", ""),
        rationale=form.get("rationale", ""),
        occurred_on=_date("occurred_on", form.get("occurred_on", ""), errors),
        tactics=tuple(tactics),
        lead_officer_id=actor.user_id,
        lead_agency_code=form.get("lead_agency", "").strip() or None,
        team=form.get("team", ""),
        summary=form.get("summary", ""),
        marking=form.get("marking", "") or "OFFICIAL",
    )


@router.post("/disruptions")
def new_submit(request: Request, session: SessionDep, actor: ActorDep, form: FormDep) -> Response:
    """Record a disruption, or show the form again with what to correct."""
    values = {key: form.get(key, "").strip() for key in FORM_FIELDS}
    for row in range(1, TACTIC_ROWS + 1):
        for name in TACTIC_FIELDS:
            values[f"t{row}_{name}"] = form.get(f"t{row}_{name}", "").strip()
    problems: list[FieldError] = []
    subject = values["subject"]
    kind = "theme" if subject == "theme" else ""
    if subject and subject != "theme":
        kind = subject_choice(session, actor=actor, entity_id=_int(subject) or 0).kind
    draft = _draft({**form, "subject_kind": kind}, actor, problems)
    recorded: list[int] = []
    try:
        _checked(
            session,
            problems,
            lambda: recorded.append(record_disruption(session, actor=actor, draft=draft)),
        )
    except InvalidData as exc:
        return page_forms.refuse(request, session, "/disruptions/new", "new", values, messages(exc))
    return RedirectResponse(f"/disruptions/{recorded[0]}?done=recorded", status_code=303)


def _detail_page(
    request: Request,
    session: Session,
    actor: Actor,
    disruption_id: int,
    *,
    notice: str = "",
    errors: list[tuple[str, str]] | None = None,
    validation_values: dict[str, str] | None = None,
    outcome_values: dict[str, str] | None = None,
) -> Response:
    shown = get_disruption(session, actor=actor, disruption_id=disruption_id)
    outcome = {**dict.fromkeys(OUTCOME_FIELDS, ""), "person_q": "", **(outcome_values or {})}
    people: dict[int, str] = {}
    if shown.subject_kind == "person" and shown.subject_id and shown.subject_name:
        people[shown.subject_id] = shown.subject_name
    for tactic in shown.tactics:
        if tactic.person_id and tactic.person_name:
            people[tactic.person_id] = tactic.person_name
    for step in shown.outcomes:
        if step.person_id and step.person_name:
            people[step.person_id] = step.person_name
    query = outcome.get("person_q", "")
    if shown.may_add_outcome and query:
        for found in search_subjects(session, actor=actor, text=query):
            if found.kind == "person":
                people.setdefault(found.id, found.name)
    context: dict[str, Any] = {
        "d": shown,
        "notice": notice,
        "errors": errors or [],
        "validation": {"grade": shown.claimed_grade, "reason": "", **(validation_values or {})},
        "outcome": outcome,
        "people": [(str(pid), name) for pid, name in people.items()],
        "options": _options(),
        "grade_options": [
            (code, f"{word}: {v.GRADE_MEANINGS[code]}") for code, word in v.GRADES.items()
        ],
    }
    title = ("Error: " if errors else "") + f"Disruption: {shown.subject_name or shown.theme_label}"
    return render(
        request,
        "disruptions/detail.html",
        context,
        actor=actor,
        title=title,
    )


@router.get("/disruptions/{disruption_id}")
def detail_page(
    request: Request, session: SessionDep, actor: ActorDep, disruption_id: DisruptionId
) -> Response:
    """One disruption: subject, grade and its validation, tactics and court outcomes (with
    the answers and errors of a refused validation or outcome: Post/Redirect/Get)."""
    refused = page_forms.take(request)
    if refused is not None:
        return _detail_page(
            request, session, actor, disruption_id, errors=refused.errors,
            validation_values=refused.values_of("validation"),
            outcome_values=refused.values_of("outcome"),
        )  # fmt: skip
    done = request.query_params.get("done", "")
    values = {"person_q": request.query_params.get("person_q", "").strip()[:100]}
    return _detail_page(
        request, session, actor, disruption_id, notice=NOTICES.get(done, ""), outcome_values=values
    )


@router.post("/disruptions/{disruption_id}/validation")
def validate_submit(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    form: FormDep,
    disruption_id: DisruptionId,
) -> Response:
    """Validate or regrade the claimed grade, or show the form again with what to correct."""
    values = {"grade": form.get("grade", "").strip(), "reason": form.get("reason", "").strip()}
    try:
        state = validate(
            session,
            actor=actor,
            disruption_id=disruption_id,
            grade=values["grade"],
            reason=values["reason"],
        )
    except InvalidData as exc:
        path = f"/disruptions/{disruption_id}"
        return page_forms.refuse(request, session, path, "validation", values, messages(exc))
    return RedirectResponse(f"/disruptions/{disruption_id}?done={state}", status_code=303)


@router.post("/disruptions/{disruption_id}/outcomes")
def outcome_submit(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    form: FormDep,
    disruption_id: DisruptionId,
) -> Response:
    """Record a court outcome, or show the form again with what to correct."""
    values = {key: form.get(key, "").strip() for key in (*OUTCOME_FIELDS, "person_q")}
    problems: list[FieldError] = []
    months_text = values["custodial_months"]
    months = _int(months_text)
    if months_text and months is None:
        problems.append(
            FieldError("custodial_months", months_text, "a whole number of months, e.g. 54")
        )
    draft = OutcomeDraft(
        person_id=_int(values["person"]),
        stage=values["stage"],
        on_date=_date("on_date", values["on_date"], problems),
        offence=values["offence"],
        sentence=values["sentence"] or None,
        custodial_months=months,
        orders=values["orders"] or None,
    )
    try:
        _checked(
            session,
            problems,
            lambda: add_outcome(session, actor=actor, disruption_id=disruption_id, draft=draft),
        )
    except InvalidData as exc:
        path = f"/disruptions/{disruption_id}"
        return page_forms.refuse(request, session, path, "outcome", values, messages(exc))
    return RedirectResponse(f"/disruptions/{disruption_id}?done=outcome#outcomes", status_code=303)
