"""A Norfolk supervisor opens the improvement tracker, sees the overdue response first,
and adds an action with its owner (found by searching) and the figure that evidences it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine

from tests.browser.accessibility import AxeAudit
from tests.browser.conftest import DemoSite, serve_demo
from tests.browser.flows import sign_in
from threadline.demo.improvement import add_demo_improvement
from threadline.storage.db import session_scope

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


def _findings(engine: Engine) -> None:
    with session_scope(engine) as session:
        add_demo_improvement(session)


@pytest.fixture
def improvement_site(tmp_path: Path) -> Iterator[DemoSite]:
    """A copy of the demo region with Norfolk's three areas for improvement."""
    with serve_demo(tmp_path, prepare=_findings) as site:
        yield site


def test_supervisor_adds_an_action_to_an_area_for_improvement(
    improvement_site: DemoSite, browser: Browser, axe: AxeAudit, artifacts: Path
) -> None:
    context = browser.new_context(base_url=improvement_site.url, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, "supervisor@norfolk", improvement_site.password, axe=axe)

    page.get_by_role("link", name="Improvement").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Areas for improvement"
    assert "1 response is overdue" in page.locator(".govuk-warning-text").inner_text()
    first = page.locator("tbody tr").first
    assert "AFI 3" in first.inner_text() and "Overdue" in first.inner_text()
    axe.check(page, "improvement tracker")

    first.get_by_role("link").click()
    page.wait_for_load_state()
    assert "Area for improvement AFI 3" in page.get_by_role("heading", level=1).inner_text()
    page.get_by_label("Find who will own it").fill("analyst")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    form = page.locator("form", has=page.locator("#description"))
    form.get_by_role("radio").first.check()
    form.get_by_label("What is to be done").fill(
        "Audit a month of custody records for missed exploitation indicators"
    )
    form.get_by_label("Due date").fill("2027-06-30")
    form.get_by_label("Figure that evidences progress (optional)").select_option(
        label="Under-18s screened for exploitation before a drug supply charge"
    )
    form.get_by_role("button", name="Add the action").click()
    page.wait_for_load_state()

    assert page.get_by_text("Action added").is_visible()
    card = page.locator(".govuk-summary-card", has_text="Audit a month of custody records")
    assert card.is_visible()
    assert "30 June 2027" in card.inner_text()
    assert "Under-18s screened for exploitation" in card.inner_text()
    axe.check(page, "area for improvement after adding an action")
    page.screenshot(path=artifacts / "improvement.png", full_page=True)
    context.close()
