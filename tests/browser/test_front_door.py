"""The police front door in the browser: a CADS practitioner raises a concern about a
child no check found; a Norfolk officer on a phone works the queue and responds; the
practitioner then reads the police response. Axe-clean, with screenshots."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.accessibility import AxeAudit
from tests.browser.conftest import PHONE, DemoSite
from tests.browser.flows import fits_the_screen, sign_in
from threadline.clock import utcnow

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

pytestmark = pytest.mark.browser

CONCERN = "Riley is picked up from school by older boys in a car and has large amounts of cash."
FEEDBACK = "Officers and CADS will visit Riley at home on Thursday; a strategy meeting is booked."


def test_a_police_officer_works_the_front_door_and_the_partner_sees_the_response(
    demo_site: DemoSite,
    new_context: Callable[..., BrowserContext],
    axe: AxeAudit,
    artifacts: Path,
) -> None:
    partner = new_context().new_page()
    sign_in(partner, "partner@norfolk-cads", demo_site.password, axe=axe)
    partner.goto("/safeguarding/new-child")
    axe.check(partner, "raise a concern about a child no check found")
    partner.get_by_role("button", name="Raise the concern").click()
    partner.wait_for_load_state()
    assert "There is a problem" in partner.locator(".govuk-error-summary").inner_text()
    axe.check(partner, "the new-child form with errors")
    partner.get_by_label("First name").fill("Riley")
    partner.get_by_label("Last name").fill("Scot")
    partner.get_by_label("Date of birth").fill(f"9/3/{utcnow().year - 15}")
    partner.get_by_label("Postcode").fill("NR3")
    partner.get_by_label("School (optional)").fill("Sewell Park Academy")
    partner.get_by_label("Your case reference (optional)").fill("CADS-2231")
    partner.get_by_label("What have you seen or been told?").fill(CONCERN)
    partner.get_by_role("button", name="Raise the concern").click()
    partner.wait_for_load_state()
    assert "Concern raised" in partner.locator(".govuk-notification-banner").inner_text()
    card = partner.locator(".govuk-summary-card", has_text="SCOT, Riley")
    assert "No response you may see yet" in card.inner_text()
    axe.check(partner, "concerns the partner raised")
    partner.screenshot(path=artifacts / "partner-concerns-raised.png", full_page=True)

    officer = new_context(**PHONE).new_page()
    sign_in(officer, "officer@norfolk", demo_site.password, axe=axe)
    officer.goto("/safeguarding/front-door")
    axe.check(officer, "the front door queue")
    assert fits_the_screen(officer)
    row = officer.locator(".govuk-summary-card", has_text="SCOT, Riley")
    assert "CADS-2231" in row.inner_text()
    assert "Due in" in row.inner_text()
    assert "How concerns are rated and timed" in officer.content()
    officer.screenshot(path=artifacts / "officer-front-door.png", full_page=True)
    row.get_by_role("link", name="SCOT, Riley").click()
    officer.wait_for_load_state()
    axe.check(officer, "a concern at the front door")
    assert fits_the_screen(officer)
    assert "Sewell Park Academy" in officer.content()
    officer.screenshot(path=artifacts / "officer-front-door-concern.png", full_page=True)
    officer.get_by_label("Strategy discussion or joint visit arranged").check()
    officer.get_by_label("Feedback to").fill(FEEDBACK)
    officer.get_by_role("button", name="Record the response").click()
    officer.wait_for_load_state()
    assert "Response recorded" in officer.locator(".govuk-notification-banner").inner_text()
    assert officer.locator(".govuk-summary-card", has_text="SCOT, Riley").count() == 0
    axe.check(officer, "the front door after a response")
    officer.screenshot(path=artifacts / "officer-front-door-answered.png", full_page=True)

    partner.goto("/safeguarding/concerns")
    card = partner.locator(".govuk-summary-card", has_text="SCOT, Riley")
    assert FEEDBACK in card.inner_text()
    assert "Strategy discussion or joint visit arranged" in card.inner_text()
    axe.check(partner, "the partner reads the police response")
    partner.screenshot(path=artifacts / "partner-sees-police-response.png", full_page=True)
