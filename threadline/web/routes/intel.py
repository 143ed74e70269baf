"""Intelligence pages: submit a graded report, list and read reports, sanitise them.

Forms are plain POSTs that work without JavaScript (the code C conditions are revealed
by GOV.UK's conditional radios where scripts run, and shown to everyone else); the
services validate everything and each problem is shown on its field. What a page shows
is what the services return, already reduced by policy; links and forms a user may not
use are left out after asking policy, and the services refuse them anyway.
The records a report is about are named as the user may see each one (policy decides
each, as on its profile) and linked to their profiles; one they may not see is left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, cast

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from threadline.accounts import agency_names
from threadline.errors import InvalidData
from threadline.intel import (
    ReportView,
    SourceDetails,
    get_report,
    list_reports,
    list_sanitised,
    offered,
    require_submitter,
    sanitise,
    submit_report,
)
from threadline.model.security import Actor
from threadline.policy import (
    Action,
    ResourceKind,
    Scope,
)
from threadline.profiles.shown import records_shown
from threadline.web import forms_intel as forms
from threadline.web import page_forms
from threadline.web import presenters_intel as present
from threadline.web.deps import ActorDep, CsrfCheck, FormDep, SessionDep
from threadline.web.routes.admin import KIND_LABELS
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])

PAGE_SIZE = 20
LONG_FIELDS = frozenset({"fact", "assessment", "conditions", "text"})
REPORT_FIELDS = (
    "subjects",
    "fact",
    "assessment",
    "source_eval",
    "intel_eval",
    "handling",
    "conditions",
    "restricted_to",
    "marking",
    "priority",
    "scope",
    "area_code",
    "source_type",
    "source_ref",
    "source_description",
    "source_handler",
    "unit",
)
SANITISE_FIELDS = (
    "text",
    "source_eval",
    "intel_eval",
    "handling",
    "conditions",
    "restricted_to",
    "marking",
)
KeyPath = Annotated[str, Path(max_length=60)]


def _values(form: dict[str, str], names: tuple[str, ...]) -> dict[str, str]:
    return {
        name: forms.clean(
            form.get(name), forms.MAX_TEXT if name in LONG_FIELDS else forms.MAX_SHORT
        )
        for name in names
    }


def _choices() -> dict[str, Any]:
    return {
        "source_evals": forms.SOURCE_EVALS,
        "intel_evals": forms.INTEL_EVALS,
        "handling_codes": forms.HANDLING_CODES,
    }


def names(session: Session) -> present.Names:
    """What organisation codes and kinds read as on the intelligence pages."""
    return present.Names(
        agencies=agency_names(session),
        kinds={kind.value: label for kind, label in KIND_LABELS.items()} | {"police": "Police"},
    )


def subjects_shown(
    session: Session, actor: Actor, views: Iterable[ReportView]
) -> dict[int, present.Subject]:
    """The subjects of `views` the actor may see, by id, each named as they may see it
    (one the actor may not see is left out: the page neither names it nor says it is
    there)."""
    ids = {i for view in views for i in cast(list[int], view.get("subjects") or [])}
    return {
        entity_id: present.subject(record.kind, record)
        for entity_id, record in records_shown(session, actor=actor, ids=ids).items()
    }


# --------------------------------------------------------------------------- list


@router.get("/intelligence")
def reports_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> Response:
    """Intelligence reports the user may read, newest first, a page at a time."""
    views = list_reports(session, actor=actor, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    allowed = offered(session, actor=actor)
    shown = subjects_shown(session, actor, views)
    return render(
        request,
        "intel/list.html",
        {
            "reports": [present.report_line(view, shown) for view in views],
            "page": page,
            "previous": page - 1 if page > 1 else None,
            "next": page + 1 if views.more else None,
            "may_submit": Action.CREATE in allowed[ResourceKind.INTEL_REPORT],
        },
        actor=actor,
        title="Intelligence" if page == 1 else f"Intelligence (page {page})",
    )


# --------------------------------------------------------------------------- submit


def _submit_form(
    request: Request,
    session: Session,
    actor: Actor,
    values: dict[str, str],
    errors: list[tuple[str, str]],
) -> Response:
    return render(
        request,
        "intel/new.html",
        {
            **_choices(),
            "values": values,
            "errors": errors,
            "markings": forms.markings_for(actor),
            "priorities": forms.PRIORITIES,
            "scopes": forms.SCOPES,
            "source_types": forms.SOURCE_TYPES,
            "areas": forms.AREAS,
            "unit_text": actor.unit
            or f"the intelligence unit of {names(session).agency(actor.agency_code)}",
            "show_unit": bool(values["unit"]) or any(f == "unit" for f, _ in errors),
        },
        actor=actor,
        title=("Error: " if errors else "") + "Submit intelligence",
    )


@router.get("/intelligence/new")
def new_report_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    subject: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """The submission form; `?subject=ID` fills in the subject (e.g. from a profile). A
    refused report's answers and errors are shown again here (Post/Redirect/Get)."""
    require_submitter(session, actor=actor)
    refused = page_forms.take(request)
    if refused is not None:
        kept = dict.fromkeys(REPORT_FIELDS, "") | refused.values
        return _submit_form(request, session, actor, kept, refused.errors)
    values = dict.fromkeys(REPORT_FIELDS, "")
    values |= {
        "subjects": subject.strip() if subject.strip().isdigit() else "",
        "marking": forms.default_marking(actor),
        "priority": "routine",
        "scope": "region",
    }
    return _submit_form(request, session, actor, values, [])


@router.post("/intelligence/new")
def submit_report_page(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep
) -> Response:
    """Submit the report; on success go to it with a confirmation banner."""
    values = _values(form, REPORT_FIELDS)
    subjects, errors = forms.parse_subjects(values["subjects"])
    code_c = values["handling"] == "C"
    if not code_c:  # hidden with P chosen (shown without JavaScript): ignored
        values["conditions"] = values["restricted_to"] = ""
    if not errors:
        try:
            view = submit_report(
                session,
                actor=actor,
                fact=values["fact"],
                assessment=values["assessment"],
                grading=forms.grading_of(values),
                marking=values["marking"],
                subjects=subjects,
                source=SourceDetails(
                    source_ref=values["source_ref"],
                    source_type=values["source_type"],
                    description=values["source_description"],
                    handler=values["source_handler"],
                ),
                priority=values["priority"],
                area_code=values["area_code"] or None,
                restricted_to=forms.parse_words(values["restricted_to"]),
                unit=values["unit"] or None,
                scope=cast(Scope, values["scope"]),
            )
        except InvalidData as exc:
            errors = [forms.message(e, fallback="fact") for e in exc.errors]
        else:
            return RedirectResponse(f"/intelligence/{view.ref}?submitted=1", status_code=303)
    return page_forms.refuse(request, session, "/intelligence/new", "report", values, errors)


# --------------------------------------------------------------------------- detail


def _sanitise_defaults(actor: Actor, view: ReportView) -> dict[str, str]:
    marking = str(view.get("marking") or forms.default_marking(actor))
    return {
        "text": "",
        "source_eval": str(view.get("source_eval") or ""),
        "intel_eval": str(view.get("intel_eval") or ""),
        "handling": str(view.get("handling") or ""),
        "conditions": str(view.get("conditions") or ""),
        "restricted_to": ", ".join(str(w) for w in cast(list[str], view.get("restricted_to", []))),
        "marking": marking,
    }


def _detail(
    request: Request,
    session: Session,
    actor: Actor,
    view: ReportView,
    *,
    values: dict[str, str] | None = None,
    errors: list[tuple[str, str]] | None = None,
    banner: str | None = None,
    sanitised_ref: str = "",
) -> Response:
    versions = list_sanitised(session, actor=actor, report_id=view.id, limit=50)
    if sanitised_ref and any(v.ref == sanitised_ref for v in versions):
        banner = f"Sanitised version {sanitised_ref} created"
    allowed = offered(session, actor=actor, report=view)
    errors = errors or []
    return render(
        request,
        "intel/detail.html",
        {
            **_choices(),
            "report": view,
            "conditions": view.conditions,
            "rows": present.report_rows(view, names(session)),
            "subjects": present.subjects_of(view, subjects_shown(session, actor, [view])),
            "source_rows": present.source_rows(view),
            "source_withheld": present.source_withheld(view),
            "versions": versions,
            "may_sanitise": Action.CREATE in allowed[ResourceKind.SANITISED_REPORT],
            "markings": forms.markings_for(actor),
            "values": values or _sanitise_defaults(actor, view),
            "errors": errors,
            "banner": banner,
        },
        actor=actor,
        title=("Error: " if errors else "") + f"Intelligence report {view.ref}",
    )


@router.get("/intelligence/{key}")
def report_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    key: KeyPath,
    submitted: Annotated[str, Query(max_length=10)] = "",
    sanitised: Annotated[str, Query(max_length=60)] = "",
) -> Response:
    """One report by id or reference, as policy lets the user see it (with the answers and
    errors of a refused sanitised version: Post/Redirect/Get)."""
    view = get_report(session, actor=actor, report_id=forms.record_key(key))
    refused = page_forms.take(request)
    if refused is not None:
        kept = _sanitise_defaults(actor, view) | refused.values
        return _detail(request, session, actor, view, values=kept, errors=refused.errors)
    banner = f"Report {view.ref} submitted" if submitted else None
    return _detail(request, session, actor, view, banner=banner, sanitised_ref=sanitised)


@router.post("/intelligence/{key}/sanitise")
def sanitise_page(
    request: Request, session: SessionDep, actor: ActorDep, key: KeyPath, form: FormDep
) -> Response:
    """Create the sanitised version; the service refuses text that reveals the source."""
    values = _values(form, SANITISE_FIELDS)
    graded = any(name in form for name in ("source_eval", "intel_eval", "handling"))
    code_c = values["handling"] == "C"
    if not code_c:
        values["conditions"] = values["restricted_to"] = ""
    try:
        version = sanitise(
            session,
            actor=actor,
            report_id=forms.record_key(key),
            text=values["text"],
            grading=forms.grading_of(values) if graded else None,
            marking=values["marking"] or None,
            restricted_to=forms.parse_words(values["restricted_to"]) if graded else None,
        )
    except InvalidData as exc:
        errors = [forms.message(e, fallback="text") for e in exc.errors]
        return page_forms.refuse(
            request, session, f"/intelligence/{key}", "sanitise", values, errors
        )
    report_ref = str(version.get("report_ref") or key)
    return RedirectResponse(f"/intelligence/{report_ref}?sanitised={version.ref}", status_code=303)
