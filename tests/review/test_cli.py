"""`threadline review due|decide|backfill`: what a DPO types, and what they are told."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner, Result

from tests.audit.helpers import events, make_user_row
from tests.factories import make_link, make_person, make_phone
from threadline.cli.main import app
from threadline.errors import Forbidden, InvalidData, NotFound
from threadline.model.security import Role
from threadline.storage.db import session_scope
from threadline.storage.tables import EntityRow


def run(engine: Engine, *args: str) -> Result:
    return CliRunner().invoke(app, ["--db", engine.url.render_as_string(False), *args])


@pytest.fixture
def record(engine: Engine) -> int:
    """A Norfolk person, created 2018, due for review on 2025-06-01, linked to a phone."""
    with session_scope(engine) as session:
        make_user_row(session, "dpo@norfolk", roles=[Role.DPO])
        make_user_row(session, "officer@norfolk", roles=[Role.FRONTLINE])
        person = make_person(session, family_name="Reviewed", given_names="Kim")
        phone = make_phone(session)
        make_link(session, from_id=person.entity_id, to_id=phone.entity_id, link_type="uses_phone")
        row = session.get_one(EntityRow, person.entity_id)
        row.created_at, row.review_due = datetime(2018, 1, 1), date(2025, 6, 1)
        return person.entity_id


def test_due_lists_the_record_as_json(engine: Engine, record: int) -> None:
    result = run(engine, "review", "due", "--on", "2025-12-31", "--as", "dpo@norfolk", "--json")
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert [(r["entity_id"], r["review_due"]) for r in listed] == [(record, "2025-06-01")]
    # The phone has no stored date and was created today: not due.
    result = run(engine, "review", "due", "--on", "2025-05-31", "--as", "dpo@norfolk")
    assert result.exit_code == 0 and "Nothing is due for review" in result.stdout


def test_due_refuses_a_bad_date(engine: Engine, record: int) -> None:
    result = run(engine, "review", "due", "--on", "31/12/2025")
    assert result.exit_code == 1
    assert isinstance(result.exception, InvalidData)
    assert "--on: got '31/12/2025', expected a date as YYYY-MM-DD" in str(result.exception)


def test_decide_retain(engine: Engine, record: int) -> None:
    result = run(
        engine,
        "review",
        "decide",
        str(record),
        "--retain",
        "--reason",
        "linked to a live OCG investigation",
        "--next-review",
        "2027-06-01",
        "--as",
        "dpo@norfolk",
    )
    assert result.exit_code == 0, result.output
    assert f"Retained person {record}; next review 2027-06-01" in result.stdout
    assert events(engine)[-1].event == "review.retained"


def test_decide_dispose(engine: Engine, record: int) -> None:
    result = run(
        engine,
        "review",
        "decide",
        str(record),
        "--dispose",
        "--reason",
        "no longer necessary",
        "--as",
        "dpo@norfolk",
        "--json",
    )
    assert result.exit_code == 0, result.output
    outcome = json.loads(result.stdout)
    assert outcome["decision"] == "dispose" and outcome["links_removed"] == 1
    last = events(engine)[-1]
    assert last.id == outcome["audit_event_id"]
    assert (last.action, last.actor) == ("erasure", "dpo@norfolk")


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (["--dispose", "--reason", "x", "--as", "officer@norfolk"], Forbidden, "reviewing records"),
        (["--retain", "--reason", "  ", "--as", "dpo@norfolk"], InvalidData, "needs one"),
        (["--retain", "--dispose", "--reason", "x", "--as", "dpo@norfolk"], InvalidData, "both"),
        (["--reason", "x", "--as", "dpo@norfolk"], InvalidData, "neither"),
        (["--dispose", "--reason", "x", "--as", "nobody@norfolk"], NotFound, "no user"),
        (
            ["--retain", "--reason", "x", "--next-review", "soon", "--as", "dpo@norfolk"],
            InvalidData,
            "--next-review: got 'soon'",
        ),
    ],
    ids=["frontline", "blank-reason", "both", "neither", "unknown-user", "bad-date"],
)
def test_decide_refusals_change_nothing(
    engine: Engine, record: int, args: list[str], error: type[Exception], message: str
) -> None:
    logged = len(events(engine))
    result = run(engine, "review", "decide", str(record), *args)
    assert result.exit_code == 1
    assert isinstance(result.exception, error)
    assert message in str(result.exception)
    assert len(events(engine)) == logged
    with session_scope(engine) as session:
        assert session.get_one(EntityRow, record).review_due == date(2025, 6, 1)


def test_decide_needs_a_named_user(engine: Engine, record: int) -> None:
    result = run(engine, "review", "decide", str(record), "--dispose", "--reason", "x")
    assert result.exit_code == 2  # --as is required: a usage error from the parser
    assert "--as" in result.output


def test_backfill(engine: Engine, record: int) -> None:
    result = run(engine, "review", "backfill", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"updated": 1}  # the phone; the person had a date
