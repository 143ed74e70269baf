"""Entry point of the `threadline` command.

Every command is a thin shell over a service function; user errors print one clear line
and exit non-zero, never a traceback.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from threadline.cli import (
    admin,
    afi,
    audit,
    briefings,
    check,
    data,
    demo,
    disruptions,
    graph,
    intel,
    jobs,
    lines,
    notices,
    ocg,
    ops,
    prison,
    report,
    resolve,
    review,
    safeguarding,
    sharing,
    tripwires,
    web,
)
from threadline.cli.context import CliState, err_console
from threadline.errors import InvalidData, ThreadlineError

app = typer.Typer(
    name="threadline",
    help="Hold, grade, connect and routinely share what is known about organised crime.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database: a SQLite file path or a postgresql:// URL. "
            "Defaults to THREADLINE_DATABASE_URL, else ./threadline.db.",
            envvar="THREADLINE_DATABASE_URL",
        ),
    ] = None,
) -> None:
    """Threadline: routine, policy-checked sharing of serious and organised crime data."""
    ctx.obj = CliState(db=db)


data.register(app)
check.register(app)
ocg.register(app)
graph.register(app)
intel.register(app)
sharing.register(app)
audit.register(app)
review.register(app)
admin.register(app)
demo.register(app)
web.register(app)
jobs.register(app)
notices.register(app)
tripwires.register(app)
briefings.register(app)
safeguarding.register(app)
prison.register(app)
resolve.register(app)
report.register(app)
ops.register(app)
disruptions.register(app)
lines.register(app)
afi.register(app)


def main() -> None:
    """Run the CLI, turning Threadline errors into one line on stderr and exit code 1."""
    try:
        app()
    except InvalidData as exc:
        for error in exc.errors[:50]:
            err_console.print(f"[red]error:[/red] {error}", highlight=False)
        sys.exit(1)
    except ThreadlineError as exc:
        audit.record_cli_refusal(sys.argv[1:], exc)  # refused attempts are logged too
        err_console.print(f"[red]error:[/red] {exc.detail}", highlight=False)
        sys.exit(1)


if __name__ == "__main__":
    main()
