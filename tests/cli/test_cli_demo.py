"""`threadline demo` and `threadline serve`: build the synthetic region, then serve it.

The region (300 people) is built once, through the command itself, and served by the
same test (so that parallel workers do not build it twice): `serve` runs as the
installed command in a subprocess on a free loopback port, is polled until
`/api/v1/health` answers (bounded), answers one API call, and is stopped.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from threadline.accounts import passwords
from threadline.cli.main import app

PEOPLE = 300
STARTUP_SECONDS = 60


@dataclass(frozen=True)
class Demo:
    db: str
    output: str


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    db = str(tmp_path_factory.mktemp("demo") / "demo.db")
    passwords.configure(time_cost=1, memory_cost=8, parallelism=1)
    try:
        # env= is restored afterwards: the command sets THREADLINE_DEMO_MODE for itself.
        result = CliRunner().invoke(
            app,
            ["--db", db, "demo", "--people", str(PEOPLE), "--no-serve"],
            env={"THREADLINE_DEMO_MODE": "true"},
        )
    finally:
        passwords.configure()
    assert result.exit_code == 0, result.output
    yield Demo(db, result.stdout)


def run(db: str, *args: str) -> str:
    result = CliRunner().invoke(app, ["--db", db, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def serve(db: str, port: int, log: Path, *, demo_mode: bool = True) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THREADLINE_")}
    if demo_mode:
        env["THREADLINE_DEMO_MODE"] = "true"
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "threadline.cli.main", "--db", db, "serve",
             "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )  # fmt: skip


def get(url: str, token: str | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_until_up(process: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"serve exited with {process.returncode}: {log.read_text()}")
        try:
            if get(f"{base}/api/v1/health") == (200, b'{"status":"ok"}'):
                return
        except OSError:
            pass  # not listening yet
        time.sleep(0.2)
    pytest.fail(f"serve did not answer within {STARTUP_SECONDS} s: {log.read_text()}")


def serve_and_stop(demo: Demo, tmp_path: Path) -> None:
    """`serve` the demo region, answer health and one API call, stop it cleanly."""
    token = run(demo.db, "tokens", "create", "--user", "officer@norfolk", "--label", "test")
    token = token.strip()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    process = serve(demo.db, port, log)
    try:
        wait_until_up(process, base, log)
        status, body = get(f"{base}/api/v1/check?name=Smith")
        assert status == 401  # no token, no answer
        status, body = get(f"{base}/api/v1/check?reason=stop&name=Smith&purpose=test", token)
        assert status == 200, body
        assert "results" in json.loads(body)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    output = log.read_text()
    assert f"Threadline is at {base}/" in output
    assert process.returncode in (0, -signal.SIGTERM)  # uvicorn re-raises the signal
    assert "Application shutdown complete" in output
    assert "Traceback" not in output


# --------------------------------------------------------------------------- demo


def test_demo_builds_the_region_and_serve_serves_it(demo: Demo, tmp_path: Path) -> None:
    """One test, so that the region is built once even when tests run in parallel."""
    assert demo.output.startswith("Built the demo region (seed ")
    assert f"{PEOPLE} people" in demo.output
    assert "Sign in as any of: officer@norfolk" in demo.output
    assert "password: threadline-demo" in demo.output
    assert "Threadline is at" not in demo.output  # --no-serve

    stats = json.loads(run(demo.db, "stats", "--json"))
    assert stats["entities"]["person"] >= PEOPLE  # duplicates across forces add records
    assert stats["entities"]["organisation"] > 0 and stats["agencies"]["force"] == 7
    users = json.loads(run(demo.db, "users", "list", "--org", "norfolk", "--json"))
    assert "officer@norfolk" in {user["username"] for user in users}

    serve_and_stop(demo, tmp_path)


def test_demo_refuses_too_few_people_before_touching_anything(tmp_path: Path) -> None:
    db = tmp_path / "small.db"
    result = CliRunner().invoke(app, ["--db", str(db), "demo", "--people", "50", "--no-serve"])
    assert result.exit_code == 2
    assert "--people" in result.output
    assert not db.exists()


# --------------------------------------------------------------------------- serve


def test_serve_refuses_the_built_in_secret_outside_demo_mode(tmp_path: Path) -> None:
    db = str(tmp_path / "threadline.db")
    run(db, "init")
    log = tmp_path / "serve.log"
    process = serve(db, free_port(), log, demo_mode=False)
    try:
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 1
    [line] = log.read_text().splitlines()
    assert line.startswith("error: THREADLINE_SECRET_KEY is the built-in demo value")
