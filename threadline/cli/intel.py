"""`threadline intel ...`: submit, read, sanitise and disseminate intelligence.

Every command acts as a named user (`--as`): reading case material needs a person with a
role, a clearance and an organisation, and the audit log records who it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

import typer
from rich.table import Table

from threadline import intel
from threadline.cli.audit import JsonOpt, load_actor
from threadline.cli.context import console, err_console, print_json, state
from threadline.errors import FieldError, InvalidData
from threadline.model.events import Grading
from threadline.model.security import Actor
from threadline.policy import View
from threadline.storage.db import session_scope

intel_app = typer.Typer(
    help="Graded intelligence: submit, read, sanitise and disseminate.", no_args_is_help=True
)

AsUser = Annotated[str, typer.Option("--as", help="Username to act as, e.g. analyst@norfolk.")]
RefArg = Annotated[str, typer.Argument(help="A report's reference, e.g. NFK-IR-2026-000123.")]
Subjects = Annotated[
    list[str] | None,
    typer.Option(
        "--subject", help="Id of a person, group, location, phone... it is about (repeat)."
    ),
]
Marking = Annotated[
    str, typer.Option(help="OFFICIAL, OFFICIAL-SENSITIVE or SECRET (at most your clearance).")
]
Restrict = Annotated[
    list[str] | None,
    typer.Option(
        "--restrict-to",
        help="Code C only: an organisation code, organisation kind or 'police' the conditions "
        "allow (repeat).",
    ),
]


def _actor(ctx: typer.Context, username: str) -> Actor:
    return load_actor(ctx, username, reason="console")


def _grading(grade: str, conditions: str | None) -> Grading:
    parsed = intel.parse_grading(grade, conditions)
    if isinstance(parsed, FieldError):
        raise InvalidData([parsed])
    return parsed


def _subject_ids(values: list[str] | None) -> list[int]:
    ids, errors = [], []
    for index, value in enumerate(values or []):
        if value.strip().isdigit():
            ids.append(int(value))
        else:
            errors.append(FieldError(f"--subject {index + 1}", value, "a record id (a number)"))
    if errors:
        raise InvalidData(errors)
    return ids


def _view_dict(view: View) -> dict[str, object]:
    data = view.to_dict()
    if view.isa_ref:
        data["shared_under"] = view.isa_ref
    if view.warnings:
        data["warnings"] = list(view.warnings)
    return data


def _print_view(view: Mapping[str, object], title: str) -> None:
    console.print(f"[bold]{title}[/bold]")
    for name, value in view.items():
        shown = ", ".join(map(str, value)) if isinstance(value, list) else value
        console.print(f"  {name}: {shown if shown not in (None, '') else '-'}", highlight=False)


def _source_options(
    source_ref: str, source_type: str, description: str, handler: str
) -> intel.SourceDetails:
    return intel.SourceDetails(source_ref, source_type, description, handler)


@intel_app.command("submit")
def submit(
    ctx: typer.Context,
    as_user: AsUser,
    fact: Annotated[str, typer.Option(help="What was seen, heard or found, as fact.")],
    grade: Annotated[str, typer.Option(help="3x5x2 grade: source 1-3, A-E, P or C (e.g. 2BC).")],
    source_ref: Annotated[str, typer.Option(help="The unit's reference for the source.")],
    source_type: Annotated[
        str, typer.Option(help="chis, public, officer, partner, technical, prison or other.")
    ],
    assessment: Annotated[str, typer.Option(help="The officer's assessment, kept apart.")] = "",
    conditions: Annotated[
        str | None, typer.Option(help="Handling code C: the conditions, in full.")
    ] = None,
    marking: Marking = "OFFICIAL",
    subject: Subjects = None,
    source_description: Annotated[
        str, typer.Option(help="Who or what the source is (originating unit only).")
    ] = "",
    handler: Annotated[
        str, typer.Option(help="The source's handler (originating unit only).")
    ] = "",
    priority: Annotated[str, typer.Option(help="routine, priority or immediate.")] = "routine",
    area: Annotated[str | None, typer.Option(help="Policing area code it concerns.")] = None,
    restrict_to: Restrict = None,
    unit: Annotated[
        str | None, typer.Option(help="Intelligence unit to own it (default: yours).")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Submit a 3x5x2-graded intelligence report."""
    grading = _grading(grade, conditions)
    actor = _actor(ctx, as_user)
    with session_scope(state(ctx).engine()) as session:
        view = intel.submit_report(
            session,
            actor=actor,
            fact=fact,
            assessment=assessment,
            grading=grading,
            marking=marking,
            subjects=_subject_ids(subject),
            source=_source_options(source_ref, source_type, source_description, handler),
            priority=priority,
            area_code=area,
            restricted_to=restrict_to or [],
            unit=unit,
        )
    if json_out:
        print_json(_view_dict(view))
    else:
        console.print(f"Submitted {view.ref} ({view['grading']}, {view['marking']})")


@intel_app.command("legacy")
def legacy(
    ctx: typer.Context,
    as_user: AsUser,
    fact: Annotated[str, typer.Option(help="The report's text as recorded.")],
    grade: Annotated[str, typer.Option(help="The 5x5x5 grade as recorded, e.g. B24.")],
    source_ref: Annotated[str, typer.Option(help="The unit's reference for the source.")],
    source_type: Annotated[str, typer.Option(help="chis, public, officer, partner... or other.")],
    assessment: Annotated[str, typer.Option(help="The assessment as recorded.")] = "",
    marking: Marking = "OFFICIAL",
    subject: Subjects = None,
    area: Annotated[str | None, typer.Option(help="Policing area code it concerns.")] = None,
    unit: Annotated[
        str | None, typer.Option(help="Intelligence unit to own it (default: yours).")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Record legacy 5x5x5 material, read-only and never re-graded."""
    actor = _actor(ctx, as_user)
    with session_scope(state(ctx).engine()) as session:
        view = intel.record_legacy_report(
            session,
            actor=actor,
            fact=fact,
            assessment=assessment,
            legacy_grade=grade,
            marking=marking,
            subjects=_subject_ids(subject),
            source=_source_options(source_ref, source_type, "", ""),
            area_code=area,
            unit=unit,
        )
    if json_out:
        print_json(_view_dict(view))
    else:
        console.print(f"Recorded {view.ref} (legacy {view['legacy_grade']}, read-only)")


@intel_app.command("list")
def list_(
    ctx: typer.Context,
    as_user: AsUser,
    subject: Annotated[int | None, typer.Option(help="Only reports about this record id.")] = None,
    area: Annotated[str | None, typer.Option(help="Only reports about this area.")] = None,
    owner: Annotated[str | None, typer.Option(help="Only this organisation's reports.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Most reports to show.")] = 50,
    json_out: JsonOpt = False,
) -> None:
    """List the intelligence reports you may see, newest first."""
    actor = _actor(ctx, as_user)
    with session_scope(state(ctx).engine()) as session:
        views = intel.list_reports(
            session, actor=actor, subject_id=subject, area_code=area, owner=owner, limit=limit
        )
    if json_out:
        print_json([_view_dict(v) for v in views])
        return
    if not views:
        err_console.print("No intelligence reports you may see.")
        return
    table = Table()
    table.add_column("Ref", no_wrap=True)
    for heading in ("Grade", "Marking", "Reported", "Fact"):
        table.add_column(heading)
    for view in views:
        grading = view.get("grading") or f"legacy {view.get('legacy_grade')}"
        fact = str(view.get("fact", ""))
        table.add_row(
            view.ref, str(grading), str(view["marking"]), str(view["reported_on"]), fact[:60]
        )
    console.print(table)


@intel_app.command("show")
def show(ctx: typer.Context, ref: RefArg, as_user: AsUser, json_out: JsonOpt = False) -> None:
    """Show one report: its source only if you are in its originating unit."""
    actor = _actor(ctx, as_user)
    with session_scope(state(ctx).engine()) as session:
        view = intel.get_report(session, actor=actor, report_id=ref)
    if json_out:
        print_json(_view_dict(view))
    else:
        _print_view(view, view.ref)


@intel_app.command("sanitise")
def sanitise(
    ctx: typer.Context,
    ref: RefArg,
    as_user: AsUser,
    text: Annotated[str, typer.Option(help="The sanitised text: nothing that reveals the source.")],
    grade: Annotated[
        str | None, typer.Option(help="A new 3x5x2 grade for it (default: the original's).")
    ] = None,
    conditions: Annotated[
        str | None, typer.Option(help="With --grade ...C: the conditions, in full.")
    ] = None,
    marking: Annotated[
        str | None, typer.Option(help="Its marking (default: the original's).")
    ] = None,
    restrict_to: Restrict = None,
    json_out: JsonOpt = False,
) -> None:
    """Make the sanitised version of a report (its originating unit only)."""
    grading = _grading(grade, conditions) if grade else None
    actor = _actor(ctx, as_user)
    with session_scope(state(ctx).engine()) as session:
        view = intel.sanitise(
            session,
            actor=actor,
            report_id=ref,
            text=text,
            grading=grading,
            marking=marking,
            restricted_to=restrict_to,
        )
    if json_out:
        print_json(_view_dict(view))
    else:
        console.print(f"Sanitised {ref} as {view.ref}")


@intel_app.command("sanitised")
def sanitised(
    ctx: typer.Context,
    as_user: AsUser,
    ref: Annotated[
        str | None, typer.Argument(help="A sanitised report's reference; omit to list them.")
    ] = None,
    subject: Annotated[int | None, typer.Option(help="Only those about this record id.")] = None,
    area: Annotated[str | None, typer.Option(help="Only those about this area.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Most to show.")] = 50,
    json_out: JsonOpt = False,
) -> None:
    """Show a sanitised report, or list those you may see (partners: under your ISAs)."""
    actor = _actor(ctx, as_user)
    with session_scope(state(ctx).engine()) as session:
        if ref is not None:
            view = intel.get_sanitised(session, actor=actor, sanitised_id=ref)
            views = [view]
        else:
            views = intel.list_sanitised(
                session, actor=actor, subject_id=subject, area_code=area, limit=limit
            )
    if json_out:
        data = [_view_dict(v) for v in views]
        print_json(data[0] if ref is not None else data)
        return
    if not views:
        err_console.print("No sanitised reports you may see.")
    for view in views:
        _print_view(view, view.ref)
        for warning in view.warnings:
            err_console.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)


@intel_app.command("disseminate")
def disseminate(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="The sanitised report's reference.")],
    as_user: AsUser,
    to: Annotated[str, typer.Option("--to", help="Code of the receiving organisation.")],
    purpose: Annotated[
        str | None, typer.Option(help="Why it is sent (kept in the audit log).")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Disseminate a sanitised report to another organisation, with its conditions."""
    actor = _actor(ctx, as_user)
    with session_scope(state(ctx).engine()) as session:
        sent = intel.disseminate(
            session, actor=actor, sanitised_id=ref, recipient_agency=to, purpose=purpose
        )
    if json_out:
        print_json(
            {
                "sanitised_ref": sent.sanitised_ref,
                "recipient": sent.recipient,
                "isa": sent.isa_ref,
                "handling": sent.handling,
                "conditions": sent.conditions,
                "payload": sent.payload.to_dict(),
                "warnings": list(sent.warnings),
            }
        )
        return
    basis = f" under {sent.isa_ref}" if sent.isa_ref else ""
    console.print(f"Disseminated {sent.sanitised_ref} to {sent.recipient}{basis}")
    if sent.conditions:
        console.print(f"Conditions: {sent.conditions}", highlight=False)
    for warning in sent.warnings:
        err_console.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(intel_app, name="intel")
