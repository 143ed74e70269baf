"""Alerts and watches: the tripwire alerts of the signed-in user, and watching records.

- GET /alerts: unread first, newest first; each links to the record's profile.
- POST /alerts/read: mark one alert (`alert_id`) or all (`all=1`) as read.
- GET /watches: the records the user watches, with "Stop watching".
- POST /watches: watch a record (`entity_id`, optional `reason`); POST /watches/end
  stops. Both return to `next` (a path on this site), so profile pages can use the
  `alerts/_watch.html` partial.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from threadline.errors import FieldError, InvalidData, NotFound
from threadline.model.security import Actor
from threadline.policy import ResourceKind
from threadline.policy.alerts import Happened, happenings_told
from threadline.storage.ids import typed_id
from threadline.tripwires import (
    add_watch,
    end_watch,
    list_alerts,
    list_watches,
    mark_read,
)
from threadline.web.deps import ActorDep, CsrfCheck, FormDep, SessionDep
from threadline.web.presenters_profiles import PATHS, href
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])

DONE = {
    "read": "Alert marked as read",
    "all": "All alerts marked as read",
    "watching": "You are now watching this record",
    "stopped": "You have stopped watching this record",
}
# What each kind of alert is called on the page (see `policy.alerts.Happened`).
KIND_LABELS: dict[str, str] = {
    Happened.CHECKED: "Check",
    Happened.OPENED: "Record opened",
    Happened.LOOKED_AT: "Record looked at",
    Happened.INTELLIGENCE: "Intelligence",
    Happened.IMPORTED: "Import",
    Happened.CUSTODY: "Custody",
    Happened.PRISON_INTEL: "Prison intelligence",
    Happened.CONCERN_RAISED: "Concern",
    Happened.CONCERN_ANSWERED: "Response to a concern",
    Happened.SCREENED: "Screening",
    Happened.REFERRED: "Referral",
    Happened.NOTICE_PUBLISHED: "Threat notice",
    Happened.REPORT_SHARED: "Sanitised report",
    Happened.RELEASED: "Release",
}


def _when(at: datetime) -> str:
    return f"{at:%H:%M} on {at.day} {at:%B %Y}"


def _told_activity(actor: Actor) -> bool:
    """Whether policy tells the actor what others do with records (police watchers do;
    partners are told only what reaches their organisation)."""
    return Happened.CHECKED in happenings_told(actor)


def _record_href(kind: str, entity_id: int) -> str | None:
    try:
        resource = ResourceKind(kind)
    except ValueError:
        return None
    return href(resource, entity_id) if resource in PATHS else None


@router.get("/alerts")
def alerts_page(request: Request, session: SessionDep, actor: ActorDep, done: str = "") -> Response:
    """Your tripwire alerts: unread first, then newest first."""
    alerts = list_alerts(session, actor=actor)
    items = [
        {
            "id": a.id,
            "unread": a.unread,
            "kind": KIND_LABELS.get(a.kind, a.kind.replace("_", " ").capitalize()),
            "summary": a.summary,
            "when": _when(a.created_at),
            "iso": a.created_at.isoformat(timespec="seconds"),
            "href": _record_href(a.record_kind, a.entity_id),
        }
        for a in alerts
    ]
    unread = sum(1 for item in items if item["unread"])
    return render(
        request,
        "alerts/list.html",
        {
            "alerts": items,
            "unread": unread,
            "done": DONE.get(done, ""),
            "told_activity": _told_activity(actor),
        },
        actor=actor,
        title="Alerts",
    )


@router.post("/alerts/read")
def read_alerts(session: SessionDep, actor: ActorDep, form: FormDep) -> Response:
    """Mark one alert, or all of them, as read."""
    if form.get("all"):
        mark_read(session, actor=actor)
        return RedirectResponse("/alerts?done=all", status_code=303)
    raw = form.get("alert_id", "").strip()
    alert_id = typed_id(raw)
    if alert_id is None:
        raise InvalidData([FieldError("alert_id", raw, "the number of one of your alerts")])
    mark_read(session, actor=actor, alert_ids=[alert_id])
    return RedirectResponse(f"/alerts?done=read#alert-{raw}", status_code=303)


@router.get("/watches")
def watches_page(
    request: Request, session: SessionDep, actor: ActorDep, watch: str = ""
) -> Response:
    """The records you watch, and why."""
    watches = [
        {
            "entity_id": w.entity_id,
            "name": w.name,
            "reason": w.reason,
            "automatic": w.automatic,
            "since": _when(w.created_at),
            "href": _record_href(w.kind, w.entity_id),
        }
        for w in list_watches(session, actor=actor)
    ]
    return render(
        request,
        "alerts/watches.html",
        {"watches": watches, "done": DONE.get(watch, ""), "told_activity": _told_activity(actor)},
        actor=actor,
        title="Records you watch",
    )


def _entity(form: dict[str, str]) -> int:
    raw = form.get("entity_id", "").strip()
    entity_id = typed_id(raw)
    if entity_id is None:
        raise InvalidData([FieldError("entity_id", raw, "the number of a record")])
    return entity_id


def _back(form: dict[str, str], done: str) -> RedirectResponse:
    """Back to the page the form was on (a path of this site only), else /watches."""
    target = form.get("next", "").strip()
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = "/watches"
    glue = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{glue}watch={done}", status_code=303)


@router.post("/watches")
def start_watching(session: SessionDep, actor: ActorDep, form: FormDep) -> Response:
    """Watch a record: you are alerted when anyone else touches it."""
    add_watch(session, actor=actor, entity_id=_entity(form), reason=form.get("reason", ""))
    return _back(form, "watching")


@router.post("/watches/end")
def stop_watching(session: SessionDep, actor: ActorDep, form: FormDep) -> Response:
    """Stop watching a record you watch by hand."""
    with suppress(NotFound):  # already not watching: the page shows the state as it is
        end_watch(session, actor=actor, entity_id=_entity(form))
    return _back(form, "stopped")
