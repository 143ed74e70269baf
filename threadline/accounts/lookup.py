"""One user account, for the people who may see it; audited.

`list_users` answers "who are the users of an organisation"; this answers "show me this
account" (an administrator's user page) and records exactly which account was seen.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from threadline.accounts import guards
from threadline.accounts.records import UserAccount
from threadline.accounts.users import user_row
from threadline.audit import AuditAction, record_event
from threadline.audit.log import lock_chain
from threadline.model.security import Actor
from threadline.policy.read_paths import read_path


@read_path("user.viewed")
def get_user(session: Session, *, actor: Actor, username: str) -> UserAccount:
    """The account of `username`, for its managers, its organisation's DPO or the user.

    `NotFound` if there is no such username; `Forbidden` (as `list_users`) otherwise.
    """
    lock_chain(session)  # read-then-append: take the audit lock before reading
    row, agency = user_row(session, username)
    if actor.user_id is None or actor.user_id != row.id:
        guards.require_user_reader(actor, agency.code)
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="user.viewed",
        details={"user_id": row.id, "username": row.username, "agency": agency.code},
    )
    return UserAccount.from_row(row, agency.code)
