"""Rules for safeguarding: screenings, concerns, referrals and the charging safeguard."""

from __future__ import annotations
