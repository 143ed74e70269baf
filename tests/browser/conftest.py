"""Fixtures for the browser tests: a served demo region and Debian's Chromium.

These tests drive the real application in a real browser with Python Playwright. They
need /usr/bin/chromium (Debian's package; `.ci/run` installs it) and the `playwright`
Python package, and never a browser that Playwright downloads itself. Where either is
missing, every test here is skipped with one reason saying what to install.

Fixture policy: one small demo region (800 people, the default seed) is built once per
test run (tests/templates.py); each xdist worker serves its own copy of it with uvicorn on
a free localhost port in a background thread. Tests only read from it, apart from the
audit events their checks write. Each test opens its own browser context, so cookies
never leak from one signed-in user to another.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import uvicorn
from sqlalchemy import Engine, text

from tests.browser.accessibility import AxeAudit
from tests.templates import DEMO_PASSWORD, built_once, copy_database, demo_region, settle
from threadline.settings import Settings
from threadline.storage.db import make_engine
from threadline.web import create_app

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # the skip below says what to install
    sync_playwright = None

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_PEOPLE = 800
PASSWORD = DEMO_PASSWORD
SECRET = "browser-test-secret-key-long-enough-for-hmac-signing"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _missing() -> str | None:
    if sync_playwright is None:
        return (
            "browser tests skipped: the `playwright` Python package is not installed "
            "(pip install -e '.[test]'; never `playwright install`)"
        )
    if not CHROMIUM.exists():
        return (
            f"browser tests skipped: no Chromium at {CHROMIUM} "
            "(apt-get install chromium, as .ci/run does)"
        )
    return None


@pytest.fixture(scope="session", autouse=True)
def _browser_available() -> None:
    """Skip every browser test, with the one reason, where Chromium or Playwright is missing."""
    reason = _missing()
    if reason:
        pytest.skip(reason)


@dataclass(frozen=True)
class DemoSite:
    url: str
    engine: Engine
    password: str

    def scalar(self, sql: str, **params: object) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar_one()

    def rows(self, sql: str, **params: object) -> list[Any]:
        with self.engine.connect() as conn:
            return list(conn.execute(text(sql), params))


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def _prepared(people: int, prepare: Callable[[Engine], None]) -> Path:
    """The demo region at `people` as `prepare` leaves it: built once per run (templates.py)."""

    def build(folder: Path) -> None:
        path = copy_database(demo_region(people), folder / "demo.db")
        engine = make_engine(str(path))
        prepare(engine)
        engine.dispose()
        settle(path)

    folder, _ = built_once(f"demo-{people}-{prepare.__module__}.{prepare.__qualname__}", build)
    return folder / "demo.db"


@contextmanager
def serve_demo(
    folder: Path, prepare: Callable[[Engine], None] | None = None, *, people: int = DEMO_PEOPLE
) -> Iterator[DemoSite]:
    """A copy of the demo region at 800 people (or `people`) in `folder`, served over http
    on a free localhost port until the block ends; `prepare` changes the copy before it is
    served (once per run: the prepared region is a template too, copied for each use)."""
    # The demo users' hashes are cheap; sign-in verifies with each hash's own parameters.
    template = demo_region(people) if prepare is None else _prepared(people, prepare)
    engine = make_engine(str(copy_database(template, folder / "demo.db")))
    app = create_app(Settings(secret_key=SECRET, demo_mode=True), engine, cookie_secure=False)
    sock = _free_socket()
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", server_header=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start; see the log above")
        time.sleep(0.02)
    try:
        yield DemoSite(url=f"http://127.0.0.1:{port}", engine=engine, password=PASSWORD)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        engine.dispose()


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    """The demo region at 800 people, served over http on a free localhost port."""
    with serve_demo(tmp_path_factory.mktemp("browser-demo")) as site:
        yield site


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    assert sync_playwright is not None
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def new_context(browser: Browser, demo_site: DemoSite) -> Iterator[Any]:
    """Open browser contexts on the demo site (keyword options as Playwright's); closed after."""
    opened: list[BrowserContext] = []

    def open_context(**options: Any) -> BrowserContext:
        context = browser.new_context(base_url=demo_site.url, locale="en-GB", **options)
        context.set_default_timeout(10_000)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        context.close()


@pytest.fixture
def page(new_context: Any) -> Page:
    """A page in a desktop-sized context with JavaScript on."""
    return new_context().new_page()  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def artifacts(pytestconfig: pytest.Config) -> Path:
    """Where screenshots go: test-artifacts/ at the repository root (git-ignored)."""
    folder = pytestconfig.rootpath / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return folder


_AUDITS: list[AxeAudit] = []


def _axe_report_name() -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # one report per xdist worker
    return f"axe-report-{worker}.txt" if worker else "axe-report.txt"


@pytest.fixture(scope="session", autouse=True)
def _fresh_axe_report(artifacts: Path) -> None:
    (artifacts / _axe_report_name()).unlink(missing_ok=True)


@pytest.fixture
def axe(artifacts: Path) -> AxeAudit:
    """Runs axe-core on pages; fails on serious or critical WCAG 2.2 AA violations."""
    audit = AxeAudit(report=artifacts / _axe_report_name())
    _AUDITS.append(audit)
    return audit


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """List the minor and moderate axe findings, which do not fail a test but should be seen."""
    lesser = [line for audit in _AUDITS for line in audit.lesser]
    if lesser:
        terminalreporter.section("axe-core: minor and moderate findings")
        for line in dict.fromkeys(lesser):
            terminalreporter.write_line(line)
