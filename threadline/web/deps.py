"""Reusable FastAPI dependencies, as named aliases: `SessionDep`, `ActorDep`, ...

- `SessionDep`: one SQLAlchemy session per request, committed when the route returns
  and before the response is sent (so its audit events are on record first), rolled
  back if it raises.
- `ActorDep`: who is acting. Pages: the user signed in with the session cookie (else
  `SignInRequired`, which people see as a redirect to the sign-in page). API (`/api/`):
  a bearer token, `Authorization: Bearer tl_...` (else 401); cookies are not accepted
  there, so the API needs no CSRF defence.
- `OptionalActorDep`: the signed-in user of a page, or None.
- `CsrfCheck`: added to the pages router, so every POST form is checked.
- `in_one_hop`: for a hot API route (the check), the session, the actor and the route's
  work in ONE trip to the thread pool, with the same commit-before-answer rule as
  `SessionDep` (each sync dependency is otherwise a trip of its own, and waking the
  event loop after each costs more than a phone look-up).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterator
from typing import Annotated, TypeVar
from urllib.parse import parse_qsl

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from threadline.accounts import SignInRefused, actor_for_session, actor_for_token
from threadline.errors import ThreadlineError
from threadline.model.security import Actor
from threadline.storage.db import commit_then_later
from threadline.web.errors import CsrfFailed, SignInRequired
from threadline.web.middleware import after_answer
from threadline.web.paths import is_api
from threadline.web.sessions import WebSession

MAX_FORM_BYTES = 64 * 1024  # no form in Threadline needs more; refuse larger bodies early


CSRF_MESSAGE = (
    "This form could not be accepted: it was sent from another page or site, or your "
    "session ended since the page was loaded. Go back, reload the page and try again."
)


def get_session(request: Request) -> Iterator[Session]:
    """A database session for one request: commit on success, roll back on error.

    Declared with `scope="function"` (`SessionDep`): FastAPI runs the code after `yield`
    when the route function returns, before the response is sent. With the default
    ("request") scope it runs after the response has gone, so a client could hold the
    answer before its audit event was committed, and a failed commit was never told.
    A route's answer must therefore be complete when the route returns (pages are
    rendered by then; the audit CSV is spooled first). The session's reads hold no lock;
    the audit append takes SQLite's write lock briefly at the end (see `storage.db`); on
    PostgreSQL it takes none: the events are committed with the work, each signed, and
    sealed into the audit chain just after the answer has been sent
    (`storage.db.commit_then_later`, `web.middleware.after_answer`, `audit.sealing`).
    """
    session = request.app.state.session_factory()
    request.state.db_session = session  # for `web.drafts`: a draft joins the request's work
    try:
        yield session
        later = commit_then_later(session)
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
    if later is not None:
        after_answer(request, later)  # its audit events sealed into the chain


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def web_session(request: Request) -> WebSession:
    """The cookie session of this page request (see `WebMiddleware`)."""
    found: WebSession = request.state.web_session
    return found


def get_optional_actor(request: Request, session: SessionDep) -> Actor | None:
    """The signed-in user of a page, or None.

    The session is checked in the database on every request: one ended by sign-out, a
    password reset, disabling or a change of roles or clearance (in any server process)
    is None here, and its cookie is cleared.
    """
    if is_api(request):
        return None
    current = web_session(request)
    if current.user_id is None:
        return None
    try:
        return actor_for_session(session, user_id=current.user_id, key=current.key)
    except SignInRefused:
        request.state.set_session = None  # the session was ended: clear its cookie
        request.state.session_ended = True
        return None


OptionalActorDep = Annotated[Actor | None, Depends(get_optional_actor)]


def bearer_token(request: Request) -> str:
    """The bearer token sent with an API request; 401 if there is none."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ThreadlineError(
            "this API needs a token: send `Authorization: Bearer tl_...` "
            "(an administrator creates one with `threadline tokens create --user U`)",
            status=401,
        )
    return token.strip()


def _api_actor(request: Request, session: Session) -> Actor:
    try:
        actor = actor_for_token(session, bearer_token(request))
    except SignInRefused as exc:
        raise ThreadlineError(exc.detail, status=401) from exc
    request.state.actor = actor  # the error handler logs refusals against it
    return actor


def get_actor(request: Request, session: SessionDep) -> Actor:
    """The actor of the request: bearer token for the API, session cookie for pages."""
    if is_api(request):
        return _api_actor(request, session)
    signed_in = get_optional_actor(request, session)
    if signed_in is None:
        raise _sign_in_required(request)
    request.state.actor = signed_in  # the error handler logs refusals against it
    return signed_in


def _sign_in_required(request: Request) -> SignInRequired:
    if request.state.session_expired:
        return SignInRequired("you were signed out after 30 minutes without activity")
    if getattr(request.state, "session_ended", False):
        return SignInRequired("you were signed out: your session was ended")
    return SignInRequired("sign in to use Threadline")


async def actor_claimed(request: Request) -> None:
    """For a route run `in_one_hop`: refuse at once (no database, no thread) a request
    that names no one, as `ActorDep` would, before its query is validated: an API
    request without a bearer token (401), a page without a signed-in session cookie
    (the sign-in page). Whether the token or session is still good is `in_one_hop`'s
    to check."""
    if is_api(request):
        bearer_token(request)
    elif web_session(request).user_id is None:
        raise _sign_in_required(request)


ActorDep = Annotated[Actor, Depends(get_actor)]

_T = TypeVar("_T")


def _in_session(request: Request, work: Callable[[Session, Actor], _T]) -> _T:
    session = request.app.state.session_factory()
    request.state.db_session = session  # as `get_session` sets it (for `web.drafts`)
    try:
        answer = work(session, get_actor(request, session))
        later = commit_then_later(session)
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
    if later is not None:
        after_answer(request, later)  # its audit events sealed into the chain
    return answer


async def in_one_hop(request: Request, work: Callable[[Session, Actor], _T]) -> _T:
    """`work(session, actor)` in one trip to the thread pool, for an async route.

    Exactly what `SessionDep` and `ActorDep` give a sync route, in one thread hop instead
    of one per dependency, the route and the commit: a session, the actor (bearer token
    for the API, session cookie for pages; refusals as `get_actor`), then the commit
    before this returns, so the answer cannot leave before its audit event is committed
    and a failed commit is an error; rolled back if anything raises. `work` must return
    the complete answer (nothing may read the session after it).
    """
    return await run_in_threadpool(_in_session, request, work)


async def form_fields(request: Request) -> dict[str, str]:
    """The fields of a urlencoded form body (first value of each name).

    Parsed here rather than with `python-multipart`: Threadline's forms are all small
    urlencoded forms, and one parser is less to keep patched.
    """
    if request.method != "POST":
        return {}
    cached: dict[str, str] | None = getattr(request.state, "form_fields", None)
    if cached is not None:
        return cached
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_FORM_BYTES:
        raise ThreadlineError("the form sent is too large", status=413)
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise ThreadlineError("the form sent is too large", status=413)
    fields: dict[str, str] = {}
    for name, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
        fields.setdefault(name, value)
    request.state.form_fields = fields
    return fields


FormDep = Annotated[dict[str, str], Depends(form_fields)]


async def check_csrf(request: Request, form: FormDep) -> None:
    """Refuse any POST whose `csrf_token` field is not this session's token.

    Async (it reads nothing but the request): a sync dependency costs every page a trip
    to the thread pool."""
    if request.method in {"GET", "HEAD", "OPTIONS"}:
        return
    sent = form.get("csrf_token", "")
    expected = web_session(request).csrf
    if not sent or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise CsrfFailed(CSRF_MESSAGE)


CsrfCheck = Depends(check_csrf)
