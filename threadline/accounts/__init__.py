"""Organisations, users, sign-in, sessions and API tokens.

Services take a session and an actor (keyword-only), ask `threadline.policy` who may
act (the account rules are in `threadline.policy.accounts`), validate everything before
writing, and audit every change.
"""

from threadline.accounts.administration import AdminMenu, administration_menu, agreement_actions
from threadline.accounts.agencies import add_agency, agency_names, list_agencies
from threadline.accounts.changes import (
    disable_user,
    enable_user,
    reset_password,
    set_clearance,
    set_contact,
    set_home_areas,
    set_roles,
    unlock_user,
)
from threadline.accounts.login import (
    NOT_RECOGNISED,
    SignInRefused,
    actor_for,
    authenticate,
)
from threadline.accounts.records import TokenInfo, UserAccount
from threadline.accounts.sessions import (
    SESSION_ENDED,
    actor_for_session,
    end_access,
    sign_out,
    start_session,
)
from threadline.accounts.throttle import LoginPolicy
from threadline.accounts.tokens import actor_for_token, create_token, list_tokens, revoke_token
from threadline.accounts.users import add_user, list_users

__all__ = [
    "NOT_RECOGNISED",
    "SESSION_ENDED",
    "AdminMenu",
    "LoginPolicy",
    "SignInRefused",
    "TokenInfo",
    "UserAccount",
    "actor_for",
    "actor_for_session",
    "actor_for_token",
    "add_agency",
    "add_user",
    "administration_menu",
    "agency_names",
    "agreement_actions",
    "authenticate",
    "create_token",
    "disable_user",
    "enable_user",
    "end_access",
    "list_agencies",
    "list_tokens",
    "list_users",
    "reset_password",
    "revoke_token",
    "set_clearance",
    "set_contact",
    "set_home_areas",
    "set_roles",
    "sign_out",
    "start_session",
    "unlock_user",
]
