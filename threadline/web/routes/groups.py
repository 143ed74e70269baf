"""Crime group pages: the index (/groups) and each group's Overview tab (/groups/{id}).

Who may see a group, edit its profile or archive it is policy's business, asked by
`threadline.ocg` (police readers cleared for the group; analysts and supervisors of the
owning force or the regional unit edit; supervisors archive). An organisation that is
not a crime group, or one the reader may not see as a group's work (a partner reading
it under an agreement), keeps its record page (`routes.profiles`); so does every group
at /groups/{id}/record, with its links, timeline and intelligence. Forms are
Post/Redirect/Get.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from threadline import disruptions, notices
from threadline.errors import InvalidData, NotFound
from threadline.model.security import Actor
from threadline.ocg import GroupFilters, archive_group, group_overview, list_groups, update_profile
from threadline.ocg.index import STATUSES, Status
from threadline.ocg.ranks import band_choices, priority_choices
from threadline.ocg.vocabulary import (
    COMMODITIES,
    COUNTER_MEASURES,
    CRIME_TYPES,
    PLAN_STATE_WORDS,
)
from threadline.reference.geography import all_areas
from threadline.web import page_forms
from threadline.web.deps import ActorDep, CsrfCheck, FormDep, SessionDep
from threadline.web.forms_admin import Field, messages, pagination
from threadline.web.routes import profiles
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])

PER_PAGE = 25
FILTERS = ("q", "area", "commodity", "crime_type", "band", "priority", "lro", "plan_state")
STATUS_WORDS: dict[str, str] = {
    "mapped": "Mapped groups",
    "archived": "Archived groups",
    "all": "Mapped and archived groups",
}
PROFILE_FIELDS = {
    "operation_name": Field("Operation name", ""),
    "commodities": Field("Commodities", ""),
    "crime_types": Field("Crime types", ""),
    "counter_measures": Field("Counter-measures", ""),
}
ARCHIVE_FIELDS = {
    "reason": Field("Reason", "Enter why the group is being archived"),
    "group": Field("Group", ""),
}


def _filters(params: dict[str, str]) -> GroupFilters:
    status = params.get("status", "")
    return GroupFilters(
        text=params.get("q") or None,
        area=params.get("area") or None,
        commodity=params.get("commodity") or None,
        crime_type=params.get("crime_type") or None,
        band=params.get("band") or None,
        priority=params.get("priority") or None,
        lro=params.get("lro") or None,
        plan_state=params.get("plan_state") or None,
        status=_status(status),
    )


def _status(value: str) -> Status:
    for status in STATUSES:
        if value == status:
            return status
    return "mapped"


@router.get("/groups")
def index(request: Request, session: SessionDep, actor: ActorDep, page: int = 1) -> Response:
    """The crime groups the reader may see, filtered, highest priority first."""
    params = {name: request.query_params.get(name, "").strip() for name in (*FILTERS, "status")}
    page = max(1, page)
    found = list_groups(
        session,
        actor=actor,
        filters=_filters(params),
        offset=(page - 1) * PER_PAGE,
        limit=PER_PAGE,
    )
    pages = max(1, -(-found.total // PER_PAGE))
    paged = pagination(
        found.items, page=min(page, pages), pages=pages, total=found.total, path="/groups",
        params=params,
    )  # fmt: skip
    options: dict[str, list[tuple[str, str]]] = {
        "area": sorted(((a.code, a.name) for a in all_areas()), key=lambda pair: pair[1]),
        "commodity": list(COMMODITIES.items()),
        "crime_type": list(CRIME_TYPES.items()),
        "band": [(c.code, c.words) for c in band_choices()] + [("none", "Not scored")],
        "priority": [(c.code, c.words) for c in priority_choices()] + [("none", "Not assessed")],
        "lro": [(c.code, c.words) for c in found.lros],
        "plan_state": list(PLAN_STATE_WORDS.items()),
        "status": list(STATUS_WORDS.items()),
    }
    chosen = {
        name: dict(options[name]).get(value, value)
        for name, value in params.items()
        if value and name in options and not (name == "status" and value == "mapped")
    }
    return render(
        request,
        "groups/index.html",
        {
            "paged": paged,
            "values": params,
            "options": options,
            "chosen": chosen,
            "plan_words": PLAN_STATE_WORDS,
        },
        actor=actor,
        title="Crime groups",
    )


def _overview_page(
    request: Request,
    session: Session,
    actor: Actor,
    group_id: int,
    *,
    notice: str = "",
    errors: list[tuple[str, str]] | None = None,
    sent: dict[str, Any] | None = None,
    opened: str = "",
) -> Response:
    try:
        overview = group_overview(session, actor=actor, group_id=group_id)
    except NotFound:
        # Not a crime group (a business), or not one the reader may see as a group's
        # work (a partner reading it under an agreement): its record page decides.
        return profiles.group_page(request, session, actor, str(group_id))
    chosen: dict[str, Any] = {
        "operation_name": overview.header.operation_name or "",
        "commodities": overview.commodities,
        "crime_types": overview.crime_types,
        "counter_measures": overview.counter_measures,
        "reason": "",
    } | (sent or {})
    return render(
        request,
        "groups/overview.html",
        {
            "group": overview.header,
            "tab": "overview",
            "overview": overview,
            "notice": notice,
            "errors": errors or [],
            "values": chosen,
            "opened": opened,
            # A threat notice about the group, for those who write notices.
            "notice_href": "/notices/new?"
            + urlencode({"subject": group_id, "about": overview.header.name})
            if notices.may_write_notices(session, actor=actor)
            else "",
            # The group's disruptions, and the link to record one (decided by policy).
            "disruptions": disruptions.for_subject(session, actor=actor, entity_id=group_id),
            "vocabulary": {
                "commodities": list(COMMODITIES.items()),
                "crime_types": list(CRIME_TYPES.items()),
                "counter_measures": list(COUNTER_MEASURES.items()),
            },
        },
        actor=actor,
        title=("Error: " if errors else "") + f"{overview.header.name} – Crime group",
    )


LISTS = ("commodities", "crime_types", "counter_measures")  # ticked codes, kept joined
NOTICES = {
    "updated": "The group's profile has been updated",
    "unchanged": "Nothing was changed",
    "archived": "The group has been archived",
}


@router.get("/groups/{group_id:int}")
def overview_page(
    request: Request, session: SessionDep, actor: ActorDep, group_id: int, done: str = ""
) -> Response:
    """A group's Overview tab: LRO, areas, profile, members by role and county lines (with
    the answers and errors of a refused change or archiving: Post/Redirect/Get)."""
    refused = page_forms.take(request)
    if refused is not None:
        sent: dict[str, Any] = dict(refused.values)
        for name in LISTS:
            if name in sent:
                sent[name] = page_forms.split(sent[name])
        return _overview_page(
            request, session, actor, group_id,
            errors=refused.errors, sent=sent, opened=refused.form,
        )  # fmt: skip
    return _overview_page(request, session, actor, group_id, notice=NOTICES.get(done, ""))


@router.get("/groups/{group_id:int}/record")
def record_page(request: Request, session: SessionDep, actor: ActorDep, group_id: int) -> Response:
    """The group's record: every link, its timeline and intelligence."""
    return profiles.group_page(request, session, actor, str(group_id))


def _codes(form: dict[str, str], name: str, vocabulary: dict[str, str]) -> list[str]:
    # One checkbox per code, each its own field ("commodities-heroin"): forms are parsed
    # one value per name.
    return [code for code in vocabulary if form.get(f"{name}-{code}")]


@router.post("/groups/{group_id:int}/profile")
def edit_profile(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, group_id: int
) -> Response:
    """Change the group's operation name, commodities, crime types and counter-measures."""
    sent: dict[str, Any] = {
        "operation_name": form.get("operation_name", "").strip(),
        "commodities": _codes(form, "commodities", dict(COMMODITIES)),
        "crime_types": _codes(form, "crime_types", dict(CRIME_TYPES)),
        "counter_measures": _codes(form, "counter_measures", dict(COUNTER_MEASURES)),
    }
    try:
        changed = update_profile(
            session,
            actor=actor,
            group_id=group_id,
            operation_name=sent["operation_name"],
            commodities=sent["commodities"],
            crime_types=sent["crime_types"],
            counter_measures=sent["counter_measures"],
        )
    except InvalidData as exc:
        errors = messages(exc.errors, PROFILE_FIELDS, fallback="operation_name")
        kept = {
            name: page_forms.joined(value) if isinstance(value, list) else str(value)
            for name, value in sent.items()
        }
        path = f"/groups/{group_id}"
        return page_forms.refuse(request, session, path, "profile", kept, errors)
    done = "updated" if changed else "unchanged"
    return RedirectResponse(f"/groups/{group_id}?done={done}", status_code=303)


@router.post("/groups/{group_id:int}/archive")
def archive(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, group_id: int
) -> Response:
    """Archive (de-map) the group, with the reason; its history is kept."""
    reason = form.get("reason", "").strip()
    try:
        archive_group(session, actor=actor, group_id=group_id, reason=reason)
    except InvalidData as exc:
        errors = messages(exc.errors, ARCHIVE_FIELDS, fallback="reason")
        path = f"/groups/{group_id}"
        return page_forms.refuse(request, session, path, "archive", {"reason": reason}, errors)
    return RedirectResponse(f"/groups/{group_id}?done=archived", status_code=303)
