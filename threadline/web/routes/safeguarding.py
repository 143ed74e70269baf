"""Safeguarding pages: one screening tool for police and partners, concerns, referrals.

- /safeguarding: suggested victims (police), referrals waiting, the dashboard link.
- /people/{id}/safeguarding: a person's screenings, concerns and referrals, with actions.
- /people/{id}/screening, /people/{id}/concern, /people/{id}/referral: the forms.
- /safeguarding/referrals: referrals made or received, with the outcome form.
- /safeguarding/dashboard: consistency figures per force and area (supervisors).
- The charging safeguard's pages are in `routes/safeguarding_charging.py`.

Forms are plain POSTs that work without JavaScript; services check everything, and
each problem is shown in a GOV.UK error summary linked to its field.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from threadline.errors import FieldError, Forbidden, InvalidData, NotFound
from threadline.justice import list_overrides, person_overrides
from threadline.policy import Action, ResourceKind
from threadline.safeguarding import (
    DEFAULT_CONFIG,
    Category,
    ReferralOutcome,
    find_suggested_victims,
    get_subject,
    list_concerns,
    list_referrals,
    list_screenings,
    overview_actions,
    parse_answers,
    raise_concern,
    record_outcome,
    record_screening,
    refer,
    referral_recipients,
    respond_to_concern,
    subject_actions,
)
from threadline.stats.safeguarding import safeguarding_consistency
from threadline.web import drafts, page_forms
from threadline.web.deps import ActorDep, CsrfCheck, FormDep, SessionDep
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])

PersonId = Annotated[int, Path(ge=1, le=2**31 - 1)]
RecordId = Annotated[int, Path(ge=1, le=2**31 - 1)]
ANSWER_CHOICES = (
    ("yes:current", "Yes, now or in the last 6 months"),
    ("yes:earlier", "Yes, earlier"),
    ("no", "No"),
    ("not_known", "Not known"),
)
NOTICES = {
    "screened": "Screening recorded",
    "raised": "Concern raised: police will see it when they check this person",
    "referred": "Referral made",
    "charged": "Charge decision recorded",
    "recorded": "Safeguarding record saved",
    "responded": "Response recorded",
}


# What each answer a service may refuse is called on the forms (never its code).
FIELD_LABELS = {
    "text": "What you have seen or been told",
    "indicators": "Indicators",
    "to_agency": "Refer to",
    "reason": "Reason for the referral",
    "harmed_by": "Who harms or exploits them",
    "outcome": "Outcome",
    "response": "Police response",
    "person": "The child",
    "case_ref": "Your case reference",
    "nrm_consent": "NRM consent",
    "consent": "NRM consent",
    "rg_decision": "Reasonable grounds decision",
    "cg_decision": "Conclusive grounds decision",
    "nrm_referred_on": "Date of the NRM referral",
    "referred_on": "Date of the NRM referral",
    "rg_on": "Date of the reasonable grounds decision",
    "cg_on": "Date of the conclusive grounds decision",
}


def field_label(location: str) -> str:
    """The words a form uses for `location`: an indicator by its text, a field by its
    label ("text" is "What you have seen or been told"), else the location in words."""
    if location.startswith("indicator "):
        code = location.removeprefix("indicator ")
        return next((i.text for i in DEFAULT_CONFIG.indicators if i.code == code), code)
    words = FIELD_LABELS.get(location, location.replace("_", " "))
    return words[:1].upper() + words[1:]


def errors_of(exc: InvalidData, fields: dict[str, str], default: str) -> list[tuple[str, str]]:
    """(field id, message) for each error: where the service said, in the form's words."""
    found = []
    for error in exc.errors:
        location = error.location
        if location.startswith("indicator "):
            field = "ind-" + location.removeprefix("indicator ")
        else:
            field = fields.get(location, default)
        got = f" (got “{error.received}”)" if error.received.strip() else ""
        if location.startswith("indicator "):
            found.append((field, f"{field_label(location)}: choose one of the answers{got}"))
        else:
            found.append((field, f"{field_label(location)}: enter {error.expected}{got}"))
    return found


def indicator_sets() -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (category.label.capitalize(), [(i.code, i.text) for i in DEFAULT_CONFIG.of(category)])
        for category in Category
    ]


# --------------------------------------------------------------------------- overview


@router.get("/safeguarding")
def safeguarding_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    area: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    """Children proposed for screening (police), and referrals waiting for an outcome."""
    allowed = overview_actions(session, actor=actor)
    suggestions = (
        find_suggested_victims(session, actor=actor, area=area or None, limit=30)
        if Action.SEARCH in allowed[ResourceKind.SCREENING]
        else []
    )
    waiting = list_referrals(session, actor=actor, open_only=True, limit=30)
    return render(
        request,
        "safeguarding/index.html",
        {"suggestions": suggestions, "waiting": waiting, "area": area, "allowed": allowed},
        actor=actor,
        title="Safeguarding",
    )


@router.get("/people/{person_id}/safeguarding")
def person_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    person_id: PersonId,
    done: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """A person's screenings, concerns and referrals, and what may be done next."""
    _, name = get_subject(session, actor=actor, person_id=person_id)
    return render(
        request,
        "safeguarding/person.html",
        {
            "person_id": person_id,
            "name": name,
            "notice": NOTICES.get(done, ""),
            "screenings": list_screenings(session, actor=actor, person_id=person_id),
            "concerns": list_concerns(session, actor=actor, person_id=person_id),
            "referrals": list_referrals(session, actor=actor, person_id=person_id),
            "overrides": person_overrides(session, actor=actor, person_id=person_id),
            "allowed": subject_actions(session, actor=actor, person_id=person_id),
            "outcomes": [(o.value, o.label) for o in ReferralOutcome],
        },
        actor=actor,
        title=f"Safeguarding: {name}",
    )


# --------------------------------------------------------------------------- screening


def _screening_form(
    request: Request, actor: ActorDep, person_id: int, name: str, values: dict[str, str],
    errors: list[tuple[str, str]], result: object = None, status_code: int = 200,
) -> Response:  # fmt: skip
    return render(
        request,
        "safeguarding/screening.html",
        {
            "person_id": person_id,
            "name": name,
            "values": values,
            "errors": errors,
            "sets": indicator_sets(),
            "choices": ANSWER_CHOICES,
            "result": result,
        },
        actor=actor,
        status_code=status_code,
        title=("Error: " if errors else "") + f"Exploitation screening: {name}",
    )


@router.get("/people/{person_id}/screening")
def screening_form(
    request: Request, session: SessionDep, actor: ActorDep, person_id: PersonId
) -> Response:
    """The exploitation screening tool (the same for police and partners), with the
    answers and errors of a refused attempt (kept for this GET: Post/Redirect/Get)."""
    _, name = get_subject(session, actor=actor, person_id=person_id)
    draft = drafts.take(request)
    if draft is not None:
        return _screening_form(request, actor, person_id, name, draft.values, draft.errors)
    return _screening_form(request, actor, person_id, name, {}, [])


@router.post("/people/{person_id}/screening")
def screening_submit(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, person_id: PersonId
) -> Response:
    """Score the answers and record the screening, then show its level and reasons on a
    page of its own (a reload shows it again and records nothing more)."""
    get_subject(session, actor=actor, person_id=person_id)
    given = {code: form.get(f"ind-{code}", "") for code, _ in _codes()}
    try:
        view = record_screening(
            session,
            actor=actor,
            person_id=person_id,
            answers=parse_answers(given),
            learning_disability=form.get("learning_disability") == "1",
        )
    except InvalidData as exc:
        session.rollback()
        errors = errors_of(exc, {}, "ind-" + _codes()[0][0])
        path = f"/people/{person_id}/screening"
        return drafts.keep_and_redirect(request, path, dict(form), errors)
    return RedirectResponse(f"/people/{person_id}/screenings/{view['id']}", status_code=303)


@router.get("/people/{person_id}/screenings/{screening_id}")
def screening_result(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    person_id: PersonId,
    screening_id: RecordId,
) -> Response:
    """One screening's level and the reasons for it (where the tool sends its user)."""
    _, name = get_subject(session, actor=actor, person_id=person_id)
    found = [
        view
        for view in list_screenings(session, actor=actor, person_id=person_id)
        if view.get("id") == screening_id
    ]
    if not found:
        raise NotFound(f"no screening {screening_id} of this person that you may see")
    return _screening_form(request, actor, person_id, name, {}, [], found[0])


def _codes() -> list[tuple[str, str]]:
    return [(i.code, i.text) for i in DEFAULT_CONFIG.indicators]


# --------------------------------------------------------------------------- concerns


@router.get("/people/{person_id}/concern")
def concern_form(
    request: Request, session: SessionDep, actor: ActorDep, person_id: PersonId
) -> Response:
    """Raise a concern about a person: police see it as a prompt to protect. Shows the
    answers and errors of a refused attempt (kept for this GET: Post/Redirect/Get)."""
    _, name = get_subject(session, actor=actor, person_id=person_id)
    draft = drafts.take(request)
    if draft is not None:
        return _concern_form(request, actor, person_id, name, draft.values, draft.errors)
    return _concern_form(request, actor, person_id, name, {}, [])


def _concern_form(
    request: Request, actor: ActorDep, person_id: int, name: str, values: dict[str, str],
    errors: list[tuple[str, str]],
) -> Response:  # fmt: skip
    return render(
        request,
        "safeguarding/concern.html",
        {
            "person_id": person_id,
            "name": name,
            "values": values,
            "errors": errors,
            "sets": indicator_sets(),
        },
        actor=actor,
        title=("Error: " if errors else "") + f"Raise a concern: {name}",
    )


@router.post("/people/{person_id}/concern")
def concern_submit(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, person_id: PersonId
) -> Response:
    """Record the concern and go back to the person's safeguarding page (a refused
    concern goes back to its form, which shows what was wrong)."""
    get_subject(session, actor=actor, person_id=person_id)
    chosen = [code for code, _ in _codes() if form.get(f"ind-{code}") == "1"]
    try:
        raise_concern(
            session,
            actor=actor,
            person_id=person_id,
            text=form.get("text", ""),
            indicators=chosen,
            case_ref=form.get("case_ref", ""),
        )
    except InvalidData as exc:
        session.rollback()
        errors = errors_of(
            exc, {"text": "text", "indicators": "text", "case_ref": "case_ref"}, "text"
        )
        path = f"/people/{person_id}/concern"
        return drafts.keep_and_redirect(request, path, dict(form), errors)
    return RedirectResponse(f"/people/{person_id}/safeguarding?done=raised", status_code=303)


@router.post("/safeguarding/concerns/{concern_id}/response")
def concern_response(
    session: SessionDep, actor: ActorDep, form: FormDep, concern_id: RecordId
) -> Response:
    """Police record their response to a concern."""
    view = respond_to_concern(
        session, actor=actor, concern_id=concern_id, response=form.get("response", "")
    )
    person = view.get("person_id")
    return RedirectResponse(f"/people/{person}/safeguarding?done=responded", status_code=303)


# --------------------------------------------------------------------------- referrals


@router.get("/people/{person_id}/referral")
def referral_form(
    request: Request, session: SessionDep, actor: ActorDep, person_id: PersonId
) -> Response:
    """Refer a person to a partner (and, where a child harms another, both children); a
    refused referral's answers and errors are shown again here (Post/Redirect/Get)."""
    _, name = get_subject(session, actor=actor, person_id=person_id)
    refused = page_forms.take(request)
    if refused is not None:
        values, errors = refused.values, refused.errors
        return _referral_form(request, session, actor, person_id, name, values, errors)
    return _referral_form(request, session, actor, person_id, name, {}, [])


def _referral_form(
    request: Request, session: SessionDep, actor: ActorDep, person_id: int, name: str,
    values: dict[str, str], errors: list[tuple[str, str]],
) -> Response:  # fmt: skip
    return render(
        request,
        "safeguarding/referral.html",
        {
            "person_id": person_id,
            "name": name,
            "values": values,
            "errors": errors,
            "recipients": referral_recipients(session, actor=actor),
        },
        actor=actor,
        title=("Error: " if errors else "") + f"Make a referral: {name}",
    )


@router.post("/people/{person_id}/referral")
def referral_submit(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, person_id: PersonId
) -> Response:
    """Make the referral (a disclosure under an agreement) and go back to the person, or
    back to the form with what to correct (Post/Redirect/Get)."""
    get_subject(session, actor=actor, person_id=person_id)
    harmed_by = form.get("harmed_by", "").strip()
    try:
        if harmed_by and not harmed_by.isdigit():
            raise InvalidData([FieldError("harmed_by", harmed_by, "a person's record id")])
        refer(
            session,
            actor=actor,
            person_id=person_id,
            to_agency=form.get("to_agency", ""),
            reason=form.get("reason", ""),
            harmed_by=int(harmed_by) if harmed_by else None,
        )
    except (InvalidData, Forbidden) as exc:
        errors = (
            errors_of(exc, {"to_agency": "to_agency", "reason": "reason"}, "harmed_by")
            if isinstance(exc, InvalidData)
            else [("to_agency", exc.detail)]
        )
        path = f"/people/{person_id}/referral"
        return page_forms.refuse(request, session, path, "referral", form, errors, cause=exc)
    return RedirectResponse(f"/people/{person_id}/safeguarding?done=referred", status_code=303)


@router.get("/safeguarding/referrals")
def referrals_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    open_only: Annotated[bool, Query(alias="open")] = False,
) -> Response:
    """Referrals the user's organisation made or received, newest first."""
    return render(
        request,
        "safeguarding/referrals.html",
        {
            "referrals": list_referrals(session, actor=actor, open_only=open_only),
            "open_only": open_only,
            "outcomes": [(o.value, o.label) for o in ReferralOutcome],
        },
        actor=actor,
        title="Safeguarding referrals",
    )


@router.post("/safeguarding/referrals/{referral_id}/outcome")
def referral_outcome(
    session: SessionDep, actor: ActorDep, form: FormDep, referral_id: RecordId
) -> Response:
    """The receiving (or referring) organisation records the outcome."""
    view = record_outcome(
        session,
        actor=actor,
        referral_id=referral_id,
        outcome=form.get("outcome", ""),
        note=form.get("note", ""),
    )
    person = view.get("person_id")
    back = form.get("back", "")
    target = back if back == "/safeguarding/referrals" else f"/people/{person}/safeguarding"
    return RedirectResponse(target, status_code=303)


# --------------------------------------------------------------------------- dashboard


@router.get("/safeguarding/dashboard")
def dashboard_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """Consistency figures per force and area, with their definitions."""
    # The overrides are the dashboard's named rows: listing them asks policy whether the
    # actor reads the dashboard (and refuses, with the reason, those who do not).
    overrides = list_overrides(session, actor=actor, limit=50)
    figures = safeguarding_consistency(session).to_dict()
    return render(
        request,
        "safeguarding/dashboard.html",
        {"figures": figures, "overrides": overrides},
        actor=actor,
        title="Safeguarding consistency",
    )
