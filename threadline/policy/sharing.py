"""Rules for routine sharing: notices, briefings, digests, alerts, watches, the register."""

from __future__ import annotations
