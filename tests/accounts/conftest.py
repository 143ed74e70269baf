"""Fixtures for account tests: cheap argon2 parameters, so hashing takes microseconds.

Production keeps strong defaults; each test here runs with t=1, m=8 KiB, p=1 and the
defaults are restored afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from threadline.accounts import passwords


@pytest.fixture(autouse=True)
def cheap_hashing() -> Iterator[None]:
    passwords.configure(time_cost=1, memory_cost=8, parallelism=1)
    yield
    passwords.configure()
