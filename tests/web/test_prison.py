"""Prison pages: the LRO's dashboard (figures, members with no plan, starting a plan with
the error summary), the prison officer's own list and intelligence form, CSRF, and the
custody tag on the check page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, update

from tests.prison.world import DEAL_LINE, World, build_world
from tests.web.conftest import PASSWORD, csrf_token, sign_in
from tests.web.prg import followed, refused, text_of
from threadline.accounts import passwords
from threadline.model.security import system_actor
from threadline.schedule import tick
from threadline.settings import Settings
from threadline.sharing import add_isa
from threadline.storage.db import session_scope
from threadline.storage.prison_tables import CustodyTransferRow
from threadline.storage.tables import UserRow
from threadline.web import create_app


@pytest.fixture
def world(engine: Engine) -> World:
    built = build_world(engine)
    with session_scope(engine) as session:
        session.execute(update(UserRow).values(password_hash=passwords.hash_password(PASSWORD)))
    return built


@pytest.fixture
def web(world: World, settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings, world.engine)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        yield client


def test_the_lro_sees_the_member_with_no_plan_and_starts_one(web: TestClient, world: World) -> None:
    sign_in(web, "lro@norfolk")
    page = web.get("/prison")
    assert page.status_code == 200
    assert "Dean Carter" in page.text and "No monitoring plan" in page.text
    assert 'href="/prison"' in page.text  # the navigation link
    form = web.get(f"/prison/plans/new?person_id={world.member}")
    token = csrf_token(form.text)
    bad = web.post(
        "/prison/plans/new",
        data={
            "csrf_token": token,
            "person_id": str(world.member),
            "monitored": "x",
            "next_review": "2099-01-01",
        },
    )
    # Post/Redirect/Get: the form and its errors come back on a GET, answers kept.
    assert bad.status_code == 303
    bad = web.get(bad.headers["location"])
    assert "There is a problem" in bad.text and 'href="#plan_type"' in bad.text
    assert "Dean Carter" in bad.text and ">x</textarea>" in bad.text
    good = web.post(
        "/prison/plans/new",
        data={
            "csrf_token": token,
            "person_id": str(world.member),
            "plan_type": "intelligence_led",
            "monitored": "PIN-phone calls and visits",
        },
    )
    assert good.status_code == 303 and good.headers["location"] == "/prison?done=plan"
    after = web.get("/prison?done=plan")
    assert "Monitoring plan started" in after.text and "No monitoring plan" not in after.text


def test_a_post_without_the_csrf_token_is_refused(web: TestClient, world: World) -> None:
    sign_in(web, "lro@norfolk")
    response = web.post(
        "/prison/plans/new",
        data={
            "person_id": str(world.member),
            "plan_type": "intelligence_led",
            "monitored": "calls",
        },
    )
    assert response.status_code in (400, 403)


def test_the_prison_officer_records_a_call_to_a_deal_line(web: TestClient, world: World) -> None:
    sign_in(web, "prison@hmp-norwich")
    page = web.get("/prison")
    assert "A1234BC" in page.text and "expected release 1 March 2027" in page.text
    form = web.get("/prison/intelligence/new")
    token = csrf_token(form.text)
    fields = {
        "csrf_token": token,
        "kind": "call",
        "prison_number": "A1234BC",
        "occurred_at": "2026-11-02 14:30",
        "grading": "9ZZ",
        "number": DEAL_LINE,
    }
    bad = web.post("/prison/intelligence/new", data=fields)
    assert bad.status_code == 303
    again = web.get(bad.headers["location"])
    assert 'href="#grading"' in again.text and 'value="9ZZ"' in again.text
    good = web.post("/prison/intelligence/new", data=fields | {"grading": "2BP"})
    assert good.status_code == 303
    listed = web.get("/prison?done=intel")
    assert "Prison intelligence recorded" in listed.text and DEAL_LINE in listed.text


def test_the_check_page_shows_the_custody_tag(web: TestClient) -> None:
    sign_in(web, "officer@norfolk")
    page = web.get("/check", params={"reason": "stop", "name": "Dean Carter"})
    assert "In custody – HMP Norwich, expected release 1 March 2027" in page.text


def test_partners_may_not_see_the_dashboard(web: TestClient) -> None:
    sign_in(web, "partner@probation")
    assert web.get("/prison").status_code == 403


def test_the_prison_officer_records_and_releases_a_custody_episode(
    web: TestClient, world: World
) -> None:
    sign_in(web, "prison@hmp-norwich")
    form = web.get("/prison/custody/new")
    token = csrf_token(form.text)
    fields = {
        "csrf_token": token,
        "person": "12/999999Z",
        "prison_number": "B7654DE",
        "received_on": "2026-10-01",
        "category": "C",
        "release_date": "2026-09-01",
    }
    bad = followed(web, web.post("/prison/custody/new", data=fields), "/prison/custody/new")
    assert 'href="#person"' in bad.text  # no such PNC id
    assert 'value="B7654DE"' in bad.text  # the answers are kept (not the person searched)
    # The prison may not see Liam Carter's record: it records him by his details instead.
    fields["person"] = ""
    fields |= {"family_name": "Carter", "given_names": "Liam", "date_of_birth": "1990-05-01"}
    bad = followed(web, web.post("/prison/custody/new", data=fields), "/prison/custody/new")
    assert 'href="#release_date"' in bad.text and 'value="Carter"' in bad.text
    assert "B7654DE" not in web.get("/prison").text  # nothing was recorded
    good = web.post("/prison/custody/new", data=fields | {"release_date": "2027-06-01"})
    assert good.status_code == 303
    page = web.get("/prison?done=custody")
    assert "B7654DE" in page.text and "expected release 1 June 2027" in page.text

    edit = web.get(f"/prison/custody/{world.episode}")
    assert 'value="A1234BC"' in edit.text
    wrong = web.post(
        f"/prison/custody/{world.episode}",
        data={"csrf_token": token, "prison_number": "A1234BC", "received_on": "2025-09-14",
              "released_on": "20/11/2026"},
    )  # fmt: skip
    wrong = followed(web, wrong, f"/prison/custody/{world.episode}")
    assert 'href="#released_on"' in wrong.text and 'value="20/11/2026"' in wrong.text
    assert "A1234BC" in web.get("/prison").text  # still held: nothing was changed
    saved = web.post(
        f"/prison/custody/{world.episode}",
        data={
            "csrf_token": token,
            "person": str(world.member),
            "prison_number": "A1234BC",
            "received_on": "2025-09-14",
            "release_date": "2026-11-20",
            "released_on": "2026-11-20",
            "licence_end": "2028-09-13",
        },
    )
    assert saved.status_code == 303
    assert "A1234BC" not in web.get("/prison").text  # released: no longer held here


def test_a_refused_transfer_comes_back_on_the_episodes_page_with_every_error(
    web: TestClient, world: World
) -> None:
    sign_in(web, "prison@hmp-norwich")
    path = f"/prison/custody/{world.episode}"
    token = csrf_token(web.get(path).text)
    transfer = f"{path}/transfer"
    # No prison chosen and a date not as asked: both said at once, the date kept.
    page = refused(web, transfer, {"csrf_token": token, "to": "", "on": "1/2/2026"}, back_to=path)
    words = text_of(page)
    assert "Prison: choose the prison they go to from the list" in words
    assert "Date of transfer: enter the transfer date as YYYY-MM-DD (you entered “1/2/2026”)" in (
        words
    )
    assert page.index("govuk-error-summary") < page.index("<h1")  # the summary first
    assert 'href="#to"' in page and 'href="#on"' in page
    assert 'value="1/2/2026"' in page  # the answer is kept, on the transfer form
    assert 'value="A1234BC"' in page  # the change form shows the record as it is
    # Before the prisoner was received: refused by the service, the prison chosen kept.
    page = refused(
        web, transfer, {"csrf_token": token, "to": "hmp-wayland", "on": "2025-01-01"}, back_to=path
    )
    assert (
        "Date of transfer: enter a date on or after 14 September 2025 (you entered “2025-01-01”)"
        in text_of(page)
    )
    assert '<option value="hmp-wayland" selected' in page
    assert "There is a problem" not in web.get(path).text  # shown once
    with session_scope(world.engine) as session:  # nothing was transferred
        assert session.scalar(select(func.count()).select_from(CustodyTransferRow)) == 0
    assert "A1234BC" in web.get("/prison").text  # still held here
    done = web.post(transfer, data={"csrf_token": token, "to": "hmp-wayland", "on": "2026-02-01"})
    assert done.status_code == 303 and done.headers["location"] == "/prison?done=transferred"


def test_the_prison_names_its_prisoners_says_what_matched_and_reaches_their_plans(
    web: TestClient, world: World
) -> None:
    # HMP Norwich receives OCG members' names from Norfolk (not their phones or lines).
    with session_scope(world.engine) as session:
        add_isa(
            session,
            actor=system_actor(),
            ref="ISA-NFK-HMPN-01",
            title="Norfolk and HMP Norwich: OCG members in custody",
            purpose="Monitoring OCG members in prison",
            legal_basis="Crime and Disorder Act 1998 s115",
            providers=["norfolk"],
            recipients=["hmp-norwich"],
            data_items=["person.family_name", "person.given_names"],
            cohorts=["ocg_member"],
            retention="Two years",
            starts_on=date(2025, 1, 1),
            review_on=date(2099, 1, 1),
        )
    sign_in(web, "prison@hmp-norwich")
    form = web.get("/prison/intelligence/new")
    fields = {
        "csrf_token": csrf_token(form.text),
        "kind": "call",
        "prison_number": "A1234BC",
        "occurred_at": "2026-11-02 14:30",
        "grading": "2BP",
        "number": DEAL_LINE,
    }
    assert web.post("/prison/intelligence/new", data=fields).status_code == 303
    (result,) = tick(world.engine, settings=Settings(secret_key="x" * 40), only=("prison",))
    assert result.error is None
    page = web.get("/prison")
    assert "Dean CARTER (A1234BC)" in page.text  # who is held, by name and prison number
    (row,) = [r for r in page.text.split("<tr") if DEAL_LINE in r]
    assert "Dean CARTER (A1234BC)" in row  # who made the call
    assert "a number known to police" in row  # what matched, in words the prison may know
    assert "deal line" not in row.lower() and "Matches police records" not in row
    # The prison reaches the prisoner's monitoring plans from its page, and the plan
    # form names the prisoner.
    assert 'href="#held"' in page.text and "No monitoring plan you may read" in page.text
    assert f'href="/prison/plans/new?person_id={world.member}"' in page.text
    plan = web.get(f"/prison/plans/new?person_id={world.member}")
    assert plan.status_code == 200
    assert "Dean Carter (A1234BC)" in plan.text and "Held in HMP Norwich" in plan.text
    hidden = web.get(f"/prison/plans/new?person_id={world.outsider}")
    missing = web.get("/prison/plans/new?person_id=999999")
    assert hidden.status_code == missing.status_code == 404
