"""API tokens: shown once, stored hashed, refused once revoked, expired or disabled."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from tests.accounts.helpers import REGION_ADMIN, events, make_user
from threadline.accounts import (
    SignInRefused,
    actor_for,
    actor_for_token,
    create_token,
    disable_user,
    list_tokens,
    revoke_token,
)
from threadline.clock import utcnow
from threadline.errors import Forbidden, InvalidData
from threadline.storage.db import session_scope
from threadline.storage.tables import ApiTokenRow


def _token(engine: Engine, *, days: int = 90) -> str:
    with session_scope(engine) as session:
        make_user(session, roles=["analyst"], clearance="SECRET", unit="norfolk-fib")
        return create_token(
            session, actor=REGION_ADMIN, username="jsmith@norfolk", label="export", days=days
        )


def test_a_new_token_acts_as_its_user_and_only_its_hash_is_stored(engine: Engine) -> None:
    secret = _token(engine)
    assert secret.startswith("tl_") and len(secret) > 40
    with session_scope(engine) as session:
        row = session.scalars(select(ApiTokenRow)).one()
        assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert secret not in (row.token_hash, row.label)
        assert row.last_used_at is None
        actor = actor_for_token(session, secret)
    assert actor.username == "jsmith@norfolk"
    assert actor.unit == "norfolk-fib"
    with session_scope(engine) as session:
        assert session.scalars(select(ApiTokenRow.last_used_at)).one() is not None
        (created,) = events(session, "token.created")
    assert created["details"]["label"] == "export"
    assert secret not in str(created)


def test_a_revoked_token_is_refused(engine: Engine) -> None:
    secret = _token(engine)
    with session_scope(engine) as session:
        (info,) = list_tokens(session, actor=REGION_ADMIN, username="jsmith@norfolk")
        revoked = revoke_token(session, actor=REGION_ADMIN, token_id=info.id)
        assert revoked.status(utcnow()) == "revoked"
    with session_scope(engine) as session, pytest.raises(SignInRefused, match="revoked"):
        actor_for_token(session, secret)
    with session_scope(engine) as session:
        assert [e["action"] for e in events(session, "token.revoked")] == ["alteration"]


def test_an_expired_token_is_refused(engine: Engine) -> None:
    secret = _token(engine, days=1)
    with session_scope(engine) as session:
        actor_for_token(session, secret, now=utcnow() + timedelta(hours=23))
        with pytest.raises(SignInRefused):
            actor_for_token(session, secret, now=utcnow() + timedelta(days=1, minutes=1))


def test_a_disabled_users_tokens_are_refused(engine: Engine) -> None:
    secret = _token(engine)
    with session_scope(engine) as session:
        disable_user(session, actor=REGION_ADMIN, username="jsmith@norfolk")
    with session_scope(engine) as session, pytest.raises(SignInRefused):
        actor_for_token(session, secret)


@pytest.mark.parametrize("guess", ["", "tl_", "tl_not-a-real-token", "Bearer something"])
def test_made_up_tokens_are_refused(engine: Engine, guess: str) -> None:
    _token(engine)
    with session_scope(engine) as session, pytest.raises(SignInRefused):
        actor_for_token(session, guess)


def test_users_may_make_their_own_tokens_but_not_other_peoples(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_user(session, "a@norfolk")
        make_user(session, "b@norfolk")
        me = actor_for(session, "a@norfolk")
        mine = create_token(session, actor=me, username="a@norfolk", label="laptop")
        assert actor_for_token(session, mine).username == "a@norfolk"
        with pytest.raises(Forbidden, match="only the user"):
            create_token(session, actor=me, username="b@norfolk")


def test_token_lifetimes_are_bounded(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_user(session)
        for days in (0, 367):
            with pytest.raises(InvalidData, match="days"):
                create_token(session, actor=REGION_ADMIN, username="jsmith@norfolk", days=days)
