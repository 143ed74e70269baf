"""Several server processes on one database behave as one server (issue #16 item 5).

Real processes: two `threadline serve` on one database (PostgreSQL, and SQLite, which
Threadline also serves with several processes), each on its own port, talked to over
HTTP; and two `threadline tick` started at once. A user signs in on one server and uses
the cookie on the other; signing out on either ends the session on both; a form
refused by one server is shown with its answers by the other; two ticks at once do each
due piece of work once.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx
import pytest
from sqlalchemy import Engine, func, select

from tests.cli.helpers import db_of
from tests.web.conftest import OFFICER, PARTNER, PASSWORD, SECRET, Site, csrf_token
from threadline.storage.db import session_scope
from threadline.storage.tables import AuditEventRow
from threadline.web import sessions

THREADLINE = str(Path(sys.executable).with_name("threadline"))


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THREADLINE_")}
    env.update(THREADLINE_SECRET_KEY=SECRET, THREADLINE_TICK_INTERVAL_SECONDS="0", **extra)
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    """One `threadline serve` process, and the browser cookie sent to it."""

    process: subprocess.Popen[bytes]
    url: str
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        # The session cookie is Secure (served over TLS in production): sent by hand here.
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        reply = httpx.request(
            method, self.url + path, headers=headers, follow_redirects=False, timeout=60,
            **kwargs,  # type: ignore[arg-type]
        )  # fmt: skip
        for raw in reply.headers.get_list("set-cookie"):
            name, _, rest = raw.partition("=")
            value = rest.split(";", 1)[0]
            if "max-age=0" in raw.lower() or not value.strip('"'):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return reply

    def get(self, path: str) -> httpx.Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict[str, str]) -> httpx.Response:
        return self.request("POST", path, data=data)


def start_server(db: str) -> Server:
    port = free_port()
    process = subprocess.Popen(
        [THREADLINE, "--db", db, "serve", "--port", str(port)],
        env=environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = Server(process=process, url=f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server stopped at start (exit {process.returncode})")
        try:
            if httpx.get(server.url + "/api/v1/health", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError("the server did not answer within two minutes")


@pytest.fixture
def servers(site: Site) -> Iterator[tuple[Server, Server]]:
    """Two server processes over the site's database."""
    db = db_of(site.engine)
    started: list[Server] = []
    try:
        started.append(start_server(db))
        started.append(start_server(db))
        yield started[0], started[1]
    finally:
        for server in started:
            server.process.terminate()
        for server in started:
            try:
                server.process.wait(30)
            except subprocess.TimeoutExpired:
                server.process.kill()


def sign_in(server: Server, username: str) -> None:
    page = server.get("/sign-in")
    reply = server.post(
        "/sign-in",
        {"csrf_token": csrf_token(page.text), "username": username, "password": PASSWORD},
    )
    assert reply.status_code == 303, reply.text
    assert sessions.COOKIE_NAME in server.cookies


def signed_in(server: Server) -> bool:
    reply = server.get("/check")
    assert reply.status_code in {200, 303}, reply.text
    return reply.status_code == 200


def test_a_session_started_on_one_server_works_on_the_other_and_ends_on_both(
    servers: tuple[Server, Server],
) -> None:
    a, b = servers
    sign_in(a, OFFICER)
    b.cookies = dict(a.cookies)  # the same browser, its next request balanced to B
    assert signed_in(b)
    assert "Sign out" in b.get("/check").text
    token = csrf_token(b.get("/check").text)
    assert b.post("/sign-out", {"csrf_token": token}).status_code == 303
    # A still has the old cookie: A refuses it, because the session ended in the database.
    assert not signed_in(a)
    assert a.get("/check").headers["location"].startswith("/sign-in")


def test_a_form_refused_by_one_server_is_shown_with_its_answers_by_the_other(
    site: Site, servers: tuple[Server, Server]
) -> None:
    a, b = servers
    sign_in(a, PARTNER)
    b.cookies = dict(a.cookies)
    path = f"/people/{site.world.child}/concern"
    form = a.get(path)
    assert form.status_code == 200, form.text
    refused = a.post(
        path,
        {
            "csrf_token": csrf_token(form.text),
            "text": "  ",
            "case_ref": "CADS-77",
            "ind-cce.missing": "1",
        },
    )
    assert refused.status_code == 303 and refused.headers["location"] == path
    shown = b.get(path)  # the redirect followed by the other server
    assert shown.status_code == 200
    assert "govuk-error-summary" in shown.text
    assert "What you have seen or been told: enter" in shown.text
    assert 'value="CADS-77"' in shown.text  # the answers typed on A
    assert re.search(r'name="ind-cce.missing" type="checkbox" value="1" checked', shown.text)
    # Shown once, by whichever server: neither shows it again.
    assert "govuk-error-summary" not in a.get(path).text
    assert "govuk-error-summary" not in b.get(path).text


def events_named(engine: Engine, name: str) -> int:
    with session_scope(engine) as session:
        return int(
            session.scalar(
                select(func.count()).select_from(AuditEventRow).where(AuditEventRow.event == name)
            )
            or 0
        )


def test_two_ticks_started_at_once_do_each_due_job_once(site: Site, tmp_path: Path) -> None:
    db = db_of(site.engine)
    checkpoints = tmp_path / "checkpoints.jsonl"
    env = environment(THREADLINE_AUDIT_CHECKPOINT_FILE=str(checkpoints))
    ticks = [
        subprocess.Popen(
            [THREADLINE, "--db", db, "tick", "--json"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    outputs = [tick.communicate(timeout=300) for tick in ticks]
    for tick, (_, err) in zip(ticks, outputs, strict=True):
        assert tick.returncode == 0, err.decode()
    results = [json.loads(out) for out, _ in outputs]
    done: dict[str, dict[str, int]] = {}
    for run in results:
        for job in run:
            assert job["error"] is None, job
            for key, value in job["counts"].items():
                done.setdefault(job["name"], {}).setdefault(key, 0)
                done[job["name"]][key] += value
    # Each due piece of work once, whichever process did it: one shift briefing per area,
    # one audit checkpoint (the signed file has one line), as a single tick would.
    briefings = done.get("briefings", {}).get("briefings", 0)
    assert briefings > 0 and briefings == events_named(site.engine, "briefing.compiled")
    assert done.get("audit", {}).get("checkpoints", 0) == 1
    assert len(checkpoints.read_text().splitlines()) == 1
    # And a third tick, after both, finds no briefing or checkpoint left to do (tripwires
    # still match the events the two ticks logged: those are new work).
    again = subprocess.run(
        [THREADLINE, "--db", db, "tick", "--json"], env=env, capture_output=True, check=True
    )
    later = {job["name"]: job["counts"] for job in json.loads(again.stdout)}
    assert later["briefings"]["briefings"] == 0
    assert later["audit"].get("checkpoints", 0) == 0
    assert len(checkpoints.read_text().splitlines()) == 1


def test_serve_with_two_workers_starts_both_and_answers(site: Site, tmp_path: Path) -> None:
    """`serve --workers 2`: two worker processes (uvicorn's factory) on one port."""
    port = free_port()
    log = tmp_path / "serve.log"
    command = [THREADLINE, "--db", db_of(site.engine), "serve", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--workers", "2"],
            env=environment(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 240
        while log.read_text().count("Application startup complete") < 2:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.5)
        server = Server(process=process, url=f"http://127.0.0.1:{port}")
        assert server.get("/api/v1/ready").json() == {"status": "ready"}
        sign_in(server, OFFICER)
        for _ in range(6):  # whichever worker answers, the session holds
            assert signed_in(server)
        assert "died" not in log.read_text()
    finally:
        process.terminate()
        process.wait(60)
