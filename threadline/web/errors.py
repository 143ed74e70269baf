"""Errors to HTTP in one place: GOV.UK error pages for people, problem+json for the API.

`/api/` answers follow RFC 9457 (`application/problem+json`: type, title, status,
detail, and for invalid input an `errors` list of {location, received, expected}).
Everything else gets a GOV.UK error page. Stack traces are logged only for 5xx; a 4xx is
the caller's mistake and is answered, not logged.

A refusal (Forbidden, or NotFound, which is how outsiders are refused) for a signed-in
actor is written to the audit log here, in a short transaction of its own committed
before the answer is sent: the request's own transaction was rolled back with the work
it refused (`audit.refusals`).

The two errors only the web raises are here too: `SignInRequired` (no one signed in)
and `CsrfFailed` (a form not sent from this session's page).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from threadline.accounts import actor_for, actor_for_token
from threadline.audit.refusals import is_refusal, record_refusal
from threadline.errors import FieldError, InvalidData, NotFound, ThreadlineError
from threadline.model.security import Actor
from threadline.storage.ids import is_stored_id, typed_id
from threadline.web.paths import is_api
from threadline.web.templating import render

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class SignInRequired(ThreadlineError):
    """No one is signed in (or the session timed out): pages redirect to the sign-in page."""

    status = 401


class CsrfFailed(ThreadlineError):
    """A POST without the form token of the current session (a forged or stale form).

    Not a policy refusal: nothing was decided about the actor, the request was not theirs.
    """

    status = 403


# What a person is told for each status, GOV.UK style: a heading and what to do next.
PAGES: dict[int, tuple[str, str]] = {
    400: ("There is a problem with your request", "Check what you entered and try again."),
    401: ("Sign in to continue", "Sign in to use Threadline."),
    403: ("You cannot do that", "If you think you should be able to, ask your supervisor."),
    404: (
        "Page not found",
        "If you typed the web address, check it is correct. If you pasted the web "
        "address, check you copied the entire address.",
    ),
    405: ("Page not found", "That page cannot be used in this way."),
    422: ("There is a problem with what you entered", "Check what you entered and try again."),
    500: (
        "Sorry, there is a problem with the service",
        "Try again later. If you were checking someone on the street, use the radio.",
    ),
}


def problem(
    request: Request,
    status: int,
    detail: str,
    *,
    errors: list[FieldError] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The error as problem+json (API) or as a GOV.UK error page (people)."""
    if is_api(request):
        body: dict[str, Any] = {
            "type": "about:blank",
            "title": HTTPStatus(status).phrase,
            "status": status,
            "detail": detail,
        }
        if errors is not None:
            body["errors"] = [
                {"location": e.location, "received": e.received, "expected": e.expected}
                for e in errors
            ]
        return JSONResponse(
            body, status_code=status, media_type=PROBLEM_JSON, headers=dict(headers or {})
        )
    heading, advice = PAGES.get(status, PAGES[500] if status >= 500 else PAGES[400])
    show_detail = status < 500  # a 5xx detail may be internal; people get the advice only
    return render(
        request,
        "error.html",
        {
            "heading": heading,
            "advice": advice,
            "detail": _sentence(detail) if show_detail and status != 404 else None,
            "errors": errors or [],
            "status": status,
        },
        status_code=status,
        title=heading,
    )


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


def server_error_response(request: Request, exc: Exception) -> Response:
    return problem(request, 500, "an unexpected error happened; it has been logged")


def _threadline_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ThreadlineError)
    if is_refusal(exc) and not isinstance(exc, CsrfFailed):
        audit_refusal(request, exc)
    if exc.status >= 500:
        log.error("error on %s %s", request.method, request.url.path, exc_info=exc)
    if isinstance(exc, SignInRequired) and not is_api(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.state.session_expired:
            reason = "timeout"
        elif getattr(request.state, "session_ended", False):
            reason = "ended"
        else:
            reason = ""
        url = f"/sign-in?next={quote(target, safe='')}" + (f"&reason={reason}" if reason else "")
        return RedirectResponse(url, status_code=303)
    errors = exc.errors if isinstance(exc, InvalidData) else None
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 and is_api(request) else None
    detail = exc.detail if exc.status < 500 else "an unexpected error happened; it has been logged"
    return problem(request, exc.status, detail, errors=errors, headers=headers)


def audit_refusal(request: Request, exc: ThreadlineError) -> None:
    """Log a refused attempt by a signed-in actor (anonymous requests have no actor)."""
    factory = getattr(request.app.state, "session_factory", None)
    if factory is None:
        return
    actor = _request_actor(request, factory)
    if actor is None:
        return
    route = request.scope.get("route")
    template = getattr(route, "path", request.url.path)
    records = sorted({n for v in request.path_params.values() if (n := _id(v)) is not None})
    record_refusal(
        factory,
        actor=actor,
        attempted=f"{request.method} {template}",
        exc=exc,
        records=records,
        details={"method": request.method, "path": request.url.path},
    )


def _id(value: object) -> int | None:
    """A path parameter that is a record id, else None."""
    if isinstance(value, int):
        return value if is_stored_id(value) else None
    number = typed_id(value) if isinstance(value, str) and len(value) <= 20 else None
    return number if number is not None and is_stored_id(number) else None


def _request_actor(request: Request, factory: Any) -> Actor | None:
    """Who was refused: the actor `get_actor` found, else looked up from the request."""
    found = getattr(request.state, "actor", None)
    if isinstance(found, Actor):
        return found
    try:
        with factory() as session:
            if is_api(request):
                scheme, _, token = request.headers.get("authorization", "").partition(" ")
                if scheme.lower() != "bearer" or not token.strip():
                    return None
                actor = actor_for_token(session, token.strip())
                session.commit()
                return actor
            web = getattr(request.state, "web_session", None)
            user_id = getattr(web, "user_id", None)
            return actor_for(session, user_id) if user_id is not None else None
    except ThreadlineError:
        return None


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    detail = str(exc.detail) if exc.detail else HTTPStatus(exc.status_code).phrase
    if exc.status_code == 404:
        detail = f"there is nothing at {request.url.path}"
    return problem(request, exc.status_code, detail, headers=exc.headers)


def _data_error(request: Request, exc: Exception) -> Response:
    """An id beyond PostgreSQL's integer columns (SQLSTATE 22003) names no record: 404."""
    assert isinstance(exc, DataError)
    if getattr(exc.orig, "sqlstate", None) == "22003":
        missing = NotFound("there is no record with that number")
        audit_refusal(request, missing)  # answered as on SQLite, so logged the same
        return problem(request, 404, missing.detail)
    log.error("error on %s %s", request.method, request.url.path, exc_info=exc)
    return server_error_response(request, exc)


def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = []
    for error in exc.errors():
        where = [str(part) for part in error.get("loc", ()) if part not in {"query", "body"}]
        received = error.get("input")
        errors.append(
            FieldError(
                ".".join(where) or "request",
                "" if received is None or isinstance(received, dict) else str(received),
                str(error.get("msg", "a valid value")).removeprefix("Input should be "),
            )
        )
    invalid = InvalidData(errors)
    return problem(request, 422, invalid.detail, errors=errors)


def install(app: FastAPI) -> None:
    """Register the handlers on `app`."""
    app.add_exception_handler(ThreadlineError, _threadline_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(DataError, _data_error)
