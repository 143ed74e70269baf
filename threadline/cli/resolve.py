"""`threadline resolve run|export|explain|review`: entity resolution of person records."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from threadline.cli.audit import AsOpt, JsonOpt, load_actor
from threadline.cli.context import console, err_console, print_json, state
from threadline.resolve import explain_pair, export_resolution, run_resolution
from threadline.resolve.backend import Backend
from threadline.resolve.review import Verdict, decide, review_queue
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
    backend: Annotated[
        Backend,
        typer.Option(
            "--backend",
            help="Where Splink runs: duckdb (in memory, on this machine) or spark (pyspark "
            "in local mode, for regions that outgrow one machine; needs `pip install "
            "threadline\\[spark]` and Java 17). Either gives the same people from the same model.",
            case_sensitive=False,
        ),
    ] = Backend.DUCKDB,
    as_user: AsOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Match and cluster every person record; give each its resolved id (logged)."""
    actor = load_actor(ctx, as_user, reason="resolution")
    with session_scope(state(ctx).engine()) as session:
        if not json_out:
            err_console.print("Resolving person records (this can take a few minutes)…")
        summary = run_resolution(session, actor=actor, retrain=retrain, backend=backend)
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
    console.print(f"Wrote {summary.rows:,} person records to {summary.path}{note}.", soft_wrap=True)


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


review_app = typer.Typer(
    help="The review queue: pairs of person records a run was unsure of, and decisions.",
    no_args_is_help=True,
)


def review_list(ctx: typer.Context, as_user: AsOpt = None, json_out: JsonOpt = False) -> None:
    """List the pairs waiting for review that you may see, likeliest first (logged)."""
    actor = load_actor(ctx, as_user, reason="resolution review")
    with session_scope(state(ctx).engine()) as session:
        queue = review_queue(session, actor=actor)
    if json_out:
        print_json([pair.as_dict() for pair in queue])
        return
    if not queue:
        console.print("No pairs are waiting for review.")
        return
    table = Table(title=f"{len(queue)} pairs waiting for review", title_justify="left")
    for column in ("pair", "first record", "second record", "probability", "last run"):
        table.add_column(column, justify="right" if column == "probability" else "left")
    for pair in queue:
        table.add_row(
            pair.pair.replace("-", " "),
            f"{pair.first.name}, born {pair.first.born or 'unknown'} ({pair.first.force})",
            f"{pair.second.name}, born {pair.second.born or 'unknown'} ({pair.second.force})",
            f"{pair.match_probability:.2f}",
            "one person" if pair.joined else "apart",
        )
    console.print(table)
    console.print("Decide one with: threadline resolve review decide A B --same|--different")


def review_decide(
    ctx: typer.Context,
    first: Annotated[
        str,
        typer.Argument(help="A person record: entity id, or owner/source_system/source_id."),
    ],
    second: Annotated[
        str,
        typer.Argument(help="The other person record, named the same way."),
    ],
    same: Annotated[
        bool | None,
        typer.Option(
            "--same/--different",
            help="--same: the two records are one person; --different: they are two people.",
            show_default=False,
        ),
    ] = None,
    reason: Annotated[
        str,
        typer.Option("--reason", help="Why: shown wherever the decision is (required)."),
    ] = "",
    as_user: AsOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Decide whether two person records are one person; kept across reruns (logged)."""
    if same is None:
        err_console.print("Say which: --same (one person) or --different (two people).")
        raise typer.Exit(2)
    actor = load_actor(ctx, as_user, reason="resolution review")
    verdict = Verdict.SAME if same else Verdict.DIFFERENT
    with session_scope(state(ctx).engine()) as session:
        made = decide(
            session, actor=actor, first=first, second=second, decision=verdict, reason=reason
        )
    if json_out:
        print_json(made.as_dict())
        return
    what = "one person" if made.decision == Verdict.SAME else "two different people"
    console.print(
        f"Decided: {first} and {second} are {what}; {len(made.ids_changed):,} records' "
        f"resolved person changed (audit event {made.audit_event_id})."
    )


def register(app: typer.Typer) -> None:
    resolve_app.command("run")(run)
    resolve_app.command("export")(export)
    resolve_app.command("explain")(explain)
    review_app.command("list")(review_list)
    review_app.command("decide")(review_decide)
    resolve_app.add_typer(review_app, name="review")
    app.add_typer(resolve_app, name="resolve")
