"""Recording custody in the browser: the person is found by searching, never by typing an
id, and a prisoner the prison may not see is recorded by their details.

HMP Norwich's intelligence officer opens "Record a custody episode", searches for a name
no record the prison may see carries and is told so, submits the form with nothing
chosen and no details and is stopped by the GOV.UK error summary, then records the
prisoner by name and date of birth and sees them listed as recorded by details. Every
page passes axe-core.
"""

from __future__ import annotations

from collections.abc import Callable
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


def test_the_prison_records_a_prisoner_it_may_not_see_by_their_details(
    demo_site: DemoSite,
    new_context: Callable[..., BrowserContext],
    axe: AxeAudit,
    artifacts: Path,
) -> None:
    page = new_context(**DESKTOP).new_page()
    sign_in(page, "prison@hmp-norwich", demo_site.password, axe=axe)
    page.goto("/prison")
    page.get_by_role("link", name="Record a custody episode").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1, name="Record a custody episode").is_visible()
    axe.check(page, "custody form")

    page.get_by_label("Find the person").fill("Zebedee Quxworth")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    assert page.get_by_text("No person record you may see matches").is_visible()
    axe.check(page, "custody form, nothing found")

    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible() and page.title().startswith("Error:"), page.title()
    received = summary.get_by_role("link", name="Received on: enter the date received")
    assert received.count() == 1, summary.inner_text()
    axe.check(page, "custody form with errors")

    page.get_by_label("Prison number").fill("Z9876YX")
    page.get_by_label("Received into custody").fill("2026-10-01")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    family = summary.get_by_role("link", name="Family name: enter the prisoner's family name")
    assert family.count() == 1, summary.inner_text()

    page.get_by_label("Family name").fill("Quxworth")
    page.get_by_label("Given names").fill("Zebedee")
    page.get_by_label("Date of birth").fill("1988-04-03")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.get_by_text("Custody record saved").is_visible()
    entry = page.locator(".tl-custody-list li", has_text="Z9876YX")
    assert "Recorded by details" in entry.inner_text(), entry.inner_text()
    axe.check(page, "prison establishment after recording by details")
    page.screenshot(path=artifacts / "prison-custody-by-details.png", full_page=True)
