"""The police front door and partners' own concerns.

- /safeguarding/front-door: partner concerns awaiting a police response, rated and timed
  (police of the child's force and the regional unit; the rule is on the page).
- /safeguarding/front-door/{id}: one concern, with the outcome and feedback form.
- /safeguarding/concerns: the concerns the user's organisation raised, with the police
  responses as its agreement allows.
- /safeguarding/new-child: raise a concern about a child a check did not find.

Forms are plain POSTs (Post/Redirect/Get); services check everything. A refused answer
is rolled back, its answers and errors kept for the form's GET (`page_forms`), and the
browser sent back there (303).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from threadline.errors import InvalidData
from threadline.safeguarding.concerns import ConcernOutcome
from threadline.safeguarding.front_door import (
    RAG_RULE,
    Targets,
    front_door,
    front_door_concern,
    raised_concerns,
    respond_at_front_door,
)
from threadline.safeguarding.new_child import (
    ChildGiven,
    raise_about_child,
    require_may_raise_about_child,
)
from threadline.settings import Settings
from threadline.storage.ids import MAX_ID
from threadline.web import page_forms
from threadline.web.deps import ActorDep, CsrfCheck, FormDep, SessionDep
from threadline.web.routes.safeguarding import indicator_sets
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])
ConcernId = Annotated[int, Path(ge=1, le=MAX_ID)]
NOTICES = {
    "answered": "Response recorded: the partner sees it as your agreement with them allows",
    "raised": "Concern raised: police will look at it at their front door",
}


CHOICES = frozenset({"outcome"})  # fields answered by choosing, not typing


def field_errors(exc: InvalidData, fields: set[str], default: str) -> list[tuple[str, str]]:
    """(field id, message) for each error, in words: "Enter ..." and what was received."""
    found = []
    for error in exc.errors:
        field = error.location if error.location in fields else default
        got = f" (you entered “{error.received.strip()}”)" if error.received.strip() else ""
        verb = "Choose" if field in CHOICES else "Enter"
        found.append((field, f"{verb} {error.expected}{got}"))
    return found


def targets_of(request: Request) -> Targets:
    """The response targets configured (settings `front_door_*_hours`)."""
    settings: Settings = request.app.state.settings
    return Targets(
        red=settings.front_door_red_hours,
        amber=settings.front_door_amber_hours,
        green=settings.front_door_green_hours,
    )


@router.get("/safeguarding/front-door")
def front_door_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    done: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """Partner concerns awaiting a police response, most urgent first."""
    found = front_door(session, actor=actor, targets=targets_of(request))
    return render(
        request,
        "safeguarding/front_door.html",
        {"door": found, "rule": RAG_RULE, "notice": NOTICES.get(done, "")},
        actor=actor,
        title="Front door: partner concerns",
    )


def _concern_page(
    request: Request, session: SessionDep, actor: ActorDep, concern_id: int,
    values: dict[str, str], errors: list[tuple[str, str]],
) -> Response:  # fmt: skip
    item = front_door_concern(
        session, actor=actor, concern_id=concern_id, targets=targets_of(request)
    )
    return render(
        request,
        "safeguarding/front_door_concern.html",
        {
            "item": item,
            "values": values,
            "errors": errors,
            "outcomes": [(o.value, o.label, "") for o in ConcernOutcome],
        },
        actor=actor,
        title=("Error: " if errors else "") + f"Concern about {item.name}",
    )


@router.get("/safeguarding/front-door/{concern_id}")
def front_door_concern_page(
    request: Request, session: SessionDep, actor: ActorDep, concern_id: ConcernId
) -> Response:
    """One concern at the front door, with the response form (and the answers and errors
    of a refused response: Post/Redirect/Get)."""
    refused = page_forms.take(request)
    values, errors = (refused.values, refused.errors) if refused else ({}, [])
    return _concern_page(request, session, actor, concern_id, values, errors)


@router.post("/safeguarding/front-door/{concern_id}")
def front_door_respond(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, concern_id: ConcernId
) -> Response:
    """Record the outcome and the feedback to the partner, then back to the queue."""
    try:
        respond_at_front_door(
            session,
            actor=actor,
            concern_id=concern_id,
            outcome=form.get("outcome", ""),
            feedback=form.get("response", ""),
        )
    except InvalidData as exc:
        errors = field_errors(exc, {"outcome", "response"}, "response")
        path = f"/safeguarding/front-door/{concern_id}"
        return page_forms.refuse(request, session, path, "response", form, errors)
    return RedirectResponse("/safeguarding/front-door?done=answered", status_code=303)


@router.get("/safeguarding/concerns")
def raised_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    done: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """The concerns the user's organisation raised, and what police said."""
    return render(
        request,
        "safeguarding/raised.html",
        {"concerns": raised_concerns(session, actor=actor), "notice": NOTICES.get(done, "")},
        actor=actor,
        title="Concerns you raised",
    )


def _child_form(
    request: Request, actor: ActorDep, values: dict[str, str],
    errors: list[tuple[str, str]],
) -> Response:  # fmt: skip
    return render(
        request,
        "safeguarding/new_child.html",
        {"values": values, "errors": errors, "sets": indicator_sets()},
        actor=actor,
        title=("Error: " if errors else "") + "Raise a concern about a child",
    )


@router.get("/safeguarding/new-child")
def new_child_form(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """Raise a concern about a child a check did not find, by what you know of them (and
    the answers and errors of a refused one: Post/Redirect/Get)."""
    require_may_raise_about_child(session, actor=actor)
    refused = page_forms.take(request)
    values, errors = (refused.values, refused.errors) if refused else ({}, [])
    return _child_form(request, actor, values, errors)


CHILD_FIELDS = ("family_name", "given_names", "date_of_birth", "postcode", "address", "school")


@router.post("/safeguarding/new-child")
def new_child_submit(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep
) -> Response:
    """Record the child and the concern, then show the concerns raised."""
    chosen = [code for _, indicators in indicator_sets() for code, _ in indicators]
    try:
        raise_about_child(
            session,
            actor=actor,
            child=ChildGiven(**{name: form.get(name, "") for name in CHILD_FIELDS}),
            text=form.get("text", ""),
            indicators=[code for code in chosen if form.get(f"ind-{code}") == "1"],
            case_ref=form.get("case_ref", ""),
        )
    except InvalidData as exc:
        errors = field_errors(exc, {*CHILD_FIELDS, "text", "case_ref"}, "text")
        return page_forms.refuse(request, session, "/safeguarding/new-child", "child", form, errors)
    return RedirectResponse("/safeguarding/concerns?done=raised", status_code=303)
