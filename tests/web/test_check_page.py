"""The check page: results as policy allows, the OCG warning, errors, and the audit log."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from tests.factories import make_county_line, make_link
from tests.web.conftest import (
    ADMIN,
    OFFICER,
    PARTNER,
    PASSWORD,
    Site,
    check_events,
    csrf_token,
    sign_in,
)
from threadline.accounts import add_user
from threadline.storage.db import session_scope
from threadline.storage.tables import AuditEventRow, PersonRow


def test_officer_sees_the_ocg_warning_with_group_and_role(client: TestClient, site: Site) -> None:
    sign_in(client, OFFICER)
    page = client.get(
        "/check", params={"reason": "stop", "name": "Ray Black", "purpose": "stop check"}
    )
    assert page.status_code == 200
    assert "BLACK, Ray" in page.text
    assert 'OCG member</strong> <a class="govuk-link" href="/groups/' in page.text
    assert ">Kestrel</a> – lieutenant" in page.text
    assert f'href="/people/{site.member}"' in page.text  # the card opens the profile
    assert "govuk-summary-card" in page.text


def test_warning_markers_and_county_lines_come_first_on_the_card(
    client: TestClient, site: Site
) -> None:
    with session_scope(site.engine) as session:
        session.execute(
            update(PersonRow)
            .where(PersonRow.entity_id == site.member)
            .values(warning_markers="WE,DR")
        )
        line = make_county_line(session, name="BLAZE", exporting_area="Lambeth")
        make_link(session, from_id=site.member, to_id=line.entity_id, link_type="runs_line")
    sign_in(client, OFFICER)
    page = client.get("/check", params={"reason": "stop", "name": "Ray Black"}).text
    card = page[page.index("BLACK, Ray") :]
    warnings = card.index('govuk-tag--red">Weapons</strong>')
    assert warnings < card.index('govuk-tag--red">Drugs</strong>') < card.index("OCG member")
    assert ">BLAZE</a> – runs the line" in card and "from Lambeth" in card


def test_partner_sees_only_what_the_agreement_allows(client: TestClient, site: Site) -> None:
    sign_in(client, PARTNER)
    page = client.get("/check", params={"reason": "stop", "name": "Jo Smith"})
    assert page.status_code == 200
    assert "SMITH" in page.text  # the family name is covered by the agreement
    assert "2011-04-05" not in page.text  # date of birth is not
    assert "Given names" not in page.text and "Date of birth</dt>" not in page.text
    assert "ISA-NFK-CADS-01" in page.text  # says what it was shared under


def test_every_check_from_the_page_is_audited(client: TestClient, site: Site) -> None:
    sign_in(client, OFFICER)
    before = check_events(site.engine)
    client.get("/check", params={"reason": "stop", "name": "Jo Smith"})
    client.get("/check", params={"reason": "stop", "name": "Nobody Known"})
    assert check_events(site.engine) == before + 2


def test_the_empty_form_is_not_a_check(client: TestClient, site: Site) -> None:
    sign_in(client, OFFICER)
    page = client.get("/check")
    assert page.status_code == 200 and '<form method="get" action="/check#results"' in page.text
    assert check_events(site.engine) == 0


def test_a_blank_submission_gets_an_error_summary(client: TestClient, site: Site) -> None:
    sign_in(client, OFFICER)
    page = client.get("/check", params={"reason": "stop", "name": "", "postcode": ""})
    assert page.status_code == 422
    assert "govuk-error-summary" in page.text
    assert 'href="#name">Enter a name, phone number' in page.text


def test_a_bad_date_of_birth_is_marked_on_its_field(client: TestClient, site: Site) -> None:
    sign_in(client, OFFICER)
    page = client.get("/check", params={"reason": "stop", "name": "Jo Smith", "dob": "31/02/2001"})
    assert page.status_code == 422
    assert 'href="#dob">Date of birth must be' in page.text
    assert 'id="dob-error"' in page.text
    assert 'value="31/02/2001"' in page.text  # what was typed is kept


def test_an_age_range_narrows_a_name_when_the_date_of_birth_is_unknown(
    client: TestClient, site: Site
) -> None:
    sign_in(client, OFFICER)
    child = client.get("/check", params={"reason": "stop", "name": "Jo Smith", "age": "14-16"})
    assert child.status_code == 200 and "SMITH" in child.text
    adult = client.get("/check", params={"reason": "stop", "name": "Jo Smith", "age": "30 to 40"})
    assert adult.status_code == 200 and "SMITH" not in adult.text


def test_a_bad_age_is_marked_on_its_field(client: TestClient, site: Site) -> None:
    sign_in(client, OFFICER)
    page = client.get("/check", params={"reason": "stop", "name": "Jo Smith", "age": "17-15"})
    assert page.status_code == 422
    assert 'href="#age">Age must be an age or an age range' in page.text
    assert 'value="17-15"' in page.text


def test_a_check_without_a_reason_is_not_run_and_says_so(client: TestClient, site: Site) -> None:
    sign_in(client, OFFICER)
    page = client.get("/check", params={"name": "Ray Black", "purpose": "just looking"})
    assert page.status_code == 422
    assert 'href="#reason">Select the reason for the check</a>' in page.text
    assert 'id="reason-error"' in page.text  # the message sits on the radios too
    assert "BLACK, Ray" not in page.text  # nothing was looked up...
    assert check_events(site.engine) == 0  # ...and nothing logged
    assert 'value="just looking"' in page.text  # what was typed is kept


def test_both_problems_of_an_empty_submission_are_listed(client: TestClient, site: Site) -> None:
    sign_in(client, OFFICER)
    page = client.get("/check", params={"name": "", "reason": ""})
    assert page.status_code == 422
    summary = page.text[page.text.index("govuk-error-summary") :]
    assert summary.index('href="#name"') < summary.index('href="#reason"')


def test_the_reason_and_the_officers_words_go_to_the_audit_log(
    client: TestClient, site: Site
) -> None:
    sign_in(client, OFFICER)
    page = client.get(
        "/check", params={"name": "Ray Black", "reason": "custody", "purpose": "  custody 14  "}
    )
    assert page.status_code == 200 and "BLACK, Ray" in page.text
    with session_scope(site.engine) as session:
        event = session.scalars(select(AuditEventRow).where(AuditEventRow.event == "check")).one()
        assert event.purpose == "Arrest or custody: custody 14"
        assert json.loads(event.details)["reason"] == {
            "code": "custody",
            "label": "Arrest or custody",
            "text": "custody 14",
        }


def test_the_dpo_reads_the_reason_in_the_audit_log(client: TestClient, site: Site) -> None:
    with session_scope(site.engine) as session:
        add_user(
            session,
            actor=ADMIN,
            username="dpo@ersou",
            display_name="Dee Pio",
            agency_code="ersou",
            roles=["dpo"],
            clearance="SECRET",
            password=PASSWORD,
        )
    sign_in(client, OFFICER)
    client.get("/check", params={"name": "Ray Black", "reason": "stop", "purpose": "Anglia Square"})
    client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/check").text)})
    sign_in(client, "dpo@ersou")
    page = client.get("/audit", params={"user": OFFICER, "purpose": "verify_lawfulness"})
    assert page.status_code == 200
    assert "Stop or encounter: Anglia Square" in page.text
