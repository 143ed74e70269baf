"""An officer at the roadside, on a phone, checks a member of an organised crime group."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.accessibility import AxeAudit
from tests.browser.conftest import PHONE, DemoSite
from tests.browser.flows import NORFOLK_OCG_MEMBER, check_name, fits_the_screen, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

pytestmark = pytest.mark.browser


def test_officer_on_a_phone_is_warned_of_ocg_membership(
    demo_site: DemoSite,
    new_context: Callable[..., BrowserContext],
    axe: AxeAudit,
    artifacts: Path,
) -> None:
    _, given, family, _, group, role = demo_site.rows(NORFOLK_OCG_MEMBER)[0]
    page = new_context(**PHONE).new_page()

    sign_in(page, "officer@norfolk", demo_site.password, axe=axe)
    assert page.url.endswith("/check"), f"signing in led to {page.url}, not the check page"
    check_name(page, f"{given} {family}", axe=axe)

    card = page.locator(".govuk-summary-card", has_text=f"{family.upper()}, {given}")
    assert card.count() == 1, page.locator("main").inner_text()
    tag = card.locator(".govuk-tag", has_text="OCG member")
    assert tag.is_visible()
    assert f"{group} – {role}" in card.inner_text()
    # Whom to call: the group's lead responsible officer (the demo names lro@norfolk).
    assert "Lead responsible officer:" in card.inner_text()
    assert "lro@norfolk" in card.inner_text()
    assert fits_the_screen(page), "the results page scrolls sideways on a 390px-wide phone"
    page.screenshot(path=artifacts / "officer-check.png", full_page=True)
