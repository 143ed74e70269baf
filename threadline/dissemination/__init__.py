"""The dissemination register: every notice, briefing, digest and alert that reached anyone.

`record_delivery` is called by whatever delivers an item (publishing a notice, compiling
a briefing, sending a digest, raising an alert) in the same transaction as the audit
event that logs it; `acknowledge` records that a recipient has read it. Reading it back
per notice, record or group is `threadline.notices.register.list_register`, above this
package (it needs the notices).
"""

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
    "acknowledge",
    "record_deliveries",
]
