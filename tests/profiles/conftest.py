"""Fixtures of the profile tests: the web app over the small world (tests/web/conftest.py)."""

from tests.web.conftest import client, settings, site  # noqa: F401
