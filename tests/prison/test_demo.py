"""The demo region's prisoners, end to end: calls to deal lines alert the right LRO once
each, the dashboard lists members with no plan until one exists, release alerts fire once
per threshold, and releases reach the right area's briefing list."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from tests.templates import copy_database, demo_region
from threadline.accounts import actor_for
from threadline.cli.main import app
from threadline.clock import utcnow
from threadline.demo.prison import add_demo_prison
from threadline.errors import InvalidData
from threadline.prison.dashboard import list_unmonitored
from threadline.prison.plans import create_plan
from threadline.prison.release import releases_for_areas
from threadline.schedule import tick
from threadline.settings import Settings
from threadline.storage.db import make_engine, session_scope
from threadline.storage.prison_tables import (
    CustodyEpisodeRow,
    PrisonAlertRow,
    PrisonHitRow,
    PrisonIntelRow,
)
from threadline.storage.sharing_tables import AlertRow
from threadline.storage.tables import LinkRow, LocationRow, OrganisationRow

SETTINGS = Settings(secret_key="prison-demo-tests-secret-key-long-enough-for-hmac")
_TEMPLATE: dict[str, Path] = {}


def _template(folder: Path) -> Path:
    if "db" not in _TEMPLATE:
        # The demo region at 400 people with its users, built once per run (templates.py).
        path = copy_database(demo_region(400), folder / "prison-region.db")
        engine = make_engine(str(path))
        with session_scope(engine) as session:
            summary = add_demo_prison(session)
            assert summary.prisoners and summary.deal_line_calls and summary.visits
            assert summary.releases_within_90_days >= 3
            assert add_demo_prison(session).prisoners == 0  # idempotent
        engine.dispose()
        _TEMPLATE["db"] = path
    return _TEMPLATE["db"]


@pytest.fixture
def region(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    template = tmp_path_factory.getbasetemp() / "prison-region-template"
    template.mkdir(exist_ok=True)
    target = tmp_path / "region.db"
    shutil.copy(_template(template), target)
    engine = make_engine(str(target))
    yield engine
    engine.dispose()


def _tick(engine: Engine, now: datetime) -> dict[str, int]:
    (result,) = tick(engine, settings=SETTINGS, now=now, only=("prison",))
    assert result.error is None, result.error
    return result.counts


def test_each_call_to_a_deal_line_alerts_the_groups_lro_exactly_once(region: Engine) -> None:
    counts = _tick(region, utcnow())
    assert counts["hits"] > 0
    with session_scope(region) as session:
        hits = session.scalars(select(PrisonHitRow).where(PrisonHitRow.reason == "deal_line")).all()
        assert hits
        for hit in hits:
            lro = session.scalar(
                select(OrganisationRow.lro_id).where(OrganisationRow.entity_id == hit.group_id)
            )
            assert lro is not None
            (alert,) = session.scalars(
                select(AlertRow)
                .join(PrisonAlertRow, PrisonAlertRow.alert_id == AlertRow.id)
                .where(PrisonAlertRow.key == hit.alert_key, AlertRow.user_id == lro)
            ).all()
            assert "called deal line" in alert.summary
            calls = sum(1 for h in hits if h.alert_key == hit.alert_key)
            assert alert.summary.endswith(
                ("once this week", "twice this week", f"{calls} times this week")
            )
        before = session.scalar(select(func.count()).select_from(AlertRow))
    assert _tick(region, utcnow())["contact_alerts"] == 0
    with session_scope(region) as session:
        assert session.scalar(select(func.count()).select_from(AlertRow)) == before


def test_a_member_without_a_plan_leaves_the_dashboard_once_planned(region: Engine) -> None:
    with session_scope(region) as session:
        lro = actor_for(session, "lro@norfolk")
        listed = list_unmonitored(session, actor=lro, force="norfolk")
        assert listed and all(
            row.problem == "No monitoring plan" or "overdue" in row.problem for row in listed
        )
        first = listed[0]
        create_plan(
            session,
            actor=lro,
            settings=SETTINGS,
            person_id=first.person_id,
            plan_type="offence_related",
            monitored="PIN-phone calls and visits",
        )
        after = list_unmonitored(session, actor=lro, force="norfolk")
        assert first.person_id not in {row.person_id for row in after}
        assert len(after) == len(listed) - 1


def test_release_alerts_fire_once_per_threshold(region: Engine) -> None:
    with session_scope(region) as session:
        soonest = session.scalars(
            select(CustodyEpisodeRow).order_by(CustodyEpisodeRow.release_date)
        ).first()
        assert soonest is not None and soonest.release_date is not None
        release, episode = soonest.release_date, soonest.id
    raised = []
    for days in (95, 90, 60, 30, 20, 7, 3):
        now = datetime.combine(release - timedelta(days=days), datetime.min.time())
        _tick(region, now)
        with session_scope(region) as session:
            keys = session.scalars(
                select(PrisonAlertRow.key).where(PrisonAlertRow.key.like(f"release:{episode}:%"))
            ).all()
        raised.append(sorted(set(keys)))
    assert raised[0] == []
    assert raised[-1] == [f"release:{episode}:30", f"release:{episode}:7", f"release:{episode}:90"]
    assert raised[1] == raised[2] == [f"release:{episode}:90"]


def test_a_release_is_listed_for_the_area_the_person_lives_in(region: Engine) -> None:
    with session_scope(region) as session:
        episodes = session.scalars(select(CustodyEpisodeRow)).all()
        homes = dict(
            session.execute(
                select(LinkRow.from_id, LocationRow.area_id)
                .join(LocationRow, LocationRow.entity_id == LinkRow.to_id)
                .where(LinkRow.link_type == "resides_at", LocationRow.area_id.is_not(None))
            ).all()
        )
        housed = [e for e in episodes if e.person_id in homes and e.release_date]
        assert housed
        episode = min(housed, key=lambda e: e.release_date)  # type: ignore[arg-type,return-value]
        area = homes[episode.person_id]
        assert episode.release_date is not None
        found = releases_for_areas(session, area_ids=[area], on=episode.release_date)
        assert episode.person_id in {r.person_id for r in found[area]}
        elsewhere = releases_for_areas(
            session, area_ids=[a for a in set(homes.values()) if a != area], on=episode.release_date
        )
        assert episode.person_id not in {r.person_id for rs in elsewhere.values() for r in rs}


def test_stats_prison_json_counts_each_force(region: Engine) -> None:
    _tick(region, utcnow())
    path = region.url.database
    assert path is not None
    result = CliRunner().invoke(app, ["--db", path, "stats", "prison", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    norfolk = next(f for f in figures["forces"] if f["force"] == "norfolk")
    assert norfolk["ocg_members_in_custody"] >= 3
    assert norfolk["releases_next_90_days"] >= 3
    assert figures["region"]["contacts_detected_90_days"] > 0
    assert 0 <= norfolk["share_under_in_date_plan"] <= 1
    assert (
        norfolk["no_plan_or_overdue"] + norfolk["under_in_date_plan"]
        == (norfolk["ocg_members_in_custody"])
    )
    table = CliRunner().invoke(app, ["--db", path, "stats", "prison"])
    assert table.exit_code == 0 and "norfolk" in table.output
    bad = CliRunner().invoke(app, ["--db", path, "stats", "prison", "--on", "31/02/2026"])
    assert isinstance(bad.exception, InvalidData)  # main() prints it as one line
    assert bad.exception.errors[0].location == "--on"


def test_probation_hears_of_a_release_by_prison_number_and_cads_does_not(
    region: Engine,
) -> None:
    with session_scope(region) as session:
        soonest = session.scalars(
            select(CustodyEpisodeRow).order_by(CustodyEpisodeRow.release_date)
        ).first()
        assert soonest is not None and soonest.release_date is not None
        release, number = soonest.release_date, soonest.prison_number
        probation = actor_for(session, "partner@probation-east-of-england").user_id
        cads = actor_for(session, "partner@norfolk-cads").user_id
    _tick(region, datetime.combine(release - timedelta(days=25), datetime.min.time()))
    with session_scope(region) as session:
        told: dict[int, list[str]] = {}
        for user, summary in session.execute(
            select(AlertRow.user_id, AlertRow.summary).where(AlertRow.kind == "release")
        ):
            told.setdefault(user, []).append(summary)
    # The prisons' agreement with probation covers custody episodes of OCG members.
    assert any(number in s and "due for release" in s for s in told[probation or 0])
    assert cads not in told


def test_no_prisoner_is_visited_by_someone_in_custody_at_the_time(region: Engine) -> None:
    with session_scope(region) as session:
        episodes = session.execute(
            select(
                CustodyEpisodeRow.person_id,
                CustodyEpisodeRow.received_on,
                CustodyEpisodeRow.released_on,
            ).where(CustodyEpisodeRow.person_id.is_not(None))
        ).all()
        visits = session.execute(
            select(
                PrisonIntelRow.other_id, PrisonIntelRow.occurred_at, PrisonIntelRow.visitor_name
            ).where(PrisonIntelRow.kind == "visit")
        ).all()
    assert visits
    for visitor, at, name in visits:
        held = [
            (received, released)
            for person, received, released in episodes
            if person == visitor
            and received <= at.date()
            and (released is None or released > at.date())
        ]
        assert not held, f"visitor {name} was in custody on {at:%d %B %Y}"
        assert name and name != "Social visitor"  # the visitor's name, as the gate took it
    # The prison knows each prisoner it holds by name.
    with session_scope(region) as session:
        assert all(session.scalars(select(CustodyEpisodeRow.family_name)))
