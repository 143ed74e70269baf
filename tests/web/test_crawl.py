"""Every page a demo user can reach by following links answers without a server error.

A crawl, as each kind of user, of the demo region with everything switched on (routine
sharing, prison, safeguarding): from the start page, follow every same-site link (GET
only, never sign-out) breadth first, up to a budget per user. It catches a page that
breaks on real data, which per-feature tests on hand-made worlds can miss.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.web.conftest import csrf_token
from threadline.accounts import passwords
from threadline.demo import build_demo
from threadline.demo.capabilities import add_demo_capabilities
from threadline.demo.security import add_demo_security
from threadline.settings import Settings
from threadline.storage.db import make_engine, migrate, session_scope
from threadline.storage.reference import seed_region
from threadline.web import create_app

PASSWORD = "crawl-test-password-long-enough"
SECRET = "crawl-test-secret-key-long-enough-for-hmac-signing"
PAGES_PER_USER = 80
USERS = (
    "officer@norfolk",
    "analyst@norfolk",
    "lro@norfolk",
    "supervisor@norfolk",
    "dpo@norfolk",
    "prison@hmp-norwich",
    "partner@norfolk-cads",
    "partner@probation-east-of-england",
    "admin@ersou",
)
LINK = re.compile(r'href="(/[^"#]*)"')
SKIP = re.compile(r"^/(static|assets)/|\.pdf$|^/sign-out|\.json$")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path: Path = tmp_path_factory.mktemp("crawl") / "demo.db"
    engine = make_engine(str(path))
    migrate(engine)
    with session_scope(engine) as session:
        seed_region(session)
    build_demo(engine=engine, people=400, seed=5)
    passwords.configure(time_cost=1, memory_cost=8, parallelism=1)
    try:
        add_demo_security(engine=engine, password=PASSWORD, seed=5)
        add_demo_capabilities(engine=engine, settings=Settings(), seed=5)
        yield engine
    finally:
        passwords.configure()
        engine.dispose()


@pytest.mark.parametrize("username", USERS)
def test_no_page_a_user_can_reach_fails(demo: Engine, username: str) -> None:
    app = create_app(Settings(secret_key=SECRET, demo_mode=True), demo, cookie_secure=False)
    with TestClient(app, base_url="http://testserver", follow_redirects=True) as client:
        page = client.get("/sign-in")
        signed_in = client.post(
            "/sign-in",
            data={"csrf_token": csrf_token(page.text), "username": username, "password": PASSWORD},
        )
        assert signed_in.status_code == 200, signed_in.text[:500]
        seen: set[str] = set()
        queue = deque(["/"])
        failures = []
        while queue and len(seen) < PAGES_PER_USER:
            path = queue.popleft()
            if path in seen:
                continue
            seen.add(path)
            reply = client.get(path)
            if reply.status_code >= 500:
                failures.append(f"{path}: {reply.status_code}")
                continue
            if "text/html" in reply.headers.get("content-type", ""):
                for link in LINK.findall(reply.text):
                    link = link.replace("&amp;", "&")
                    if link not in seen and not SKIP.search(link):
                        queue.append(link)
        assert not failures, failures
        assert len(seen) > 5  # the crawl got somewhere
