"""Prison monitoring in the browser.

The browser demo is built without the prison layer, so the test adds the demo's prisoners
first (`add_demo_prison`: a few OCG members per force in the region's prisons, with
calls, visits and plans for half of them; idempotent, so a second call adds nothing).
HMP Norwich's intelligence officer opens Prison and sees who is held there and the
intelligence recorded in the prison, by kind, and opens the form to record more (choosing
the prisoner by prison number; an empty form is stopped by the error summary). Norfolk's
LRO, on a phone, opens Prison, narrows the list to Norfolk, finds a member in custody
with no monitoring plan, submits the plan form empty and is stopped by the GOV.UK error
summary, fills it in, and the member leaves the list. Every page passes axe-core, and
the LRO's fit the phone's width.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.accessibility import AxeAudit
from tests.browser.conftest import PHONE, DemoSite
from tests.browser.flows import fits_the_screen, sign_in
from threadline.demo.prison import add_demo_prison
from threadline.storage.db import session_scope

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

pytestmark = pytest.mark.browser

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
HELD_AT_NORWICH = """
    SELECT count(*)
    FROM custody_episode c
    JOIN agency a ON a.id = c.establishment_id AND a.code = 'hmp-norwich'
    WHERE c.released_on IS NULL
"""


@pytest.fixture
def prisoners(demo_site: DemoSite) -> DemoSite:
    """The demo site with the demo's prisoners in it (added once per session)."""
    with session_scope(demo_site.engine) as session:
        add_demo_prison(session)
    return demo_site


def _open_from_menu(page: Page, label: str) -> None:
    """Open a service navigation link, through the Menu button where it is collapsed."""
    nav = page.get_by_role("navigation", name="Menu")
    toggle = nav.get_by_role("button", name="Menu")
    if toggle.is_visible():
        toggle.click()
    nav.get_by_role("link", name=label, exact=True).click()
    page.wait_for_load_state()


def test_the_prison_intelligence_officer_sees_who_is_held(
    prisoners: DemoSite,
    new_context: Callable[..., BrowserContext],
    axe: AxeAudit,
    artifacts: Path,
) -> None:
    held = prisoners.scalar(HELD_AT_NORWICH)
    assert held > 0, "the demo puts some of Norfolk's OCG members in HMP Norwich"
    page = new_context(**DESKTOP).new_page()
    sign_in(page, "prison@hmp-norwich", prisoners.password, axe=axe)

    _open_from_menu(page, "Prison")
    assert page.url.endswith("/prison"), page.url
    assert page.get_by_role("heading", level=1, name="Prison intelligence").is_visible()
    listed = page.locator(".tl-custody-list li")
    assert listed.count() == held, page.locator("main").inner_text()
    assert "In custody – HMP Norwich" in listed.first.inner_text()
    intel = page.get_by_role("table", name="Intelligence recorded in this prison")
    assert intel.get_by_role("cell", name="PIN-phone call").count() > 0, intel.inner_text()
    assert intel.get_by_role("cell", name="prison_intel").count() == 0
    assert page.get_by_role("link", name="Record prison intelligence").is_visible()
    axe.check(page, "prison establishment")
    page.screenshot(path=artifacts / "prison-establishment.png", full_page=True)

    # Each prisoner is named, with their prison number: "Dean CARTER (A1234BC)".
    title = listed.first.locator(".govuk-summary-card__title a").inner_text()
    found = re.search(r"\(([A-Z0-9]+)\)", title)
    assert found, title
    number = found[1]
    page.get_by_role("link", name="Record prison intelligence").click()
    page.wait_for_load_state()
    axe.check(page, "prison intelligence form")
    prisoner = page.get_by_label("Prisoner")
    chosen = prisoner.get_by_role("option", name=re.compile(re.escape(number)))
    assert chosen.count() == 1, prisoner.inner_text()
    page.get_by_role("button", name="Record it").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible() and page.title().startswith("Error:"), page.title()
    assert summary.get_by_role("link", name=re.compile("choose a prisoner held here")).count() == 1
    axe.check(page, "prison intelligence form with errors")


def test_an_lro_starts_a_monitoring_plan_for_an_unmonitored_member(
    prisoners: DemoSite,
    new_context: Callable[..., BrowserContext],
    axe: AxeAudit,
    artifacts: Path,
) -> None:
    page = new_context(**PHONE).new_page()
    sign_in(page, "lro@norfolk", prisoners.password, axe=axe)

    _open_from_menu(page, "Prison")
    assert page.get_by_role("heading", level=1, name="Prison monitoring").is_visible()
    axe.check(page, "prison monitoring")
    assert fits_the_screen(page), "the prison dashboard scrolls sideways on a 390px phone"
    page.screenshot(path=artifacts / "prison-dashboard.png", full_page=True)

    page.get_by_role("table").get_by_role("link", name="Norfolk Constabulary", exact=True).click()
    page.wait_for_load_state()
    axe.check(page, "prison monitoring, Norfolk only")
    cards = page.locator(".tl-unmonitored > li", has_text="No monitoring plan")
    assert cards.count() > 0, page.locator("main").inner_text()
    card = cards.first
    name = card.locator(".govuk-summary-card__title a").first.inner_text().strip()
    person_href = card.locator(".govuk-summary-card__title a").first.get_attribute("href")

    card.get_by_role("link", name=f"Start a monitoring plan for {name}").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1, name="Start a monitoring plan").is_visible()
    axe.check(page, "monitoring plan form")
    assert fits_the_screen(page)

    page.get_by_role("button", name="Start the plan").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible() and page.title().startswith("Error:"), page.title()
    assert (
        summary.get_by_role("link", name=re.compile("Choose the type of monitoring")).count() == 1
    )
    assert summary.get_by_role("link", name=re.compile("Enter what is monitored")).count() == 1
    assert (
        page.locator("#plan_type-error").is_visible()
        and page.locator("#monitored-error").is_visible()
    )
    axe.check(page, "monitoring plan form with errors")
    assert fits_the_screen(page)

    page.get_by_label("Intelligence-led (reviewed within a month)").check()
    page.get_by_label("What is monitored").fill("PIN-phone calls and social visits")
    page.get_by_label("Release plan (optional)").fill("MAPPA level 2 at release")
    page.get_by_role("button", name="Start the plan").click()
    page.wait_for_load_state()
    assert page.get_by_text("Monitoring plan started").is_visible()
    axe.check(page, "prison monitoring after starting a plan")
    assert page.locator(f'.tl-unmonitored a[href="{person_href}"]').count() == 0, (
        f"{name} still shows as having no monitoring plan"
    )
    assert fits_the_screen(page)
