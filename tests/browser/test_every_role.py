"""Every role's main pages on the narrowest phone (320 px) and the DPO's audit table on a
laptop (1,366 px): nothing scrolls the page sideways (a wide table scrolls in its own
pane), axe finds nothing serious, and a full-page screenshot of each is saved under
test-artifacts/ (`320-<user>-<page>.png`) for the walk-through.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.accessibility import AxeAudit
from tests.browser.conftest import DemoSite
from tests.browser.flows import NORFOLK_OCG_MEMBER, fits_the_screen, sign_in

pytestmark = pytest.mark.browser

NARROW = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}
LAPTOP = {"viewport": {"width": 1366, "height": 768}}

# Each role's main pages ({person} and {group}: a Norfolk OCG member and their group).
MAIN_PAGES: dict[str, tuple[str, ...]] = {
    "officer@norfolk": ("/check", "/briefings", "/alerts", "/people/{person}", "/chart/{person}"),
    "analyst@norfolk": ("/intelligence", "/groups", "/groups/priorities", "/groups/{group}"),
    "lro@norfolk": ("/prison", "/notices", "/safeguarding"),
    "supervisor@norfolk": ("/safeguarding/dashboard", "/sharing", "/admin", "/prison"),
    "dpo@norfolk": ("/audit", "/audit?user=officer%40norfolk&purpose=verify_lawfulness"),
    "prison@hmp-norwich": ("/prison", "/prison/intelligence/new"),
    "partner@norfolk-cads": ("/shared", "/digests", "/safeguarding"),
    "admin@ersou": ("/admin", "/admin/users", "/admin/agreements"),
}


def _status(page: Any, href: str) -> int:
    reply = page.goto(href)
    assert reply is not None, href
    return int(reply.status)


def _slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


@pytest.mark.parametrize("username", sorted(MAIN_PAGES))
def test_each_roles_main_pages_fit_a_320px_phone_and_pass_axe(
    new_context: Any, demo_site: DemoSite, axe: AxeAudit, artifacts: Path, username: str
) -> None:
    person, _given, _family, group, _name, _role = demo_site.rows(NORFOLK_OCG_MEMBER)[0]
    page = new_context(**NARROW).new_page()
    sign_in(page, username, demo_site.password, axe=axe)
    too_wide, refused, inaccessible = [], [], []
    for path in MAIN_PAGES[username]:
        url = path.format(person=person, group=group)
        reply = page.goto(url)
        assert reply is not None
        if reply.status >= 400:
            refused.append(f"{url}: {reply.status}")
            continue
        page.screenshot(
            path=artifacts / f"320-{username.split('@')[0]}-{_slug(path)}.png", full_page=True
        )
        if not fits_the_screen(page):
            width = page.evaluate("() => document.documentElement.scrollWidth")
            too_wide.append(f"{url}: {width}px")
        try:
            axe.check(page, f"{username} {url} at 320px")
        except AssertionError as problem:
            inaccessible.append(f"{url}: {problem}")
    assert not refused, refused
    # What the navigation offers opens (a supervisor is not offered Admin → Users to be
    # refused it): every link of the service navigation, and of the admin hub.
    offered = page.locator(".govuk-service-navigation__link").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    if "/admin" in offered:
        page.goto("/admin")
        offered += page.locator("main a[href^='/admin/']").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
    blocked = [href for href in offered if _status(page, href) == 403]
    assert not blocked, f"{username} is offered {blocked} but refused them"
    assert not too_wide, f"pages wider than 320px for {username}: {too_wide}"
    assert not inaccessible, inaccessible


def test_the_dpos_audit_table_fits_a_laptop_screen_without_scrolling(
    new_context: Any, demo_site: DemoSite, axe: AxeAudit, artifacts: Path
) -> None:
    page = new_context(**LAPTOP).new_page()
    sign_in(page, "dpo@norfolk", demo_site.password, axe=axe)
    page.goto("/audit?user=officer%40norfolk&purpose=verify_lawfulness")
    table = page.locator(".tl-audit-table")
    if table.count():
        pane = page.locator(".moj-scrollable-pane").filter(has=table)
        widths = pane.evaluate("pane => [pane.scrollWidth, pane.clientWidth]")
        assert widths[0] <= widths[1], f"the audit table scrolls at 1,366px: {widths}"
    assert fits_the_screen(page)
    axe.check(page, "audit search results at 1,366px")
    page.screenshot(path=artifacts / "1366-dpo-audit.png", full_page=True)
