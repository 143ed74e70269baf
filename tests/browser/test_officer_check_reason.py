"""An officer on a phone checks a vehicle and a phone (issue #14 items 1, 2 and 4): a reason
is required first; the cards lead with the people linked, their warning markers, and the
"possible victim of exploitation" prompt for a child runner, whatever any screening found."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.accessibility import AxeAudit
from tests.browser.conftest import PHONE, DemoSite
from tests.browser.flows import fits_the_screen, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

pytestmark = pytest.mark.browser

PROMPT = "Possible victim of exploitation – safeguard"

# A Norfolk vehicle used by someone with warning markers.
MARKED_VEHICLE = """
    SELECT v.vrm, p.given_names, p.family_name
    FROM vehicle v
    JOIN link l ON l.to_id = v.entity_id AND l.link_type = 'uses_vehicle'
    JOIN person p ON p.entity_id = l.from_id
    JOIN entity e ON e.id = v.entity_id
    JOIN agency a ON a.id = e.owner_id AND a.code = 'norfolk'
    WHERE p.warning_markers <> ''
    ORDER BY v.entity_id
    LIMIT 1
"""
# The phone of a Norfolk child (15 or younger this year) who runs for a county line.
CHILD_RUNNERS_PHONE = """
    SELECT ph.number, p.given_names, p.family_name
    FROM person p
    JOIN link lr ON lr.from_id = p.entity_id AND lr.link_type = 'runner_for'
    JOIN link lp ON lp.from_id = p.entity_id AND lp.link_type = 'uses_phone'
    JOIN phone ph ON ph.entity_id = lp.to_id
    JOIN entity pe ON pe.id = p.entity_id
    JOIN agency a ON a.id = pe.owner_id AND a.code = 'norfolk'
    WHERE p.dob_year >= CAST(strftime('%Y', 'now') AS INTEGER) - 15
    ORDER BY p.entity_id
    LIMIT 1
"""


def _check(page: Page, field: str, value: str, *, reason: str | None, axe: AxeAudit) -> None:
    page.goto("/check")
    page.get_by_label(field, exact=True).fill(value)
    if reason is not None:
        page.get_by_label(reason, exact=True).check()
        page.get_by_label("More about the reason (optional)").fill("roadside stop")
    page.get_by_role("button", name="Check", exact=True).click()
    page.wait_for_load_state()
    axe.check(page, f"check of {field.lower()} {value}")


def test_officer_gives_a_reason_then_sees_people_first_and_the_exploitation_prompt(
    demo_site: DemoSite,
    new_context: Callable[..., BrowserContext],
    axe: AxeAudit,
    artifacts: Path,
) -> None:
    vrm, given, family = demo_site.rows(MARKED_VEHICLE)[0]
    number, child_given, child_family = demo_site.rows(CHILD_RUNNERS_PHONE)[0]
    page = new_context(**PHONE).new_page()
    sign_in(page, "officer@norfolk", demo_site.password, axe=axe)

    # No reason: nothing is looked up, and the error summary says what to do.
    _check(page, "Vehicle registration", vrm, reason=None, axe=axe)
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "Select the reason for the check" in summary.inner_text()
    assert page.locator(".govuk-summary-card").count() == 0
    summary.get_by_role("link", name="Select the reason for the check").click()
    assert page.evaluate("document.activeElement.name") == "reason"
    assert fits_the_screen(page), "the check form scrolls sideways on a 390px-wide phone"
    page.screenshot(path=artifacts / "officer-check-no-reason.png", full_page=True)

    # With a reason: the vehicle's card leads with the people who use it, markers first.
    _check(page, "Vehicle registration", vrm, reason="Stop or encounter", axe=axe)
    card = page.locator(".govuk-summary-card").first
    text = card.inner_text()
    assert "People linked" in text and f"{family.upper()}, {given}" in text
    assert text.index("People linked") < text.index("Registration")
    assert card.locator(".tl-linked-people .govuk-tag--red").count() >= 1
    assert fits_the_screen(page), "the vehicle card scrolls sideways on a 390px-wide phone"
    page.screenshot(path=artifacts / "officer-check-vehicle.png", full_page=True)

    # A child runner's phone: the child is flagged as a possible victim, first.
    _check(page, "Phone number", number, reason="Stop or encounter", axe=axe)
    people = page.locator(".tl-linked-people").first
    assert f"{child_family.upper()}, {child_given}" in people.inner_text()
    assert PROMPT in people.inner_text()
    page.screenshot(path=artifacts / "officer-check-runner-phone.png", full_page=True)

    # The child's own card leads with the prompt, with no screening needed.
    page.goto("/check")
    page.get_by_label("Name", exact=True).fill(f"{child_given} {child_family}")
    page.get_by_label("Safeguarding or missing person", exact=True).check()
    page.get_by_role("button", name="Check", exact=True).click()
    page.wait_for_load_state()
    axe.check(page, "check of a child runner")
    child = page.locator(".govuk-summary-card", has_text=f"{child_family.upper()}, {child_given}")
    prompt = child.first.locator(".tl-exploitation-prompt")
    assert prompt.is_visible() and PROMPT in prompt.inner_text()
    assert "Under 18 and a runner for" in prompt.inner_text()
    assert fits_the_screen(page), "the child's card scrolls sideways on a 390px-wide phone"
    page.screenshot(path=artifacts / "officer-check-child-runner.png", full_page=True)
