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
