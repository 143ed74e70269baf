"""What a person does in the browser, as steps the tests share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.browser.accessibility import AxeAudit

if TYPE_CHECKING:
    from playwright.sync_api import Page


# A Norfolk OCG's principal or lieutenant, someone an officer must be warned about: their
# id and names, their group's id and name, and their role in it.
NORFOLK_OCG_MEMBER = """
    SELECT p.entity_id, p.given_names, p.family_name, o.entity_id, o.name, l.role
    FROM person p
    JOIN link l ON l.from_id = p.entity_id AND l.link_type = 'member_of'
    JOIN organisation o ON o.entity_id = l.to_id AND o.org_type = 'ocg'
    JOIN entity g ON g.id = o.entity_id
    JOIN agency a ON a.id = g.owner_id AND a.code = 'norfolk'
    WHERE l.role IN ('principal', 'lieutenant')
    ORDER BY p.entity_id
    LIMIT 1
"""


def sign_in(page: Page, username: str, password: str, *, axe: AxeAudit) -> None:
    """Open the sign-in page, audit it, and submit the form."""
    page.goto("/sign-in")
    axe.check(page, "sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def check_name(page: Page, name: str, *, axe: AxeAudit) -> None:
    """Check a person by name from the check page (audited first) and audit the results."""
    page.goto("/check")
    axe.check(page, "check form")
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Stop or encounter").check()
    page.get_by_label("More about the reason (optional)").fill("browser test")
    page.get_by_role("button", name="Check", exact=True).click()
    page.wait_for_load_state()
    axe.check(page, f"check results for {name}")


def fits_the_screen(page: Page) -> bool:
    """Whether the page fits its viewport's width (wide tables may scroll in their pane).

    Measured against the viewport asked for, not `window.innerWidth`: a mobile browser
    widens its layout viewport to fit a page that is too wide, which would hide the fault.
    """
    viewport = page.viewport_size
    assert viewport is not None
    width = page.evaluate("() => document.documentElement.scrollWidth")
    return bool(width <= viewport["width"])
