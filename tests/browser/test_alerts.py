"""An LRO on a phone reads the tripwire alert an officer of another force set off.

Suffolk's officer checks a runner of another force's county line; one `tick` later the
LRO of the group running the line signs in on a phone, finds the alert first and unread
on /alerts (who, where and when; the officer not named), opens the runner's record from
it, comes back and marks it read. The pages fit the phone's width and pass axe-core.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.accessibility import AxeAudit
from tests.browser.conftest import PHONE, DemoSite
from tests.browser.flows import check_name, fits_the_screen, sign_in
from threadline.schedule import tick
from threadline.settings import Settings

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

pytestmark = pytest.mark.browser

WATCHED_RUNNER = """
    SELECT w.entity_id, p.given_names, p.family_name, u.username
    FROM watch w
    JOIN person p ON p.entity_id = w.entity_id
    JOIN user_account u ON u.id = w.user_id
    JOIN agency a ON a.id = u.agency_id AND a.code != 'suffolk'
    WHERE w.ended_at IS NULL AND w.reason LIKE 'runner for the %'
    ORDER BY w.entity_id
    LIMIT 1
"""


def _tripwires(site: DemoSite) -> None:
    (result,) = tick(site.engine, settings=Settings(), only=("tripwires",))
    assert result.error is None, result.error


def test_the_lro_reads_the_alert_on_a_phone(
    demo_site: DemoSite,
    new_context: Callable[..., BrowserContext],
    axe: AxeAudit,
    artifacts: Path,
) -> None:
    _tripwires(demo_site)  # the LROs' watches, and the cursor, are in place
    runner_id, given, family, lro = demo_site.rows(WATCHED_RUNNER)[0]

    officer = new_context(**PHONE).new_page()
    sign_in(officer, "officer@suffolk", demo_site.password, axe=axe)
    check_name(officer, f"{given} {family}", axe=axe)
    _tripwires(demo_site)

    page = new_context(**PHONE).new_page()
    sign_in(page, lro, demo_site.password, axe=axe)
    page.goto("/alerts")
    axe.check(page, "alerts")
    assert fits_the_screen(page)
    page.screenshot(path=artifacts / "alerts-phone.png", full_page=True)
    first = page.locator(".tl-alert").first
    text = first.inner_text()
    assert "New" in text and "An officer of Suffolk Constabulary" in text
    assert f"{given} {family.upper()}" in text and "runner for the" in text

    first.get_by_role("link", name="Open the record").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/people/{runner_id}")

    page.goto("/alerts")
    page.locator(".tl-alert").first.get_by_role("button", name="Mark as read").click()
    page.wait_for_load_state()
    assert page.get_by_text("Alert marked as read").is_visible()
    axe.check(page, "alerts after marking read")

    page.goto("/watches")
    axe.check(page, "records you watch")
    assert fits_the_screen(page)
    assert page.get_by_text("runner for the").first.is_visible()
