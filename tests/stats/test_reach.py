"""Partner reach (issue 14, item 6): of the threats in a partner's areas that its
agreements allow it to know about, how many it was told about, with the list behind it.

On the notices world (tests/notices/world.py), CADS also receives notices about exploited
children and county lines in Norwich (ISA-NFK-CADS-TN2). Worked by hand:

- Kestrel (adults only, no place): not due (no cohort of CADS's);
- Rook, a group operating in Norwich that uses the child Jo as a runner: due (exploited);
  a notice about Rook is published to CADS: told;
- DOVE, a line Rook runs into Norwich: due (county line); told by Rook's notice;
- ROCCO, a line into Norwich no notice mentions: due, not told;
- SHADE, a SECRET line into Norwich: due, not told, and not named to a reader not
  cleared for it;
- YARM (into Great Yarmouth) and Suffolk's RICO (into Ipswich): not due.

So CADS is due 4 (Rook, DOVE, ROCCO, SHADE) and was told of 2 (Rook, DOVE): 50%.
Norwich Housing (no agreement): nothing due.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import make_county_line, make_link, make_location, make_organisation
from tests.notices.world import NOTICE_FIELDS, NoticeWorld, draft
from tests.policy.factories import make_actor
from threadline.errors import Forbidden, InvalidData
from threadline.model.enums import Marking
from threadline.model.security import Role, system_actor
from threadline.notices import publish_notice
from threadline.sharing import add_isa
from threadline.stats.reach import HIDDEN, partner_reach, reach_drilldown
from threadline.stats.sharing import sharing_coverage
from threadline.storage.tables import AuditEventRow, AuditRecordRow


def _build(session: Session, world: NoticeWorld) -> dict[str, int]:
    add_isa(
        session,
        actor=system_actor(),
        ref="ISA-NFK-CADS-TN2",
        title="Norfolk and CADS: threat notices about county lines",
        purpose="Warn children's services of county lines exploiting children in Norwich",
        legal_basis="Crime and Disorder Act 1998 s115",
        providers=["norfolk"],
        recipients=["norfolk-cads"],
        data_items=list(NOTICE_FIELDS),
        areas=["norwich"],
        cohorts=["exploited", "county_line"],
        retention="One year from receipt",
        starts_on=date(2025, 1, 1),
        review_on=date(2099, 1, 1),
    )
    rook = make_organisation(session, name="Rook", org_type="ocg").entity_id
    base = make_location(session, line1="4 Rook Yard", area="norwich").entity_id
    make_link(session, from_id=rook, to_id=base, link_type="operates_from")
    make_link(session, from_id=world.child, to_id=rook, link_type="runner_for")
    ids = {"Rook": rook}
    for name, area, owner, marking in (
        ("DOVE", "norwich", "norfolk", "OFFICIAL"),
        ("ROCCO", "norwich", "norfolk", "OFFICIAL"),
        ("SHADE", "norwich", "norfolk", "SECRET"),
        ("YARM", "great-yarmouth", "norfolk", "OFFICIAL"),
        ("RICO", "ipswich", "suffolk", "OFFICIAL"),
    ):
        ids[name] = make_county_line(
            session, name=name, importing_area=area, owner=owner, marking=marking
        ).entity_id
    make_link(session, from_id=rook, to_id=ids["DOVE"], link_type="runs_line")
    notice = draft(
        session,
        world,
        subject=rook,
        title="Rook is using children to run drugs in Norwich",
        audiences=("area:norwich", "agency:norfolk-cads"),
    )
    publish_notice(session, actor=world.analyst, ref=notice.ref)
    session.flush()
    return ids


def test_reach_counts_the_threats_due_and_those_told(session: Session, world: NoticeWorld) -> None:
    ids = _build(session, world)
    found = partner_reach(session)
    cads = found["norfolk-cads"]
    due = {t.name: t.told for t in cads.threats}
    assert due == {"Rook": True, "DOVE": True, "ROCCO": False, "SHADE": False}
    assert (cads.reach.due, cads.reach.reached, cads.reach.share) == (4, 2, 0.5)
    assert found["norwich-housing"].reach.due == 0
    (rook,) = (t for t in cads.threats if t.id == ids["Rook"])
    assert rook.areas == ("Norwich",) and rook.owner and rook.notices
    # The dashboard's figures carry it, per partner and for the region.
    coverage = sharing_coverage(session).to_dict()
    (row,) = (p for p in coverage["partners"] if p["code"] == "norfolk-cads")
    assert row["reach"] == {"due": 4, "reached": 2, "share": 0.5}
    assert coverage["region"]["partners_told_of_threats"]["due"] >= 4


def test_the_drilldown_names_only_what_the_reader_may_read_and_is_audited(
    session: Session, world: NoticeWorld
) -> None:
    ids = _build(session, world)
    reader = make_actor(
        roles=Role.SUPERVISOR, username="supervisor@norfolk", clearance=Marking.OFFICIAL_SENSITIVE
    )
    shown = reach_drilldown(session, actor=reader, partner="norfolk-cads")
    names = sorted(t.name for t in shown.threats)
    assert names == sorted(["Rook", "DOVE", "ROCCO", HIDDEN])  # SHADE counted, not named
    (hidden,) = (t for t in shown.threats if t.name == HIDDEN)
    assert (hidden.id, hidden.areas, hidden.notices, hidden.told) == (0, (), (), False)
    assert (shown.reach.due, shown.reach.reached) == (4, 2)
    event = session.scalars(select(AuditEventRow).order_by(AuditEventRow.id.desc()).limit(1)).one()
    assert event.event == "sharing.reach_viewed"
    listed = set(
        session.scalars(select(AuditRecordRow.entity_id).where(AuditRecordRow.event_id == event.id))
    )
    assert listed == {ids["Rook"], ids["DOVE"], ids["ROCCO"]}


def test_the_drilldown_is_for_readers_of_the_sharing_dashboard(
    session: Session, world: NoticeWorld
) -> None:
    _build(session, world)
    with pytest.raises(Forbidden):
        reach_drilldown(session, actor=world.officer, partner="norfolk-cads")
    with pytest.raises(Forbidden):
        reach_drilldown(session, actor=world.cads, partner="norfolk-cads")
    with pytest.raises(InvalidData) as refused:
        reach_drilldown(session, actor=world.analyst, partner="nowhere")
    assert refused.value.errors[0].location == "partner"
