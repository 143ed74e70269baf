"""Resolution review pages: the queue of uncertain pairs, and one pair to decide.

Who may see the queue or decide is policy's business, asked by `threadline.resolve.review`
(police analysts and supervisors; only pairs whose both records the reader may see). A
decision is one POST form; the page then redirects to the pair, which shows it.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from threadline.errors import InvalidData, NotFound
from threadline.model.security import Actor
from threadline.resolve.review import decide, review_pair, review_queue
from threadline.web import page_forms
from threadline.web.deps import ActorDep, CsrfCheck, FormDep, SessionDep
from threadline.web.forms_admin import Field, messages, paginate
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])

DECISION_FIELDS = {
    "decision": Field("Decision", "Select whether they are the same person or not"),
    "reason": Field("Reason", "Enter the reason for your decision"),
}


@router.get("/resolution/review")
def queue(request: Request, session: SessionDep, actor: ActorDep, page: int = 1) -> Response:
    """The pairs waiting for review, newest model first, 25 a page."""
    found = review_queue(session, actor=actor)
    paged = paginate(found, page=page, path="/resolution/review", params={})
    return render(
        request, "resolution/queue.html", {"paged": paged}, actor=actor, title="Resolution review"
    )


def _pair_ids(pair: str) -> tuple[str, str]:
    first, _, second = pair.partition("-")
    if not (first.isdigit() and second.isdigit()):
        raise NotFound(f"no pair {pair!r}: a pair is two record numbers, like 12-34")
    return first, second


def _pair_page(
    request: Request,
    session: Session,
    actor: Actor,
    pair: str,
    *,
    done: bool = False,
    errors: list[tuple[str, str]] | None = None,
    sent: dict[str, str] | None = None,
) -> Response:
    first, second = _pair_ids(pair)
    found = review_pair(session, actor=actor, first=first, second=second)
    title = f"{found.first.name} and {found.second.name}"
    return render(
        request,
        "resolution/pair.html",
        {"review": found, "done": done, "errors": errors or [], "sent": sent or {}},
        actor=actor,
        title=("Error: " if errors else "") + title,
    )


@router.get("/resolution/review/{pair}")
def pair_page(
    request: Request, session: SessionDep, actor: ActorDep, pair: str, done: str = ""
) -> Response:
    """A pair side by side with its match weights, and the decision form (with the
    answers and errors of a refused decision: Post/Redirect/Get)."""
    refused = page_forms.take(request)
    if refused is not None:
        return _pair_page(request, session, actor, pair, errors=refused.errors, sent=refused.values)
    return _pair_page(request, session, actor, pair, done=bool(done))


@router.post("/resolution/review/{pair}")
def decide_pair(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, pair: str
) -> Response:
    """Keep the decision on the pair (logged), then show the pair with it."""
    first, second = _pair_ids(pair)
    sent = {name: form.get(name, "").strip() for name in DECISION_FIELDS}
    try:
        made = decide(
            session,
            actor=actor,
            first=first,
            second=second,
            decision=sent["decision"],
            reason=sent["reason"],
        )
    except InvalidData as exc:
        errors = messages(exc.errors, DECISION_FIELDS, fallback="decision")
        path = f"/resolution/review/{pair}"
        return page_forms.refuse(request, session, path, "decide", sent, errors)
    return RedirectResponse(f"/resolution/review/{made.pair}?done=1", status_code=303)
