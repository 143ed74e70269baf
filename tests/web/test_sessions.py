"""Signing in and out, the session cookie's flags, the idle timeout and CSRF."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from tests.web.conftest import OFFICER, PASSWORD, SECRET, Site, csrf_token, sign_in
from threadline.accounts import NOT_RECOGNISED
from threadline.settings import Settings
from threadline.storage.db import session_scope
from threadline.storage.tables import AuditEventRow
from threadline.web import create_app, sessions
from threadline.web.sessions import WebSession


def replace_session(client: TestClient, value: str) -> None:
    """Put a crafted session cookie in the client's jar in place of the real one."""
    client.cookies.clear()
    # http.cookiejar files cookies of a dotless host under "<host>.local".
    client.cookies.set(sessions.COOKIE_NAME, value, domain="testserver.local", path="/")


def test_sign_in_takes_the_officer_to_the_check(client: TestClient) -> None:
    assert sign_in(client, OFFICER) == "/check"
    page = client.get("/check")
    assert page.status_code == 200
    assert OFFICER in page.text and "Sign out" in page.text


def test_wrong_password_and_unknown_user_get_the_same_message(client: TestClient) -> None:
    wrong = sign_in(client, OFFICER, "not the password at all")
    unknown = sign_in(client, "nobody@suffolk", PASSWORD)
    message = NOT_RECOGNISED[:1].upper() + NOT_RECOGNISED[1:]
    for page in (wrong, unknown):
        assert "govuk-error-summary" in page
        assert message in page
    assert client.get("/check").headers["location"].startswith("/sign-in")


def test_pages_need_sign_in_and_come_back_after_it(client: TestClient) -> None:
    response = client.get("/check?name=Jo+Smith")
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=%2Fcheck%3Fname%3DJo%2BSmith"
    page = client.get(response.headers["location"])
    reply = client.post(
        "/sign-in",
        data={
            "csrf_token": csrf_token(page.text),
            "username": OFFICER,
            "password": PASSWORD,
            "next": "/check?name=Jo+Smith",
        },
    )
    assert reply.headers["location"] == "/check?name=Jo+Smith"


def test_sign_in_never_redirects_to_another_site(client: TestClient) -> None:
    page = client.get("/sign-in")
    reply = client.post(
        "/sign-in",
        data={
            "csrf_token": csrf_token(page.text),
            "username": OFFICER,
            "password": PASSWORD,
            "next": "//evil.example/",
        },
    )
    assert reply.headers["location"] == "/check"


def test_session_cookie_is_httponly_samesite_and_secure(client: TestClient) -> None:
    page = client.get("/sign-in")
    reply = client.post(
        "/sign-in",
        data={"csrf_token": csrf_token(page.text), "username": OFFICER, "password": PASSWORD},
    )
    # (The other cookie set at sign-in only says the next page should show what waits.)
    [cookie] = [
        c.lower()
        for c in reply.headers.get_list("set-cookie")
        if c.startswith(sessions.COOKIE_NAME + "=")
    ]
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie
    assert "path=/" in cookie
    assert "max-age" not in cookie and "expires" not in cookie  # gone when the browser closes


def test_a_session_ends_after_a_shift_however_active(client: TestClient) -> None:
    sign_in(client, OFFICER)
    current = sessions.decode(client.cookies[sessions.COOKIE_NAME], SECRET)
    assert current is not None
    now = int(time.time())
    long_ago = now - sessions.MAX_LIFETIME - 60
    old = WebSession(current.user_id, long_ago, now, current.csrf, current.key)
    replace_session(client, sessions.encode(old, SECRET))
    assert client.get("/check").status_code == 303


def test_demo_on_localhost_drops_secure_only_there(site: Site) -> None:
    demo = create_app(Settings(demo_mode=True), site.engine)
    with TestClient(demo, base_url="http://localhost") as local:
        assert "secure" not in local.get("/sign-in").headers["set-cookie"].lower()
    with TestClient(demo, base_url="http://threadline.example") as remote:
        assert "secure" in remote.get("/sign-in").headers["set-cookie"].lower()


def test_sign_in_starts_a_new_session_and_token(client: TestClient) -> None:
    before = csrf_token(client.get("/sign-in").text)
    sign_in(client, OFFICER)
    after = csrf_token(client.get("/check").text)
    assert before != after


def test_sign_out_clears_the_session_and_is_logged(client: TestClient, engine: Engine) -> None:
    sign_in(client, OFFICER)
    token = csrf_token(client.get("/check").text)
    reply = client.post("/sign-out", data={"csrf_token": token})
    assert reply.status_code == 303
    assert "max-age=0" in reply.headers["set-cookie"].lower()
    assert client.get("/check").status_code == 303
    with session_scope(engine) as session:
        users = session.scalars(
            select(AuditEventRow.actor).where(AuditEventRow.event == "logout")
        ).all()
    assert users == [OFFICER]


def test_the_start_page_answers_head_as_well_as_get(client: TestClient) -> None:
    assert client.head("/", follow_redirects=False).status_code == 303


def test_idle_session_is_signed_out_with_a_reason(client: TestClient, engine: Engine) -> None:
    sign_in(client, OFFICER)
    current = sessions.decode(client.cookies[sessions.COOKIE_NAME], SECRET)
    assert current is not None and current.user_id is not None
    idle = int(time.time()) - sessions.IDLE_TIMEOUT - 60
    old = WebSession(current.user_id, idle, idle, current.csrf, current.key)
    replace_session(client, sessions.encode(old, SECRET))
    response = client.get("/check")
    assert response.status_code == 303
    assert "reason=timeout" in response.headers["location"]
    assert "did not do anything for 30 minutes" in client.get(response.headers["location"]).text


def test_recent_session_stays_signed_in(client: TestClient) -> None:
    sign_in(client, OFFICER)
    current = sessions.decode(client.cookies[sessions.COOKIE_NAME], SECRET)
    assert current is not None
    recent = int(time.time()) - sessions.IDLE_TIMEOUT + 120
    kept = WebSession(current.user_id, recent, recent, current.csrf, current.key)
    replace_session(client, sessions.encode(kept, SECRET))
    assert client.get("/check").status_code == 200


def test_a_cookie_signed_with_another_key_is_ignored(client: TestClient) -> None:
    forged = WebSession.start(user_id=1)
    replace_session(client, sessions.encode(forged, "guess"))
    assert client.get("/check").status_code == 303


def test_post_without_csrf_token_is_refused(client: TestClient) -> None:
    client.get("/sign-in")
    reply = client.post("/sign-in", data={"username": OFFICER, "password": PASSWORD})
    assert reply.status_code == 403
    assert "govuk-heading-l" in reply.text and "reload the page" in reply.text
    assert sessions.COOKIE_NAME not in reply.headers.get("location", "")


def test_post_with_wrong_csrf_token_is_refused(client: TestClient) -> None:
    sign_in(client, OFFICER)
    reply = client.post("/sign-out", data={"csrf_token": "not-the-token"})
    assert reply.status_code == 403
    assert client.get("/check").status_code == 200  # still signed in


def test_default_secret_is_refused_outside_demo_mode(site: Site) -> None:
    import pytest

    from threadline.errors import ConfigurationError

    with pytest.raises(ConfigurationError):
        create_app(Settings(demo_mode=False), site.engine)
