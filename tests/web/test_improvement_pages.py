"""The improvement tracker on the web: a supervisor records a finding and adds an action
(Post/Redirect/Get, errors named by field); a partner and a frontline officer get nothing."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.web.conftest import ADMIN, OFFICER, PARTNER, PASSWORD, Site, csrf_token, sign_in
from tests.web.prg import refused, text_of
from threadline.accounts import add_user
from threadline.storage.db import session_scope

SUPERVISOR = "supervisor@norfolk"


def _supervisor(engine: Engine) -> None:
    with session_scope(engine) as session:
        add_user(
            session,
            actor=ADMIN,
            username=SUPERVISOR,
            display_name="Sam Supervisor",
            agency_code="norfolk",
            roles=["supervisor"],
            clearance="OFFICIAL-SENSITIVE",
            password=PASSWORD,
        )


def test_a_supervisor_records_a_finding_and_adds_an_action(client: TestClient, site: Site) -> None:
    _supervisor(site.engine)
    sign_in(client, SUPERVISOR)
    page = client.get("/improvement")
    assert page.status_code == 200
    assert "Record a finding" in page.text
    bad = refused(
        client,
        "/improvement",
        {"csrf_token": csrf_token(page.text), "force": "norfolk", "kind": "afi", "reference": "X1"},
    )
    assert 'href="#source_report"' in bad and 'href="#published_on"' in bad
    assert 'value="X1"' in bad  # the answers are kept
    assert "X1" not in text_of(bad).split("Record a finding")[0]  # nothing was recorded
    done = client.post(
        "/improvement",
        data={
            "csrf_token": csrf_token(page.text),
            "force": "norfolk",
            "kind": "afi",
            "reference": "AFI 2",
            "source_report": "SOC inspection",
            "published_on": "2026-01-10",
            "wording": "Monitor OCG members in prison.",
        },
    )
    assert done.status_code == 303
    finding = client.get(done.headers["location"])
    assert "Finding recorded" in finding.text
    assert "Area for improvement AFI 2" in finding.text
    assert "7 March 2026" in finding.text  # the response is due 56 days later
    assert "response was due on 7 March 2026" in finding.text
    path = done.headers["location"].split("?")[0]
    searched = client.get(path, params={"owner_q": "Sam Super"})
    assert "Sam Supervisor" in searched.text
    token = csrf_token(searched.text)
    wrong = refused(
        client,
        f"{path}/actions",
        {"csrf_token": token, "owner": "supervisor@norfolk", "description": "Plans", "due": "x",
         "owner_q": "Sam Super"},
        back_to=path,
    )  # fmt: skip
    assert "Due date: enter" in text_of(wrong) and "(you entered “x”)" in text_of(wrong)
    assert "Sam Supervisor" in wrong and 'value="x"' in wrong  # the owner is still chosen
    response = refused(
        client,
        f"{path}/response",
        {"csrf_token": token, "response": "We will", "responded_on": "?"},
        back_to=path,
    )
    assert "Date of the response: enter" in text_of(response) and "We will" in response
    added = client.post(
        f"{path}/actions",
        data={
            "csrf_token": csrf_token(searched.text),
            "owner": "supervisor@norfolk",
            "description": "Put every imprisoned member under a monitoring plan",
            "due": "2027-03-31",
            "status": "in_progress",
            "figure": "prison_under_plan",
        },
    )
    assert added.status_code == 303
    shown = client.get(added.headers["location"])
    assert "Put every imprisoned member under a monitoring plan" in shown.text
    assert "Crime group members in prison under an in-date monitoring plan" in shown.text
    assert "2027-03-31" not in shown.text.split("<form")[0]  # dates read as words


def test_partners_and_frontline_officers_are_not_offered_the_tracker(
    client: TestClient, site: Site
) -> None:
    for username in (PARTNER, OFFICER):
        client.cookies.clear()
        sign_in(client, username)
        assert client.get("/improvement").status_code == 403
        assert client.get("/improvement/1").status_code == 404
