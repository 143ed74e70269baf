"""The index commands under `threadline ocg`: list groups, and show one.

- `threadline ocg list --as USER [--name TEXT] [--area CODE] [--band A] [--priority p1]
  [--plan-state review_overdue] [--archived] [--json]`
- `threadline ocg show GROUP --as USER [--json]`: GROUP is words of a group's name or
  operation name; when several groups the user may see match, they are listed and the
  command exits non-zero.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from threadline.cli.audit import JsonOpt, load_actor
from threadline.cli.context import console, print_json, state
from threadline.errors import FieldError, InvalidData
from threadline.ocg import GroupFilters, GroupOverview, GroupSummary, group_overview, list_groups
from threadline.ocg.vocabulary import PLAN_STATE_WORDS
from threadline.reference.geography import area_name
from threadline.storage.db import session_scope

AsUser = Annotated[
    str, typer.Option("--as", help="Username acting, e.g. analyst@norfolk or supervisor@ersou.")
]
_PAGE = 500  # the most groups one `list` shows


def summary_dict(item: GroupSummary) -> dict[str, Any]:
    """One group of the index for `--json`: codes with their words."""
    return {
        "id": item.id,
        "name": item.name,
        "operation_name": item.operation_name,
        "force": item.owner_name,
        "band": item.band,
        "band_words": item.band_words,
        "priority": item.priority,
        "priority_words": item.priority_words,
        "lro": item.lro_name,
        "plan_states": list(item.plan_states),
        "plan": item.plan_words,
        "members": item.members,
        "archived": item.archived,
        "areas": list(item.areas),
        "area_names": [area_name(code) for code in item.areas],
    }


def overview_dict(found: GroupOverview) -> dict[str, Any]:
    """A group's overview for `--json`."""
    head = found.header
    return {
        "id": head.id,
        "name": head.name,
        "operation_name": head.operation_name,
        "force": head.owner_name,
        "band": head.band,
        "band_words": found.band_words,
        "priority": head.priority,
        "priority_words": found.priority_words,
        "lro": found.lro,
        "archived": head.archived,
        "archived_reason": found.archived_reason,
        "areas": found.areas,
        "commodities": found.commodity_words,
        "crime_types": found.crime_type_words,
        "counter_measures": found.counter_measure_words,
        "members": [
            {"person_id": m.person_id, "name": m.name, "role": m.role}
            for role in found.by_role
            for m in role.members
        ],
        "county_lines": [
            {"name": line.name, "from": line.exporting_area, "into": line.importing_area}
            for line in found.lines
        ],
    }


def list_command(
    ctx: typer.Context,
    as_user: AsUser,
    name: Annotated[
        str, typer.Option("--name", help="Words of the group's name or operation name.")
    ] = "",
    area: Annotated[str, typer.Option("--area", help="A policing area code, e.g. norwich.")] = "",
    band: Annotated[
        str, typer.Option("--band", help='A band code, e.g. A; "none" for unscored groups.')
    ] = "",
    priority: Annotated[
        str,
        typer.Option("--priority", help='A priority code, e.g. p1; "none" for unassessed.'),
    ] = "",
    plan_state: Annotated[
        str,
        typer.Option(
            "--plan-state",
            help="The 4P plan's state: current, review_overdue, actions_late or no_plan.",
        ),
    ] = "",
    archived: Annotated[
        bool, typer.Option("--archived", help="Include archived (de-mapped) groups.")
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """List the crime groups you may see, highest priority first."""
    if plan_state and plan_state not in PLAN_STATE_WORDS:
        raise InvalidData(
            [FieldError("--plan-state", plan_state, "one of " + ", ".join(PLAN_STATE_WORDS))]
        )
    actor = load_actor(ctx, as_user, reason="ocg")
    filters = GroupFilters(
        text=name or None,
        area=area or None,
        band=band or None,
        priority=priority or None,
        plan_state=plan_state or None,
        status="all" if archived else "mapped",
    )
    with session_scope(state(ctx).engine()) as session:
        found = list_groups(session, actor=actor, filters=filters, limit=_PAGE)
    if json_out:
        print_json({"total": found.total, "groups": [summary_dict(i) for i in found.items]})
        return
    shown = f"{len(found.items)} shown" if len(found.items) < found.total else "all shown"
    console.print(f"Crime groups ({found.total}, {shown}), highest priority first:")
    for item in found.items:
        tag = " (archived)" if item.archived else ""
        console.print(
            f"  {_title(item)} ({item.owner_name}){tag}: "
            f"{item.priority_words or 'not assessed'}; {item.band_words or 'not scored'}; "
            f"LRO {item.lro_name or 'none named'}; 4P plan: {item.plan_words.lower()}; "
            f"{item.members} member{'s' if item.members != 1 else ''} you may see",
            soft_wrap=True,
        )


def show_command(
    ctx: typer.Context,
    group: Annotated[str, typer.Argument(help="Words of the group's name or operation name.")],
    as_user: AsUser,
    json_out: JsonOpt = False,
) -> None:
    """Show one crime group: profile, LRO, areas, members by role and county lines."""
    actor = load_actor(ctx, as_user, reason="ocg")
    with session_scope(state(ctx).engine()) as session:
        found = list_groups(
            session, actor=actor, filters=GroupFilters(text=group, status="all"), limit=_PAGE
        )
        exact = [i for i in found.items if group.strip().lower() in _names(i)]
        matches = exact or found.items
        if not matches:
            raise InvalidData(
                [FieldError("GROUP", group, "words of the name of a crime group you may see")]
            )
        if len(matches) > 1:
            console.print(f'{len(matches)} crime groups match "{group}"; name one of them:')
            for item in matches:
                console.print(f"  {_title(item)} ({item.owner_name})")
            raise typer.Exit(code=2)
        overview = group_overview(session, actor=actor, group_id=matches[0].id)
    if json_out:
        print_json(overview_dict(overview))
        return
    _print_overview(overview)


def _title(item: GroupSummary) -> str:
    """The group's name, with its operation's name when that is not the same."""
    same = (item.operation_name or "").lower() in ("", item.name.lower())
    return item.name if same else f"{item.name}, {item.operation_name}"


def _names(item: GroupSummary) -> set[str]:
    return {item.name.lower(), (item.operation_name or "").lower()}


def _print_overview(found: GroupOverview) -> None:
    head = found.header
    console.print(f"[bold]{head.name}[/bold] ({head.owner_name})" + (
        " — archived" if head.archived else ""))  # fmt: skip
    rows = (
        ("Operation name", head.operation_name or "None recorded"),
        ("Priority", found.priority_words or "Not assessed"),
        ("Band", found.band_words or "Not scored"),
        ("Lead responsible officer", found.lro or "None named"),
        ("Areas", ", ".join(found.areas) or "None known"),
        ("Commodities", ", ".join(found.commodity_words) or "None recorded"),
        ("Crime types", ", ".join(found.crime_type_words) or "None recorded"),
        ("Counter-measures", ", ".join(found.counter_measure_words) or "None recorded"),
    )
    for label, value in rows:
        console.print(f"  {label}: {value}")
    if head.archived and found.archived_reason:
        console.print(f"  Archived because: {found.archived_reason}")
    console.print(f"Members ({found.members}):")
    for role in found.by_role:
        console.print(f"  {role.heading}: " + "; ".join(m.name for m in role.members))
    if found.lines:
        console.print("County lines:")
        for line in found.lines:
            into = f" into {line.importing_area}" if line.importing_area else ""
            console.print(f"  {line.name}: from {line.exporting_area}{into}")


def register(app: typer.Typer) -> None:
    app.command("list")(list_command)
    app.command("show")(show_command)
