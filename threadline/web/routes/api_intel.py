"""The intelligence API: graded reports, their sanitised versions, under policy and audited.

Every answer holds only what the caller may see (the services redact); every read writes
a consultation to the audit log naming exactly what was returned. Lists page with
`limit`/`offset` (`PageOut`); the services say whether more follow.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from threadline.errors import FieldError, InvalidData
from threadline.intel import (
    SourceDetails,
    get_report,
    get_sanitised,
    list_reports,
    list_sanitised,
    sanitise,
    submit_report,
)
from threadline.model.events import Grading
from threadline.storage.ids import MAX_ID
from threadline.web.api_common import ERRORS, RECORD_ERRORS, PageOut, PagingDep, term
from threadline.web.deps import ActorDep, SessionDep
from threadline.web.schemas_intel import (
    GradingIn,
    ReportIn,
    ReportOut,
    SanitisedIn,
    SanitisedOut,
)

router = APIRouter(prefix="/api/v1/intelligence", tags=["intelligence"])

ReportId = Annotated[int, Path(ge=1, le=MAX_ID, description="The report's id.")]
SanitisedId = Annotated[int, Path(ge=1, le=MAX_ID, description="The sanitised report's id.")]
SubjectQuery = Annotated[
    int | None, Query(ge=1, le=MAX_ID, description="Only reports about this record id.")
]
# POST routes: a body that is not JSON (or not UTF-8) is 400 before it is validated.
NOT_JSON = {**ERRORS[422], "description": "The body could not be read as JSON."}
WRITE_ERRORS: dict[int | str, dict[str, object]] = {
    **ERRORS,
    400: NOT_JSON,
    403: RECORD_ERRORS[403],
}
SANITISE_ERRORS: dict[int | str, dict[str, object]] = {**RECORD_ERRORS, 400: NOT_JSON}
# Service error locations, as the fields of the JSON body name them.
BODY_LOCATIONS = {"conditions": "grading.conditions"}


def _grading(grading: GradingIn | None) -> Grading | None:
    if grading is None:
        return None
    return Grading(grading.source, grading.intelligence, grading.handling, grading.conditions)


def _as_body(exc: InvalidData) -> InvalidData:
    """The same errors, located as the JSON body names its fields."""
    return InvalidData(
        [
            FieldError(BODY_LOCATIONS.get(e.location, e.location), e.received, e.expected)
            for e in exc.errors
        ]
    )


@router.get(
    "/sanitised",
    response_model=PageOut[SanitisedOut],
    response_model_exclude_unset=True,
    responses=ERRORS,
)
def list_sanitised_api(
    session: SessionDep,
    actor: ActorDep,
    paging: PagingDep,
    subject_id: SubjectQuery = None,
    area_code: Annotated[str | None, term("Only those about this policing area.")] = None,
) -> PageOut[SanitisedOut]:
    """Sanitised intelligence the caller may read (partners: under their agreements)."""
    views = list_sanitised(
        session,
        actor=actor,
        subject_id=subject_id,
        area_code=area_code,
        limit=paging.limit,
        offset=paging.offset,
    )
    items = [SanitisedOut.from_view(view) for view in views]
    return PageOut[SanitisedOut].of(items, paging, more=views.more)


@router.get(
    "/sanitised/{sanitised_id}",
    response_model=SanitisedOut,
    response_model_exclude_unset=True,
    responses=RECORD_ERRORS,
)
def get_sanitised_api(
    session: SessionDep, actor: ActorDep, sanitised_id: SanitisedId
) -> SanitisedOut:
    """One sanitised report, with its grading, handling code and conditions."""
    return SanitisedOut.from_view(get_sanitised(session, actor=actor, sanitised_id=sanitised_id))


@router.get(
    "", response_model=PageOut[ReportOut], response_model_exclude_unset=True, responses=ERRORS
)
def list_reports_api(
    session: SessionDep,
    actor: ActorDep,
    paging: PagingDep,
    subject_id: SubjectQuery = None,
    area_code: Annotated[str | None, term("Only reports about this policing area.")] = None,
    owner: Annotated[str | None, term("Only reports of this organisation code.")] = None,
) -> PageOut[ReportOut]:
    """Intelligence reports the caller may read, newest first (partners: none)."""
    views = list_reports(
        session,
        actor=actor,
        subject_id=subject_id,
        area_code=area_code,
        owner=owner,
        limit=paging.limit,
        offset=paging.offset,
    )
    items = [ReportOut.from_view(view) for view in views]
    return PageOut[ReportOut].of(items, paging, more=views.more)


@router.post(
    "",
    response_model=ReportOut,
    response_model_exclude_unset=True,
    status_code=201,
    responses=WRITE_ERRORS,
)
def submit_report_api(session: SessionDep, actor: ActorDep, body: ReportIn) -> ReportOut:
    """Submit a 3x5x2-graded report; code C needs its conditions; the source stays in the unit."""
    grading = _grading(body.grading)
    assert grading is not None
    try:
        view = submit_report(
            session,
            actor=actor,
            fact=body.fact,
            assessment=body.assessment,
            grading=grading,
            marking=body.marking,
            subjects=body.subjects,
            source=SourceDetails(
                source_ref=body.source.source_ref,
                source_type=body.source.source_type,
                description=body.source.description,
                handler=body.source.handler,
            ),
            priority=body.priority,
            area_code=body.area_code,
            restricted_to=body.restricted_to,
            unit=body.unit,
            scope="agency" if body.scope == "agency" else "region",
            reported_on=body.reported_on,
        )
    except InvalidData as exc:
        raise _as_body(exc) from exc
    return ReportOut.from_view(view)


@router.get(
    "/{report_id}",
    response_model=ReportOut,
    response_model_exclude_unset=True,
    responses=RECORD_ERRORS,
)
def get_report_api(session: SessionDep, actor: ActorDep, report_id: ReportId) -> ReportOut:
    """One intelligence report; the source only for its originating unit."""
    return ReportOut.from_view(get_report(session, actor=actor, report_id=report_id))


@router.post(
    "/{report_id}/sanitised",
    response_model=SanitisedOut,
    response_model_exclude_unset=True,
    status_code=201,
    responses=SANITISE_ERRORS,
)
def sanitise_api(
    session: SessionDep, actor: ActorDep, report_id: ReportId, body: SanitisedIn
) -> SanitisedOut:
    """Make the sanitised version of a report (its originating unit only)."""
    try:
        view = sanitise(
            session,
            actor=actor,
            report_id=report_id,
            text=body.text,
            grading=_grading(body.grading),
            marking=body.marking,
            restricted_to=body.restricted_to,
        )
    except InvalidData as exc:
        raise _as_body(exc) from exc
    return SanitisedOut.from_view(view)
