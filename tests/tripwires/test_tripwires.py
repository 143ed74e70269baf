"""Tripwires on the demo region: a check on a watched record alerts its watchers once.

The issue's "done when": an officer of another force checks a watched runner and, within
one `tick`, exactly one alert reaches the LRO of the group running the line; a second
tick adds nothing; the register shows the alert with its audit event.
"""

from __future__ import annotations

import json

import pytest

from tests.tripwires.region import Region, watched_runner
from threadline.check import check
from threadline.storage.db import session_scope
from threadline.tripwires import list_alerts


def _check(region: Region, username: str, name: str, dob: str) -> int:
    officer = region.actor(username)
    with session_scope(region.engine) as session:
        result = check(session, actor=officer, name=name, dob=dob)
    assert result.audit_event_id is not None
    return result.audit_event_id


def _alerts_to(region: Region, username: str) -> list[tuple[int, int, int, str, str]]:
    return region.rows(
        "SELECT a.id, a.entity_id, a.event_id, a.kind, a.summary FROM alert a "
        "JOIN user_account u ON u.id = a.user_id WHERE u.username = :u ORDER BY a.id",
        u=username,
    )


def test_a_check_by_another_force_alerts_the_lro_once_and_the_register_shows_it(
    region: Region,
) -> None:
    runner = watched_runner(region, not_force="suffolk")
    event_id = _check(region, "officer@suffolk", runner.name, runner.dob)

    first = region.tick()

    alerts = _alerts_to(region, runner.lro)
    assert len(alerts) == 1, alerts
    alert_id, entity_id, tripped_by, kind, summary = alerts[0]
    assert (entity_id, tripped_by, kind) == (runner.entity_id, event_id, "check")
    family = runner.name.split()[-1].upper()
    assert summary.startswith("An officer of Suffolk Constabulary")
    assert f"checked {runner.name.split()[0]}" in summary and family in summary
    assert "runner for the" in summary and "Audit event" not in summary  # no numbers
    officer_name = region.scalar(
        "SELECT display_name FROM user_account WHERE username = 'officer@suffolk'"
    )
    assert officer_name not in summary  # another force's officer is not named
    assert first.counts["alerts"] >= 1

    second = region.tick()
    assert second.counts["alerts"] == 0 and second.counts["partner_alerts"] == 0
    assert len(_alerts_to(region, runner.lro)) == 1

    register = region.rows(
        "SELECT d.form, d.subject_id, d.audit_event_id, e.event, e.action, e.recipients "
        "FROM dissemination d JOIN audit_event e ON e.id = d.audit_event_id "
        "WHERE d.item_kind = 'alert' AND d.item_id = :a",
        a=alert_id,
    )
    assert len(register) == 1
    form, subject, _, event, action, recipients = register[0]
    assert (form, subject, event) == ("app", runner.entity_id, "alert.raised")
    assert action in ("disclosure", "consultation")
    assert json.loads(recipients) == [runner.lro_force]


def test_the_watcher_is_not_alerted_about_their_own_check(region: Region) -> None:
    runner = watched_runner(region, not_force="suffolk")
    _check(region, runner.lro, runner.name, runner.dob)
    result = region.tick()
    assert _alerts_to(region, runner.lro) == []
    assert result.counts["alerts"] == 0


def test_a_colleague_of_the_same_force_is_named(region: Region) -> None:
    runner = watched_runner(region, not_force="suffolk")
    colleague = f"officer@{runner.lro_force}"
    _check(region, colleague, runner.name, runner.dob)
    region.tick()
    (alert,) = _alerts_to(region, runner.lro)
    name = region.scalar("SELECT display_name FROM user_account WHERE username = :u", u=colleague)
    assert f"{name} ({colleague})" in alert[4]


def test_a_watcher_not_cleared_for_a_secret_record_is_not_told(region: Region) -> None:
    runner = watched_runner(region, not_force="suffolk")
    region.execute("UPDATE entity SET marking = 'SECRET' WHERE id = :i", i=runner.entity_id)
    region.execute(
        "UPDATE user_account SET clearance = 'SECRET' WHERE username = 'officer@suffolk'"
    )
    region.execute(
        "UPDATE user_account SET clearance = 'OFFICIAL-SENSITIVE' WHERE username = :u",
        u=runner.lro,
    )
    _check(region, "officer@suffolk", runner.name, runner.dob)
    result = region.tick()
    assert _alerts_to(region, runner.lro) == []
    assert result.counts["withheld"] >= 1


def test_an_alert_lists_for_its_reader_and_never_for_someone_else(region: Region) -> None:
    runner = watched_runner(region, not_force="suffolk")
    _check(region, "officer@suffolk", runner.name, runner.dob)
    region.tick()
    with session_scope(region.engine) as session:
        mine = list_alerts(session, actor=region.actor(runner.lro))
    with session_scope(region.engine) as session:
        theirs = list_alerts(session, actor=region.actor("officer@suffolk"))
    assert [a.entity_id for a in mine] == [runner.entity_id]
    assert theirs == []


def test_opening_a_group_profile_alerts_about_the_group_not_every_member(
    region: Region,
) -> None:
    from threadline.dossier import get_organisation

    runner = watched_runner(region, not_force="suffolk")
    group_id = region.scalar(
        "SELECT group_id FROM watch WHERE entity_id = :i AND ended_at IS NULL",
        i=runner.entity_id,
    )
    with session_scope(region.engine) as session:
        get_organisation(session, actor=region.actor("analyst@suffolk"), organisation_id=group_id)
    region.tick()
    alerts = _alerts_to(region, runner.lro)
    assert [(a[1], a[3]) for a in alerts] == [(group_id, "profile")]
    assert "An analyst of Suffolk Constabulary opened the record of" in alerts[0][4]


@pytest.mark.parametrize("partner", ["partner@norfolk-cads"])
def test_police_touching_a_watched_child_tells_no_partner_even_one_who_may_see_it(
    region: Region, partner: str
) -> None:
    from threadline.policy import Action, Cohort, decide, entity_facts, load_context

    # A watched child in Norfolk whom the partner's agreement covers.
    candidates = region.rows(
        "SELECT DISTINCT w.entity_id, p.given_names || ' ' || p.family_name, p.dob_year, "
        "p.dob_month, p.dob_day FROM watch w JOIN person p ON p.entity_id = w.entity_id "
        "WHERE w.ended_at IS NULL AND p.dob_day IS NOT NULL ORDER BY w.entity_id"
    )
    reader = region.actor(partner)
    child = None
    with session_scope(region.engine) as session:
        ctx = load_context(session, reader)
        facts = entity_facts(session, [c[0] for c in candidates], on=ctx.on)
        for row in candidates:
            fact = facts[row[0]]
            allowed = decide(actor=reader, action=Action.READ, resource=fact.resource(), ctx=ctx)
            if Cohort.UNDER_18 in fact.cohorts and allowed.allowed:
                child = row
                break
    assert child is not None, "no watched child in the demo that the partner may see"
    _, name, year, month, day = child
    _check(region, "officer@suffolk", name, f"{year:04d}-{month:02d}-{day:02d}")
    result = region.tick()
    # Partners are told, never watched over: a police check is not news for them (§3a).
    assert result.counts["partner_alerts"] == 0
    assert _alerts_to(region, partner) == []
    assert _alerts_to(region, "partner@norfolk-schools") == []
    partner_rows = region.rows(
        "SELECT a.summary FROM alert a JOIN user_account u ON u.id = a.user_id "
        "JOIN agency g ON g.id = u.agency_id WHERE g.kind NOT IN ('force', 'regional_unit')"
    )
    assert partner_rows == []
