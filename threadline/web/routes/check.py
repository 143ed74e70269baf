"""The check page: the frontline look-up, as a plain GET form that works without JavaScript."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from threadline import accounts
from threadline.check import check
from threadline.check.matching import parse_age_range
from threadline.errors import InvalidData
from threadline.web.deps import ActorDep, CsrfCheck, SessionDep
from threadline.web.presenters import card_page
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])

FIELDS = ("name", "dob", "age", "phone", "vrm", "postcode", "uprn", "purpose")
# Where each error location of the check service is fixed on the form.
ERROR_FIELD = {
    "query": "name",
    "dob": "dob",
    "age": "age",
    "phone": "phone",
    "vrm": "vrm",
    "postcode": "postcode",
    "uprn": "uprn",
}
Term = Annotated[str, Query(max_length=200)]


@router.get("/check")
def check_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    name: Term = "",
    dob: Term = "",
    age: Term = "",
    phone: Term = "",
    vrm: Term = "",
    postcode: Term = "",
    uprn: Term = "",
    purpose: Term = "",
) -> Response:
    """Check a person, phone, vehicle or address; results are what policy allows."""
    values = {"name": name, "dob": dob, "age": age, "phone": phone, "vrm": vrm}
    values["postcode"] = postcode
    values["uprn"] = uprn
    values["purpose"] = purpose
    submitted = any(key in request.query_params for key in FIELDS)
    cards, errors, status = [], [], 200
    if submitted:
        try:
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
                purpose=purpose.strip() or None,
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
        {"values": values, "submitted": submitted and not errors, "cards": cards, "errors": errors},
        actor=actor,
        status_code=status,
        title=("Error: " if errors else "") + "Check a person, phone, vehicle or address",
    )


def _message(location: str, expected: str) -> str:
    if location == "query":
        return "Enter a name, phone number, vehicle registration, postcode or UPRN"
    label = {
        "dob": "Date of birth",
        "age": "Age",
        "postcode": "Postcode",
        "uprn": "UPRN",
        "phone": "Phone number",
    }.get(location, location.capitalize())
    return f"{label} must be {expected}"
