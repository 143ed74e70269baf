"""`threadline report inspection`: the inspection pack of a force, or of the region's forces
side by side, for a period — as a PDF, JSON, or a summary on the console.

Without `--as`, the console's system account acts (whoever runs the console can already
read the database); its figures are those policy lets it see (dashboards for police
supervisors are left out, with the reason). Give `--as supervisor@norfolk` to produce the
pack as that supervisor sees it. Writing a file (PDF or JSON) is logged as a disclosure.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from threadline.cli.audit import AsOpt, JsonOpt, load_actor
from threadline.cli.context import console, print_json, state
from threadline.errors import FieldError, InvalidData
from threadline.inspection.pack import check_request, export_pack, inspection_pack
from threadline.policy import today
from threadline.storage.db import session_scope

report_app = typer.Typer(
    help="Reports built from Threadline's records: the inspection pack.", no_args_is_help=True
)


@report_app.command("inspection")
def inspection_command(
    ctx: typer.Context,
    force: Annotated[
        str | None,
        typer.Option("--force", help="The force the pack is for, by code or name, e.g. norfolk."),
    ] = None,
    region: Annotated[
        bool,
        typer.Option("--region", help="The region's seven forces side by side, instead of one."),
    ] = False,
    start: Annotated[
        str | None,
        typer.Option(
            "--from", help="First day of the period, YYYY-MM-DD (default: a year before --to)."
        ),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option("--to", help="Last day of the period, YYYY-MM-DD (default: today)."),
    ] = None,
    pdf: Annotated[
        Path | None, typer.Option("--pdf", help="Write the pack as an A4 PDF to this file.")
    ] = None,
    as_user: AsOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Produce the inspection pack under the HMICFRS serious and organised crime headings.

    Give --force for one force or --region for the seven forces side by side. Every figure
    counts only what the acting user may see.
    """
    if region == bool(force):
        raise InvalidData(
            [
                FieldError(
                    "--force/--region",
                    f"--force {force}" if force else "neither",
                    "either --force CODE for one force or --region for all seven, not both",
                )
            ]
        )
    request = check_request(force=None if region else force, start=start, end=end, today=today())
    actor = load_actor(ctx, as_user, reason="report-inspection")
    with session_scope(state(ctx).engine()) as session:
        if pdf is not None:
            pack, data = export_pack(
                session,
                actor=actor,
                request=request,
                form="pdf",
                base_url=state(ctx).settings.base_url,
            )
            pdf.write_bytes(data)
        elif json_out:
            pack, _ = export_pack(session, actor=actor, request=request, form="json")
        else:
            pack = inspection_pack(session, actor=actor, request=request)
    if json_out:
        print_json(pack.as_dict() | ({"pdf": str(pdf)} if pdf else {}))
        return
    console.print(f"[bold]Inspection pack: {escape(pack.scope_name)}[/bold], {pack.period}")
    for label, value in pack.headlines:
        console.print(f"  {escape(label)}: [bold]{escape(value)}[/bold]")
    for section in pack.sections:
        console.print(f"\n[bold underline]{escape(section.heading)}[/bold underline]")
        for figure in section.figures:
            said = figure.chart.summary if figure.chart else f"not shown: {figure.withheld}"
            console.print(f"  [bold]{escape(figure.title)}[/bold]: {escape(said)}")
    if pdf is not None:
        console.print(f"\nPDF written to {escape(str(pdf))}")


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
