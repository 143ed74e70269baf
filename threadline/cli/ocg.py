"""The `ocg` commands: name a group's lead responsible officer."""

from __future__ import annotations

from typing import Annotated

import typer

from threadline.cli import ocg_groups, ocg_morile, ocg_plans, ocg_scoring
from threadline.cli.audit import JsonOpt, load_actor
from threadline.cli.context import console, print_json, state
from threadline.ocg import assign_lro
from threadline.storage.db import session_scope

ocg_app = typer.Typer(help="Organised crime groups: their lead responsible officers.")


@ocg_app.command("lro")
def name_lro(
    ctx: typer.Context,
    group_id: Annotated[int, typer.Argument(help="The group's record id (see `check`).")],
    user: Annotated[str, typer.Option("--user", help="Username of the LRO, e.g. lro@norfolk.")],
    as_user: Annotated[
        str, typer.Option("--as", help="Username of the supervisor naming the LRO.")
    ],
    json_out: JsonOpt = False,
) -> None:
    """Name the lead responsible officer of a group (a supervisor of its force may)."""

    actor = load_actor(ctx, as_user, reason="ocg")
    with session_scope(state(ctx).engine()) as session:
        shown = assign_lro(session, actor=actor, organisation_id=group_id, username=user)
    if json_out:
        print_json({"group": group_id, "lro": shown})
    else:
        console.print(f"Group {group_id}: lead responsible officer is now {shown}")


def register(app: typer.Typer) -> None:
    app.add_typer(ocg_app, name="ocg")


ocg_plans.register(ocg_app)  # plan, review-plan, action add|update (cli/ocg_plans.py)
ocg_morile.register(ocg_app)  # priorities, assess (cli/ocg_morile.py)
ocg_scoring.register(ocg_app)  # score, rescore, adjust (cli/ocg_scoring.py)
ocg_groups.register(ocg_app)  # list, show (cli/ocg_groups.py)
