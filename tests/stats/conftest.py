"""The coverage tests use the notices world (tests/notices/world.py)."""

from tests.notices.conftest import session, world

__all__ = ["session", "world"]
