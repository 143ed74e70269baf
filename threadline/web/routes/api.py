"""The REST API under /api/v1: bearer tokens, JSON in and out, problem+json errors."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from threadline.check import check
from threadline.web.deps import ActorDep, SessionDep
from threadline.web.schemas import CheckOut, Health

router = APIRouter(prefix="/api/v1")


def _term(description: str) -> Any:
    """A search term in the query string (capped: no real term is longer)."""
    return Query(max_length=200, description=description)


PROBLEM: dict[str, object] = {"content": {"application/problem+json": {}}}
ERRORS: dict[int | str, dict[str, object]] = {
    401: {"description": "No token, or a token not recognised, revoked or expired.", **PROBLEM},
    422: {"description": "Invalid input: `errors` lists each problem.", **PROBLEM},
}


@router.get("/health", response_model=Health, tags=["service"])
def health() -> Health:
    """Answer at once, touching nothing: for load balancers and the benchmark floor."""
    return Health(status="ok")


@router.get("/check", response_model=CheckOut, responses=ERRORS, tags=["check"])
def check_api(
    session: SessionDep,
    actor: ActorDep,
    name: Annotated[str | None, _term("A name, e.g. `John Smith`.")] = None,
    dob: Annotated[str | None, _term("Date of birth: YYYY-MM-DD, YYYY-MM or YYYY.")] = None,
    phone: Annotated[str | None, _term("A phone number in any common form.")] = None,
    vrm: Annotated[str | None, _term("A vehicle registration mark.")] = None,
    postcode: Annotated[str | None, _term("A postcode, district (NR1) or area.")] = None,
    pnc: Annotated[str | None, _term("A PNC id, e.g. `98/123456A`.")] = None,
    purpose: Annotated[str | None, _term("Why the check is made (audited).")] = None,
    limit: Annotated[int, Query(ge=1, le=200, description="Most results.")] = 20,
) -> CheckOut:
    """Check a person, phone, vehicle or address; only what the caller may see; audited."""
    result = check(
        session,
        actor=actor,
        name=name,
        dob=dob,
        phone=phone,
        vrm=vrm,
        postcode=postcode,
        pnc=pnc,
        purpose=purpose,
        limit=limit,
    )
    return CheckOut.from_result(result)
