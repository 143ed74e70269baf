"""Post/Redirect/Get for pages that hold several forms (a plan's add, change and review).

`refuse` keeps a refused form's answers and errors (through `threadline.web.drafts`, on
the server) with the name of the form they belong to, rolls back anything the attempt
did, and redirects (303) to the page; `take` gives them back to the page's GET, which
shows them on that form with the error summary. Going back to, or reloading, the page is
then a plain GET: nothing is sent twice and the browser never asks to resubmit.

Answers are kept as text: a list of ticked codes is joined with commas (`joined`) and
split again on the GET (`split`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from threadline.audit.refusals import is_refusal
from threadline.clock import uk_date
from threadline.errors import InvalidData, ThreadlineError
from threadline.web import drafts
from threadline.web.errors import audit_refusal

FORM_KEY = "_form"  # which of the page's forms the answers belong to
# A limit the service gives, "(2027-03-09)" or "(by 2027-03-09)".
_DAY = re.compile(r"\(((?:by |to )?)(\d{4}-\d{2}-\d{2})\)")


@dataclass(frozen=True, slots=True)
class Refused:
    """A refused form of the page: its name, the answers entered and (field id, message)
    for each error."""

    form: str
    values: dict[str, str]
    errors: list[tuple[str, str]]

    def values_of(self, form: str) -> dict[str, str] | None:
        """The answers if they belong to `form`, else None (the form shows as it is)."""
        return self.values if self.form == form else None


def refuse(
    request: Request,
    session: Session,
    path: str,
    form: str,
    values: Mapping[str, str],
    errors: list[tuple[str, str]],
    cause: ThreadlineError | None = None,
) -> RedirectResponse:
    """Undo the attempt, keep the answers of `form` for the GET of `path`, and go there.

    `cause` is what refused the form; a policy refusal among them is logged like every
    refusal, in its own transaction and before the draft is kept (on SQLite the draft's
    write would hold the one write lock the log needs).
    """
    session.rollback()  # nothing half-written, and no read of the refused attempt kept
    if cause is not None and is_refusal(cause):
        audit_refusal(request, cause)
    # The browser lands on the page's main content, whose first thing is the error
    # summary: without JavaScript a phone would otherwise open on the menu above it. (The
    # draft is kept under the address before its "?", so the fragment follows one.)
    landing = f"{path}{'' if '?' in path else '?'}#main-content"
    return drafts.keep_and_redirect(request, landing, {**values, FORM_KEY: form}, errors)


def take(request: Request) -> Refused | None:
    """The refused form kept for this page in this session, once (None if none)."""
    draft = drafts.take(request)
    if draft is None:
        return None
    values = dict(draft.values)
    form = values.pop(FORM_KEY, "")
    return Refused(form=form, values=values, errors=list(draft.errors))


def labelled(
    exc: InvalidData,
    labels: Mapping[str, str],
    *,
    prefix: str = "",
    chosen: Mapping[str, str] | None = None,
) -> list[tuple[str, str]]:
    """(field id, message) for each problem: the field's label, what was expected and
        what was entered ("Due date: enter a date as YYYY-MM-DD (you entered “soon”)"), a date
    the service names as a limit written out ("(9 March 2027)"). A
        field picked from a list has its message in `chosen` ("choose the force"): what the
        service expects there is a code, which the reader never saw."""
    found = []
    for error in exc.errors:
        label = labels.get(error.location, error.location.replace("_", " ").capitalize())
        if chosen and error.location in chosen:
            found.append((prefix + error.location, f"{label}: {chosen[error.location]}"))
            continue
        got = f" (you entered “{error.received}”)" if error.received.strip() else ""
        expected = limits_in_words(error.expected)
        found.append((prefix + error.location, f"{label}: enter {expected}{got}"))
    return found


def limits_in_words(expected: str) -> str:
    """What a service expects, with a date it gives as a limit written out ("on or after
    (2024-08-21)": "on or after (21 August 2024)")."""
    return _DAY.sub(lambda day: f"({day[1]}{uk_date(day[2])})", expected)


def joined(codes: Iterable[str]) -> str:
    """Ticked codes as one answer, for keeping."""
    return ",".join(codes)


def split(text: str) -> list[str]:
    """Ticked codes kept by `joined`, as a list again."""
    return [code for code in text.split(",") if code]
