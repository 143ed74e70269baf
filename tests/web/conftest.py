"""Fixtures for the web app: a TestClient over a small world with real user accounts.

Uses the `engine` fixture (temporary SQLite, and PostgreSQL when configured) with the
intelligence world of tests/intel/world.py (Norfolk, CADS under an agreement, a child
called Jo Smith in Norwich) plus an OCG member, and two accounts that sign in with a
password: a Suffolk officer and a CADS practitioner (argon2 is cheap: tests/conftest.py).
The client talks https, as a deployment would, so the session cookie's Secure flag does
not stop it coming back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from tests.conftest import cheap_hashing  # noqa: F401  (imported from here by other tests)
from tests.factories import make_link, make_organisation
from tests.intel.world import World, build_world
from threadline.accounts import add_user, create_token
from threadline.model.security import system_actor
from threadline.settings import Settings
from threadline.storage.db import session_scope
from threadline.storage.tables import AuditEventRow
from threadline.web import create_app

PASSWORD = "correct horse battery staple"
SECRET = "test-secret-key-that-is-long-enough-for-hmac-signing"
OFFICER = "officer@suffolk"
PARTNER = "partner@norfolk-cads"
ADMIN = system_actor("ersou", "test")


@dataclass
class Site:
    world: World
    member: int  # entity id of "Ray Black", a lieutenant of the "Kestrel" OCG
    officer_token: str
    engine: Engine


@pytest.fixture
def settings() -> Settings:
    return Settings(secret_key=SECRET, demo_mode=False)


@pytest.fixture
def site(engine: Engine) -> Site:
    with session_scope(engine) as session:
        world = build_world(session)
        group = make_organisation(session, name="Kestrel", org_type="ocg")
        make_link(
            session,
            from_id=world.adult,
            to_id=group.entity_id,
            link_type="member_of",
            role="lieutenant",
        )
        for username, agency, roles in (
            (OFFICER, "suffolk", ["frontline"]),
            (PARTNER, "norfolk-cads", ["partner"]),
        ):
            add_user(
                session,
                actor=ADMIN,
                username=username,
                display_name=username,
                agency_code=agency,
                roles=roles,
                clearance="OFFICIAL-SENSITIVE",
                password=PASSWORD,
            )
        token = create_token(session, actor=ADMIN, username=OFFICER, label="tests")
    return Site(world=world, member=world.adult, officer_token=token, engine=engine)


@pytest.fixture
def client(site: Site, settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings, site.engine)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as test_client:
        yield test_client


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


REGIONAL_ANALYST = "analyst@ersou"


def add_regional_analyst(session: Session) -> None:
    """An analyst of the regional unit cleared to SECRET, who reviews resolution."""
    add_user(
        session,
        actor=ADMIN,
        username=REGIONAL_ANALYST,
        display_name="Ana Lyst",
        agency_code="ersou",
        roles=["analyst"],
        clearance="SECRET",
        password=PASSWORD,
    )


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Sign in through the form; returns the HTML or Location of the answer."""
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={"csrf_token": csrf_token(page.text), "username": username, "password": password},
    )
    return response.headers.get("location") or response.text


def check_events(engine: Engine) -> int:
    with session_scope(engine) as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(AuditEventRow)
                .where(AuditEventRow.event == "check")
            )
            or 0
        )
