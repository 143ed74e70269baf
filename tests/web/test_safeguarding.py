"""Safeguarding pages: the screening tool, concerns on the check, the charging safeguard
with its error summary, referrals and the dashboard."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from tests.safeguarding.world import World, build_world
from tests.web.conftest import ADMIN, PASSWORD, csrf_token, sign_in
from tests.web.prg import refused, text_of
from threadline.accounts import add_user
from threadline.settings import Settings
from threadline.storage.db import session_scope
from threadline.storage.safeguarding_tables import ConcernRow, ScreeningRow
from threadline.web import create_app

USERS = (
    ("officer@norfolk", "norfolk", ["frontline"]),
    ("supervisor@norfolk", "norfolk", ["supervisor"]),
    ("partner@norfolk-cads", "norfolk-cads", ["partner"]),
)


@pytest.fixture
def world(engine: Engine) -> World:
    with session_scope(engine) as session:
        built = build_world(session)
        for username, agency, roles in USERS:
            add_user(
                session,
                actor=ADMIN,
                username=username,
                display_name=username,
                agency_code=agency,
                roles=roles,
                clearance="OFFICIAL-SENSITIVE",
                password=PASSWORD,
            )
    return built


@pytest.fixture
def client(world: World, engine: Engine, settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings, engine)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as test_client:
        yield test_client


def post(client: TestClient, path: str, data: dict[str, str]) -> object:
    page = client.get(path)
    assert page.status_code == 200, page.text
    return client.post(path, data={"csrf_token": csrf_token(page.text), **data})


def test_a_partners_concern_shows_on_the_officers_check_as_a_prompt_to_protect(
    client: TestClient, world: World
) -> None:
    sign_in(client, "partner@norfolk-cads")
    answer = post(
        client,
        f"/people/{world.child}/concern",
        {"text": "Jo is missing from school and has a new phone.", "ind-cce.missing": "1"},
    )
    assert answer.status_code == 303  # type: ignore[attr-defined]
    client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/check").text)})
    sign_in(client, "officer@norfolk")
    page = client.get("/check", params={"reason": "stop", "name": "Jo Smith"})
    assert page.status_code == 200
    assert "Prompt to protect" in page.text
    assert "Jo is missing from school and has a new phone." in page.text
    assert "Concern raised by Norfolk Children&#39;s Advice and Duty Service (CADS)" in page.text


def test_a_refused_concern_goes_back_to_its_form_with_the_errors_and_the_answers_kept(
    client: TestClient, world: World, engine: Engine
) -> None:
    sign_in(client, "partner@norfolk-cads")
    path = f"/people/{world.child}/concern"
    refused = post(client, path, {"text": "  ", "case_ref": "CADS-77", "ind-cce.missing": "1"})
    # Post/Redirect/Get: the errors are shown on a GET, so going back never resubmits.
    assert refused.status_code == 303  # type: ignore[attr-defined]
    assert refused.headers["location"] == path  # type: ignore[attr-defined]
    again = client.get(path)
    assert again.status_code == 200
    assert "govuk-error-summary" in again.text and 'href="#text"' in again.text
    assert "What you have seen or been told: enter" in again.text
    assert 'value="CADS-77"' in again.text  # the answers are kept
    assert 'id="ind-cce.missing" name="ind-cce.missing" type="checkbox" value="1" checked' in (
        again.text
    )
    assert "govuk-error-summary" not in client.get(path).text  # shown once
    with session_scope(engine) as session:  # nothing was recorded
        assert session.scalar(select(func.count()).select_from(ConcernRow)) == 0


def test_the_screening_tool_gives_the_level_and_reasons_and_names_bad_answers(
    client: TestClient, world: World, engine: Engine
) -> None:
    sign_in(client, "partner@norfolk-cads")
    path = f"/people/{world.young_child}/screening"
    form = client.get(path)
    assert "Exploitation screening" in form.text and "Criminal exploitation" in form.text
    done = post(client, path, {"ind-cce.missing": "yes:earlier", "ind-ck.visitors": "no"})
    # Post/Redirect/Get: the result has a page of its own; reloading it records nothing.
    assert done.status_code == 303  # type: ignore[attr-defined]
    result_path = done.headers["location"]  # type: ignore[attr-defined]
    assert result_path.startswith(f"/people/{world.young_child}/screenings/")
    for _ in range(2):
        shown = client.get(result_path)
        assert "Medium risk" in shown.text
        assert "floor rule under-13" in shown.text
    with session_scope(engine) as session:
        stored = select(func.count()).where(ScreeningRow.person_id == world.young_child)
        assert session.scalar(stored) == 1
    bad = post(client, path, {"ind-cce.missing": "perhaps", "ind-ck.visitors": "no"})
    assert bad.status_code == 303 and bad.headers["location"] == path  # type: ignore[attr-defined]
    again = client.get(path)  # the errors are shown on a GET: back never resubmits
    assert "govuk-error-summary" in again.text and 'href="#ind-cce.missing"' in again.text
    assert 'name="ind-ck.visitors" type="radio" value="no" checked' in again.text  # kept
    assert "govuk-error-summary" not in client.get(path).text  # shown once


def test_a_charge_decision_is_refused_with_an_error_summary_of_what_is_missing(
    client: TestClient, world: World
) -> None:
    sign_in(client, "officer@norfolk")
    path = f"/people/{world.child}/charge"
    assert "The charging safeguard applies" in client.get(path).text
    token = csrf_token(client.get(path).text)
    # Post/Redirect/Get: the missing items are shown on the form's GET, answers kept.
    text = refused(
        client,
        path,
        {"csrf_token": token, "decision": "charge", "offence": "PWITS class A",
         "drug_supply": "1"},
    )  # fmt: skip
    assert "The decision cannot be recorded yet" in text
    assert text.index("govuk-error-summary") < text.index("<h1")  # the summary first
    assert 'value="PWITS class A"' in text and 'value="charge" checked' in text
    assert "There is a problem" not in client.get(path).text  # shown once
    assert f'href="/people/{world.child}/screening"' in text
    assert "override reason" not in text.lower()  # no override was asked for
    assert f'href="/people/{world.child}/safeguarding-record"' in text
    assert f'href="/people/{world.child}/referral"' in text
    assert "Override the safeguard" not in text  # not a supervisor
    overridden = post(
        client,
        path,
        {"decision": "charge", "offence": "x", "override": "1", "override_reason": "now"},
    )
    assert overridden.status_code == 403  # type: ignore[attr-defined]


def test_a_supervisor_overrides_with_a_reason(client: TestClient, world: World) -> None:
    sign_in(client, "supervisor@norfolk")
    path = f"/people/{world.child}/charge"
    assert "Override the safeguard" in client.get(path).text
    done = post(
        client,
        path,
        {"decision": "charge", "offence": "PWITS class A", "override": "1",
         "override_reason": "Remand tonight; the front door is told in the morning."},
    )  # fmt: skip
    assert done.status_code == 303  # type: ignore[attr-defined]
    dashboard = client.get("/safeguarding/dashboard")
    assert dashboard.status_code == 200
    assert "Remand tonight; the front door is told in the morning." in dashboard.text
    # The suspect is named as the supervisor may see them, the force by its name.
    assert "Smith, Jo (2011)" in dashboard.text and f"Person {world.child}" not in dashboard.text
    assert "(Norfolk Constabulary)" in dashboard.text
    # The override is in sight of those safeguarding the child, on the child's own page.
    page = client.get(f"/people/{world.child}/safeguarding").text
    assert "Charging safeguard overridden" in page
    assert "Remand tonight; the front door is told in the morning." in page


def test_a_supervisor_who_leaves_the_reason_empty_is_not_told_an_override_is_missing(
    client: TestClient, world: World
) -> None:
    sign_in(client, "supervisor@norfolk")
    path = f"/people/{world.child}/charge"
    token = csrf_token(client.get(path).text)
    data = {"csrf_token": token, "decision": "charge", "offence": "PWITS class A"}
    page = refused(client, path, data | {"override_reason": ""})
    assert "The decision cannot be recorded yet" in page
    assert "override reason" not in page.lower()
    page = client.get(f"/people/{world.child}/safeguarding").text
    assert "Charging safeguard overridden" not in page  # nothing was recorded


def test_the_nrm_record_form_checks_dates(client: TestClient, world: World) -> None:
    sign_in(client, "officer@norfolk")
    path = f"/people/{world.child}/safeguarding-record"
    token = csrf_token(client.get(path).text)
    page = refused(
        client,
        path,
        {"csrf_token": token, "nrm_referred": "yes", "first_responder": "PC A",
         "referred_on": "31/02/2026"},
    )  # fmt: skip
    assert 'href="#referred_on"' in page
    assert "(got “31/02/2026”)" in text_of(page)
    assert 'value="31/02/2026"' in page and 'value="PC A"' in page  # the answers are kept
    assert 'value="yes" checked' in page
    assert "There is a problem" not in client.get(path).text  # shown once
    good = post(
        client,
        path,
        {"nrm_referred": "yes", "first_responder": "PC A", "consent": "child",
         "referred_on": "2026-11-01", "rg_decision": "pending", "cg_decision": "pending",
         "s45_considered": "1"},
    )  # fmt: skip
    assert good.status_code == 303  # type: ignore[attr-defined]


def test_a_referral_is_made_and_the_partner_records_its_outcome(
    client: TestClient, world: World
) -> None:
    sign_in(client, "officer@norfolk")
    path = f"/people/{world.child}/referral"
    form = client.get(path).text  # the child named with their birthday in GOV.UK style
    assert "<title>Make a referral: SMITH, Jo (5 April 2011)" in form
    assert "05/04/2011" not in form and "2011-04-05" not in form
    refused = post(client, path, {"to_agency": "norfolk-cads", "reason": "", "harmed_by": "Ray"})
    assert refused.status_code == 303  # type: ignore[attr-defined]
    assert refused.headers["location"] == f"{path}?#main-content"  # type: ignore[attr-defined]
    again = client.get(path)  # the errors are shown on a GET: back never resubmits
    assert "There is a problem" in again.text and 'href="#harmed_by"' in again.text
    assert 'value="Ray"' in again.text  # the answers are kept
    assert "Running a line." not in client.get(f"/people/{world.child}/safeguarding").text
    made = post(
        client,
        path,
        {"to_agency": "norfolk-cads", "reason": "Running a line.", "harmed_by": ""},
    )
    assert made.status_code == 303  # type: ignore[attr-defined]
    client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/check").text)})
    sign_in(client, "partner@norfolk-cads")
    listing = client.get("/safeguarding/referrals")
    assert "Running a line." in listing.text and "Waiting" in listing.text
    # The date is written out ("7 December 2026"), never an ISO date.
    referred = r'Referred</dt><dd class="govuk-summary-list__value">\d{1,2} [A-Z][a-z]+ \d{4} by'
    assert re.search(referred, listing.text)
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", listing.text)
    found = re.search(r'action="/safeguarding/referrals/(\d+)/outcome"', listing.text)
    assert found
    done = client.post(
        f"/safeguarding/referrals/{found.group(1)}/outcome",
        data={"csrf_token": csrf_token(listing.text), "outcome": "early_help",
              "back": "/safeguarding/referrals"},
    )  # fmt: skip
    assert done.status_code == 303
    assert "Early help" in client.get("/safeguarding/referrals").text
    assert client.get("/safeguarding/dashboard").status_code == 403


def test_forms_need_the_csrf_token(client: TestClient, world: World) -> None:
    sign_in(client, "officer@norfolk")
    answer = client.post(f"/people/{world.child}/concern", data={"text": "x"})
    assert answer.status_code in (400, 403)


def test_the_overview_and_the_persons_page_render_for_police_and_partners(
    client: TestClient, world: World
) -> None:
    sign_in(client, "officer@norfolk")
    assert "Children suggested for screening" in client.get("/safeguarding").text
    page = client.get(f"/people/{world.child}/safeguarding")
    assert page.status_code == 200 and "Record a charge decision" in page.text
    profile = client.get(f"/people/{world.child}")
    assert f'href="/people/{world.child}/safeguarding"' in profile.text
    client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/check").text)})
    sign_in(client, "partner@norfolk-cads")
    overview = client.get("/safeguarding")
    assert overview.status_code == 200 and "Children suggested" not in overview.text
    page = client.get(f"/people/{world.child}/safeguarding")
    assert page.status_code == 200 and "Record a charge decision" not in page.text
    assert client.get(f"/people/{world.adult}/safeguarding").status_code == 404


def test_the_api_screens_and_raises_concerns_with_the_same_tool(
    client: TestClient, world: World, engine: Engine
) -> None:
    from threadline.accounts import create_token

    with session_scope(engine) as session:
        token = create_token(session, actor=ADMIN, username="partner@norfolk-cads", label="t")
    auth = {"Authorization": f"Bearer {token}"}
    tool = client.get("/api/v1/safeguarding/screening-tool", headers=auth)
    assert tool.status_code == 200 and len(tool.json()["indicators"]) == 18
    made = client.post(
        f"/api/v1/people/{world.young_child}/screenings",
        headers=auth,
        json={"answers": [{"code": "cce.missing", "answer": "yes", "window": "earlier"}]},
    )
    assert made.status_code == 201, made.text
    assert made.json()["record"]["risk"] == "medium"
    bad = client.post(
        f"/api/v1/people/{world.young_child}/screenings",
        headers=auth,
        json={"answers": [{"code": "cce.missing", "answer": "yes"}]},
    )
    assert bad.status_code == 422
    assert "current (last 6 months) or earlier" in bad.text
    raised = client.post(
        f"/api/v1/people/{world.child}/concerns", headers=auth, json={"text": "Seen in a car."}
    )
    assert raised.status_code == 201
    listed = client.get(f"/api/v1/people/{world.child}/concerns", headers=auth)
    assert [c["record"]["text"] for c in listed.json()] == ["Seen in a car."]
    assert client.get(f"/api/v1/people/{world.adult}/screenings", headers=auth).status_code == 404
