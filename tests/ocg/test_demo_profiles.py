"""The demo's group profiles: consistent with what each group does, one of Norfolk's
archived with a reason, the same on every build, and added once."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import func, select, update

from tests.templates import copy_database, demo_region
from threadline.clock import utcnow
from threadline.demo.ocg_profiles import ARCHIVE_REASON, EXAMPLE_GROUPS, add_demo_ocg_profiles
from threadline.model.links import LinkType
from threadline.storage import ocg_groups
from threadline.storage.db import make_engine, session_scope
from threadline.storage.tables import AuditEventRow, LinkRow, OcgProfileRow, OrganisationRow


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


def test_the_readmes_example_group_stays_active_and_another_of_norfolks_is_archived(
    tmp_path: Path,
) -> None:
    # Every group the README walks through is one the demo keeps active.
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert set(re.findall(r"Operation [A-Z]\w+", readme)) <= EXAMPLE_GROUPS
    engine = make_engine(str(copy_database(demo_region(800), tmp_path / "demo.db")))
    with session_scope(engine) as session:
        groups = [g for b in ocg_groups.group_batches(session, archived=True) for g in b]
        on = utcnow().date()
        norfolk = [g for g in groups if g.owner_code == "norfolk"]
        # The group the rule would pick (fewest lines, newest) is made the README's example.
        first = min(norfolk, key=lambda g: (len(ocg_groups.lines_of(session, g.id, on=on)), -g.id))
        example = sorted(EXAMPLE_GROUPS)[0]
        session.execute(
            update(OrganisationRow)
            .where(OrganisationRow.entity_id == first.id)
            .values(name=example)
        )
    with session_scope(engine) as session:
        made = add_demo_ocg_profiles(session)
        groups = [g for b in ocg_groups.group_batches(session, archived=True) for g in b]
    engine.dispose()
    archived = [g for g in groups if g.archived]
    kept = next(g for g in groups if g.id == first.id)
    assert made.archived == 1 and len(archived) == 1
    assert kept.name == example and not kept.archived  # the example stays active
    assert archived[0].owner_code == "norfolk" and archived[0].name not in EXAMPLE_GROUPS
