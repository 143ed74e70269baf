"""An immediate threat notice (issue 14, item 11) reaches the shift in progress, not the
next one: published as immediate, it is in this shift's Norwich briefing at once (added
to a pack compiled earlier in the shift, or compiled now), the frontline officers of
Norwich on duty have an alert and a link-only email through a real SMTP server, and an
officer of another area, or a partner, is told nothing. Doing it again adds nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.mail.inbox import Inbox, running_inbox
from tests.notices.world import NoticeWorld, draft
from threadline.accounts import add_user
from threadline.briefings import compile_briefings
from threadline.briefings.immediate import brief_now
from threadline.clock import utcnow
from threadline.model.security import system_actor
from threadline.settings import Settings
from threadline.storage.sharing_tables import AlertRow, BriefingItemRow, BriefingRow
from threadline.storage.tables import AreaRow, AuditEventRow, UserRow
from threadline.tripwires.immediate import publish_immediately

NOW = utcnow().replace(microsecond=0)
OFFICERS = (  # username, home area, email
    ("pc.norwich@norfolk", "norwich", "pc.norwich@police.test"),
    ("pc.yarmouth@norfolk", "great-yarmouth", "pc.yarmouth@police.test"),
)


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    with running_inbox() as found:
        yield found


def _officers(session: Session) -> None:
    for username, area, email in OFFICERS:
        add_user(
            session,
            actor=system_actor("ersou", "test"),
            username=username,
            display_name=username.split("@")[0],
            agency_code="norfolk",
            roles=["frontline"],
            clearance="OFFICIAL-SENSITIVE",
            home_areas=[area],
            email=email,
            password="correct horse battery staple",
        )


def _smtp(inbox: Inbox) -> Settings:
    return Settings(
        smtp_host="127.0.0.1",
        smtp_port=inbox.port,
        smtp_security="none",
        base_url="https://threadline.test",
    )


def _norwich_items(session: Session, notice_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(BriefingItemRow)
            .join(BriefingRow, BriefingRow.id == BriefingItemRow.briefing_id)
            .join(AreaRow, AreaRow.id == BriefingRow.area_id)
            .where(AreaRow.code == "norwich", BriefingItemRow.notice_id == notice_id)
        )
        or 0
    )


def _alerted(session: Session) -> list[tuple[str, str]]:
    return [
        (u, s)
        for u, s in session.execute(
            select(UserRow.username, AlertRow.summary).join(UserRow, UserRow.id == AlertRow.user_id)
        )
    ]


def test_an_immediate_notice_reaches_this_shift_and_the_officers_on_duty(
    session: Session, world: NoticeWorld, inbox: Inbox
) -> None:
    _officers(session)
    settings = _smtp(inbox)
    # The shift's packs were compiled before the notice existed.
    compile_briefings(session, now=NOW, settings=settings, areas=["norwich", "great-yarmouth"])
    notice = draft(session, world, subject=world.child, audiences=("area:norwich",))
    assert _norwich_items(session, notice.id) == 0

    done = publish_immediately(
        session, actor=world.analyst, ref=notice.ref, settings=settings, now=NOW
    )
    session.flush()
    assert done.areas == ["Norwich"] and done.alerted == 1 and done.emailed == 1, done
    assert _norwich_items(session, notice.id) == 1  # in this shift's pack, not the next

    ((who, summary),) = _alerted(session)
    assert who == "pc.norwich@norfolk"
    assert notice.ref in summary and "Norwich briefing for this shift" in summary
    assert inbox.recipients == [["pc.norwich@police.test"]]
    body = inbox.bodies()[0]
    assert "https://threadline.test/alerts" in body
    assert "Magdalen" not in body and "county line" not in body  # link only
    events = set(session.scalars(select(AuditEventRow.event)))
    assert {"threat_notice.immediate", "briefing.notice_added", "alert.raised"} <= events
    assert "alert.emailed" in events

    # Again: the pack already holds it; nothing more is added.
    again = brief_now(session, actor=world.analyst, notice_id=notice.id, now=NOW, settings=settings)
    assert [b.added for b in again] == [False]
    assert _norwich_items(session, notice.id) == 1


def test_an_area_without_a_pack_yet_gets_one_compiled_with_the_notice(
    session: Session, world: NoticeWorld
) -> None:
    _officers(session)
    notice = draft(session, world, subject=world.child, audiences=("area:norwich",))
    done = publish_immediately(
        session, actor=world.analyst, ref=notice.ref, settings=Settings(), now=NOW
    )
    assert done.alerted == 1 and done.emailed == 0 and done.notes  # no SMTP: in the app only
    assert _norwich_items(session, notice.id) == 1
    assert [u for u, _ in _alerted(session)] == ["pc.norwich@norfolk"]
