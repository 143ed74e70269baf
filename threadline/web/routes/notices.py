"""Threat notice pages, the dissemination register, and the sharing dashboard.

- /notices: the notices the user may see (police: the region's published notices and
  their own force's drafts; partners: those sent to them, in their agreement's fields).
- /notices/new: the form; /notices/{ref}: the notice, with publish (each audience is
  checked and shown before the button) and withdraw for its force's analysts and LROs;
  readers acknowledge it (a partner for its organisation).
- /notices/{ref}/register, /groups/{id}/register and /sharing: in
  `routes/notices_register.py`.

Forms are plain POSTs that work without JavaScript; the services validate everything
and each problem is shown on its field in a GOV.UK error summary.
"""

from __future__ import annotations

from typing import Annotated, Any

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
    get_notice,
    list_notices,
    notice_form,
    preview_audiences,
    publish_notice,
    register_allowed,
    withdraw_notice,
)
from threadline.storage.ids import is_stored_id, typed_id
from threadline.web import forms_intel as forms
from threadline.web.deps import ActorDep, CsrfCheck, FormDep, SessionDep
from threadline.web.errors import audit_refusal
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])

RefPath = Annotated[str, Path(max_length=40)]
FIELDS = (
    "subject_id",
    "title",
    "threat",
    "place",
    "action",
    "contact",
    "areas",
    "review_date",
    "sanitised_id",
    "source_eval",
    "intel_eval",
    "handling",
    "conditions",
    "restricted_to",
    "marking",
    "audience_areas",
)
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
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "notices/new.html",
        {
            "values": values,
            "errors": errors,
            "partners": partners,
            "markings": forms.markings_for(actor),
            "source_evals": forms.SOURCE_EVALS,
            "intel_evals": forms.INTEL_EVALS,
            "handling_codes": forms.HANDLING_CODES,
        },
        actor=actor,
        status_code=status_code,
        title=("Error: " if errors else "") + "Create a threat notice",
    )


@router.get("/notices/new")
def new_notice_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    subject: Annotated[str, Query(max_length=20)] = "",
    sanitised: Annotated[str, Query(max_length=60)] = "",
) -> Response:
    """The notice form; `?subject=ID&sanitised=REF` fill in what a profile or report knows."""
    partners = notice_form(session, actor=actor)
    values: dict[str, Any] = dict.fromkeys(FIELDS, "")
    values |= {
        "subject_id": subject if subject.isdigit() else "",
        "sanitised_id": sanitised.strip(),
        "marking": "",
        "region": False,
        "partners": [],
    }
    return _form(request, actor, partners, values, [])


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
    audiences = [f"area:{code}" for code in _split(values["audience_areas"])]
    audiences += [f"agency:{code}" for code in partner_codes]
    if values["region"]:
        audiences.append("region")
    errors: list[tuple[str, str]] = []
    subject = values["subject_id"].strip()
    subject_id = typed_id(subject)
    if subject_id is None or not is_stored_id(subject_id):
        errors.append(
            ("subject_id", f"Enter the record id the notice is about, like 1042 (got “{subject}”)")
        )
    graded = bool(values["source_eval"] or values["intel_eval"] or values["handling"])
    if values["handling"] != "C":
        values["conditions"] = ""
        values["restricted_to"] = ""
    if not errors and subject_id is not None:  # an unusable subject is one of the errors
        try:
            view = create_notice(
                session,
                actor=actor,
                subject_id=subject_id,
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
            areas = set(_split(values["audience_areas"]))
            errors = [_message(e, areas) for e in exc.errors]
        else:
            return RedirectResponse(f"/notices/{view.ref}?created=1", status_code=303)
    return _form(request, actor, partners, values, errors, status_code=422)


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
    status_code: int = 200,
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
            "audiences": [str(a) for a in view.audiences],
            "acknowledged": acknowledgement(session, actor=actor, notice_id=view.id),
        },
        actor=actor,
        status_code=status_code,
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
    withdrawn: Annotated[str, Query(max_length=5)] = "",
    acknowledged: Annotated[str, Query(max_length=5)] = "",
) -> Response:
    """One notice, as policy lets the user see it."""
    view = get_notice(session, actor=actor, ref=ref)
    banner = (
        "Thank you: your acknowledgement is recorded"
        if acknowledged
        else f"Notice {view.ref} published to every audience"
        if published
        else f"Draft {view.ref} saved: check the audiences below, then publish it"
        if created
        else f"Notice {view.ref} withdrawn"
        if withdrawn
        else None
    )
    return _detail(request, session, actor, view, banner=banner)


@router.post("/notices/{ref}/publish")
def publish_page(request: Request, session: SessionDep, actor: ActorDep, ref: RefPath) -> Response:
    """Publish to all audiences, or show why not (nothing is sent then)."""
    try:
        view = publish_notice(session, actor=actor, ref=ref)
    except (Forbidden, InvalidData) as exc:
        session.rollback()
        if isinstance(exc, Forbidden):
            audit_refusal(request, exc)  # shown on the form, and logged like every refusal
        message = exc.detail
        view = get_notice(session, actor=actor, ref=ref)
        return _detail(
            request, session, actor, view, errors=[("publish", message)], status_code=422
        )
    return RedirectResponse(f"/notices/{view.ref}?published=1", status_code=303)


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
        view = get_notice(session, actor=actor, ref=ref)
        return _detail(request, session, actor, view, errors=errors, reason=reason, status_code=422)
    return RedirectResponse(f"/notices/{view.ref}?withdrawn=1", status_code=303)


@router.post("/notices/{ref}/acknowledge")
def acknowledge_page(
    request: Request, session: SessionDep, actor: ActorDep, ref: RefPath
) -> Response:
    """Record that the reader (a partner: their organisation) has read the notice."""
    acknowledge_notice(session, actor=actor, ref=ref)
    return RedirectResponse(f"/notices/{ref}?acknowledged=1", status_code=303)
