"""Alerts and watches: the tripwire alerts of the signed-in user, and watching records.

- GET /alerts: alerts grouped by record and kind (reads rolled into one daily summary a
  day; see `tripwires.triage`), unread groups first; filters `kind`, `state`
  (unread | read), `period` (day | week | month); paged (`page`). Each group opens (a
  GOV.UK details component, no JavaScript needed) to its alerts and links to the record.
- POST /alerts/read: mark read one group (`one`), the ticked groups (`groups`), every
  group on the page (`action=shown` with its `shown` keys), one alert (`alert_id`) or
  all (`all=1`); back to the same filters (Post/Redirect/Get).
- GET /watches: the records the user watches, with "Stop watching".
- POST /watches: watch a record (`entity_id`, optional `reason`); POST /watches/end
  stops. Both return to `next` (a path on this site), so profile pages can use the
  `alerts/_watch.html` partial.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from threadline.errors import FieldError, InvalidData, NotFound
from threadline.model.security import Actor
from threadline.policy import ResourceKind
from threadline.policy.alerts import Happened, happenings_told
from threadline.storage.ids import typed_id
from threadline.tripwires import (
    Period,
    ReadState,
    add_watch,
    end_watch,
    list_watches,
    mark_groups_read,
    mark_read,
    triage_alerts,
)
from threadline.web.deps import ActorDep, CsrfCheck, FormDep, SessionDep
from threadline.web.forms_admin import FormListsDep, pagination
from threadline.web.presenters_profiles import PATHS, href
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])
MAX_EXPANDED = 50  # alerts listed inside one group when it is opened

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
    Happened.ARRESTED: "Arrest",
    Happened.CHARGED: "Charge",
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


def _choice(value: str, allowed: type[Period] | type[ReadState]) -> str:
    return value if value in {m.value for m in allowed} else ""


@router.get("/alerts")
def alerts_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    done: str = "",
    kind: str = "",
    state: str = "",
    period: str = "",
    page: int = 1,
) -> Response:
    """Your tripwire alerts, grouped by record and kind (reads rolled into a daily
    summary), unread first; filtered by kind, read or unread, and period; paged."""
    kind = kind if kind in KIND_LABELS else ""
    chosen_state = ReadState(_choice(state, ReadState))
    chosen_period = Period(_choice(period, Period))
    triage = triage_alerts(
        session,
        actor=actor,
        kind=kind,
        state=chosen_state,
        period=chosen_period,
        page=page,
    )
    params = {"kind": kind, "state": chosen_state.value, "period": chosen_period.value}
    paged = pagination(
        triage.groups,
        page=triage.page,
        pages=triage.pages,
        total=triage.total_groups,
        path="/alerts",
        params=params,
    )
    groups = [
        {
            "key": g.key,
            "daily": g.daily,
            "unread": g.unread,
            "count": len(g.alerts),
            "kind": "Daily summary" if g.daily else _kind_label(g.kind),
            "headline": g.headline,
            "breakdown": g.breakdown if g.daily else "",
            "href": None if g.entity_id is None else _record_href(g.record_kind, g.entity_id),
            "record": g.record,
            "newest": g.newest,
            "alerts": [
                {
                    "id": a.alert.id,
                    "unread": a.alert.unread,
                    "summary": a.alert.summary,
                    "at": a.alert.created_at,
                    "href": _record_href(a.alert.record_kind, a.alert.entity_id),
                    "record": a.record,
                }
                for a in g.alerts[:MAX_EXPANDED]
            ],
            "more": max(0, len(g.alerts) - MAX_EXPANDED),
        }
        for g in triage.groups
    ]
    kinds = [
        (value, f"{label} ({triage.kinds.get(value, 0)})")
        for value, label in KIND_LABELS.items()
        if triage.kinds.get(value) or value == kind
    ]
    return render(
        request,
        "alerts/list.html",
        {
            "groups": groups,
            "paged": paged,
            "triage": triage,
            "kinds": kinds,
            "kind": kind,
            "state": chosen_state.value,
            "period": chosen_period.value,
            "filtered": any(params.values()),
            "done": _done(done),
            "told_activity": _told_activity(actor),
        },
        actor=actor,
        title="Alerts",
    )


def _kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def _done(done: str) -> str:
    """The success message: a fixed one, or "4 alerts marked as read"."""
    if done.isdigit() and len(done) < 7:
        n = int(done)
        return f"{n} alert{'s' if n != 1 else ''} marked as read" if n else "Nothing to mark read"
    return DONE.get(done, "")


def _back_to_alerts(form: dict[str, str], done: str) -> RedirectResponse:
    """Back to the alerts page with the filters the form was sent from."""
    params = {k: form.get(k, "") for k in ("kind", "state", "period", "page")}
    query = urlencode({**{k: v for k, v in params.items() if v}, "done": done})
    return RedirectResponse(f"/alerts?{query}", status_code=303)


@router.post("/alerts/read")
def read_alerts(
    session: SessionDep, actor: ActorDep, form: FormDep, lists: FormListsDep
) -> Response:
    """Mark alerts read: one group ("Mark as read" on it, `one`), the ticked groups
    (`groups`, "Mark selected read"), every group on the page (`shown`, "Mark all shown
    read"), or, as before, one alert (`alert_id`) or all (`all=1`)."""
    if form.get("all"):
        mark_read(session, actor=actor)
        return _back_to_alerts(form, "all")
    upto = typed_id(form.get("upto", "").strip())
    keys: list[str] = []
    if form.get("one"):
        keys = [form["one"]]
    elif form.get("action") == "shown":
        keys = lists.get("shown", [])
    elif form.get("action") == "selected" or "groups" in lists:
        keys = lists.get("groups", [])
        if not keys:
            raise InvalidData(
                [FieldError("groups", "", "at least one group of alerts ticked to mark read")]
            )
    if keys:
        marked = mark_groups_read(session, actor=actor, keys=keys, upto=upto)
        return _back_to_alerts(form, str(marked))
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
