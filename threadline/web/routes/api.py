"""The REST API under /api/v1: bearer tokens, JSON in and out, problem+json errors."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from threadline.check import check
from threadline.check.matching import parse_age_range
from threadline.check.reasons import CheckReason, parse_purpose
from threadline.web.api_common import ERRORS, term
from threadline.web.deps import ActorDep, SessionDep
from threadline.web.schemas import CheckOut, Health

router = APIRouter(prefix="/api/v1")


@router.get("/health", response_model=Health, tags=["service"])
def health() -> Health:
    """Answer at once, touching nothing: for load balancers and the benchmark floor."""
    return Health(status="ok")


@router.get("/check", response_model=CheckOut, responses=ERRORS, tags=["check"])
def check_api(
    session: SessionDep,
    actor: ActorDep,
    reason: Annotated[
        CheckReason,
        Query(
            description="Why the check is made (required, audited): "
            + "; ".join(f"`{r.value}` {r.label}" for r in CheckReason)
            + "."
        ),
    ],
    name: Annotated[str | None, term("A name, e.g. `John Smith`.")] = None,
    dob: Annotated[str | None, term("Date of birth: YYYY-MM-DD, YYYY-MM or YYYY.")] = None,
    age: Annotated[
        str | None, term("Age or age range, e.g. `16` or `15-17` (with a name).")
    ] = None,
    phone: Annotated[str | None, term("A phone number in any common form.")] = None,
    vrm: Annotated[str | None, term("A vehicle registration mark.")] = None,
    postcode: Annotated[str | None, term("A postcode, district (NR1) or area.")] = None,
    pnc: Annotated[str | None, term("A PNC id, e.g. `98/123456A`.")] = None,
    uprn: Annotated[
        str | None, term("A UPRN (Unique Property Reference Number), up to 12 digits.")
    ] = None,
    purpose: Annotated[
        str | None, term("More about the reason, e.g. an incident number (audited).")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200, description="Most results.")] = 20,
) -> CheckOut:
    """Check a person, phone, vehicle or address; only what the caller may see; audited.

    A check without a `reason` is refused (422) and not run."""
    result = check(
        session,
        actor=actor,
        name=name,
        dob=dob,
        age_range=parse_age_range(age),
        phone=phone,
        vrm=vrm,
        postcode=postcode,
        pnc=pnc,
        uprn=uprn,
        reason=reason,
        purpose=parse_purpose(purpose),
        limit=limit,
    )
    return CheckOut.from_result(result)
