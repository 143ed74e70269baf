"""Sample calls of the improvement tracker's read paths, for tests/policy/test_read_paths.py.

They run on the small intelligence world with a Norfolk finding made for the call.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.intel.world import World
from tests.policy.factories import make_actor
from threadline.clock import utcnow
from threadline.improvement import service
from threadline.model.security import Role
from threadline.storage.tables import AgencyRow, ImprovementFindingRow

SUPERVISOR = make_actor(roles=Role.SUPERVISOR, agency="force-own", username="supervisor@norfolk")


def make_finding(session: Session) -> int:
    """An open area for improvement about Norfolk."""
    norfolk = session.scalar(select(AgencyRow.id).where(AgencyRow.code == "norfolk"))
    assert norfolk is not None
    row = ImprovementFindingRow(
        force_id=norfolk,
        kind="afi",
        reference="AFI 1",
        source_report="SOC inspection",
        published_on=date(2026, 1, 10),
        wording="Share threats routinely.",
        response_due=date(2026, 3, 7),
        response="",
        status="open",
        created_at=utcnow(),
        updated_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row.id


SAMPLE_CALLS: dict[str, Callable[[Session, World], Any]] = {
    "threadline.improvement.service.list_findings": lambda s, w: service.list_findings(
        s, actor=SUPERVISOR
    ),
    "threadline.improvement.service.get_finding": lambda s, w: service.get_finding(
        s, actor=SUPERVISOR, finding_id=make_finding(s)
    ),
    "threadline.improvement.service.search_owners": lambda s, w: service.search_owners(
        s, actor=SUPERVISOR, finding_id=make_finding(s), text="norfolk"
    ),
}
