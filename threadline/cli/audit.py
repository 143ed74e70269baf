"""`threadline audit verify|checkpoint|export`: check the s62 log, pin it, export it.

Exit codes of `verify`: 0 when the chain is intact, signed with the audit key, and
reaches every signed checkpoint in the checkpoint file (and `--expect-head`); 1 when it
is broken (the first broken event is named), shorter than a checkpoint, or the command
could not run.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.progress import BarColumn, Progress, TextColumn
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from threadline.accounts import actor_for
from threadline.audit.checkpoints import checkpoint_path, read_checkpoint_file, write_checkpoint
from threadline.audit.events import AuditPurpose
from threadline.audit.keys import chain_key, use_chain_key
from threadline.audit.refusals import is_refusal, record_refusal
from threadline.audit.verify import ChainHead, verify_chain
from threadline.cli.context import err_console, print_json, state
from threadline.errors import FieldError, InvalidData, ThreadlineError
from threadline.model.security import Actor, system_actor
from threadline.oversight.export import ExportFormat, export_events, parse_time_bound
from threadline.settings import load_settings
from threadline.storage.db import make_engine, session_factory, session_scope

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


CheckpointsOpt = Annotated[
    Path | None,
    typer.Option(
        "--checkpoints",
        help="The checkpoint file the data protection officer keeps (JSON Lines of signed "
        "checkpoints). Defaults to THREADLINE_AUDIT_CHECKPOINT_FILE, else <database>.audit-"
        "checkpoints beside a SQLite database.",
    ),
]


def cli_actor(session: Session, username: str | None, *, reason: str = "audit-export") -> Actor:
    """The named user (`NotFound` if unknown, `Forbidden` if disabled), else the system."""
    if username is None:
        return system_actor("ersou", reason)

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
    checkpoints: CheckpointsOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Check every audit event, its signature and the signed checkpoints; name any break."""
    expected = ChainHead.parse(expect_head) if expect_head else None
    engine, path = _keyed_engine(ctx, checkpoints)
    kept = read_checkpoint_file(path, chain_key(engine)) if path is not None else None
    with (
        session_scope(engine) as session,
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
            checkpoints=kept,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    if json_out:
        print_json(result.as_dict())
    elif result.ok:
        checkpoint = " and matches the checkpoint" if expected else ""
        count = result.checkpoints_checked
        typer.echo(
            f"audit log OK: {_events(result.events_checked)} verified{checkpoint}; "
            f"{count:,} signed checkpoint{'' if count == 1 else 's'} matched; head {result.head}"
        )
        if result.pending_note:
            typer.echo(
                f"note: {result.pending_note}; `threadline tick` or the next request seals "
                "them, and `threadline audit checkpoint` seals them first",
                err=True,
            )
        if kept is None:
            typer.echo(
                "note: no checkpoint file is configured (THREADLINE_AUDIT_CHECKPOINT_FILE): "
                "deleted last events can only be caught by checkpoints in the log",
                err=True,
            )
        elif not kept.checkpoints:
            typer.echo(
                f"note: {kept.path} holds no checkpoint yet: run `threadline audit checkpoint`",
                err=True,
            )
    else:
        typer.echo(
            f"audit log BROKEN at event {result.first_broken_id}: {result.problem} "
            f"({_events(result.events_checked)} verified before it)",
            err=True,
        )
    if not result.ok:
        raise typer.Exit(1)


def _keyed_engine(ctx: typer.Context, checkpoints: Path | None) -> tuple[Engine, Path | None]:
    cli = state(ctx)
    engine = cli.engine()
    use_chain_key(engine, cli.settings.chain_key())
    return engine, checkpoints or checkpoint_path(cli.settings, engine)


def checkpoint(
    ctx: typer.Context,
    checkpoints: CheckpointsOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Sign the log's head now: append the checkpoint to the file and to the log itself."""
    engine, path = _keyed_engine(ctx, checkpoints)
    with session_scope(engine) as session:
        written = write_checkpoint(session, path=path)
    if json_out:
        print_json({**written.as_dict(), "file": str(path) if path else None})
        return
    where = f"{path} and the log" if path is not None else "the log (no checkpoint file is set)"
    typer.echo(
        f"checkpoint written to {where}: {written.through_event:,} events, head "
        f"{written.through_event}:{written.head}"
    )


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
    audit_app.command("checkpoint")(checkpoint)
    audit_app.command("export")(export)
    app.add_typer(audit_app, name="audit")


def record_cli_refusal(argv: list[str], exc: ThreadlineError) -> None:
    """Log a refused command (`--as USER` refused by policy) in the audit log.

    Called by the CLI's entry point after the command's own transaction was rolled back.
    The database and the actor are read again from the command line (`--db`, `--as`);
    without `--as` the console's system actor is named. Anything that cannot be resolved
    (no database, an unknown user) is skipped: the refusal is still printed.
    """
    if not is_refusal(exc):
        return
    database = _option(argv, "--db") or load_settings().database_url
    username = _option(argv, "--as")
    command = _command(argv)
    try:
        settings = load_settings(database_url=database)
        if "://" not in settings.database_url and not Path(settings.database_url).exists():
            return
        engine = make_engine(settings.database_url)
    except ThreadlineError:
        return
    try:
        use_chain_key(engine, settings.chain_key())
        factory = session_factory(engine)
        try:
            with factory() as session:
                actor = cli_actor(session, username, reason="cli")
        except ThreadlineError:
            return
        records = [int(a) for a in argv if a.isascii() and a.isdigit() and 0 < int(a) < 2**62]
        record_refusal(
            factory,
            actor=actor,
            attempted=f"threadline {command}",
            exc=exc,
            records=records,
            details={"command": command},
        )
    finally:
        engine.dispose()


def _command(argv: list[str]) -> str:
    """The command's words (`audit export`), without `--db URL` and the options after."""
    rest = list(argv)
    while rest and rest[0].startswith("-"):
        rest = rest[2:] if rest[0] == "--db" else rest[1:]
    words: list[str] = []
    for arg in rest:
        if arg.startswith("-"):
            break
        words.append(arg)
    return " ".join(words[:3])


def _option(argv: list[str], name: str) -> str | None:
    for index, arg in enumerate(argv):
        if arg == name and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None
