"""Rules for administering organisations, users, tokens and sign-in throttles."""

from __future__ import annotations
