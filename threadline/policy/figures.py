"""Rules for dashboards and figures (sharing coverage, prison monitoring, safeguarding)."""

from __future__ import annotations
