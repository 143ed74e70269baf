"""An analyst publishes a threat notice about a county line, on a desktop.

Norfolk's analyst opens the notice form from the line's record id, saves it without a
title or review date and is stopped by the GOV.UK error summary, fills them in with
the region and the Norwich frontline as audiences, sees each audience checked against
policy before the publish button, publishes, and finds the Norwich frontline in the
register. Every page is audited with axe-core (no serious or critical findings).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.accessibility import AxeAudit
from tests.browser.conftest import DemoSite
from tests.browser.flows import sign_in

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

pytestmark = pytest.mark.browser

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
NORFOLK_LINE = """
    SELECT c.entity_id
    FROM county_line c
    JOIN entity e ON e.id = c.entity_id
    JOIN agency a ON a.id = e.owner_id AND a.code = 'norfolk'
    ORDER BY c.entity_id
    LIMIT 1
"""
NORFOLK_CODE_P = """
    SELECT s.ref
    FROM intel_sanitised s
    JOIN entity e ON e.id = s.report_id
    JOIN agency a ON a.id = e.owner_id AND a.code = 'norfolk'
    WHERE s.handling = 'P'
    ORDER BY s.id
    LIMIT 1
"""


def test_an_analyst_publishes_a_notice_to_the_frontline_and_the_region(
    demo_site: DemoSite,
    new_context: Callable[..., BrowserContext],
    axe: AxeAudit,
    artifacts: Path,
) -> None:
    line = demo_site.scalar(NORFOLK_LINE)
    sanitised = demo_site.scalar(NORFOLK_CODE_P)
    page = new_context(**DESKTOP).new_page()
    sign_in(page, "analyst@norfolk", demo_site.password, axe=axe)

    page.goto("/notices")
    axe.check(page, "notices list")
    # The notice is started from the line's own page: no record id to type (issue #14).
    page.goto(f"/county-lines/{line}")
    page.get_by_role("link", name="Create a threat notice about this record").click()
    page.wait_for_load_state()
    axe.check(page, "notice form")
    about = page.locator(".tl-notice-subject").inner_text()
    assert "line" in about, about
    page.get_by_label("What is the threat?").fill(
        "A county line supplies crack cocaine in Norwich using children as runners."
    )
    page.get_by_label("What should the reader do?").fill(
        "Safeguard any child found with drugs or cash; tell the LRO."
    )
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()

    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible() and page.title().startswith("Error:")
    assert summary.get_by_role("link", name="Enter a short title for the notice").count() == 1
    assert summary.get_by_role("link", name=re.compile("Enter the date to review")).count() == 1
    axe.check(page, "notice form with errors")
    assert page.locator(".tl-notice-subject").inner_text() == about

    page.get_by_label("Title").fill("County line dealing in Norwich")
    page.get_by_label("Review date").fill((date.today() + timedelta(days=60)).isoformat())
    page.get_by_label("Sanitised report it was made from (optional)").fill(sanitised)
    page.get_by_label("All police in the region").check()
    frontline = page.get_by_role("group", name="Frontline of these areas (optional)")
    frontline.get_by_label("Norwich", exact=True).check()
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()

    assert page.get_by_role("heading", name="County line dealing in Norwich").is_visible()
    checks = page.locator("table").first
    assert "Frontline of Norwich" in checks.inner_text()
    assert "All police in the region" in checks.inner_text()
    axe.check(page, "draft notice with audience checks")
    page.get_by_role("button", name="Publish notice").click()
    page.wait_for_load_state()
    assert page.get_by_text("published to every audience").is_visible()
    axe.check(page, "published notice")
    page.screenshot(path=str(artifacts / "notice-published-desktop.png"), full_page=True)

    page.get_by_role("link", name="Who was told about this notice").click()
    page.wait_for_load_state()
    assert page.get_by_role("cell", name="Frontline of Norwich").is_visible()
    axe.check(page, "notice register")
