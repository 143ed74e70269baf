"""`threadline isa add|list|show|end`: information sharing agreements.

Without `--as`, the console's system administrator of the regional unit acts (whoever
runs the console can already read the database); every change is audited either way.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from threadline.cli.audit import AsOpt, JsonOpt, load_actor
from threadline.cli.context import console, err_console, print_json, state
from threadline.errors import FieldError, InvalidData
from threadline.policy import today
from threadline.sharing import Isa, add_isa, end_isa, get_isa, list_isas
from threadline.storage.db import session_scope

isa_app = typer.Typer(
    help="Information sharing agreements: the basis of routine sharing with partners.",
    no_args_is_help=True,
)

RefArg = Annotated[str, typer.Argument(help="The agreement's reference, e.g. ISA-NFK-CADS-01.")]


def parse_day(value: str | None, option: str) -> date | None:
    """A YYYY-MM-DD option value, or `InvalidData` naming the option."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidData([FieldError(option, value, "a date as YYYY-MM-DD")]) from None


@isa_app.command("add")
def add(
    ctx: typer.Context,
    ref: RefArg,
    title: Annotated[str, typer.Option(help="A short title naming the parties and purpose.")],
    purpose: Annotated[str, typer.Option(help="What the sharing is for, in words.")],
    legal_basis: Annotated[
        str,
        typer.Option(help="The law the sharing rests on, e.g. 'Crime and Disorder Act 1998 s115'."),
    ],
    provider: Annotated[
        list[str], typer.Option(help="Code of an organisation that provides data (repeat).")
    ],
    recipient: Annotated[
        list[str], typer.Option(help="Code of an organisation that receives data (repeat).")
    ],
    item: Annotated[
        list[str],
        typer.Option(
            help="A data item that may be shared: a kind (person, sanitised_report...) or "
            "kind.field (person.family_name); repeat for each."
        ),
    ],
    retention: Annotated[str, typer.Option(help="How long recipients keep what they receive.")],
    starts: Annotated[str, typer.Option(help="First day the agreement applies (YYYY-MM-DD).")],
    review: Annotated[str, typer.Option(help="Date by which it must be reviewed (YYYY-MM-DD).")],
    ends: Annotated[
        str | None, typer.Option(help="Last day it applies (YYYY-MM-DD); omit for no end date.")
    ] = None,
    area: Annotated[
        list[str] | None,
        typer.Option(help="A policing area it is limited to (repeat); omit for every area."),
    ] = None,
    cohort: Annotated[
        list[str] | None,
        typer.Option(
            help="A cohort it is limited to (under_18, ocg_member, county_line, exploited, "
            "prisoner; repeat); omit for everyone."
        ),
    ] = None,
    onward: Annotated[
        str, typer.Option(help="Whether and how recipients may share onward.")
    ] = "not permitted",
    as_user: AsOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Record a new information sharing agreement (administrators only)."""
    errors = []
    days: dict[str, date | None] = {}
    for option, value in (("--starts", starts), ("--review", review), ("--ends", ends)):
        try:
            days[option] = parse_day(value, option)
        except InvalidData as exc:
            errors += exc.errors
    if errors:
        raise InvalidData(errors)
    starts_on, review_on = days["--starts"], days["--review"]
    assert starts_on is not None and review_on is not None
    actor = load_actor(ctx, as_user, reason="console")
    with session_scope(state(ctx).engine()) as session:
        isa = add_isa(
            session,
            actor=actor,
            ref=ref,
            title=title,
            purpose=purpose,
            legal_basis=legal_basis,
            providers=provider,
            recipients=recipient,
            data_items=item,
            areas=area or [],
            cohorts=cohort or [],
            onward_sharing=onward,
            retention=retention,
            starts_on=starts_on,
            review_on=review_on,
            ends_on=days["--ends"],
        )
    if json_out:
        print_json(isa.to_dict())
    else:
        console.print(f"Added agreement {isa.ref} ({isa.state_on(today()).value})")


@isa_app.command("list")
def list_(
    ctx: typer.Context,
    org: Annotated[
        str | None, typer.Option(help="Only agreements this organisation is party to.")
    ] = None,
    active: Annotated[bool, typer.Option("--active", help="Only agreements active today.")] = False,
    as_user: AsOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """List agreements by reference, with their state today."""
    actor = load_actor(ctx, as_user, reason="console")
    with session_scope(state(ctx).engine()) as session:
        isas = list_isas(session, actor=actor, agency_code=org, active_only=active)
    if json_out:
        print_json([isa.to_dict() for isa in isas])
        return
    if not isas:
        err_console.print("No agreements.")
        return
    table = Table()
    table.add_column("Ref", no_wrap=True)
    table.add_column("State", no_wrap=True)
    for heading in ("Providers", "Recipients", "Data items", "Review", "Ends"):
        table.add_column(heading)
    day = today()
    for isa in isas:
        table.add_row(
            isa.ref,
            isa.state_on(day).value,
            ", ".join(isa.providers),
            ", ".join(isa.recipients),
            ", ".join(isa.data_items),
            isa.review_on.isoformat(),
            isa.ends_on.isoformat() if isa.ends_on else "-",
        )
    console.print(table)


@isa_app.command("show")
def show(ctx: typer.Context, ref: RefArg, as_user: AsOpt = None, json_out: JsonOpt = False) -> None:
    """Show one agreement in full."""
    actor = load_actor(ctx, as_user, reason="console")
    with session_scope(state(ctx).engine()) as session:
        isa = get_isa(session, actor=actor, ref=ref)
    if json_out:
        print_json(isa.to_dict())
    else:
        _print_isa(isa)


@isa_app.command("end")
def end(
    ctx: typer.Context,
    ref: RefArg,
    reason: Annotated[
        str, typer.Option(help="Why the agreement is ended (kept in the audit log).")
    ],
    as_user: AsOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """End an agreement now: nothing more is shared under it from this moment."""
    actor = load_actor(ctx, as_user, reason="console")
    with session_scope(state(ctx).engine()) as session:
        isa = end_isa(session, actor=actor, ref=ref, reason=reason)
    if json_out:
        print_json(isa.to_dict())
    else:
        console.print(f"Ended agreement {isa.ref}; nothing more is shared under it.")


def _print_isa(isa: Isa) -> None:
    for name, value in isa.to_dict().items():
        shown = ", ".join(value) if isinstance(value, list) else value
        console.print(f"[bold]{name}[/bold]: {shown if shown not in (None, '') else '-'}")


def register(app: typer.Typer) -> None:
    app.add_typer(isa_app, name="isa")
