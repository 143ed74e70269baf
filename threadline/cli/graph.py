"""`threadline graph`: network analytics over what the acting user may see.

- `threadline graph key-players --as USER [--group ID] [--limit N] [--from D] [--to D] [--json]`
- `threadline graph path FROM_ID TO_ID --as USER [--json]`
- `threadline graph communities --as USER [--min-size N] [--json]`

Every figure is computed only from the records and links the user may see (police
readers only; the console's system account gets no analytics) and is audited.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

import typer

from threadline.cli.audit import JsonOpt, load_actor
from threadline.cli.context import console, print_json, state
from threadline.errors import FieldError, InvalidData
from threadline.graph import Window, analyse_group, communities, key_players, shortest_chain
from threadline.storage.db import session_scope

graph_app = typer.Typer(
    help="Network analytics: key players, brokers, communities, chains between people.",
    no_args_is_help=True,
)

AsUser = Annotated[
    str, typer.Option("--as", help="Username acting, e.g. analyst@norfolk (a police reader).")
]
FromOpt = Annotated[
    str | None,
    typer.Option("--from", help="Only links that held on or after this date (YYYY-MM-DD)."),
]
ToOpt = Annotated[
    str | None,
    typer.Option("--to", help="Only links that held on or before this date (YYYY-MM-DD)."),
]


def _window(start: str | None, end: str | None) -> Window:
    def parse(raw: str | None, option: str) -> date | None:
        if raw is None:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise InvalidData([FieldError(option, raw, "a date as YYYY-MM-DD")]) from None

    return Window(parse(start, "--from"), parse(end, "--to"))


@graph_app.command("key-players")
def key_players_command(
    ctx: typer.Context,
    as_user: AsUser,
    group: Annotated[
        int | None,
        typer.Option("--group", help="A crime group's id: its network's key players and brokers."),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=500, help="How many to list.")] = 20,
    start: FromOpt = None,
    end: ToOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The key players of the region (or of one group's network), best first."""
    actor = load_actor(ctx, as_user, reason="graph key-players")
    window = _window(start, end)
    with session_scope(state(ctx).engine()) as session:
        if group is None:
            players = key_players(session, actor=actor, window=window, limit=limit)
            found: dict[str, Any] = {"key_players": [_plain(p) for p in players]}
        else:
            analysis, _ = analyse_group(
                session, actor=actor, group_id=group, window=window, limit=limit
            )
            found = analysis.as_dict()
    if as_json:
        print_json(found)
        return
    for number, player in enumerate(found["key_players"], 1):
        role = f" [{player['role']}]" if player.get("role") else ""
        console.print(f"{number:>3}. {player['label']}{role}: {player['why']}", highlight=False)
    for broker in found.get("brokers", []):
        console.print(f"broker: {broker['label']}: {broker['why']}", highlight=False)


def _plain(value: Any) -> dict[str, Any]:
    return asdict(value)


@graph_app.command("path")
def path_command(
    ctx: typer.Context,
    from_id: Annotated[int, typer.Argument(help="The first person's record id.")],
    to_id: Annotated[int, typer.Argument(help="The second person's record id.")],
    as_user: AsUser,
    start: FromOpt = None,
    end: ToOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The shortest chain of links between two people."""
    actor = load_actor(ctx, as_user, reason="graph path")
    with session_scope(state(ctx).engine()) as session:
        chain = shortest_chain(
            session, actor=actor, from_id=from_id, to_id=to_id, window=_window(start, end)
        )
    if as_json:
        print_json(chain.as_dict())
        return
    if not chain.steps:
        console.print("No chain of links you may see joins these two people.")
        return
    console.print(f"{chain.length} links apart:")
    for step in chain.steps:
        link = f"  --{step.link}-->" if step.link else ""
        console.print(f"  {step.label} ({step.kind} {step.record_id}){link}", highlight=False)


@graph_app.command("communities")
def communities_command(
    ctx: typer.Context,
    as_user: AsUser,
    min_size: Annotated[int, typer.Option(min=2, help="The fewest people a community lists.")] = 3,
    limit: Annotated[int, typer.Option(min=1, max=500, help="How many to list.")] = 50,
    start: FromOpt = None,
    end: ToOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Leiden communities of the people you may see, largest first."""
    actor = load_actor(ctx, as_user, reason="graph communities")
    with session_scope(state(ctx).engine()) as session:
        found = communities(
            session, actor=actor, window=_window(start, end), min_size=min_size, limit=limit
        )
    if as_json:
        print_json(
            [
                {
                    "number": c.number,
                    "size": c.size,
                    "groups": list(c.groups),
                    "people": [{"id": i, "label": label} for i, label in c.people],
                }
                for c in found
            ]
        )
        return
    for c in found:
        groups = ", ".join(c.groups) or "no mapped group"
        names = "; ".join(label for _, label in c.people)
        console.print(f"{c.number:>3}. {c.size} people ({groups}): {names}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add `threadline graph ...`."""
    app.add_typer(graph_app, name="graph")
