"""Demo users: the usernames the demo promises, with sensible access, created once."""

from __future__ import annotations

from sqlalchemy import Engine, select

from tests.accounts.helpers import events, make_partners
from threadline.accounts import authenticate, list_users
from threadline.demo.accounts import create_demo_users
from threadline.model.enums import Marking
from threadline.model.security import Role, system_actor
from threadline.storage.db import session_scope
from threadline.storage.tables import UserRow

DEMO_PASSWORD = "threadline-demo"


def test_demo_users_exist_for_every_organisation_with_the_promised_names(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_partners(session)
        created = create_demo_users(session, password=DEMO_PASSWORD)
    assert {
        "officer@norfolk",
        "analyst@norfolk",
        "lro@norfolk",
        "supervisor@norfolk",
        "dpo@norfolk",
        "prison@hmp-norwich",
        "partner@norfolk-cads",
        "dpo@norfolk-cads",
        "admin@ersou",
        "analyst@ersou",
        "officer@suffolk",
    } <= set(created)
    assert "admin@norfolk" not in created
    with session_scope(engine) as session:
        users = {u.username: u for u in list_users(session, actor=system_actor())}
        hashes = set(session.scalars(select(UserRow.password_hash)))
        collected = events(session, "user.added")
    officer = users["officer@norfolk"]
    assert "norwich" in officer.home_areas and 2 <= len(officer.home_areas) <= 3
    assert officer.clearance is Marking.OFFICIAL_SENSITIVE and officer.unit is None
    assert users["analyst@norfolk"].clearance is Marking.SECRET
    assert users["analyst@norfolk"].unit == "norfolk-fib"
    assert users["lro@ersou"].unit == "ersou-riu"
    assert users["admin@ersou"].roles == {Role.ADMIN}
    assert users["partner@norfolk-cads"].roles == {Role.PARTNER}
    assert users["partner@norfolk-cads"].clearance is Marking.OFFICIAL_SENSITIVE
    assert users["prison@hmp-norwich"].roles == {Role.PRISON_INTEL}
    assert users["prison@hmp-norwich"].clearance is Marking.OFFICIAL_SENSITIVE
    assert all(u.display_name and "@" not in u.display_name for u in users.values())
    assert len(hashes) == 1  # hashed once, shared
    assert len(collected) == len(created)


def test_demo_users_sign_in_with_the_demo_password(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_partners(session)
        create_demo_users(session, password=DEMO_PASSWORD)
    with session_scope(engine) as session:
        for username in ("admin@ersou", "partner@norfolk-cads", "prison@hmp-norwich"):
            actor = authenticate(session, username=username, password=DEMO_PASSWORD)
            assert actor.username == username


def test_creating_demo_users_again_changes_nothing(engine: Engine) -> None:
    with session_scope(engine) as session:
        first = create_demo_users(session, password=DEMO_PASSWORD)
    with session_scope(engine) as session:
        make_partners(session)
        second = create_demo_users(session, password=DEMO_PASSWORD)
    assert first and set(first).isdisjoint(second)
    assert set(second) == {"prison@hmp-norwich", "partner@norfolk-cads", "dpo@norfolk-cads"}
