"""The MoRiLE commands under `threadline ocg`: the priority list, and assessing a group.

- `threadline ocg priorities --as USER [--force CODE] [--json]`
- `threadline ocg assess GROUP_ID --as USER --physical N ... --rationale TEXT [--review DATE]`
  (or `--theme "Firearms supply in Essex"` instead of a group)

Levels are numbers on the current scales (`threadline/morile/scales/`): harm 0 none to
4 critical, likelihood 1 rare to 5 almost certain, confidence 1 low to 3 high,
organisational position 1 well placed to 4 unable to respond.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from threadline.cli.audit import JsonOpt, load_actor
from threadline.cli.context import console, print_json, state
from threadline.clock import utcnow
from threadline.errors import FieldError, InvalidData
from threadline.morile import Assessment, PriorityList, assess, default_review, priority_list
from threadline.storage.db import session_scope

AsUser = Annotated[
    str, typer.Option("--as", help="Username acting, e.g. analyst@norfolk or supervisor@ersou.")
]


def _harm(name: str) -> Any:
    return typer.Option(
        f"--{name}", min=0, max=4, help=f"{name.title()} harm, 0 none to 4 critical."
    )


def assessment_dict(a: Assessment) -> dict[str, Any]:
    """An assessment for `--json`: words and numbers, dates as ISO text."""
    return {
        "id": a.id,
        "group_id": a.group_id,
        "theme": a.theme,
        "priority": a.priority_label,
        "priority_key": a.priority,
        "score": a.score,
        "scale_version": a.scale_version,
        "ratings": {r.key: {"value": r.value, "level": r.words} for r in a.ratings},
        "rationale": a.rationale,
        "assessed_by": a.assessor,
        "assessed_at": a.assessed_at.isoformat(timespec="seconds"),
        "review_due": a.review_due.isoformat(),
        "review_overdue": a.overdue,
        "changed": a.change.headline,
        "score_change": a.change.score_delta,
        "ratings_changed": a.change.details,
    }


def _print_list(found: PriorityList) -> None:
    console.print(
        f"Crime group priorities: {found.force_name or 'the whole region'} — "
        f"{len(found.entries)} assessed, {found.overdue} reviews overdue, "
        f"{len(found.not_assessed)} not yet assessed"
    )
    for e in found.entries:
        a = e.latest
        overdue = " [REVIEW OVERDUE]" if a.overdue else ""
        console.print(
            f"  {a.priority_label:<26} {a.score:>6g}  {e.name} ({e.force_name}, group "
            f"{e.group_id}); review {a.review_due:%-d %B %Y}{overdue}; {a.change.headline}"
        )
    for t in found.themes:
        console.print(f"  {t.latest.priority_label:<26} {t.latest.score:>6g}  theme: {t.theme}")
    if found.not_assessed:
        console.print("Not yet assessed:")
        for g in found.not_assessed:
            console.print(f"  {g.name} ({g.owner_name}, group {g.id})")


def priorities(
    ctx: typer.Context,
    as_user: AsUser,
    force: Annotated[
        str | None,
        typer.Option("--force", help="Only this force's groups: its code, e.g. norfolk."),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """The priority list of the crime groups you may see, for the region or one force."""
    actor = load_actor(ctx, as_user, reason="ocg priorities")
    with session_scope(state(ctx).engine()) as session:
        found = priority_list(session, actor=actor, force=force)
    if not json_out:
        _print_list(found)
        return
    print_json(
        {
            "scope": found.force or "region",
            "groups": [
                {
                    "group_id": e.group_id,
                    "name": e.name,
                    "force": e.force,
                    **assessment_dict(e.latest),
                }
                for e in found.entries
            ],
            "themes": [assessment_dict(t.latest) for t in found.themes],
            "not_assessed": [
                {"group_id": g.id, "name": g.name, "force": g.owner} for g in found.not_assessed
            ],
            "reviews_overdue": found.overdue,
        }
    )


def assess_group(
    ctx: typer.Context,
    as_user: AsUser,
    rationale: Annotated[str, typer.Option("--rationale", help="Why the priority is merited.")],
    group_id: Annotated[
        int | None, typer.Argument(help="The group's record id (see `threadline ocg list`).")
    ] = None,
    theme: Annotated[
        str | None, typer.Option("--theme", help="A threat theme to assess instead of a group.")
    ] = None,
    physical: Annotated[int, _harm("physical")] = 0,
    psychological: Annotated[int, _harm("psychological")] = 0,
    financial: Annotated[int, _harm("financial")] = 0,
    community: Annotated[int, _harm("community")] = 0,
    geographic: Annotated[
        int, typer.Option("--geographic", help="Geographic scope, 0 none to 4 beyond the region.")
    ] = 0,
    vulnerability: Annotated[
        int, typer.Option("--vulnerability", help="Victim vulnerability, 0 none to 4 critical.")
    ] = 0,
    likelihood: Annotated[
        int, typer.Option("--likelihood", help="1 rare to 5 almost certain or already occurring.")
    ] = 3,
    confidence: Annotated[
        int, typer.Option("--confidence", help="Confidence: 1 low, 2 medium, 3 high.")
    ] = 2,
    position: Annotated[
        int,
        typer.Option("--position", help="Organisational position: 1 well placed to 4 unable."),
    ] = 1,
    review: Annotated[
        str | None,
        typer.Option("--review", help="Review date, YYYY-MM-DD (default: in three months)."),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Record a MoRiLE assessment of a group (analysts and supervisors of its force or region)."""
    if group_id is None and not theme:
        raise InvalidData([FieldError("GROUP_ID", "", "a group's id, or --theme")])
    actor = load_actor(ctx, as_user, reason="ocg assess")
    ratings = {
        "physical": physical,
        "psychological": psychological,
        "financial": financial,
        "community": community,
        "geographic": geographic,
        "vulnerability": vulnerability,
        "likelihood": likelihood,
        "confidence": confidence,
        "position": position,
    }
    with session_scope(state(ctx).engine()) as session:
        made = assess(
            session,
            actor=actor,
            group_id=group_id,
            theme=theme,
            ratings=ratings,
            rationale=rationale,
            review_due=review or default_review(utcnow().date()),
        )
    if json_out:
        print_json(assessment_dict(made))
        return
    what = f"group {group_id}" if group_id is not None else f"theme “{made.theme}”"
    console.print(
        f"Assessed {what}: {made.priority_label}, score {made.score:g}; "
        f"{made.change.headline}; review by {made.review_due:%-d %B %Y}"
    )
    for line in made.change.details:
        console.print(f"  {line}")


def register(app: typer.Typer) -> None:
    """Add `priorities` and `assess` to the `ocg` commands."""
    app.command("priorities")(priorities)
    app.command("assess")(assess_group)
