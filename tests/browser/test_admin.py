"""An administrator adds and disables an account; a DPO reads the audit log of a user."""

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

NEW_USER = "jtaylor@norfolk"


def test_region_admin_adds_a_user_then_disables_them(
    demo_site: DemoSite,
    new_context: Callable[..., BrowserContext],
    axe: AxeAudit,
    artifacts: Path,
) -> None:
    page = new_context().new_page()
    sign_in(page, "admin@ersou", demo_site.password, axe=axe)
    page.goto("/admin")
    axe.check(page, "admin hub")
    page.get_by_role("link", name="Users", exact=True).click()
    axe.check(page, "users list")
    page.get_by_role("button", name="Add a user").click()
    assert page.url.endswith("/admin/users/new")
    axe.check(page, "new user form")

    page.get_by_label("Username", exact=True).fill(NEW_USER)
    page.get_by_label("Organisation").select_option("norfolk")
    page.get_by_label("Frontline officer or staff").check()
    page.get_by_label("Home areas (optional)").fill("breckland north-norfolk")
    page.get_by_role("button", name="Add user").click()  # no full name yet

    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "Enter the person's full name" in summary.inner_text()
    assert page.title().startswith("Error: ")
    assert page.get_by_label("Username", exact=True).input_value() == NEW_USER
    assert page.get_by_label("Frontline officer or staff").is_checked()
    axe.check(page, "new user form with an error")
    page.screenshot(path=artifacts / "admin-new-user-error.png", full_page=True)
    summary.get_by_role("link", name="Enter the person's full name").click()
    page.get_by_label("Full name").fill("Jordan Taylor")
    page.get_by_role("button", name="Add user").click()

    assert page.locator(".govuk-panel__title").inner_text() == "Account created"
    assert len(page.locator("#one-time-password").inner_text()) >= 12
    axe.check(page, "account created")
    page.get_by_role("link", name=f"Go to {NEW_USER}").click()
    page.wait_for_url(f"**/admin/users/{NEW_USER}")
    axe.check(page, "user page")
    assert "Breckland, North Norfolk" in page.locator(".govuk-summary-list").inner_text()

    page.get_by_label("Reason (optional)").fill("browser test: left the force")
    page.get_by_role("button", name="Disable account").click()
    banner = page.locator(".govuk-notification-banner--success")
    assert "Account disabled" in banner.inner_text()
    assert page.get_by_role("button", name="Enable account").is_visible()
    axe.check(page, "user page after disabling")
    page.screenshot(path=artifacts / "admin-user-disabled.png", full_page=True)

    disabled = demo_site.scalar("SELECT disabled FROM user_account WHERE username = :u", u=NEW_USER)
    assert disabled in (1, True)
    actors = demo_site.rows(
        "SELECT event, actor FROM audit_event WHERE event IN ('user.added', 'user.disabled') "
        "AND details LIKE :u ORDER BY id",
        u=f"%{NEW_USER}%",
    )
    assert [tuple(row) for row in actors] == [
        ("user.added", "admin@ersou"),
        ("user.disabled", "admin@ersou"),
    ]


def test_dpo_searches_the_audit_log_for_an_officers_checks(
    demo_site: DemoSite,
    new_context: Callable[..., BrowserContext],
    axe: AxeAudit,
    artifacts: Path,
) -> None:
    officer = new_context().new_page()
    sign_in(officer, "officer@norfolk", demo_site.password, axe=axe)
    check_name(officer, "Smith", axe=axe)

    page = new_context().new_page()
    sign_in(page, "dpo@norfolk", demo_site.password, axe=axe)
    page.get_by_role("link", name="Audit", exact=True).click()
    assert page.url.endswith("/audit")
    axe.check(page, "audit search form")
    page.get_by_label("Username", exact=True).fill("officer@norfolk")
    page.get_by_label("Self-monitoring, including internal disciplinary cases").check()
    page.get_by_role("button", name="Search", exact=True).click()

    table = page.locator("table.govuk-table")
    assert table.is_visible(), page.locator("main").inner_text()
    rows = table.locator("tbody tr")
    assert rows.count() >= 1
    checks = [rows.nth(i).inner_text() for i in range(rows.count())]
    assert any("Ran a check" in row and "officer@norfolk" in row for row in checks), checks
    assert "browser test" in "\n".join(checks)  # the purpose the officer gave
    assert page.get_by_role("link", name="Download CSV").is_visible()
    axe.check(page, "audit search results")
    page.screenshot(path=artifacts / "audit-search.png", full_page=True)

    page.get_by_role("button", name="Verify chain").click()
    assert "The audit log is intact" in page.locator(".govuk-notification-banner").inner_text()
    axe.check(page, "audit chain verified")
    searched = demo_site.scalar(
        "SELECT count(*) FROM audit_event WHERE event = 'audit.searched' "
        "AND actor = 'dpo@norfolk' AND purpose = 'self_monitoring'"
    )
    assert searched == 1


def test_admin_reads_organisations_and_agreements_on_a_phone(
    demo_site: DemoSite,
    new_context: Callable[..., BrowserContext],
    axe: AxeAudit,
    artifacts: Path,
) -> None:
    page = new_context(**PHONE).new_page()
    sign_in(page, "admin@ersou", demo_site.password, axe=axe)
    page.goto("/admin/organisations")
    assert fits_the_screen(page), "the organisations page scrolls sideways on a phone"
    assert page.get_by_role("cell", name="norfolk-cads", exact=True).is_visible()
    axe.check(page, "organisations")

    page.goto("/admin/agreements")
    assert fits_the_screen(page), "the agreements page scrolls sideways on a phone"
    axe.check(page, "agreements")
    first = page.locator("tbody tr").first
    assert first.locator(".govuk-tag").is_visible()
    first.get_by_role("link").click()
    assert page.get_by_role("heading", name="End this agreement").is_visible()
    axe.check(page, "one agreement")
    page.screenshot(path=artifacts / "admin-agreement.png", full_page=True)

    page.goto("/admin/agreements/new")
    page.get_by_role("button", name="Add agreement").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter a reference" in summary.inner_text()
    axe.check(page, "new agreement form with errors")
