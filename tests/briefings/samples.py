"""Sample calls of the briefing and digest read paths, for tests/policy/test_read_paths.py.

They run on the small intelligence world (tests/intel/world.py): a pack for Ipswich (the
Suffolk officer's force) and a digest for CADS (the partner's organisation) are written
straight into their tables, so the only audit event is the read path's own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.intel.world import World
from tests.policy.factories import make_actor
from threadline import briefings, digests
from threadline.model.security import Role
from threadline.settings import Settings
from threadline.storage.sharing_tables import BriefingRow, DigestRow
from threadline.storage.tables import AgencyRow, AreaRow

AT = datetime(2026, 1, 1, 7, 0)


def sample_briefing(session: Session) -> int:
    area = session.scalar(select(AreaRow.id).where(AreaRow.code == "ipswich"))
    assert area is not None
    row = BriefingRow(area_id=area, shift_start=AT, compiled_at=AT)
    session.add(row)
    session.flush()
    return row.id


def sample_digest(session: Session, agency_code: str) -> int:
    agency = session.scalar(select(AgencyRow.id).where(AgencyRow.code == agency_code))
    assert agency is not None
    row = DigestRow(agency_id=agency, period_start=AT, compiled_at=AT)
    session.add(row)
    session.flush()
    return row.id


SAMPLE_CALLS: dict[str, Callable[[Session, World], Any]] = {
    "threadline.briefings.reading.get_briefing": lambda s, w: briefings.get_briefing(
        s, actor=w.officer, briefing_id=sample_briefing(s)
    ),
    "threadline.briefings.reading.list_briefings": lambda s, w: briefings.list_briefings(
        s, actor=w.officer, settings=Settings()
    ),
    "threadline.briefings.reading.list_readers": lambda s, w: briefings.list_readers(
        s,
        actor=make_actor(roles=Role.SUPERVISOR, agency="force-other"),
        briefing_id=sample_briefing(s),
    ),
    "threadline.digests.reading.get_digest": lambda s, w: digests.get_digest(
        s, actor=w.partner, digest_id=sample_digest(s, w.partner.agency_code)
    ),
    "threadline.digests.reading.list_digests": lambda s, w: digests.list_digests(
        s, actor=w.partner
    ),
}
