"""Administration commands: `orgs`, `users` and `tokens`.

People with a shell on the server are its administrators: these commands act as the
system administrator `system:console` of the regional unit, and every change they make
is audited under that name. Passwords are never command-line arguments (they would
land in shell history and process listings): they come from THREADLINE_NEW_PASSWORD or
a hidden prompt.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.table import Table

from threadline import accounts
from threadline.cli.context import console, print_json, state
from threadline.clock import utcnow
from threadline.model.entities import Agency
from threadline.model.security import Actor, system_actor
from threadline.storage.db import session_scope

PASSWORD_ENV = "THREADLINE_NEW_PASSWORD"

orgs_app = typer.Typer(help="Organisations that use Threadline.", no_args_is_help=True)
users_app = typer.Typer(help="People who sign in to Threadline.", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens for machines acting as a user.", no_args_is_help=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON instead.")]
UsernameArg = Annotated[str, typer.Argument(help="The user's username, e.g. jsmith@norfolk.")]


def console_actor() -> Actor:
    """The actor for commands typed at the server's console."""
    return system_actor("ersou", "console")


# --------------------------------------------------------------------------- orgs


@orgs_app.command("add")
def orgs_add(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Short code: lowercase letters, digits, hyphens.")],
    name: Annotated[str, typer.Option("--name", help="The organisation's full name.")],
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="force, regional_unit, prison, probation, childrens_services, education, "
            "housing, health or charity.",
        ),
    ],
    county: Annotated[
        str | None,
        typer.Option(help="Code of the force whose county it serves, e.g. norfolk."),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Add an organisation (a partner agency, prison or other user of Threadline)."""
    with session_scope(state(ctx).engine()) as session:
        agency = accounts.add_agency(
            session, actor=console_actor(), code=code, name=name, kind=kind, county=county
        )
    if json_out:
        print_json(_agency_dict(agency))
    else:
        console.print(f"Added {agency.code}: {agency.name} ({agency.kind.value})")


@orgs_app.command("list")
def orgs_list(
    ctx: typer.Context,
    kind: Annotated[str | None, typer.Option(help="Only organisations of this kind.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """List organisations by code."""
    with session_scope(state(ctx).engine()) as session:
        agencies = accounts.list_agencies(session, kind=kind)
    if json_out:
        print_json([_agency_dict(agency) for agency in agencies])
        return
    table = Table(title=f"Organisations ({len(agencies)})", title_justify="left")
    for column in ("code", "name", "kind", "county"):
        table.add_column(column)
    for agency in agencies:
        table.add_row(agency.code, agency.name, agency.kind.value, agency.county or "")
    console.print(table)


def _agency_dict(agency: Agency) -> dict[str, object]:
    return {
        "code": agency.code,
        "name": agency.name,
        "kind": agency.kind.value,
        "county": agency.county,
    }


# --------------------------------------------------------------------------- users


@users_app.command("add")
def users_add(
    ctx: typer.Context,
    username: UsernameArg,
    org: Annotated[str, typer.Option("--org", help="Code of the user's organisation.")],
    name: Annotated[str, typer.Option("--name", help="The person's name as colleagues know it.")],
    role: Annotated[
        list[str],
        typer.Option(
            "--role",
            help="A role (repeat for several): frontline (or officer), analyst, lro, "
            "supervisor, prison_intel, partner, dpo, admin.",
        ),
    ],
    clearance: Annotated[str, typer.Option(help="OFFICIAL, OFFICIAL-SENSITIVE or SECRET.")],
    area: Annotated[
        list[str] | None,
        typer.Option("--area", help="A home policing area code (repeat for several)."),
    ] = None,
    unit: Annotated[
        str | None,
        typer.Option(help="Intelligence unit, starting with the organisation code (norfolk-fib)."),
    ] = None,
    email: Annotated[str | None, typer.Option(help="Work email address.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Add a user; the password comes from THREADLINE_NEW_PASSWORD or a hidden prompt."""
    password = _new_password()
    with session_scope(state(ctx).engine()) as session:
        user = accounts.add_user(
            session,
            actor=console_actor(),
            username=username,
            display_name=name,
            agency_code=org,
            roles=role,
            clearance=clearance,
            home_areas=area or (),
            unit=unit,
            email=email,
            password=password,
        )
    if json_out:
        print_json(user.as_dict())
    else:
        console.print(
            f"Added {user.username} ({user.display_name}) to {user.agency_code}: "
            f"{', '.join(user.role_names)}; cleared to {user.clearance.value}"
        )


@users_app.command("list")
def users_list(
    ctx: typer.Context,
    org: Annotated[
        str | None, typer.Option("--org", help="Only users of this organisation.")
    ] = None,
    include_disabled: Annotated[
        bool, typer.Option("--all", help="Include disabled accounts.")
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """List users by organisation and username."""
    with session_scope(state(ctx).engine()) as session:
        users = accounts.list_users(
            session, actor=console_actor(), agency=org, include_disabled=include_disabled
        )
    if json_out:
        print_json([user.as_dict() for user in users])
        return
    table = Table(title=f"Users ({len(users)})", title_justify="left")
    for column in ("username", "name", "org", "roles", "clearance", "unit", "areas", "status"):
        table.add_column(column)
    now = utcnow()
    for user in users:
        if user.disabled:
            status = "disabled"
        elif user.locked_until is not None and user.locked_until > now:
            status = "sign-in paused"
        else:
            status = "active"
        table.add_row(
            user.username,
            user.display_name,
            user.agency_code,
            ", ".join(user.role_names),
            user.clearance.value,
            user.unit or "",
            ", ".join(user.home_areas),
            status,
        )
    console.print(table)


@users_app.command("disable")
def users_disable(
    ctx: typer.Context,
    username: UsernameArg,
    reason: Annotated[
        str | None, typer.Option(help="Why (kept in the audit log), e.g. 'left the force'.")
    ] = None,
) -> None:
    """Stop a user signing in; end their sessions and revoke their API tokens at once."""
    with session_scope(state(ctx).engine()) as session:
        user = accounts.disable_user(
            session, actor=console_actor(), username=username, reason=reason
        )
    console.print(f"Disabled {user.username}")


@users_app.command("enable")
def users_enable(ctx: typer.Context, username: UsernameArg) -> None:
    """Let a disabled user sign in again (their revoked API tokens stay revoked)."""
    with session_scope(state(ctx).engine()) as session:
        user = accounts.enable_user(session, actor=console_actor(), username=username)
    console.print(f"Enabled {user.username}")


@users_app.command("unlock")
def users_unlock(ctx: typer.Context, username: UsernameArg) -> None:
    """Lift the sign-in pauses of a user, from every network address (audited)."""
    with session_scope(state(ctx).engine()) as session:
        user = accounts.unlock_user(session, actor=console_actor(), username=username)
    console.print(f"Sign-in pauses lifted for {user.username}")


@users_app.command("set-roles")
def users_set_roles(
    ctx: typer.Context,
    username: UsernameArg,
    role: Annotated[
        list[str], typer.Option("--role", help="A role to hold (repeat; replaces all roles).")
    ],
) -> None:
    """Replace a user's roles."""
    with session_scope(state(ctx).engine()) as session:
        user = accounts.set_roles(session, actor=console_actor(), username=username, roles=role)
    console.print(f"{user.username} now holds: {', '.join(user.role_names)}")


@users_app.command("set-clearance")
def users_set_clearance(
    ctx: typer.Context,
    username: UsernameArg,
    clearance: Annotated[str, typer.Argument(help="OFFICIAL, OFFICIAL-SENSITIVE or SECRET.")],
) -> None:
    """Change a user's clearance."""
    with session_scope(state(ctx).engine()) as session:
        user = accounts.set_clearance(
            session, actor=console_actor(), username=username, clearance=clearance
        )
    console.print(f"{user.username} is now cleared to {user.clearance.value}")


@users_app.command("reset-password")
def users_reset_password(ctx: typer.Context, username: UsernameArg) -> None:
    """Set a new password (THREADLINE_NEW_PASSWORD or a hidden prompt); signs them out."""
    password = _new_password()
    with session_scope(state(ctx).engine()) as session:
        user = accounts.reset_password(
            session, actor=console_actor(), username=username, password=password
        )
    console.print(f"Password reset for {user.username}")


def _new_password() -> str:
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    value: str = typer.prompt(
        "New password (at least 12 characters)", hide_input=True, confirmation_prompt=True
    )
    return value


# --------------------------------------------------------------------------- tokens


@tokens_app.command("create")
def tokens_create(
    ctx: typer.Context,
    user: Annotated[str, typer.Option("--user", help="Username the token acts as.")],
    label: Annotated[str, typer.Option(help="What the token is for, e.g. 'nightly export'.")] = "",
    days: Annotated[int, typer.Option(help="Days until the token expires (1 to 366).")] = 90,
    json_out: JsonOpt = False,
) -> None:
    """Create an API token and print it once: it cannot be shown again."""
    with session_scope(state(ctx).engine()) as session:
        secret = accounts.create_token(
            session, actor=console_actor(), username=user, label=label, days=days
        )
    if json_out:
        print_json({"username": user, "label": label, "days": days, "token": secret})
        return
    typer.echo(secret)
    typer.echo(
        f"Token for {user}, valid {days} days. Store it now: it is not shown again.", err=True
    )


@tokens_app.command("list")
def tokens_list(
    ctx: typer.Context,
    user: Annotated[str, typer.Option("--user", help="Username whose tokens to list.")],
    json_out: JsonOpt = False,
) -> None:
    """List a user's API tokens (never the secrets, which are not stored)."""
    with session_scope(state(ctx).engine()) as session:
        tokens = accounts.list_tokens(session, actor=console_actor(), username=user)
    now = utcnow()
    if json_out:
        print_json([token.as_dict(now) for token in tokens])
        return
    table = Table(title=f"API tokens of {user} ({len(tokens)})", title_justify="left")
    for column in ("id", "label", "status", "created", "expires", "last used"):
        table.add_column(column)
    for token in tokens:
        data = token.as_dict(now)
        table.add_row(
            str(token.id),
            token.label,
            token.status(now),
            str(data["created_at"] or ""),
            str(data["expires_at"] or ""),
            str(data["last_used_at"] or ""),
        )
    console.print(table)


@tokens_app.command("revoke")
def tokens_revoke(
    ctx: typer.Context,
    token_id: Annotated[int, typer.Argument(help="The token's id (see `tokens list`).")],
) -> None:
    """Revoke an API token at once."""
    with session_scope(state(ctx).engine()) as session:
        token = accounts.revoke_token(session, actor=console_actor(), token_id=token_id)
    console.print(f"Revoked token {token.id} of {token.username}")


def register(app: typer.Typer) -> None:
    app.add_typer(orgs_app, name="orgs")
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")
