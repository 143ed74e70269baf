"""The dissemination register: every notice, briefing, digest and alert that reached anyone.

`record_delivery` is called by whatever delivers an item (publishing a notice, compiling
a briefing, sending a digest, raising an alert) in the same transaction as the audit
event that logs it; `acknowledge` records that a recipient has read it; `list_register`
reads it back per notice, record or group (as policy allows, audited).
"""

# After the writers: listing reads notices, whose publishing writes the register.
from threadline.dissemination.listing import (
    RegisterEntry,
    RegisterPage,
    list_register,
    register_allowed,
)
from threadline.dissemination.register import (
    Delivery,
    Form,
    ItemKind,
    acknowledge,
    record_deliveries,
)

__all__ = [
    "Delivery",
    "Form",
    "ItemKind",
    "RegisterEntry",
    "RegisterPage",
    "acknowledge",
    "list_register",
    "record_deliveries",
    "register_allowed",
]
