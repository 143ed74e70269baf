"""`threadline backup FILE` and `threadline restore FILE`: the whole database to one file
and back (see docs/operations.md).

Operator commands, like `init`, `demo` and migrations: whoever runs them can already read
and replace the database itself, so no signed-in user acts and there is nothing for
policy to decide; the console's system actor is logged instead. Each writes an audit
event: `database.backed_up` in the database that was backed up (after the backup, so the
file does not claim a backup that might have failed), `database.restored` in the restored
database, continuing the chain the backup holds. The audit key is not in the backup: the
restored database verifies with the key it was signed with.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from threadline.audit.events import AuditAction, AuditEvent
from threadline.audit.log import record_event
from threadline.cli.context import console, print_json, state
from threadline.errors import Conflict
from threadline.model.security import system_actor
from threadline.storage.backup import Contents, backup, restore
from threadline.storage.db import session_scope

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON instead.")]
ForceOpt = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Backup: replace FILE if it exists. Restore: replace a database that already "
        "holds records or audit events (they are lost unless backed up first).",
    ),
]


def backup_command(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="The file to write: a SQLite database (SQLite) or a pg_dump custom-format "
            "archive (PostgreSQL). Written beside FILE and renamed once complete."
        ),
    ],
    force: ForceOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Back the database up to FILE while Threadline keeps running (a consistent snapshot)."""
    if file.exists() and not force:
        raise Conflict(f"{file} already exists: give --force to replace it, or another name")
    engine = state(ctx).engine()
    found = backup(engine, file)
    _record(ctx, AuditEvent.DATABASE_BACKED_UP, AuditAction.CONSULTATION, file, found)
    _report(json_out, "backed up", file, found)


def restore_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A file written by `threadline backup`.")],
    force: ForceOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Replace the database with the backup in FILE (refuses one holding data unless --force)."""
    engine = state(ctx).engine(require_schema=False)
    found = restore(engine, file, force=force)
    _record(ctx, AuditEvent.DATABASE_RESTORED, AuditAction.ALTERATION, file, found)
    _report(json_out, "restored", file, found)


def _record(
    ctx: typer.Context, event: AuditEvent, action: AuditAction, file: Path, found: Contents
) -> None:
    with session_scope(state(ctx).engine()) as session:
        record_event(
            session,
            actor=system_actor("ersou", event.removeprefix("database.")),
            action=action,
            event=event,
            details={"file": str(file.resolve()), **found.as_dict()},
        )


def _report(json_out: bool, verb: str, file: Path, found: Contents) -> None:
    if json_out:
        print_json({"file": str(file), verb.replace(" ", "_"): found.as_dict()})
        return
    console.print(f"{verb.capitalize()} {found.describe()}: {file}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)
