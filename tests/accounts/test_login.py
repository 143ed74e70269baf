"""Signing in: one message for every failure, throttling per address, unlocking, actors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from tests.accounts.helpers import PASSWORD, REGION_ADMIN, events, login, make_user
from threadline.accounts import (
    NOT_RECOGNISED,
    LoginPolicy,
    SignInRefused,
    actor_for,
    authenticate,
    disable_user,
    passwords,
    reset_password,
    unlock_user,
)
from threadline.clock import utcnow
from threadline.errors import Forbidden, NotFound
from threadline.model.enums import AgencyKind, Marking
from threadline.model.security import Role
from threadline.storage.db import session_scope
from threadline.storage.tables import UserRow

STRANGER = "203.0.113.7"  # documentation addresses (RFC 5737)
OWNER = "198.51.100.20"


def _refusal(engine: Engine, username: str, password: str, **kwargs: object) -> str:
    with session_scope(engine) as session, pytest.raises(SignInRefused) as exc:
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


def test_failures_from_one_address_pause_only_that_address(engine: Engine) -> None:
    """Finding 5: wrong passwords from a stranger never lock the owner out elsewhere."""
    with session_scope(engine) as session:
        make_user(session)
    start = utcnow()
    for attempt in range(4):
        message = _refusal(engine, "jsmith@norfolk", "wrong guess", source=STRANGER, now=start)
        assert message == NOT_RECOGNISED, attempt
    fifth = _refusal(engine, "jsmith@norfolk", "wrong guess", source=STRANGER, now=start)
    assert "too many failed sign-in attempts" in fifth
    assert f"{start + timedelta(seconds=30):%H:%M:%S} UTC" in fifth
    # From the stranger's address even the right password waits...
    paused = _refusal(engine, "jsmith@norfolk", PASSWORD, source=STRANGER, now=start)
    assert "too many failed sign-in attempts" in paused
    # ...while the owner signs in from their own address at once.
    with session_scope(engine) as session:
        actor = authenticate(
            session, username="jsmith@norfolk", password=PASSWORD, source=OWNER, now=start
        )
        assert actor.username == "jsmith@norfolk"
        (throttled,) = events(session, "login.throttled")
        failed = events(session, "login.failed")
    assert throttled["details"]["source"] == STRANGER
    assert throttled["details"]["failures"] == 5
    assert [e["details"]["reason"] for e in failed] == ["wrong password"] * 5 + ["throttled"]
    assert {e["details"]["source"] for e in failed} == {STRANGER}


def test_an_unknown_username_is_answered_exactly_like_a_real_one(engine: Engine) -> None:
    """No message, count or delay tells a guesser whether an account exists."""
    with session_scope(engine) as session:
        make_user(session)
    start = utcnow()

    def answers(username: str) -> list[str]:
        return [
            _refusal(engine, username, "wrong guess", source=STRANGER, now=start) for _ in range(7)
        ]

    assert answers("jsmith@norfolk") == answers("nobody@norfolk")
    with session_scope(engine) as session:
        unknown = [e for e in events(session, "login.failed") if e["actor"] == "system:login"]
    assert {e["details"]["username"] for e in unknown} == {"nobody@norfolk"}


def test_delays_double_with_each_further_failure(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_user(session)
    start = utcnow()
    for _ in range(5):
        _refusal(engine, "jsmith@norfolk", "wrong guess", source=STRANGER, now=start)
    # The first delay is 30 seconds; a wrong guess after it doubles the next to 60...
    later = start + timedelta(seconds=31)
    sixth = _refusal(engine, "jsmith@norfolk", "wrong guess", source=STRANGER, now=later)
    assert f"{later + timedelta(seconds=60):%H:%M:%S} UTC" in sixth
    # ...and the right password works from there once the delay is over.
    with session_scope(engine) as session:
        done = later + timedelta(seconds=61)
        authenticate(
            session, username="jsmith@norfolk", password=PASSWORD, source=STRANGER, now=done
        )


def test_the_count_restarts_after_a_successful_sign_in(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_user(session)
    for _ in range(4):
        _refusal(engine, "jsmith@norfolk", "wrong guess number x")
    with session_scope(engine) as session:
        login(session, "jsmith@norfolk")
    for _ in range(4):
        assert _refusal(engine, "jsmith@norfolk", "wrong guess number x") == NOT_RECOGNISED


def test_the_login_policy_is_configurable(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_user(session)
    strict = LoginPolicy(free_failures=2, first_delay=timedelta(hours=1))
    _refusal(engine, "jsmith@norfolk", "wrong guess number x", policy=strict)
    assert "too many" in _refusal(engine, "jsmith@norfolk", "wrong guess", policy=strict)


def test_an_administrator_unlocks_and_it_is_logged(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_user(session)
        make_user(session, "analyst@norfolk", roles=["analyst"])
        make_user(session, "admin@suffolk", roles=["admin"])
    for _ in range(6):
        _refusal(engine, "jsmith@norfolk", "wrong guess", source=STRANGER)
    with session_scope(engine) as session:
        for who in ("analyst@norfolk", "admin@suffolk"):
            with pytest.raises(Forbidden):
                unlock_user(session, actor=actor_for(session, who), username="jsmith@norfolk")
        account = unlock_user(session, actor=REGION_ADMIN, username="jsmith@norfolk")
        assert account.locked_until is None
    with session_scope(engine) as session:
        login(session, "jsmith@norfolk")  # from the same address as the guesses
        (unlocked,) = events(session, "user.unlocked")
    assert unlocked["actor"] == REGION_ADMIN.username
    assert unlocked["action"] == "alteration"


def test_an_administrator_reset_lifts_the_pauses(engine: Engine) -> None:
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
        with pytest.raises(SignInRefused, match="disabled"):
            actor_for(session, user.id)
