"""Commands that set up, load and count the data: init, import, stats."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeRemainingColumn
from rich.table import Table

from threadline.cli.audit import load_actor
from threadline.cli.context import console, err_console, print_json, state
from threadline.importer.result import ImportResult
from threadline.importer.service import import_files as run_import
from threadline.stats import region_stats
from threadline.storage.db import migrate, session_scope
from threadline.storage.reference import seed_region

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON instead.")]


def init(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Create or upgrade the database schema and load the region's forces and areas."""
    cli = state(ctx)
    engine = cli.engine(require_schema=False)
    migrate(engine)
    with session_scope(engine) as session:
        seed_region(session)
    if json_out:
        print_json({"database": cli.settings.database_url, "status": "ready"})
    else:
        console.print(f"Database ready: {cli.settings.database_url}")


def import_files(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(help="CSV or JSON Lines files (optionally .gz); see docs/formats.md."),
    ],
    org: Annotated[
        str | None,
        typer.Option(help="Code of the organisation that owns the records, e.g. norfolk."),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(help="What the files hold (persons, locations, links...) if not in the name."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row and report, but write nothing.")
    ] = False,
    as_user: Annotated[
        str | None,
        typer.Option(
            "--as",
            help="Username of the analyst or supervisor importing their own organisation's "
            "records, logged as the collector (default: the console's system account).",
        ),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Import force exports: each file is checked in full, then written in one transaction.

    Record files are imported before links files, and custody files last, whatever order
    they are given in. Without --as the import runs as the console's system account; a
    named user must be an analyst or supervisor importing their own organisation's
    records at or below their clearance.
    """

    cli = state(ctx)
    engine = cli.engine()
    actor = load_actor(ctx, as_user, reason="import") if as_user else None
    failed = False
    present = []
    for path in files:
        if path.is_file():
            present.append(path)
        else:
            err_console.print(f"[red]error:[/red] {path}: no such file", highlight=False)
            failed = True
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
        disable=json_out or not err_console.is_terminal,
    ) as bar:
        task = bar.add_task(f"importing {len(present)} file(s)", total=1)

        def report(done: int, total: int, task: TaskID = task, bar: Progress = bar) -> None:
            bar.update(task, completed=done, total=total or 1)

        results = run_import(
            engine=engine,
            paths=present,
            kind=kind,
            owner=org,
            dry_run=dry_run,
            settings=cli.settings,
            progress=report,
            actor=actor,
        )
    failed = failed or any(result.error_count for result in results)
    if json_out:
        print_json([r.as_dict() for r in results])
    else:
        for result in results:
            _print_result(result)
    if failed:
        raise typer.Exit(1)


def _print_result(result: object) -> None:
    assert isinstance(result, ImportResult)
    name = result.path.name
    if result.error_count:
        for error in result.errors:
            err_console.print(f"[red]error:[/red] {escape(str(error))}", highlight=False)
        hidden = result.error_count - len(result.errors)
        if hidden > 0:
            err_console.print(f"[red]... and {hidden} more errors[/red]")
        err_console.print(
            f"{name}: {result.error_count} error(s) in {result.rows} rows; nothing was written"
        )
        return
    verb = "checked (dry run)" if result.dry_run else "imported"
    console.print(
        f"{name}: {verb} {result.rows} {result.kind} rows "
        f"({result.inserted} new, {result.updated} updated) in {result.seconds:.1f}s"
    )
    if result.matching:
        console.print(f"{name}: {result.matching}")
    for warning in result.warnings:
        err_console.print(f"[yellow]warning:[/yellow] {escape(warning)}", highlight=False)


def stats(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Count every kind of record and link, and organisations by type."""
    if ctx.invoked_subcommand:  # e.g. `stats sharing`: its own figures only
        return
    engine = state(ctx).engine()
    with session_scope(engine) as session:
        figures = region_stats(session=session)
    if json_out:
        print_json(figures)
        return
    for title, key in (
        ("Records", "entities"),
        ("Links", "links"),
        ("Organisations using Threadline", "agencies"),
        ("Groups (POLE organisations)", "organisations"),
    ):
        table = Table(title=title, title_justify="left")
        table.add_column("kind")
        table.add_column("count", justify="right")
        for name, count in figures[key].items():
            table.add_row(name, f"{count:,}")
        console.print(table)
    dup = figures["cross_force_duplicates"]
    console.print(
        f"Identities held by more than one organisation: {dup['identities']:,} "
        f"({dup['records']:,} records)"
    )


# `threadline stats` counts the region; subcommands (`stats sharing`) add other figures.
stats_app = typer.Typer(help="Count every kind of record and link, and organisations by type.")


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("import")(import_files)
    stats_app.callback(invoke_without_command=True)(stats)
    app.add_typer(stats_app, name="stats")
