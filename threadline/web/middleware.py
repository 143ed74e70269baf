"""One middleware for what every response needs: the session cookie and security headers.

Requests carry the session in `request.state.web_session` (always set for pages: a fresh
signed-out session if the cookie was missing, tampered with or expired, in which case
`request.state.session_expired` says whether it was a timeout). Routes that sign in or
out put the new session (or None) in `request.state.set_session`; otherwise the session
is written back with its last-seen time refreshed.

Unhandled exceptions are turned into the GOV.UK 500 page (or problem+json) here, inside
the middleware, so that even that response carries the security headers. Outside demo
mode every response also carries Strict-Transport-Security.

Access logs show paths without their query string (`PathOnlyAccessLog`): a name checked
or searched (`/check?name=...`) must not land in the server's logs, which are kept and
read outside the audit rules.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from http.cookies import SimpleCookie

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from threadline.settings import Settings
from threadline.web import sessions
from threadline.web.errors import server_error_response
from threadline.web.paths import is_api
from threadline.web.sessions import WebSession

log = logging.getLogger(__name__)

# No inline script or style anywhere: the GOV.UK `js-enabled` snippet lives in
# static/js/init.mjs. `data:` images are what GOV.UK Frontend's CSS uses for a few icons.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",  # for browsers older than frame-ancestors
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
STATIC_PREFIXES = ("/static/", "/assets/")
ACCESS_LOGGER = "uvicorn.access"
_KEEP = object()  # "no route replaced the session": refresh the one in use
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def cookie_secure(settings: Settings, request: Request, override: bool | None) -> bool:
    """Whether the session cookie gets the `Secure` flag.

    Always, except in demo mode on a localhost address, where the demo is served over
    plain http and a Secure cookie would never come back. `create_app(cookie_secure=...)`
    overrides the decision (e.g. behind a TLS-terminating proxy that forwards http).
    """
    if override is not None:
        return override
    return not (settings.demo_mode and (request.url.hostname or "") in LOCAL_HOSTS)


def strict_transport_security(settings: Settings) -> str | None:
    """The HSTS header value, or None in demo mode (served over plain http on localhost)."""
    if settings.demo_mode or settings.hsts_max_age_seconds <= 0:
        return None
    return f"max-age={settings.hsts_max_age_seconds}; includeSubDomains"


class PathOnlyAccessLog(logging.Filter):
    """Drops the query string from uvicorn's access log lines (and ours), for every path.

    Query strings carry what people look for (`/check?name=`, `/api/v1/check?phone=`,
    searches); the path is enough to follow traffic. uvicorn logs
    `(client, method, path-with-query, http version, status)` as the record's arguments.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], args[2].split("?", 1)[0], *args[3:])
        return True


def install_access_log_filter() -> None:
    """Put `PathOnlyAccessLog` on uvicorn's access logger (once, however often called)."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, PathOnlyAccessLog) for f in logger.filters):
        logger.addFilter(PathOnlyAccessLog())


class WebMiddleware:
    """Session cookie in and out, security headers and caching rules on every response.

    A pure ASGI middleware: it adds its headers to the response's start message as it
    passes, so the response (a page, JSON, a streamed export) goes through unchanged and
    unbuffered. Starlette's `BaseHTTPMiddleware` did the same through a task group and a
    memory stream per request: about a third of the no-op's CPU time.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)  # its `state` is the routes' `request.state`
        request.state.after_answer = []  # see `after_answer`
        path = request.url.path
        static = path.startswith(STATIC_PREFIXES)
        pages = not static and not is_api(request)
        if pages:
            _load_session(request)
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                _add_headers(request, headers, static=static)
                if pages:
                    _save_session(request, headers)
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:  # the last line of defence: log it, answer cleanly
            if started:  # part of the answer has gone: nothing cleaner can be sent
                raise
            log.exception("unhandled error on %s %s", request.method, path)
            response = server_error_response(request, exc)
            await response(scope, receive, send_with_headers)
        finally:
            for work in request.state.after_answer:
                await run_in_threadpool(_run_logged, work)


def after_answer(request: Request, work: Callable[[], None]) -> None:
    """Run `work` (blocking; in the thread pool) once the request's answer has been sent.

    For what must follow a committed request but need not delay its answer: sealing its
    audit events into the chain (`storage.db.commit_then_later`). Without the middleware
    (a request handled outside it), `work` runs at once. An error in `work` is logged.
    """
    waiting: list[Callable[[], None]] | None = getattr(request.state, "after_answer", None)
    if waiting is None:
        _run_logged(work)
    else:
        waiting.append(work)


def _run_logged(work: Callable[[], None]) -> None:
    try:
        work()
    except Exception:
        log.exception("work after the answer failed")


def _add_headers(request: Request, headers: MutableHeaders, *, static: bool) -> None:
    """The security headers and caching rules of every response."""
    headers.update(SECURITY_HEADERS)
    hsts = strict_transport_security(request.app.state.settings)
    if hsts is not None:
        headers["Strict-Transport-Security"] = hsts
    if static:
        headers.setdefault("Cache-Control", "public, max-age=3600")
    else:
        # Pages and API answers may hold personal data: never keep them in any cache.
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"


def _load_session(request: Request) -> None:
    settings: Settings = request.app.state.settings
    raw = request.cookies.get(sessions.COOKIE_NAME)
    found = sessions.decode(raw, settings.secret_key) if raw else None
    request.state.session_expired = bool(found and found.user_id and found.expired())
    if found is None or found.expired():
        found = WebSession.start()
        request.state.session_is_new = True
    else:
        request.state.session_is_new = False
    request.state.web_session = found


def _save_session(request: Request, headers: MutableHeaders) -> None:
    """Write the session back: the one a route chose (None: sign out), else the one in
    use with its last-seen time refreshed."""
    settings: Settings = request.app.state.settings
    secure = cookie_secure(settings, request, request.app.state.cookie_secure)
    chosen = getattr(request.state, "set_session", _KEEP)
    new = request.state.web_session.touched() if chosen is _KEEP else chosen
    assert new is None or isinstance(new, WebSession)
    value = None if new is None else sessions.encode(new, settings.secret_key)
    headers.append("set-cookie", session_cookie(value, secure=secure))


def session_cookie(value: str | None, *, secure: bool) -> str:
    """The `Set-Cookie` value for the session cookie, or one deleting it (`value` None),
    written as Starlette's `Response.set_cookie` and `delete_cookie` write them.

    No max-age on a session: a browser-session cookie, gone when the browser closes
    (shared devices); the server enforces IDLE_TIMEOUT and MAX_LIFETIME itself.
    """
    cookie: SimpleCookie = SimpleCookie()
    cookie[sessions.COOKIE_NAME] = value or ""
    morsel = cookie[sessions.COOKIE_NAME]
    if value is None:
        morsel["max-age"] = 0
        morsel["expires"] = 0
    morsel["path"] = "/"
    if secure:
        morsel["secure"] = True
    morsel["httponly"] = True
    morsel["samesite"] = "lax"
    return cookie.output(header="").strip()
