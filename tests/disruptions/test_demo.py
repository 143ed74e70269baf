"""The demo's disruptions: every force has some; in Norfolk county lines outnumber the rest
of its serious and organised crime; grades are validated and regraded; arrests lead to
custodial sentences; housing leads a closure order; adding them again adds nothing."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from tests.templates import copy_database, demo_region
from threadline.accounts.login import actor_for
from threadline.demo.disruptions import add_demo_disruptions
from threadline.disruptions import DisruptionFilters, list_disruptions, sentence_totals
from threadline.reference.geography import FORCES
from threadline.storage.db import make_engine, session_scope


def test_disruptions_for_every_force_with_county_lines_leading_in_norfolk(
    tmp_path: Path,
) -> None:
    engine = make_engine(str(copy_database(demo_region(800), tmp_path / "demo.db")))
    with session_scope(engine) as session:
        made = add_demo_disruptions(session)
        assert made.disruptions > 50 and made.validated and made.regraded and made.outcomes
    with session_scope(engine) as session:
        regional = actor_for(session, "supervisor@ersou")
        page = list_disruptions(session, actor=regional, limit=200)
        forces = Counter(d.agency_code for d in page.items)
        assert set(forces) == {force.code for force in FORCES}
        norfolk = [d for d in page.items if d.agency_code == "norfolk"]
        lines = sum(d.theme == "drugs_county_lines" for d in norfolk)
        assert lines > len(norfolk) - lines
        assert {"claimed", "validated", "regraded"} <= set(page.by_validation)
        led = [d for d in page.items if d.lead_agency_code]
        assert any(t.tactic == "closure_order" for d in led for t in d.tactics)
        housing = list_disruptions(
            session, actor=regional, filters=DisruptionFilters(tactic="closure_order")
        )
        assert housing.total >= len(FORCES) - 1
        by_force = {t.key: t for t in sentence_totals(session, actor=regional, by="force")}
        assert by_force["norfolk"].years == max(t.years for t in by_force.values())
        assert by_force["norfolk"].years > 100
    with session_scope(engine) as session:
        assert add_demo_disruptions(session).disruptions == 0
    engine.dispose()
