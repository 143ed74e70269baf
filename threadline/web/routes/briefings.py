"""Briefing and digest pages: area briefings for the police, digests for partners.

/briefings lists the packs of the officer's areas (the current shift's first); a pack
reads on a phone as one summary card per item, with its grade, handling code and any
code C conditions; "I have read this briefing" records the acknowledgement, and a
supervisor sees who of the area's frontline has not. /digests is a partner's side: its
organisation's digests, each item holding only what the agreement allows.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from threadline.briefings import (
    acknowledge_briefing,
    get_briefing,
    list_briefings,
    list_readers,
    print_briefing,
)
from threadline.digests import acknowledge_digest, get_digest, list_digests
from threadline.settings import Settings
from threadline.web.deps import ActorDep, CsrfCheck, SessionDep
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


@router.get("/briefings")
def briefings_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """The briefings of the officer's areas, the current shift's first."""
    briefings = list_briefings(session, actor=actor, settings=_settings(request))
    return render(
        request,
        "briefings/list.html",
        {"briefings": briefings},
        actor=actor,
        title="Briefings",
    )


@router.get("/briefings/{briefing_id}.pdf")
def briefing_pdf(briefing_id: int, session: SessionDep, actor: ActorDep) -> Response:
    """The pack as a printable A4 PDF (logged as a disclosure in form PDF)."""
    view, pdf = print_briefing(session, actor=actor, briefing_id=briefing_id)
    name = f"briefing-{view.area_code}-{view.shift_start:%Y%m%d-%H%M}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/briefings/{briefing_id}")
def briefing_page(
    request: Request, briefing_id: int, session: SessionDep, actor: ActorDep
) -> Response:
    """One briefing pack, item by item as policy allows."""
    view = get_briefing(session, actor=actor, briefing_id=briefing_id)
    readers = (
        list_readers(session, actor=actor, briefing_id=briefing_id)
        if "read_receipts" in view.allowed
        else None
    )
    return render(
        request,
        "briefings/briefing.html",
        {
            "b": view,
            "readers": readers,
            "unread": [r for r in readers or [] if r.acknowledged_at is None],
            "just_acknowledged": request.query_params.get("acknowledged") == "1",
        },
        actor=actor,
        title=f"Briefing: {view.area_name}",
    )


@router.post("/briefings/{briefing_id}/acknowledge")
def briefing_acknowledge(briefing_id: int, session: SessionDep, actor: ActorDep) -> Response:
    """Record that the officer has read the pack."""
    acknowledge_briefing(session, actor=actor, briefing_id=briefing_id)
    return RedirectResponse(f"/briefings/{briefing_id}?acknowledged=1", status_code=303)


@router.get("/digests")
def digests_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """The digests of the partner's organisation, newest first."""
    digests = list_digests(session, actor=actor)
    return render(
        request,
        "digests/list.html",
        {"digests": digests},
        actor=actor,
        title="Digests",
    )


@router.get("/digests/{digest_id}")
def digest_page(request: Request, digest_id: int, session: SessionDep, actor: ActorDep) -> Response:
    """One digest of the partner's organisation."""
    view = get_digest(session, actor=actor, digest_id=digest_id)
    return render(
        request,
        "digests/digest.html",
        {"d": view, "just_acknowledged": request.query_params.get("acknowledged") == "1"},
        actor=actor,
        title=f"Digest for {view.period_start:%-d %B %Y}",
    )


@router.post("/digests/{digest_id}/acknowledge")
def digest_acknowledge(digest_id: int, session: SessionDep, actor: ActorDep) -> Response:
    """Record that the partner's organisation received the digest."""
    acknowledge_digest(session, actor=actor, digest_id=digest_id)
    return RedirectResponse(f"/digests/{digest_id}?acknowledged=1", status_code=303)
