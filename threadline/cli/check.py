"""The `check` command: the frontline look-up, as a named user, audited."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from threadline.check import check
from threadline.check.matching import parse_age_range
from threadline.check.reasons import CheckReason, parse_purpose, parse_reason
from threadline.cli.audit import JsonOpt, load_actor
from threadline.cli.context import console, print_json, state
from threadline.storage.db import session_scope


def check_command(
    ctx: typer.Context,
    as_user: Annotated[str, typer.Option("--as", help="Username of the officer making the check.")],
    name: Annotated[str | None, typer.Option(help="A name, e.g. 'John Smith'.")] = None,
    dob: Annotated[
        str | None,
        typer.Option(help="Date of birth to narrow a name: YYYY-MM-DD, YYYY-MM or YYYY."),
    ] = None,
    age: Annotated[
        str | None,
        typer.Option(
            help="Age range to narrow a name when the date of birth is unknown, e.g. 15-17."
        ),
    ] = None,
    phone: Annotated[str | None, typer.Option(help="A phone number in any common form.")] = None,
    vrm: Annotated[str | None, typer.Option(help="A vehicle registration mark.")] = None,
    postcode: Annotated[
        str | None, typer.Option(help="A full postcode, district (NR1) or area (NR).")
    ] = None,
    uprn: Annotated[
        str | None,
        typer.Option(help="An address's Unique Property Reference Number (up to 12 digits)."),
    ] = None,
    pnc: Annotated[str | None, typer.Option(help="A PNC id, e.g. 98/123456A.")] = None,
    reason: Annotated[
        str,
        typer.Option(
            help="Why the check is made (required; recorded in the audit log): one of "
            + ", ".join(f"{r.value} ({r.label})" for r in CheckReason)
            + "."
        ),
    ] = "",
    purpose: Annotated[
        str | None,
        typer.Option(help="More about the reason, e.g. an incident number (audit log)."),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=200, help="Most results to show.")] = 20,
    json_out: JsonOpt = False,
) -> None:
    """Check a person, phone, vehicle or address; shows only what you may see, and logs it."""

    age_range = parse_age_range(age, location="--age")
    why = parse_reason(reason, location="--reason")
    text = parse_purpose(purpose, location="--purpose")
    actor = load_actor(ctx, as_user, reason="check")
    with session_scope(state(ctx).engine()) as session:
        result = check(
            session,
            actor=actor,
            name=name,
            dob=dob,
            age_range=age_range,
            phone=phone,
            vrm=vrm,
            postcode=postcode,
            uprn=uprn,
            pnc=pnc,
            reason=why,
            purpose=text,
            limit=limit,
        )
    if json_out:
        print_json(result.as_dict())
        return
    if not result.cards:
        console.print("No records found that you may see.")
        return
    table = Table(title=f"Check by {actor.username}", title_justify="left")
    for column in ("score", "kind", "record", "owner", "groups / why"):
        table.add_column(column)
    for card in result.cards:
        record = card.record
        if card.kind == "person":
            label = " ".join(
                str(record.get(k) or "") for k in ("given_names", "family_name")
            ).strip()
            if record.get("date_of_birth"):
                label += f" ({record['date_of_birth']})"
        else:
            found = (record.get(k) for k in ("number", "vrm", "postcode", "uprn"))
            label = str(next((value for value in found if value), ""))
        groups = "; ".join(
            f"{g.get('name', '?')} ({role}" + (f"; LRO {g['lro']}" if g.get("lro") else "") + ")"
            for g, role in zip(card.memberships, card.roles, strict=True)
        )
        table.add_row(
            "-" if card.score is None else str(card.score),
            card.kind.value,
            label,
            str(record.get("owner", "")),
            _prompt(card.safeguarding) + (groups or ", ".join(card.reasons)),
        )
    console.print(table)


def _prompt(prompts: tuple[Any, ...]) -> str:
    """A safeguarding prompt first: a prompt to protect, not suspicion."""
    said = ""
    for prompt in prompts:
        if prompt.get("record_type") == "exploitation":
            said += f"{str(prompt['heading']).upper()} ({prompt['text']}); "
    others = [p for p in prompts if p.get("record_type") != "exploitation"]
    if others:
        said += f"PROMPT TO PROTECT: {len(others)} safeguarding record(s); "
    return said


def register(app: typer.Typer) -> None:
    app.command("check")(check_command)
