"""The demo's group profiles: consistent with what each group does, one of Norfolk's
archived with a reason, the same on every build, and added once."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from tests.templates import copy_database, demo_region
from threadline.demo.ocg_profiles import ARCHIVE_REASON, add_demo_ocg_profiles
from threadline.model.links import LinkType
from threadline.storage import ocg_groups
from threadline.storage.db import make_engine, session_scope
from threadline.storage.tables import AuditEventRow, LinkRow, OcgProfileRow


def test_every_group_is_profiled_as_it_works_and_one_of_norfolks_is_archived(
    tmp_path: Path,
) -> None:
    engine = make_engine(str(copy_database(demo_region(800), tmp_path / "demo.db")))
    with session_scope(engine) as session:
        made = add_demo_ocg_profiles(session)
    with session_scope(engine) as session:
        again = add_demo_ocg_profiles(session)
        groups = [g for b in ocg_groups.group_batches(session, archived=True) for g in b]
        line_runners = set(
            session.scalars(
                select(LinkRow.from_id).where(LinkRow.link_type == LinkType.RUNS_LINE.value)
            )
        )
        archived = [g for g in groups if g.archived]
        events = session.scalar(select(func.count()).where(AuditEventRow.event == "ocg.archived"))
        profiles = session.scalar(select(func.count()).select_from(OcgProfileRow))
    engine.dispose()
    assert made.profiled == len(groups) == profiles and made.archived == 1
    assert (again.profiled, again.archived) == (0, 0)
    for group in groups:
        assert group.commodities and group.crime_types, group.name
        if group.name.startswith("Operation "):
            assert group.operation_name == group.name
        if group.id in line_runners:
            assert {"crack_cocaine", "heroin"} <= set(group.commodities)
            assert "county_lines" in group.crime_types
            assert "use_of_children" in group.counter_measures
    assert [g.owner_code for g in archived] == ["norfolk"]
    assert archived[0].archived_reason == ARCHIVE_REASON and events == 1
