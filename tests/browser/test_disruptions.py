"""Disruptions in the browser: an officer on a phone records one from a county line page;
a supervisor validates one claimed grade and regrades another (with the reason the first
try left out). Every page is checked with axe and must fit a 390px-wide phone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine

from tests.browser.accessibility import AxeAudit
from tests.browser.conftest import PHONE, DemoSite, serve_demo
from tests.browser.flows import fits_the_screen, sign_in
from threadline.demo.disruptions import add_demo_disruptions
from threadline.storage.db import session_scope

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

NORFOLK_LINE = """
    SELECT c.entity_id, c.name
    FROM county_line c
    JOIN entity e ON e.id = c.entity_id
    JOIN agency a ON a.id = e.owner_id AND a.code = 'norfolk'
    ORDER BY c.entity_id
    LIMIT 1
"""
CLAIMED = """
    SELECT d.id
    FROM disruption d
    JOIN agency a ON a.id = d.agency_id AND a.code = 'norfolk'
    JOIN user_account u ON u.id = d.created_by_id AND u.username = 'officer@norfolk'
    WHERE d.validation = 'claimed' AND d.claimed_grade = :grade
    ORDER BY d.id
    LIMIT 1
"""


def _disruptions(engine: Engine) -> None:
    with session_scope(engine) as session:
        add_demo_disruptions(session)


@pytest.fixture
def disruption_site(tmp_path: Path) -> Iterator[DemoSite]:
    """A copy of the demo region with the demo's disruptions (these tests add and change)."""
    with serve_demo(tmp_path, prepare=_disruptions) as site:
        yield site


def test_an_officer_records_a_disruption_from_a_county_line_page_on_a_phone(
    disruption_site: DemoSite, browser: Browser, axe: AxeAudit, artifacts: Path
) -> None:
    line_id, name = disruption_site.rows(NORFOLK_LINE)[0]
    before = disruption_site.scalar("SELECT count(*) FROM disruption")
    context = browser.new_context(base_url=disruption_site.url, locale="en-GB", **PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, "officer@norfolk", disruption_site.password, axe=axe)

    page.goto(f"/county-lines/{line_id}")
    assert page.get_by_role("heading", level=2, name="Disruptions").is_visible()
    axe.check(page, "county line page with its disruptions")
    page.get_by_role("link", name="Record a disruption").click()
    page.wait_for_load_state()
    assert name in page.locator("#subject").inner_text()
    assert fits_the_screen(page), "the disruption form scrolls sideways on a phone"
    axe.check(page, "record a disruption")

    # Sent without a rationale first: the error summary names the field.
    page.locator("#strand").check()  # Pursue, the first strand
    page.get_by_label("Date of the disruption").fill("01/12/2026")
    page.locator("#t1_tactic").select_option(label="Deal line disconnected")
    page.locator("#t2_tactic").select_option(label="Cash seized")
    page.locator("#t2_quantity").fill("2400")
    page.locator("#t2_unit").select_option(label="pounds")
    page.locator("#claimed_grade").check()  # Major, the first grade
    page.get_by_role("button", name="Record the disruption").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible() and "Why this grade" in summary.inner_text()
    axe.check(page, "record a disruption, with an error")
    assert disruption_site.scalar("SELECT count(*) FROM disruption") == before

    page.get_by_label("Why this grade").fill(
        "The deal line was cut off and the line's cash taken: it stopped trading."
    )
    page.get_by_role("button", name="Record the disruption").click()
    page.wait_for_load_state()
    assert page.get_by_text("Disruption recorded").is_visible()
    main = page.locator("main").inner_text()
    assert "Deal line disconnected" in main and "£2,400" in main
    assert "Awaiting a supervisor" in main
    assert fits_the_screen(page)
    axe.check(page, "a recorded disruption")
    page.screenshot(path=artifacts / "disruption-recorded.png", full_page=True)
    assert disruption_site.scalar("SELECT count(*) FROM disruption") == before + 1
    context.close()


def test_a_supervisor_validates_one_disruption_and_regrades_another(
    disruption_site: DemoSite, browser: Browser, axe: AxeAudit, artifacts: Path
) -> None:
    first = disruption_site.scalar(CLAIMED, grade="moderate")
    second = disruption_site.scalar(CLAIMED, grade="major")
    context = browser.new_context(base_url=disruption_site.url, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, "supervisor@norfolk", disruption_site.password, axe=axe)

    page.goto(f"/disruptions/{first}")
    assert page.get_by_role("heading", name="Validate the grade").is_visible()
    axe.check(page, "a disruption awaiting validation")
    page.get_by_role("button", name="Save the grade").click()
    page.wait_for_load_state()
    assert page.get_by_text("Grade validated").is_visible()
    assert "Validated as moderate" in page.locator("main").inner_text()

    page.goto(f"/disruptions/{second}")
    page.locator("#grade-3").check()  # Minor
    page.get_by_role("button", name="Save the grade").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible() and "Reason" in summary.inner_text()
    axe.check(page, "regrade without a reason")
    page.get_by_label("Reason (needed to regrade)").fill(
        "Only runners were arrested; the line was trading again within days."
    )
    page.get_by_role("button", name="Save the grade").click()
    page.wait_for_load_state()
    assert page.get_by_text("Disruption regraded").is_visible()
    assert "Regraded as minor" in page.locator("main").inner_text()
    axe.check(page, "a regraded disruption")
    page.screenshot(path=artifacts / "disruption-regraded.png", full_page=True)

    page.goto("/disruptions?validation=regraded&force=norfolk")
    assert page.get_by_role("table").is_visible()
    axe.check(page, "the disruptions list")
    context.close()
