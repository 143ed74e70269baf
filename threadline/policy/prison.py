"""Rules for custody episodes, prison intelligence, monitoring plans and ancillary orders."""

from __future__ import annotations
