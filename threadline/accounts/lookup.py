"""One user account, for the people who may see it; audited.

`list_users` answers "who are the users of an organisation"; this answers "show me this
account" (an administrator's user page) and records exactly which account was seen. The
answer says what the viewer may do with the account, as policy decides, so the page
offers only those forms.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from threadline.accounts import throttle
from threadline.accounts.records import UserAccount
from threadline.accounts.users import user_row
from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.model.security import Actor
from threadline.policy import Action, Resource, ResourceKind, decide, load_context, require
from threadline.policy.read_paths import read_path

# What the account page offers, each only when policy allows it.
PAGE_ACTIONS = (Action.ADMINISTER, Action.UPDATE, Action.UNLOCK)


@read_path("user.viewed")
def get_user(session: Session, *, actor: Actor, username: str) -> UserAccount:
    """The account of `username`, for its managers, its organisation's DPO or the user.

    `NotFound` if there is no such username; `Forbidden` (as `list_users`) otherwise.
    """
    row, agency = user_row(session, username)
    ctx = load_context(session, actor)
    account = Resource(kind=ResourceKind.USER, owner=agency.code, id=row.id)
    require(actor=actor, action=Action.READ, resource=account, ctx=ctx)
    decisions = {
        action: decide(actor=actor, action=action, resource=account, ctx=ctx)
        for action in PAGE_ACTIONS
    }
    allowed = frozenset(action.value for action, d in decisions.items() if d.allowed)
    refused = decisions[Action.ADMINISTER]
    # Say why only when the viewer manages the account otherwise (their own, say).
    note = refused.reason if Action.UPDATE.value in allowed and not refused.allowed else ""
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="user.viewed",
        details={"user_id": row.id, "username": row.username, "agency": agency.code},
    )
    key = throttle.username_key(row.username)
    paused = throttle.paused_until(session, [key], at=utcnow()).get(key)
    shown = UserAccount.from_row(row, agency.code, paused)
    return replace(shown, allowed=allowed, note=note[:1].upper() + note[1:])
