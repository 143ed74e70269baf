"""Prison monitoring pages.

- GET /prison: for prison intelligence officers (those policy lets record custody for
  their prison), who is held in their prison and the intelligence recorded there, with
  what it matched; for police, the figures per force and the imprisoned OCG members with
  no monitoring plan or an overdue review.
- GET/POST /prison/plans/new?person_id=: start a monitoring plan (review clock enforced).
- GET/POST /prison/intelligence/new: record a call, visit, association or find.
- /prison/custody/...: custody forms (routes/prison_custody.py).
"""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from threadline.errors import FieldError, InvalidData
from threadline.model.security import Actor
from threadline.policy import Action
from threadline.prison.choosing import search_people
from threadline.prison.custody import list_custody
from threadline.prison.dashboard import (
    get_figures,
    list_members_held,
    list_unmonitored,
    prison_actions,
)
from threadline.prison.intel import list_prison_intel, prisoner_held, record_intel
from threadline.prison.plans import create_plan
from threadline.prison.types import IntelItem, PlanType
from threadline.prison.wording import custody_line
from threadline.storage.ids import MAX_ID, typed_id
from threadline.web.deps import ActorDep, CsrfCheck, FormDep, SessionDep
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])

DONE = {
    "plan": "Monitoring plan started",
    "intel": "Prison intelligence recorded",
    "custody": "Custody record saved",
    "transferred": "Prisoner transferred",
}
PLAN_FIELDS = {"plan_type": "plan_type", "monitored": "monitored", "next_review": "next_review"}
# What the plan form says for a missing answer, in the form's words rather than codes.
PLAN_WORDING = {
    "plan_type": "Choose the type of monitoring: intelligence-led or offence-related",
    "monitored": "Enter what is monitored, for example PIN-phone calls, social visits and mail",
}
INTEL_FIELDS = {
    "kind": "kind",
    "prisoner_id": "prison_number",
    "occurred_at": "occurred_at",
    "grading": "grading",
    "conditions": "conditions",
    "number": "number",
    "duration_seconds": "duration_seconds",
    "visitor_name": "visitor_name",
    "visitor_postcode": "visitor_postcode",
    "other_id": "other_id",
    "association": "association",
    "find_type": "find_type",
    "marking": "grading",
}


def _errors(
    exc: InvalidData, fields: dict[str, str], default: str, wording: dict[str, str] | None = None
) -> list[tuple[str, str]]:
    found = []
    for error in exc.errors:
        field = fields.get(error.location, default)
        got = f" (got “{error.received}”)" if error.received.strip() else ""
        if wording and error.location in wording:
            found.append((field, wording[error.location] + got))
            continue
        label = error.location.replace("_", " ")
        found.append((field, f"{label[:1].upper()}{label[1:]}: enter {error.expected}{got}"))
    return found


@router.get("/prison")
def prison_page(
    request: Request, session: SessionDep, actor: ActorDep, force: str = "", done: str = ""
) -> Response:
    """Prison monitoring: the prison's own list, or the inspection's measure for police."""
    allowed = prison_actions(session, actor=actor)
    if Action.CREATE in allowed.custody:  # a prison's intelligence officer: their prison
        custody = list_custody(session, actor=actor, establishment=actor.agency_code)
        items = list_prison_intel(session, actor=actor, establishment=actor.agency_code, limit=50)
        members = {h.episode_id: h.groups for h in list_members_held(session, actor=actor)}
        return render(
            request,
            "prison/establishment.html",
            {
                "custody": [
                    (view, custody_line(view) or "", members.get(int(view["id"]), ()))  # type: ignore[call-overload]
                    for view in custody
                ],
                "items": items,
                "done": DONE.get(done, ""),
                "custody_allowed": allowed.custody,
                "intel_allowed": allowed.intel,
            },
            actor=actor,
            title="Prison intelligence",
        )
    figures = get_figures(session, actor=actor)
    rows = list_unmonitored(session, actor=actor, force=force or None)
    return render(
        request,
        "prison/dashboard.html",
        {
            "figures": figures,
            "rows": rows,
            "force": force,
            "forces": [f.force for f in figures],
            "done": DONE.get(done, ""),
            "plan_allowed": allowed.plans,
        },
        actor=actor,
        title="Prison monitoring",
    )


def _plan_form(
    request: Request,
    actor: Actor,
    values: dict[str, str],
    errors: list[tuple[str, str]],
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "prison/plan_form.html",
        {"values": values, "errors": errors, "plan_types": [p.value for p in PlanType]},
        actor=actor,
        title=("Error: " if errors else "") + "Start a monitoring plan",
        status_code=status_code,
    )


@router.get("/prison/plans/new")
def plan_form(request: Request, actor: ActorDep, person_id: int) -> Response:
    """The form to start a monitoring plan for a person in custody."""
    values = {"person_id": str(person_id), "plan_type": "", "monitored": "", "release_plan": ""}
    return _plan_form(request, actor, values | {"next_review": ""}, [])


@router.post("/prison/plans/new")
def plan_submit(request: Request, session: SessionDep, actor: ActorDep, form: FormDep) -> Response:
    """Start the plan, or show the form again with what to correct."""
    keys = ("person_id", "plan_type", "monitored", "release_plan", "next_review")
    values = {key: form.get(key, "").strip() for key in keys}
    errors: list[tuple[str, str]] = []
    review: date | None = None
    if values["next_review"]:
        try:
            review = date.fromisoformat(values["next_review"])
        except ValueError:
            errors.append(("next_review", "Next review: enter a date as YYYY-MM-DD"))
    person_id = typed_id(values["person_id"])
    if person_id is None or person_id > MAX_ID:
        raise InvalidData([FieldError("person_id", values["person_id"], "a person's id")])
    if not errors:
        try:
            create_plan(
                session,
                actor=actor,
                settings=request.app.state.settings,
                person_id=person_id,
                plan_type=values["plan_type"],
                monitored=values["monitored"],
                release_plan=values["release_plan"],
                next_review=review,
            )
        except InvalidData as exc:
            errors = _errors(exc, PLAN_FIELDS, "monitored", PLAN_WORDING)
        else:
            return RedirectResponse("/prison?done=plan", status_code=303)
    return _plan_form(request, actor, values, errors, status_code=422)


def _intel_form(
    request: Request,
    session: SessionDep,
    actor: Actor,
    values: dict[str, str],
    errors: list[tuple[str, str]],
    status_code: int = 200,
    query: str = "",
) -> Response:
    custody = list_custody(session, actor=actor, establishment=actor.agency_code)
    # The visitor or cell mate is chosen from a search over records the prison may see.
    found = search_people(session, actor=actor, text=query) if query else None
    return render(
        request,
        "prison/intel_form.html",
        {
            "values": values,
            "errors": errors,
            # Chosen by prison number, as the prison knows them (not Threadline's person id).
            "prisoners": [(str(v["prison_number"]), str(v["prison_number"])) for v in custody],
            "query": query,
            "searched": found is not None,
            "others": [(str(c.person_id), c.label) for c in found or []],
        },
        actor=actor,
        title=("Error: " if errors else "") + "Record prison intelligence",
        status_code=status_code,
    )


_INTEL_KEYS = (
    "kind",
    "prison_number",
    "occurred_at",
    "grading",
    "conditions",
    "number",
    "duration_seconds",
    "visitor_name",
    "visitor_postcode",
    "other_id",
    "association",
    "find_type",
    "notes",
)


@router.get("/prison/intelligence/new")
def intel_form(request: Request, session: SessionDep, actor: ActorDep, q: str = "") -> Response:
    """The form to record a call, visit, association or find (`q`: find the visitor or
    cell mate's record)."""
    values = dict.fromkeys(_INTEL_KEYS, "")
    return _intel_form(request, session, actor, values, [], query=q.strip()[:100])


@router.post("/prison/intelligence/new")
def intel_submit(request: Request, session: SessionDep, actor: ActorDep, form: FormDep) -> Response:
    """Record the item, or show the form again with what to correct."""
    values = {key: form.get(key, "").strip() for key in _INTEL_KEYS}
    errors: list[tuple[str, str]] = []
    prisoner = prisoner_held(session, actor=actor, prison_number=values["prison_number"])
    if prisoner is None:
        errors.append(
            (
                "prison_number",
                "Prison number: choose a prisoner held here (one recorded by their details "
                "can have intelligence recorded once police have matched their record)",
            )
        )
    when: datetime | None = None
    try:
        when = datetime.fromisoformat(values["occurred_at"])
    except ValueError:
        errors.append(("occurred_at", "When: enter a date and time as YYYY-MM-DD HH:MM"))
    numbers = {}
    for key in ("duration_seconds", "other_id"):
        number = typed_id(values[key])
        whole = number is not None and number <= MAX_ID
        if values[key] and not whole:
            errors.append((key, f"{key.replace('_', ' ').capitalize()}: enter a whole number"))
        numbers[key] = number if whole else None
    if not errors and prisoner is not None and when is not None:
        try:
            record_intel(
                session,
                actor=actor,
                item=IntelItem(
                    kind=values["kind"],
                    prisoner_id=prisoner,
                    occurred_at=when.replace(tzinfo=None),
                    grading=values["grading"],
                    conditions=values["conditions"] or None,
                    number=values["number"] or None,
                    duration_seconds=numbers["duration_seconds"],
                    visitor_name=values["visitor_name"],
                    visitor_postcode=values["visitor_postcode"] or None,
                    other_id=numbers["other_id"],
                    association=values["association"],
                    find_type=values["find_type"],
                    notes=values["notes"],
                ),
            )
        except InvalidData as exc:
            errors = _errors(exc, INTEL_FIELDS, "notes")
        else:
            return RedirectResponse("/prison?done=intel", status_code=303)
    values["other_id"] = ""  # not echoed: a refused record and a missing one read the same
    return _intel_form(request, session, actor, values, errors, status_code=422)
