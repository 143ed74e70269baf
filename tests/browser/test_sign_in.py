"""Signing in: a wrong password is explained, and the check works with JavaScript off."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from tests.browser.accessibility import AxeAudit
from tests.browser.conftest import DemoSite
from tests.browser.flows import check_name, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

pytestmark = pytest.mark.browser


def test_wrong_password_shows_the_error_summary(
    demo_site: DemoSite, new_context: Callable[..., BrowserContext], axe: AxeAudit
) -> None:
    page = new_context().new_page()
    sign_in(page, "officer@norfolk", "not-the-password", axe=axe)

    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "There is a problem" in summary.inner_text()
    assert summary.get_by_role("link").count() >= 1
    assert page.title().startswith("Error"), f"title {page.title()!r} should start 'Error'"
    assert page.url.endswith("/sign-in")
    axe.check(page, "sign-in error")


def test_check_works_with_javascript_off(
    demo_site: DemoSite, new_context: Callable[..., BrowserContext], axe: AxeAudit
) -> None:
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, "officer@norfolk", demo_site.password, axe=axe)
    assert "js-enabled" not in (page.locator("body").get_attribute("class") or "")
    check_name(page, "Smith", axe=axe)

    assert page.locator("#results h2").is_visible()
    assert page.locator(".govuk-summary-card").count() > 0
