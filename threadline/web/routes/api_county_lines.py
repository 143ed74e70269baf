"""The county line status API: GET /api/v1/county-lines/{id}/status.

Police who may see the line read its status, the evidence for each change, runners
safeguarded, cuckooed addresses recovered and the deal line's last activity; partners
are told there is no such line.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from threadline.countylines import line_status
from threadline.storage.ids import MAX_ID
from threadline.web.api_common import RECORD_ERRORS
from threadline.web.deps import ActorDep, SessionDep

router = APIRouter(prefix="/api/v1", tags=["county lines"])

LineId = Annotated[int, Path(ge=1, le=MAX_ID, description="The county line's record id.")]


@router.get("/county-lines/{line_id}/status", responses=RECORD_ERRORS)
def read_status(session: SessionDep, actor: ActorDep, line_id: LineId) -> dict[str, Any]:
    """The line's status and why, and what was done about its runners and addresses."""
    view = line_status(session, actor=actor, line_id=line_id)
    return {
        "id": view.id,
        "name": view.name,
        "status": view.status.value,
        "since": view.since.isoformat() if view.since else None,
        "deal_line_last_activity": (
            view.deal_line_last_activity.isoformat() if view.deal_line_last_activity else None
        ),
        "runners": view.runners,
        "runners_safeguarded": view.runners_safeguarded,
        "cuckooed_addresses": view.cuckooed_addresses,
        "cuckooed_addresses_recovered": view.cuckooed_recovered,
        "changes": [
            {
                "status": c.status.value,
                "previous_status": c.previous.value,
                "effective_on": c.effective_on.isoformat(),
                "evidence_kind": c.evidence_kind.value,
                "evidence": c.evidence,
                "records": list(c.records),
                "automatic": c.automatic,
                "by": c.by,
                "organisation": c.organisation,
                "at": c.at.isoformat(),
            }
            for c in view.changes
        ],
    }
