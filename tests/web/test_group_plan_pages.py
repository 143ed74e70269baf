"""The 4P plan tab: the LRO finds an owner by searching, adds and updates actions (PRG),
records a review; others read it; partners never see it."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.plans.world import PlanWorld, build_plan_world
from tests.web.conftest import SECRET, csrf_token, sign_in
from tests.web.prg import refused
from threadline.settings import Settings
from threadline.storage.db import session_scope
from threadline.web import create_app


@pytest.fixture
def world(engine: Engine) -> PlanWorld:
    with session_scope(engine) as session:
        return build_plan_world(session)


@pytest.fixture
def client(engine: Engine, world: PlanWorld) -> Iterator[TestClient]:
    app = create_app(Settings(secret_key=SECRET, demo_mode=False), engine)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as test_client:
        yield test_client


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _add(client: TestClient, world: PlanWorld, **given: str) -> str:
    page = client.get(f"/groups/{world.group}/plan?owner_q=sam")
    assert page.status_code == 200
    values = {
        "csrf_token": csrf_token(page.text),
        "owner": re.search(r'name="owner" type="radio" value="([^"]+)"', page.text).group(1),  # type: ignore[union-attr]
        "strand": "pursue",
        "description": "Warrant at the base address",
        "due": "2099-01-15",
        "status": "planned",
    }
    values.update(given)
    response = client.post(f"/groups/{world.group}/plan/actions", data=values)
    return response.headers.get("location") or response.text


def test_the_lro_searches_an_owner_adds_an_action_and_sees_it(
    client: TestClient, world: PlanWorld
) -> None:
    sign_in(client, "lro@norfolk")
    page = client.get(f"/groups/{world.group}/plan")
    text = _text(page.text)
    assert "Plan currency" in text and "No plan" in text
    assert "No Pursue actions yet" in text and "Add an action" in text
    found = _text(client.get(f"/groups/{world.group}/plan?owner_q=cads").text)
    assert "Norfolk CADS (partner organisation)" in found
    found = _text(client.get(f"/groups/{world.group}/plan?owner_q=sam").text)
    assert "Sam Beat, Norfolk Constabulary" in found
    assert "Old Hand" not in _text(client.get(f"/groups/{world.group}/plan?owner_q=old").text)

    location = _add(client, world)
    assert location.startswith(f"/groups/{world.group}/plan?done=added#action-")
    after = _text(client.get(location.split("#")[0]).text)
    assert "Action added to the plan" in after
    assert "Warrant at the base address" in after and "Sam Beat, Norfolk Constabulary" in after
    assert "15 January 2099" in after and "Planned" in after
    assert "The plan has never been reviewed" in after  # a warning until it is reviewed


def test_a_form_with_problems_is_shown_again_with_what_was_entered(
    client: TestClient, world: PlanWorld
) -> None:
    sign_in(client, "lro@norfolk")
    plan = f"/groups/{world.group}/plan"
    # Post/Redirect/Get: the refused form comes back on a GET of the plan, so going back
    # or reloading never sends it again.
    location = _add(client, world, strand="", description="", due="2001-01-01")
    assert location == f"{plan}?#main-content"  # the page, at its error summary
    html = client.get(location).text  # (the redirect's GET; `refused` below checks it all)
    text = _text(html)
    assert "There is a problem" in text
    assert "Due date: enter a due date from today" in text and "(you entered “2001-01-01”)" in text
    assert "Strand: enter one of Pursue, Prevent, Protect, Prepare" in text
    assert 'value="2001-01-01"' in html
    assert "Sam Beat, Norfolk Constabulary" in text  # the owner picked is still offered
    assert "No Pursue actions yet" in text  # nothing was written
    again = _text(client.get(plan).text)  # a reload: the form afresh, nothing sent
    assert "There is a problem" not in again and "No Pursue actions yet" in again
    page = client.get(f"{plan}?owner_q=sam")
    html = refused(
        client,
        f"{plan}/reviews",
        {"csrf_token": csrf_token(page.text), "note": "", "next_review": "soon"},
        back_to=plan,
    )
    assert 'value="soon"' in html and "Next review: enter" in _text(html)
    assert "Recent reviews" not in _text(html)  # no review was recorded


def test_the_lro_updates_an_action_with_evidence_then_records_a_review(
    client: TestClient, world: PlanWorld
) -> None:
    sign_in(client, "lro@norfolk")
    location = _add(client, world)
    action = int(location.rsplit("-", 1)[1])
    page = client.get(f"/groups/{world.group}/plan")
    token = csrf_token(page.text)
    html = refused(
        client,
        f"/groups/{world.group}/plan/actions/{action}",
        {"csrf_token": token, f"a{action}-status": "done", f"a{action}-evidence": ""},
        back_to=f"/groups/{world.group}/plan",
    )
    assert "Evidence: enter evidence for an action marked done" in _text(html)
    assert f'href="#a{action}-evidence"' in html  # the error leads to that action's field
    assert "Planned" in _text(html)  # still as it was
    done = client.post(
        f"/groups/{world.group}/plan/actions/{action}",
        data={
            "csrf_token": token,
            f"a{action}-status": "done",
            f"a{action}-evidence": "Warrant executed; 2 kg cocaine seized",
        },
    )
    assert done.status_code == 303
    text = _text(client.get(done.headers["location"].split("#")[0]).text)
    assert "Action updated" in text and "2 kg cocaine seized" in text and "Done" in text
    reviewed = client.post(
        f"/groups/{world.group}/plan/reviews",
        data={"csrf_token": token, "note": "Pursue on track; Prevent to start"},
    )
    assert reviewed.status_code == 303
    text = _text(client.get(f"/groups/{world.group}/plan").text)
    assert "Current" in text and "Pursue on track" in text and "Recent reviews" in text


def test_an_officer_reads_the_plan_without_its_forms(client: TestClient, world: PlanWorld) -> None:
    sign_in(client, "officer@norfolk")
    text = _text(client.get(f"/groups/{world.group}/plan").text)
    assert "Plan currency" in text and "Add an action" not in text
    assert "Record a review" not in text
    assert client.get(f"/groups/{world.group}/plan?owner_q=sam").status_code == 200


def test_a_partner_never_sees_the_plan(client: TestClient, world: PlanWorld) -> None:
    sign_in(client, "partner@norfolk-cads")
    assert client.get(f"/groups/{world.group}/plan").status_code == 404
