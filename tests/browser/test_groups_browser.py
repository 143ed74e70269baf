"""Norfolk's analyst uses the index of crime groups: filters it by band and by area, then
opens a group's overview.

The demo region gets its group profiles and mapping scores first (as `threadline demo`
adds them). Every page is audited with axe-core; a screenshot is left in
/tmp/groups-index.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine

from tests.browser.accessibility import AxeAudit
from tests.browser.conftest import DemoSite, serve_demo
from tests.browser.flows import sign_in
from threadline.demo.ocg_profiles import add_demo_ocg_profiles
from threadline.demo.ocg_scores import add_demo_ocg_scores
from threadline.storage.db import session_scope

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

DESKTOP = {"viewport": {"width": 1280, "height": 1000}}
# An operating area of a mapped Norfolk group: where it operates from, or where a line
# it runs imports to.
NORFOLK_AREA = """
    SELECT ar.name FROM link l
    JOIN organisation o ON o.entity_id = l.from_id
    JOIN entity g ON g.id = o.entity_id JOIN agency a ON a.id = g.owner_id
    JOIN ocg_profile p ON p.group_id = o.entity_id AND p.status = 'mapped'
    LEFT JOIN location loc ON loc.entity_id = l.to_id
    LEFT JOIN county_line cl ON cl.entity_id = l.to_id
    JOIN area ar ON ar.id = COALESCE(loc.area_id, cl.importing_area_id)
    WHERE l.link_type IN ('operates_from', 'runs_line') AND a.code = 'norfolk'
    ORDER BY o.entity_id LIMIT 1
"""


def _prepare(engine: Engine) -> None:
    with session_scope(engine) as session:
        add_demo_ocg_profiles(session)
    with session_scope(engine) as session:
        add_demo_ocg_scores(session)


@pytest.fixture(scope="module")
def groups_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    with serve_demo(tmp_path_factory.mktemp("groups-demo"), prepare=_prepare) as site:
        yield site


def test_an_analyst_filters_the_index_and_opens_a_group(
    groups_site: DemoSite, browser: Browser, axe: AxeAudit
) -> None:
    area = groups_site.scalar(NORFOLK_AREA)
    context = browser.new_context(base_url=groups_site.url, locale="en-GB", **DESKTOP)
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, "analyst@norfolk", groups_site.password, axe=axe)

    page.get_by_role("link", name="Crime groups").first.click()
    page.wait_for_load_state()
    axe.check(page, "crime groups")
    caption = page.locator("caption").first.inner_text()
    assert caption.endswith("groups") or "page 1 of" in caption, caption
    rows = page.locator("table.tl-groups tbody tr")
    everyone = rows.count()
    assert everyone > 1

    page.get_by_label("Band").select_option(label="Band A (highest harm)")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    axe.check(page, "crime groups in band A")
    banded = page.locator("table.tl-groups tbody tr")
    assert banded.count() < everyone or everyone == 25
    for i in range(banded.count()):
        assert "Band A (highest harm)" in banded.nth(i).inner_text()

    page.goto("/groups")
    page.get_by_label("Area").select_option(label=area)
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    axe.check(page, f"crime groups in {area}")
    assert f"Filtered by: {area}" in page.locator("main").inner_text()
    page.screenshot(path="/tmp/groups-index.png", full_page=True)
    first = page.locator("table.tl-groups tbody tr").first.get_by_role("link").first
    name = first.inner_text()
    first.click()
    page.wait_for_load_state()
    axe.check(page, "group overview")
    assert page.get_by_role("heading", level=1).inner_text().startswith(name)
    assert page.get_by_role("link", name="Overview").get_attribute("aria-current") == "page"
    overview = page.locator("main").inner_text()
    assert area in overview and "Lead responsible officer" in overview
    assert "Edit profile" in overview and "Commodities" in overview
    page.screenshot(path="/tmp/groups-overview.png", full_page=True)
    context.close()
