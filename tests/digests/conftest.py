"""The digest tests use the briefing tests' region: a copy of the small demo region with
published notices (tests/briefings/region.py)."""

from tests.briefings.conftest import region, settings

__all__ = ["region", "settings"]
