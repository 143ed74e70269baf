"""The charging safeguard's pages (the other safeguarding pages: `routes/safeguarding.py`).

- /people/{id}/charge: record a charge or prosecution decision. Refused while the
  safeguarding record is incomplete, with a GOV.UK error summary listing each missing
  item and linking to the page that records it; the override is offered to those policy
  lets override (supervisors), with a reason.
- /people/{id}/safeguarding-record: NRM and s45 consideration.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response

from threadline.errors import FieldError, InvalidData
from threadline.justice import (
    GroundsDecision,
    NrmConsent,
    NrmRecord,
    get_safeguard,
    record_charge_decision,
    record_safeguarding,
)
from threadline.model.security import Actor
from threadline.policy import ResourceKind
from threadline.safeguarding import get_subject, subject_actions
from threadline.web import page_forms
from threadline.web.deps import ActorDep, CsrfCheck, FormDep, SessionDep
from threadline.web.routes.safeguarding import field_label
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])

PersonId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _fix_href(person_id: int, location: str) -> str:
    """Where a missing item of the safeguard is recorded."""
    if location == "screening":
        return f"/people/{person_id}/screening"
    if location == "children's front door":
        return f"/people/{person_id}/referral"
    if location in ("decision", "offence", "override reason"):
        return "#" + location.replace(" ", "_")
    return f"/people/{person_id}/safeguarding-record"


def _missing(person_id: int, errors: list[FieldError]) -> list[tuple[str, str]]:
    return [
        (
            _fix_href(person_id, e.location),
            f"{e.location[:1].upper()}{e.location[1:]}: {e.expected}",
        )
        for e in errors
    ]


def _charge_form(
    request: Request, session: SessionDep, actor: Actor, person_id: int,
    values: dict[str, str], problems: list[tuple[str, str]],
) -> Response:  # fmt: skip
    _, name = get_subject(session, actor=actor, person_id=person_id)
    state, todo = get_safeguard(session, actor=actor, person_id=person_id)
    return render(
        request,
        "safeguarding/charge.html",
        {
            "person_id": person_id,
            "name": name,
            "values": values,
            "problems": problems,
            "applies": state.applies,
            "why": state.why,
            "todo": _missing(person_id, todo),
            "allowed": subject_actions(session, actor=actor, person_id=person_id)[
                ResourceKind.CHARGE_DECISION
            ],
        },
        actor=actor,
        title=("Error: " if problems else "") + f"Record a charge decision: {name}",
    )


@router.get("/people/{person_id}/charge")
def charge_form(
    request: Request, session: SessionDep, actor: ActorDep, person_id: PersonId
) -> Response:
    """The charge decision form, with what the safeguard still waits for (and the
    answers and missing items of a refused decision: Post/Redirect/Get)."""
    refused = page_forms.take(request)
    values, problems = (refused.values, refused.errors) if refused else ({}, [])
    return _charge_form(request, session, actor, person_id, values, problems)


@router.post("/people/{person_id}/charge")
def charge_submit(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, person_id: PersonId
) -> Response:
    """Record the decision, or go back to the form with every missing item of the
    safeguarding record."""
    override = form.get("override_reason", "")
    try:
        record_charge_decision(
            session,
            actor=actor,
            person_id=person_id,
            decision=form.get("decision", ""),
            offence=form.get("offence", ""),
            drug_supply=form.get("drug_supply") == "1",
            override_reason=override if override.strip() or form.get("override") else None,
        )
    except InvalidData as exc:
        path = f"/people/{person_id}/charge"
        problems = _missing(person_id, exc.errors)
        return page_forms.refuse(request, session, path, "charge", form, problems)
    return RedirectResponse(f"/people/{person_id}/safeguarding?done=charged", status_code=303)


# --------------------------------------------------------------------------- NRM and s45

RECORD_FIELDS = {
    "nrm_consent": "consent",
    "rg_decision": "rg_decision",
    "cg_decision": "cg_decision",
    "nrm_referred_on": "referred_on",
    "rg_on": "rg_on",
    "cg_on": "cg_on",
}


def _record_form(
    request: Request, session: SessionDep, actor: Actor, person_id: int,
    values: dict[str, str], errors: list[tuple[str, str]],
) -> Response:  # fmt: skip
    _, name = get_subject(session, actor=actor, person_id=person_id)
    return render(
        request,
        "safeguarding/record.html",
        {
            "person_id": person_id,
            "name": name,
            "values": values,
            "errors": errors,
            "consents": [
                (NrmConsent.CHILD.value, "A child: no consent needed", ""),
                (NrmConsent.CONSENT.value, "An adult who consents", ""),
                (
                    NrmConsent.DUTY_TO_NOTIFY.value,
                    "An adult who does not consent: duty to notify",
                    "",
                ),
            ],
            "grounds": [(g.value, g.value.capitalize(), "") for g in GroundsDecision],
            "referred": [("yes", "Yes, a referral was made", ""), ("no", "No referral", "")],
        },
        actor=actor,
        title=("Error: " if errors else "") + f"NRM and s45: {name}",
    )


@router.get("/people/{person_id}/safeguarding-record")
def record_form(
    request: Request, session: SessionDep, actor: ActorDep, person_id: PersonId
) -> Response:
    """NRM and s45 consideration for a suspect, before a charge decision (and the
    answers and errors of a refused record: Post/Redirect/Get)."""
    refused = page_forms.take(request)
    values, errors = (refused.values, refused.errors) if refused else ({}, [])
    return _record_form(request, session, actor, person_id, values, errors)


def _day(form: dict[str, str], name: str, errors: list[FieldError]) -> date | None:
    raw = form.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors.append(FieldError(name, raw, "a date as YYYY-MM-DD"))
        return None


@router.post("/people/{person_id}/safeguarding-record")
def record_submit(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, person_id: PersonId
) -> Response:
    """Save the NRM and s45 record and go back to the person's safeguarding page."""
    bad: list[FieldError] = []
    referred = form.get("nrm_referred", "")
    nrm = NrmRecord(
        nrm_considered=referred in ("yes", "no"),
        nrm_referred={"yes": True, "no": False}.get(referred),
        nrm_reason=form.get("nrm_reason", "").strip() or None,
        first_responder=form.get("first_responder", "").strip() or None,
        consent=form.get("consent") or None,
        referred_on=_day(form, "referred_on", bad),
        rg_decision=form.get("rg_decision") or None,
        rg_on=_day(form, "rg_on", bad),
        cg_decision=form.get("cg_decision") or None,
        cg_on=_day(form, "cg_on", bad),
        s45_considered=form.get("s45_considered") == "1",
        s45_note=form.get("s45_note", "").strip() or None,
    )
    try:
        if bad:
            raise InvalidData(bad)
        record_safeguarding(session, actor=actor, person_id=person_id, nrm=nrm)
    except InvalidData as exc:
        errors = [
            (
                RECORD_FIELDS.get(e.location, e.location),
                f"{field_label(e.location)}: enter {e.expected} (got “{e.received}”)",
            )
            for e in exc.errors
        ]
        path = f"/people/{person_id}/safeguarding-record"
        return page_forms.refuse(request, session, path, "record", form, errors)
    return RedirectResponse(f"/people/{person_id}/safeguarding?done=recorded", status_code=303)
