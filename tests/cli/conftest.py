"""Fixtures of the CLI tests: cheap password hashing (the commands add and sign in users)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from threadline.accounts import passwords


@pytest.fixture(autouse=True)
def cheap_hashing() -> Iterator[None]:
    passwords.configure(time_cost=1, memory_cost=8, parallelism=1)
    yield
    passwords.configure()
