"""The s62 audit log: who collected, altered, consulted, disclosed, combined or erased what.

`record_event` appends (log.py); `verify_chain` checks the hash chain (verify.py);
`export_events` exports for the regulator or a DPO, and is itself logged (export.py).
"""

from threadline.audit.events import AuditAction, AuditPurpose
from threadline.audit.log import lock_chain, record_event

__all__ = ["AuditAction", "AuditPurpose", "lock_chain", "record_event"]
