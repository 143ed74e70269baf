"""An LRO on a phone opens their group's 4P plan, updates an action with evidence, sees it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine

from tests.browser.accessibility import AxeAudit
from tests.browser.conftest import PHONE, DemoSite, serve_demo
from tests.browser.flows import fits_the_screen, sign_in
from threadline.demo.ocg_plans import add_demo_ocg_plans
from threadline.storage.db import session_scope

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

# The Norfolk group whose plan has actions (the demo leaves Norfolk's first group with no
# plan, and its second with the review overdue and actions late).
NORFOLK_PLAN = """
    SELECT o.entity_id, o.name
    FROM organisation o
    JOIN entity g ON g.id = o.entity_id
    JOIN agency a ON a.id = g.owner_id AND a.code = 'norfolk'
    WHERE EXISTS (SELECT 1 FROM plan_action p WHERE p.group_id = o.entity_id
                  AND p.status = 'in_progress')
    ORDER BY o.entity_id
    LIMIT 1
"""
SCREENSHOT = Path("/tmp/group-plan.png")


def _plans(engine: Engine) -> None:
    with session_scope(engine) as session:
        add_demo_ocg_plans(session)


@pytest.fixture
def plans_site(tmp_path: Path) -> Iterator[DemoSite]:
    """A copy of the demo region with the demo's 4P plans (this test changes one)."""
    with serve_demo(tmp_path, prepare=_plans) as site:
        yield site


def test_lro_updates_an_action_of_their_groups_plan_on_a_phone(
    plans_site: DemoSite, browser: Browser, axe: AxeAudit, artifacts: Path
) -> None:
    group_id, name = plans_site.rows(NORFOLK_PLAN)[0]
    context = browser.new_context(base_url=plans_site.url, locale="en-GB", **PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, "lro@norfolk", plans_site.password, axe=axe)

    page.goto(f"/groups/{group_id}/plan")
    assert name in page.get_by_role("heading", level=1).inner_text()
    main = page.locator("main")
    # Currency first: Norfolk's plan is overdue and has late actions, and says so.
    warning = page.locator(".govuk-warning-text")
    assert warning.is_visible(), main.inner_text()
    assert "due date" in warning.inner_text()
    for strand in ("Pursue", "Prevent", "Protect", "Prepare"):
        assert page.get_by_role("heading", level=2, name=strand).is_visible()
    assert fits_the_screen(page), "the 4P plan scrolls sideways on a 390px-wide phone"
    axe.check(page, "4P plan")

    card = page.locator(".govuk-summary-card", has_text="In progress").first
    title = card.locator(".govuk-summary-card__title").inner_text().strip()
    card_id = card.get_attribute("id")
    card.locator("summary").click()
    card.get_by_label("Status").select_option(label="Done")
    card.get_by_label("Evidence").fill(
        "Completed on the day: two arrests, 1.2 kg of cocaine seized."
    )
    card.get_by_role("button", name="Save").click()
    page.wait_for_load_state()

    assert page.get_by_text("Action updated").is_visible()
    updated = page.locator(f"#{card_id}")
    assert updated.locator(".govuk-summary-card__title").inner_text().strip() == title
    assert updated.locator(".govuk-tag", has_text="Done").is_visible()
    assert "1.2 kg of cocaine seized" in updated.inner_text()
    assert fits_the_screen(page)
    axe.check(page, "4P plan after an update")
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    page.screenshot(path=artifacts / "group-plan.png", full_page=True)
    context.close()
