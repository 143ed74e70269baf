"""The `serve` command: run the web application and API with uvicorn."""

from __future__ import annotations

import inspect
import logging
import os
from typing import TYPE_CHECKING, Annotated, Any

import typer

from threadline.cli.context import CliState, console, state
from threadline.schedule import ticker as schedule_ticker
from threadline.storage.db import session_scope
from threadline.storage.reference import holds_demo_region

if TYPE_CHECKING:
    from fastapi import FastAPI

WORKER_HEALTHCHECK_SECONDS = 60


def _request_log() -> None:
    """One JSON line per request on stderr (request id, route template, status, time),
    in place of uvicorn's access log: no paths with ids, no query strings, no names."""
    # Imported when serving: other commands need not load the web app.
    from threadline.web.observability import REQUEST_LOGGER

    requests = logging.getLogger(REQUEST_LOGGER)
    if not requests.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        requests.addHandler(handler)
        requests.setLevel(logging.INFO)
        requests.propagate = False


def worker_app() -> FastAPI:
    """The app of one worker process of `serve --workers N` (uvicorn's factory).

    Each worker is a fresh process (uvicorn spawns them) that builds its own app and
    engine from the environment, which `run_server` has set to the served database.
    """
    # Imported in the worker process that serves: other commands need not load the web app.
    from threadline.web import create_app

    _request_log()
    return create_app()


def run_server(
    cli: CliState, *, host: str = "127.0.0.1", port: int = 8000, workers: int = 1
) -> None:
    """Serve the app over `cli`'s database until interrupted (also used by `demo`).

    With `workers` above 1, uvicorn runs that many worker processes on one socket; this
    process supervises them and runs the scheduled jobs (one ticker per `serve`, however
    many workers; several `serve`s, or a timer's `tick` beside them, still run each job
    once per due slot: `threadline.jobs.tick`). Nothing a request needs lives in one
    worker's memory: sessions, sign-in throttling and form drafts are in the database.
    """
    # Imported here, not at the top: uvicorn, FastAPI, Starlette and Jinja (the web app)
    # are heavy, and only `serve` and `demo --serve` need them; every other command
    # starts without loading them.
    import uvicorn

    from threadline.web import create_app

    settings = cli.settings
    engine = cli.engine()
    if not settings.demo_mode:
        with session_scope(engine) as session:
            demo = holds_demo_region(session)
        if demo:
            # A demo database says so itself: no THREADLINE_DEMO_MODE to remember after
            # `demo --no-serve` (demo mode keeps the demo secrets and shows the banner).
            settings = settings.model_copy(update={"demo_mode": True})
            console.print("This database holds the synthetic demo region: serving it in demo mode.")
    settings.check_secrets()  # refused here, once, rather than by every worker
    target: FastAPI | str
    if workers == 1:
        target = create_app(settings, engine)
    else:
        # The workers read their settings from the environment: the database chosen
        # here (--db or THREADLINE_DATABASE_URL) and the demo mode found here.
        os.environ["THREADLINE_DATABASE_URL"] = settings.database_url
        if settings.demo_mode:
            os.environ["THREADLINE_DEMO_MODE"] = "true"
        target = "threadline.cli.web:worker_app"
    ticker = None
    if settings.tick_interval_seconds > 0:
        # Tripwires, briefings and digests keep running while the server is up.
        ticker = schedule_ticker(engine, settings, interval=settings.tick_interval_seconds).start()
    many = f" with {workers} worker processes" if workers > 1 else ""
    console.print(f"Threadline is at http://{host}:{port}/{many} — press Ctrl+C to stop.")
    _request_log()
    extra: dict[str, Any] = {}
    if workers > 1 and "timeout_worker_healthcheck" in inspect.signature(uvicorn.run).parameters:
        # uvicorn kills a worker that does not answer its supervisor's ping within this
        # time (5 s by default), and a new worker answers only once it has imported the
        # `threadline` command it was spawned from: seconds on a loaded machine.
        extra["timeout_worker_healthcheck"] = WORKER_HEALTHCHECK_SECONDS
    try:
        uvicorn.run(
            target,
            host=host,
            port=port,
            workers=workers if workers > 1 else None,
            factory=workers > 1,
            log_level="info",
            server_header=False,
            access_log=False,
            **extra,
        )
    finally:
        if ticker is not None:
            ticker.stop()


def serve(
    ctx: typer.Context,
    host: Annotated[
        str,
        typer.Option(help="Address to listen on; 0.0.0.0 listens on every network interface."),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port to listen on.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Worker processes serving requests on the one port (PostgreSQL or SQLite; "
            "about one per CPU core). See docs/deploy.md.",
        ),
    ] = 1,
) -> None:
    """Serve the web pages and the REST API (/api/v1, OpenAPI at /openapi.json)."""
    run_server(state(ctx), host=host, port=port, workers=workers)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
