"""Intelligence pages: the graded submission form, reading under policy, sanitising, sharing.

Runs over the small world of tests/intel/world.py (Norfolk's unit `norfolk-fib` holds a
code P and a code C report about a child in Norwich, each with a sanitised version that
CADS may read under ISA-NFK-CADS-01) with real accounts that sign in: an analyst of the
originating unit, a Norfolk and a Suffolk officer, and a CADS practitioner.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from tests.factories import make_person
from tests.intel.world import SOURCE, UNIT, grading
from tests.policy.factories import make_actor
from tests.web.conftest import ADMIN, OFFICER, PARTNER, PASSWORD, Site, csrf_token, sign_in
from tests.web.prg import followed
from threadline.accounts import add_user
from threadline.intel import submit_report
from threadline.model.enums import Marking
from threadline.model.security import Role
from threadline.storage.db import session_scope
from threadline.storage.tables import AuditEventRow, IntelReportRow, SanitisedReportRow
from threadline.web.routes import intel as intel_routes
from threadline.web.routes import intel_shared as shared_routes

# What a page must never show: an ISO date or timestamp (2026-12-07, 2026-12-07T14:05).
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")

ANALYST = "analyst@norfolk"
NORFOLK_OFFICER = "officer@norfolk"
CONDITIONS = "Safeguarding partners only; do not disclose to the family."


@pytest.fixture(autouse=True)
def accounts(site: Site) -> None:
    with session_scope(site.engine) as session:
        add_user(
            session,
            actor=ADMIN,
            username=ANALYST,
            display_name="Norfolk analyst",
            agency_code="norfolk",
            roles=["analyst"],
            clearance="SECRET",
            unit=UNIT,
            password=PASSWORD,
        )
        add_user(
            session,
            actor=ADMIN,
            username=NORFOLK_OFFICER,
            display_name="Norfolk officer",
            agency_code="norfolk",
            roles=["frontline"],
            clearance="OFFICIAL-SENSITIVE",
            password=PASSWORD,
        )


def answers(site: Site, **changes: str) -> dict[str, str]:
    """A complete, valid submission about the adult of the world, code C with conditions."""
    base = {
        "subjects": str(site.world.adult),
        "fact": "Seen at 5 Magdalen Street at 22:00 handing over a holdall.",
        "assessment": "Probably stock for the line.",
        "source_eval": "2",
        "intel_eval": "B",
        "handling": "C",
        "conditions": CONDITIONS,
        "restricted_to": "",
        "marking": "OFFICIAL-SENSITIVE",
        "priority": "routine",
        "scope": "region",
        "area_code": "norwich",
        "source_type": "officer",
        "source_ref": "PC 4471",
        "source_description": "",
        "source_handler": "",
    }
    return base | changes


def post_form(client: TestClient, page: str, action: str, data: dict[str, str]) -> object:
    form = client.get(page)
    assert form.status_code == 200, form.text
    return client.post(action, data={"csrf_token": csrf_token(form.text), **data})


def reports(engine: Engine) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(IntelReportRow)) or 0


def events(engine: Engine, name: str) -> int:
    with session_scope(engine) as session:
        return (
            session.scalar(
                select(func.count()).select_from(AuditEventRow).where(AuditEventRow.event == name)
            )
            or 0
        )


def error_summary(html: str) -> list[tuple[str, str]]:
    summary = html.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)


# --------------------------------------------------------------------------- the form


def test_the_form_fills_in_the_subject_and_offers_markings_up_to_clearance(
    client: TestClient, site: Site
) -> None:
    sign_in(client, OFFICER)
    page = client.get(f"/intelligence/new?subject={site.world.adult}")
    assert page.status_code == 200
    assert f'name="subjects" type="text" value="{site.world.adult}"' in page.text
    marking = page.text.split('name="marking"', 1)[1].split("</select>", 1)[0]
    options = re.findall(r'<option value="([^"]+)"', marking)
    assert options == ["OFFICIAL", "OFFICIAL-SENSITIVE"]  # officer@suffolk's clearance
    # Policing areas are chosen by name, grouped by force.
    assert '<optgroup label="Norfolk Constabulary">' in page.text
    assert '<option value="norwich">Norwich</option>' in page.text
    for meaning in ("1 – Reliable", "E – Suspected to be false or malicious", "C – Lawful"):
        assert meaning in page.text
    # The conditions sit in the conditional reveal of code C (shown without JavaScript).
    assert 'data-tl-controls="conditional-handling-c"' in page.text
    assert 'id="conditional-handling-c"' in page.text and 'name="conditions"' in page.text


def test_code_c_without_conditions_is_refused_and_the_answers_are_kept(
    client: TestClient, site: Site
) -> None:
    sign_in(client, NORFOLK_OFFICER)
    before = reports(site.engine)
    reply = post_form(
        client, "/intelligence/new", "/intelligence/new", answers(site, conditions="")
    )
    reply = followed(client, reply, "/intelligence/new")  # Post/Redirect/Get
    assert "<title>Error: Submit intelligence" in reply.text
    [(field, text)] = error_summary(reply.text)
    assert field == "conditions" and "Enter the conditions of handling code C" in text
    assert 'id="conditions-error"' in reply.text
    assert "govuk-form-group--error" in reply.text
    assert "handing over a holdall" in reply.text  # the fact is kept
    assert 'value="PC 4471"' in reply.text  # and the source reference
    assert re.search(r'id="handling-2"[^>]*value="C" checked', reply.text)
    assert reports(site.engine) == before


def test_every_unanswered_question_is_named_at_once(client: TestClient, site: Site) -> None:
    sign_in(client, NORFOLK_OFFICER)
    empty = dict.fromkeys(answers(site), "") | {"marking": "OFFICIAL", "priority": "routine"}
    reply = post_form(client, "/intelligence/new", "/intelligence/new", empty | {"scope": "region"})
    reply = followed(client, reply, "/intelligence/new")
    fields = [field for field, _ in error_summary(reply.text)]
    for field in ("fact", "source_eval", "intel_eval", "handling", "source_ref", "source_type"):
        assert field in fields, fields


def test_a_source_named_in_the_fact_is_refused(client: TestClient, site: Site) -> None:
    sign_in(client, NORFOLK_OFFICER)
    fact = "PC 4471 saw a holdall handed over at 22:00."
    reply = post_form(client, "/intelligence/new", "/intelligence/new", answers(site, fact=fact))
    reply = followed(client, reply, "/intelligence/new")
    [(field, text)] = error_summary(reply.text)
    assert field == "fact" and "does not reveal the source" in text


def test_subjects_that_are_not_ids_are_refused(client: TestClient, site: Site) -> None:
    sign_in(client, NORFOLK_OFFICER)
    reply = post_form(
        client, "/intelligence/new", "/intelligence/new", answers(site, subjects="12, Ray")
    )
    reply = followed(client, reply, "/intelligence/new")
    assert error_summary(reply.text) == [
        ("subjects", "Subjects must be record ids, like 1042 (got “Ray”)")
    ]


def test_a_report_is_submitted_and_shown_with_a_banner_and_its_conditions(
    client: TestClient, site: Site
) -> None:
    sign_in(client, NORFOLK_OFFICER)
    reply = post_form(client, "/intelligence/new", "/intelligence/new", answers(site))
    assert reply.status_code == 303
    location = reply.headers["location"]
    ref = re.fullmatch(r"/intelligence/(NFK-IR-\d{4}-\d{6})\?submitted=1", location)
    assert ref, location
    page = client.get(location)
    assert page.status_code == 200
    assert "govuk-notification-banner--success" in page.text
    assert f"Report {ref.group(1)} submitted" in page.text
    warning = page.text.split('class="govuk-warning-text"', 1)[1].split("</div>", 1)[0]
    assert CONDITIONS in warning
    assert page.text.index("govuk-warning-text") < page.text.index("<h1")
    assert "2 – Untested" in page.text and "B – Known indirectly" in page.text
    # The officer is not in the unit that now holds the source: it is withheld.
    assert "PC 4471" not in page.text
    assert "Source details withheld" in page.text


def test_each_grade_is_shown_with_its_own_meaning(client: TestClient, site: Site) -> None:
    sign_in(client, NORFOLK_OFFICER)  # "C" is both an intelligence assessment and a code
    reply = post_form(
        client, "/intelligence/new", "/intelligence/new", answers(site, intel_eval="C")
    )
    page = client.get(reply.headers["location"])
    rows = summary_rows(page.text)
    assert rows["Intelligence assessment"] == "C – Known indirectly to the source"
    assert rows["Handling code"] == "C – Lawful sharing permitted subject to conditions"


def test_with_code_p_the_hidden_conditions_are_ignored(client: TestClient, site: Site) -> None:
    sign_in(client, NORFOLK_OFFICER)  # e.g. typed before switching to P, without JavaScript
    reply = post_form(client, "/intelligence/new", "/intelligence/new", answers(site, handling="P"))
    assert reply.status_code == 303
    page = client.get(reply.headers["location"])
    assert CONDITIONS not in page.text and "govuk-warning-text" not in page.text


# --------------------------------------------------------------------------- reading


def test_the_originating_unit_sees_the_source(client: TestClient, site: Site) -> None:
    sign_in(client, ANALYST)
    page = client.get(f"/intelligence/{site.world.report_c.ref}")
    assert page.status_code == 200
    assert SOURCE.source_ref in page.text and SOURCE.handler in page.text
    assert "Source details withheld" not in page.text
    assert site.world.sanitised_c.ref in page.text  # its sanitised version is listed


def test_another_force_reads_region_reports_without_the_source(
    client: TestClient, site: Site
) -> None:
    sign_in(client, OFFICER)
    page = client.get(f"/intelligence/{site.world.report_c.id}")
    assert page.status_code == 200
    assert "Ray Black stores drugs" in page.text
    for secret in (SOURCE.source_ref, SOURCE.description, SOURCE.handler):
        assert secret not in page.text
    assert "Source details withheld" in page.text
    assert "Create sanitised version" not in page.text


def main_text(html: str) -> str:
    """The words of the page's main content, as a reader sees them."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def summary_rows(html: str) -> dict[str, str]:
    return dict(
        re.findall(
            r'summary-list__key">([^<]+)</dt>\s*<dd class="govuk-summary-list__value">([^<]+)<',
            html,
        )
    )


def test_a_report_reads_in_words_and_names_its_subjects(client: TestClient, site: Site) -> None:
    sign_in(client, OFFICER)
    page = client.get(f"/intelligence/{site.world.report_c.ref}")
    assert page.status_code == 200
    text = main_text(page.text)
    assert not ISO_DATE.search(text), ISO_DATE.search(text)
    rows = summary_rows(page.text)
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", rows["Reported on"])
    assert rows["Policing area"] == "Norwich"
    assert rows["Recorded by"] == "Norfolk Constabulary"
    assert rows["Who may read it"] == "Police across the region"
    # Each subject by name, linked to its profile; no record id stands as a label.
    assert (
        f'<a class="govuk-link" href="/people/{site.world.child}">SMITH, Jo (born 5 April 2011)</a>'
        in page.text
    )
    assert (
        f'<a class="govuk-link" href="/people/{site.world.adult}">BLACK, Ray (born 1985)</a>'
        in page.text
    )
    assert "record ids" not in text and "norfolk only" not in text
    listing = client.get("/intelligence")
    assert "BLACK, Ray (born 1985)" in listing.text
    assert not ISO_DATE.search(main_text(listing.text))


def test_a_subject_the_reader_may_not_see_is_left_out(client: TestClient, site: Site) -> None:
    with session_scope(site.engine) as session:
        hidden = make_person(
            session, family_name="Hidden", given_names="Harriet", marking="SECRET"
        ).entity_id
        report = submit_report(
            session,
            actor=make_actor(roles=Role.ANALYST, unit=UNIT, username=ANALYST),
            fact="Harriet Hidden and Ray Black met at the flat.",
            assessment="",
            grading=grading(),
            marking=Marking.OFFICIAL_SENSITIVE,
            subjects=[hidden, site.world.adult],
            source=SOURCE,
            area_code="norwich",
        )
    sign_in(client, OFFICER)  # cleared to OFFICIAL-SENSITIVE only
    page = client.get(f"/intelligence/{report.ref}")
    assert page.status_code == 200
    assert "BLACK, Ray" in page.text
    assert "HIDDEN" not in page.text and f"/people/{hidden}" not in page.text
    assert "HIDDEN" not in client.get("/intelligence").text


def test_another_force_cannot_see_an_agency_scoped_report(client: TestClient, site: Site) -> None:
    sign_in(client, NORFOLK_OFFICER)
    reply = post_form(
        client, "/intelligence/new", "/intelligence/new", answers(site, scope="agency")
    )
    ref = reply.headers["location"].split("/")[-1].split("?")[0]
    client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/intelligence").text)})
    sign_in(client, OFFICER)
    refused = client.get(f"/intelligence/{ref}")
    assert refused.status_code == 403
    assert "agency scope" in refused.text
    assert ref not in client.get("/intelligence").text


def test_a_partner_never_opens_an_original_report(client: TestClient, site: Site) -> None:
    sign_in(client, PARTNER)
    refused = client.get(f"/intelligence/{site.world.report_p.ref}")
    assert refused.status_code == 404  # as for a missing report: no id is singled out
    assert "Jo Smith is collecting cash" not in refused.text
    listing = client.get("/intelligence")
    assert listing.status_code == 200
    assert "There are no intelligence reports you may read" in listing.text
    assert site.world.report_p.ref not in listing.text
    assert client.get("/intelligence/new").status_code == 403


def test_reports_are_listed_a_page_at_a_time(
    client: TestClient, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(intel_routes, "PAGE_SIZE", 1)
    sign_in(client, OFFICER)
    first = client.get("/intelligence")
    assert site.world.report_c.ref in first.text  # newest first
    assert site.world.report_p.ref not in first.text
    assert 'href="/intelligence?page=2" rel="next"' in first.text
    assert 'rel="prev"' not in first.text
    second = client.get("/intelligence?page=2")
    assert site.world.report_p.ref in second.text
    assert 'href="/intelligence?page=1" rel="prev"' in second.text
    assert 'rel="next"' not in second.text
    assert client.get("/intelligence?page=0").status_code == 422


def test_each_view_is_audited(client: TestClient, site: Site) -> None:
    sign_in(client, OFFICER)
    names = (
        "intel_report.listed",
        "intel_report.viewed",
        "intel_sanitised.listed",
        "intel_sanitised.viewed",
    )
    before = {name: events(site.engine, name) for name in names}
    client.get("/intelligence")
    assert events(site.engine, "intel_report.listed") == before["intel_report.listed"] + 1
    client.get(f"/intelligence/{site.world.report_p.id}")
    assert events(site.engine, "intel_report.viewed") == before["intel_report.viewed"] + 1
    client.get("/shared")
    listed = before["intel_sanitised.listed"] + 2  # the detail page lists its versions too
    assert events(site.engine, "intel_sanitised.listed") == listed
    client.get(f"/shared/{site.world.sanitised_p.id}")
    assert events(site.engine, "intel_sanitised.viewed") == before["intel_sanitised.viewed"] + 1


# --------------------------------------------------------------------------- sanitising


def test_the_analyst_creates_a_sanitised_version(client: TestClient, site: Site) -> None:
    sign_in(client, ANALYST)
    page = f"/intelligence/{site.world.report_c.ref}"
    reply = post_form(
        client,
        page,
        f"/intelligence/{site.world.report_c.id}/sanitise",
        {
            "text": "An adult in Norwich is thought to hold drugs for a line.",
            "source_eval": "1",
            "intel_eval": "B",
            "handling": "C",
            "conditions": CONDITIONS,
            "restricted_to": "police, childrens_services",
            "marking": "OFFICIAL-SENSITIVE",
        },
    )
    assert reply.status_code == 303, reply.text
    location = reply.headers["location"]
    assert location.startswith(f"{page}?sanitised={site.world.report_c.ref}-S2")
    shown = client.get(location)
    assert f"Sanitised version {site.world.report_c.ref}-S2 created" in shown.text
    with session_scope(site.engine) as session:
        row = session.scalars(
            select(SanitisedReportRow).where(SanitisedReportRow.ref.like("%-S2"))
        ).one()
        assert row.conditions == CONDITIONS
        assert row.restricted_to == "childrens_services,police"


def test_sanitised_text_that_reveals_the_source_is_refused(client: TestClient, site: Site) -> None:
    sign_in(client, ANALYST)
    page = f"/intelligence/{site.world.report_p.ref}"
    text = f"Per {SOURCE.handler}: a child is running cash."
    reply = post_form(
        client,
        page,
        f"/intelligence/{site.world.report_p.id}/sanitise",
        {"text": text, "source_eval": "1", "intel_eval": "B", "handling": "P", "marking": ""},
    )
    reply = followed(client, reply, f"/intelligence/{site.world.report_p.id}")
    [(field, message)] = error_summary(reply.text)
    assert field == "text" and "does not reveal the source" in message
    assert 'id="text-error"' in reply.text
    assert text in reply.text  # kept for correction


def test_sanitising_outside_the_unit_is_refused(client: TestClient, site: Site) -> None:
    sign_in(client, NORFOLK_OFFICER)
    page = f"/intelligence/{site.world.report_p.ref}"
    reply = post_form(
        client, page, f"/intelligence/{site.world.report_p.id}/sanitise", {"text": "Anything."}
    )
    assert reply.status_code == 403


def test_a_form_without_its_token_is_refused(client: TestClient, site: Site) -> None:
    sign_in(client, NORFOLK_OFFICER)
    before = reports(site.engine)
    assert client.post("/intelligence/new", data=answers(site)).status_code == 403
    assert reports(site.engine) == before


# --------------------------------------------------------------------------- shared


def test_a_partner_sees_what_is_shared_with_its_conditions(client: TestClient, site: Site) -> None:
    sign_in(client, PARTNER)
    page = client.get("/shared")
    assert page.status_code == 200
    assert '<h1 class="govuk-heading-l">Shared with us</h1>' in page.text
    for version in (site.world.sanitised_p, site.world.sanitised_c):
        assert version.ref in page.text
    assert "ISA-NFK-CADS-01" in page.text
    assert "Not to be used in evidence; safeguarding use only." in page.text
    for secret in ("Jo Smith is collecting cash", SOURCE.source_ref, SOURCE.handler):
        assert secret not in page.text
    detail = client.get(f"/shared/{site.world.sanitised_c.ref}")
    assert detail.status_code == 200
    assert "An adult is believed to store drugs" in detail.text
    assert "govuk-warning-text" in detail.text


def test_a_sanitised_version_reads_in_words(client: TestClient, site: Site) -> None:
    sign_in(client, OFFICER)
    detail = client.get(f"/shared/{site.world.sanitised_c.ref}")
    assert detail.status_code == 200
    rows = summary_rows(detail.text)
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2}", rows["Created"])
    assert rows["Recorded by"] == "Norfolk Constabulary"
    assert rows["Policing area"] == "Norwich"
    for page in (detail, client.get("/shared")):
        assert not ISO_DATE.search(main_text(page.text))


def test_shared_pages_page_and_refuse_unknown_records(
    client: TestClient, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shared_routes, "PAGE_SIZE", 1)
    sign_in(client, PARTNER)
    first = client.get("/shared")
    assert site.world.sanitised_c.ref in first.text
    assert site.world.sanitised_p.ref not in first.text
    assert 'href="/shared?page=2" rel="next"' in first.text
    assert site.world.sanitised_p.ref in client.get("/shared?page=2").text
    assert client.get("/shared/999999").status_code == 404
