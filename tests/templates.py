"""Databases built once per test run and copied for each test (or module) that needs one.

Building a demo region takes seconds; copying its SQLite file takes milliseconds. So a
region is built once into a template file and each user gets its own copy, which it may
change freely. Under pytest-xdist every worker is its own process: a template is built
in the run's temporary folder (the parent of each worker's own) under a file lock, so the
first worker to need it builds it and any other waits for it and then copies it. A
builder must depend on nothing but the folder it is given, as any worker may run it; what
it returns (facts about the region) is pickled beside the template for the others.

tests/conftest.py names the run's folder (`share_in`) before any test starts.
"""

from __future__ import annotations

import fcntl
import os
import pickle
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from threadline.accounts import passwords
from threadline.demo import build_demo
from threadline.demo.security import add_demo_security
from threadline.storage.db import make_engine, migrate, session_scope
from threadline.storage.reference import seed_region

T = TypeVar("T")

DEMO_SEED = 20261125  # build_demo's default seed, and the seed of the demo's users
DEMO_PASSWORD = "demo-region-test-password"  # every user of a shared demo region

_RUN: list[Path] = []  # the run's folder, set once by tests/conftest.py
_BUILT: dict[tuple[Path, str], Any] = {}  # this process's templates, by run folder and name


def cheap_passwords() -> None:
    """Argon2 at t=1, m=8 KiB, p=1: hashing in microseconds (sign-in reads each hash's own).

    Left on: the `cheap_hashing` fixture restores production's parameters after each test.
    """
    passwords.configure(time_cost=1, memory_cost=8, parallelism=1)


def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of the whole run: shared by every xdist worker."""
    own = tmp_path_factory.getbasetemp()
    return own.parent if os.environ.get("PYTEST_XDIST_WORKER") else own


def share_in(folder: Path) -> None:
    """Build this run's templates in `folder` (called once, by tests/conftest.py)."""
    _RUN[:] = [folder]


def built_once(name: str, build: Callable[[Path], T]) -> tuple[Path, T]:
    """`build(folder)` run once per test run for `name`; returns the folder and its result.

    The build runs under a lock. One that fails leaves nothing behind, so the next test
    to ask builds again (and fails the same way, rather than with a missing file).
    """
    if not _RUN:
        raise RuntimeError("no run folder: tests/conftest.py calls share_in() at the start")
    root = _RUN[0]
    key = (root, name)
    if key not in _BUILT:
        folder = root / f"template-{name}"
        done = root / f"template-{name}.pickle"
        with open(root / f"template-{name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if not done.exists():
                    shutil.rmtree(folder, ignore_errors=True)
                    folder.mkdir()
                    result = build(folder)
                    done.write_bytes(pickle.dumps(result))
                _BUILT[key] = (folder, pickle.loads(done.read_bytes()))
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
    return _BUILT[key]  # type: ignore[no-any-return]


def settle(path: Path) -> Path:
    """Fold an SQLite file's write-ahead log into it, so that the file alone copies whole.

    Call it once every engine on the file is disposed of; returns `path`.
    """
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()  # the last connection to close removes the log
    wal = Path(f"{path}-wal")
    assert not wal.exists() or not wal.stat().st_size, f"{path} is still open elsewhere"
    return path


def copy_database(template: Path, target: Path) -> Path:
    """Copy a settled SQLite template to `target` (a new file) and return `target`."""
    shutil.copyfile(template, target)
    return target


def demo_region(people: int, seed: int = DEMO_SEED) -> Path:
    """The demo region at `people` (the default seed, or `seed`) with the demo's users,
    agreements, LROs and intelligence, every user signing in with DEMO_PASSWORD: a settled
    template file.

    Built once per run for each size and seed; copy it (`copy_database`) before changing it.
    """

    def build(folder: Path) -> None:
        path = folder / "region.db"
        engine = make_engine(str(path))
        migrate(engine)
        with session_scope(engine) as session:
            seed_region(session)
        build_demo(engine=engine, people=people, seed=seed)
        cheap_passwords()
        add_demo_security(engine=engine, password=DEMO_PASSWORD, seed=seed)
        engine.dispose()
        settle(path)

    name = f"demo-{people}" if seed == DEMO_SEED else f"demo-{people}-seed-{seed}"
    folder, _ = built_once(name, build)
    return folder / "region.db"
