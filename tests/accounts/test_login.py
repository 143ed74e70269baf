"""Signing in: one message for every failure, lockout and release, rehashing, actors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from tests.accounts.helpers import PASSWORD, REGION_ADMIN, events, login, make_user
from threadline.accounts import (
    NOT_RECOGNISED,
    LoginPolicy,
    actor_for,
    authenticate,
    disable_user,
    passwords,
    reset_password,
)
from threadline.errors import Forbidden, NotFound
from threadline.model.enums import AgencyKind, Marking
from threadline.model.security import Role
from threadline.storage.db import session_scope
from threadline.storage.reference import utcnow
from threadline.storage.tables import UserRow


def _refusal(engine: Engine, username: str, password: str, **kwargs: object) -> str:
    with session_scope(engine) as session, pytest.raises(Forbidden) as exc:
        authenticate(session, username=username, password=password, **kwargs)  # type: ignore[arg-type]
    return exc.value.detail


def test_signing_in_gives_the_users_actor_and_records_the_time(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_user(
            session,
            "analyst@norfolk",
            roles=["analyst", "lro"],
            clearance="SECRET",
            unit="norfolk-fib",
            home_areas=["norwich"],
        )
    with session_scope(engine) as session:
        actor = login(session, "Analyst@Norfolk")
    assert actor.username == "analyst@norfolk"
    assert (actor.agency_code, actor.agency_kind, actor.county) == (
        "norfolk",
        AgencyKind.FORCE,
        "norfolk",
    )
    assert actor.roles == {Role.ANALYST, Role.LRO}
    assert actor.clearance is Marking.SECRET
    assert actor.unit == "norfolk-fib"
    assert actor.home_areas == {"norwich"}
    with session_scope(engine) as session:
        row = session.scalars(select(UserRow)).one()
        assert row.last_login_at is not None
        (signed_in,) = events(session, "login.succeeded")
    assert signed_in["actor"] == "analyst@norfolk"


def test_wrong_password_unknown_user_and_disabled_user_get_the_same_message(
    engine: Engine,
) -> None:
    with session_scope(engine) as session:
        make_user(session, "a@norfolk")
        make_user(session, "gone@norfolk")
        disable_user(session, actor=REGION_ADMIN, username="gone@norfolk")
    wrong = _refusal(engine, "a@norfolk", "not the password at all")
    unknown = _refusal(engine, "nobody@norfolk", PASSWORD)
    disabled = _refusal(engine, "gone@norfolk", PASSWORD)
    assert wrong == unknown == disabled == NOT_RECOGNISED
    with session_scope(engine) as session:
        failures = events(session, "login.failed")
    assert [(e["details"]["username"], e["details"]["reason"]) for e in failures] == [
        ("a@norfolk", "wrong password"),
        ("nobody@norfolk", "unknown username"),
        ("gone@norfolk", "account disabled"),
    ]
    assert [e["action"] for e in failures] == ["alteration", "consultation", "alteration"]


def test_a_password_typed_into_the_username_box_is_not_logged(engine: Engine) -> None:
    _refusal(engine, "hunter2 my secret", PASSWORD)
    with session_scope(engine) as session:
        (failure,) = events(session, "login.failed")
    assert failure["details"]["username"] == "(not a valid username)"


def test_five_failures_lock_the_account_for_fifteen_minutes(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_user(session)
    start = utcnow()
    for attempt in range(4):
        message = _refusal(engine, "jsmith@norfolk", "wrong guess number x", now=start)
        assert message == NOT_RECOGNISED, attempt
    fifth = _refusal(engine, "jsmith@norfolk", "wrong guess number x", now=start)
    until = start + timedelta(minutes=15)
    assert "locked until" in fifth
    assert f"{until:%H:%M} UTC" in fifth
    # The right password does not help while locked...
    later = _refusal(engine, "jsmith@norfolk", PASSWORD, now=start + timedelta(minutes=14))
    assert later == fifth
    # ...and works once the 15 minutes have passed.
    with session_scope(engine) as session:
        actor = authenticate(
            session, username="jsmith@norfolk", password=PASSWORD, now=until + timedelta(seconds=1)
        )
        assert actor.username == "jsmith@norfolk"
        (locked,) = events(session, "user.locked")
    assert locked["action"] == "alteration"
    assert locked["details"]["failures"] == 5


def test_the_count_restarts_after_a_successful_sign_in(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_user(session)
    for _ in range(4):
        _refusal(engine, "jsmith@norfolk", "wrong guess number x")
    with session_scope(engine) as session:
        login(session, "jsmith@norfolk")
    for _ in range(4):
        assert _refusal(engine, "jsmith@norfolk", "wrong guess number x") == NOT_RECOGNISED
    with session_scope(engine) as session:
        assert session.scalars(select(UserRow.locked_until)).one() is None


def test_the_login_policy_is_configurable(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_user(session)
    strict = LoginPolicy(max_failures=2, lockout=timedelta(hours=1))
    _refusal(engine, "jsmith@norfolk", "wrong guess number x", policy=strict)
    assert "locked until" in _refusal(engine, "jsmith@norfolk", "wrong guess", policy=strict)


def test_an_administrator_reset_releases_a_lockout(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_user(session)
    for _ in range(5):
        _refusal(engine, "jsmith@norfolk", "wrong guess number x")
    with session_scope(engine) as session:
        reset_password(
            session, actor=REGION_ADMIN, username="jsmith@norfolk", password="a fresh passphrase"
        )
    with session_scope(engine) as session:
        assert login(session, "jsmith@norfolk", "a fresh passphrase").username == "jsmith@norfolk"


def test_a_hash_made_with_old_parameters_is_upgraded_at_sign_in(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_user(session)
    passwords.configure(time_cost=2, memory_cost=16, parallelism=1)
    with session_scope(engine) as session:
        login(session, "jsmith@norfolk")
    with session_scope(engine) as session:
        stored = session.scalars(select(UserRow.password_hash)).one()
        (signed_in,) = events(session, "login.succeeded")
    assert "m=16,t=2,p=1" in stored
    assert passwords.verify_password(stored, PASSWORD)
    assert signed_in["details"]["rehashed"] is True


def test_actor_for_finds_users_by_id_or_name_and_refuses_disabled_ones(engine: Engine) -> None:
    with session_scope(engine) as session:
        user = make_user(session, clearance="OFFICIAL")
        assert actor_for(session, user.id) == actor_for(session, "jsmith@norfolk")
        assert actor_for(session, user.id).clearance is Marking.OFFICIAL
        with pytest.raises(NotFound):
            actor_for(session, "nobody@norfolk")
        disable_user(session, actor=REGION_ADMIN, username="jsmith@norfolk")
        with pytest.raises(Forbidden, match="disabled"):
            actor_for(session, user.id)
