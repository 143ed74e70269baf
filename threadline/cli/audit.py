"""`threadline audit verify|export`: check the hash-chained s62 log and export it.

Exit codes of `verify`: 0 when the chain is intact (and matches `--expect-head`), 1 when
it is broken (the first broken event is named) or the command could not run.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.progress import BarColumn, Progress, TextColumn
from sqlalchemy.orm import Session

from threadline.audit.events import AuditPurpose
from threadline.audit.export import ExportFormat, export_events, parse_time_bound
from threadline.audit.verify import ChainHead, verify_chain
from threadline.cli.context import err_console, print_json, state
from threadline.errors import FieldError, InvalidData
from threadline.model.security import Actor, system_actor
from threadline.storage.db import session_scope

audit_app = typer.Typer(
    help="Check the hash-chained audit log (DPA 2018 s62) and export it for the regulator.",
    no_args_is_help=True,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON instead.")]
AsOpt = Annotated[
    str | None,
    typer.Option(
        "--as",
        help="Username to act as (logged as the actor). Without it, the console's system "
        "actor acts: whoever runs the console can already read the database.",
    ),
]


def cli_actor(session: Session, username: str | None, *, reason: str = "audit-export") -> Actor:
    """The named user (`NotFound` if unknown, `Forbidden` if disabled), else the system."""
    if username is None:
        return system_actor("ersou", reason)
    from threadline.accounts import actor_for

    return actor_for(session, username)


def load_actor(ctx: typer.Context, username: str | None, *, reason: str) -> Actor:
    """Look the actor up in a transaction of its own, closed before any audited work.

    (A SQLite transaction that has read cannot always append to the audit chain later.)
    """
    with session_scope(state(ctx).engine()) as session:
        return cli_actor(session, username, reason=reason)


def _events(count: int, *, bare: bool = False) -> str:
    noun = "event" if count == 1 else "events"
    return noun if bare else f"{count:,} {noun}"


def _choice(value: str, choices: type[AuditPurpose] | type[ExportFormat], option: str) -> str:
    allowed = [c.value for c in choices]
    if value not in allowed:
        raise InvalidData([FieldError(option, value, "one of " + ", ".join(allowed))])
    return value


def verify(
    ctx: typer.Context,
    expect_head: Annotated[
        str | None,
        typer.Option(
            "--expect-head",
            help="A head printed by an earlier run, as ID:HASH. Fails if that event is gone "
            "or changed: the only way to catch deleted or rewritten latest events.",
        ),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Check every audit event against the hash chain; name the first broken one."""
    expected = ChainHead.parse(expect_head) if expect_head else None
    with (
        session_scope(state(ctx).engine()) as session,
        Progress(
            TextColumn("verifying"),
            BarColumn(),
            TextColumn("{task.completed:,}/{task.total:,} events"),
            console=err_console,
            transient=True,
            disable=json_out or not err_console.is_terminal,
        ) as bar,
    ):
        task = bar.add_task("verifying", total=None)
        result = verify_chain(
            session,
            expect_head=expected,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    if json_out:
        print_json(result.as_dict())
    elif result.ok:
        checkpoint = " and matches the checkpoint" if expected else ""
        typer.echo(
            f"audit log OK: {_events(result.events_checked)} verified{checkpoint}; "
            f"head {result.head} (keep it; check later with --expect-head)"
        )
    else:
        typer.echo(
            f"audit log BROKEN at event {result.first_broken_id}: {result.problem} "
            f"({_events(result.events_checked)} verified before it)",
            err=True,
        )
    if not result.ok:
        raise typer.Exit(1)


def export(
    ctx: typer.Context,
    purpose: Annotated[
        str,
        typer.Option(
            "--purpose",
            help="Why the log is read; the law allows only: verify_lawfulness "
            "(the default: a DPO or the regulator checking processing was lawful), "
            "self_monitoring, integrity_security, criminal_proceedings. Logged.",
        ),
    ] = "verify_lawfulness",
    subject: Annotated[
        int | None,
        typer.Option("--subject", help="Only events that touched this record (entity id)."),
    ] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="Only events by this username.")
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--from", help="Only events at or after this UTC date (YYYY-MM-DD) or ISO date-time."
        ),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option(
            "--to",
            help="Only events up to this UTC date (the whole day) or ISO date-time (inclusive).",
        ),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="csv (one row per event) or json (an array).")
    ] = "csv",
    output: Annotated[
        Path | None,
        typer.Option("--output", help="File to write; standard output when not given."),
    ] = None,
    as_user: AsOpt = None,
) -> None:
    """Export audit events for the regulator or a DPO; the export itself is logged."""
    chosen_purpose = AuditPurpose(_choice(purpose, AuditPurpose, "--purpose"))
    chosen_fmt = ExportFormat(_choice(fmt, ExportFormat, "--format"))
    start_at = parse_time_bound(start, location="--from") if start else None
    end_at = parse_time_bound(end, location="--to") if end else None
    actor = load_actor(ctx, as_user, reason="audit-export")
    engine = state(ctx).engine()

    def run(out: TextIO) -> None:
        with session_scope(engine) as session:
            result = export_events(
                session,
                actor=actor,
                purpose=chosen_purpose,
                out=out,
                fmt=chosen_fmt,
                subject=subject,
                user=user,
                start=start_at,
                end=end_at,
            )
        where = str(output) if output else "standard output"
        typer.echo(
            f"exported {result.count:,} audit {_events(result.count, bare=True)} "
            f"(up to event {result.through_event}) to "
            f"{where}; the export is logged as audit event {result.audit_event_id}",
            err=True,
        )

    if output is None:
        run(sys.stdout)
        return
    # Write beside the target and rename at the end: a failed export leaves no file that
    # could be mistaken for a complete one.
    partial = output.with_name(output.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as out:
            run(out)
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)


def register(app: typer.Typer) -> None:
    audit_app.command("verify")(verify)
    audit_app.command("export")(export)
    app.add_typer(audit_app, name="audit")
