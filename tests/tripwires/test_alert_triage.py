"""Alert triage on a copy of the small demo region: one visit or one concern is one alert,
lists of many people alert nobody, and a reader's alerts come grouped, filtered, paged
and marked read in bulk (audited).
"""

from __future__ import annotations

import json
from datetime import datetime

from typer.testing import CliRunner

from tests.tripwires.region import Region, Watched, watched_runner
from threadline.check import check
from threadline.cli.main import app
from threadline.safeguarding.concerns import list_concerns, raise_concern
from threadline.safeguarding.referrals import list_referrals
from threadline.safeguarding.screening import list_screenings
from threadline.safeguarding.subjects import get_subject
from threadline.safeguarding.suggestions import find_suggested_victims
from threadline.storage.db import session_scope
from threadline.tripwires import Period, ReadState, mark_groups_read, triage_alerts

VISITOR = "analyst@suffolk"


def _alerts(region: Region, username: str) -> list[tuple[int, str, str]]:
    return region.rows(
        "SELECT a.entity_id, a.kind, a.summary FROM alert a "
        "JOIN user_account u ON u.id = a.user_id WHERE u.username = :u ORDER BY a.id",
        u=username,
    )


def _visit_safeguarding_page(region: Region, username: str, person_id: int) -> None:
    """What GET /people/{id}/safeguarding does: four audited reads."""
    actor = region.actor(username)
    with session_scope(region.engine) as session:
        get_subject(session, actor=actor, person_id=person_id)
        list_screenings(session, actor=actor, person_id=person_id)
        list_concerns(session, actor=actor, person_id=person_id)
        list_referrals(session, actor=actor, person_id=person_id)


def _check(region: Region, username: str, runner: Watched) -> None:
    with session_scope(region.engine) as session:
        check(session, actor=region.actor(username), name=runner.name, dob=runner.dob)


def test_one_visit_to_a_safeguarding_page_is_one_alert_in_plain_words(region: Region) -> None:
    runner = watched_runner(region, not_force="suffolk")
    _visit_safeguarding_page(region, VISITOR, runner.entity_id)
    region.tick()
    alerts = _alerts(region, runner.lro)
    assert len(alerts) == 1, alerts
    (entity_id, kind, summary) = alerts[0]
    assert entity_id == runner.entity_id and kind == "consultation"
    assert "looked at the safeguarding page of" in summary
    assert "raised a concern" not in summary and "Audit event" not in summary
    assert " at " in summary and "2026" in summary  # "7 December 2026 at 6:40am"


def test_one_concern_is_one_alert_and_a_list_read_never_says_a_concern_was_raised(
    region: Region,
) -> None:
    runner = watched_runner(region, not_force="suffolk")
    with session_scope(region.engine) as session:
        raise_concern(
            session,
            actor=region.actor("lro@suffolk"),
            person_id=runner.entity_id,
            text="Seen with older men in a car outside school.",
        )
    with session_scope(region.engine) as session:  # the concerns list read on its own
        list_concerns(session, actor=region.actor(VISITOR), person_id=runner.entity_id)
    region.tick()
    summaries = [s for _, _, s in _alerts(region, runner.lro)]
    raised = [s for s in summaries if "raised a concern" in s]
    assert len(raised) == 1, summaries
    assert any("no new concern was raised" in s for s in summaries)


def test_lists_of_many_people_alert_no_watcher(region: Region) -> None:
    actor = region.actor(VISITOR)
    with session_scope(region.engine) as session:
        listed = find_suggested_victims(session, actor=actor, limit=30)
        list_referrals(session, actor=actor, open_only=True, limit=30)
    before = region.scalar("SELECT count(*) FROM alert")
    region.tick()
    assert len(listed) > 1
    assert region.scalar("SELECT count(*) FROM alert") == before


def test_checks_group_by_record_reads_roll_into_a_daily_summary_and_bulk_read_is_audited(
    region: Region,
) -> None:
    runner = watched_runner(region, not_force="suffolk")
    for _ in range(3):
        _check(region, "officer@suffolk", runner)
    _visit_safeguarding_page(region, VISITOR, runner.entity_id)
    region.tick()
    _visit_safeguarding_page(region, "lro@suffolk", runner.entity_id)
    region.tick()
    assert len(_alerts(region, runner.lro)) == 5  # 3 checks, 2 visits by two people

    lro = region.actor(runner.lro)
    with session_scope(region.engine) as session:
        triage = triage_alerts(session, actor=lro)
    keys = {g.key: g for g in triage.groups}
    assert triage.total_alerts == 5 and triage.unread_alerts == 5 and triage.total_groups == 2
    checks = keys[f"r-{runner.entity_id}-check"]
    family = runner.name.split()[-1].upper()
    assert checks.headline.startswith(runner.name.split()[0]) and family in checks.headline
    assert ": 3 checks, newest " in checks.headline
    (daily,) = [g for g in triage.groups if g.daily]
    assert daily.headline.startswith("Daily summary for ")
    assert "2 reads of 1 record you watch" in daily.headline
    assert triage.kinds == {"check": 3, "consultation": 2}

    with session_scope(region.engine) as session:  # filter and paging
        only_checks = triage_alerts(session, actor=lro, kind="check")
        first = triage_alerts(session, actor=lro, per_page=1)
        second = triage_alerts(session, actor=lro, per_page=1, page=2)
        week = triage_alerts(session, actor=lro, period=Period.WEEK)
        later = triage_alerts(session, actor=lro, period=Period.WEEK, now=datetime(2099, 1, 1))
    assert [g.key for g in only_checks.groups] == [checks.key] and only_checks.total_alerts == 3
    assert (first.pages, first.total_groups, len(first.groups)) == (2, 2, 1)
    assert first.groups[0].key != second.groups[0].key and second.page == 2
    assert week.total_alerts == 5 and later.total_alerts == 0

    with session_scope(region.engine) as session:
        marked = mark_groups_read(session, actor=lro, keys=[checks.key], upto=triage.upto)
    assert marked == 3
    with session_scope(region.engine) as session:
        unread = triage_alerts(session, actor=lro, state=ReadState.UNREAD)
        read = triage_alerts(session, actor=lro, state=ReadState.READ)
    assert [g.key for g in unread.groups] == [daily.key]
    assert [g.key for g in read.groups] == [checks.key]
    (details,) = [
        json.loads(d)
        for (d,) in region.rows(
            "SELECT details FROM audit_event WHERE event = 'alert.read' ORDER BY id DESC LIMIT 1"
        )
    ]
    assert len(details["alerts"]) == 3


def test_no_one_marks_or_sees_another_readers_groups(region: Region) -> None:
    runner = watched_runner(region, not_force="suffolk")
    _check(region, "officer@suffolk", runner)
    region.tick()
    key = f"r-{runner.entity_id}-check"
    with session_scope(region.engine) as session:
        other = region.actor("lro@suffolk")
        assert triage_alerts(session, actor=other).total_alerts == 0
        assert mark_groups_read(session, actor=other, keys=[key]) == 0
    assert region.scalar("SELECT count(*) FROM alert WHERE read_at IS NULL") >= 1


def test_the_console_filters_by_kind_and_groups_like_the_page(region: Region) -> None:
    runner = watched_runner(region, not_force="suffolk")
    for _ in range(2):
        _check(region, "officer@suffolk", runner)
    _visit_safeguarding_page(region, VISITOR, runner.entity_id)
    region.tick()

    def run(*args: str) -> list[dict[str, object]]:
        result = CliRunner().invoke(app, ["--db", str(region.path), "alerts", *args])
        assert result.exit_code == 0, result.output
        return json.loads(result.output)  # type: ignore[no-any-return]

    checks = run("--as", runner.lro, "--kind", "check", "--unread", "--json")
    assert [a["kind"] for a in checks] == ["check", "check"]
    groups = run("--as", runner.lro, "--grouped", "--json")
    assert sorted((g["kind"], g["count"]) for g in groups) == [("check", 2), ("daily", 1)]
    wrong = CliRunner().invoke(
        app, ["--db", str(region.path), "alerts", "--as", runner.lro, "--kind", "nonsense"]
    )
    assert wrong.exit_code != 0 and "nonsense" in wrong.output
