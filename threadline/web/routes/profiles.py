"""Profile pages: a person, group, phone, vehicle, address or county line, and its links.

Plain server-rendered GET pages that work without JavaScript. An id that is not a
record of the kind is the GOV.UK "Page not found"; one the viewer may not see is refused
as every single record is (`policy.read_refusal`: police are told why, anyone else
gets the same "Page not found").
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from threadline import disruptions, dossier, notices
from threadline.countylines import status_for_profile
from threadline.errors import NotFound
from threadline.model.security import Actor
from threadline.policy import Action, ResourceKind
from threadline.profiles import PersonProfile, Profile
from threadline.storage.ids import is_stored_id, typed_id
from threadline.tripwires import watch_status
from threadline.web.deps import ActorDep, CsrfCheck, SessionDep
from threadline.web.presenters_profiles import CAPTIONS, page_context
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])


Getter = Callable[[Session, Actor, int], Profile]


def _show(request: Request, session: Session, actor: Actor, raw_id: str, get: Getter) -> Response:
    record_id = typed_id(raw_id)
    if record_id is None or not is_stored_id(record_id):
        raise NotFound(f"there is nothing at {request.url.path}")
    profile = get(session, actor, record_id)
    context = page_context(profile)
    # Links and forms are those the service says policy allows.
    # Those who may submit intelligence can do so from the record (the form asks policy).
    context["submit_href"] = (
        f"/intelligence/new?subject={record_id}"
        if profile.may(Action.CREATE, ResourceKind.INTEL_REPORT)
        else ""
    )
    # A threat notice about the record, for those who write notices (issue #14 item 11).
    context["notice_href"] = (
        "/notices/new?" + urlencode({"subject": record_id, "about": profile.title})
        if notices.may_write_notices(session, actor=actor)
        else ""
    )
    # Watchers are alerted when new events touch a record they can see.
    context["watch"] = (
        watch_status(session, actor=actor, entity_id=record_id)
        if profile.may(Action.CREATE, ResourceKind.WATCH)
        else None
    )
    context["watch_next"] = request.url.path
    # "Who knows about this group?": the dissemination register, for those who read it.
    context["register_href"] = (
        f"/groups/{record_id}/register" if profile.may(Action.READ, ResourceKind.REGISTER) else ""
    )
    context["may_record_charge"] = profile.may(Action.CREATE, ResourceKind.CHARGE_DECISION)
    # A county line's status comes first on its page, for those policy lets see it.
    context["line_status"] = (
        status_for_profile(session, actor=actor, line_id=record_id)
        if profile.kind == ResourceKind.COUNTY_LINE
        else None
    )
    # Disruptions of a person or a county line, and the link to record one (policy decides
    # both in the service: a partner sees no section).
    if profile.kind in (ResourceKind.PERSON, ResourceKind.COUNTY_LINE):
        context["disruptions"] = disruptions.for_subject(session, actor=actor, entity_id=record_id)
        context["record_id"] = record_id
    # Analysts' decisions on pairs with this person: those the service shows (police).
    decided = profile.decisions if isinstance(profile, PersonProfile) else ()
    context["same_as"] = [d for d in decided if d.same]
    context["not_same_as"] = [d for d in decided if not d.same]
    return render(
        request,
        "profiles/profile.html",
        context,
        actor=actor,
        title=f"{profile.title} – {CAPTIONS[profile.kind]}",
    )


@router.get("/people/{person_id}")
def person_page(request: Request, session: SessionDep, actor: ActorDep, person_id: str) -> Response:
    """A person's profile: identity, groups, links, timeline and intelligence."""
    return _show(
        request,
        session,
        actor,
        person_id,
        lambda s, a, i: dossier.get_person(s, actor=a, person_id=i),
    )


@router.get("/groups/{group_id}")
def group_page(request: Request, session: SessionDep, actor: ActorDep, group_id: str) -> Response:
    """A group's profile: members by role, LRO, phones, vehicles, addresses, lines."""
    return _show(
        request,
        session,
        actor,
        group_id,
        lambda s, a, i: dossier.get_organisation(s, actor=a, organisation_id=i),
    )


@router.get("/phones/{phone_id}")
def phone_page(request: Request, session: SessionDep, actor: ActorDep, phone_id: str) -> Response:
    """A phone's profile: who uses it and the lines it serves."""
    return _show(
        request,
        session,
        actor,
        phone_id,
        lambda s, a, i: dossier.get_phone(s, actor=a, phone_id=i),
    )


@router.get("/vehicles/{vehicle_id}")
def vehicle_page(
    request: Request, session: SessionDep, actor: ActorDep, vehicle_id: str
) -> Response:
    """A vehicle's profile: who uses it."""
    return _show(
        request,
        session,
        actor,
        vehicle_id,
        lambda s, a, i: dossier.get_vehicle(s, actor=a, vehicle_id=i),
    )


@router.get("/locations/{location_id}")
def location_page(
    request: Request, session: SessionDep, actor: ActorDep, location_id: str
) -> Response:
    """An address's profile: who lives there, groups and lines based there or cuckooing it."""
    return _show(
        request,
        session,
        actor,
        location_id,
        lambda s, a, i: dossier.get_location(s, actor=a, location_id=i),
    )


@router.get("/county-lines/{line_id}")
def county_line_page(
    request: Request, session: SessionDep, actor: ActorDep, line_id: str
) -> Response:
    """A county line's profile: who runs it, runners, deal lines, cuckooed addresses."""
    return _show(
        request,
        session,
        actor,
        line_id,
        lambda s, a, i: dossier.get_county_line(s, actor=a, county_line_id=i),
    )
