"""Organisations, users, sign-in and API tokens.

Services take a session and an actor (keyword-only), check who may act, validate
everything before writing, and audit every change. The record-level access rules
(clearance, ISAs, source identity) are not here but in `threadline.policy`.
"""

from threadline.accounts.agencies import add_agency, list_agencies
from threadline.accounts.demo import create_demo_users
from threadline.accounts.login import (
    NOT_RECOGNISED,
    LoginPolicy,
    actor_for,
    authenticate,
    sign_out,
)
from threadline.accounts.records import TokenInfo, UserAccount
from threadline.accounts.tokens import actor_for_token, create_token, list_tokens, revoke_token
from threadline.accounts.users import (
    add_user,
    disable_user,
    enable_user,
    list_users,
    reset_password,
    set_clearance,
    set_home_areas,
    set_roles,
)

__all__ = [
    "NOT_RECOGNISED",
    "LoginPolicy",
    "TokenInfo",
    "UserAccount",
    "actor_for",
    "actor_for_token",
    "add_agency",
    "add_user",
    "authenticate",
    "create_demo_users",
    "create_token",
    "disable_user",
    "enable_user",
    "list_agencies",
    "list_tokens",
    "list_users",
    "reset_password",
    "revoke_token",
    "set_clearance",
    "set_home_areas",
    "set_roles",
    "sign_out",
]
