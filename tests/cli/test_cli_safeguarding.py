"""`threadline safeguarding concern|refer`: a partner's concern, and a referral to a partner.

The world is tests/safeguarding/world.py: two children and an adult living in Norwich;
Norfolk may share safeguarding records about children in Norwich with CADS under an
agreement; Norwich Housing has no such agreement. A concern raised by CADS shows on a
police officer's check as a prompt to protect; a referral reaches CADS, who read it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from tests.cli.helpers import db_of, threadline
from tests.safeguarding.world import build_world
from threadline.accounts import actor_for, add_user
from threadline.cli.main import app
from threadline.model.security import system_actor
from threadline.safeguarding import list_referrals
from threadline.storage.db import session_scope

OFFICER = "officer@norfolk"
CADS = "partner@norfolk-cads"
HOUSING = "worker@norwich-housing"


@dataclass(frozen=True)
class People:
    db: str
    child: int  # 15, lives in Norwich
    young_child: int  # 12, lives in Norwich
    adult: int  # 40, lives in Norwich


@pytest.fixture
def people(engine: Engine) -> People:
    with session_scope(engine) as session:
        world = build_world(session)
        for username, agency, role in (
            (OFFICER, "norfolk", "frontline"),
            (CADS, "norfolk-cads", "partner"),
            (HOUSING, "norwich-housing", "partner"),
        ):
            add_user(
                session,
                actor=system_actor("ersou", "test"),
                username=username,
                display_name=username,
                agency_code=agency,
                roles=[role],
                clearance="OFFICIAL-SENSITIVE",
                home_areas=["norwich"] if agency == "norfolk" else (),
                password="correct horse battery staple",
            )
        return People(db_of(engine), world.child, world.young_child, world.adult)


def run(db: str, *args: str) -> str:
    result = CliRunner().invoke(app, ["--db", db, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def cards(db: str, name: str) -> dict[int, dict[str, object]]:
    found = json.loads(
        run(
            db,
            "check",
            "--reason",
            "stop",
            "--as",
            OFFICER,
            "--name",
            name,
            "--purpose",
            "welfare",
            "--json",
        )
    )
    return {card["record"]["id"]: card for card in found["results"]}


# --------------------------------------------------------------------------- concern


def test_a_partners_concern_shows_on_the_officers_check(people: People) -> None:
    db = people.db
    assert not cards(db, "Jo Smith")[people.child].get("safeguarding")

    raised = json.loads(
        run(db, "safeguarding", "concern", "--as", CADS, "--person", str(people.child),
            "--text", "Seen getting into cars with older men after school.",
            "--indicator", "cce.missing", "--json")
    )  # fmt: skip
    assert raised["owner"] == "norfolk-cads"
    assert raised["text"] == "Seen getting into cars with older men after school."

    plain = run(db, "safeguarding", "concern", "--as", CADS, "--person", str(people.child),
                "--text", "Has a second phone.")  # fmt: skip
    assert plain.strip().startswith("Concern ")
    assert plain.strip().endswith(f"raised about person {people.child}.")

    shown = cards(db, "Jo Smith")[people.child]["safeguarding"]
    assert isinstance(shown, list)
    assert {item["owner"] for item in shown} == {"norfolk-cads"}
    assert len(shown) == 2


def test_a_bad_concern_is_one_clear_line_and_nothing_is_recorded(
    people: People, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = people.db
    base = ["--db", db, "safeguarding", "concern", "--as", CADS, "--person", str(people.child)]
    code, out, err = threadline(
        monkeypatch, capsys, *base, "--text", "Worried.", "--indicator", "cce.wizardry"
    )
    assert (code, out) == (1, "")
    [line] = err.splitlines()
    assert line.startswith("error: indicators: got 'cce.wizardry', expected indicator codes")

    code, out, err = threadline(monkeypatch, capsys, *base, "--text", "   ")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "error: text: got '   ', expected what you saw or were told, in your own words"
    ]

    code, out, err = threadline(
        monkeypatch, capsys, "--db", db, "safeguarding", "concern", "--as", "nobody@norfolk",
        "--person", str(people.child), "--text", "Worried.",
    )  # fmt: skip
    assert (code, out) == (1, "")
    assert err.splitlines() == ["error: no user 'nobody@norfolk'"]
    assert not cards(db, "Jo Smith")[people.child].get("safeguarding")


# --------------------------------------------------------------------------- refer


def test_a_referral_reaches_the_partner_who_reads_it(people: People, engine: Engine) -> None:
    db = people.db
    made = json.loads(
        run(db, "safeguarding", "refer", "--as", OFFICER, "--person", str(people.child),
            "--to", "norfolk-cads", "--reason", "Found in a trap house in Norwich.", "--json")
    )  # fmt: skip
    assert len(made) == 1
    [referral] = made
    assert (referral["person_id"], referral["to_agency"], referral["by"]) == (
        people.child,
        "norfolk-cads",
        OFFICER,
    )
    assert referral["referral"] == "Found in a trap house in Norwich."

    with session_scope(engine) as session:
        received = list_referrals(session, actor=actor_for(session, CADS))
        assert [r["id"] for r in received] == [referral["id"]]
        assert received[0]["referral"] == "Found in a trap house in Norwich."


def test_harm_by_another_child_refers_both(people: People, engine: Engine) -> None:
    out = run(
        people.db, "safeguarding", "refer", "--as", OFFICER, "--person", str(people.child),
        "--to", "norfolk-cads", "--reason", "Threatened by a younger runner.",
        "--harmed-by", str(people.young_child),
    )  # fmt: skip
    lines = out.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].endswith(f"person {people.child} to norfolk-cads.")
    assert lines[1].endswith(f"person {people.young_child} to norfolk-cads.")
    with session_scope(engine) as session:
        received = list_referrals(session, actor=actor_for(session, CADS))
        pairs = {r["person_id"]: (r["id"], r["pair_id"], r["role"]) for r in received}
    assert set(pairs) == {people.child, people.young_child}
    victim, harming = pairs[people.child], pairs[people.young_child]
    assert (victim[1], harming[1]) == (harming[0], victim[0])  # they name each other
    assert (victim[2], harming[2]) == ("victim", "harming child")


def test_a_referral_without_an_agreement_or_to_no_partner_is_refused_in_one_line(
    people: People,
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base = ["--db", people.db, "safeguarding", "refer", "--as", OFFICER,
            "--person", str(people.child), "--reason", "Worried."]  # fmt: skip
    code, out, err = threadline(monkeypatch, capsys, *base, "--to", "nowhere")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "error: to_agency: got 'nowhere', expected the code of a partner organisation"
    ]

    code, out, err = threadline(monkeypatch, capsys, *base, "--to", "norwich-housing")
    assert (code, out) == (1, "")
    assert len(err.splitlines()) == 1 and err.startswith("error: ")

    code, out, err = threadline(monkeypatch, capsys, *base, "--to", "norfolk-cads",
                                "--harmed-by", str(people.child))  # fmt: skip
    assert (code, out) == (1, "")
    assert err.startswith("error: harmed_by: ")

    with session_scope(engine) as session:
        assert list_referrals(session, actor=actor_for(session, OFFICER)) == []
