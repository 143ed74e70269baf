"""Finding 4: ending a session ends it everywhere, at once, for every copy of its cookie.

Each test copies the officer's session cookie into a second client talking to a second
application over the same database (a second server process, as far as sessions go),
then ends the session through the real routes and checks the copy no longer works.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import OFFICER, Site, csrf_token, sign_in
from threadline.accounts import add_user
from threadline.model.security import system_actor
from threadline.settings import Settings
from threadline.storage.db import session_scope
from threadline.web import create_app, sessions

ADMIN = "admin@ersou"
ADMIN_PASSWORD = "a long passphrase for the admin"


@pytest.fixture
def admin(site: Site) -> str:
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
    return ADMIN


@pytest.fixture
def other_process(site: Site, settings: Settings) -> Iterator[TestClient]:
    """A client of a second application instance over the same database."""
    app = create_app(settings, site.engine)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        yield client


def copy_cookie(source: TestClient, target: TestClient) -> None:
    value = source.cookies[sessions.COOKIE_NAME]
    target.cookies.clear()
    target.cookies.set(sessions.COOKIE_NAME, value, domain="testserver.local", path="/")


def signed_in(client: TestClient) -> bool:
    reply = client.get("/check")
    assert reply.status_code in {200, 303}
    return reply.status_code == 200


def api_works(client: TestClient, token: str) -> bool:
    reply = client.get(
        "/api/v1/check",
        params={"reason": "stop", "name": "Jo Smith"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert reply.status_code in {200, 401}, reply.text
    return reply.status_code == 200


def test_a_copied_cookie_stops_working_after_sign_out(
    client: TestClient, other_process: TestClient
) -> None:
    sign_in(client, OFFICER)
    copy_cookie(client, other_process)
    assert signed_in(other_process)
    reply = client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/check").text)})
    assert reply.status_code == 303
    assert not signed_in(other_process)


def test_signing_out_ends_only_that_session(client: TestClient, other_process: TestClient) -> None:
    sign_in(client, OFFICER)
    sign_in(other_process, OFFICER)  # the same officer on a second device
    client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/check").text)})
    assert signed_in(other_process)


@pytest.mark.parametrize(
    ("change", "form"),
    [
        ("password", {}),
        ("disable", {"reason": "left the force"}),
        ("roles", {"roles": "analyst"}),
        ("clearance", {"clearance": "OFFICIAL"}),
    ],
)
def test_an_administrators_change_ends_the_users_sessions_and_tokens(
    client: TestClient,
    other_process: TestClient,
    site: Site,
    admin: str,
    change: str,
    form: dict[str, str],
) -> None:
    sign_in(client, OFFICER)
    officer_cookie = client.cookies[sessions.COOKIE_NAME]
    assert signed_in(client) and api_works(client, site.officer_token)

    assert sign_in(other_process, admin, ADMIN_PASSWORD) == "/check"
    page = f"/admin/users/{OFFICER}"
    token = csrf_token(other_process.get(page).text)
    reply = other_process.post(f"{page}/{change}", data={"csrf_token": token, **form})
    assert reply.status_code in {200, 303}, reply.text

    client.cookies.clear()
    client.cookies.set(sessions.COOKIE_NAME, officer_cookie, domain="testserver.local", path="/")
    assert not signed_in(client)
    assert not api_works(client, site.officer_token)


def test_changing_home_areas_keeps_the_session(
    client: TestClient, other_process: TestClient, admin: str
) -> None:
    sign_in(client, OFFICER)
    sign_in(other_process, admin, ADMIN_PASSWORD)
    page = f"/admin/users/{OFFICER}"
    token = csrf_token(other_process.get(page).text)
    reply = other_process.post(f"{page}/areas", data={"csrf_token": token, "home_areas": ""})
    assert reply.status_code == 303
    assert signed_in(client)


def test_a_token_revoked_by_disabling_stays_revoked_after_enabling(
    client: TestClient, site: Site, admin: str
) -> None:
    assert api_works(client, site.officer_token)
    sign_in(client, admin, ADMIN_PASSWORD)
    page = f"/admin/users/{OFFICER}"
    for change in ("disable", "enable"):
        token = csrf_token(client.get(page).text)
        assert client.post(f"{page}/{change}", data={"csrf_token": token}).status_code == 303
    assert not api_works(client, site.officer_token)
    fresh = TestClient(client.app, base_url="https://testserver", follow_redirects=False)
    assert sign_in(fresh, OFFICER) == "/check"  # signing in again works
