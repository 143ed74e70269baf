"""Consistency figures and the safeguarding commands, on the demo region."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tests.safeguarding.region import Region
from threadline.cli.main import app


def test_stats_safeguarding_shows_real_differences_between_forces(region: Region) -> None:
    result = CliRunner().invoke(app, ["--db", str(region.path), "stats", "safeguarding", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    forces = {f["code"]: f for f in figures["forces"]}
    region_figures = figures["region"]
    assert region_figures["overrides"] == region.summary.overrides
    screened = region_figures["under_18_drug_supply_screened_before_charge"]
    assert screened["due"] == region.summary.charges
    assert 0 < screened["reached"] < screened["due"]
    assert region_figures["first_raised_by_partner"]["reached"] > 0
    assert region_figures["median_days_first_indicator_to_referral"] is not None
    shares = {
        code: f["under_18_drug_supply_screened_before_charge"]["share"]
        for code, f in forces.items()
        if f["under_18_drug_supply_screened_before_charge"]["due"]
    }
    assert len(set(shares.values())) > 1, shares
    assert figures["areas"] and all(a["force"] for a in figures["areas"])
    table = CliRunner().invoke(app, ["--db", str(region.path), "stats", "safeguarding"])
    assert table.exit_code == 0 and "Per force" in table.output


def test_suggestions_and_screening_from_the_command_line(region: Region) -> None:
    runner = CliRunner()
    db = ["--db", str(region.path)]
    found = runner.invoke(
        app, [*db, "safeguarding", "suggestions", "--as", "analyst@norfolk", "--json"]
    )
    assert found.exit_code == 0, found.output
    suggested = json.loads(found.output)
    assert suggested and all(s["evidence"] for s in suggested)
    person = suggested[0]["person"]["id"]
    screened = runner.invoke(
        app,
        [*db, "safeguarding", "screen", "--as", "analyst@norfolk", "--person", str(person),
         "--answer", "cce.deal_line=yes:current", "--answer", "cce.missing=no"],
    )  # fmt: skip
    assert screened.exit_code == 0, screened.output
    assert "Risk: " in screened.output and "score 4" in screened.output
    bad = runner.invoke(
        app,
        [*db, "safeguarding", "screen", "--as", "analyst@norfolk", "--person", str(person),
         "--answer", "cce.deal_line=perhaps"],
    )  # fmt: skip
    assert bad.exit_code != 0


def test_a_charge_from_the_command_line_is_refused_naming_what_is_missing(region: Region) -> None:
    from sqlalchemy import select

    from threadline.clock import utcnow
    from threadline.demo.safeguarding import child_runners
    from threadline.errors import InvalidData
    from threadline.storage.db import session_factory
    from threadline.storage.safeguarding_tables import ChargeDecisionRow

    with session_factory(region.engine)() as session:
        decided = set(session.scalars(select(ChargeDecisionRow.person_id)))
        child = next(
            c for c in child_runners(session, utcnow().date())["norfolk"] if c not in decided
        )
    db = ["--db", str(region.path)]
    refused = CliRunner().invoke(
        app,
        [*db, "safeguarding", "charge", "--as", "officer@norfolk", "--person", str(child),
         "--offence", "PWITS class A", "--drug-supply"],
    )  # fmt: skip
    assert refused.exit_code != 0
    assert isinstance(refused.exception, InvalidData)
    assert "children's front door" in [e.location for e in refused.exception.errors]
    overridden = CliRunner().invoke(
        app,
        [*db, "safeguarding", "charge", "--as", "supervisor@norfolk", "--person", str(child),
         "--offence", "PWITS class A", "--override-reason", "Remand overnight."],
    )  # fmt: skip
    assert overridden.exit_code == 0, overridden.output
    assert "recorded by override" in overridden.output


def test_the_check_command_puts_the_prompt_to_protect_first(region: Region) -> None:
    from sqlalchemy import select

    from threadline.storage.db import session_factory
    from threadline.storage.safeguarding_tables import ConcernRow
    from threadline.storage.tables import AgencyRow, PersonRow

    with session_factory(region.engine)() as session:
        person = session.scalars(
            select(PersonRow)
            .join(ConcernRow, ConcernRow.person_id == PersonRow.entity_id)
            .join(AgencyRow, AgencyRow.id == ConcernRow.owner_id)
            .where(AgencyRow.code == "norfolk-cads")
            .limit(1)
        ).one()
        name = f"{person.given_names} {person.family_name}"
    args = [
        "--db",
        str(region.path),
        "check",
        "--reason",
        "stop",
        "--as",
        "officer@norfolk",
        "--name",
        name,
    ]
    shown = CliRunner().invoke(app, [*args, "--json"])
    assert shown.exit_code == 0, shown.output
    cards = [
        c for c in json.loads(shown.output)["results"] if c["record"]["id"] == person.entity_id
    ]
    # (The exploitation prompt, if the child is also a runner, comes first: issue #14.)
    raised = [p for p in cards[0]["safeguarding"] if p.get("record_type") != "exploitation"]
    assert raised[0]["owner"] == "norfolk-cads"
    table = CliRunner().invoke(app, args)
    assert table.exit_code == 0 and "PROMPT" in table.output
