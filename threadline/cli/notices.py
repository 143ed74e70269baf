"""`threadline notice ...` and `threadline stats sharing`: threat notices, the register,
and sharing coverage.

Notice commands act as a named user (`--as`): writing, publishing and reading notices is
decided by policy for that person and logged under their name.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from threadline import notices
from threadline.cli.audit import JsonOpt, load_actor
from threadline.cli.context import console, print_json, state
from threadline.cli.data import stats_app
from threadline.errors import FieldError, InvalidData
from threadline.intel import parse_grading
from threadline.notices import RegisterEntry, list_register
from threadline.stats.sharing import sharing_coverage
from threadline.storage.db import session_scope
from threadline.tripwires.immediate import publish_immediately

notice_app = typer.Typer(
    help="Threat notices: draft, publish, withdraw, read, and who was told.",
    no_args_is_help=True,
)

AsUser = Annotated[str, typer.Option("--as", help="Username to act as, e.g. analyst@norfolk.")]
RefArg = Annotated[str, typer.Argument(help="A notice's reference, e.g. TN-NFK-2026-0001.")]


def _print(view: notices.NoticeView) -> None:
    status = f" ({view.status})" if view.status else ""  # hidden from some partners
    console.print(f"[bold]{view.ref}[/bold]{status}", highlight=False)
    for name, value in view.items():
        shown = ", ".join(map(str, value)) if isinstance(value, list) else value
        console.print(f"  {name}: {shown if shown not in (None, '') else '-'}", highlight=False)
    if view.audiences:
        console.print("  audiences: " + ", ".join(map(str, view.audiences)), highlight=False)
    if view.isa_ref:
        console.print(f"  shared under: {view.isa_ref}", highlight=False)


def _dict(view: notices.NoticeView) -> dict[str, object]:
    data = view.to_dict()
    if view.audiences:
        data["audiences"] = [str(a) for a in view.audiences]
    if view.isa_ref:
        data["shared_under"] = view.isa_ref
    return data


@notice_app.command("draft")
def draft(
    ctx: typer.Context,
    as_user: AsUser,
    subject: Annotated[
        int, typer.Option(help="Id of the group, person, line, phone, vehicle or address.")
    ],
    title: Annotated[str, typer.Option(help="A short title for the notice.")],
    threat: Annotated[str, typer.Option(help="What the threat is.")],
    action: Annotated[str, typer.Option(help="What the reader should do.")],
    review: Annotated[str, typer.Option(help="The date to review it by, YYYY-MM-DD (future).")],
    audience: Annotated[
        list[str],
        typer.Option(help="area:<code>, agency:<partner code> or region (repeat for more)."),
    ],
    place: Annotated[str, typer.Option(help="Where, in words.")] = "",
    contact: Annotated[str | None, typer.Option(help="Whom to contact (default: the LRO).")] = None,
    area: Annotated[
        list[str] | None,
        typer.Option(help="An area code it concerns (repeat; default: the subject's areas)."),
    ] = None,
    sanitised: Annotated[
        str | None, typer.Option(help="The sanitised report to carry the grading from.")
    ] = None,
    grade: Annotated[
        str | None, typer.Option(help="A 3x5x2 grade such as 1AP, when no sanitised report.")
    ] = None,
    conditions: Annotated[
        str | None, typer.Option(help="Code C conditions (with --grade).")
    ] = None,
    restricted_to: Annotated[
        list[str] | None,
        typer.Option(
            "--restricted-to",
            help="With a code C --grade: an organisation code, kind of organisation or "
            "'police' the conditions restrict the notice to (repeat for more); publishing "
            "to anyone else is refused.",
        ),
    ] = None,
    marking: Annotated[
        str | None, typer.Option(help="OFFICIAL, OFFICIAL-SENSITIVE or SECRET.")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Draft a notice; nothing reaches anyone until `notice publish`."""
    grading = None
    if grade:
        parsed = parse_grading(grade, conditions)
        if isinstance(parsed, FieldError):
            raise InvalidData([parsed])
        grading = parsed
    actor = load_actor(ctx, as_user, reason="console")
    with session_scope(state(ctx).engine()) as session:
        view = notices.create_notice(
            session,
            actor=actor,
            subject_id=subject,
            title=title,
            threat=threat,
            action=action,
            review_date=review,
            audiences=audience,
            place=place,
            contact=contact,
            areas=area,
            marking=marking,
            sanitised_id=sanitised,
            grading=grading,
            restricted_to=restricted_to or (),
        )
        print_json(_dict(view)) if json_out else _print(view)


@notice_app.command("publish")
def publish(
    ctx: typer.Context,
    ref: RefArg,
    as_user: AsUser,
    immediate: Annotated[
        bool,
        typer.Option(
            "--immediate",
            help="The officers on duty must know now: add it to this shift's briefing of "
            "each of its areas and alert (and email) the officers on duty.",
        ),
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """Publish a draft to all its audiences, or (if any is refused) to none."""
    actor = load_actor(ctx, as_user, reason="console")
    with session_scope(state(ctx).engine()) as session:
        if not immediate:
            view = notices.publish_notice(session, actor=actor, ref=ref)
            print_json(_dict(view)) if json_out else _print(view)
            return
        done = publish_immediately(session, actor=actor, ref=ref, settings=state(ctx).settings)
        if json_out:
            print_json(
                _dict(done.notice)
                | {
                    "briefed_areas": done.areas,
                    "officers_alerted": done.alerted,
                    "emailed": done.emailed,
                }
            )
            return
        _print(done.notice)
        areas = ", ".join(done.areas) or "no area"
        console.print(
            f"Immediate: added to this shift's briefing of {areas}; "
            f"{done.alerted} officer(s) on duty alerted, {done.emailed} emailed."
        )
        for note in done.notes:
            console.print(note)


@notice_app.command("withdraw")
def withdraw(
    ctx: typer.Context,
    ref: RefArg,
    as_user: AsUser,
    reason: Annotated[str, typer.Option(help="Why it is withdrawn (kept with the notice).")],
    json_out: JsonOpt = False,
) -> None:
    """Withdraw a notice; what was sent stays in the register."""
    actor = load_actor(ctx, as_user, reason="console")
    with session_scope(state(ctx).engine()) as session:
        view = notices.withdraw_notice(session, actor=actor, ref=ref, reason=reason)
        print_json(_dict(view)) if json_out else _print(view)


@notice_app.command("show")
def show(ctx: typer.Context, ref: RefArg, as_user: AsUser, json_out: JsonOpt = False) -> None:
    """Show one notice as policy lets the user see it."""
    actor = load_actor(ctx, as_user, reason="console")
    with session_scope(state(ctx).engine()) as session:
        view = notices.get_notice(session, actor=actor, ref=ref)
        print_json(_dict(view)) if json_out else _print(view)


@notice_app.command("list")
def list_command(
    ctx: typer.Context,
    as_user: AsUser,
    status: Annotated[
        str | None, typer.Option(help="draft, published, withdrawn or 'review due'.")
    ] = None,
    area: Annotated[str | None, typer.Option(help="Only notices concerning this area.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500, help="At most this many.")] = 50,
    json_out: JsonOpt = False,
) -> None:
    """List the notices the user may see, newest first."""
    actor = load_actor(ctx, as_user, reason="console")
    with session_scope(state(ctx).engine()) as session:
        page = notices.list_notices(
            session, actor=actor, status=status, area_code=area, limit=limit
        )
        if json_out:
            print_json([_dict(v) for v in page])
            return
        table = Table(title="Threat notices", title_justify="left")
        for column in ("ref", "status", "title", "areas", "review"):
            table.add_column(column)
        for view in page:
            areas = view.get("areas")
            table.add_row(
                view.ref,
                view.status,
                str(view.get("title", "")),
                ", ".join(map(str, areas)) if isinstance(areas, list) else "",
                str(view.get("review_date", "")),
            )
        console.print(table)


def _entry(entry: RegisterEntry) -> dict[str, object]:
    return {
        "item_kind": entry.item_kind,
        "item": entry.item,
        "notice": entry.notice_ref,
        "recipient_kind": entry.recipient_kind,
        "recipient": entry.recipient,
        "form": entry.form,
        "sent_at": entry.sent_at,
        "acknowledged_at": entry.acknowledged_at,
        "acknowledged_by": entry.acknowledged_by,
        "pack_acknowledgements": [
            {"by": name, "at": at} for name, at in entry.pack_acknowledgements
        ],
    }


@notice_app.command("register")
def register_command(
    ctx: typer.Context,
    as_user: AsUser,
    notice: Annotated[str | None, typer.Option(help="A notice's reference.")] = None,
    group: Annotated[int | None, typer.Option(help="A group's id: who knows about it.")] = None,
    subject: Annotated[int | None, typer.Option(help="A record's id.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Who was told what, when, in what form, and whether they acknowledged it."""
    actor = load_actor(ctx, as_user, reason="console")
    with session_scope(state(ctx).engine()) as session:
        page = list_register(
            session, actor=actor, notice_ref=notice, group_id=group, subject_id=subject
        )
        if json_out:
            print_json({"about": page.about, "entries": [_entry(e) for e in page]})
            return
        table = Table(title=f"Register: {page.about or 'latest'}", title_justify="left")
        for column in ("sent", "item", "recipient", "form", "acknowledged"):
            table.add_column(column)
        for e in page:
            ack = (
                f"{e.acknowledged_at:%Y-%m-%d %H:%M} {e.acknowledged_by or ''}"
                if e.acknowledged_at
                else f"{len(e.pack_acknowledgements)} officer(s)"
                if e.pack_acknowledgements
                else "no"
            )
            table.add_row(f"{e.sent_at:%Y-%m-%d %H:%M}", e.item, e.recipient, e.form, ack)
        console.print(table)


def stats_sharing(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Sharing coverage: frontline within 7 days, partners with an agreement, acknowledgements."""
    with session_scope(state(ctx).engine()) as session:
        figures = sharing_coverage(session).to_dict()
    if json_out:
        print_json(figures)
        return

    def pct(share: dict[str, object]) -> str:
        value = share["share"]
        return (
            "-" if value is None else f"{float(str(value)):.0%} ({share['reached']}/{share['due']})"
        )

    region = figures["region"]
    console.print(f"Active notices on {figures['on']}: {region['active_notices']}")
    table = Table(title="Per force", title_justify="left")
    for column in ("force", "active", "frontline ≤7 days", "partners", "briefings acknowledged"):
        table.add_column(column)
    for force in figures["forces"]:
        table.add_row(
            force["code"],
            str(force["active_notices"]),
            pct(force["frontline_within_7_days"]),
            pct(force["partners_with_covering_isa"]),
            pct(force["briefings_acknowledged"]),
        )
    console.print(table)
    table = Table(title="Per partner", title_justify="left")
    for column in ("partner", "notices reached", "digests acknowledged", "notices acknowledged"):
        table.add_column(column)
    for partner in figures["partners"]:
        table.add_row(
            partner["code"],
            pct(partner["covered"]),
            pct(partner["digests_acknowledged"]),
            pct(partner["notices_acknowledged"]),
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(notice_app, name="notice")
    stats_app.command("sharing")(stats_sharing)
