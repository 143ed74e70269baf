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

from threadline.errors import FieldError, InvalidData, NotFound
from threadline.model.security import Actor
from threadline.policy import Action, View
from threadline.prison.choosing import search_people
from threadline.prison.custody import list_custody
from threadline.prison.dashboard import (
    PrisonActions,
    get_figures,
    list_members_held,
    list_unmonitored,
    prison_actions,
)
from threadline.prison.intel import list_prison_intel, prisoner_held, record_intel
from threadline.prison.plans import PlanSubject, create_plan, open_plans, plan_subject
from threadline.prison.types import IntelItem, PlanType
from threadline.prison.wording import custody_line
from threadline.storage.ids import MAX_ID, is_stored_id, typed_id
from threadline.web import drafts
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
        return _establishment(request, session, actor, allowed, done)
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


def prisoner_name(view: View) -> str:
    """A prisoner as the prison knows them: "John SMITH (A1234BC)", or the number alone."""
    given, family = str(view.get("given_names") or ""), str(view.get("family_name") or "")
    name = f"{given} {family.upper()}".strip()
    number = str(view.get("prison_number") or "")
    return f"{name} ({number})" if name and number else name or number


def _establishment(
    request: Request, session: SessionDep, actor: Actor, allowed: PrisonActions, done: str
) -> Response:
    """The prison's own page: who is held, their monitoring plans, and recent intelligence
    with who it concerns and what it matched."""
    episodes = list_custody(
        session, actor=actor, establishment=actor.agency_code, current_only=False
    )
    custody = [view for view in episodes if view.get("in_custody")]
    items = list_prison_intel(session, actor=actor, establishment=actor.agency_code, limit=50)
    members = {h.episode_id: h.groups for h in list_members_held(session, actor=actor)}
    # Each item names the prisoner by name and prison number (their latest episode here).
    named: dict[int, str] = {}
    for view in reversed(episodes):  # newest last, so the latest episode wins
        if view.get("person_id") is not None:
            named[int(view["person_id"])] = prisoner_name(view)  # type: ignore[call-overload]
    people = [int(v["person_id"]) for v in custody if v.get("person_id") is not None]  # type: ignore[call-overload]
    plans = open_plans(session, actor=actor, person_ids=people) if people else {}
    return render(
        request,
        "prison/establishment.html",
        {
            "custody": [
                (
                    view,
                    prisoner_name(view),
                    custody_line(view) or "",
                    members.get(int(view["id"]), ()),  # type: ignore[call-overload]
                    plans.get(int(view["person_id"]), []) if view.get("person_id") else None,  # type: ignore[call-overload]
                )
                for view in custody
            ],
            "items": [
                (item, item.get("prisoner") or named.get(int(item["prisoner_id"]), ""))  # type: ignore[call-overload]
                for item in items
            ],
            "done": DONE.get(done, ""),
            "custody_allowed": allowed.custody,
            "intel_allowed": allowed.intel,
            "plan_allowed": allowed.plans,
        },
        actor=actor,
        title="Prison intelligence",
    )


def _plan_form(
    request: Request,
    actor: Actor,
    values: dict[str, str],
    errors: list[tuple[str, str]],
    subject: PlanSubject,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "prison/plan_form.html",
        {
            "values": values,
            "errors": errors,
            "plan_types": [p.value for p in PlanType],
            "subject": subject,
        },
        actor=actor,
        title=("Error: " if errors else "") + f"Start a monitoring plan for {subject.name}",
        status_code=status_code,
    )


@router.get("/prison/plans/new")
def plan_form(request: Request, session: SessionDep, actor: ActorDep, person_id: int) -> Response:
    """The form to start a monitoring plan for a person in custody, named on the form."""
    if not is_stored_id(person_id):
        raise NotFound(f"no person with id {person_id} that you may see")
    subject = plan_subject(session, actor=actor, person_id=person_id)
    draft = drafts.take(request)
    if draft is not None and draft.values.get("person_id") == str(person_id):
        return _plan_form(request, actor, draft.values, draft.errors, subject)
    values = {"person_id": str(person_id), "plan_type": "", "monitored": "", "release_plan": ""}
    return _plan_form(request, actor, values | {"next_review": ""}, [], subject)


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
    path = f"/prison/plans/new?person_id={person_id}"
    return drafts.keep_and_redirect(request, path, values, errors)


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
            # Chosen by name and prison number, as the prison knows them (never by
            # Threadline's person id).
            "prisoners": [(str(v["prison_number"]), prisoner_name(v)) for v in custody],
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
    draft = drafts.take(request)
    if draft is not None:
        return _intel_form(
            request, session, actor, draft.values, draft.errors, query=q.strip()[:100]
        )
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
    return drafts.keep_and_redirect(request, "/prison/intelligence/new", values, errors)
