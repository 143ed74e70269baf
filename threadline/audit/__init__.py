"""The s62 audit log: who collected, altered, consulted, disclosed, combined or erased what."""

from threadline.audit.events import AuditAction
from threadline.audit.log import record_event

__all__ = ["AuditAction", "record_event"]
