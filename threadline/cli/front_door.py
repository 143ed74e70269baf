"""`threadline safeguarding front-door` and `threadline safeguarding respond`: the police
front door from the console (the same services as /safeguarding/front-door)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from threadline.cli.audit import JsonOpt, load_actor
from threadline.cli.context import console, print_json, state
from threadline.safeguarding.concerns import ConcernOutcome
from threadline.safeguarding.front_door import Targets, front_door, respond_at_front_door
from threadline.settings import Settings
from threadline.storage.db import session_scope

AsUser = Annotated[str, typer.Option("--as", help="Username of the person doing this.")]
OUTCOMES = ", ".join(o.value for o in ConcernOutcome)


def _targets(settings: Settings) -> Targets:
    return Targets(
        red=settings.front_door_red_hours,
        amber=settings.front_door_amber_hours,
        green=settings.front_door_green_hours,
    )


def queue(ctx: typer.Context, as_user: AsUser, json_out: JsonOpt = False) -> None:
    """Partner concerns awaiting a police response in your force's area, most urgent first."""

    actor = load_actor(ctx, as_user, reason="safeguarding")
    settings = state(ctx).settings
    with session_scope(state(ctx).engine()) as session:
        door = front_door(session, actor=actor, targets=_targets(settings))
    if json_out:
        print_json(
            {
                "counts": door.counts,
                "waiting": [
                    {
                        "concern": i.concern.to_dict(),
                        "name": i.name,
                        "rag": i.rag.value,
                        "why": i.rag_reason,
                        "raised": i.raised_ago,
                        "clock": i.clock,
                        "due_at": i.due_at.isoformat(timespec="minutes"),
                    }
                    for i in door.waiting
                ],
            }
        )
        return
    table = Table(title=f"Front door: {len(door.waiting)} waiting", title_justify="left")
    for column in ("concern", "rating", "child", "raised", "respond", "their reference"):
        table.add_column(column)
    for i in door.waiting:
        table.add_row(
            str(i.concern["id"]),
            f"{i.rag.label}: {i.rag_reason}",
            i.name,
            f"{i.raised_ago} by {i.raised_by}",
            i.clock,
            str(i.concern.get("case_ref") or "-"),
        )
    console.print(table)


def respond(
    ctx: typer.Context,
    as_user: AsUser,
    concern: Annotated[int, typer.Option(help="Id of the concern at your front door.")],
    outcome: Annotated[str, typer.Option(help=f"The outcome: one of {OUTCOMES}.")],
    feedback: Annotated[
        str, typer.Option(help="Feedback to the partner: what police did or will do.")
    ],
    json_out: JsonOpt = False,
) -> None:
    """Record the outcome of a partner's concern and the feedback the partner reads."""

    actor = load_actor(ctx, as_user, reason="safeguarding")
    with session_scope(state(ctx).engine()) as session:
        view = respond_at_front_door(
            session, actor=actor, concern_id=concern, outcome=outcome, feedback=feedback
        )
    if json_out:
        print_json(view.to_dict())
        return
    console.print(f"Response to concern {concern} recorded: {view.get('outcome')}.")


def register(app: typer.Typer) -> None:
    """Add the commands to `threadline safeguarding`."""
    app.command("front-door")(queue)
    app.command("respond")(respond)
