"""`threadline safeguarding ...` and `threadline stats safeguarding`: screenings, concerns,
suggested victims and the consistency figures."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from threadline.cli import front_door
from threadline.cli.audit import JsonOpt, load_actor
from threadline.cli.context import console, print_json, state
from threadline.cli.data import stats_app
from threadline.justice import record_charge_decision
from threadline.safeguarding import (
    find_suggested_victims,
    parse_answers,
    raise_concern,
    record_screening,
    refer,
)
from threadline.stats.safeguarding import safeguarding_consistency
from threadline.storage.db import session_scope

safeguarding_app = typer.Typer(
    help="Screen people for exploitation, raise concerns, see suggested victims.",
    no_args_is_help=True,
)
AsUser = Annotated[str, typer.Option("--as", help="Username of the person doing this.")]


@safeguarding_app.command("screen")
def screen(
    ctx: typer.Context,
    as_user: AsUser,
    person: Annotated[int, typer.Option(help="Id of the person screened.")],
    answer: Annotated[
        list[str],
        typer.Option(
            help="An indicator's answer as CODE=yes:current, CODE=yes:earlier, CODE=no or "
            "CODE=not_known; repeat for each indicator (unanswered ones count as not known)."
        ),
    ],
    learning_disability: Annotated[
        bool, typer.Option(help="The person has a learning disability (a floor rule applies).")
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """Screen a person with the exploitation screening tool and show the level and reasons."""

    given = {code: value for code, _, value in (item.partition("=") for item in answer)}
    actor = load_actor(ctx, as_user, reason="safeguarding")
    with session_scope(state(ctx).engine()) as session:
        view = record_screening(
            session,
            actor=actor,
            person_id=person,
            answers=parse_answers(given),
            learning_disability=learning_disability,
        )
    if json_out:
        print_json(view.to_dict())
        return
    console.print(f"Risk: [bold]{view['risk']}[/bold] (score {view['score']})")
    for reason in view["reasons"]:  # type: ignore[attr-defined]
        console.print(f"- {reason}")


@safeguarding_app.command("concern")
def concern(
    ctx: typer.Context,
    as_user: AsUser,
    person: Annotated[int, typer.Option(help="Id of the person the concern is about.")],
    text: Annotated[str, typer.Option(help="What you saw or were told, in your own words.")],
    indicator: Annotated[
        list[str] | None,
        typer.Option(help="An indicator code of the screening tool; repeat for several."),
    ] = None,
    case_ref: Annotated[
        str, typer.Option(help="Your own case reference, quoted back in the police response.")
    ] = "",
    json_out: JsonOpt = False,
) -> None:
    """Raise a safeguarding concern about a person; police see it on their checks."""

    actor = load_actor(ctx, as_user, reason="safeguarding")
    with session_scope(state(ctx).engine()) as session:
        view = raise_concern(
            session,
            actor=actor,
            person_id=person,
            text=text,
            indicators=indicator or [],
            case_ref=case_ref,
        )
    if json_out:
        print_json(view.to_dict())
        return
    console.print(f"Concern {view['id']} raised about person {person}.")


@safeguarding_app.command("suggestions")
def suggestions(
    ctx: typer.Context,
    as_user: AsUser,
    area: Annotated[str | None, typer.Option(help="Only children of this area code.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Children the data links to exploitation and not screened in six months, with evidence."""

    actor = load_actor(ctx, as_user, reason="safeguarding")
    with session_scope(state(ctx).engine()) as session:
        found = find_suggested_victims(session, actor=actor, area=area)
    if json_out:
        print_json([{"person": s.person.to_dict(), "evidence": list(s.evidence)} for s in found])
        return
    table = Table(title="Suggested for screening", title_justify="left")
    for column in ("id", "person", "evidence"):
        table.add_column(column)
    for s in found:
        name = f"{s.person.get('family_name', '')}, {s.person.get('given_names', '')}"
        table.add_row(str(s.person["id"]), name, "; ".join(s.evidence))
    console.print(table)


@safeguarding_app.command("refer")
def refer_command(
    ctx: typer.Context,
    as_user: AsUser,
    person: Annotated[int, typer.Option(help="Id of the person referred.")],
    to: Annotated[str, typer.Option(help="Code of the partner organisation, e.g. norfolk-cads.")],
    reason: Annotated[str, typer.Option(help="Why the person is referred, in your own words.")],
    harmed_by: Annotated[
        int | None,
        typer.Option(help="Id of the child causing the harm: both children are referred."),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Refer a person to a partner organisation (a disclosure under an agreement)."""

    actor = load_actor(ctx, as_user, reason="safeguarding")
    with session_scope(state(ctx).engine()) as session:
        made = refer(
            session, actor=actor, person_id=person, to_agency=to, reason=reason, harmed_by=harmed_by
        )
    if json_out:
        print_json([view.to_dict() for view in made])
        return
    for view in made:
        console.print(f"Referral {view['id']}: person {view.get('person_id')} to {to}.")


@safeguarding_app.command("charge")
def charge_command(
    ctx: typer.Context,
    as_user: AsUser,
    person: Annotated[int, typer.Option(help="Id of the suspect.")],
    offence: Annotated[str, typer.Option(help="The offence, in words.")],
    decision: Annotated[str, typer.Option(help="charge or prosecute.")] = "charge",
    drug_supply: Annotated[
        bool, typer.Option(help="The offence is a drug supply offence (counted in the figures).")
    ] = False,
    override_reason: Annotated[
        str | None,
        typer.Option(help="A supervisor's reason for overriding an incomplete safeguard."),
    ] = None,
) -> None:
    """Record a charge or prosecution decision; refused, naming what is missing, until the
    safeguarding record of a child or possible victim exists."""

    actor = load_actor(ctx, as_user, reason="justice")
    with session_scope(state(ctx).engine()) as session:
        made = record_charge_decision(
            session,
            actor=actor,
            person_id=person,
            decision=decision,
            offence=offence,
            drug_supply=drug_supply,
            override_reason=override_reason,
        )
    how = " by override" if made.overridden else ""
    console.print(f"Decision {made.id} recorded{how}: {made.decision.value}, {made.offence}.")


def stats_safeguarding(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Safeguarding consistency per force and area: screening before charge, time to
    referral, concerns first raised by partners, overrides of the charging safeguard."""

    with session_scope(state(ctx).engine()) as session:
        figures = safeguarding_consistency(session).to_dict()
    if json_out:
        print_json(figures)
        return

    def pct(share: dict[str, Any]) -> str:
        value = share["share"]
        return "-" if value is None else f"{value:.0%} ({share['reached']}/{share['due']})"

    for title, rows in (("Per force", figures["forces"]), ("Per area", figures["areas"])):
        table = Table(title=title, title_justify="left")
        for column in (
            "code",
            "under-18 supply: screened before charge",
            "median days to referral",
            "first raised by a partner",
            "overrides",
        ):
            table.add_column(column)
        for row in rows:
            days = row["median_days_first_indicator_to_referral"]
            table.add_row(
                row["code"] if title == "Per force" else f"{row['force']}: {row['code']}",
                pct(row["under_18_drug_supply_screened_before_charge"]),
                "-"
                if days is None
                else f"{days} ({row['people_referred']}/{row['people_with_indicators']})",
                pct(row["first_raised_by_partner"]),
                str(row["overrides"]),
            )
        console.print(table)


def register(app: typer.Typer) -> None:
    front_door.register(safeguarding_app)
    app.add_typer(safeguarding_app, name="safeguarding")
    stats_app.command("safeguarding")(stats_safeguarding)
