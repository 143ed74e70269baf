"""An analyst submits graded intelligence: code C is refused until its conditions are given.

The analyst of Norfolk's force intelligence bureau, at a desk, opens the submission form
from a subject's id, grades the report 2BC and submits it without conditions; the GOV.UK
error summary stops them and keeps their answers. They add the conditions, submit, land
on the report with a confirmation banner and the conditions in a warning at the top,
and make the sanitised version for partners. Every page is audited with axe-core.
"""

from __future__ import annotations

import re
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

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
# A principal of a Norfolk OCG: an adult the analyst may write about.
NORFOLK_PRINCIPAL = """
    SELECT p.entity_id
    FROM person p
    JOIN link l ON l.from_id = p.entity_id AND l.link_type = 'member_of' AND l.role = 'principal'
    JOIN organisation o ON o.entity_id = l.to_id AND o.org_type = 'ocg'
    JOIN entity g ON g.id = o.entity_id
    JOIN agency a ON a.id = g.owner_id AND a.code = 'norfolk'
    ORDER BY p.entity_id
    LIMIT 1
"""
FACT = "Seen at a lock-up garage off Mousehold Lane at 23:10 loading two holdalls into a van."
CONDITIONS = "Police use only until the search warrant is executed; not for partners."
SOURCE_REF = "NFK-OBS-7731"


def test_code_c_needs_conditions_before_the_report_is_accepted(
    demo_site: DemoSite,
    new_context: Callable[..., BrowserContext],
    axe: AxeAudit,
    artifacts: Path,
) -> None:
    subject = demo_site.scalar(NORFOLK_PRINCIPAL)
    page = new_context(**DESKTOP).new_page()
    sign_in(page, "analyst@norfolk", demo_site.password, axe=axe)

    page.goto(f"/intelligence/new?subject={subject}")
    axe.check(page, "submission form")
    assert page.get_by_label("Who or what is it about? (optional)").input_value() == str(subject)
    page.get_by_label("What did you see, hear or find?").fill(FACT)
    page.get_by_label("2 – Untested").check()
    page.get_by_label("B – Known indirectly to the source but corroborated").check()
    conditions = page.get_by_label("Conditions (required for code C)")
    assert not conditions.is_visible(), "the conditions show before code C is chosen"
    page.get_by_label("C – Lawful sharing permitted subject to conditions").check()
    assert conditions.is_visible(), "choosing code C should reveal the conditions"
    page.get_by_label("My own observation (officer or staff)").check()
    page.get_by_label("Source reference").fill(SOURCE_REF)
    page.get_by_role("button", name="Submit report").click()
    page.wait_for_load_state()

    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert page.title().startswith("Error:")
    link = summary.get_by_role("link", name=re.compile("Enter the conditions of handling code C"))
    assert link.count() == 1
    assert page.locator("#conditions-error").is_visible()
    # The rest of the answers are kept.
    assert page.get_by_label("What did you see, hear or find?").input_value() == FACT
    assert page.get_by_label("2 – Untested").is_checked()
    assert page.get_by_label("C – Lawful sharing permitted subject to conditions").is_checked()
    assert page.get_by_label("Source reference").input_value() == SOURCE_REF
    axe.check(page, "submission refused: code C without conditions")
    page.screenshot(path=artifacts / "analyst-code-c-stopped.png", full_page=True)

    link.click()  # the summary link takes the analyst to the field
    conditions.fill(CONDITIONS)
    page.get_by_role("button", name="Submit report").click()
    page.wait_for_load_state()

    assert re.search(r"/intelligence/NFK-IR-\d{4}-\d{6}\?submitted=1$", page.url), page.url
    ref = page.locator("h1").inner_text().strip()
    banner = page.locator(".govuk-notification-banner")
    assert f"Report {ref} submitted" in banner.inner_text()
    warning = page.locator(".govuk-warning-text")
    assert CONDITIONS in warning.inner_text()
    assert _above(page, ".govuk-warning-text", "h1"), "the conditions belong at the top"
    main = page.locator("main").inner_text()
    assert FACT in main and "2BC" in main
    assert SOURCE_REF in main, "the analyst's own unit sees the source"
    axe.check(page, "submitted report")
    page.screenshot(path=artifacts / "analyst-report-submitted.png", full_page=True)

    page.get_by_label("Sanitised text").fill(
        "An adult in Norwich is believed to be moving drugs for an organised crime group."
    )
    page.get_by_role("button", name="Create sanitised version").click()
    page.wait_for_load_state()
    assert (
        f"Sanitised version {ref}-S1 created"
        in page.locator(".govuk-notification-banner").inner_text()
    )
    axe.check(page, "sanitised version created")

    page.get_by_role("link", name="All intelligence").click()
    page.wait_for_load_state()
    row = page.locator("tr", has_text=ref)
    assert row.count() == 1, "the new report should head the list"
    assert "2BC" in row.inner_text() and "Code C" in row.inner_text()
    axe.check(page, "intelligence list")


def test_the_form_works_with_javascript_off(
    demo_site: DemoSite, new_context: Callable[..., BrowserContext], axe: AxeAudit
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, "officer@norfolk", demo_site.password, axe=axe)
    page.goto("/intelligence/new")
    axe.check(page, "submission form without JavaScript")
    # Without JavaScript the conditions of code C are always shown, ready to fill in.
    assert page.get_by_label("Conditions (required for code C)").is_visible()
    page.get_by_label("What did you see, hear or find?").fill(FACT)
    page.get_by_label("1 – Reliable").check()
    page.get_by_label("A – Known directly to the source").check()
    page.get_by_label("C – Lawful sharing permitted subject to conditions").check()
    page.get_by_label("My own observation (officer or staff)").check()
    page.get_by_label("Source reference").fill("PC 2290")
    page.get_by_role("button", name="Submit report").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.locator("#conditions-error").is_visible()
    page.get_by_label("Conditions (required for code C)").fill(CONDITIONS)
    page.get_by_role("button", name="Submit report").click()
    page.wait_for_load_state()
    assert "submitted" in page.locator(".govuk-notification-banner").inner_text()
    assert CONDITIONS in page.locator(".govuk-warning-text").inner_text()
    assert "PC 2290" not in page.locator("main").inner_text(), "an officer is not the unit"


def _above(page: Page, first: str, second: str) -> bool:
    top = page.locator(first).first.bounding_box()
    below = page.locator(second).first.bounding_box()
    return top is not None and below is not None and top["y"] < below["y"]


def test_the_list_and_the_form_fit_a_phone(
    demo_site: DemoSite,
    new_context: Callable[..., BrowserContext],
    axe: AxeAudit,
    artifacts: Path,
) -> None:
    page = new_context(**PHONE).new_page()
    sign_in(page, "officer@norfolk", demo_site.password, axe=axe)
    for path in ("/intelligence", "/intelligence/new"):
        page.goto(path)
        axe.check(page, f"{path} on a phone")
        # Against the phone's width: a mobile viewport widens itself to fit wide content.
        width = PHONE["viewport"]["width"]  # type: ignore[index]
        fits = page.evaluate(f"() => document.documentElement.scrollWidth <= {width}")
        assert fits, f"{path} scrolls sideways on a 390px-wide phone"
    page.goto("/intelligence")
    page.screenshot(path=artifacts / "officer-intelligence-phone.png", full_page=True)
