"""The regional priority list in the browser: a supervisor of the regional unit opens it,
filters it to Norfolk, and sees the gaps an inspection would ask about (a review overdue,
a group never assessed), then opens a group's MoRiLE tab from the list.

The shared browser demo holds no MoRiLE assessments (it is built without the
capabilities' data), so this test serves a copy of its own with the demo's assessments
added (`threadline.demo.ocg_morile`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine

from tests.browser.accessibility import AxeAudit
from tests.browser.conftest import DemoSite, serve_demo
from tests.browser.flows import sign_in
from threadline.demo.ocg_morile import add_demo_ocg_morile
from threadline.storage.db import session_scope

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

SUPERVISOR = "supervisor@ersou"
SCREENSHOT = "/tmp/priorities.png"


def _assess(engine: Engine) -> None:
    with session_scope(engine) as session:
        add_demo_ocg_morile(session)


@pytest.fixture(scope="module")
def morile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    """A copy of the demo region with its MoRiLE assessments, served on a free port."""
    with serve_demo(tmp_path_factory.mktemp("browser-morile"), _assess) as site:
        yield site


@pytest.fixture
def page(browser: Browser, morile_site: DemoSite) -> Iterator[Page]:
    context = browser.new_context(base_url=morile_site.url, locale="en-GB")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_a_regional_supervisor_finds_norfolks_overdue_review(
    page: Page, morile_site: DemoSite, axe: AxeAudit
) -> None:
    demo_site = morile_site
    sign_in(page, SUPERVISOR, demo_site.password, axe=axe)
    page.get_by_role("link", name="Priorities", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Crime group priorities").is_visible()
    axe.check(page, "regional priority list")
    page.get_by_label("Force").select_option(label="Norfolk Constabulary")
    page.get_by_role("button", name="Show priorities").click()
    page.wait_for_load_state()
    assert "force=norfolk" in page.url
    table = page.locator("#priorities")
    overdue = table.get_by_role("row").filter(has_text="Overdue")
    assert overdue.count() >= 1, "Norfolk's demo groups include an overdue review"
    row_text = overdue.first.inner_text()
    assert "Norfolk Constabulary" in page.locator(".govuk-caption-l").inner_text()
    assert "Priority" in row_text
    assert page.get_by_role("heading", name="Not yet assessed").is_visible()
    assert page.locator("#not-assessed + p + ul li").count() >= 1
    axe.check(page, "Norfolk's priority list")
    page.screenshot(path=SCREENSHOT, full_page=True)
    group_name = overdue.first.get_by_role("link").inner_text()
    overdue.first.get_by_role("link").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=group_name).is_visible()
    assert page.get_by_text("This assessment was due for review on").is_visible()
    assert page.get_by_role("heading", name="Assess this group").is_visible()
    axe.check(page, "a group's MoRiLE tab")
