"""Finding 5: sign-in is throttled per username and address, never locked for everyone.

Through the real sign-in form: a stranger's wrong passwords delay only the stranger's
address; the owner signs in from elsewhere with the right password; an unknown username
is answered word for word like a real one; an administrator lifts the delay, audited.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import OFFICER, PASSWORD, Site, csrf_token, sign_in
from threadline.accounts import add_user
from threadline.model.security import system_actor
from threadline.settings import Settings
from threadline.storage.db import session_scope
from threadline.storage.tables import AuditEventRow
from threadline.web import create_app

STRANGER = ("203.0.113.7", 40000)
OWNER = ("198.51.100.20", 40000)
ADMIN = "admin@ersou"
ADMIN_PASSWORD = "a long passphrase for the admin"


@pytest.fixture
def app_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"sign_in_first_delay_seconds": 600})


def client_from(site: Site, settings: Settings, address: tuple[str, int]) -> TestClient:
    app = create_app(settings, site.engine)
    return TestClient(app, base_url="https://testserver", follow_redirects=False, client=address)


@pytest.fixture
def stranger(site: Site, app_settings: Settings) -> Iterator[TestClient]:
    with client_from(site, app_settings, STRANGER) as client:
        yield client


@pytest.fixture
def owner(site: Site, app_settings: Settings) -> Iterator[TestClient]:
    with client_from(site, app_settings, OWNER) as client:
        yield client


def error_text(html: str) -> str:
    found = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.S)
    assert found, "no error summary"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", found[1])).split())


def test_a_strangers_guesses_do_not_lock_the_owner_out(
    stranger: TestClient, owner: TestClient
) -> None:
    answers = [error_text(sign_in(stranger, OFFICER, "wrong guess")) for _ in range(6)]
    assert "Too many failed sign-in attempts" not in answers[0]
    assert "Too many failed sign-in attempts" in answers[-1]
    # The right password from the stranger's address waits too...
    assert "Too many failed sign-in attempts" in error_text(sign_in(stranger, OFFICER))
    # ...but the owner, from their own address, signs in at once.
    assert sign_in(owner, OFFICER, PASSWORD) == "/check"


def test_unknown_usernames_get_the_same_answers(stranger: TestClient) -> None:
    real = [error_text(sign_in(stranger, OFFICER, "wrong guess")) for _ in range(7)]
    made_up = [error_text(sign_in(stranger, "nobody@suffolk", "wrong guess")) for _ in range(7)]
    times = re.compile(r"\d\d:\d\d:\d\d")
    assert [times.sub("T", a) for a in real] == [times.sub("T", a) for a in made_up]


def test_an_administrator_lifts_the_pause_and_it_is_logged(
    site: Site, stranger: TestClient, owner: TestClient
) -> None:
    with session_scope(site.engine) as session:
        add_user(
            session,
            actor=system_actor("ersou", "test"),
            username=ADMIN,
            display_name="Region Admin",
            agency_code="ersou",
            roles=["admin"],
            clearance="SECRET",
            password=ADMIN_PASSWORD,
        )
    for _ in range(6):
        sign_in(stranger, OFFICER, "wrong guess")
    assert sign_in(owner, ADMIN, ADMIN_PASSWORD) == "/check"
    page = owner.get(f"/admin/users/{OFFICER}").text
    assert "Sign-in paused until" in page
    reply = owner.post(f"/admin/users/{OFFICER}/unlock", data={"csrf_token": csrf_token(page)})
    assert reply.status_code == 303
    assert "Sign-in paused" not in owner.get(f"/admin/users/{OFFICER}").text
    assert sign_in(stranger, OFFICER, PASSWORD) == "/check"
    with session_scope(site.engine) as session:
        logged = session.execute(
            select(AuditEventRow.actor, AuditEventRow.event).where(
                AuditEventRow.event.in_(["user.unlocked", "login.throttled"])
            )
        ).all()
        failures = session.scalars(
            select(AuditEventRow.details).where(AuditEventRow.event == "login.failed")
        ).all()
    assert (ADMIN, "user.unlocked") in logged
    assert (OFFICER, "login.throttled") in logged
    assert len(failures) == 6 and all(STRANGER[0] in details for details in failures)


def test_only_the_accounts_managers_may_lift_a_pause(
    site: Site, stranger: TestClient, owner: TestClient
) -> None:
    for _ in range(6):
        sign_in(stranger, OFFICER, "wrong guess")
    assert sign_in(owner, OFFICER, PASSWORD) == "/check"
    token = csrf_token(owner.get("/check").text)
    reply = owner.post(f"/admin/users/{OFFICER}/unlock", data={"csrf_token": token})
    assert reply.status_code == 403
    assert "Too many failed sign-in attempts" in error_text(sign_in(stranger, OFFICER))
