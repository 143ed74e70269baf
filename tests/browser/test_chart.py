"""An analyst opens the link chart of an organised crime group and narrows it down."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.accessibility import AxeAudit
from tests.browser.conftest import PHONE, DemoSite
from tests.browser.flows import sign_in

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

pytestmark = pytest.mark.browser

# The demo OCG with the most links of more than one type: a chart with something to filter.
BUSY_OCG = """
    SELECT o.entity_id, o.name
    FROM organisation o
    JOIN link l ON l.to_id = o.entity_id OR l.from_id = o.entity_id
    WHERE o.org_type = 'ocg'
    GROUP BY o.entity_id, o.name
    HAVING COUNT(DISTINCT l.link_type) > 1
    ORDER BY COUNT(*) DESC, o.entity_id
    LIMIT 1
"""
CHART = "[data-chart-url]"


def _drawn_count(page: Page) -> int:
    page.wait_for_selector(f"{CHART}[data-node-count]:not([aria-busy])", state="attached")
    return int(page.locator(CHART).get_attribute("data-node-count") or "0")


def test_analyst_draws_a_group_chart_and_filters_it_to_members(
    demo_site: DemoSite,
    new_context: Callable[..., BrowserContext],
    axe: AxeAudit,
    artifacts: Path,
) -> None:
    group_id, group = demo_site.rows(BUSY_OCG)[0]
    page = new_context().new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    sign_in(page, "analyst@norfolk", demo_site.password, axe=axe)

    page.goto(f"/chart/{group_id}")
    everything = _drawn_count(page)
    assert page.get_by_role("heading", level=1).inner_text() == group
    assert page.locator(f"{CHART} canvas").count() >= 1, "Cytoscape drew no canvas"
    assert everything > 1, page.locator("main").inner_text()
    chart = page.get_by_role("img", name="Link chart")
    assert chart.is_visible()
    rows = page.locator("[data-chart-table] tbody tr")
    assert rows.count() >= everything - 1, "the table lists every link drawn"
    axe.check(page, "link chart of a group")
    page.screenshot(path=artifacts / "link-chart.png", full_page=True)

    page.get_by_label("Member of", exact=True).check()
    page.wait_for_url("**type=member_of**")  # the script keeps the address in step
    members = _drawn_count(page)
    assert 1 < members < everything
    # Every link left is a membership of the group: one row per member.
    assert rows.count() == members - 1
    assert all("member of" in text for text in rows.all_inner_texts())
    assert page.get_by_role("status").inner_text().startswith(f"Showing {members} records")
    axe.check(page, "link chart filtered to members")
    page.screenshot(path=artifacts / "link-chart-members.png", full_page=True)
    assert not refused, f"the page broke its Content-Security-Policy: {refused}"


def test_without_javascript_the_chart_page_is_a_table_of_links(
    demo_site: DemoSite,
    new_context: Callable[..., BrowserContext],
    axe: AxeAudit,
) -> None:
    group_id, _name = demo_site.rows(BUSY_OCG)[0]
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, "analyst@norfolk", demo_site.password, axe=axe)

    page.goto(f"/chart/{group_id}")
    everything = page.locator("[data-chart-table] tbody tr").count()
    assert everything > 1
    page.get_by_label("Member of", exact=True).check()
    page.get_by_role("button", name="Show links").click()
    page.wait_for_load_state()
    assert "type=member_of" in page.url
    members = page.locator("[data-chart-table] tbody tr")
    assert 0 < members.count() < everything
    assert all("member of" in text for text in members.all_inner_texts())
    axe.check(page, "link chart without JavaScript")


def test_the_chart_fits_a_phone(
    demo_site: DemoSite,
    new_context: Callable[..., BrowserContext],
    axe: AxeAudit,
    artifacts: Path,
) -> None:
    group_id, _name = demo_site.rows(BUSY_OCG)[0]
    page = new_context(**PHONE).new_page()
    sign_in(page, "analyst@norfolk", demo_site.password, axe=axe)

    page.goto(f"/chart/{group_id}?depth=2")
    assert _drawn_count(page) > 1
    fits = page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert fits, "the chart page scrolls sideways on a 390px-wide phone"
    axe.check(page, "link chart on a phone")
    page.screenshot(path=artifacts / "link-chart-phone.png", full_page=True)
