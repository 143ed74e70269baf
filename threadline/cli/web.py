"""The `serve` command: run the web application and API with uvicorn."""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from threadline.cli.context import CliState, console, state
from threadline.schedule import ticker as schedule_ticker
from threadline.storage.db import session_scope
from threadline.storage.reference import holds_demo_region


def run_server(cli: CliState, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the app over `cli`'s database until interrupted (also used by `demo`)."""
    # Imported here, not at the top: uvicorn, FastAPI, Starlette and Jinja (the web app)
    # are heavy, and only `serve` and `demo --serve` need them; every other command
    # starts without loading them.
    import uvicorn

    from threadline.web import create_app
    from threadline.web.observability import REQUEST_LOGGER

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
    app = create_app(settings, engine)
    ticker = None
    if settings.tick_interval_seconds > 0:
        # Tripwires, briefings and digests keep running while the server is up.
        ticker = schedule_ticker(engine, settings, interval=settings.tick_interval_seconds).start()
    console.print(f"Threadline is at http://{host}:{port}/ — press Ctrl+C to stop.")
    # One JSON line per request on stderr (request id, route template, status, time),
    # in place of uvicorn's access log: no paths with ids, no query strings, no names.
    requests = logging.getLogger(REQUEST_LOGGER)
    if not requests.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        requests.addHandler(handler)
        requests.setLevel(logging.INFO)
        requests.propagate = False
    try:
        uvicorn.run(
            app, host=host, port=port, log_level="info", server_header=False, access_log=False
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
) -> None:
    """Serve the web pages and the REST API (/api/v1, OpenAPI at /openapi.json)."""
    run_server(state(ctx), host=host, port=port)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
