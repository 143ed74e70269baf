"""Going back to, or reloading, a form shown with its errors never sends it again.

Forms that redirect to show their errors (Post/Redirect/Get: the prison's intelligence
form here) leave a GET in the history; forms still answering a POST with their errors
have that history entry turned into a GET by the page's script (`init.js`), so the
browser never asks to "Confirm form resubmission" and nothing is recorded twice.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.accessibility import AxeAudit
from tests.browser.conftest import DemoSite
from tests.browser.flows import NORFOLK_OCG_MEMBER, sign_in

pytestmark = pytest.mark.browser


def _methods(page: Any) -> list[str]:
    sent: list[str] = []
    page.on(
        "request",
        lambda request: sent.append(request.method) if request.is_navigation_request() else None,
    )
    return sent


def test_a_refused_prison_form_shows_its_errors_on_a_get_and_reloads_without_posting(
    new_context: Any, demo_site: DemoSite, axe: AxeAudit
) -> None:
    page = new_context().new_page()
    sign_in(page, "prison@hmp-norwich", demo_site.password, axe=axe)
    page.goto("/prison/intelligence/new")
    page.get_by_label("When").fill("yesterday")  # not a date, and no prisoner chosen
    page.get_by_label("Grading (3x5x2)").fill("2BP")
    page.get_by_role("button", name="Record it").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.url.endswith("/prison/intelligence/new")  # the redirect's GET
    assert page.get_by_label("Grading (3x5x2)").input_value() == "2BP"  # answers kept
    axe.check(page, "prison intelligence form with its errors, after the redirect")
    sent = _methods(page)
    page.reload()
    page.go_back()
    page.go_forward()
    assert sent and set(sent) == {"GET"}, sent


def test_a_form_answering_its_post_with_errors_reloads_as_a_get(
    new_context: Any, demo_site: DemoSite, axe: AxeAudit
) -> None:
    person = demo_site.rows(NORFOLK_OCG_MEMBER)[0][0]
    page = new_context().new_page()
    sign_in(page, "officer@norfolk", demo_site.password, axe=axe)
    page.goto(f"/people/{person}/charge")
    page.get_by_label("Charge", exact=True).check()  # and no offence: refused, on the POST
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").is_visible()
    sent = _methods(page)
    page.reload()
    assert sent == ["GET"], sent


NORFOLK_COUNTY_LINE = """
    SELECT l.entity_id, l.name FROM county_line l
    JOIN entity e ON e.id = l.entity_id
    JOIN agency a ON a.id = e.owner_id AND a.code = 'norfolk'
    ORDER BY l.entity_id LIMIT 1
"""


def _refused_without_javascript(
    new_context: Any, demo_site: DemoSite, axe: AxeAudit, user: str, path: str, what: str
) -> Any:
    """Sign `user` in with JavaScript off, at a phone's width, and open `path`."""
    page = new_context(java_script_enabled=False, viewport={"width": 390, "height": 844}).new_page()
    sign_in(page, user, demo_site.password, axe=axe)
    page.goto(path)
    axe.check(page, what)
    return page


def _shown_again_and_reloaded_as_a_get(page: Any, path: str, axe: AxeAudit, what: str) -> None:
    """The refusal came back on the form's own address, by a GET, error summary first;
    reloading, going back and forward send nothing again."""
    assert page.url.split("#")[0].removesuffix("?").endswith(path), page.url
    assert page.title().startswith("Error: ")
    first = page.locator("main .govuk-error-summary, main h1").first
    assert "govuk-error-summary" in (first.get_attribute("class") or "")  # before the heading
    # On a phone without JavaScript the menu sits above the page: the browser lands on
    # the page's main content, so the error summary is the first thing seen.
    top = page.locator(".govuk-error-summary").bounding_box()
    assert top is not None and 0 <= top["y"] < 200, top
    axe.check(page, what)
    sent = _methods(page)
    page.reload()
    page.go_back()
    page.go_forward()
    assert sent and set(sent) == {"GET"}, sent


def test_a_refused_county_line_status_comes_back_on_a_get_without_javascript(
    new_context: Any, demo_site: DemoSite, axe: AxeAudit
) -> None:
    line, name = demo_site.rows(NORFOLK_COUNTY_LINE)[0]
    path = f"/county-lines/{line}/status"
    page = _refused_without_javascript(
        new_context, demo_site, axe, "analyst@norfolk", path, "county line status form"
    )
    evidence = "No calls on the deal line since May"
    page.get_by_label("Evidence").fill(evidence)  # and no new status chosen
    page.get_by_role("button", name="Change the status").click()
    page.wait_for_load_state()
    assert "New status: choose" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("Evidence").input_value() == evidence  # the answer is kept
    _shown_again_and_reloaded_as_a_get(page, path, axe, f"status of {name}, refused")


def test_a_refused_threat_notice_keeps_its_answers_without_javascript(
    new_context: Any, demo_site: DemoSite, axe: AxeAudit
) -> None:
    page = _refused_without_javascript(
        new_context, demo_site, axe, "analyst@norfolk", "/notices/new", "threat notice form"
    )
    page.get_by_label("Title").fill("Cuckooing on the Heartsease estate")  # and no record
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    assert "Find and choose the record" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("Title").input_value() == "Cuckooing on the Heartsease estate"
    _shown_again_and_reloaded_as_a_get(page, "/notices/new", axe, "threat notice form, refused")


def test_a_refused_organisation_is_not_added_twice_by_going_back(
    new_context: Any, demo_site: DemoSite, axe: AxeAudit
) -> None:
    page = _refused_without_javascript(
        new_context, demo_site, axe, "admin@ersou", "/admin/organisations", "organisations"
    )
    before = demo_site.scalar("SELECT count(*) FROM agency")
    page.get_by_label("Full name").fill("Norwich Youth Justice Service")  # and no code
    page.get_by_role("button", name="Add organisation").click()
    page.wait_for_load_state()
    assert page.get_by_label("Full name").input_value() == "Norwich Youth Justice Service"
    _shown_again_and_reloaded_as_a_get(page, "/admin/organisations", axe, "organisations, refused")
    assert demo_site.scalar("SELECT count(*) FROM agency") == before  # nothing was added
