"""A partner's "Shared with us": only sanitised material its agreement allows, never a report.

partner@norfolk-cads (Norfolk's children's services front door) opens Shared with us and
sees the sanitised intelligence Norfolk shares under ISA-NOR-CADS, each item with its
grading, handling code and code C conditions; nothing restricted to the police, no
original report, no source. The full intelligence pages are empty or refused.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.accessibility import AxeAudit
from tests.browser.conftest import DemoSite
from tests.browser.flows import sign_in

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

pytestmark = pytest.mark.browser

SANITISED = """
    SELECT s.ref, s.handling, s.conditions, s.restricted_to, a.code
    FROM intel_sanitised s
    JOIN entity e ON e.id = s.report_id
    JOIN agency a ON a.id = e.owner_id
"""
ORIGINALS = """
    SELECT r.ref, r.fact, r.assessment, s.source_ref, s.description, s.handler
    FROM intel_report r LEFT JOIN intel_source s ON s.report_id = r.entity_id
"""


def test_partner_sees_only_sanitised_material_its_agreement_allows(
    demo_site: DemoSite,
    new_context: Callable[..., BrowserContext],
    axe: AxeAudit,
    artifacts: Path,
) -> None:
    page = new_context().new_page()
    sign_in(page, "partner@norfolk-cads", demo_site.password, axe=axe)
    nav = page.get_by_role("navigation", name="Menu")
    assert nav.get_by_role("link", name="Shared with us").is_visible()
    assert nav.get_by_role("link", name="Intelligence").count() == 0

    page.goto("/shared")
    axe.check(page, "shared with us")
    assert page.locator("h1").inner_text() == "Shared with us"
    cards = page.locator(".govuk-summary-card")
    assert cards.count() > 0, "Norfolk shares sanitised intelligence with CADS in the demo"
    versions = {ref: rest for ref, *rest in demo_site.rows(SANITISED)}
    for index in range(cards.count()):
        card = cards.nth(index)
        ref = card.locator(".govuk-summary-card__title").inner_text().strip()
        handling, conditions, restricted, owner = versions[ref]
        text = card.inner_text()
        assert owner == "norfolk", f"{ref} belongs to {owner}, outside CADS's agreements"
        assert "police" not in (restricted or "").split(","), f"{ref} is for the police only"
        assert "ISA-NOR-CADS" in text, f"{ref} should say which agreement it comes under"
        assert card.locator(".govuk-tag").count() >= 1, f"{ref} shows no grade"
        if handling == "C":
            warning = card.locator(".govuk-warning-text").inner_text()
            assert conditions in warning, f"{ref} hides its code C conditions"
    html = page.content()
    for ref, fact, assessment, *source in demo_site.rows(ORIGINALS):
        assert f'href="/intelligence/{ref}"' not in html
        for secret in (fact, assessment, *source):
            if secret:
                assert secret not in html, f"original report {ref} leaked: {secret!r}"
    page.screenshot(path=artifacts / "partner-shared.png", full_page=True)

    cards.first.locator(".govuk-summary-card__title a").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-caption-l").inner_text() == "Sanitised intelligence"
    axe.check(page, "shared item")

    page.goto("/intelligence")
    axe.check(page, "intelligence list as a partner")
    assert "There are no intelligence reports you may read" in page.locator("main").inner_text()
    assert page.locator("table").count() == 0

    ref, fact = demo_site.rows(ORIGINALS)[0][:2]
    reply = page.goto(f"/intelligence/{ref}")
    # Answered as for a missing report: a partner cannot tell which report ids exist.
    assert reply is not None and reply.status == 404
    refused = page.locator("main").inner_text()
    assert fact not in refused
    missing = page.goto("/intelligence/BDF-IR-2026-999999")
    assert missing is not None and missing.status == 404
    assert page.locator("main").inner_text().replace("BDF-IR-2026-999999", ref) == refused
    axe.check(page, "original report refused")
