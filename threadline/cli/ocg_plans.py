"""The 4P plan commands under `threadline ocg`: read a plan, add and change actions, review.

- `threadline ocg plan GROUP_ID --as USER [--json]`
- `threadline ocg action add GROUP_ID --strand S --description D --owner O --due DATE ...`
- `threadline ocg action update ACTION_ID [--status S] [--evidence E] [--due D] ...`
- `threadline ocg review-plan GROUP_ID --note N [--next DATE]`

Owners are a username (lro@norfolk) or a partner organisation's code (norfolk-cads).
"""

from __future__ import annotations

from typing import Annotated

import typer

from threadline.cli.audit import JsonOpt, load_actor
from threadline.cli.context import console, print_json, state
from threadline.plans import Plan, PlanAction, add_action, get_plan, record_review, update_action
from threadline.plans.types import action_dict, plan_dict
from threadline.storage.db import session_scope

action_app = typer.Typer(help="Add and change the actions of a crime group's 4P plan.")

AsUser = Annotated[
    str,
    typer.Option(
        "--as", help="Username acting, e.g. lro@norfolk (the group's LRO or a supervisor)."
    ),
]
GroupArg = Annotated[int, typer.Argument(help="The group's record id (see `threadline ocg list`).")]
Strand = Annotated[
    str, typer.Option("--strand", help="The strand: pursue, prevent, protect or prepare.")
]
Description = Annotated[str, typer.Option("--description", help="What is to be done.")]
OwnerOpt = Annotated[
    str,
    typer.Option(
        "--owner", help="Who owns it: an officer's username or a partner organisation's code."
    ),
]


def _owner_words(action: PlanAction) -> str:
    if action.owner is None:
        return "no owner"
    return action.owner.name + (
        f" ({action.owner.organisation})" if action.owner.kind == "officer" else ""
    )


def _print_action(action: PlanAction) -> None:
    due = action.due.isoformat() if action.due else "no due date"
    late = " LATE" if action.late else ""
    console.print(
        f"  #{action.id} [{action.status.label}{late}] {action.description} — "
        f"{_owner_words(action)}; due {due}"
    )
    if action.evidence:
        console.print(f"      evidence: {action.evidence}")


def _print_plan(plan: Plan) -> None:
    console.print(f"{plan.group_name} (group {plan.group_id}): {plan.state.label}")
    if plan.lro:
        console.print(f"Owned by {plan.lro} (lead responsible officer)")
    next_review = plan.state.next_review.isoformat() if plan.state.next_review else "now"
    console.print(f"Next review: {next_review}")
    for strand, actions in plan.actions.items():
        console.print(f"{strand.label}: {strand.purpose}")
        if not actions:
            console.print("  no actions")
        for action in actions:
            _print_action(action)


def show_plan(
    ctx: typer.Context, group_id: GroupArg, as_user: AsUser, json_out: JsonOpt = False
) -> None:
    """Show a group's 4P plan: its currency and its actions under each strand."""
    actor = load_actor(ctx, as_user, reason="ocg")
    with session_scope(state(ctx).engine()) as session:
        plan = get_plan(session, actor=actor, group_id=group_id)
    if json_out:
        print_json(plan_dict(plan))
    else:
        _print_plan(plan)


@action_app.command("add")
def add(
    ctx: typer.Context,
    group_id: GroupArg,
    strand: Strand,
    description: Description,
    owner: OwnerOpt,
    due: Annotated[str, typer.Option("--due", help="The due date, YYYY-MM-DD, from today.")],
    as_user: AsUser,
    review: Annotated[
        str, typer.Option("--review", help="When to check on it, YYYY-MM-DD (optional).")
    ] = "",
    status: Annotated[
        str, typer.Option("--status", help="planned (the default), in_progress, done or stopped.")
    ] = "planned",
    evidence: Annotated[str, typer.Option("--evidence", help="Evidence so far (optional).")] = "",
    json_out: JsonOpt = False,
) -> None:
    """Add an action to a group's 4P plan."""
    actor = load_actor(ctx, as_user, reason="ocg")
    with session_scope(state(ctx).engine()) as session:
        action = add_action(
            session, actor=actor, group_id=group_id, strand=strand, description=description,
            owner=owner, due=due, review_due=review or None, status=status, evidence=evidence,
        )  # fmt: skip
    if json_out:
        print_json(action_dict(action))
    else:
        console.print(f"Added to the {action.strand.label} strand:")
        _print_action(action)


@action_app.command("update")
def update(
    ctx: typer.Context,
    action_id: Annotated[int, typer.Argument(help="The action's id (see `threadline ocg plan`).")],
    as_user: AsUser,
    status: Annotated[
        str | None, typer.Option("--status", help="planned, in_progress, done or stopped.")
    ] = None,
    evidence: Annotated[
        str | None, typer.Option("--evidence", help="The evidence (replaces what was there).")
    ] = None,
    due: Annotated[str | None, typer.Option("--due", help="A new due date, YYYY-MM-DD.")] = None,
    review: Annotated[
        str | None, typer.Option("--review", help="A new review date, YYYY-MM-DD.")
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option("--owner", help="A new owner: a username or an organisation's code."),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Change an action: only the options given change."""
    actor = load_actor(ctx, as_user, reason="ocg")
    with session_scope(state(ctx).engine()) as session:
        action = update_action(
            session, actor=actor, action_id=action_id, status=status, evidence=evidence,
            due=due, review_due=review, owner=owner,
        )  # fmt: skip
    if json_out:
        print_json(action_dict(action))
    else:
        console.print("Action now reads:")
        _print_action(action)


def review_plan(
    ctx: typer.Context,
    group_id: GroupArg,
    note: Annotated[str, typer.Option("--note", help="What the review found or decided.")],
    as_user: AsUser,
    next_review: Annotated[
        str | None,
        typer.Option("--next", help="The next review, YYYY-MM-DD (default: one month on)."),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Record a review of a group's whole 4P plan."""
    actor = load_actor(ctx, as_user, reason="ocg")
    with session_scope(state(ctx).engine()) as session:
        review = record_review(
            session, actor=actor, group_id=group_id, note=note, next_review=next_review
        )
    if json_out:
        print_json({"group": group_id, "next_review": review.next_review.isoformat()})
    else:
        console.print(f"Review recorded; the next is due {review.next_review.isoformat()}")


def register(app: typer.Typer) -> None:
    """Add the plan commands to `threadline ocg`."""
    app.command("plan")(show_plan)
    app.command("review-plan")(review_plan)
    app.add_typer(action_app, name="action")
