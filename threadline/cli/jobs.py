"""`threadline tick`: run the scheduled jobs once (for cron or a systemd timer)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from threadline.cli.audit import JsonOpt
from threadline.cli.context import console, print_json, state
from threadline.schedule import JOBS, tick


def tick_command(
    ctx: typer.Context,
    only: Annotated[
        list[str] | None,
        typer.Option(
            "--only",
            help="Run only this job (repeatable): " + ", ".join(name for name, _ in JOBS) + ".",
        ),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Run every scheduled job once: tripwire alerts, shift briefings, partner digests.

    Safe to run as often as you like (every minute from cron, say): each job does only
    what is due and never the same thing twice. Exits 1 if any job failed.
    """
    names = tuple(only or ())
    known = {name for name, _ in JOBS}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise typer.BadParameter(
            f"got {', '.join(unknown)}; expected one of {', '.join(sorted(known))}",
            param_hint="--only",
        )
    cli = state(ctx)
    results = tick(cli.engine(), settings=cli.settings, only=names)
    if json_out:
        print_json([r.as_dict() for r in results])
    else:
        table = Table("Job", "Done", "Notes")
        for r in results:
            done = ", ".join(f"{k}: {v}" for k, v in r.counts.items()) or "nothing due"
            notes = f"[red]failed: {r.error}[/red]" if r.error else "; ".join(r.notes)
            table.add_row(r.name, done, notes)
        console.print(table)
    if any(r.error for r in results):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("tick")(tick_command)
