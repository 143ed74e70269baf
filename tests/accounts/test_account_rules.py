"""Account administration is decided by policy; `users unlock` at the console.

The rules themselves live in `threadline.policy.accounts`; these tests check that the
services ask them (separation of duties, clearance ceilings, roles by organisation kind)
and that pages get what the viewer may do from the service.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from tests.accounts.helpers import PASSWORD, events, login, make_user
from threadline.accounts import SignInRefused, actor_for, authenticate, set_clearance, set_roles
from threadline.accounts.lookup import get_user
from threadline.cli.main import app
from threadline.errors import Forbidden, InvalidData
from threadline.model.enums import AgencyKind
from threadline.model.security import Role
from threadline.policy.accounts import role_problems
from threadline.storage.db import make_engine, session_scope


def test_roles_are_checked_against_the_kind_of_organisation() -> None:
    (problem,) = role_problems({Role.ANALYST}, kind=AgencyKind.CHILDRENS_SERVICES, agency_code="x")
    assert "partner, dpo, admin" in problem.expected
    (problem,) = role_problems({Role.PARTNER}, kind=AgencyKind.FORCE, agency_code="norfolk")
    assert "only for partner agencies" in problem.expected
    assert role_problems({Role.PRISON_INTEL}, kind=AgencyKind.PRISON, agency_code="p") == []


def test_a_force_admin_grants_no_clearance_above_their_own(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_user(session, "admin@norfolk", roles=["admin"], clearance="OFFICIAL-SENSITIVE")
        make_user(session, "officer@norfolk", clearance="OFFICIAL")
        admin = actor_for(session, "admin@norfolk")
        with pytest.raises(Forbidden, match="above their own"):
            set_clearance(session, actor=admin, username="officer@norfolk", clearance="SECRET")
        with pytest.raises(InvalidData, match="partner"):
            set_roles(session, actor=admin, username="officer@norfolk", roles=["partner"])


def test_the_account_page_offers_only_what_policy_allows(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_user(session, "admin@norfolk", roles=["admin"], clearance="SECRET")
        make_user(session, "dpo@norfolk", roles=["dpo"], clearance="SECRET")
        make_user(session, "officer@norfolk")
        admin = actor_for(session, "admin@norfolk")
        dpo = actor_for(session, "dpo@norfolk")
        other = get_user(session, actor=admin, username="officer@norfolk")
        own = get_user(session, actor=admin, username="admin@norfolk")
        seen_by_dpo = get_user(session, actor=dpo, username="officer@norfolk")
    assert other.allowed == {"administer", "update", "unlock"} and not other.note
    assert own.allowed == {"update", "unlock"}
    assert own.note.startswith("This is your own account")
    assert seen_by_dpo.allowed == frozenset()


def test_users_unlock_at_the_console_is_audited(database_url: str) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["--db", database_url, "init"]).exit_code == 0
    engine = make_engine(database_url)
    try:
        with session_scope(engine) as session:
            make_user(session)
        for _ in range(6):
            with session_scope(engine) as session, pytest.raises(SignInRefused):
                authenticate(session, username="jsmith@norfolk", password="wrong guess")
        with session_scope(engine) as session, pytest.raises(SignInRefused, match="too many"):
            login(session, "jsmith@norfolk")
        result = runner.invoke(app, ["--db", database_url, "users", "unlock", "jsmith@norfolk"])
        assert result.exit_code == 0, result.output
        assert "lifted" in result.stdout
        with session_scope(engine) as session:
            assert login(session, "jsmith@norfolk", PASSWORD).username == "jsmith@norfolk"
            (unlocked,) = events(session, "user.unlocked")
        assert unlocked["actor"] == "system:console"
    finally:
        engine.dispose()
