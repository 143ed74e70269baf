"""`threadline watch add|list|end` and `threadline alerts`: tripwires at the console."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from threadline.cli.audit import JsonOpt, load_actor
from threadline.cli.context import console, print_json, state
from threadline.storage.db import session_scope
from threadline.tripwires import (
    ReadState,
    add_watch,
    end_watch,
    list_alerts,
    list_watches,
    triage_alerts,
)
from threadline.tripwires.triage import KIND_NOUNS

watch_app = typer.Typer(
    help="Records you watch: you are alerted about them as far as policy lets you be told.",
    no_args_is_help=True,
)
AsUser = Annotated[
    str, typer.Option("--as", help="Username of the person watching, e.g. lro@norfolk.")
]
RecordArg = Annotated[int, typer.Argument(help="The record's id (see `threadline check`).")]


@watch_app.command("add")
def add(
    ctx: typer.Context,
    record: RecordArg,
    as_user: AsUser,
    reason: Annotated[
        str, typer.Option("--reason", help="Why you watch it; the alerts repeat it.")
    ] = "",
    json_out: JsonOpt = False,
) -> None:
    """Watch a record you may see. Police are alerted when anyone else checks it or
    records something about it; partners only of what reaches their organisation."""

    actor = load_actor(ctx, as_user, reason="watch")
    with session_scope(state(ctx).engine()) as session:
        watch = add_watch(session, actor=actor, entity_id=record, reason=reason)
    if json_out:
        print_json(watch.as_dict())
    else:
        console.print(f"Watching {watch.name} (record {watch.entity_id}): {watch.reason}")


@watch_app.command("list")
def list_command(
    ctx: typer.Context,
    as_user: AsUser,
    ended: Annotated[
        bool, typer.Option("--ended", help="Include watches that have ended.")
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """List the records you watch, with why (automatic watches of an LRO included)."""

    actor = load_actor(ctx, as_user, reason="watch")
    with session_scope(state(ctx).engine()) as session:
        watches = list_watches(session, actor=actor, include_ended=ended)
    if json_out:
        print_json([w.as_dict() for w in watches])
        return
    table = Table("Record", "Name", "Why", "Source", "Since")
    for w in watches:
        since = f"{w.created_at:%Y-%m-%d %H:%M}" + (" (ended)" if w.ended_at else "")
        table.add_row(str(w.entity_id), w.name, w.reason, w.source, since)
    console.print(table if watches else "You watch no records.")


@watch_app.command("end")
def end(ctx: typer.Context, record: RecordArg, as_user: AsUser, json_out: JsonOpt = False) -> None:
    """Stop watching a record you watch by hand."""

    actor = load_actor(ctx, as_user, reason="watch")
    with session_scope(state(ctx).engine()) as session:
        watch = end_watch(session, actor=actor, entity_id=record)
    if json_out:
        print_json(watch.as_dict())
    else:
        console.print(f"Stopped watching {watch.name} (record {watch.entity_id})")


def alerts_command(
    ctx: typer.Context,
    as_user: Annotated[str, typer.Option("--as", help="Username whose alerts to show.")],
    unread: Annotated[bool, typer.Option("--unread", help="Only alerts not yet read.")] = False,
    kind: Annotated[
        str,
        typer.Option("--kind", help=f"Only alerts of one kind: {', '.join(sorted(KIND_NOUNS))}."),
    ] = "",
    grouped: Annotated[
        bool,
        typer.Option(
            "--grouped",
            help="Grouped as the alerts page shows them: by record and kind, reads of "
            "records in one daily summary.",
        ),
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """Show your tripwire alerts, unread first, then newest first."""

    if kind and kind not in KIND_NOUNS:
        raise typer.BadParameter(
            f"got {kind!r}, expected one of {', '.join(sorted(KIND_NOUNS))}", param_hint="--kind"
        )
    actor = load_actor(ctx, as_user, reason="alerts")
    if grouped:
        read_state = ReadState.UNREAD if unread else ReadState.ALL
        with session_scope(state(ctx).engine()) as session:
            triage = triage_alerts(
                session, actor=actor, kind=kind, state=read_state, per_page=10_000
            )
        if json_out:
            print_json([g.as_dict() for g in triage.groups])
            return
        groups = Table("Unread", "What happened")
        for g in triage.groups:
            groups.add_row(str(g.unread), g.headline)
        console.print(groups if triage.groups else "No alerts.")
        return
    with session_scope(state(ctx).engine()) as session:
        alerts = list_alerts(session, actor=actor, unread_only=unread, kind=kind or None)
    if json_out:
        print_json([a.as_dict() for a in alerts])
        return
    table = Table("Alert", "When (UTC)", "Kind", "What happened", "Read")
    for a in alerts:
        table.add_row(
            str(a.id),
            f"{a.created_at:%Y-%m-%d %H:%M}",
            a.kind,
            a.summary,
            "no" if a.unread else "yes",
        )
    console.print(table if alerts else "No alerts.")


def register(app: typer.Typer) -> None:
    app.add_typer(watch_app, name="watch")
    app.command("alerts")(alerts_command)
