"""Justice: charge and prosecution decisions, behind the charging safeguard.

A decision about a suspect who may be under 18, shows exploitation indicators or is
the subject of a safeguarding concern waits for a complete safeguarding record
(`requirements`): screened, NRM and s45 considered, and a child referred to the
children's front door with an outcome. Only a supervisor overrides, with a reason.
"""

from threadline.justice.charging import ChargeDecision, Decision, record_charge_decision
from threadline.justice.reporting import Override, list_overrides, person_overrides
from threadline.justice.requirements import (
    GroundsDecision,
    NrmConsent,
    NrmRecord,
    SafeguardingState,
    missing,
)
from threadline.justice.safeguard import get_safeguard, record_safeguarding

__all__ = [
    "ChargeDecision",
    "Decision",
    "GroundsDecision",
    "NrmConsent",
    "NrmRecord",
    "Override",
    "SafeguardingState",
    "get_safeguard",
    "list_overrides",
    "missing",
    "person_overrides",
    "record_charge_decision",
    "record_safeguarding",
]
