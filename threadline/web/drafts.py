"""Post/Redirect/Get for forms with errors: the answers and errors wait for the GET.

A form whose answers are refused keeps them here and redirects (303) to the form's own
address; the GET that follows takes them back out and shows the form with its error
summary. Going back to, or reloading, that page is then a plain GET: the browser never
asks to "Confirm form resubmission", and nothing is sent twice.

Where the answers wait, and what protects them: they can be sensitive (a screening's
answers about a child), so they never go into the session cookie (signed, not
encrypted) and never into a log. They are kept in the database, in `form_draft`
(`threadline.storage.form_drafts`): the same database, with the same access controls
and backups, as the records they are about, so any server process can show them (with
several processes the GET may reach another one). A draft is stored under a SHA-256 of
the session's CSRF secret and the form's address, never the secret itself, so only
the session that typed it can fetch it back; it is deleted when taken (once: a second
request finds nothing), and deleted unread `KEEP_SECONDS` after it was kept (every keep
and take purges the expired ones). A draft not found (expired, already shown) shows the
form empty.

The draft is written and taken in the request's own database session (`deps.get_session`
leaves it on `request.state`) when it has one, so it commits with the request, before
the redirect is sent, and never waits behind the request's own write (SQLite's one
write lock); a route without a session uses a short transaction of its own. A route
calls `keep_and_redirect` after rolling back its refused work, as every form route does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from fastapi import Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from threadline.clock import utcnow
from threadline.storage.form_drafts import keep_draft, take_draft
from threadline.web.deps import web_session

KEEP_SECONDS = 10 * 60  # a draft not shown within ten minutes is deleted unread


@dataclass(frozen=True, slots=True)
class Draft:
    """A refused form: what was entered, and (field id, message) for each error."""

    values: dict[str, str]
    errors: list[tuple[str, str]]


def _key(request: Request, path: str) -> str:
    secret = web_session(request).csrf
    return hashlib.sha256(f"form-draft\0{secret}\0{path}".encode()).hexdigest()


@contextmanager
def _session(request: Request) -> Iterator[Session]:
    """The request's session (committed by `get_session`), or a transaction of our own."""
    found = getattr(request.state, "db_session", None)
    if isinstance(found, Session) and found.is_active:
        yield found
        found.flush()
        return
    factory = request.app.state.session_factory
    with factory.begin() as session:
        yield session


def keep_and_redirect(
    request: Request, path: str, values: dict[str, str], errors: list[tuple[str, str]]
) -> RedirectResponse:
    """Keep the refused answers for the GET of `path` (the form's own address), and send
    the browser there."""
    key = _key(request, path.split("?", 1)[0])
    clean = {k: v for k, v in values.items() if k != "csrf_token"}
    body = json.dumps({"values": clean, "errors": [list(e) for e in errors]})
    with _session(request) as session:
        keep_draft(session, key=key, body=body, now=utcnow(), keep=timedelta(seconds=KEEP_SECONDS))
    return RedirectResponse(path, status_code=303)


def take(request: Request) -> Draft | None:
    """The draft kept for this form's address in this session, once (None if none)."""
    key = _key(request, request.url.path)
    with _session(request) as session:
        body = take_draft(session, key=key, now=utcnow())
    if body is None:
        return None
    found = json.loads(body)
    return Draft(
        values={str(k): str(v) for k, v in found["values"].items()},
        errors=[(str(field), str(message)) for field, message in found["errors"]],
    )
