"""The front door pages: a partner raises a concern (about a known child, and about a child
a check did not find), a Norfolk officer works the queue and responds, and the partner
reads the response; partners and other forces are kept out; the API does the same."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.safeguarding.world import World, build_world
from tests.web.conftest import ADMIN, PASSWORD, csrf_token, sign_in
from tests.web.prg import refused
from threadline.accounts import add_user, create_token
from threadline.clock import utcnow
from threadline.settings import Settings
from threadline.storage.db import session_scope
from threadline.web import create_app

USERS = (
    ("officer@norfolk", "norfolk", ["frontline"]),
    ("officer@suffolk", "suffolk", ["frontline"]),
    ("partner@norfolk-cads", "norfolk-cads", ["partner"]),
)
TEXT = "Jo is missing from school and has a new phone."
RILEY = {
    "given_names": "Riley",
    "family_name": "Scot",
    "date_of_birth": f"9/3/{utcnow().year - 15}",
    "postcode": "NR3",
    "school": "Sewell Park Academy",
    "case_ref": "CADS-2231",
    "text": "Riley is seen getting into cars after school with older boys.",
}


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


def post(client: TestClient, path: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    page = client.get(path)
    assert page.status_code == 200, page.text
    return client.post(path, data={"csrf_token": csrf_token(page.text), **data})


def sign_out(client: TestClient) -> None:
    client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/check").text)})


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_partner_concern_is_worked_at_the_front_door_and_answered(
    client: TestClient, world: World
) -> None:
    sign_in(client, "partner@norfolk-cads")
    answer = post(
        client,
        f"/people/{world.child}/concern",
        {"text": TEXT, "ind-cce.missing": "1", "case_ref": "CADS-77"},
    )
    assert answer.status_code == 303
    sign_out(client)

    sign_in(client, "officer@norfolk")
    queue = client.get("/safeguarding/front-door")
    assert queue.status_code == 200
    text = _text(queue.text)
    assert "SMITH, Jo" in text
    assert "Amber" in text and "The concern names 1 sign of exploitation" in text
    assert "Just now" in text and "Due in 23 hours" in text
    assert "Norfolk" in text  # the raiser by name, never its code alone
    assert "Their reference CADS-77" in text
    assert "Respond within 4 hours" in text  # the rule, with the targets, on the page
    [concern] = re.findall(r'href="/safeguarding/front-door/(\d+)"', queue.text)
    path = f"/safeguarding/front-door/{concern}"
    # Nothing chosen: an error summary naming both fields, on the form's GET
    # (Post/Redirect/Get), the feedback typed kept, and nothing written.
    token = csrf_token(client.get(path).text)
    wrong = refused(client, path, {"csrf_token": token, "outcome": "", "response": "  "})
    assert 'href="#outcome"' in wrong and 'href="#response"' in wrong
    assert "Choose the outcome" in wrong
    assert wrong.index("govuk-error-summary") < wrong.index("<h1")  # the summary first
    wrong = refused(client, path, {"csrf_token": token, "outcome": "", "response": "Seen."})
    assert 'href="#outcome"' in wrong and ">Seen.</textarea>" in wrong  # the answer kept
    assert "There is a problem" not in client.get(path).text  # shown once
    assert "SMITH, Jo" in _text(client.get("/safeguarding/front-door").text)  # still waiting
    done = post(
        client,
        path,
        {"outcome": "strategy", "response": "Joint visit with CADS on Thursday."},
    )
    assert done.status_code == 303
    assert done.headers["location"] == "/safeguarding/front-door?done=answered"
    after = _text(client.get(done.headers["location"]).text)
    assert "No partner concerns are waiting for a response from you." in after
    assert "Strategy discussion or joint visit arranged" in after
    sign_out(client)

    sign_in(client, "partner@norfolk-cads")
    mine = _text(client.get("/safeguarding/concerns").text)
    assert "Joint visit with CADS on Thursday." in mine
    assert "Strategy discussion or joint visit arranged" in mine


def test_partners_and_other_forces_do_not_see_the_queue(client: TestClient, world: World) -> None:
    sign_in(client, "partner@norfolk-cads")
    post(client, f"/people/{world.child}/concern", {"text": TEXT})
    assert client.get("/safeguarding/front-door").status_code == 403
    sign_out(client)
    sign_in(client, "officer@suffolk")
    page = client.get("/safeguarding/front-door")
    assert page.status_code == 200
    assert "SMITH" not in page.text
    assert "No partner concerns are waiting" in page.text
    assert client.get("/safeguarding/front-door/1").status_code == 404


def test_a_partner_raises_a_concern_about_a_child_no_check_found(
    client: TestClient, world: World
) -> None:
    sign_in(client, "partner@norfolk-cads")
    path = "/safeguarding/new-child"
    token = csrf_token(client.get(path).text)
    wrong = refused(client, path, {"csrf_token": token, **RILEY, "date_of_birth": "1980"})
    assert 'href="#date_of_birth"' in wrong and "(you entered “1980”)" in wrong
    assert 'value="CADS-2231"' in wrong  # the answers are kept
    assert wrong.index("govuk-error-summary") < wrong.index("<h1")  # the summary first
    assert "There is a problem" not in client.get(path).text  # shown once
    assert "SCOT, Riley" not in _text(client.get("/safeguarding/concerns").text)  # not raised
    done = post(client, "/safeguarding/new-child", RILEY)
    assert done.status_code == 303
    mine = _text(client.get(done.headers["location"]).text)
    assert "Concern raised" in mine and "SCOT, Riley" in mine and "CADS-2231" in mine
    sign_out(client)
    sign_in(client, "officer@norfolk")
    queue = _text(client.get("/safeguarding/front-door").text)
    assert "SCOT, Riley" in queue and "Their reference CADS-2231" in queue


def test_the_api_lists_the_queue_and_records_the_response(
    client: TestClient, world: World, engine: Engine
) -> None:
    with session_scope(engine) as session:
        officer = create_token(session, actor=ADMIN, username="officer@norfolk", label="t")
        partner = create_token(session, actor=ADMIN, username="partner@norfolk-cads", label="t")
    as_partner = {"Authorization": f"Bearer {partner}"}
    as_officer = {"Authorization": f"Bearer {officer}"}
    body = {k: v for k, v in RILEY.items()} | {"date_of_birth": f"{utcnow().year - 15}-03-09"}
    raised = client.post("/api/v1/safeguarding/children/concerns", json=body, headers=as_partner)
    assert raised.status_code == 201, raised.text
    assert client.get("/api/v1/safeguarding/front-door", headers=as_partner).status_code == 403
    door = client.get("/api/v1/safeguarding/front-door", headers=as_officer).json()
    [item] = door["waiting"]
    assert item["concern"]["case_ref"] == "CADS-2231" and item["rag"] == "green"
    concern = item["concern"]["id"]
    answer = client.post(
        f"/api/v1/safeguarding/front-door/{concern}/response",
        json={"outcome": "police_action", "feedback": "Officers visited today."},
        headers=as_officer,
    )
    assert answer.status_code == 200, answer.text
    [mine] = client.get("/api/v1/safeguarding/concerns/raised", headers=as_partner).json()
    assert mine["record"]["response"] == "Officers visited today."


def test_the_new_child_form_is_refused_to_those_who_may_not_record_a_child(
    client: TestClient, world: World, engine: Engine
) -> None:
    with session_scope(engine) as session:
        add_user(
            session,
            actor=ADMIN,
            username="dpo@norfolk",
            display_name="dpo@norfolk",
            agency_code="norfolk",
            roles=["dpo"],
            clearance="OFFICIAL-SENSITIVE",
            password=PASSWORD,
        )
    sign_in(client, "dpo@norfolk")
    assert client.get("/safeguarding/new-child").status_code == 403
    assert client.get("/safeguarding/front-door").status_code == 403
