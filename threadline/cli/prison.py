"""`threadline stats prison` and `threadline prison ...`: prison monitoring at the console."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from threadline.cli.context import console, print_json, state
from threadline.cli.data import stats_app
from threadline.errors import FieldError, InvalidData
from threadline.stats.prison import prison_stats
from threadline.storage.db import session_scope

JsonOpt = Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")]
OnOpt = Annotated[
    str | None,
    typer.Option("--on", help="The day to count on, YYYY-MM-DD (default: today)."),
]


def stats_prison(ctx: typer.Context, json_out: JsonOpt = False, on: OnOpt = None) -> None:
    """Prison monitoring per force: OCG members in custody, the share under an in-date
    plan, contacts detected, releases in the next 90 days with a release plan."""
    day = None
    if on:
        try:
            day = date.fromisoformat(on)
        except ValueError:
            raise InvalidData([FieldError("--on", on, "a date as YYYY-MM-DD")]) from None
    with session_scope(state(ctx).engine()) as session:
        figures = prison_stats(session, on=day)
    if json_out:
        print_json(figures)
        return
    table = Table(title=f"Prison monitoring on {figures['on']}", title_justify="left")
    columns = (
        "force",
        "in custody",
        "under in-date plan",
        "no plan or overdue",
        "contacts (90 days)",
        "releases ≤90 days (planned)",
    )
    for column in columns:
        table.add_column(column)
    rows = [*figures["forces"], figures["region"]]
    for row in rows:
        share = row["share_under_in_date_plan"]
        table.add_row(
            str(row["force"]),
            str(row["ocg_members_in_custody"]),
            "-" if share is None else f"{share:.0%} ({row['under_in_date_plan']})",
            str(row["no_plan_or_overdue"]),
            str(row["contacts_detected_90_days"]),
            f"{row['releases_next_90_days']} ({row['releases_next_90_days_with_release_plan']})",
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    stats_app.command("prison")(stats_prison)
