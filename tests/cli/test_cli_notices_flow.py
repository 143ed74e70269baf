"""`threadline notice draft|publish|withdraw`: a threat notice's life at the console.

A draft reaches nobody; publishing sends it to every audience at once (the register
shows who); withdrawing keeps the register, and the partner then reads it as withdrawn.
The world is tests/notices/world.py: a child in Norwich, and CADS may receive notices
about children in Norwich under an agreement.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from tests.cli.helpers import db_of, threadline
from tests.notices.world import build_notice_world, review_in
from threadline.accounts import add_user
from threadline.cli.main import app
from threadline.model.security import system_actor
from threadline.storage.db import session_scope

ANALYST = "analyst2@norfolk"
CADS = "worker@norfolk-cads"


@pytest.fixture
def world(engine: Engine) -> tuple[str, int, str]:
    """The database, the child's id, and a code P sanitised report to grade from."""
    with session_scope(engine) as session:
        built = build_notice_world(session)
        for username, agency, role in (
            (ANALYST, "norfolk", "analyst"),
            (CADS, "norfolk-cads", "partner"),
        ):
            add_user(
                session,
                actor=system_actor("ersou", "test"),
                username=username,
                display_name=username,
                agency_code=agency,
                roles=[role],
                clearance="OFFICIAL-SENSITIVE",
                password="correct horse battery staple",
            )
        return db_of(engine), built.child, built.base.sanitised_p.ref


def invoke(db: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--db", db, *args])
    return result.exit_code, result.stdout


def run(db: str, *args: str) -> str:
    code, out = invoke(db, *args)
    assert code == 0, out
    return out


def run_json(db: str, *args: str) -> Any:
    return json.loads(run(db, *args, "--json"))


def draft(db: str, child: int, sanitised: str, *extra: str) -> dict[str, object]:
    made = run_json(
        db, "notice", "draft", "--as", ANALYST, "--subject", str(child),
        "--title", "Child at risk of exploitation in Norwich",
        "--threat", "A child is running cash for a county line.",
        "--action", "Safeguard the child on sight; tell CADS.",
        "--place", "Magdalen Street, Norwich", "--review", review_in().isoformat(),
        "--audience", "area:norwich", "--audience", "agency:norfolk-cads",
        "--audience", "region", "--sanitised", sanitised, *extra,
    )  # fmt: skip
    assert isinstance(made, dict)
    return made


def recipients(db: str, ref: str) -> set[str]:
    page = run_json(db, "notice", "register", "--notice", ref, "--as", ANALYST)
    assert isinstance(page, dict)
    return {entry["recipient"] for entry in page["entries"]}


def test_draft_publish_withdraw(world: tuple[str, int, str]) -> None:
    db, child, sanitised = world
    drafted = draft(db, child, sanitised)
    ref = str(drafted["ref"])
    assert drafted["status"] == "draft"
    assert drafted["title"] == "Child at risk of exploitation in Norwich"
    assert set(drafted["audiences"]) == {"area:norwich", "agency:norfolk-cads", "region"}
    # A draft reaches nobody: not the register, not the partner.
    assert recipients(db, ref) == set()
    assert invoke(db, "notice", "show", ref, "--as", CADS)[0] != 0
    listed = run_json(db, "notice", "list", "--as", ANALYST, "--status", "draft")
    assert [n["ref"] for n in listed] == [ref]

    published = run(db, "notice", "publish", ref, "--as", ANALYST)
    assert published.splitlines()[0] == f"{ref} (published)"
    sent = recipients(db, ref)
    assert sent == {
        "Frontline of Norwich",
        "All police in the region",
        "Norfolk Children's Advice and Duty Service (CADS)",
    }
    seen = run_json(db, "notice", "show", ref, "--as", CADS)
    assert isinstance(seen, dict)
    assert seen["shared_under"] == "ISA-NFK-CADS-TN"
    assert "place" not in seen  # the agreement does not cover where

    withdrawn = run_json(
        db, "notice", "withdraw", ref, "--as", ANALYST, "--reason", "The child is safe."
    )
    assert isinstance(withdrawn, dict) and withdrawn["status"] == "withdrawn"
    assert recipients(db, ref) == sent  # what was sent stays in the register
    shown = run_json(db, "notice", "show", ref, "--as", ANALYST)
    assert isinstance(shown, dict) and shown["status"] == "withdrawn"
    listed = run_json(db, "notice", "list", "--as", ANALYST, "--status", "withdrawn")
    assert [n["ref"] for n in listed] == [ref]


def test_plain_draft_and_withdraw_of_a_draft(world: tuple[str, int, str]) -> None:
    db, child, _ = world
    out = run(
        db, "notice", "draft", "--as", ANALYST, "--subject", str(child), "--title", "Plain",
        "--threat", "A threat.", "--action", "Act.", "--review", review_in().isoformat(),
        "--audience", "region", "--grade", "2BP",
    )  # fmt: skip
    first = out.splitlines()[0]
    assert first.endswith(" (draft)")
    ref = first.split()[0]
    assert "  title: Plain" in out.splitlines()
    out = run(db, "notice", "withdraw", ref, "--as", ANALYST, "--reason", "Drafted in error.")
    assert out.splitlines()[0] == f"{ref} (withdrawn)"
    assert recipients(db, ref) == set()


def test_refusals_and_bad_input_are_one_clear_line(
    world: tuple[str, int, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db, child, sanitised = world
    ref = str(draft(db, child, sanitised)["ref"])

    def fails(*args: str) -> str:
        code, out, err = threadline(monkeypatch, capsys, "--db", db, "notice", *args)
        assert (code, out) == (1, ""), err
        assert len(err.splitlines()) == 1 and err.startswith("error: ")
        return err.strip()

    assert "TN-NOPE" in fails("withdraw", "TN-NOPE", "--as", ANALYST, "--reason", "x")
    assert "TN-NOPE" in fails("publish", "TN-NOPE", "--as", ANALYST)
    fails("publish", ref, "--as", CADS)  # a partner publishes nothing
    fails("withdraw", ref, "--as", CADS, "--reason", "Not mine to withdraw.")
    assert "reason" in fails("withdraw", ref, "--as", ANALYST, "--reason", " ")
    assert "review" in fails(
        "draft", "--as", ANALYST, "--subject", str(child), "--title", "t", "--threat", "t",
        "--action", "a", "--review", "2001-01-01", "--audience", "region", "--grade", "2BP",
    )  # fmt: skip
    # Nothing above changed the draft.
    shown = run_json(db, "notice", "show", ref, "--as", ANALYST)
    assert shown["status"] == "draft"

    run(db, "notice", "withdraw", ref, "--as", ANALYST, "--reason", "Done.")
    assert "already withdrawn" in fails("withdraw", ref, "--as", ANALYST, "--reason", "Again.")


def test_a_partners_plain_notice_header_has_no_empty_brackets(
    world: tuple[str, int, str],
) -> None:
    db, child, sanitised = world
    ref = str(draft(db, child, sanitised)["ref"])
    run(db, "notice", "publish", ref, "--as", ANALYST)
    out = run(db, "notice", "show", ref, "--as", CADS)
    assert "title: Child at risk of exploitation in Norwich" in out
    assert "()" not in out.splitlines()[0]


def test_publish_immediate_briefs_the_shift_and_alerts_the_officer_on_duty(
    world: tuple[str, int, str], engine: Engine
) -> None:
    """`notice publish --immediate`: in this shift's Norwich briefing at once, and the
    Norwich officer on duty has an alert; without SMTP the console says no email went."""
    db, child, sanitised = world
    with session_scope(engine) as session:
        add_user(
            session,
            actor=system_actor("ersou", "test"),
            username="pc.norwich@norfolk",
            display_name="PC Norwich",
            agency_code="norfolk",
            roles=["frontline"],
            clearance="OFFICIAL-SENSITIVE",
            home_areas=["norwich"],
            password="correct horse battery staple",
        )
    ref = str(draft(db, child, sanitised)["ref"])
    done = run_json(db, "notice", "publish", ref, "--as", ANALYST, "--immediate")
    assert done["status"] == "published"
    assert done["briefed_areas"] == ["Norwich"] and done["officers_alerted"] == 1
    alerts = run_json(db, "alerts", "--as", "pc.norwich@norfolk")
    assert any(ref in str(alert) for alert in alerts), alerts
