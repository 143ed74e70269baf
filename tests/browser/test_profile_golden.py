"""A regional analyst opens one force's record of a man held by three forces.

At the top of the profile they see the person as one: the warning markers of every
record first (here Norfolk's, though they opened another force's record), then the best
identity, then each force's record by name, each linking to its own profile.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.accessibility import AxeAudit
from tests.browser.conftest import DemoSite
from tests.browser.flows import sign_in
from tests.browser.test_check_resolved import HELD_BY_THREE_FORCES

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

pytestmark = pytest.mark.browser

ANALYST = "analyst@ersou"

# The records of one resolved person, the record of a force other than Norfolk first.
RECORDS_OF = """
    SELECT r.entity_id, a.code
    FROM resolved_person r
    JOIN entity e ON e.id = r.entity_id
    JOIN agency a ON a.id = e.owner_id
    WHERE r.resolved_id = :resolved
    ORDER BY a.code = 'norfolk', r.entity_id
"""


def test_analyst_sees_every_records_warnings_first_and_the_forces_named(
    demo_site: DemoSite,
    new_context: Callable[..., BrowserContext],
    axe: AxeAudit,
    artifacts: Path,
) -> None:
    found = demo_site.rows(HELD_BY_THREE_FORCES)
    assert found, "the demo has no person resolved from three forces' records"
    _, _, resolved = found[0]
    records = demo_site.rows(RECORDS_OF, resolved=resolved)
    opened, force = records[0]
    assert force != "norfolk"
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, ANALYST, demo_site.password, axe=axe)
    page.goto(f"/people/{opened}")
    axe.check(page, "the profile of a person held by three forces")

    golden = page.locator(".tl-golden-nominal")
    assert golden.count() == 1, page.locator("main").inner_text()
    title = golden.locator(".govuk-summary-card__title").inner_text()
    assert title.startswith("One person, recorded by ")
    forces = title.removeprefix("One person, recorded by ").split(", ")
    assert "Norfolk Constabulary" in forces and len(forces) == 3, title
    # Warnings first: the markers open the card, before the identity and the records.
    first = golden.locator(".govuk-summary-card__content > *").first
    assert "tl-warnings" in (first.get_attribute("class") or "")
    assert first.locator(".govuk-tag").count() >= 1
    body = golden.inner_text()
    assert body.index(first.locator(".govuk-tag").first.inner_text()) < body.index("Best identity")
    assert body.index("Best identity") < body.index("Recorded by")
    # Each force's record named, the others linking to their profiles.
    items = golden.locator(".tl-source-records > li")
    assert items.count() == 3
    assert golden.locator(".tl-source-records a").count() == 2
    assert "(this record)" in body
    # Above the record's own identity, and no ISO date anywhere on the card.
    main = page.locator("main").inner_text()
    assert main.index("One person") < main.index("\nIdentity\n")
    assert not re.search(r"\d{4}-\d{2}-\d{2}", body), body
    page.screenshot(path="/tmp/golden-profile.png", full_page=False)
    page.screenshot(path=artifacts / "analyst-profile-golden.png", full_page=True)
