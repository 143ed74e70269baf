"""Adding and changing user accounts: rules, permissions and the audit trail."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from tests.accounts.helpers import PASSWORD, REGION_ADMIN, events, make_partners, make_user
from threadline.accounts import (
    actor_for,
    disable_user,
    list_users,
    reset_password,
    set_clearance,
    set_home_areas,
    set_roles,
)
from threadline.accounts.passwords import verify_password
from threadline.errors import Conflict, Forbidden, InvalidData
from threadline.model.enums import Marking
from threadline.model.security import Role
from threadline.storage.db import session_scope
from threadline.storage.tables import AuditEventRow, UserRow


def _problems(exc: pytest.ExceptionInfo[InvalidData]) -> dict[str, str]:
    return {error.location: error.expected for error in exc.value.errors}


def test_password_is_stored_only_as_an_argon2_hash(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_user(session)
    with session_scope(engine) as session:
        row = session.scalars(select(UserRow)).one()
        assert row.password_hash.startswith("$argon2id$")
        assert PASSWORD not in row.password_hash
        assert verify_password(row.password_hash, PASSWORD)
        assert not verify_password(row.password_hash, PASSWORD + "x")


def test_adding_a_user_is_audited_as_a_collection_without_the_password(engine: Engine) -> None:
    with session_scope(engine) as session:
        user = make_user(session, home_areas=["norwich"])
    with session_scope(engine) as session:
        (added,) = events(session, "user.added")
        raw = session.scalars(select(AuditEventRow.details)).all()
    assert added["action"] == "collection"
    assert added["actor"] == REGION_ADMIN.username
    assert added["details"]["username"] == user.username == "jsmith@norfolk"
    assert added["details"]["home_areas"] == "norwich"
    assert not any(PASSWORD in details or "$argon2" in details for details in raw)


def test_usernames_are_case_insensitive_and_tied_to_the_organisation(engine: Engine) -> None:
    with session_scope(engine) as session:
        user = make_user(session, " J.Smith@Norfolk ", agency="norfolk")
        assert user.username == "j.smith@norfolk"
        emailish = make_user(session, "jo.smith@norfolk.police.example", agency="norfolk")
        assert emailish.username == "jo.smith@norfolk.police.example"
        with pytest.raises(InvalidData) as wrong_org:
            make_user(session, "bob@suffolk", agency="norfolk")
        assert "@norfolk" in _problems(wrong_org)["username"]
        with pytest.raises(InvalidData) as no_at:
            make_user(session, "bob smith", agency="norfolk")
        assert "username" in _problems(no_at)


def test_a_taken_username_is_a_conflict(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_user(session)
        with pytest.raises(Conflict, match="taken"):
            make_user(session)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short pass", "at least 12 characters"),
        ("jsmith@norfolk", "other than the username"),
        ("JSmith@Norfolk", "other than the username"),
        ("password1234", "commonly used"),
        ("aaaaaaaaaaaaaaaa", "different characters"),
    ],
)
def test_password_policy_refuses_weak_passwords(engine: Engine, password: str, reason: str) -> None:
    with session_scope(engine) as session, pytest.raises(InvalidData) as exc:
        make_user(session, password=password)
    message = _problems(exc)["password"]
    assert reason in message
    assert password not in str(exc.value)  # a password is never echoed back


def test_partner_agency_users_hold_only_partner_dpo_or_admin(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_partners(session)
        make_user(session, "worker@norfolk-cads", roles=["partner"], clearance="OFFICIAL")
        with pytest.raises(InvalidData) as exc:
            make_user(session, "sneaky@norfolk-cads", roles=["partner", "analyst"])
        assert "partner, dpo, admin" in _problems(exc)["roles"]


def test_partner_role_is_refused_in_police_and_prisons(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_partners(session)
        with pytest.raises(InvalidData) as in_force:
            make_user(session, "p@norfolk", roles=["partner"])
        assert "only for partner agencies" in _problems(in_force)["roles"]
        with pytest.raises(InvalidData) as in_prison:
            make_user(session, "p@hmp-norwich", roles=["partner"])
        assert "only for partner agencies" in _problems(in_prison)["roles"]


def test_prison_users_are_prison_intelligence_officers(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_partners(session)
        user = make_user(session, "jo@hmp-norwich", roles=["prison"])
        assert user.roles == {Role.PRISON_INTEL}
        with pytest.raises(InvalidData) as police_role:
            make_user(session, "al@hmp-norwich", roles=["analyst"])
        assert "analyst" in str(police_role.value)
        with pytest.raises(InvalidData) as in_force:
            make_user(session, "pio@norfolk", roles=["prison_intel"])
        assert "only for prison staff" in _problems(in_force)["roles"]


def test_top_secret_is_not_issued_and_unknown_clearances_are_refused(engine: Engine) -> None:
    with session_scope(engine) as session:
        with pytest.raises(InvalidData) as top:
            make_user(session, clearance="TOP SECRET")
        assert "TOP SECRET is not issued" in _problems(top)["clearance"]
        with pytest.raises(InvalidData):
            make_user(session, clearance="restricted")
        assert make_user(session, clearance="official sensitive").clearance is (
            Marking.OFFICIAL_SENSITIVE
        )


def test_home_areas_must_be_real_areas_of_the_users_own_force_or_county(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_partners(session)
        officer = make_user(session, home_areas=["norwich", "broadland"])
        assert officer.home_areas == ("norwich", "broadland")
        with pytest.raises(InvalidData) as other_force:
            make_user(session, "b@norfolk", home_areas=["luton"])
        assert "an area of norfolk" in _problems(other_force)["home_areas"]
        with pytest.raises(InvalidData) as invented:
            make_user(session, "c@norfolk", home_areas=["atlantis"])
        assert "home_areas" in _problems(invented)
        partner = make_user(
            session,
            "w@norfolk-cads",
            roles=["partner"],
            clearance="OFFICIAL",
            home_areas=["norwich"],
        )
        assert partner.home_areas == ("norwich",)
        with pytest.raises(InvalidData):
            make_user(session, "x@norfolk-cads", roles=["partner"], home_areas=["ipswich"])
        regional = make_user(session, "r@ersou", roles=["analyst"], home_areas=["luton", "norwich"])
        assert regional.home_areas == ("luton", "norwich")


def test_a_unit_belongs_to_the_users_organisation(engine: Engine) -> None:
    with session_scope(engine) as session:
        assert make_user(session, unit="norfolk-fib", roles=["analyst"]).unit == "norfolk-fib"
        with pytest.raises(InvalidData) as exc:
            make_user(session, "spy@suffolk", roles=["analyst"], unit="norfolk-fib")
        assert "starting 'suffolk-'" in _problems(exc)["unit"]


def test_a_bad_request_reports_every_problem_and_writes_nothing(engine: Engine) -> None:
    with session_scope(engine) as session, pytest.raises(InvalidData) as exc:
        make_user(
            session,
            "Not A Name",
            agency="norfolk",
            roles=["wizard"],
            clearance="TOP SECRET",
            home_areas=["luton"],
            password="short",
        )
    assert set(_problems(exc)) == {"username", "roles", "clearance", "home_areas", "password"}
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(UserRow)) == 0
        assert events(session) == []


def test_only_administrators_may_add_users(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_user(session, "analyst@norfolk", roles=["analyst"], clearance="SECRET")
        make_user(session, "admin@norfolk", roles=["admin"], clearance="OFFICIAL-SENSITIVE")
        analyst = actor_for(session, "analyst@norfolk")
        force_admin = actor_for(session, "admin@norfolk")
        with pytest.raises(Forbidden, match="admin role"):
            make_user(session, "new@norfolk", actor=analyst)
        # An organisation's administrator manages its own users, and no one else's...
        assert make_user(session, "new@norfolk", actor=force_admin).agency_code == "norfolk"
        with pytest.raises(Forbidden, match="suffolk"):
            make_user(session, "new@suffolk", actor=force_admin)
        # ...and never grants a clearance above their own.
        with pytest.raises(Forbidden, match="above their own"):
            make_user(session, "top@norfolk", clearance="SECRET", actor=force_admin)


def test_changing_roles_and_clearance_is_checked_and_audited(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_user(session)
        user = set_roles(
            session, actor=REGION_ADMIN, username="jsmith@norfolk", roles=["analyst", "lro"]
        )
        assert user.roles == {Role.ANALYST, Role.LRO}
        user = set_clearance(
            session, actor=REGION_ADMIN, username="jsmith@norfolk", clearance="SECRET"
        )
        assert user.clearance is Marking.SECRET
        with pytest.raises(InvalidData, match="partner"):
            set_roles(session, actor=REGION_ADMIN, username="jsmith@norfolk", roles=["partner"])
        user = set_home_areas(
            session, actor=REGION_ADMIN, username="jsmith@norfolk", home_areas=["norwich"]
        )
        assert user.home_areas == ("norwich",)
    with session_scope(engine) as session:
        roles = events(session, "user.roles_changed")
        clearance = events(session, "user.clearance_changed")
        areas = events(session, "user.areas_changed")
    assert [e["details"]["after"] for e in roles] == ["analyst,lro"]
    assert roles[0]["details"]["before"] == "frontline"
    assert roles[0]["action"] == "alteration"
    assert clearance[0]["details"] == {
        "user_id": user.id,
        "username": "jsmith@norfolk",
        "agency": "norfolk",
        "before": "OFFICIAL-SENSITIVE",
        "after": "SECRET",
    }
    assert areas[0]["details"]["after"] == "norwich"


def test_administrators_do_not_change_their_own_access(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_user(session, "admin@norfolk", roles=["admin"], clearance="SECRET")
        me = actor_for(session, "admin@norfolk")
        with pytest.raises(Forbidden, match="your own account"):
            set_roles(session, actor=me, username="admin@norfolk", roles=["admin", "analyst"])
        with pytest.raises(Forbidden, match="your own account"):
            disable_user(session, actor=me, username="admin@norfolk")


def test_disabled_users_drop_out_of_the_list_and_disabling_is_audited(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_user(session, "a@norfolk")
        make_user(session, "b@norfolk")
        disable_user(session, actor=REGION_ADMIN, username="b@norfolk", reason="left the force")
        disable_user(session, actor=REGION_ADMIN, username="b@norfolk")  # no second event
        listed = list_users(session, actor=REGION_ADMIN, agency="norfolk")
        everyone = list_users(session, actor=REGION_ADMIN, include_disabled=True)
    assert [u.username for u in listed] == ["a@norfolk"]
    assert [(u.username, u.disabled) for u in everyone] == [
        ("a@norfolk", False),
        ("b@norfolk", True),
    ]
    with session_scope(engine) as session:
        (disabled,) = events(session, "user.disabled")
        listings = events(session, "user.listed")
    assert disabled["details"]["reason"] == "left the force"
    assert [e["action"] for e in listings] == ["consultation", "consultation"]


def test_users_are_listed_only_for_their_administrators_and_dpo(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_user(session, "dpo@norfolk", roles=["dpo"], clearance="SECRET")
        make_user(session, "officer@norfolk")
        make_user(session, "officer@suffolk")
        dpo = actor_for(session, "dpo@norfolk")
        officer = actor_for(session, "officer@norfolk")
        names = [u.username for u in list_users(session, actor=dpo, agency="norfolk")]
        assert names == ["dpo@norfolk", "officer@norfolk"]
        with pytest.raises(Forbidden, match="--org norfolk"):
            list_users(session, actor=dpo)
        with pytest.raises(Forbidden):
            list_users(session, actor=dpo, agency="suffolk")
        with pytest.raises(Forbidden):
            list_users(session, actor=officer, agency="norfolk")


def test_reset_password_applies_the_policy_and_replaces_the_hash(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_user(session)
        with pytest.raises(InvalidData):
            reset_password(session, actor=REGION_ADMIN, username="jsmith@norfolk", password="x")
        reset_password(
            session,
            actor=REGION_ADMIN,
            username="jsmith@norfolk",
            password="a brand new passphrase",
        )
        row = session.scalars(select(UserRow)).one()
        assert verify_password(row.password_hash, "a brand new passphrase")
        assert not verify_password(row.password_hash, PASSWORD)
        assert [e["action"] for e in events(session, "user.password_reset")] == ["alteration"]
