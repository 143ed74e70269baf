"""The s62 audit log: who collected, altered, consulted, disclosed, combined or erased what.

`record_event` appends (log.py) an event named from the vocabulary `AuditEvent`
(events.py; `describe` gives its meaning for the DPO), each hashed into the chain and
signed with the audit key kept outside the database (chain.py, keys.py); on PostgreSQL
each is written pending and sealed into the chain in batches after its commit
(sealing.py). `write_checkpoint` signs the head into a file the DPO keeps and into the
log (checkpoints.py); `verify_chain`
checks all of it (verify.py); `record_refusal` logs refused attempts (refusals.py);
`SafeDictWriter` writes CSV a spreadsheet will not run (spreadsheet.py).

This is the log, below `threadline.policy` (whose gate appends to it): it asks no one.
Reading and exporting the log for a DPO is a capability, `threadline.oversight`.
"""

from threadline.audit.events import AuditAction, AuditEvent, AuditPurpose, describe
from threadline.audit.log import record_event

__all__ = ["AuditAction", "AuditEvent", "AuditPurpose", "describe", "record_event"]
