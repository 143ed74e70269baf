"""The check: a frontline look-up of a person, phone, vehicle or address, policy-filtered."""

from threadline.check.cards import Card
from threadline.check.reasons import CheckReason
from threadline.check.service import CheckResult, check

__all__ = ["Card", "CheckReason", "CheckResult", "check"]
