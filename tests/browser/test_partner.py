"""A partner practitioner sees only what their information sharing agreement allows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.accessibility import AxeAudit
from tests.browser.conftest import DemoSite
from tests.browser.flows import check_name, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Locator

pytestmark = pytest.mark.browser

# A child exploited as a runner by a Norfolk OCG, living in Norwich and the subject of
# intelligence: inside the agreements of both CADS and Norwich housing.
EXPLOITED_CHILD = """
    SELECT p.entity_id, p.given_names, p.family_name
    FROM person p
    JOIN link l ON l.from_id = p.entity_id AND l.link_type = 'member_of' AND l.role = 'runner'
    JOIN organisation o ON o.entity_id = l.to_id AND o.org_type = 'ocg'
    JOIN entity g ON g.id = o.entity_id
    JOIN agency a ON a.id = g.owner_id AND a.code = 'norfolk'
    JOIN link home ON home.from_id = p.entity_id AND home.link_type = 'resides_at'
    JOIN location loc ON loc.entity_id = home.to_id
    JOIN area ar ON ar.id = loc.area_id AND ar.code = 'norwich'
    WHERE p.entity_id IN (SELECT entity_id FROM intel_subject)
    ORDER BY p.entity_id
    LIMIT 1
"""
# An adult principal of a Norfolk OCG: no partner agreement covers them.
OCG_PRINCIPAL = """
    SELECT p.given_names, p.family_name
    FROM person p
    JOIN link l ON l.from_id = p.entity_id AND l.link_type = 'member_of' AND l.role = 'principal'
    JOIN organisation o ON o.entity_id = l.to_id AND o.org_type = 'ocg'
    JOIN entity g ON g.id = o.entity_id
    JOIN agency a ON a.id = g.owner_id AND a.code = 'norfolk'
    ORDER BY p.entity_id
    LIMIT 1
"""
# Everything in the original reports about the person, and who or what their source is.
ORIGINAL_REPORTS = """
    SELECT r.ref, r.fact, r.assessment, s.source_ref, s.description, s.handler
    FROM intel_report r
    JOIN intel_subject j ON j.report_id = r.entity_id
    LEFT JOIN intel_source s ON s.report_id = r.entity_id
    WHERE j.entity_id = :person
"""
DOB = "SELECT dob_year, dob_month, dob_day FROM person WHERE entity_id = :person"
ISA_ITEMS = "SELECT data_items FROM isa WHERE ref = :ref"
# Fields a partner agreement never gives, as the check page labels them.
POLICE_ONLY_ROWS = ("PNC ID", "Recorded as")


@pytest.mark.parametrize(
    ("username", "isa", "screenshot"),
    [
        ("partner@norfolk-cads", "ISA-NOR-CADS", "partner-check.png"),
        ("partner@norwich-housing", "ISA-NOR-HOUSING", "partner-housing-check.png"),
    ],
)
def test_partner_sees_only_what_the_agreement_allows(
    demo_site: DemoSite,
    new_context: Callable[..., BrowserContext],
    axe: AxeAudit,
    artifacts: Path,
    username: str,
    isa: str,
    screenshot: str,
) -> None:
    person, given, family = demo_site.rows(EXPLOITED_CHILD)[0]
    page = new_context().new_page()
    sign_in(page, username, demo_site.password, axe=axe)
    check_name(page, f"{given} {family}", axe=axe)

    card = page.locator(".govuk-summary-card", has_text=f"{family.upper()}, {given}")
    assert card.count() == 1, page.locator("main").inner_text()
    rows = _summary_rows(card)
    assert rows.get("Shared under") == isa
    year, month, day = demo_site.rows(DOB, person=person)[0]
    dob = f"{day:02d}/{month:02d}/{year:04d}"  # as officers and practitioners write it
    if "person.date_of_birth" in demo_site.scalar(ISA_ITEMS, ref=isa).split(","):
        assert rows.get("Date of birth") == dob
    else:
        assert "Date of birth" not in rows
        assert dob not in page.content(), f"{isa} does not give the date of birth"
    for label in POLICE_ONLY_ROWS:
        assert label not in rows, f"{isa} does not give {label}"
    # The child's group is shared when the agreement names organisations: its areas are
    # the importing areas of the lines it runs (DESIGN 3a), inside the agreement's area.
    items = demo_site.scalar(ISA_ITEMS, ref=isa).split(",")
    shares_groups = any(item.split(".")[0] == "organisation" for item in items)
    assert card.locator(".govuk-tag", has_text="OCG member").count() == int(shares_groups)

    html = page.content()
    reports = demo_site.rows(ORIGINAL_REPORTS, person=person)
    assert reports, "the chosen person should be the subject of intelligence"
    for ref, fact, assessment, *source in reports:
        for secret in (ref, fact, assessment, *source):
            if secret:
                assert secret not in html, f"original report {ref} leaked: {secret!r}"
    page.screenshot(path=artifacts / screenshot, full_page=True)


def test_partner_checking_someone_outside_the_agreement_finds_no_records(
    demo_site: DemoSite, new_context: Callable[..., BrowserContext], axe: AxeAudit
) -> None:
    given, family = demo_site.rows(OCG_PRINCIPAL)[0]
    page = new_context().new_page()
    sign_in(page, "partner@norfolk-cads", demo_site.password, axe=axe)
    check_name(page, f"{given} {family}", axe=axe)

    results = page.locator("#results")
    assert results.get_by_role("heading", name="No records found that you may see").is_visible()
    assert page.locator(".govuk-summary-card").count() == 0
    assert family.upper() not in results.inner_text()


def _summary_rows(card: Locator) -> dict[str, str]:
    keys = card.locator(".govuk-summary-list__key").all_inner_texts()
    values = card.locator(".govuk-summary-list__value").all_inner_texts()
    return {k.strip(): v.strip() for k, v in zip(keys, values, strict=True)}
