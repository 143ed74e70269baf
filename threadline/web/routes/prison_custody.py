"""Custody pages for prison intelligence officers (registered by routes/prison.py).

- GET/POST /prison/custody/new: record a custody episode (the person by PNC id or by
  their Threadline id).
- GET/POST /prison/custody/{id}: change the dates (release, recall, licence).
- POST /prison/custody/{id}/transfer: move the prisoner to another establishment.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.errors import FieldError, InvalidData, InvalidValue
from threadline.importer.fields import pnc_id
from threadline.model.security import Actor
from threadline.prison.custody import get_custody, record_custody, transfer_custody, update_custody
from threadline.prison.types import Category, CustodyDetails
from threadline.storage.tables import PersonRow
from threadline.web.deps import ActorDep, CsrfCheck, FormDep, SessionDep
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])

DATES = (
    "received_on",
    "sentenced_on",
    "release_date",
    "parole_eligible_on",
    "licence_end",
    "released_on",
    "recalled_on",
)
KEYS = ("person", "prison_number", "sentence_months", "category", *DATES)


def _errors(exc: InvalidData) -> list[tuple[str, str]]:
    found = []
    for error in exc.errors:
        field = error.location if error.location in KEYS else "person"
        got = f" (got “{error.received}”)" if error.received.strip() else ""
        label = error.location.replace("_", " ")
        found.append((field, f"{label[:1].upper()}{label[1:]}: enter {error.expected}{got}"))
    return found


def _person_id(session: Session, text: str) -> int | None:
    if text.isdigit():
        return int(text)
    try:
        pnc = pnc_id(text)
    except InvalidValue:
        return None
    return session.scalar(select(PersonRow.entity_id).where(PersonRow.pnc_id == pnc).limit(1))


def _details(
    session: Session, values: dict[str, str], person_id: int | None = None
) -> tuple[CustodyDetails | None, list[tuple[str, str]]]:
    errors: list[tuple[str, str]] = []
    person = person_id if person_id is not None else _person_id(session, values["person"])
    if person is None:
        errors.append(("person", "Person: enter their PNC id (e.g. 98/123456A) or Threadline id"))
    days: dict[str, date | None] = {}
    for key in DATES:
        try:
            days[key] = date.fromisoformat(values[key]) if values[key] else None
        except ValueError:
            errors.append(
                (key, f"{key.replace('_', ' ').capitalize()}: enter a date as YYYY-MM-DD")
            )
    if days.get("received_on") is None and "received_on" not in dict(errors):
        errors.append(("received_on", "Received on: enter the date received into custody"))
    months = values["sentence_months"]
    if months and not months.isdigit():
        errors.append(("sentence_months", "Sentence months: enter a whole number of months"))
    if errors or person is None:
        return None, errors
    received = days["received_on"]
    assert received is not None
    return (
        CustodyDetails(
            person_id=person,
            prison_number=values["prison_number"],
            received_on=received,
            sentenced_on=days["sentenced_on"],
            sentence_months=int(months) if months else None,
            category=values["category"],
            release_date=days["release_date"],
            parole_eligible_on=days["parole_eligible_on"],
            licence_end=days["licence_end"],
            released_on=days["released_on"],
            recalled_on=days["recalled_on"],
        ),
        [],
    )


def _form(
    request: Request,
    actor: Actor,
    values: dict[str, str],
    errors: list[tuple[str, str]],
    *,
    episode_id: int | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "prison/custody_form.html",
        {
            "values": values,
            "errors": errors,
            "episode_id": episode_id,
            "categories": [(c.value, c.value) for c in Category],
        },
        actor=actor,
        title="Change a custody record" if episode_id else "Record a custody episode",
        status_code=status_code,
    )


@router.get("/prison/custody/new")
def new_form(request: Request, actor: ActorDep) -> Response:
    """The form to record a custody episode at your prison."""
    return _form(request, actor, dict.fromkeys(KEYS, ""), [])


@router.post("/prison/custody/new")
def new_submit(request: Request, session: SessionDep, actor: ActorDep, form: FormDep) -> Response:
    """Record the episode, or show the form again with what to correct."""
    values = {key: form.get(key, "").strip() for key in KEYS}
    details, errors = _details(session, values)
    if details is not None:
        try:
            record_custody(session, actor=actor, details=details)
        except InvalidData as exc:
            errors = _errors(exc)
        else:
            return RedirectResponse("/prison?done=custody", status_code=303)
    return _form(request, actor, values, errors, status_code=422)


@router.get("/prison/custody/{episode_id}")
def edit_form(request: Request, session: SessionDep, actor: ActorDep, episode_id: int) -> Response:
    """The form to change an episode's dates, and to transfer the prisoner."""
    view = get_custody(session, actor=actor, episode_id=episode_id)
    values = {key: "" if view.get(key) is None else str(view.get(key)) for key in KEYS}
    values["person"] = str(view["person_id"])
    values["release_date"] = str(view.get("expected_release") or "")
    return _form(request, actor, values, [], episode_id=episode_id)


@router.post("/prison/custody/{episode_id}")
def edit_submit(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, episode_id: int
) -> Response:
    """Change the episode, or show the form again with what to correct."""
    values = {key: form.get(key, "").strip() for key in KEYS}
    details, errors = _details(session, values, person_id=0)
    if details is not None:
        try:
            update_custody(session, actor=actor, episode_id=episode_id, details=details)
        except InvalidData as exc:
            errors = _errors(exc)
        else:
            return RedirectResponse("/prison?done=custody", status_code=303)
    return _form(request, actor, values, errors, episode_id=episode_id, status_code=422)


@router.post("/prison/custody/{episode_id}/transfer")
def transfer_submit(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, episode_id: int
) -> Response:
    """Transfer the prisoner to another establishment."""
    raw = form.get("on", "").strip()
    try:
        on = date.fromisoformat(raw)
    except ValueError:
        raise InvalidData([FieldError("on", raw, "the transfer date as YYYY-MM-DD")]) from None
    transfer_custody(
        session, actor=actor, episode_id=episode_id, to=form.get("to", "").strip(), on=on
    )
    return RedirectResponse("/prison?done=transferred", status_code=303)
