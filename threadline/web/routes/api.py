"""The REST API under /api/v1: bearer tokens, JSON in and out, problem+json errors."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from threadline.check import check
from threadline.check.matching import parse_age_range
from threadline.check.reasons import CheckReason, parse_purpose
from threadline.model.security import Actor
from threadline.web.api_common import ERRORS, term
from threadline.web.deps import actor_claimed, in_one_hop
from threadline.web.schemas import CheckOut, Health

router = APIRouter(prefix="/api/v1")


@router.get("/health", response_model=Health, tags=["service"])
def health() -> Health:
    """Answer at once, touching nothing: for load balancers and the benchmark floor."""
    return Health(status="ok")


@router.get(
    "/check",
    response_model=CheckOut,
    responses=ERRORS,
    tags=["check"],
    dependencies=[Depends(actor_claimed)],
)
async def check_api(
    request: Request,
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
) -> Response:
    """Check a person, phone, vehicle or address; only what the caller may see; audited.

    A check without a `reason` is refused (422) and not run."""

    # The frontline's hot path: the token look-up, the check, the audit event, its commit
    # and the JSON in one trip to the thread pool (`in_one_hop`); the answer is sent as
    # made here, not validated again.
    def work(session: Session, actor: Actor) -> bytes:
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
        return CheckOut.from_result(result).model_dump_json().encode()

    return Response(await in_one_hop(request, work), media_type="application/json")
