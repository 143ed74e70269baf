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

from threadline.errors import FieldError, Forbidden, InvalidData
from threadline.justice import list_overrides
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
from threadline.web.deps import ActorDep, CsrfCheck, FormDep, SessionDep
from threadline.web.errors import audit_refusal
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


def errors_of(exc: InvalidData, fields: dict[str, str], default: str) -> list[tuple[str, str]]:
    """(field id, message) for each error: where the service said, in words."""
    found = []
    for error in exc.errors:
        location = error.location
        if location.startswith("indicator "):
            field = "ind-" + location.removeprefix("indicator ")
        else:
            field = fields.get(location, default)
        got = f" (got “{error.received}”)" if error.received.strip() else ""
        found.append((field, f"{location[:1].upper()}{location[1:]}: enter {error.expected}{got}"))
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
    """The exploitation screening tool (the same for police and partners)."""
    _, name = get_subject(session, actor=actor, person_id=person_id)
    return _screening_form(request, actor, person_id, name, {}, [])


@router.post("/people/{person_id}/screening")
def screening_submit(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, person_id: PersonId
) -> Response:
    """Score the answers, record the screening, and show the level and its reasons."""
    _, name = get_subject(session, actor=actor, person_id=person_id)
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
        return _screening_form(request, actor, person_id, name, dict(form), errors, None, 422)
    return _screening_form(request, actor, person_id, name, dict(form), [], view)


def _codes() -> list[tuple[str, str]]:
    return [(i.code, i.text) for i in DEFAULT_CONFIG.indicators]


# --------------------------------------------------------------------------- concerns


@router.get("/people/{person_id}/concern")
def concern_form(
    request: Request, session: SessionDep, actor: ActorDep, person_id: PersonId
) -> Response:
    """Raise a concern about a person: police see it as a prompt to protect."""
    _, name = get_subject(session, actor=actor, person_id=person_id)
    return _concern_form(request, actor, person_id, name, {}, [])


def _concern_form(
    request: Request, actor: ActorDep, person_id: int, name: str, values: dict[str, str],
    errors: list[tuple[str, str]], status_code: int = 200,
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
        status_code=status_code,
        title=("Error: " if errors else "") + f"Raise a concern: {name}",
    )


@router.post("/people/{person_id}/concern")
def concern_submit(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, person_id: PersonId
) -> Response:
    """Record the concern and go back to the person's safeguarding page."""
    _, name = get_subject(session, actor=actor, person_id=person_id)
    chosen = [code for code, _ in _codes() if form.get(f"ind-{code}") == "1"]
    try:
        raise_concern(
            session, actor=actor, person_id=person_id, text=form.get("text", ""), indicators=chosen
        )
    except InvalidData as exc:
        session.rollback()
        errors = errors_of(exc, {"text": "text", "indicators": "text"}, "text")
        return _concern_form(request, actor, person_id, name, dict(form), errors, 422)
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
    """Refer a person to a partner (and, where a child harms another, both children)."""
    _, name = get_subject(session, actor=actor, person_id=person_id)
    return _referral_form(request, session, actor, person_id, name, {}, [])


def _referral_form(
    request: Request, session: SessionDep, actor: ActorDep, person_id: int, name: str,
    values: dict[str, str], errors: list[tuple[str, str]], status_code: int = 200,
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
        status_code=status_code,
        title=("Error: " if errors else "") + f"Make a referral: {name}",
    )


@router.post("/people/{person_id}/referral")
def referral_submit(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, person_id: PersonId
) -> Response:
    """Make the referral (a disclosure under an agreement) and go back to the person."""
    _, name = get_subject(session, actor=actor, person_id=person_id)
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
        session.rollback()
        if isinstance(exc, Forbidden):
            audit_refusal(request, exc)  # shown on the form, and logged like every refusal
        errors = (
            errors_of(exc, {"to_agency": "to_agency", "reason": "reason"}, "harmed_by")
            if isinstance(exc, InvalidData)
            else [("to_agency", exc.detail)]
        )
        return _referral_form(request, session, actor, person_id, name, dict(form), errors, 422)
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
