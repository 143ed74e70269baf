"""The "Shared with us" pages: sanitised intelligence the user's organisation may read.

Partners read it under their information sharing agreements; police read the sanitised
versions of the region's reports too. `list_sanitised` and `get_sanitised` decide and
redact per record, and audit what was shown.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from threadline.intel import get_sanitised, list_sanitised
from threadline.policy.sharing import receives_under_agreements
from threadline.web.deps import ActorDep, CsrfCheck, SessionDep
from threadline.web.forms_intel import record_key
from threadline.web.presenters_intel import shared_item
from threadline.web.routes.intel import names
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])

PAGE_SIZE = 20
PageQuery = Annotated[int, Query(ge=1, le=1000)]


@router.get("/shared")
def shared_page(
    request: Request, session: SessionDep, actor: ActorDep, page: PageQuery = 1
) -> Response:
    """Sanitised intelligence the user's organisation may read, newest first."""
    views = list_sanitised(session, actor=actor, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    # Partners (and prisons) receive under agreements; police read the region's versions.
    partner = receives_under_agreements(actor.agency_kind)
    shown_as = names(session)
    heading = "Shared with us" if partner else "Sanitised intelligence"
    return render(
        request,
        "intel/shared_list.html",
        {
            "heading": heading,
            "partner": partner,
            "items": [shared_item(view, shown_as) for view in views],
            "page": page,
            "previous": page - 1 if page > 1 else None,
            "next": page + 1 if views.more else None,
        },
        actor=actor,
        title=heading if page == 1 else f"{heading} (page {page})",
    )


@router.get("/shared/{key}")
def shared_detail_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    key: Annotated[str, Path(max_length=60)],
) -> Response:
    """One sanitised report, with its grading, handling code and conditions."""
    view = get_sanitised(session, actor=actor, sanitised_id=record_key(key))
    return render(
        request,
        "intel/shared_detail.html",
        {"item": shared_item(view, names(session)), "banner": None},
        actor=actor,
        title=f"Sanitised intelligence {view.ref}",
    )
