"""The `demo` command: build the synthetic region (and serve it once the web app exists)."""

from __future__ import annotations

import os
from dataclasses import asdict
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn

from threadline.cli.context import console, err_console, print_json, state
from threadline.cli.web import run_server
from threadline.demo import build_demo
from threadline.demo.capabilities import add_demo_capabilities
from threadline.demo.security import add_demo_security
from threadline.storage.db import migrate, session_scope
from threadline.storage.reference import seed_region


def demo(
    ctx: typer.Context,
    people: Annotated[
        int, typer.Option(min=100, help="How many true identities to generate (before duplicates).")
    ] = 3000,
    seed: Annotated[
        int, typer.Option(help="Random seed; the same seed builds the same region.")
    ] = (20261125),
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the web app after building.")
    ] = True,
    json_out: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    host: Annotated[
        str,
        typer.Option(help="Address to serve on; 0.0.0.0 listens on every network interface."),
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option(min=1, max=65535, help="TCP port to serve the demo on.")
    ] = 8000,
) -> None:
    """Build the synthetic demo region: seven forces, partners, OCGs, county lines."""

    os.environ.setdefault("THREADLINE_DEMO_MODE", "true")
    cli = state(ctx)
    engine = cli.engine(require_schema=False)
    migrate(engine)
    with session_scope(engine) as session:
        seed_region(session)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,}"),
        console=err_console,
        transient=True,
        disable=json_out or not err_console.is_terminal,
    ) as bar:
        task = bar.add_task("building", total=people)

        def report(stage: str, done: int, total: int) -> None:
            bar.update(task, description=stage, completed=done, total=total or 1)

        summary = build_demo(engine=engine, people=people, seed=seed, progress=report)
        bar.update(task, description="users, agreements, intelligence")
        security = add_demo_security(engine=engine, password=cli.settings.demo_password, seed=seed)
        bar.update(task, description="notices, watches, briefings, digests")
        capabilities = add_demo_capabilities(engine=engine, settings=cli.settings, seed=seed)
    if json_out:
        print_json(
            {
                **summary.as_dict(),
                "security": asdict(security),
                "capabilities": asdict(capabilities),
            }
        )
    else:
        console.print(summary.describe())
        console.print(
            f"Added {security.users} users, {security.agreements} sharing agreements, "
            f"{security.reports} intelligence reports ({security.sanitised} sanitised, "
            f"{security.disseminated} disseminated)."
        )
        console.print(capabilities.describe())
        console.print(f"Database: {cli.settings.database_url}")
        console.print(
            "Sign in as any of: officer@norfolk, analyst@norfolk, lro@norfolk, "
            "supervisor@norfolk, dpo@norfolk, prison@hmp-norwich, partner@norfolk-cads, "
            f"admin@ersou — password: {cli.settings.demo_password}"
        )
    if serve and not json_out:
        run_server(cli, host=host, port=port)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
