"""The Network tab of a crime group's page.

- GET /groups/{id}/network: the group's key players (each with why, in words), the
  brokers who link it to other groups, the people suggested as unmapped members (each
  with the links that suggest them, and Accept / Reject forms for those who may decide),
  and a form to find the shortest chain of links between two people, picked by
  searching their names (`?from_q=` / `?to_q=`, then `?from=` and `?to=`: works without
  JavaScript).
- POST /groups/{id}/suggestions/{person_id}: accept (with a role) or reject (with a
  reason) a suggested member; redirects back to the page (Post/Redirect/Get), or shows it
  again with the problem linked to its field.

Everything shown is computed by `threadline.graph` over what the reader may see.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from threadline.errors import InvalidData, NotFound
from threadline.graph import (
    MEMBER_ROLES,
    Chain,
    analyse_group,
    decide_suggestion,
    shortest_chain,
    suggest_members,
)
from threadline.model.security import Actor
from threadline.ocg.header import group_header
from threadline.policy import ResourceKind
from threadline.profiles import list_people
from threadline.profiles.records import label
from threadline.web import page_forms
from threadline.web.deps import ActorDep, CsrfCheck, FormDep, SessionDep
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])

GroupId = Annotated[int, Path(ge=1, le=2**31 - 1)]
PersonId = Annotated[int, Path(ge=1, le=2**31 - 1)]
NOTICES = {
    "accepted": "Suggestion accepted: the person is now mapped as a member of the group",
    "rejected": "Suggestion rejected: the person will not be suggested again for this group",
}
LABELS = {"role": "Role", "reason": "Reason", "person": "Person"}
ROLE_NAMES = {
    "principal": "Principal",
    "lieutenant": "Lieutenant",
    "associate": "Associate",
    "runner": "Runner (exploited)",
}
SEARCH_RESULTS = 10


def _messages(exc: InvalidData, person_id: int) -> list[tuple[str, str]]:
    found = []
    for error in exc.errors:
        name = LABELS.get(error.location, error.location.replace("_", " ").capitalize())
        got = f" (you entered “{error.received}”)" if error.received.strip() else ""
        found.append((f"{error.location}-{person_id}", f"{name}: enter {error.expected}{got}"))
    return found


def _choices(session: Session, actor: Actor, text: str) -> list[tuple[int, str]] | None:
    """People the actor may see whose names are like `text` (None: nothing searched)."""
    if not text:
        return None
    found = list_people(session, actor=actor, name=text, limit=SEARCH_RESULTS)
    return [(int(str(view["id"])), label(ResourceKind.PERSON, view)) for view in found.items]


def _number(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and 0 < int(raw) < 2**31 else None


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    group_id: int,
    *,
    errors: list[tuple[str, str]] | None = None,
    failed: int | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    group = group_header(session, actor=actor, group_id=group_id)
    analysis, network = analyse_group(session, actor=actor, group_id=group_id)
    suggestions = suggest_members(session, actor=actor, group_id=group_id, network=network)
    query = request.query_params
    from_q, to_q = query.get("from_q", "").strip()[:100], query.get("to_q", "").strip()[:100]
    chosen_from, chosen_to = _number(query.get("from", "")), _number(query.get("to", ""))
    chain: Chain | None = None
    chain_error = ""
    if chosen_from is not None and chosen_to is not None:
        try:
            chain = shortest_chain(session, actor=actor, from_id=chosen_from, to_id=chosen_to)
        except NotFound:
            chain_error = "One of the two people has no links you may see, so no chain joins them."
    context: dict[str, Any] = {
        "group": group,
        "tab": "network",
        "analysis": analysis,
        "suggestions": suggestions,
        "roles": [(role, ROLE_NAMES[role]) for role in MEMBER_ROLES],
        "errors": errors or [],
        "failed": failed,
        "values": values or {},
        "notice": NOTICES.get(query.get("done", ""), ""),
        "from_q": from_q,
        "to_q": to_q,
        "from_choices": _choices(session, actor, from_q),
        "to_choices": _choices(session, actor, to_q),
        "chosen_from": chosen_from,
        "chosen_to": chosen_to,
        "chain": chain,
        "chain_error": chain_error,
    }
    return render(
        request,
        "groups/network.html",
        context,
        actor=actor,
        title=("Error: " if errors else "") + f"Network – {group.name}",
    )


@router.get("/groups/{group_id}/network")
def network_page(
    request: Request, session: SessionDep, actor: ActorDep, group_id: GroupId
) -> Response:
    """A group's key players, brokers, suggested members and the chain finder (with the
    answers and errors of a refused decision on a suggestion: Post/Redirect/Get)."""
    refused = page_forms.take(request)
    failed = refused.form.removeprefix("decide-") if refused else ""
    if refused is not None and failed.isdigit():
        return _page(
            request, session, actor, group_id,
            errors=refused.errors, failed=int(failed), values=refused.values,
        )  # fmt: skip
    return _page(request, session, actor, group_id)


@router.post("/groups/{group_id}/suggestions/{person_id}")
def decide(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    form: FormDep,
    group_id: GroupId,
    person_id: PersonId,
) -> Response:
    """Accept or reject a suggested member, then back to the page."""
    accept = form.get("decision", "") == "accept"
    # The fields are named after the person (role-1042): one form per suggestion.
    role = (form.get(f"role-{person_id}") or form.get("role", "")).strip() or None
    reason = (form.get(f"reason-{person_id}") or form.get("reason", "")).strip()
    try:
        decide_suggestion(
            session,
            actor=actor,
            group_id=group_id,
            person_id=person_id,
            accept=accept,
            role=role if accept else None,
            reason=reason,
        )
    except InvalidData as exc:
        values = {"role": role or "", "reason": reason}
        path, name = f"/groups/{group_id}/network", f"decide-{person_id}"
        return page_forms.refuse(request, session, path, name, values, _messages(exc, person_id))
    done = "accepted" if accept else "rejected"
    return RedirectResponse(f"/groups/{group_id}/network?done={done}", status_code=303)
