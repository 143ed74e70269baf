"""The improvement tracker commands: `threadline afi list|show|add|action`.

- `threadline afi list --as USER [--force F] [--status open|closed] [--json]`
- `threadline afi show FINDING_ID --as USER [--json]`: the finding, its response and its
  actions with the figures that evidence them.
- `threadline afi add --force F --report R --published DATE --wording W --as USER
  [--kind afi|recommendation|cause_of_concern] [--reference REF]`
- `threadline afi action FINDING_ID --description D --owner O --due DATE --as USER
  [--status S] [--figure KEY] [--notes N]`

Owners are a username (supervisor@norfolk) or an organisation's code (norfolk-cads).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from threadline.cli.audit import JsonOpt, load_actor
from threadline.cli.context import console, print_json, state
from threadline.clock import uk_date
from threadline.improvement import (
    FIGURES,
    Finding,
    add_action,
    get_finding,
    list_findings,
    record_finding,
)
from threadline.storage.db import session_scope

afi_app = typer.Typer(
    help="Areas for improvement: inspection findings, the force's response and its actions."
)

AsUser = Annotated[
    str, typer.Option("--as", help="Username acting, e.g. supervisor@norfolk (a supervisor).")
]
FindingArg = Annotated[int, typer.Argument(help="The finding's id (see `threadline afi list`).")]


def _finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.id,
        "force": finding.force,
        "kind": finding.kind.value,
        "reference": finding.reference,
        "source_report": finding.source_report,
        "published_on": finding.published_on.isoformat(),
        "wording": finding.wording,
        "response_due": finding.response_due.isoformat(),
        "response_overdue": finding.response_overdue,
        "responded_on": finding.responded_on.isoformat() if finding.responded_on else None,
        "response": finding.response,
        "status": finding.status.value,
        "actions": [
            {
                "id": a.id,
                "description": a.description,
                "owner": a.owner.name if a.owner else None,
                "due": a.due.isoformat(),
                "status": a.status.value,
                "late": a.late,
                "notes": a.notes,
                "figure": {"key": a.figure.key, "label": a.figure.label, "value": a.figure.text}
                if a.figure
                else None,
            }
            for a in finding.actions
        ],
    }


def _summary(finding: Finding) -> str:
    if finding.responded_on:
        response = f"responded {uk_date(finding.responded_on)}"
    elif finding.response_overdue:
        response = f"response OVERDUE (due {uk_date(finding.response_due)})"
    else:
        response = f"response due {uk_date(finding.response_due)}"
    late = f", {finding.actions_late} late" if finding.actions_late else ""
    return (
        f"{finding.id}  {finding.title} ({finding.force}, {finding.status.label}): {response}; "
        f"{len(finding.actions)} actions{late}"
    )


@afi_app.command("list")
def list_command(
    ctx: typer.Context,
    as_user: AsUser,
    force: Annotated[str, typer.Option("--force", help="Only this force's findings.")] = "",
    status: Annotated[str, typer.Option("--status", help="Only open or closed findings.")] = "",
    json_out: JsonOpt = False,
) -> None:
    """List the findings you may see: overdue responses and late actions first."""
    actor = load_actor(ctx, as_user, reason="afi")
    with session_scope(state(ctx).engine()) as session:
        findings = list_findings(session, actor=actor, force=force, status=status)
    if json_out:
        print_json([_finding_dict(f) for f in findings])
        return
    if not findings:
        console.print("No findings to show.")
    for finding in findings:
        console.print(_summary(finding))


@afi_app.command("show")
def show_command(
    ctx: typer.Context, finding_id: FindingArg, as_user: AsUser, json_out: JsonOpt = False
) -> None:
    """Show a finding, the force's response, and its actions with their figures."""
    actor = load_actor(ctx, as_user, reason="afi")
    with session_scope(state(ctx).engine()) as session:
        finding = get_finding(session, actor=actor, finding_id=finding_id)
    if json_out:
        print_json(_finding_dict(finding))
        return
    console.print(_summary(finding))
    console.print(f"  {finding.source_report}, published {uk_date(finding.published_on)}")
    console.print(f"  {finding.wording}")
    if finding.response:
        console.print(f"  response: {finding.response}")
    for action in finding.actions:
        late = " LATE" if action.late else ""
        owner = action.owner.name if action.owner else "no owner"
        console.print(
            f"  #{action.id} [{action.status.label}{late}] {action.description} — {owner}; "
            f"due {uk_date(action.due)}"
        )
        if action.figure:
            console.print(f"      {action.figure.label}: {action.figure.text}")


@afi_app.command("add")
def add_command(
    ctx: typer.Context,
    force: Annotated[str, typer.Option("--force", help="The force it is about, e.g. norfolk.")],
    report: Annotated[str, typer.Option("--report", help="The inspection report's title.")],
    published: Annotated[
        str, typer.Option("--published", help="The report's publication date, YYYY-MM-DD.")
    ],
    wording: Annotated[str, typer.Option("--wording", help="The finding, as the report has it.")],
    as_user: AsUser,
    kind: Annotated[
        str, typer.Option("--kind", help="afi (the default), recommendation or cause_of_concern.")
    ] = "afi",
    reference: Annotated[
        str, typer.Option("--reference", help="The report's number for it, e.g. AFI 2.")
    ] = "",
    json_out: JsonOpt = False,
) -> None:
    """Record a finding about a force; its response is due 56 days after publication."""
    actor = load_actor(ctx, as_user, reason="afi")
    with session_scope(state(ctx).engine()) as session:
        finding_id = record_finding(
            session, actor=actor, force=force, kind=kind, reference=reference,
            source_report=report, published_on=published, wording=wording,
        )  # fmt: skip
        finding = get_finding(session, actor=actor, finding_id=finding_id)
    if json_out:
        print_json(_finding_dict(finding))
    else:
        console.print(f"Recorded: {_summary(finding)}")


@afi_app.command("action")
def action_command(
    ctx: typer.Context,
    finding_id: FindingArg,
    description: Annotated[str, typer.Option("--description", help="What is to be done.")],
    owner: Annotated[
        str,
        typer.Option("--owner", help="Who owns it: an officer's username or an organisation."),
    ],
    due: Annotated[str, typer.Option("--due", help="The due date, YYYY-MM-DD.")],
    as_user: AsUser,
    status: Annotated[
        str, typer.Option("--status", help="planned (the default), in_progress, done, stopped.")
    ] = "planned",
    figure: Annotated[
        str,
        typer.Option("--figure", help="The figure that evidences it: " + ", ".join(FIGURES) + "."),
    ] = "",
    notes: Annotated[str, typer.Option("--notes", help="Notes (optional).")] = "",
    json_out: JsonOpt = False,
) -> None:
    """Add an action to a finding, with its owner, due date and evidencing figure."""
    actor = load_actor(ctx, as_user, reason="afi")
    with session_scope(state(ctx).engine()) as session:
        add_action(
            session, actor=actor, finding_id=finding_id, description=description, owner=owner,
            due=due, status=status, figure=figure or None, notes=notes,
        )  # fmt: skip
        finding = get_finding(session, actor=actor, finding_id=finding_id)
    if json_out:
        print_json(_finding_dict(finding))
    else:
        console.print(f"Action added: {_summary(finding)}")


def register(app: typer.Typer) -> None:
    app.add_typer(afi_app, name="afi")
