"""Threat notice pages, the dissemination register, and the sharing dashboard.

- /notices: the notices the user may see (police: the region's published notices and
  their own force's drafts; partners: those sent to them, in their agreement's fields).
- /notices/new: the form; /notices/{ref}: the notice, with publish (each audience is
  checked and shown before the button) and withdraw for its force's analysts and LROs;
  readers acknowledge it (a partner for its organisation).
- /notices/{ref}/register, /groups/{id}/register and /sharing: in
  `routes/notices_register.py`.

Forms are plain POSTs that work without JavaScript; the services validate everything
and every problem is shown at once, in the form's order, on its field in a GOV.UK error
summary (a form with no record chosen is still checked: the rest is said too). A refused
form's
answers and errors are kept on the server for the form's GET (Post/Redirect/Get), so
going back or reloading never sends it again.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from threadline.errors import FieldError, Forbidden, InvalidData
from threadline.model.security import Actor
from threadline.notices import (
    NoticeView,
    acknowledge_notice,
    acknowledgement,
    create_notice,
    edit_notice,
    get_notice,
    list_notices,
    notice_for_editing,
    notice_form,
    preview_audiences,
    publish_notice,
    register_allowed,
    withdraw_notice,
)
from threadline.ocg import GroupFilters, list_groups
from threadline.policy import ResourceKind
from threadline.profiles import list_people
from threadline.profiles.records import label as record_label
from threadline.reference.geography import all_areas, force_by_code
from threadline.settings import Settings
from threadline.storage.ids import is_stored_id, typed_id
from threadline.tripwires.immediate import publish_immediately
from threadline.web import forms_intel as forms
from threadline.web import page_forms
from threadline.web.deps import ActorDep, CsrfCheck, FormDep, SessionDep
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])

RefPath = Annotated[str, Path(max_length=40)]
LONG = frozenset({"threat", "place", "action", "conditions"})
LABELS = {
    "subject_id": "The record it is about",
    "title": "The title",
    "threat": "What the threat is",
    "place": "Where",
    "action": "What to do",
    "contact": "The contact",
    "areas": "The areas it concerns",
    "review_date": "The review date",
    "sanitised_id": "The sanitised report",
    "grading": "The grading",
    "source_eval": "The source evaluation",
    "intel_eval": "The intelligence assessment",
    "handling": "The handling code",
    "conditions": "The conditions",
    "restricted_to": "Who the conditions restrict it to",
    "marking": "The marking",
    "audience_areas": "Each frontline area",
    "audiences": "Each audience",
    "reason": "The reason",
}
EMPTY = {
    "title": "Enter a short title for the notice",
    "threat": "Enter what the threat is",
    "action": "Enter what the reader should do",
    "review_date": "Enter the date to review the notice by",
    "grading": "Give the sanitised report it was made from, or grade it (3x5x2) below",
    "audiences": "Select at least one audience: the region, a partner or a frontline area",
    "conditions": "Enter the conditions of handling code C: they travel with the notice",
    "reason": "Enter why the notice is withdrawn",
    "areas": "Enter the policing areas the notice concerns: the record has none recorded",
}
# The form's fields top to bottom: the error summary lists problems in this order.
FORM_ORDER = (
    "subject_id",
    "title",
    "threat",
    "place",
    "action",
    "contact",
    "areas",
    "review_date",
    "sanitised_id",
    "grading",
    "source_eval",
    "intel_eval",
    "handling",
    "conditions",
    "restricted_to",
    "marking",
    "audiences",
    "audience_areas",
)
# The answers the form sends back by name (the grading and the audiences are shown as
# groups of those fields, not answers of their own).
FIELDS = tuple(field for field in FORM_ORDER if field not in {"grading", "audiences"})
NO_RECORD = 0  # asked about when none is chosen: no record has it, so the rest is checked
CHOOSE_RECORD = "Find and choose the record the notice is about"
SECTION = {
    "grading.source": "source_eval",
    "grading.intelligence": "intel_eval",
    "grading.handling": "handling",
}


def _message(error: FieldError, area_codes: set[str]) -> tuple[str, str]:
    field = SECTION.get(error.location, error.location)
    if field.startswith("audiences["):
        field = "audience_areas" if error.received in area_codes else "audiences"
    if field not in LABELS:
        field = "title"
    if not error.received.strip() and field in EMPTY:
        return field, EMPTY[field]
    if error.expected.startswith("no "):
        return field, error.expected[:1].upper() + error.expected[1:]
    return field, f"{LABELS[field]} must be {error.expected} (got “{error.received}”)"


def _in_form_order(errors: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The errors as the form shows their fields, top to bottom (each field's in turn)."""
    place = {field: index for index, field in enumerate(FORM_ORDER)}
    return sorted(errors, key=lambda error: place.get(error[0], len(FORM_ORDER)))


def _messages(
    exc: InvalidData, audience_areas: str, *, chosen: bool = True
) -> list[tuple[str, str]]:
    """Every problem of the form, in its order. With no record chosen (`chosen` false),
    that is said once, and the areas it would have lent are not asked for."""
    areas = set(_split(audience_areas))
    found = []
    for error in exc.errors:
        if not chosen and error.location == "subject_id":
            continue
        if not chosen and error.location == "areas" and not error.received.strip():
            continue  # left empty, the areas are the record's: none is chosen yet
        found.append(_message(error, areas))
    if not chosen:
        found.insert(0, ("subject_id", CHOOSE_RECORD))
    return _in_form_order(found)


# --------------------------------------------------------------------------- list


@router.get("/notices")
def notices_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    status: Annotated[str, Query(max_length=20)] = "",
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> Response:
    """Notices the user may see, newest first; filter by status (e.g. review due)."""
    chosen = status if status in ("draft", "published", "withdrawn", "review due") else None
    views = list_notices(session, actor=actor, status=chosen, limit=20, offset=(page - 1) * 20)
    return render(
        request,
        "notices/list.html",
        {
            "notices": views,
            "status": chosen or "",
            "page": page,
            "previous": page - 1 if page > 1 else None,
            "next": page + 1 if views.more else None,
            "allowed": views.allowed,
        },
        actor=actor,
        title="Threat notices",
    )


# --------------------------------------------------------------------------- new


def _form(
    request: Request,
    actor: Actor,
    partners: list[str],
    values: dict[str, Any],
    errors: list[tuple[str, str]],
    *,
    find: str = "",
    found: list[tuple[str, str, str]] | None = None,
    editing: str = "",
) -> Response:
    return render(
        request,
        "notices/new.html",
        {
            "editing": editing,  # the reference of the draft being changed, if one is
            "form_action": f"/notices/{editing}/edit" if editing else "/notices/new",
            "values": values,
            "errors": errors,
            "find": find,
            "found": found,
            "area_choices": _area_choices(actor),
            "partners": partners,
            "markings": forms.markings_for(actor),
            "source_evals": forms.SOURCE_EVALS,
            "intel_evals": forms.INTEL_EVALS,
            "handling_codes": forms.HANDLING_CODES,
        },
        actor=actor,
        title=("Error: " if errors else "")
        + (f"Change draft notice {editing}" if editing else "Create a threat notice"),
    )


@router.get("/notices/new")
def new_notice_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    subject: Annotated[str, Query(max_length=20)] = "",
    sanitised: Annotated[str, Query(max_length=60)] = "",
    about: Annotated[str, Query(max_length=200)] = "",
    find: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    """The notice form; `?subject=ID&sanitised=REF` fill in what a profile or report knows,
    and `?find=` searches for the record by name or operation (no JavaScript needed). A
    refused draft's answers and errors are shown again here (Post/Redirect/Get)."""
    partners = notice_form(session, actor=actor)
    refused = page_forms.take(request)
    if refused is not None:
        return _form(request, actor, partners, _unkept(refused.values), refused.errors)
    values: dict[str, Any] = dict.fromkeys(FIELDS, "")
    values |= {
        "subject_id": subject if subject.isdigit() else "",
        "about": about.strip(),
        "sanitised_id": sanitised.strip(),
        "marking": "",
        "region": False,
        "partners": [],
    }
    found = _find_subjects(session, actor, find.strip()) if find.strip() else None
    return _form(request, actor, partners, values, [], find=find.strip(), found=found)


def _find_subjects(session: Session, actor: Actor, text: str) -> list[tuple[str, str, str]]:
    """Records a notice may be about, as the reader may see them: crime groups by name or
    operation name, then people by name; each as (label, what it is, form link)."""
    found: list[tuple[str, str, str]] = []
    try:  # each search asks policy itself; one the reader may not make finds nothing
        groups = list_groups(session, actor=actor, filters=GroupFilters(text=text), limit=10)
        for group in groups.items:
            operation = f" (Operation {group.operation_name})" if group.operation_name else ""
            label = group.name + operation
            found.append((label, "Crime group", _pick(group.id, label)))
    except (Forbidden, InvalidData):
        pass
    try:
        for view in list_people(session, actor=actor, name=text, limit=10).items:
            label = record_label(ResourceKind.PERSON, view)
            found.append((label, "Person", _pick(int(str(view["id"])), label)))
    except (Forbidden, InvalidData):
        pass
    return found


def _area_choices(actor: Actor) -> list[tuple[str, str]]:
    """The policing areas a notice's form offers: the reader's force's, else the region's."""
    try:
        areas = force_by_code(actor.agency_code).areas
    except KeyError:  # the regional unit, or another organisation
        areas = all_areas()
    return sorted(((area.code, area.name) for area in areas), key=lambda a: a[1])


def _pick(record_id: int, label: str) -> str:
    return "/notices/new?" + urlencode({"subject": record_id, "about": label})


def _kept(values: dict[str, Any]) -> dict[str, str]:
    """The form's answers as text, to keep for its GET (partners ticked, region or not)."""
    return {
        **{name: str(value) for name, value in values.items() if isinstance(value, str)},
        "partners": page_forms.joined(values.get("partners") or []),
        "region": "1" if values.get("region") else "",
    }


def _unkept(kept: dict[str, str]) -> dict[str, Any]:
    """The answers kept by `_kept`, as the form shows them."""
    values: dict[str, Any] = dict.fromkeys(FIELDS, "") | {"about": ""} | kept
    values["partners"] = page_forms.split(kept.get("partners", ""))
    values["region"] = bool(kept.get("region"))
    return values


def _split(text: str) -> list[str]:
    return [w for w in text.replace(";", ",").replace(" ", ",").split(",") if w][:30]


@router.post("/notices/new")
def create_notice_page(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep
) -> Response:
    """Save the draft; on success go to it, where it can be checked and published."""
    values: dict[str, Any] = {
        name: forms.clean(form.get(name), forms.MAX_TEXT if name in LONG else forms.MAX_SHORT)
        for name in FIELDS
    }
    partners = notice_form(session, actor=actor)
    partner_codes = [code for code in partners if form.get(f"partner-{code}")]
    values["partners"] = partner_codes
    values["region"] = bool(form.get("region"))
    values["about"] = forms.clean(form.get("about"), forms.MAX_SHORT)
    # Areas are ticked from the reader's force's list (or typed as codes, as before).
    choices = [code for code, _ in _area_choices(actor)]
    for field, prefix in (("audience_areas", "audience-area-"), ("areas", "area-")):
        ticked = [code for code in choices if form.get(f"{prefix}{code}")]
        merged = list(dict.fromkeys([*ticked, *_split(values[field])]))
        values[field] = ", ".join(merged)
    audiences = [f"area:{code}" for code in _split(values["audience_areas"])]
    audiences += [f"agency:{code}" for code in partner_codes]
    if values["region"]:
        audiences.append("region")
    subject_id = typed_id(values["subject_id"].strip())
    chosen = subject_id is not None and is_stored_id(subject_id)
    graded = bool(values["source_eval"] or values["intel_eval"] or values["handling"])
    if values["handling"] != "C":
        values["conditions"] = ""
        values["restricted_to"] = ""
    # With no record chosen the service is still asked, about a record that cannot exist,
    # so that every other problem is said now too, not one at a time.
    try:
        view = create_notice(
            session,
            actor=actor,
            subject_id=subject_id if chosen and subject_id is not None else NO_RECORD,
            title=values["title"],
            threat=values["threat"],
            action=values["action"],
            review_date=values["review_date"],
            audiences=audiences,
            place=values["place"],
            contact=values["contact"] or None,
            areas=_split(values["areas"]) or None,
            marking=values["marking"] or None,
            sanitised_id=values["sanitised_id"] or None,
            grading=forms.grading_of(values) if graded else None,
            restricted_to=_split(values["restricted_to"]),
        )
    except InvalidData as exc:
        errors = _messages(exc, values["audience_areas"], chosen=chosen)
        return page_forms.refuse(request, session, "/notices/new", "new", _kept(values), errors)
    return RedirectResponse(f"/notices/{view.ref}?created=1", status_code=303)


# --------------------------------------------------------------------------- edit


@router.get("/notices/{ref}/edit")
def edit_notice_page(
    request: Request, session: SessionDep, actor: ActorDep, ref: RefPath
) -> Response:
    """The draft's form, filled in with what it says now (its record and grading stay), or
    with the answers and errors of a refused change (Post/Redirect/Get)."""
    view = notice_for_editing(session, actor=actor, ref=ref)
    partners = notice_form(session, actor=actor)
    refused = page_forms.take(request)
    if refused is not None:
        kept = _unkept(refused.values)
        return _form(request, actor, partners, kept, refused.errors, editing=view.ref)
    areas = [a.code for a in view.audiences if a.kind == "area"]
    values: dict[str, Any] = dict.fromkeys(FIELDS, "")
    values |= {
        name: str(view.get(name) or "")
        for name in ("title", "threat", "place", "action", "contact", "marking")
    }
    subject = view.get("subject")
    values |= {
        "subject_id": "",
        "about": str(subject.get("name", "")) if isinstance(subject, dict) else "",
        "areas": ", ".join(str(a) for a in view.get("areas") or []),  # type: ignore[attr-defined]
        "review_date": str(view.get("review_date") or ""),
        "audience_areas": ", ".join(areas),
        "region": any(a.kind == "region" for a in view.audiences),
        "partners": [a.code for a in view.audiences if a.kind == "agency"],
    }
    return _form(request, actor, partners, values, [], editing=view.ref)


@router.post("/notices/{ref}/edit")
def save_edit_page(
    request: Request, session: SessionDep, actor: ActorDep, ref: RefPath, form: FormDep
) -> Response:
    """Save the changed draft (checked as a new one is); back to it, to check and publish."""
    view = notice_for_editing(session, actor=actor, ref=ref)
    partners = notice_form(session, actor=actor)
    values: dict[str, Any] = {
        name: forms.clean(form.get(name), forms.MAX_TEXT if name in LONG else forms.MAX_SHORT)
        for name in FIELDS
    }
    values["partners"] = [code for code in partners if form.get(f"partner-{code}")]
    values["region"] = bool(form.get("region"))
    values["about"] = forms.clean(form.get("about"), forms.MAX_SHORT)
    choices = [code for code, _ in _area_choices(actor)]
    for field, prefix in (("audience_areas", "audience-area-"), ("areas", "area-")):
        ticked = [code for code in choices if form.get(f"{prefix}{code}")]
        values[field] = ", ".join(dict.fromkeys([*ticked, *_split(values[field])]))
    audiences = [f"area:{code}" for code in _split(values["audience_areas"])]
    audiences += [f"agency:{code}" for code in values["partners"]]
    if values["region"]:
        audiences.append("region")
    try:
        edit_notice(
            session,
            actor=actor,
            ref=view.ref,
            title=values["title"],
            threat=values["threat"],
            action=values["action"],
            review_date=values["review_date"],
            audiences=audiences,
            place=values["place"],
            contact=values["contact"] or None,
            areas=_split(values["areas"]) or None,
            marking=values["marking"] or None,
        )
    except InvalidData as exc:
        errors = _messages(exc, values["audience_areas"])
        path = f"/notices/{view.ref}/edit"
        return page_forms.refuse(request, session, path, "edit", _kept(values), errors)
    return RedirectResponse(f"/notices/{view.ref}?changed=1", status_code=303)


# --------------------------------------------------------------------------- detail


def _detail(
    request: Request,
    session: Session,
    actor: Actor,
    view: NoticeView,
    *,
    errors: list[tuple[str, str]] | None = None,
    banner: str | None = None,
    reason: str = "",
) -> Response:
    checks = [
        (c.label, c.allowed, c.why) for c in preview_audiences(session, actor=actor, ref=view.id)
    ]
    return render(
        request,
        "notices/detail.html",
        {
            "notice": view,
            "errors": errors or [],
            "banner": banner,
            "allowed": view.allowed,
            "register_allowed": register_allowed(session, actor=actor),
            "checks": checks,
            "publishable": bool(checks) and all(ok for _, ok, _ in checks),
            "reason": reason,
            "audiences": [a.label for a in view.audiences],
            "acknowledged": acknowledgement(session, actor=actor, notice_id=view.id),
        },
        actor=actor,
        title=("Error: " if errors else "") + f"Threat notice {view.ref}",
    )


@router.get("/notices/{ref}")
def notice_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    ref: RefPath,
    created: Annotated[str, Query(max_length=5)] = "",
    published: Annotated[str, Query(max_length=5)] = "",
    immediate: Annotated[str, Query(max_length=5)] = "",
    withdrawn: Annotated[str, Query(max_length=5)] = "",
    acknowledged: Annotated[str, Query(max_length=5)] = "",
    changed: Annotated[str, Query(max_length=5)] = "",
) -> Response:
    """One notice, as policy lets the user see it (with the errors of a refused publication
    or withdrawal: Post/Redirect/Get)."""
    view = get_notice(session, actor=actor, ref=ref)
    refused = page_forms.take(request)
    if refused is not None:
        reason = refused.values.get("reason", "")
        return _detail(request, session, actor, view, errors=refused.errors, reason=reason)
    banner = (
        "Thank you: your acknowledgement is recorded"
        if acknowledged
        else f"Notice {view.ref} published to every audience, added to this shift's briefing "
        "of its areas, and sent to the officers on duty there"
        if published and immediate
        else f"Notice {view.ref} published to every audience"
        if published
        else f"Draft {view.ref} saved: check the audiences below, then publish it"
        if created or changed
        else f"Notice {view.ref} withdrawn"
        if withdrawn
        else None
    )
    return _detail(request, session, actor, view, banner=banner)


@router.post("/notices/{ref}/publish")
def publish_page(
    request: Request, session: SessionDep, actor: ActorDep, ref: RefPath, form: FormDep
) -> Response:
    """Publish to all audiences, or show why not (nothing is sent then). An immediate
    notice also goes into this shift's briefings and to the officers on duty at once."""
    immediate = form.get("immediate") == "yes"
    try:
        if immediate:
            settings: Settings = request.app.state.settings
            view = publish_immediately(session, actor=actor, ref=ref, settings=settings).notice
        else:
            view = publish_notice(session, actor=actor, ref=ref)
    except (Forbidden, InvalidData) as exc:
        path = f"/notices/{ref}"
        errors = [("publish", exc.detail)]
        return page_forms.refuse(request, session, path, "publish", {}, errors, cause=exc)
    done = "published=1&immediate=1" if immediate else "published=1"
    return RedirectResponse(f"/notices/{view.ref}?{done}", status_code=303)


@router.post("/notices/{ref}/withdraw")
def withdraw_page(
    request: Request, session: SessionDep, actor: ActorDep, ref: RefPath, form: FormDep
) -> Response:
    """Withdraw the notice with a reason."""
    reason = forms.clean(form.get("reason"), forms.MAX_TEXT)
    try:
        view = withdraw_notice(session, actor=actor, ref=ref, reason=reason)
    except InvalidData as exc:
        errors = [_message(e, set()) for e in exc.errors]
        path = f"/notices/{ref}"
        return page_forms.refuse(request, session, path, "withdraw", {"reason": reason}, errors)
    return RedirectResponse(f"/notices/{view.ref}?withdrawn=1", status_code=303)


@router.post("/notices/{ref}/acknowledge")
def acknowledge_page(
    request: Request, session: SessionDep, actor: ActorDep, ref: RefPath
) -> Response:
    """Record that the reader (a partner: their organisation) has read the notice."""
    acknowledge_notice(session, actor=actor, ref=ref)
    return RedirectResponse(f"/notices/{ref}?acknowledged=1", status_code=303)
