"""An officer on a phone checks a man held by three forces: one card, the markers first."""

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

# A person resolved from exactly three forces' records, Norfolk's with warning markers,
# each record open to any officer of the region; the Norfolk record's name.
HELD_BY_THREE_FORCES = """
    SELECT p.given_names, p.family_name, r.resolved_id
    FROM resolved_person r
    JOIN person p ON p.entity_id = r.entity_id
    JOIN entity e ON e.id = r.entity_id
    JOIN agency a ON a.id = e.owner_id
    WHERE a.code = 'norfolk' AND p.warning_markers != '' AND p.dob_day IS NOT NULL
      AND r.resolved_id IN (
        SELECT r2.resolved_id
        FROM resolved_person r2
        JOIN entity e2 ON e2.id = r2.entity_id
        JOIN agency a2 ON a2.id = e2.owner_id
        GROUP BY r2.resolved_id
        HAVING count(*) = 3 AND count(DISTINCT a2.code) = 3
           AND sum(CASE WHEN e2.marking = 'OFFICIAL' AND e2.scope = 'region'
                   THEN 1 ELSE 0 END) = 3
      )
    ORDER BY r.entity_id
    LIMIT 1
"""


def test_officer_on_a_phone_sees_one_card_for_a_person_held_by_three_forces(
    demo_site: DemoSite,
    new_context: Callable[..., BrowserContext],
    axe: AxeAudit,
    artifacts: Path,
) -> None:
    found = demo_site.rows(HELD_BY_THREE_FORCES)
    assert found, "the demo has no person resolved from three forces' records"
    given, family, _ = found[0]
    page = new_context(**PHONE).new_page()

    sign_in(page, "officer@norfolk", demo_site.password, axe=axe)
    check_name(page, f"{given} {family}", axe=axe)

    cards = page.locator(".govuk-summary-card", has=page.locator(".tl-source-records"))
    card = cards.filter(has=page.locator(".tl-source-records > li:nth-child(3)"))
    assert card.count() == 1, page.locator("main").inner_text()
    # Three source records, each naming its force and linking to its profile.
    records = card.locator(".tl-source-records > li")
    assert records.count() == 3
    texts = [records.nth(i).inner_text() for i in range(3)]
    assert any("Norfolk Constabulary" in text for text in texts), texts
    for i in range(3):
        assert records.nth(i).locator("a").get_attribute("href", timeout=1000)
    # Warnings first: the markers open the card, before the identity and the records.
    first = card.locator(".govuk-summary-card__content > *").first
    assert "tl-warnings" in (first.get_attribute("class") or "")
    assert first.locator(".govuk-tag").count() >= 1
    body = card.inner_text()
    assert body.index(first.inner_text().strip().split("\n")[0]) < body.index("Records")
    assert fits_the_screen(page), "the results page scrolls sideways on a 390px-wide phone"
    page.screenshot(path=artifacts / "officer-check-resolved.png", full_page=True)
