"""The check page: the frontline look-up, as a plain GET form that works without JavaScript."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from threadline import accounts
from threadline.check import check
from threadline.check.matching import parse_age_range
from threadline.check.reasons import CheckReason, parse_purpose, parse_reason
from threadline.errors import FieldError, InvalidData
from threadline.model.security import Actor
from threadline.safeguarding.new_child import may_raise_about_child
from threadline.web.deps import CsrfCheck, actor_claimed, in_one_hop
from threadline.web.presenters import card_page
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])

FIELDS = ("name", "dob", "age", "phone", "vrm", "postcode", "uprn", "reason", "purpose")
# Where each error location of the check service is fixed on the form.
ERROR_FIELD = {
    "query": "name",
    "dob": "dob",
    "age": "age",
    "phone": "phone",
    "vrm": "vrm",
    "postcode": "postcode",
    "uprn": "uprn",
    "reason": "reason",
    "purpose": "purpose",
}
REASONS = [(reason.value, reason.label) for reason in CheckReason]
Term = Annotated[str, Query(max_length=200)]


@router.get("/check", dependencies=[Depends(actor_claimed)])
async def check_page(
    request: Request,
    name: Term = "",
    dob: Term = "",
    age: Term = "",
    phone: Term = "",
    vrm: Term = "",
    postcode: Term = "",
    uprn: Term = "",
    reason: Term = "",
    purpose: Term = "",
) -> Response:
    """Check a person, phone, vehicle or address; results are what policy allows.

    The session, the actor, the check, its audit event and the page are made in one trip
    to the thread pool (`in_one_hop`)."""
    values = {"name": name, "dob": dob, "age": age, "phone": phone, "vrm": vrm}
    values |= {"postcode": postcode, "uprn": uprn, "reason": reason, "purpose": purpose}
    submitted = any(key in request.query_params for key in FIELDS)

    def work(session: Session, actor: Actor) -> Response:
        return _page(request, session, actor, values, submitted=submitted)

    return await in_one_hop(request, work)


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    values: dict[str, str],
    *,
    submitted: bool,
) -> Response:
    name, dob, age, phone, vrm = (values[k] for k in ("name", "dob", "age", "phone", "vrm"))
    postcode, uprn, reason, purpose = (values[k] for k in ("postcode", "uprn", "reason", "purpose"))
    cards, errors, status = [], [], 200
    if submitted:
        try:
            why = _why(
                reason, purpose, asked=any(v.strip() for v in (name, phone, vrm, postcode, uprn))
            )
            result = check(
                session,
                actor=actor,
                name=name.strip() or None,
                dob=dob.strip() or None,
                age_range=parse_age_range(age),
                phone=phone.strip() or None,
                vrm=vrm.strip() or None,
                postcode=postcode.strip() or None,
                uprn=uprn.strip() or None,
                reason=why[0],
                purpose=why[1],
            )
        except InvalidData as exc:
            errors = [
                (ERROR_FIELD.get(e.location, "name"), _message(e.location, e.expected))
                for e in exc.errors
            ]
            status = 422
        else:
            names = accounts.agency_names(session)
            cards = [card_page(card, names) for card in result.cards]
    return render(
        request,
        "check.html",
        {
            "values": values,
            "submitted": submitted and not errors,
            "cards": cards,
            "errors": errors,
            "reasons": REASONS,
            # A check that found nothing offers a concern about a child not known to
            # police, to those policy lets record one.
            "offer_new_child": submitted
            and not errors
            and not cards
            and may_raise_about_child(session, actor=actor),
        },
        actor=actor,
        status_code=status,
        title=("Error: " if errors else "") + "Check a person, phone, vehicle or address",
    )


def _why(reason: str, purpose: str, *, asked: bool) -> tuple[CheckReason, str | None]:
    """The reason and the officer's words; `InvalidData` for every problem with them (and
    with an empty query, so one error summary names them all): a check with no reason is
    not run, and so not logged."""
    errors: list[FieldError] = []
    found: list[object] = []
    for parse, value in ((parse_reason, reason), (parse_purpose, purpose)):
        try:
            found.append(parse(value))
        except InvalidData as exc:
            errors.extend(exc.errors)
    if errors and not asked:
        errors.insert(0, FieldError("query", "nothing", "a name or an object"))
    if errors:
        raise InvalidData(errors)
    code, text = found
    assert isinstance(code, CheckReason) and (text is None or isinstance(text, str))
    return code, text


def _message(location: str, expected: str) -> str:
    if location == "query":
        return "Enter a name, phone number, vehicle registration, postcode or UPRN"
    if location == "reason":
        return "Select the reason for the check"
    if location == "purpose":
        return f"More about the reason must be {expected}"
    label = {
        "dob": "Date of birth",
        "age": "Age",
        "postcode": "Postcode",
        "uprn": "UPRN",
        "phone": "Phone number",
    }.get(location, location.capitalize())
    return f"{label} must be {expected}"
