"""The inspection pack in the browser: a Norfolk supervisor opens the figures dashboard,
sees county lines set beside the rest of serious and organised crime as a chart and a
table, then opens the inspection pack under the HMICFRS headings (axe clean, screenshots
under test-artifacts/).

The shared browser demo is built without disruptions, so this test serves a copy of its
own with a few Norfolk disruptions added (`tests.inspection.world.add_disruption`); the
test asserts what they guarantee, whatever else the demo holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine

from tests.browser.accessibility import AxeAudit
from tests.browser.conftest import DemoSite, serve_demo
from tests.browser.flows import sign_in
from tests.inspection.world import add_disruption
from threadline.storage.db import session_scope

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

SUPERVISOR = "supervisor@norfolk"
PERIOD = "from=2026-04-01&to=2026-09-30"


def _disrupt(engine: Engine) -> None:
    with session_scope(engine) as session:
        for month in (4, 5, 6, 7, 8):
            add_disruption(
                session,
                force="norfolk",
                on=date(2026, month, 12),
                theme="drugs_county_lines",
                team="County lines team",
                tactics=("arrest", "deal_line_disconnected"),
                custodial_months=(48,),
            )
        add_disruption(session, force="norfolk", on=date(2026, 6, 3), theme="fraud")


@pytest.fixture(scope="module")
def inspection_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    """A copy of the demo region with Norfolk disruptions, served on a free port."""
    with serve_demo(tmp_path_factory.mktemp("browser-inspection"), _disrupt) as site:
        yield site


@pytest.fixture
def page(browser: Browser, inspection_site: DemoSite) -> Iterator[Page]:
    context = browser.new_context(base_url=inspection_site.url, locale="en-GB")
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def test_a_supervisor_opens_the_dashboard_and_the_pack(
    page: Page, inspection_site: DemoSite, axe: AxeAudit, artifacts: Path
) -> None:
    sign_in(page, SUPERVISOR, inspection_site.password, axe=axe)
    page.get_by_role("link", name="Inspection", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Inspection figures").is_visible()
    # Choose the period of the inspection through the filter form.
    page.get_by_label("Force", exact=True).select_option(label="Norfolk Constabulary")
    page.get_by_role("textbox", name="From", exact=True).fill("2026-04-01")
    page.get_by_role("textbox", name="To", exact=True).fill("2026-09-30")
    page.get_by_role("button", name="Show figures").click()
    page.wait_for_load_state()
    assert "force=norfolk" in page.url
    figure = page.locator("#figure-county_lines")
    assert "more than all other serious and organised crime" in figure.inner_text()
    # The chart is drawn (SVG, named for screen readers) and its figures follow as a table.
    chart = figure.locator("svg[role=img]")
    assert chart.count() == 1 and chart.bounding_box() is not None
    assert chart.bounding_box()["height"] > 50  # type: ignore[index]
    rows = figure.get_by_role("table").get_by_role(
        "row", name=re.compile("^Drugs and county lines")
    )
    assert rows.count() == 1
    axe.check(page, "the inspection dashboard")
    page.screenshot(path=str(artifacts / "inspection-dashboard.png"), full_page=True)

    page.get_by_role("link", name="Open the inspection pack for this force and period").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Inspection pack: Norfolk Constabulary").is_visible()
    for heading in (
        "Understanding serious and organised crime and setting priorities",
        "Tackling serious and organised crime and safeguarding people and communities",
        "What the force can evidence on resources",
    ):
        assert page.get_by_role("heading", name=heading, exact=True).is_visible()
    assert page.get_by_text(re.compile(r"years of custodial sentences")).first.is_visible()
    axe.check(page, "the inspection pack")
    page.screenshot(path=str(artifacts / "inspection-pack.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the pack as a PDF").click()
    assert download.value.suggested_filename == "inspection-norfolk-20260401-20260930.pdf"
