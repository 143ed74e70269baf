"""`threadline resolve run|export|explain`: entity resolution of person records."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from threadline.cli.audit import AsOpt, JsonOpt, load_actor
from threadline.cli.context import console, err_console, print_json, state
from threadline.resolve import explain_pair, export_resolution, run_resolution
from threadline.storage.db import session_scope

resolve_app = typer.Typer(
    help="Entity resolution: which person records, across the forces, are one person.",
    no_args_is_help=True,
)


def run(
    ctx: typer.Context,
    retrain: Annotated[
        bool,
        typer.Option(
            "--retrain",
            help="Train a new model version first, instead of reusing the latest one.",
        ),
    ] = False,
    as_user: AsOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Match and cluster every person record; give each its resolved id (logged)."""
    actor = load_actor(ctx, as_user, reason="resolution")
    with session_scope(state(ctx).engine()) as session:
        if not json_out:
            err_console.print("Resolving person records (this can take a few minutes)…")
        summary = run_resolution(session, actor=actor, retrain=retrain)
    if json_out:
        print_json(summary.as_dict())
        return
    how = "trained" if summary.trained else "reused"
    console.print(
        f"Resolved {summary.records:,} person records into {summary.resolved_people:,} people "
        f"({summary.people_with_several_records:,} with more than one record) with model "
        f"version {summary.model_version} ({how}) in {summary.seconds:.1f} s.\n"
        f"Candidate pairs {summary.pairs_scored:,}, matched {summary.pairs_matched:,}; resolved "
        f"ids kept {summary.ids_kept:,}, new or changed {summary.ids_changed:,} "
        f"(audit event {summary.audit_event_id})."
    )


def export(
    ctx: typer.Context,
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="CSV file to write: owner,source_system,source_id,resolved_id, one row "
            "per person record.",
        ),
    ],
    as_user: AsOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Write every person record's resolved id to a CSV file (logged)."""
    actor = load_actor(ctx, as_user, reason="resolution")
    with session_scope(state(ctx).engine()) as session:
        summary = export_resolution(session, actor=actor, out=out)
    if json_out:
        print_json(summary.as_dict())
        return
    note = f"; {summary.unresolved:,} not yet resolved" if summary.unresolved else ""
    console.print(f"Wrote {summary.rows:,} person records to {summary.path}{note}.")


def explain(
    ctx: typer.Context,
    first: Annotated[
        str,
        typer.Argument(help="A person record: entity id, or owner/source_system/source_id."),
    ],
    second: Annotated[
        str,
        typer.Argument(help="The other person record, named the same way."),
    ],
    as_user: AsOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Show the match weights of two person records, field by field (logged)."""
    actor = load_actor(ctx, as_user, reason="resolution")
    with session_scope(state(ctx).engine()) as session:
        found = explain_pair(session, actor=actor, first=first, second=second)
    if json_out:
        print_json(found.as_dict())
        return
    table = Table(title=f"{found.left}  vs  {found.right}", title_justify="left")
    for column in ("field", "left", "right", "level", "weight"):
        table.add_column(column, justify="right" if column == "weight" else "left")
    table.add_row("prior", "", "", "two records picked at random", f"{found.prior_weight:+.2f}")
    for part in found.fields:
        table.add_row(part.description, part.left, part.right, part.level, f"{part.weight:+.2f}")
    table.add_row("total", "", "", "", f"{found.match_weight:+.2f}")
    console.print(table)
    model = f"model version {found.model_version}" if found.model_version else "default weights"
    verdict = "one person" if found.same_person else "not resolved as one person"
    console.print(
        f"Match probability {found.match_probability:.4f} ({model}); last run: {verdict}."
    )


def register(app: typer.Typer) -> None:
    resolve_app.command("run")(run)
    resolve_app.command("export")(export)
    resolve_app.command("explain")(explain)
    app.add_typer(resolve_app, name="resolve")
