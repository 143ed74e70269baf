"""`threadline ocg list` and `threadline ocg show`: the index of crime groups from a console."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from tests.factories import make_county_line, make_link
from tests.ocg.helpers import Groups, add_group, add_officer, make_groups
from tests.policy.factories import seed_partners
from threadline.cli.main import app
from threadline.errors import InvalidData
from threadline.policy import today
from threadline.storage.db import session_scope


@pytest.fixture
def groups(engine: Engine) -> Groups:
    with session_scope(engine) as session:
        seed_partners(session)
        made = make_groups(session, today=today())
        line = make_county_line(session, importing_area="great-yarmouth")
        make_link(session, from_id=made.kestrel, to_id=line.entity_id, link_type="runs_line")
        add_group(session, name="Kestrel Juniors", area="norwich")
        add_officer(session, "analyst@norfolk", "analyst")
    return made


def run(database_url: str, *args: str) -> tuple[int, str, BaseException | None]:
    done = CliRunner().invoke(app, ["--db", database_url, "ocg", *args])
    return done.exit_code, done.stdout, done.exception


def test_list_filters_and_prints_words_or_json(groups: Groups, database_url: str) -> None:
    code, out, _ = run(database_url, "list", "--as", "analyst@norfolk")
    assert code == 0, out
    assert "Crime groups (4, all shown)" in out
    assert "Kestrel Crew, Operation Kestrel (Norfolk Constabulary): Priority 1 (high)" in out
    code, out, _ = run(database_url, "list", "--as", "analyst@norfolk", "--json")
    first = json.loads(out)["groups"][0]
    assert (first["name"], first["band_words"], first["priority_words"], first["plan"]) == (
        "Kestrel Crew",
        "Band A (highest harm)",
        "Priority 1 (high)",
        "Actions late",
    )
    # Codes with their words (the line Kestrel runs into Great Yarmouth adds that area).
    assert first["areas"] == ["great-yarmouth", "norwich"]
    assert first["area_names"] == ["Great Yarmouth", "Norwich"]
    code, out, _ = run(database_url, "list", "--as", "analyst@norfolk", "--band", "C", "--json")
    assert code == 0, out
    found = json.loads(out)
    assert [g["name"] for g in found["groups"]] == ["Heron Family"]
    assert found["groups"][0]["band_words"] == "Band C (moderate harm)"
    code, out, _ = run(
        database_url, "list", "--as", "analyst@norfolk", "--area", "norwich",
        "--plan-state", "no_plan", "--json",
    )  # fmt: skip
    assert [g["name"] for g in json.loads(out)["groups"]] == ["Hidden Crew", "Kestrel Juniors"]
    code, _, error = run(database_url, "list", "--as", "analyst@norfolk", "--plan-state", "late")
    assert isinstance(error, InvalidData) and "--plan-state" in str(error)


def test_show_finds_a_group_by_its_operation_name_and_lists_choices_when_ambiguous(
    groups: Groups, database_url: str
) -> None:
    code, out, _ = run(database_url, "show", "Operation Kestrel", "--as", "analyst@norfolk")
    assert code == 0, out
    assert "Kestrel Crew" in out and "Heroin, Crack cocaine" in out and "Members (3)" in out
    # Areas by name, never by code: the group's, and the county line's it runs.
    assert (
        "Areas: Great Yarmouth, Norwich" in out
        and "TONY: from London Borough of Hackney into Great" in out
    )
    assert "norwich" not in out and "great-yarmouth" not in out
    code, out, _ = run(database_url, "show", "heron", "--as", "analyst@norfolk", "--json")
    assert code == 0 and json.loads(out)["name"] == "Heron Family"
    code, out, _ = run(database_url, "show", "kestrel", "--as", "analyst@norfolk")
    assert code != 0
    assert "2 crime groups match" in out and "Kestrel Juniors" in out and "Kestrel Crew" in out
    code, _, error = run(database_url, "show", "ipswich", "--as", "analyst@norfolk")
    assert code != 0 and isinstance(error, InvalidData)  # Suffolk's own: not for Norfolk
