"""`WebMiddleware`: what it adds to every answer, an error's answer, and streamed bodies.

The session cookie's flags and the sign-out cookie are in test_sessions.py, HSTS in
test_headers.py; here, what a route that fails or streams gets from the middleware.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from starlette.types import Message

from tests.web.asgi import call_get
from threadline.settings import Settings
from threadline.web import create_app
from threadline.web.middleware import SECURITY_HEADERS


def _fail() -> None:
    raise RuntimeError("a bug")


async def _chunks() -> AsyncIterator[bytes]:
    yield b"first,"
    yield b"second"


def _streamed() -> StreamingResponse:
    return StreamingResponse(_chunks(), media_type="text/csv")


@pytest.fixture
def app(engine: Engine, settings: Settings) -> FastAPI:
    """The application with three routes of a test's own: two that fail, one that streams."""
    app = create_app(settings, engine)
    app.add_api_route("/failing", _fail)
    app.add_api_route("/api/v1/failing", _fail)
    app.add_api_route("/streamed", _streamed)
    return app


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="https://testserver") as client:
        yield client


def test_an_unhandled_error_gives_the_error_page_with_every_header(client: TestClient) -> None:
    reply = client.get("/failing")
    assert reply.status_code == 500
    assert "Sorry, there is a problem with the service" in reply.text
    assert "a bug" not in reply.text
    for name, value in SECURITY_HEADERS.items():
        assert reply.headers[name] == value
    assert reply.headers["cache-control"] == "no-store"
    assert "threadline_session=" in reply.headers["set-cookie"]


def test_an_unhandled_api_error_gives_problem_json_without_a_cookie(client: TestClient) -> None:
    reply = client.get("/api/v1/failing", headers={"Accept": "application/json"})
    assert reply.status_code == 500
    assert reply.headers["content-type"] == "application/problem+json"
    assert reply.json()["detail"] == "an unexpected error happened; it has been logged"
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert "set-cookie" not in reply.headers


def test_a_streamed_answer_arrives_piece_by_piece_with_the_headers(app: FastAPI) -> None:
    """The body's pieces reach the server as the route makes them, not gathered first."""
    sent: list[Message] = []
    call_get(app, "/streamed", sent.append)
    start, *body = sent
    headers = {k.decode(): v.decode() for k, v in start["headers"]}
    assert start["status"] == 200
    assert headers["content-security-policy"] == SECURITY_HEADERS["Content-Security-Policy"]
    assert headers["cache-control"] == "no-store"
    assert [m["body"] for m in body if m["body"]] == [b"first,", b"second"]
