"""The OCG mapping score commands under `threadline ocg`.

- `threadline ocg score GROUP_ID --as USER [--json]`: the group's score as USER may see it
  (band, total, items with the records behind them, adjustments, history);
- `threadline ocg rescore [--json]`: score every mapped group now, as the system (what
  the `ocg-scores` job of `tick` does for groups already scored, for all of them);
- `threadline ocg adjust GROUP_ID --as USER --dimension D --points N --reason TEXT`, or
  `--withdraw ID --reason TEXT` to withdraw an adjustment.
"""

from __future__ import annotations

from typing import Annotated

import typer

from threadline.cli.audit import JsonOpt, load_actor
from threadline.cli.context import console, print_json, state
from threadline.scoring import (
    ScoreView,
    adjust_score,
    get_score,
    load_scale,
    rescore_all,
    withdraw_adjustment,
)
from threadline.storage.db import session_scope

AsUser = Annotated[
    str, typer.Option("--as", help="Username acting, e.g. analyst@norfolk or analyst@ersou.")
]
GroupArg = Annotated[int, typer.Argument(help="The group's record id (see `ocg list`).")]


def _print(view: ScoreView) -> None:
    console.print(f"{view.group.name} (group {view.group.id})", markup=False)
    if view.state != "scored":
        console.print(view.message or "Not scored yet.", markup=False)
        return
    adjusted = view.adjusted - view.points
    extra = f" ({view.points} from the records, {adjusted:+d} adjusted)" if adjusted else ""
    console.print(f"{view.band_name}: {view.adjusted} points{extra}", markup=False)
    for dim in view.dimensions:
        note = f", {dim.adjustment:+d} adjusted" if dim.adjustment else ""
        console.print(f"  {dim.label}: {dim.points} points{note}", markup=False)
        for item in dim.items:
            names = ", ".join(e.label for e in item.evidence)
            console.print(f"    {item.points:>4}  {item.item}: {names}", markup=False)
    for a in view.adjustments:
        state_ = f" — withdrawn: {a.withdrawn_reason}" if a.withdrawn_at else ""
        console.print(
            f"  Adjustment {a.id}: {a.points:+d} on {a.dimension} by {a.made_by}, "
            f"{a.made_at:%-d %B %Y}: {a.reason}{state_}",
            markup=False,
        )


def score(
    ctx: typer.Context, group_id: GroupArg, as_user: AsUser, json_out: JsonOpt = False
) -> None:
    """Show a group's OCG mapping score, as the user may see it."""
    actor = load_actor(ctx, as_user, reason="ocg")
    with session_scope(state(ctx).engine()) as session:
        view = get_score(session, actor=actor, group_id=group_id)
    if json_out:
        print_json(view.as_json())
    else:
        _print(view)


def rescore(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Score every mapped group now (a new score is stored only where it changed)."""
    with session_scope(state(ctx).engine()) as session:
        done = rescore_all(session)
    if json_out:
        print_json(
            {"groups": done.groups, "stored": done.stored, "bands_changed": done.bands_changed}
        )
    else:
        console.print(
            f"Scored {done.groups} groups on scale {load_scale().version}: {done.stored} new "
            f"scores stored, {done.bands_changed} bands changed."
        )


def adjust(
    ctx: typer.Context,
    group_id: GroupArg,
    as_user: AsUser,
    reason: Annotated[str, typer.Option("--reason", help="Why, in at least 10 characters.")],
    dimension: Annotated[
        str,
        typer.Option(
            "--dimension", help="criminality, capability, reach or network (not with --withdraw)."
        ),
    ] = "",
    points: Annotated[
        int, typer.Option("--points", help="Points to add (or take away, negative); not 0.")
    ] = 0,
    withdraw: Annotated[
        int, typer.Option("--withdraw", help="The id of an adjustment to withdraw instead.")
    ] = 0,
    json_out: JsonOpt = False,
) -> None:
    """Adjust a group's score on one dimension with a reason, or withdraw an adjustment."""
    actor = load_actor(ctx, as_user, reason="ocg")
    with session_scope(state(ctx).engine()) as session:
        if withdraw:
            withdraw_adjustment(
                session, actor=actor, group_id=group_id, adjustment_id=withdraw, reason=reason
            )
        else:
            adjust_score(
                session,
                actor=actor,
                group_id=group_id,
                dimension=dimension,
                points=points,
                reason=reason,
            )
    with session_scope(state(ctx).engine()) as session:
        view = get_score(session, actor=actor, group_id=group_id)
    if json_out:
        print_json(view.as_json())
    else:
        console.print("Adjustment withdrawn." if withdraw else "Score adjusted.")
        _print(view)


def register(app: typer.Typer) -> None:
    """Add `score`, `rescore` and `adjust` to the `ocg` commands."""
    app.command("score")(score)
    app.command("rescore")(rescore)
    app.command("adjust")(adjust)
