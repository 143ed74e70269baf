"""Post/Redirect/Get for forms with errors: the answers and errors wait for the GET.

A form whose answers are refused keeps them here and redirects (303) to the form's own
address; the GET that follows takes them back out and shows the form with its error
summary. Going back to, or reloading, that page is then a plain GET: the browser never
asks to "Confirm form resubmission", and nothing is sent twice.

The answers stay on the server, never in the (signed, not encrypted) session cookie:
they can be sensitive (a screening's answers about a child). They are kept in this
process's memory for `KEEP_SECONDS` under the session's CSRF token and the form's
address, taken once, and never written to disk. Threadline serves from one process; a
draft not found (expired, or another process answered) shows the form empty.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import RedirectResponse

from threadline.web.deps import web_session

KEEP_SECONDS = 10 * 60  # a draft not shown within ten minutes is forgotten
MAX_DRAFTS = 2000  # the oldest are forgotten first beyond this many


@dataclass(frozen=True, slots=True)
class Draft:
    """A refused form: what was entered, and (field id, message) for each error."""

    values: dict[str, str]
    errors: list[tuple[str, str]]


_lock = threading.Lock()
_drafts: OrderedDict[tuple[str, str], tuple[float, Draft]] = OrderedDict()


def keep_and_redirect(
    request: Request, path: str, values: dict[str, str], errors: list[tuple[str, str]]
) -> RedirectResponse:
    """Keep the refused answers for the GET of `path` (the form's own address), and send
    the browser there."""
    key = (web_session(request).csrf, path.split("?", 1)[0])
    clean = {k: v for k, v in values.items() if k != "csrf_token"}
    now = time.monotonic()
    with _lock:
        _drafts[key] = (now, Draft(values=clean, errors=list(errors)))
        _drafts.move_to_end(key)
        while _drafts and (
            len(_drafts) > MAX_DRAFTS or next(iter(_drafts.values()))[0] < now - KEEP_SECONDS
        ):
            _drafts.popitem(last=False)
    return RedirectResponse(path, status_code=303)


def take(request: Request) -> Draft | None:
    """The draft kept for this form's address in this session, once (None if none)."""
    key = (web_session(request).csrf, request.url.path)
    with _lock:
        found = _drafts.pop(key, None)
    if found is None or found[0] < time.monotonic() - KEEP_SECONDS:
        return None
    return found[1]
