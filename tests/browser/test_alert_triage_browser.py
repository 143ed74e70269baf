"""Norfolk's LRO triages an hour's alerts on a phone.

Before the demo is served, other forces use it for a while: officers check a dozen of
the people Norfolk's LRO watches, several times each; analysts open their safeguarding
pages and the region's safeguarding lists; a concern is raised about one of them. Then
`tick` raises the alerts. The LRO's /alerts page groups them (one row per record and
kind, reads in one daily summary), so it stays short on a phone, and ticking two groups
and "Mark selected read" marks their alerts read.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine, text

from tests.browser.accessibility import AxeAudit
from tests.browser.conftest import PHONE, DemoSite, serve_demo
from tests.browser.flows import fits_the_screen, sign_in
from threadline.accounts import actor_for
from threadline.check import check
from threadline.safeguarding.concerns import list_concerns, raise_concern
from threadline.safeguarding.referrals import list_referrals
from threadline.safeguarding.screening import list_screenings
from threadline.safeguarding.subjects import get_subject
from threadline.safeguarding.suggestions import find_suggested_victims
from threadline.schedule import tick
from threadline.settings import Settings
from threadline.storage.db import session_scope

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

LRO = "lro@norfolk"
MAX_HEIGHT = 6000  # CSS pixels: the untriaged page was 28,000
WATCHED = """
    SELECT w.entity_id, p.given_names || ' ' || p.family_name,
           p.dob_year, p.dob_month, p.dob_day
    FROM watch w
    JOIN person p ON p.entity_id = w.entity_id
    JOIN user_account u ON u.id = w.user_id
    WHERE u.username = :lro AND w.ended_at IS NULL AND p.dob_day IS NOT NULL
    ORDER BY w.entity_id
    LIMIT 12
"""


def _tick(engine: Engine) -> None:
    (result,) = tick(engine, settings=Settings(), only=("tripwires",))
    assert result.error is None, result.error


def _an_hour_of_demo_use(engine: Engine) -> None:
    _tick(engine)  # the LROs' watches, and the cursor, are in place
    with engine.connect() as conn:
        watched = list(conn.execute(text(WATCHED), {"lro": LRO}))
    assert len(watched) >= 6, watched
    with session_scope(engine) as session:
        officers = [actor_for(session, u) for u in ("officer@suffolk", "officer@essex")]
        analyst = actor_for(session, "analyst@suffolk")
        partner_side = actor_for(session, "lro@suffolk")
    for round_ in range(3):
        for entity_id, name, year, month, day in watched:
            with session_scope(engine) as session:
                check(
                    session,
                    actor=officers[round_ % 2],
                    name=name,
                    dob=f"{year:04d}-{month:02d}-{day:02d}",
                )
            with session_scope(engine) as session:  # what the safeguarding page reads
                get_subject(session, actor=analyst, person_id=entity_id)
                list_screenings(session, actor=analyst, person_id=entity_id)
                list_concerns(session, actor=analyst, person_id=entity_id)
                list_referrals(session, actor=analyst, person_id=entity_id)
        with session_scope(engine) as session:  # the safeguarding home page
            find_suggested_victims(session, actor=analyst, limit=30)
            list_referrals(session, actor=analyst, open_only=True, limit=30)
    with session_scope(engine) as session:
        raise_concern(
            session,
            actor=partner_side,
            person_id=watched[0][0],
            text="Seen with older men in a car outside school.",
        )
    _tick(engine)


def test_the_lro_triages_the_alerts_on_a_phone(
    tmp_path: Path, browser: Browser, axe: AxeAudit, artifacts: Path
) -> None:
    with serve_demo(tmp_path, prepare=_an_hour_of_demo_use) as site:
        _triage(site, browser, axe, artifacts)


def _triage(site: DemoSite, browser: Browser, axe: AxeAudit, artifacts: Path) -> None:
    alerts = site.scalar(
        "SELECT count(*) FROM alert a JOIN user_account u ON u.id = a.user_id "
        "WHERE u.username = :u",
        u=LRO,
    )
    concerns = site.scalar(
        "SELECT count(*) FROM alert a JOIN user_account u ON u.id = a.user_id "
        "WHERE u.username = :u AND a.summary LIKE '%raised a concern%'",
        u=LRO,
    )
    assert alerts >= 40 and concerns == 1, (alerts, concerns)

    context = browser.new_context(base_url=site.url, locale="en-GB", **PHONE)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        sign_in(page, LRO, site.password, axe=axe)
        page.goto("/alerts")
        axe.check(page, "alerts, grouped")
        assert fits_the_screen(page)
        height = page.evaluate("document.documentElement.scrollHeight")
        page.screenshot(path="/tmp/alerts.png", full_page=True)
        page.screenshot(path=artifacts / "alert-triage-phone.png", full_page=True)
        assert height < MAX_HEIGHT, f"the alerts page is {height}px tall on a phone"
        groups = page.locator(".tl-alert")
        assert groups.count() <= 10
        assert any("3 checks, newest" in t for t in groups.all_inner_texts())
        assert page.get_by_text("Daily summary for").first.is_visible()

        summary = page.locator("details.govuk-details summary").first
        summary.click()  # opens to the group's alerts
        assert page.locator("details[open] li").first.is_visible()

        unread_before = site.scalar("SELECT count(*) FROM alert WHERE read_at IS NULL")
        boxes = page.locator("input[name=groups]")
        boxes.nth(0).check()
        boxes.nth(1).check()
        page.get_by_role("button", name="Mark selected read").click()
        page.wait_for_load_state()
        banner = page.locator(".govuk-notification-banner__heading").inner_text()
        assert banner.endswith("alerts marked as read"), banner
        marked = int(banner.split()[0])
        unread_after = site.scalar("SELECT count(*) FROM alert WHERE read_at IS NULL")
        assert marked >= 2 and unread_before - unread_after == marked
        assert site.scalar("SELECT count(*) FROM audit_event WHERE event = 'alert.read'") == 1
        axe.check(page, "alerts after marking read")
    finally:
        context.close()
