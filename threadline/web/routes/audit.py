"""The data protection officer's view of the s62 audit log: search, download, verify.

A plain GET form (works without JavaScript) searches by subject (entity id) or by user,
within dates, for a stated purpose; each page of results is itself logged by
`oversight.browse.search_events`. "Download CSV" is `export_events` over the same filters,
and "Verify the chain" runs `verify_chain` (logged too). Who may see which part of the
log is `oversight.access`'s decision, as for `threadline audit export`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import Annotated, TextIO, cast
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy.orm import Session

from threadline import accounts
from threadline.audit.checkpoints import checkpoint_path, read_checkpoint_file
from threadline.audit.events import AuditPurpose
from threadline.audit.keys import chain_key
from threadline.audit.verify import VerifyResult
from threadline.errors import FieldError, InvalidData
from threadline.model.security import Actor
from threadline.oversight.access import audit_scope
from threadline.oversight.browse import AuditEntry, check_chain, search_events
from threadline.oversight.export import TimeBound, export_events, parse_time_bound
from threadline.oversight.people import (
    Subject,
    find_subjects,
    name_records,
    with_record_names,
)
from threadline.web.deps import ActorDep, CsrfCheck, SessionDep
from threadline.web.forms_admin import Field, Paged, messages, pagination
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])

PER_PAGE = 50
SEARCH_FIELDS = ("name", "subject", "user", "from", "to", "purpose")
PURPOSES: dict[AuditPurpose, str] = {
    AuditPurpose.VERIFY_LAWFULNESS: "To verify that processing was lawful",
    AuditPurpose.SELF_MONITORING: "Self-monitoring, including internal disciplinary cases",
    AuditPurpose.INTEGRITY_SECURITY: "To ensure the integrity and security of the data",
    AuditPurpose.CRIMINAL_PROCEEDINGS: "For criminal proceedings",
}
FIELDS = {
    "name": Field("Person's name", "Enter a person's name, a record number or a username"),
    "subject": Field("Record number", "Enter a record number or a username"),
    "user": Field("Username", ""),
    "from": Field("From", ""),
    "to": Field("To", ""),
    "purpose": Field("Purpose", "Select why you are reading the audit log"),
}
Term = Annotated[str, Query(max_length=200)]


class Search:
    """The search form's values, and the filters they stand for once checked."""

    def __init__(self, values: dict[str, str]) -> None:
        self.values = values
        self.name = values.get("name", "")
        self.subject: int | None = None
        self.user: str | None = None
        self.start: TimeBound | None = None
        self.end: TimeBound | None = None
        self.purpose = AuditPurpose.VERIFY_LAWFULNESS

    def check(self) -> list[FieldError]:
        """Parse every field; return every problem (nothing is read until there are none)."""
        values, errors = self.values, []
        subject, user = values["subject"], values["user"].lower()
        if not subject and not user and not self.name:
            errors.append(FieldError("name", "", "a person's name, a record number or a username"))
        if subject:
            if subject.isdigit() and 0 < int(subject) < 2**63:
                self.subject = int(subject)
            else:
                errors.append(FieldError("subject", subject, "a record number, like 1042"))
        self.user = user or None
        for name in ("from", "to"):
            if values[name]:
                try:
                    bound = parse_time_bound(values[name], location=name)
                except InvalidData as exc:
                    errors += [
                        FieldError(e.location, e.received, "a date as YYYY-MM-DD, like 2026-03-01")
                        for e in exc.errors
                    ]
                else:
                    if name == "from":
                        self.start = bound
                    else:
                        self.end = bound
        try:
            self.purpose = AuditPurpose(values["purpose"])
        except ValueError:
            errors.append(FieldError("purpose", values["purpose"], "one of the purposes listed"))
        return errors

    def params(self) -> dict[str, str]:
        return {k: v for k, v in self.values.items() if v}


@router.get("/audit")
def audit_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    subject: Term = "",
    user: Term = "",
    start: Annotated[str, Query(alias="from", max_length=40)] = "",
    end: Annotated[str, Query(alias="to", max_length=40)] = "",
    purpose: Term = "",
    name: Term = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Search the audit log by person (found by name), record or user; each page read,
    and each look-up of names, is itself logged."""
    values = {"subject": subject, "user": user, "from": start, "to": end, "purpose": purpose}
    search = Search({k: v.strip() for k, v in values.items()} | {"name": name.strip()})
    if not any(field in request.query_params for field in SEARCH_FIELDS):
        audit_scope(session, actor=actor, subject=None)  # refuse those who may read none
        return _page(request, session, actor, search)
    errors = search.check()
    if errors:
        audit_scope(session, actor=actor, subject=None)
        return _page(request, session, actor, search, errors=errors)
    if search.name and search.subject is None and not search.user:
        # Whom to search the log about: pick the person found by name.
        try:
            people = find_subjects(session, actor=actor, name=search.name, purpose=search.purpose)
        except InvalidData as exc:
            session.rollback()
            return _page(request, session, actor, search, errors=exc.errors)
        return _page(request, session, actor, search, people=people)
    try:
        found = search_events(
            session,
            actor=actor,
            purpose=search.purpose,
            subject=search.subject,
            user=search.user,
            start=search.start,
            end=search.end,
            page=page,
            per_page=PER_PAGE,
        )
    except InvalidData as exc:  # e.g. "to" before "from": checked before anything is read
        session.rollback()
        return _page(request, session, actor, search, errors=exc.errors)
    paged = pagination(
        found.entries,
        page=page,
        pages=found.pages,
        total=found.total,
        path="/audit",
        params=search.params(),
    )
    return _page(request, session, actor, search, results=paged)


@router.get("/audit/export.csv")
def audit_csv(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    subject: Term = "",
    user: Term = "",
    start: Annotated[str, Query(alias="from", max_length=40)] = "",
    end: Annotated[str, Query(alias="to", max_length=40)] = "",
    purpose: Term = "",
) -> Response:
    """The matching events as CSV (the export service's format); the export is logged."""
    values = {"subject": subject, "user": user, "from": start, "to": end, "purpose": purpose}
    search = Search({k: v.strip() for k, v in values.items()})
    errors = search.check()
    if errors:
        audit_scope(session, actor=actor, subject=None)
        return _page(request, session, actor, search, errors=errors)
    spool = cast(
        TextIO,
        tempfile.SpooledTemporaryFile(  # noqa: SIM115 - the stream closes it
            max_size=4 * 1024 * 1024, mode="w+", encoding="utf-8", newline=""
        ),
    )
    try:
        result = export_events(
            session,
            actor=actor,
            purpose=search.purpose,
            out=spool,
            subject=search.subject,
            user=search.user,
            start=search.start,
            end=search.end,
        )
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    # The records named, as the reader may see them, in a column after the hashed ones.
    named = cast(
        TextIO,
        tempfile.SpooledTemporaryFile(  # noqa: SIM115 - the stream closes it
            max_size=4 * 1024 * 1024, mode="w+", encoding="utf-8", newline=""
        ),
    )
    try:
        with spool:
            with_record_names(
                session, actor=actor, purpose=search.purpose, exported=spool, out=named
            )
    except BaseException:
        named.close()
        raise
    named.seek(0)
    spool = named
    name = f"audit-{'record-' + str(search.subject) if search.subject else search.user}"
    safe = "".join(c if c.isalnum() or c in "-_.@" else "-" for c in name)[:80]
    return StreamingResponse(
        _chunks(spool),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{safe}.csv"',
            "X-Audit-Event": str(result.audit_event_id),
        },
    )


@router.post("/audit/verify")
def verify(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """Check the whole chain, its signatures and checkpoints; the check is logged."""
    settings = request.app.state.settings
    path = checkpoint_path(settings, request.app.state.engine)
    kept = read_checkpoint_file(path, chain_key(session)) if path is not None else None
    result = check_chain(session, actor=actor, checkpoints=kept)
    blank = Search({name: "" for name in SEARCH_FIELDS})
    return _page(request, session, actor, blank, verified=result)


def _chunks(spool: TextIO) -> Iterator[bytes]:
    try:
        while chunk := spool.read(64 * 1024):
            yield chunk.encode("utf-8")
    finally:
        spool.close()


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    search: Search,
    *,
    errors: list[FieldError] | None = None,
    results: Paged[AuditEntry] | None = None,
    verified: VerifyResult | None = None,
    people: list[Subject] | None = None,
) -> Response:
    whole = audit_scope(session, actor=actor, subject=None).agency is None
    shown = messages(errors or [], FIELDS, fallback="name")
    csv_url = None
    named: dict[int, str] = {}
    if results is not None:
        csv_url = "/audit/export.csv?" + urlencode(
            {k: v for k, v in search.params().items() if k != "name"}
        )
        ids = {record for entry in results.items for record in entry.records[:10]}
        if search.subject is not None:
            ids.add(search.subject)
        named = name_records(session, actor=actor, ids=ids, purpose=search.purpose)
    return render(
        request,
        "audit/index.html",
        {
            "values": search.values,
            "purposes": [(p.value, label) for p, label in PURPOSES.items()],
            "purpose_labels": {p.value: label for p, label in PURPOSES.items()},
            "errors": shown,
            "results": results,
            "people": people,
            "named": named,
            "csv_url": csv_url,
            "verified": verified,
            "whole_log": whole,
            "agency_names": accounts.agency_names(session),
        },
        actor=actor,
        status_code=422 if shown else 200,
        title=("Error: " if shown else "") + "Audit log",
    )
