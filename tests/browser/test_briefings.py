"""Briefings and digests in the browser.

Norfolk's analyst has published a code C threat notice to the Norwich frontline (through
the service, as the demo's notices are; the browser demo has none of its own), then one
`tick` of the briefing and digest jobs compiles this shift's area packs and today's
partner digests. Norfolk's officer, on a phone, opens Briefing from the service
navigation, opens Norwich's current pack (one of their home areas), reads the notice with
its grading, handling code and conditions, and says they have read it; the supervisor
sees, before and after, who of the area's frontline has not. CADS's practitioner opens
Digest and acknowledges their organisation's digest. Every page fits the phone's width
and passes axe-core.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select

from tests.browser.accessibility import AxeAudit
from tests.browser.conftest import PHONE, DemoSite
from tests.browser.flows import fits_the_screen, sign_in
from threadline.accounts import actor_for
from threadline.model.events import (
    Grading,
    HandlingCode,
    IntelligenceAssessment,
    SourceEvaluation,
)
from threadline.notices.drafting import create_notice
from threadline.notices.publishing import publish_notice
from threadline.schedule import tick
from threadline.settings import Settings
from threadline.storage.db import session_scope
from threadline.storage.sharing_tables import ThreatNoticeRow

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

pytestmark = pytest.mark.browser


NOTICE_TITLE = "Knife carried by a group's runners in Norwich"
CONDITIONS = "Police only; do not tell the subject the source of this information."
NORFOLK_GROUP = """
    SELECT o.entity_id
    FROM organisation o
    JOIN entity g ON g.id = o.entity_id
    JOIN agency a ON a.id = g.owner_id AND a.code = 'norfolk'
    WHERE o.org_type = 'ocg'
    ORDER BY o.entity_id
    LIMIT 1
"""


def _publish_notice(site: DemoSite) -> None:
    """A code C notice to the Norwich frontline only (once: none is added if it exists)."""
    group = site.scalar(NORFOLK_GROUP)
    with session_scope(site.engine) as session:
        if session.scalar(select(ThreatNoticeRow.id).where(ThreatNoticeRow.title == NOTICE_TITLE)):
            return
        analyst = actor_for(session, "analyst@norfolk")
        view = create_notice(
            session,
            actor=analyst,
            subject_id=group,
            title=NOTICE_TITLE,
            threat="Runners for the group have been seen carrying knives in Norwich.",
            action="Search with care; tell the lead responsible officer of any stop.",
            review_date=date.today() + timedelta(days=30),
            audiences=["area:norwich"],
            areas=["norwich"],
            grading=Grading(
                SourceEvaluation.RELIABLE,
                IntelligenceAssessment.KNOWN_INDIRECTLY_CORROBORATED,
                HandlingCode.CONDITIONS,
                CONDITIONS,
            ),
        )
        publish_notice(session, actor=analyst, ref=view.ref)


def _compile(site: DemoSite) -> None:
    """This shift's briefings and today's digests (idempotent: a second run adds nothing)."""
    quiet = Settings(smtp_host="")  # digest announcements stay in the app
    for result in tick(site.engine, settings=quiet, only=("briefings", "digests")):
        assert result.error is None, f"{result.name}: {result.error}"


def _open_from_menu(page: Page, label: str) -> None:
    """Open a service navigation link, through the Menu button where it is collapsed."""
    nav = page.get_by_role("navigation", name="Menu")
    toggle = nav.get_by_role("button", name="Menu")
    if toggle.is_visible():
        toggle.click()
    # The label may carry a count after it ("Briefing 1 unread").
    nav.get_by_role("link", name=re.compile(rf"^{re.escape(label)}\b")).first.click()
    page.wait_for_load_state()


def _current_briefing(page: Page, area: str) -> None:
    """Open the area's briefing for the current shift from /briefings."""
    current = page.locator(".tl-briefing-list li", has_text="Current shift").filter(
        has=page.get_by_role("link", name=area, exact=True)
    )
    assert current.count() == 1, page.locator("main").inner_text()
    current.get_by_role("link", name=area, exact=True).click()
    page.wait_for_load_state()


def test_an_officer_reads_the_briefing_on_a_phone_and_the_supervisor_sees_it(
    demo_site: DemoSite,
    new_context: Callable[..., BrowserContext],
    axe: AxeAudit,
    artifacts: Path,
) -> None:
    _publish_notice(demo_site)
    _compile(demo_site)
    page = new_context(**PHONE).new_page()
    sign_in(page, "officer@norfolk", demo_site.password, axe=axe)

    _open_from_menu(page, "Briefing")
    assert page.url.endswith("/briefings"), page.url
    assert page.get_by_role("heading", level=1, name="Briefings").is_visible()
    axe.check(page, "briefings list")
    assert fits_the_screen(page), "the briefings list scrolls sideways on a 390px-wide phone"

    area = "Norwich"
    _current_briefing(page, area)
    briefing_url = page.url
    assert page.get_by_role("heading", level=1, name=f"Briefing: {area}").is_visible()
    card = page.locator(".govuk-summary-card", has_text=NOTICE_TITLE)
    assert card.count() == 1, page.locator("main").inner_text()
    assert card.locator(".govuk-tag", has_text="Grading 1BC").is_visible()
    assert card.locator(".govuk-tag", has_text="Handling code C").is_visible()
    assert CONDITIONS in card.locator(".govuk-warning-text").inner_text()
    assert page.locator(".govuk-summary-card").count() > 1, "groups and people of the area too"
    axe.check(page, f"briefing for {area}")
    assert fits_the_screen(page), "the briefing scrolls sideways on a 390px-wide phone"
    page.screenshot(path=artifacts / "briefing-phone.png", full_page=True)

    supervisor = new_context(**PHONE).new_page()
    sign_in(supervisor, "supervisor@norfolk", demo_site.password, axe=axe)
    supervisor.goto(briefing_url)
    assert supervisor.get_by_role("heading", name="Who has not read it").is_visible()
    officer_row = supervisor.get_by_role("table").get_by_role("row", name="officer@norfolk")
    assert officer_row.count() == 1, supervisor.locator("main").inner_text()
    assert officer_row.get_by_text("Not read", exact=True).is_visible()
    assert "not read it yet" in supervisor.locator("#readers + p").inner_text()
    axe.check(supervisor, f"briefing for {area}, as the supervisor")
    assert fits_the_screen(supervisor), "the readers table scrolls sideways on the phone"

    page.get_by_role("button", name="I have read this briefing").click()
    page.wait_for_load_state()
    assert page.get_by_text("You have read this briefing").is_visible()
    assert page.get_by_role("button", name="I have read this briefing").count() == 0
    assert "You said you had read this briefing" in page.locator("main").inner_text()
    axe.check(page, "briefing after reading it")
    assert fits_the_screen(page)
    page.goto("/briefings")
    read = page.locator(".tl-briefing-list li").filter(
        has=page.get_by_role("link", name=area, exact=True)
    )
    assert read.first.get_by_text("Read", exact=True).is_visible()

    supervisor.reload()
    officer_row = supervisor.get_by_role("table").get_by_role("row", name="officer@norfolk")
    assert officer_row.get_by_text("Not read", exact=True).count() == 0
    assert "not read" not in supervisor.locator("#readers + p").inner_text()


def test_a_partner_acknowledges_the_digest(
    demo_site: DemoSite,
    new_context: Callable[..., BrowserContext],
    axe: AxeAudit,
    artifacts: Path,
) -> None:
    _compile(demo_site)
    page = new_context(**PHONE).new_page()
    sign_in(page, "partner@norfolk-cads", demo_site.password, axe=axe)

    _open_from_menu(page, "Digest")
    assert page.url.endswith("/digests"), page.url
    axe.check(page, "digests list")
    assert fits_the_screen(page)
    page.locator("main ul.govuk-list a").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1, name="Digest for").is_visible()
    assert page.locator(".govuk-summary-card").count() > 0, page.locator("main").inner_text()
    assert page.locator(".govuk-tag", has_text="Grading").count() > 0
    assert page.locator(".govuk-tag", has_text="Handling code").count() > 0
    digest_url = page.url
    axe.check(page, "digest")
    assert fits_the_screen(page), "the digest scrolls sideways on a 390px-wide phone"
    page.screenshot(path=artifacts / "digest-partner.png", full_page=True)

    page.get_by_role("button", name="Acknowledge receipt").click()
    page.wait_for_load_state()
    assert page.get_by_text("Receipt of this digest is recorded").is_visible()
    assert page.get_by_role("button", name="Acknowledge receipt").count() == 0
    axe.check(page, "digest after acknowledging it")
    page.goto("/digests")
    listed = page.locator("main ul.govuk-list li").filter(
        has=page.locator(f'a[href="{digest_url.removeprefix(demo_site.url)}"]')
    )
    assert listed.get_by_text("Received", exact=True).is_visible()
