"""The county line commands: `threadline lines list|show|status`.

- `threadline lines list --as USER [--status S] [--json]`: lines by status, with counts.
- `threadline lines show LINE_ID --as USER [--json]`: a line's status and why, runners
  safeguarded, cuckooed addresses recovered, the deal line's last activity, the history.
- `threadline lines status LINE_ID --status S --evidence TEXT --as USER [--kind K]
  [--since DATE]`: change a line's status with its evidence.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from threadline.cli.audit import JsonOpt, load_actor
from threadline.cli.context import console, print_json, state
from threadline.clock import uk_date
from threadline.countylines import LineStatusView, change_status, line_status, list_lines
from threadline.storage.db import session_scope

lines_app = typer.Typer(help="County lines: their status and the evidence for it.")

AsUser = Annotated[
    str, typer.Option("--as", help="Username acting, e.g. analyst@norfolk (police only).")
]
LineArg = Annotated[
    int, typer.Argument(help="The county line's record id (see `threadline lines list`).")
]


def _view_dict(view: LineStatusView) -> dict[str, Any]:
    return {
        "id": view.id,
        "name": view.name,
        "status": view.status.value,
        "since": view.since.isoformat() if view.since else None,
        "deal_line_last_activity": view.deal_line_last_activity.isoformat()
        if view.deal_line_last_activity
        else None,
        "runners": view.runners,
        "runners_safeguarded": view.runners_safeguarded,
        "cuckooed_addresses": view.cuckooed_addresses,
        "cuckooed_addresses_recovered": view.cuckooed_recovered,
        "changes": [
            {
                "status": c.status.value,
                "previous_status": c.previous.value,
                "effective_on": c.effective_on.isoformat(),
                "evidence_kind": c.evidence_kind.value,
                "evidence": c.evidence,
                "automatic": c.automatic,
                "by": c.by,
            }
            for c in view.changes
        ],
    }


@lines_app.command("list")
def list_command(
    ctx: typer.Context,
    as_user: AsUser,
    status: Annotated[
        str, typer.Option("--status", help="Only lines active, disrupted, closed or re-emerged.")
    ] = "",
    json_out: JsonOpt = False,
) -> None:
    """List the county lines you may see, with their status and the count of each."""
    actor = load_actor(ctx, as_user, reason="lines")
    with session_scope(state(ctx).engine()) as session:
        index = list_lines(session, actor=actor, status=status)
    if json_out:
        print_json(
            {
                "counts": {s.value: n for s, n in index.counts.items()},
                "lines": [
                    {
                        "id": line.id,
                        "name": line.name,
                        "force": line.owner,
                        "status": line.status.value,
                        "since": line.since.isoformat() if line.since else None,
                    }
                    for line in index.lines
                ],
            }
        )
        return
    console.print(", ".join(f"{s.label}: {n}" for s, n in index.counts.items()))
    for line in index.lines:
        since = f" since {uk_date(line.since)}" if line.since else ""
        console.print(f"  {line.id}  {line.name} ({line.owner}): {line.status.label}{since}")


def _print(view: LineStatusView) -> None:
    since = f" since {uk_date(view.since)}" if view.since else ""
    console.print(f"{view.name}: {view.status.label}{since}")
    if view.why:
        console.print(f"  why: {view.why.evidence} ({view.why.evidence_kind.label})")
    console.print(f"  runners safeguarded: {view.runners_safeguarded} of {view.runners}")
    console.print(
        f"  cuckooed addresses recovered: {view.cuckooed_recovered} "
        f"(of {view.cuckooed_addresses} recorded)"
    )
    last = uk_date(view.deal_line_last_activity) if view.deal_line_last_activity else "none"
    console.print(f"  deal line last active: {last}")
    for change in view.changes:
        who = "automatically" if change.automatic else f"by {change.by}"
        console.print(
            f"  {uk_date(change.effective_on)}: {change.previous.label} to "
            f"{change.status.label} ({who}): {change.evidence}"
        )


@lines_app.command("show")
def show_command(
    ctx: typer.Context, line_id: LineArg, as_user: AsUser, json_out: JsonOpt = False
) -> None:
    """Show a line's status and why, and what was done about its runners and addresses."""
    actor = load_actor(ctx, as_user, reason="lines")
    with session_scope(state(ctx).engine()) as session:
        view = line_status(session, actor=actor, line_id=line_id)
    if json_out:
        print_json(_view_dict(view))
    else:
        _print(view)


@lines_app.command("status")
def status_command(
    ctx: typer.Context,
    line_id: LineArg,
    status: Annotated[
        str, typer.Option("--status", help="The new status: active, disrupted, closed, re-emerged.")
    ],
    evidence: Annotated[str, typer.Option("--evidence", help="What the change rests on.")],
    as_user: AsUser,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="The kind of evidence: deal_line_activity, deal_line_disconnected, "
            "controller_arrested, no_activity or manual_note (the default).",
        ),
    ] = "manual_note",
    since: Annotated[
        str, typer.Option("--since", help="Since when, YYYY-MM-DD (default today).")
    ] = "",
    json_out: JsonOpt = False,
) -> None:
    """Change a line's status, with the evidence for it."""
    actor = load_actor(ctx, as_user, reason="lines")
    with session_scope(state(ctx).engine()) as session:
        change_status(
            session,
            actor=actor,
            line_id=line_id,
            status=status,
            evidence_kind=kind,
            evidence=evidence,
            effective_on=since or None,
        )
        view = line_status(session, actor=actor, line_id=line_id)
    if json_out:
        print_json(_view_dict(view))
    else:
        _print(view)


def register(app: typer.Typer) -> None:
    app.add_typer(lines_app, name="lines")
