"""Intelligence report references: `NFK-IR-2026-000123`, counted per prefix and year."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from threadline.storage.tables import IntelReportRow

# Reference prefixes of the region's forces and regional unit; others use their code.
REF_PREFIXES = {
    "bedfordshire": "BDF",
    "cambridgeshire": "CAM",
    "essex": "ESX",
    "hertfordshire": "HRT",
    "kent": "KNT",
    "norfolk": "NFK",
    "suffolk": "SFK",
    "ersou": "ERS",
}


def ref_prefix(agency_code: str) -> str:
    """The reference prefix of an organisation, e.g. NFK for Norfolk."""
    return REF_PREFIXES.get(agency_code, agency_code.upper())


def next_ref(session: Session, prefix: str) -> str:
    """The next free reference after `prefix` ("NFK-IR-2026-"); the caller retries on a clash."""
    last = session.scalar(
        select(func.max(IntelReportRow.ref)).where(IntelReportRow.ref.like(f"{prefix}%"))
    )
    number = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{number:06d}"
