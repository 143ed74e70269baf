"""An officer on a phone opens an OCG member's profile from a check, then the group's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.accessibility import AxeAudit
from tests.browser.conftest import PHONE, DemoSite
from tests.browser.flows import NORFOLK_OCG_MEMBER, check_name, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

pytestmark = pytest.mark.browser


def test_officer_opens_a_members_profile_and_then_the_group(
    demo_site: DemoSite,
    new_context: Callable[..., BrowserContext],
    axe: AxeAudit,
    artifacts: Path,
) -> None:
    person_id, given, family, group_id, group, role = demo_site.rows(NORFOLK_OCG_MEMBER)[0]
    page = new_context(**PHONE).new_page()
    sign_in(page, "officer@norfolk", demo_site.password, axe=axe)
    check_name(page, f"{given} {family}", axe=axe)

    page.locator(f'a[href="/people/{person_id}"]').first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/people/{person_id}"), page.url
    heading = page.get_by_role("heading", level=1)
    assert family.upper() in heading.inner_text()
    membership = page.locator(".tl-membership", has_text=group)
    assert membership.count() == 1, page.locator("main").inner_text()
    assert membership.locator(".govuk-tag", has_text=role).is_visible()
    # Whom to call: the group's lead responsible officer (the demo names lro@norfolk).
    assert "Lead responsible officer" in membership.inner_text()
    assert "lro@norfolk" in membership.inner_text()
    assert page.get_by_role("heading", name="Timeline").is_visible()
    assert _fits_the_screen(page), "the person profile scrolls sideways on a 390px-wide phone"
    axe.check(page, "person profile")
    page.screenshot(path=artifacts / "profile-person.png", full_page=True)

    membership.get_by_role("link", name=group).click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/groups/{group_id}"), page.url
    assert group in page.get_by_role("heading", level=1).inner_text()
    members = page.locator("table.tl-group-members")  # the group overview: members by role
    assert members.locator(f'a[href="/people/{person_id}"]').is_visible()
    assert members.locator(".govuk-tag", has_text=role).first.is_visible()
    assert "lro@norfolk" in page.locator("main").inner_text()
    assert _fits_the_screen(page), "the group profile scrolls sideways on a 390px-wide phone"
    axe.check(page, "group profile")
    page.screenshot(path=artifacts / "profile-group.png", full_page=True)


def test_profiles_work_without_javascript(
    demo_site: DemoSite, new_context: Callable[..., BrowserContext], axe: AxeAudit
) -> None:
    person_id, _, family, group_id, group, _ = demo_site.rows(NORFOLK_OCG_MEMBER)[0]
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, "officer@norfolk", demo_site.password, axe=axe)
    page.goto(f"/people/{person_id}")
    assert family.upper() in page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("link", name=group).first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/groups/{group_id}")
    missing = page.goto("/people/999999999")
    assert missing is not None and missing.status == 404
    assert "Page not found" in page.locator("h1").inner_text()


def _fits_the_screen(page: Page) -> bool:
    return bool(page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"))
