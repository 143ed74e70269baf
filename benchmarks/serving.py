"""`threadline serve` in a subprocess on 127.0.0.1, for the benchmarks that measure it.

`serving` starts the server over a database (a SQLite file or a URL), waits until it
answers `/api/v1/health` — with several workers, until every worker has started — and
stops it afterwards, its workers with it (they share its process group). The server's
output goes to `log`, whose last lines are quoted when it fails to start.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

THREADLINE = Path(sys.executable).with_name("threadline")


@dataclass(frozen=True, slots=True)
class Server:
    """A running server: its process id (the parent, with workers) and its port."""

    pid: int
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def tail(log: Path, lines: int = 20) -> str:
    """The last lines of a log, for an error message."""
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


@contextmanager
def serving(
    database: Path | str,
    log: Path,
    *,
    env: Mapping[str, str],
    workers: int = 1,
    wait: float = 120,
) -> Iterator[Server]:
    """`threadline serve` over `database` (`--workers N` when more than one), ready."""
    port = free_port()
    command = [str(THREADLINE), "--db", str(database), "serve", "--port", str(port)]
    if workers > 1:
        command += ["--workers", str(workers)]
    with log.open("wb") as out:
        server = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env=dict(env), start_new_session=True
        )
    try:
        _wait_until_ready(server, port, log, workers, time.monotonic() + wait)
        yield Server(server.pid, port)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)  # the server and its workers
            server.wait()


def _wait_until_ready(
    server: subprocess.Popen[bytes], port: int, log: Path, workers: int, deadline: float
) -> None:
    """Until a worker answers the health check and every worker has started."""
    while True:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped:\n{tail(log)}")
        try:  # answered by a worker, not only accepted by the socket
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=5):
                break
        except OSError as exc:
            if time.monotonic() > deadline:
                raise RuntimeError(f"no server within the time allowed:\n{tail(log)}") from exc
            time.sleep(0.1)
    # uvicorn logs one "Application startup complete" per worker.
    while log.read_text(errors="replace").count("Application startup complete") < workers:
        if time.monotonic() > deadline:
            raise RuntimeError(f"not every worker started:\n{tail(log)}")
        time.sleep(0.2)
