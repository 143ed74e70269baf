"""Custody pages for prison intelligence officers (the other prison pages: routes/prison.py).

- GET/POST /prison/custody/new: record a custody episode. The person is chosen from a
  search (`?q=`: name, PNC id or prison number) over the records the prison may see, or,
  when none is chosen, the prisoner is recorded by their details for police to match.
- GET/POST /prison/custody/{id}: change the dates (release, recall, licence).
- POST /prison/custody/{id}/transfer: move the prisoner to another establishment (a
  refused transfer goes back to the episode's page with its errors: Post/Redirect/Get).
"""

from __future__ import annotations

import re
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from threadline.clock import uk_date
from threadline.errors import FieldError, InvalidData
from threadline.model.security import Actor
from threadline.policy import Action
from threadline.prison.choosing import Candidate, search_people
from threadline.prison.custody import (
    episode_actions,
    get_custody,
    record_custody,
    transfer_custody,
    update_custody,
)
from threadline.prison.dashboard import prison_actions
from threadline.prison.types import Category, CustodyDetails
from threadline.reference import geography
from threadline.storage.ids import typed_id
from threadline.web import page_forms
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
    "date_of_birth",
)
KEYS = (
    "person",
    "prison_number",
    "sentence_months",
    "category",
    *DATES,
    "family_name",
    "given_names",
    "pnc_id",
)
# A chosen value that is not a record id: answered like an id of no record.
NO_RECORD = 0
TRANSFER_KEYS = ("to", "on")
TRANSFER_LABELS = {"to": "Prison", "on": "Date of transfer"}
_ISO_DAY = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")  # a limit the service gives, "2025-09-14"


def _errors(exc: InvalidData) -> list[tuple[str, str]]:
    found = []
    for error in exc.errors:
        field = error.location if error.location in KEYS else "person"
        got = f" (got “{error.received}”)" if error.received.strip() else ""
        label = error.location.replace("_", " ").replace("pnc id", "PNC id")
        expected = page_forms.limits_in_words(error.expected)
        for key in KEYS:  # another field named in words ("on or after received on")
            expected = expected.replace(key, key.replace("_", " "))
        found.append((field, f"{label[:1].upper()}{label[1:]}: enter {expected}{got}"))
    return found


def _transfer_errors(exc: InvalidData) -> list[tuple[str, str]]:
    """(field id, message) for each problem of the transfer form: a prison by the words
    the form offers (its code is what is sent), a date as entered."""
    found = []
    for error in exc.errors:
        if error.location == "to":
            other = "other than" in error.expected  # the prison holding them now
            expected = error.expected if other else "the prison they go to from the list"
            found.append(("to", f"Prison: choose {expected}"))
            continue
        field = error.location if error.location in TRANSFER_LABELS else "on"
        got = f" (you entered “{error.received}”)" if error.received.strip() else ""
        expected = _ISO_DAY.sub(lambda day: uk_date(day[1]), error.expected)
        found.append((field, f"{TRANSFER_LABELS[field]}: enter {expected}{got}"))
    return found


def _person_id(text: str) -> int | None:
    """The chosen person's id; None when none is chosen (record by details)."""
    if not text:
        return None
    chosen = typed_id(text)
    return chosen if chosen is not None else NO_RECORD


def _details(
    values: dict[str, str], person_id: int | None
) -> tuple[CustodyDetails | None, list[tuple[str, str]]]:
    errors: list[tuple[str, str]] = []
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
    if errors:
        return None, errors
    received = days["received_on"]
    assert received is not None
    return (
        CustodyDetails(
            person_id=person_id,
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
            family_name=values["family_name"],
            given_names=values["given_names"],
            date_of_birth=days["date_of_birth"],
            pnc_id=values["pnc_id"],
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
    query: str = "",
    candidates: list[Candidate] | None = None,
    allowed: frozenset[Action] = frozenset(),
    transfer: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "prison/custody_form.html",
        {
            "values": values,
            "errors": errors,
            "episode_id": episode_id,
            "query": query,
            "searched": candidates is not None,
            "candidates": [(str(c.person_id), c.label) for c in candidates or []],
            "categories": [(c.value, c.value) for c in Category],
            # A transfer is to a prison chosen by its name (its code is the value sent).
            "prisons": sorted(((p.code, p.name) for p in geography.PRISONS), key=lambda p: p[1]),
            "allowed": allowed,
            "transfer": transfer or dict.fromkeys(TRANSFER_KEYS, ""),
        },
        actor=actor,
        title=("Error: " if errors else "")
        + ("Change a custody record" if episode_id else "Record a custody episode"),
    )


@router.get("/prison/custody/new")
def new_form(request: Request, session: SessionDep, actor: ActorDep, q: str = "") -> Response:
    """The form to record a custody episode at your prison, with the person search (and
    the answers and errors of a refused one: Post/Redirect/Get)."""
    query = q.strip()[:100]
    candidates = search_people(session, actor=actor, text=query) if query else None
    allowed = prison_actions(session, actor=actor).custody
    refused = page_forms.take(request)
    values = dict.fromkeys(KEYS, "") | (refused.values if refused else {})
    errors = refused.errors if refused else []
    return _form(
        request, actor, values, errors, query=query, candidates=candidates, allowed=allowed
    )


@router.post("/prison/custody/new")
def new_submit(request: Request, session: SessionDep, actor: ActorDep, form: FormDep) -> Response:
    """Record the episode, or show the form again with what to correct."""
    values = {key: form.get(key, "").strip() for key in KEYS}
    details, errors = _details(values, _person_id(values["person"]))
    if details is not None:
        try:
            record_custody(session, actor=actor, details=details)
        except InvalidData as exc:
            errors = _errors(exc)
        else:
            return RedirectResponse("/prison?done=custody", status_code=303)
    # The choice is not echoed: a refused person and a missing one read the same.
    values["person"] = ""
    return page_forms.refuse(request, session, "/prison/custody/new", "new", values, errors)


@router.get("/prison/custody/{episode_id}")
def edit_form(request: Request, session: SessionDep, actor: ActorDep, episode_id: int) -> Response:
    """The form to change an episode's dates, and to transfer the prisoner (with the
    answers and errors of a refused change: Post/Redirect/Get)."""
    view = get_custody(session, actor=actor, episode_id=episode_id)
    values = {key: "" if view.get(key) is None else str(view.get(key)) for key in KEYS}
    values["person"] = ""
    values["release_date"] = str(view.get("expected_release") or "")
    refused = page_forms.take(request)
    values |= (refused.values_of("change") or {}) if refused else {}
    transfer = (refused.values_of("transfer") if refused else None) or None
    errors = refused.errors if refused else []
    allowed = episode_actions(session, actor=actor, episode_id=episode_id)
    return _form(
        request, actor, values, errors, episode_id=episode_id, allowed=allowed, transfer=transfer
    )


@router.post("/prison/custody/{episode_id}")
def edit_submit(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, episode_id: int
) -> Response:
    """Change the episode, or show the form again with what to correct."""
    values = {key: form.get(key, "").strip() for key in KEYS}
    details, errors = _details(values, person_id=None)
    if details is not None:
        try:
            update_custody(session, actor=actor, episode_id=episode_id, details=details)
        except InvalidData as exc:
            errors = _errors(exc)
        else:
            return RedirectResponse("/prison?done=custody", status_code=303)
    path = f"/prison/custody/{episode_id}"
    return page_forms.refuse(request, session, path, "change", values, errors)


@router.post("/prison/custody/{episode_id}/transfer")
def transfer_submit(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, episode_id: int
) -> Response:
    """Transfer the prisoner to another establishment, or go back to the episode's page
    with every missing or bad answer of the transfer form."""
    values = {key: form.get(key, "").strip() for key in TRANSFER_KEYS}
    bad: list[FieldError] = []
    if not values["to"]:
        bad.append(FieldError("to", "", "the prison"))
    on: date | None = None
    try:
        on = date.fromisoformat(values["on"])
    except ValueError:
        bad.append(FieldError("on", values["on"], "the transfer date as YYYY-MM-DD"))
    try:
        if bad or on is None:
            raise InvalidData(bad)
        transfer_custody(session, actor=actor, episode_id=episode_id, to=values["to"], on=on)
    except InvalidData as exc:
        errors = _transfer_errors(exc)
        path = f"/prison/custody/{episode_id}"
        return page_forms.refuse(request, session, path, "transfer", values, errors)
    return RedirectResponse("/prison?done=transferred", status_code=303)
