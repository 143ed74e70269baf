"""`threadline brief` and `threadline digest`: an area's briefing and a partner's digest on
demand (the same work `threadline tick` does on schedule)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from threadline.accounts import actor_for
from threadline.briefings import current_briefing, get_briefing, print_briefing
from threadline.briefings.types import BriefingView
from threadline.cli.audit import JsonOpt
from threadline.cli.context import console, print_json, state
from threadline.clock import utcnow
from threadline.digests import digest_of_day, get_digest, send_digests
from threadline.digests.compile import organisation_actor
from threadline.storage.db import session_scope
from threadline.storage.reference import get_agency


def brief_command(
    ctx: typer.Context,
    area: Annotated[
        str, typer.Option("--area", help="Policing area code, e.g. norwich or ipswich.")
    ],
    as_user: Annotated[
        str,
        typer.Option(
            "--as", help="Username of the police user reading it (policy decides per item)."
        ),
    ],
    pdf: Annotated[
        Path | None,
        typer.Option("--pdf", help="Also write the briefing as an A4 PDF to this file."),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Compile (if not yet done) and show the briefing of an area for the current shift.

    Each item is shown only if USER may see it; writing a PDF is logged as a disclosure.
    """
    cli = state(ctx)
    now = utcnow()
    with session_scope(cli.engine()) as session:
        actor = actor_for(session, as_user)
        briefing_id = current_briefing(
            session, area_code=area.strip().lower(), now=now, settings=cli.settings
        )
        if pdf is not None:
            view, data = print_briefing(session, actor=actor, briefing_id=briefing_id, now=now)
            pdf.write_bytes(data)
        else:
            view = get_briefing(session, actor=actor, briefing_id=briefing_id, now=now)
    if json_out:
        print_json(view.as_dict() | ({"pdf": str(pdf)} if pdf else {}))
        return
    _print_briefing(view)
    if pdf is not None:
        console.print(f"PDF written to {escape(str(pdf))}")


def _print_briefing(view: BriefingView) -> None:
    console.print(
        f"[bold]Briefing: {escape(view.area_name)}[/bold] ({escape(view.force_name)}), shift "
        f"from {view.shift_start:%H:%M %d/%m/%Y}"
    )
    for section in view.sections:
        console.print(f"\n[bold underline]{escape(section.heading)}[/bold underline]")
        if not section.items:
            console.print(f"  {escape(section.pending or 'Nothing for this area.')}")
        for item in section.items:
            tags = " ".join(
                t
                for t in (
                    item.marking,
                    f"grading {item.grading}" if item.grading else "",
                    f"code {item.handling}" if item.handling else "",
                )
                if t
            )
            console.print(f"  [bold]{escape(item.title)}[/bold]  [{escape(tags)}]")
            if item.conditions:
                console.print(f"    [red]Conditions: {escape(item.conditions)}[/red]")
            for label, value in item.rows:
                console.print(f"    {escape(label)}: {escape(value)}")
    if view.withheld:
        console.print(f"\n{view.withheld} item(s) not shown: not for this user.")


def digest_command(
    ctx: typer.Context,
    org: Annotated[
        str, typer.Option("--org", help="Code of the partner organisation, e.g. norfolk-cads.")
    ],
    json_out: JsonOpt = False,
) -> None:
    """Compile and send today's digest of a partner organisation (if not yet done).

    The digest holds only what the organisation's sharing agreements allow; its users
    with an email address are told it is ready (a link only, when SMTP is configured).
    """
    cli = state(ctx)
    now = utcnow()
    code = org.strip().lower()
    with session_scope(cli.engine()) as session:
        agency = get_agency(session, code)
        sent = send_digests(session, now=now, settings=cli.settings, agencies=[code])
        digest_id = digest_of_day(session, agency_code=code, now=now)
        # Shown as the organisation as a whole would receive it (the console is not a user).
        view = get_digest(session, actor=organisation_actor(session, agency), digest_id=digest_id)
    if json_out:
        print_json(view.as_dict() | {"emails": sent.emailed, "notes": sent.notes})
        return
    console.print(
        f"[bold]Digest for {escape(view.agency_name)}[/bold], {view.period_start:%d/%m/%Y}: "
        f"{len(view.items)} item(s)"
    )
    for item in view.items:
        console.print(f"  [bold]{escape(item.title)}[/bold] (under {escape(item.isa_ref or '-')})")
        if item.conditions:
            console.print(f"    [red]Conditions: {escape(item.conditions)}[/red]")
        for label, value in item.rows:
            console.print(f"    {escape(label)}: {escape(value)}")
    for note in sent.notes:
        console.print(f"note: {escape(note)}")


def register(app: typer.Typer) -> None:
    app.command("brief")(brief_command)
    app.command("digest")(digest_command)
