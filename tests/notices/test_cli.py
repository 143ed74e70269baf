"""`threadline notice ...` and `threadline stats sharing` on the notices world."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from tests.notices.world import build_notice_world, draft, review_in
from threadline.accounts import add_user, passwords
from threadline.cli.main import app
from threadline.errors import Forbidden
from threadline.model.security import system_actor
from threadline.notices import publish_notice
from threadline.storage.db import session_scope
from threadline.storage.tables import PersonRow


@pytest.fixture(autouse=True)
def cheap_hashing() -> Iterator[None]:
    passwords.configure(time_cost=1, memory_cost=8, parallelism=1)
    yield
    passwords.configure()


@pytest.fixture
def published(engine: Engine) -> str:
    with session_scope(engine) as session:
        world = build_notice_world(session)
        notice = draft(session, world)
        publish_notice(session, actor=world.analyst, ref=notice.ref)
        for username, agency, roles in (
            ("analyst2@norfolk", "norfolk", ["analyst"]),
            ("worker@norwich-housing", "norwich-housing", ["partner"]),
        ):
            add_user(
                session,
                actor=system_actor("ersou", "test"),
                username=username,
                display_name=username,
                agency_code=agency,
                roles=roles,
                clearance="OFFICIAL-SENSITIVE",
                password="correct horse battery staple",
            )
        return notice.ref


def _run(engine: Engine, *args: str) -> tuple[int, str]:
    db = engine.url.render_as_string(hide_password=False)
    if db.startswith("sqlite"):
        db = engine.url.database or ""
    result = CliRunner().invoke(app, ["--db", db, *args])
    return result.exit_code, result.output


def test_list_show_and_register(engine: Engine, published: str) -> None:
    code, out = _run(engine, "notice", "list", "--as", "analyst2@norfolk", "--json")
    assert code == 0, out
    assert [n["ref"] for n in json.loads(out)] == [published]
    code, out = _run(
        engine, "notice", "register", "--notice", published, "--as", "analyst2@norfolk", "--json"
    )
    assert code == 0, out
    recipients = {e["recipient"] for e in json.loads(out)["entries"]}
    assert "Frontline of Norwich" in recipients and "All police in the region" in recipients
    code, out = _run(engine, "notice", "show", published, "--as", "worker@norwich-housing")
    assert code != 0


def test_stats_sharing_json_and_plain_stats_still_work(engine: Engine, published: str) -> None:
    code, out = _run(engine, "stats", "sharing", "--json")
    assert code == 0, out
    figures = json.loads(out)
    assert figures["region"]["active_notices"] == 1
    assert figures["region"]["frontline_within_7_days"]["share"] == 1.0
    code, out = _run(engine, "stats", "--json")
    assert code == 0, out
    assert "entities" in json.loads(out)


def test_a_code_c_notice_restricted_at_the_console_is_not_published_to_a_partner(
    engine: Engine, published: str
) -> None:
    with session_scope(engine) as session:
        child = session.scalar(select(PersonRow.entity_id).where(PersonRow.family_name == "Smith"))
    code, out = _run(
        engine,
        "notice",
        "draft",
        "--as",
        "analyst2@norfolk",
        "--subject",
        str(child),
        "--title",
        "Police only",
        "--threat",
        "A threat.",
        "--action",
        "Act.",
        "--review",
        review_in().isoformat(),
        "--audience",
        "agency:norfolk-cads",
        "--grade",
        "1BC",
        "--conditions",
        "Police use only.",
        "--restricted-to",
        "police",
        "--json",
    )
    assert code == 0, out
    drafted = json.loads(out)
    assert drafted["restricted_to"] == ["police"]
    db = engine.url.render_as_string(hide_password=False)
    if db.startswith("sqlite"):
        db = engine.url.database or ""
    result = CliRunner().invoke(
        app, ["--db", db, "notice", "publish", drafted["ref"], "--as", "analyst2@norfolk"]
    )
    assert result.exit_code != 0 and isinstance(result.exception, Forbidden)
    assert "nothing was sent" in result.exception.detail
    assert "norfolk-cads" in result.exception.detail
