"""An analyst scores a group: Norfolk's analyst opens a group's mapping score, reads the
band and the records behind it, adjusts it with a reason and sees the new band.

The demo region gets its scores first (`add_demo_ocg_scores`, as `threadline demo` adds
them). Every page is audited with axe-core; a screenshot is left in /tmp/group-score.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine

from tests.browser.accessibility import AxeAudit
from tests.browser.conftest import DemoSite, serve_demo
from tests.browser.flows import sign_in
from threadline.demo.ocg_scores import add_demo_ocg_scores
from threadline.storage.db import session_scope

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext

pytestmark = pytest.mark.browser

DESKTOP = {"viewport": {"width": 1280, "height": 1000}}
NORFOLK_SCORED = """
    SELECT s.group_id FROM ocg_score s
    JOIN entity e ON e.id = s.group_id JOIN agency a ON a.id = e.owner_id
    WHERE s."current" AND a.code = 'norfolk' ORDER BY s.group_id LIMIT 1
"""
REASON = "Firearms recovered from the line's cuckooed address last week; not yet recorded."


def _scores(engine: Engine) -> None:
    with session_scope(engine) as session:
        add_demo_ocg_scores(session)


@pytest.fixture(scope="module")
def scored_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    with serve_demo(tmp_path_factory.mktemp("score-demo"), prepare=_scores) as site:
        yield site


def test_an_analyst_adjusts_a_groups_score_with_a_reason(
    scored_site: DemoSite, browser: Browser, axe: AxeAudit
) -> None:
    group = scored_site.scalar(NORFOLK_SCORED)
    before = scored_site.scalar(
        'SELECT adjusted FROM ocg_score WHERE group_id = :g AND "current"', g=group
    )
    context: BrowserContext = browser.new_context(
        base_url=scored_site.url, locale="en-GB", **DESKTOP
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, "analyst@norfolk", scored_site.password, axe=axe)

    page.goto(f"/groups/{group}/score")
    axe.check(page, "group score")
    assert page.get_by_role("link", name="Mapping score").get_attribute("aria-current") == "page"
    band = page.locator("#band").inner_text()
    assert band.startswith("Band ")
    assert page.get_by_role("table").first.get_by_role("link").count() > 0  # records named

    page.get_by_label("Dimension").select_option(label="Criminality of members")
    page.get_by_label("Points").fill("25")
    page.get_by_role("button", name="Adjust the score").click()
    page.wait_for_load_state()
    axe.check(page, "adjustment refused without a reason")
    assert (
        "Why: enter a reason of at least 10 characters"
        in page.locator(".govuk-error-summary").inner_text()
    )

    page.get_by_label("Why you are adjusting it").fill(REASON)
    page.get_by_role("button", name="Adjust the score").click()
    page.wait_for_load_state()
    axe.check(page, "score adjusted")
    assert "The score was adjusted" in page.locator(".govuk-notification-banner").inner_text()
    total = page.locator("#total").inner_text()
    assert total.startswith(f"{before + 25} points")
    new_band = page.locator("#band").inner_text()
    assert new_band != band or band == "Band A (highest harm)"
    assert REASON in page.content()
    page.screenshot(path="/tmp/group-score.png", full_page=True)
    context.close()
