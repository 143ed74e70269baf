"""Safeguarding in the browser: a partner raises a concern and screens a child on a phone;
the officer's check shows the prompt to protect; a charge decision waits for the record."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.accessibility import AxeAudit
from tests.browser.conftest import PHONE, DemoSite
from tests.browser.flows import check_name, fits_the_screen, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

pytestmark = pytest.mark.browser

# A child running for a Norfolk group and living in Norwich: inside the CADS agreement.
# The last such child by id, so other browser tests (which take the first) are untouched.
NORWICH_RUNNER = """
    SELECT p.entity_id, p.given_names, p.family_name
    FROM person p
    JOIN link l ON l.from_id = p.entity_id AND l.link_type = 'member_of' AND l.role = 'runner'
    JOIN organisation o ON o.entity_id = l.to_id AND o.org_type = 'ocg'
    JOIN entity g ON g.id = o.entity_id
    JOIN agency a ON a.id = g.owner_id AND a.code = 'norfolk'
    JOIN link home ON home.from_id = p.entity_id AND home.link_type = 'resides_at'
    JOIN location loc ON loc.entity_id = home.to_id
    JOIN area ar ON ar.id = loc.area_id AND ar.code = 'norwich'
    ORDER BY p.entity_id DESC
    LIMIT 1
"""
CONCERN = "Seen at the station late at night with two older men; new phone and trainers."


def test_a_partners_concern_reaches_the_officers_check_and_the_charge_waits(
    demo_site: DemoSite,
    new_context: Callable[..., BrowserContext],
    axe: AxeAudit,
    artifacts: Path,
) -> None:
    person, given, family = demo_site.rows(NORWICH_RUNNER)[0]
    phone = new_context(**PHONE).new_page()
    sign_in(phone, "partner@norfolk-cads", demo_site.password, axe=axe)
    phone.goto(f"/people/{person}/concern")
    axe.check(phone, "raise a concern")
    assert fits_the_screen(phone)
    phone.get_by_label("What have you seen or been told?").fill(CONCERN)
    phone.get_by_label("Associating with older people or known offenders").check()
    phone.get_by_role("button", name="Raise the concern").click()
    phone.wait_for_load_state()
    assert "Concern raised" in phone.locator(".govuk-notification-banner").inner_text()
    axe.check(phone, "a person's safeguarding page")

    phone.goto(f"/people/{person}/screening")
    axe.check(phone, "screening form")
    assert fits_the_screen(phone)
    phone.locator('[id="ind-cce.deal_line"]').check()
    phone.locator('[id="ind-cce.older_associates"]').check()
    phone.get_by_role("button", name="Record the screening").click()
    phone.wait_for_load_state()
    assert "risk" in phone.locator(".govuk-panel").inner_text()
    axe.check(phone, "screening result")
    phone.screenshot(path=artifacts / "partner-screening.png", full_page=True)

    page = new_context().new_page()
    sign_in(page, "officer@norfolk", demo_site.password, axe=axe)
    check_name(page, f"{given} {family}", axe=axe)
    card = page.locator(".govuk-summary-card", has_text=f"{family.upper()}, {given}").first
    prompt = card.locator(".tl-safeguarding-prompt")
    assert "Prompt to protect" in prompt.inner_text()
    assert CONCERN in prompt.inner_text()
    page.screenshot(path=artifacts / "officer-check-safeguarding-prompt.png", full_page=True)

    page.goto(f"/people/{person}/charge")
    axe.check(page, "charge decision form")
    page.get_by_label("Charge", exact=True).check()
    page.get_by_label("Offence", exact=True).fill("Possession with intent to supply crack cocaine")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    assert "The decision cannot be recorded yet" in summary.inner_text()
    assert "Children's front door" in summary.inner_text()
    axe.check(page, "charge decision refused")
    page.screenshot(path=artifacts / "charge-refused.png", full_page=True)
