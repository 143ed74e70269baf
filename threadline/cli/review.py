"""`threadline review due|decide|backfill`: MoPI review, retention and disposal."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from threadline.cli.audit import AsOpt, JsonOpt, load_actor
from threadline.cli.context import console, print_json, state
from threadline.clock import utcnow
from threadline.errors import FieldError, InvalidData
from threadline.review import Decision, backfill_review_dates, decide, due_for_review
from threadline.storage.db import session_scope

review_app = typer.Typer(
    help="MoPI review: what is due, retain or dispose decisions, review dates.",
    no_args_is_help=True,
)


def parse_day(value: str, *, option: str) -> date:
    """A YYYY-MM-DD date, or `InvalidData` naming the option."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidData([FieldError(option, value, "a date as YYYY-MM-DD")]) from None


def due(
    ctx: typer.Context,
    on: Annotated[
        str | None,
        typer.Option("--on", help="List what is due on or before this date (default today)."),
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option("--owner", help="Only records owned by this organisation, e.g. norfolk."),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", help="Most records to list, earliest due first.")
    ] = 100,
    as_user: AsOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """List records due for MoPI review, earliest first (the listing is logged)."""
    day = parse_day(on, option="--on") if on else utcnow().date()
    actor = load_actor(ctx, as_user, reason="review")
    with session_scope(state(ctx).engine()) as session:
        records = due_for_review(session, actor=actor, on=day, owner=owner, limit=limit)
    if json_out:
        print_json([record.as_dict() for record in records])
        return
    if not records:
        console.print(f"Nothing is due for review on or before {day}.")
        return
    table = Table(title=f"Due for review on or before {day}", title_justify="left")
    for column in ("id", "kind", "owner", "marking", "group", "review due", "created"):
        table.add_column(column)
    for record in records:
        table.add_row(
            str(record.entity_id),
            record.kind,
            record.owner,
            record.marking,
            record.retention_group,
            f"{record.review_due}{' (computed)' if record.computed else ''}",
            record.created_at.date().isoformat(),
        )
    console.print(table)
    if len(records) == limit:
        console.print(f"Showing the first {limit}; use --limit for more.")


def decide_command(
    ctx: typer.Context,
    entity_id: Annotated[int, typer.Argument(help="Id of the record reviewed.")],
    as_user: Annotated[
        str,
        typer.Option("--as", help="Username of the reviewer (dpo, admin or supervisor)."),
    ],
    reason: Annotated[
        str,
        typer.Option("--reason", help="Why: required to retain, and recorded for disposal."),
    ],
    retain: Annotated[
        bool, typer.Option("--retain", help="Keep the record until its next review.")
    ] = False,
    dispose: Annotated[
        bool, typer.Option("--dispose", help="Erase the record and its links (logged).")
    ] = False,
    next_review: Annotated[
        str | None,
        typer.Option(
            "--next-review",
            help="With --retain: the next review date (default: by the retention schedule).",
        ),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Record a review decision: retain (with a reason) or dispose (erase and log)."""
    if retain == dispose:
        raise InvalidData(
            [FieldError("--retain/--dispose", "both" if retain else "neither", "exactly one")]
        )
    when = parse_day(next_review, option="--next-review") if next_review else None
    actor = load_actor(ctx, as_user, reason="review")
    with session_scope(state(ctx).engine()) as session:
        outcome = decide(
            session,
            actor=actor,
            entity_id=entity_id,
            decision=Decision.RETAIN if retain else Decision.DISPOSE,
            reason=reason,
            next_review=when,
        )
    if json_out:
        print_json(outcome.as_dict())
    elif outcome.decision is Decision.RETAIN:
        console.print(
            f"Retained {outcome.kind} {outcome.entity_id}; next review {outcome.next_review} "
            f"(decision {outcome.decision_id}, audit event {outcome.audit_event_id})."
        )
    else:
        console.print(
            f"Disposed of {outcome.kind} {outcome.entity_id}: erased with "
            f"{outcome.links_removed} link(s) (decision {outcome.decision_id}, "
            f"erasure logged as audit event {outcome.audit_event_id})."
        )


def backfill(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Store a review date on every record without one (creation date + schedule)."""
    with session_scope(state(ctx).engine()) as session:
        count = backfill_review_dates(session)
    if json_out:
        print_json({"updated": count})
    else:
        console.print(f"Review dates set on {count:,} records.")


def register(app: typer.Typer) -> None:
    review_app.command("due")(due)
    review_app.command("decide")(decide_command)
    review_app.command("backfill")(backfill)
    app.add_typer(review_app, name="review")
