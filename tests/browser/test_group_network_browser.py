"""An analyst opens a Norfolk group's Network tab and accepts a suggested member with a role."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.accessibility import AxeAudit
from tests.browser.conftest import DemoSite, serve_demo
from tests.browser.flows import sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

NORFOLK_GROUPS = """
    SELECT o.entity_id FROM organisation o
    JOIN entity g ON g.id = o.entity_id
    JOIN agency a ON a.id = g.owner_id AND a.code = 'norfolk'
    WHERE o.org_type = 'ocg' ORDER BY o.entity_id
"""
MEMBER_LINK = """
    SELECT role FROM link WHERE link_type = 'member_of' AND from_id = :person
    AND to_id = :group AND source_system = 'threadline-suggestion'
"""
SCREENSHOT = Path("/tmp/group-network.png")


@pytest.fixture
def site(tmp_path: Path) -> DemoSite:
    with serve_demo(tmp_path) as served:
        yield served  # type: ignore[misc]


def test_analyst_accepts_a_suggested_member_with_a_role(
    site: DemoSite, browser: Browser, axe: AxeAudit
) -> None:
    context = browser.new_context(base_url=site.url, locale="en-GB")
    context.set_default_timeout(20_000)
    page = context.new_page()
    sign_in(page, "analyst@norfolk", site.password, axe=axe)

    chosen = None
    for (group_id,) in site.rows(NORFOLK_GROUPS):
        page.goto(f"/groups/{group_id}/network")
        if page.locator(".tl-suggestion").count():
            chosen = group_id
            break
    assert chosen is not None, "no Norfolk group has a suggested member in the demo"
    assert page.get_by_role("heading", level=2, name="Key players").is_visible()
    assert page.locator(".tl-key-players tbody tr").count() >= 1
    axe.check(page, "group network")

    card = page.locator(".tl-suggestion").first
    person = int((card.get_attribute("id") or "").removeprefix("suggestion-"))
    assert card.locator("li").count() >= 1  # the links that suggest them are shown
    card.get_by_label("Role in the group").select_option(label="Lieutenant")
    card.get_by_role("button", name="Accept as a member").click()
    page.wait_for_load_state()

    assert "Suggestion accepted" in page.locator(".govuk-notification-banner").inner_text()
    assert page.locator(f"#suggestion-{person}").count() == 0
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert site.scalar(MEMBER_LINK, person=person, group=chosen) == "lieutenant"
    context.close()
