"""Finding 15: HSTS outside demo mode, and no query strings (names searched) in access logs."""

from __future__ import annotations

import logging
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi.testclient import TestClient

from tests.web.conftest import Site
from threadline.settings import Settings
from threadline.web import create_app

HSTS = "Strict-Transport-Security"


@pytest.mark.parametrize("path", ["/sign-in", "/check", "/api/v1/health", "/static/nowhere.css"])
def test_every_response_carries_hsts_outside_demo_mode(client: TestClient, path: str) -> None:
    value = client.get(path).headers.get(HSTS, "")
    assert value.startswith("max-age=31536000") and "includeSubDomains" in value


def test_the_demo_on_plain_http_sends_no_hsts(site: Site) -> None:
    demo = create_app(Settings(demo_mode=True), site.engine)
    with TestClient(demo, base_url="http://localhost") as local:
        assert HSTS not in local.get("/sign-in").headers


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def served(site: Site, settings: Settings) -> Iterator[str]:
    """The app served by a real uvicorn on a loopback port, with uvicorn's own logging."""
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings, site.engine), host="127.0.0.1", port=port, log_level="info"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _get(url: str) -> None:
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        opener.open(url, timeout=10).close()
    except urllib.error.HTTPError as answer:  # 3xx and 4xx answers are fine here
        answer.close()


def test_the_access_log_shows_paths_without_query_strings(
    served: str, caplog: pytest.LogCaptureFixture
) -> None:
    access = logging.getLogger("uvicorn.access")
    access.addHandler(caplog.handler)  # uvicorn's access logger does not propagate
    try:
        with caplog.at_level(logging.INFO, logger="uvicorn.access"):
            for path in (
                "/check?reason=stop&name=Jo+Smith&dob=2010-01-01",
                "/api/v1/check?reason=stop&name=Jo+Smith&phone=07700900123",
                "/api/v1/people?name=Smith",
                "/sign-in?next=%2Fcheck%3Fname%3DJo",
            ):
                _get(served + path)
            deadline = time.monotonic() + 5
            while len(caplog.records) < 4 and time.monotonic() < deadline:
                time.sleep(0.05)
    finally:
        access.removeHandler(caplog.handler)
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) >= 4, lines
    assert any('"GET /check HTTP/1.1"' in line for line in lines), lines
    assert any('"GET /api/v1/check HTTP/1.1"' in line for line in lines), lines
    for line in lines:
        assert "?" not in line and "Smith" not in line and "07700" not in line, line
