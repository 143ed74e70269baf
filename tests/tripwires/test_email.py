"""Alert emails through a real SMTP server: a count and a link, never names or intelligence."""

from __future__ import annotations

import re

from tests.mail.inbox import Inbox, free_port
from tests.tripwires.region import Region, watched_runner
from threadline.check import check
from threadline.storage.db import session_scope


def _touch_runner(region: Region) -> tuple[str, str, str]:
    """Officer of Suffolk checks a watched runner; returns (LRO, email, runner name)."""
    runner = watched_runner(region, not_force="suffolk")
    email = f"{runner.lro.split('@')[0]}.{runner.lro_force}@police.test"
    region.execute("UPDATE user_account SET email = :e WHERE username = :u", e=email, u=runner.lro)
    with session_scope(region.engine) as session:
        check(session, actor=region.actor("officer@suffolk"), name=runner.name, dob=runner.dob)
    return runner.lro, email, runner.name


def _smtp(inbox: Inbox, region: Region) -> object:
    return region.settings(smtp_host="127.0.0.1", smtp_port=inbox.port, smtp_security="none")


def test_the_lro_is_emailed_a_count_and_a_link_with_no_names_or_intelligence(
    region: Region, inbox: Inbox
) -> None:
    lro, email, runner = _touch_runner(region)
    result = region.tick(_smtp(inbox, region))  # type: ignore[arg-type]

    assert result.counts["emails"] == 1
    assert inbox.recipients == [[email]]
    message = inbox.messages[0]
    assert message["Subject"] == "Threadline: 1 new alert"
    body = inbox.bodies()[0]
    assert "https://threadline.test/alerts" in body
    summary = region.scalar(
        "SELECT a.summary FROM alert a JOIN user_account u ON u.id = a.user_id "
        "WHERE u.username = :u",
        u=lro,
    )
    words = [*runner.split(), "runner", "Suffolk", "officer", "checked", "OCG", "line"]
    text = f"{message['Subject']}\n{body}"
    for word in words:
        assert not re.search(rf"\b{re.escape(word)}\b", text, re.IGNORECASE), word
    assert runner.split()[-1].upper() in summary  # the detail is in the app only
    emailed = region.rows(
        "SELECT d.form, e.event FROM dissemination d JOIN audit_event e "
        "ON e.id = d.audit_event_id WHERE d.item_kind = 'alert' ORDER BY d.form"
    )
    assert ("email", "alert.emailed") in emailed and ("app", "alert.raised") in emailed
    # Both rows name the group, so "who knows about this group?" counts the email too.
    groups = region.rows("SELECT DISTINCT group_id FROM dissemination WHERE item_kind = 'alert'")
    assert len(groups) == 1 and groups[0][0] is not None
    assert region.scalar("SELECT count(*) FROM alert WHERE emailed_at IS NULL") == 0

    again = region.tick(_smtp(inbox, region))  # type: ignore[arg-type]
    assert again.counts["emails"] == 0 and len(inbox.messages) == 1


def test_without_smtp_alerts_stay_in_the_app(region: Region) -> None:
    _touch_runner(region)
    result = region.tick()
    assert result.counts["alerts"] == 1 and result.counts["emails"] == 0
    assert any("THREADLINE_SMTP_HOST" in note for note in result.notes)
    assert region.scalar("SELECT count(*) FROM alert WHERE emailed_at IS NULL") == 1


def test_a_failed_send_is_retried_on_the_next_tick(region: Region, inbox: Inbox) -> None:
    _touch_runner(region)
    nowhere = region.settings(smtp_host="127.0.0.1", smtp_port=free_port(), smtp_security="none")
    failed = region.tick(nowhere)
    assert failed.counts["alerts"] == 1 and failed.counts["emails"] == 0
    assert any("retried on the next tick" in note for note in failed.notes)
    assert region.scalar("SELECT count(*) FROM alert WHERE emailed_at IS NULL") == 1

    retried = region.tick(_smtp(inbox, region))  # type: ignore[arg-type]
    assert retried.counts["emails"] == 1 and len(inbox.messages) == 1
    assert region.scalar("SELECT count(*) FROM alert WHERE emailed_at IS NULL") == 0
