"""Audit event types: the operations DPA 2018 s62 requires to be logged."""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    """The s62 processing operations; every audit event is exactly one of these."""

    COLLECTION = "collection"  # a record entered Threadline (import, submission)
    ALTERATION = "alteration"  # a record was changed
    CONSULTATION = "consultation"  # a record was searched for or looked at
    DISCLOSURE = "disclosure"  # a record was sent or shown to another organisation
    COMBINATION = "combination"  # records were joined (matching, merging, link charts)
    ERASURE = "erasure"  # a record was deleted (MoPI disposal)


class AuditPurpose(StrEnum):
    """Why the audit log itself is read: the only uses DPA 2018 s62(4) allows."""

    VERIFY_LAWFULNESS = "verify_lawfulness"  # to verify the lawfulness of processing
    SELF_MONITORING = "self_monitoring"  # self-monitoring, incl. internal disciplinary cases
    INTEGRITY_SECURITY = "integrity_security"  # to ensure integrity and security of the data
    CRIMINAL_PROCEEDINGS = "criminal_proceedings"  # for the purposes of criminal proceedings
