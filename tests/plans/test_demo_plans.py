"""The demo's 4P plans: most groups have one across all four strands, owned by officers
and partner organisations; Norfolk shows the gaps; adding them again adds nothing."""

from __future__ import annotations

from pathlib import Path

from tests.templates import copy_database, demo_region
from threadline.accounts.login import actor_for
from threadline.demo.ocg_plans import add_demo_ocg_plans
from threadline.plans import get_plan, plan_figures, plan_states
from threadline.storage import plans as store
from threadline.storage.db import make_engine, session_scope


def test_plans_in_every_state_with_norfolks_gaps(tmp_path: Path) -> None:
    engine = make_engine(str(copy_database(demo_region(800), tmp_path / "demo.db")))
    with session_scope(engine) as session:
        assert add_demo_ocg_plans(session) > 0
    with session_scope(engine) as session:
        groups = [g for g in store.group_records(session) if not g.archived]
        states = plan_states(session, [g.id for g in groups])
        planned = [g for g in groups if states[g.id].key != "no_plan"]
        assert len(planned) >= len(groups) * 3 // 4
        supervisor = actor_for(session, "supervisor@ersou")
        owners = set()
        for group in planned:
            plan = get_plan(session, actor=supervisor, group_id=group.id)
            assert all(plan.actions[strand] for strand in plan.actions), group.name
            owners |= {
                a.owner.organisation for s in plan.actions for a in plan.actions[s] if a.owner
            }
        assert {"norfolk-cads", "norwich-housing", "safe-passage-charity"} <= owners
        norfolk = [states[g.id] for g in groups if g.owner_code == "norfolk"]
        assert any(s.key == "no_plan" for s in norfolk)
        assert any(s.review_overdue for s in norfolk)
        assert any(s.actions_late for s in norfolk)
        elsewhere = [states[g.id] for g in groups if g.owner_code != "norfolk"]
        assert sum(s.key == "current" for s in elsewhere) > len(elsewhere) // 2
        figures = {row.force: row for row in plan_figures(session, actor=supervisor).forces}
        assert figures["norfolk"].current < figures["norfolk"].groups
    with session_scope(engine) as session:
        assert add_demo_ocg_plans(session) == 0
    engine.dispose()
