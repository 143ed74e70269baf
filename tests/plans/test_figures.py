"""Plan figures by force count only the groups the reader may see."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import make_organisation
from tests.plans.world import ADMIN, PlanWorld
from threadline.accounts import set_clearance
from threadline.plans import add_action, plan_figures, record_review
from threadline.storage.tables import AuditEventRow

TODAY = date(2026, 12, 7)


def test_figures_by_force_over_the_groups_the_reader_may_see(
    session: Session, world: PlanWorld
) -> None:
    lro = world.actor(session, "lro@norfolk")
    add_action(session, actor=lro, group_id=world.group, strand="pursue",
               description="Warrant", owner="lro@norfolk", due="2026-12-20",
               today=TODAY)  # fmt: skip
    record_review(session, actor=lro, group_id=world.group, note="Set up")
    # A SECRET Norfolk group with no plan, which an OFFICIAL-SENSITIVE officer may not see.
    make_organisation(session, name="Operation Heron", org_type="ocg", marking="SECRET")
    session.commit()

    figures = plan_figures(session, actor=lro, on=TODAY)
    by_force = {row.force: row for row in figures.forces}
    assert by_force["norfolk"].groups == 2 and by_force["norfolk"].no_plan == 1
    assert by_force["norfolk"].current == 1
    assert by_force["suffolk"].groups == 1 and by_force["suffolk"].no_plan == 1
    assert figures.total.groups == 3
    late = plan_figures(session, actor=lro, on=date(2026, 12, 21))
    assert late.total.actions_late == 1

    set_clearance(session, actor=ADMIN, username="officer@norfolk", clearance="OFFICIAL-SENSITIVE")
    officer = world.actor(session, "officer@norfolk")
    lower = plan_figures(session, actor=officer, on=TODAY)
    assert lower.total.groups == 2  # Operation Heron is not counted
    event = session.scalars(
        select(AuditEventRow)
        .where(AuditEventRow.event == "ocg.plan_figures_viewed")
        .order_by(AuditEventRow.id.desc())
    ).first()
    assert event is not None and event.action == "consultation"


def test_a_partner_gets_no_figures(session: Session, world: PlanWorld) -> None:
    partner = world.actor(session, "partner@norfolk-cads")
    figures = plan_figures(session, actor=partner, on=TODAY)
    assert figures.forces == [] and figures.total.groups == 0
