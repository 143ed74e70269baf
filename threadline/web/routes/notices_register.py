"""The register and dashboard pages of routine sharing (the notice pages: routes/notices.py).

- /notices/{ref}/register and /groups/{id}/register: who was told, when, how, and
  whether they acknowledged it ("who knows about this group?"); who read each item and
  when; and the partners in the threat's area whose agreement lets them be told but who
  never were (`threadline.notices.reach`); for those policy lets read the register (the
  region's police analysts, LROs, supervisors and DPOs).
- /sharing: the coverage figures, each with its definition, for those policy lets see
  the sharing dashboard; with each partner's real reach (`threadline.stats.reach`).
- /sharing/reach/{code}: the threats a partner could have been told about and never was
  (named only where the reader may read the record; audited `sharing.reach_viewed`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from threadline.errors import InvalidData, NotFound
from threadline.notices.reach import register_reach
from threadline.policy import ResourceKind
from threadline.stats.reach import HIDDEN, reach_drilldown
from threadline.stats.sharing import sharing_dashboard
from threadline.storage.ids import MAX_ID
from threadline.web.deps import ActorDep, CsrfCheck, SessionDep
from threadline.web.presenters_profiles import CAPTIONS, href
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])
RefPath = Annotated[str, Path(max_length=40)]
CodePath = Annotated[str, Path(max_length=60)]


# --------------------------------------------------------------------------- register


@router.get("/notices/{ref}/register")
def notice_register_page(
    request: Request, session: SessionDep, actor: ActorDep, ref: RefPath
) -> Response:
    """Who this notice reached, when, how, who read it, and partners never told."""
    reach = register_reach(session, actor=actor, notice_ref=ref)
    entries = reach.entries
    return render(
        request,
        "notices/register.html",
        {
            "entries": entries,
            "reach": reach,
            "heading": f"Who was told: {entries.about}",
            "back": f"/notices/{ref}",
        },
        actor=actor,
        title=f"Register of {ref}",
    )


@router.get("/groups/{group_id}/register")
def group_register_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    group_id: Annotated[int, Path(ge=1, le=MAX_ID)],
) -> Response:
    """Who knows about this group: everything delivered about it and its members, who
    read it, and partners never told of its notices."""
    reach = register_reach(session, actor=actor, group_id=group_id)
    entries = reach.entries
    return render(
        request,
        "notices/register.html",
        {
            "entries": entries,
            "reach": reach,
            "heading": f"Who knows about {entries.about}",
            "back": f"/groups/{group_id}",
        },
        actor=actor,
        title="Who knows about this group",
    )


# --------------------------------------------------------------------------- dashboard


@router.get("/sharing")
def sharing_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    on: Annotated[date | None, Query()] = None,
) -> Response:
    """Sharing coverage per force, area and partner, each figure defined on the page."""
    figures = sharing_dashboard(session, actor=actor, on=on).to_dict()
    return render(
        request, "notices/sharing.html", {"figures": figures}, actor=actor, title="Sharing coverage"
    )


@router.get("/sharing/reach/{code}")
def reach_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    code: CodePath,
    on: Annotated[date | None, Query()] = None,
) -> Response:
    """The threats a partner could have been told about and was not (its real reach)."""
    try:
        reach = reach_drilldown(session, actor=actor, partner=code, on=on)
    except InvalidData as exc:  # an unknown partner: no page here, as for any other path
        raise NotFound(f"there is no partner organisation {code!r}") from exc
    untold = [t for t in reach.threats if not t.told]
    rows = [
        {
            "name": t.name,
            "kind": CAPTIONS[ResourceKind(t.kind)],
            "href": href(ResourceKind(t.kind), t.id),
            "areas": ", ".join(t.areas),
            "owner": t.owner,
        }
        for t in untold
        if t.name != HIDDEN
    ]
    return render(
        request,
        "notices/reach.html",
        {
            "partner": reach.name,
            "reach": reach.reach.to_dict(),
            "rows": rows,
            "hidden": len(untold) - len(rows),
            "on": on,
        },
        actor=actor,
        title=f"Threats {reach.name} was never told about",
    )
