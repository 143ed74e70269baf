"""Disruption pages: an officer records one from a county line page (PRG, error summary),
a supervisor validates and regrades, a court outcome is added; the list is filtered and
counted after policy; partners see nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from tests.disruptions.world import World, build_world, line_draft
from tests.web.conftest import SECRET, csrf_token, sign_in
from tests.web.prg import refused
from threadline.disruptions import record_disruption
from threadline.settings import Settings
from threadline.storage.db import session_scope
from threadline.storage.tables import DisruptionRow
from threadline.web import create_app


@pytest.fixture
def world(engine: Engine) -> World:
    with session_scope(engine) as session:
        return build_world(session)


@pytest.fixture
def client(engine: Engine, world: World) -> Iterator[TestClient]:
    app = create_app(Settings(secret_key=SECRET, demo_mode=False), engine)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as test_client:
        yield test_client


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _count(engine: Engine) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(DisruptionRow)) or 0


def _recorded(
    engine: Engine, world: World, username: str = "officer@norfolk", **changes: object
) -> int:
    with session_scope(engine) as session:
        return record_disruption(
            session, actor=world.actor(session, username), draft=line_draft(world, **changes)
        )


def test_an_officer_records_a_disruption_from_a_county_line_page(
    client: TestClient, world: World, engine: Engine
) -> None:
    sign_in(client, "officer@norfolk")
    line_page = client.get(f"/county-lines/{world.line}")
    assert line_page.status_code == 200
    assert "No disruptions recorded" in _text(line_page.text)
    link = f"/disruptions/new?subject={world.line}"
    assert link in line_page.text
    form = client.get(link)
    assert form.status_code == 200
    assert "TONY" in _text(form.text)
    answer = client.post(
        "/disruptions",
        data={
            "csrf_token": csrf_token(form.text),
            "subject": str(world.line),
            "theme": "drugs_county_lines",
            "strand": "pursue",
            "occurred_on": "14/09/2026",
            "t1_tactic": "deal_line_disconnected",
            "t2_tactic": "seizure_cash",
            "t2_quantity": "£4,500",
            "t2_unit": "£",
            "claimed_grade": "major",
            "rationale": "The deal line was cut off and the line stopped trading",
            "team": "Norfolk county lines team",
            "marking": "OFFICIAL",
        },
    )
    assert answer.status_code == 303
    shown = client.get(answer.headers["location"])
    text = _text(shown.text)
    assert "Disruption recorded" in text
    assert "Deal line disconnected" in text and "£4,500" in text
    assert "Awaiting a supervisor" in text
    assert "14 September 2026" in text
    again = _text(client.get(f"/county-lines/{world.line}").text)
    assert "1 disruption recorded (1 major)" in again


def test_a_grade_without_rationale_is_shown_again_with_the_fields_named(
    client: TestClient, world: World, engine: Engine
) -> None:
    sign_in(client, "officer@norfolk")
    form = client.get(f"/disruptions/new?subject={world.line}")
    html = refused(
        client,
        "/disruptions",
        {
            "csrf_token": csrf_token(form.text),
            "subject": str(world.line),
            "strand": "pursue",
            "occurred_on": "31/02/2026",
            "t1_tactic": "arrest",
            "t1_quantity": "lots",
            "claimed_grade": "major",
            "rationale": "",
        },
        back_to="/disruptions/new",  # the form's own address, shown on a GET
    )
    text = _text(html)
    assert "There is a problem" in text
    assert 'href="#rationale"' in html
    assert 'href="#occurred_on"' in html and "31/02/2026" in text
    assert 'href="#t1_quantity"' in html and 'value="lots"' in html
    assert "TONY" in text  # the line chosen is still the subject
    assert _count(engine) == 0


def test_a_record_the_officer_may_not_see_is_not_found(
    client: TestClient, world: World, engine: Engine
) -> None:
    sign_in(client, "low@norfolk")
    assert client.get(f"/disruptions/new?subject={world.secret_line}").status_code == 404
    assert client.get("/disruptions/new?subject=999999").status_code == 404
    form = client.get("/disruptions/new")
    answer = client.post(
        "/disruptions",
        data={
            "csrf_token": csrf_token(form.text),
            "subject": str(world.secret_line),
            "strand": "pursue",
            "occurred_on": "14/09/2026",
            "t1_tactic": "arrest",
            "claimed_grade": "major",
            "rationale": "x",
        },
    )
    assert answer.status_code == 404
    assert _count(engine) == 0


def test_searching_finds_only_what_the_officer_may_see(client: TestClient, world: World) -> None:
    sign_in(client, "low@norfolk")
    found = _text(client.get("/disruptions/new?q=kestrel").text)
    assert "Operation Kestrel (organised crime group)" in found
    page = client.get("/disruptions/new?q=ghost")
    assert "GHOST" not in _text(page.text)
    assert "TONY" in _text(client.get("/disruptions/new?q=ton").text)


def test_a_supervisor_validates_one_and_regrades_another(
    client: TestClient, world: World, engine: Engine
) -> None:
    first = _recorded(engine, world)
    second = _recorded(engine, world, claimed_grade="moderate")
    sign_in(client, "supervisor@norfolk")
    page = client.get(f"/disruptions/{first}")
    assert "Validate the grade" in page.text
    done = client.post(
        f"/disruptions/{first}/validation",
        data={"csrf_token": csrf_token(page.text), "grade": "major", "reason": ""},
    )
    assert done.status_code == 303 and done.headers["location"].endswith("done=validated")
    page = client.get(f"/disruptions/{second}")
    html = refused(
        client,
        f"/disruptions/{second}/validation",
        {"csrf_token": csrf_token(page.text), "grade": "minor", "reason": ""},
        back_to=f"/disruptions/{second}",
    )
    assert 'href="#reason"' in html
    assert 'value="minor" checked' in html or 'value="minor" selected' in html
    done = client.post(
        f"/disruptions/{second}/validation",
        data={
            "csrf_token": csrf_token(page.text),
            "grade": "minor",
            "reason": "The line was back within days",
        },
    )
    assert done.status_code == 303
    text = _text(client.get(done.headers["location"]).text)
    assert "Disruption regraded" in text and "Regraded as minor by Pat Senior" in text
    listed = _text(client.get("/disruptions?validation=regraded").text)
    assert "1 disruption" in listed


def test_an_officer_adds_a_custodial_sentence(
    client: TestClient, world: World, engine: Engine
) -> None:
    first = _recorded(engine, world)
    sign_in(client, "officer@norfolk")
    page = client.get(f"/disruptions/{first}")
    assert "Validate the grade" not in page.text
    html = refused(
        client,
        f"/disruptions/{first}/outcomes",
        {"csrf_token": csrf_token(page.text), "stage": "sentenced", "on_date": "someday",
         "offence": "Possession with intent to supply class A", "custodial_months": "4½"},
        back_to=f"/disruptions/{first}",
    )  # fmt: skip
    assert 'href="#on_date"' in html and 'href="#custodial_months"' in html
    assert "Possession with intent to supply class A" in html  # the answers are kept
    assert "Court outcome recorded" not in html and "No court outcomes" in _text(html)
    done = client.post(
        f"/disruptions/{first}/outcomes",
        data={
            "csrf_token": csrf_token(page.text),
            "person": str(world.person),
            "stage": "sentenced",
            "on_date": "20/11/2026",
            "offence": "Possession with intent to supply class A",
            "sentence": "custodial",
            "custodial_months": "54",
        },
    )
    assert done.status_code == 303
    text = _text(client.get(done.headers["location"]).text)
    assert "Custodial, 4 years 6 months" in text and "Court outcome recorded" in text
    totals = _text(client.get("/disruptions/sentences?by=line&from=01/11/2026").text)
    assert "TONY 4.5 1 1" in totals
    none = _text(client.get("/disruptions/sentences?by=team&to=01/10/2026").text)
    assert "No custodial sentences recorded" in none


def test_the_list_is_filtered_and_counted_after_policy(
    client: TestClient, world: World, engine: Engine
) -> None:
    _recorded(engine, world)
    _recorded(engine, world, entity_id=world.local_line, claimed_grade="minor")
    sign_in(client, "officer@suffolk")
    text = _text(client.get("/disruptions").text)
    assert "1 disruption" in text and "LOCAL" not in text
    assert "No disruptions found" in _text(client.get("/disruptions?grade=minor").text)
    bad = client.get("/disruptions?month=September")
    assert bad.status_code == 422 and 'href="#month"' in bad.text


def test_a_partner_sees_no_disruptions(client: TestClient, world: World, engine: Engine) -> None:
    first = _recorded(engine, world, lead_agency_code="norwich-housing")
    sign_in(client, "partner@norwich-housing")
    assert client.get(f"/disruptions/{first}").status_code == 404
    assert client.get("/disruptions").status_code in (403, 404)
    assert client.get("/disruptions/new").status_code in (403, 404)


def test_group_and_person_pages_show_their_disruptions(
    client: TestClient, world: World, engine: Engine
) -> None:
    _recorded(engine, world, subject_kind="group", entity_id=world.group, theme="firearms")
    sign_in(client, "supervisor@norfolk")
    group = client.get(f"/groups/{world.group}")
    assert group.status_code == 200
    text = _text(group.text)
    assert "1 disruption recorded (1 major)" in text
    assert f"/disruptions/new?subject={world.group}" in group.text
    person = client.get(f"/people/{world.person}")
    assert "Disruptions" in _text(person.text)
    assert f"/disruptions/new?subject={world.person}" in person.text


def test_the_inspection_packs_period_limits_the_list(
    client: TestClient, world: World, engine: Engine
) -> None:
    """The pack links to "the records behind" a figure with its period: the list keeps to it."""
    _recorded(engine, world, occurred_on=date(2026, 5, 2))
    _recorded(engine, world, occurred_on=date(2026, 10, 20))
    sign_in(client, "officer@norfolk")
    within = _text(client.get("/disruptions?from=2026-04-01&to=2026-09-30").text)
    assert "1 disruption " in within
    assert "1 April 2026 to 30 September 2026" in within
    everything = _text(client.get("/disruptions").text)
    assert "2 disruptions" in everything
    wrong = client.get("/disruptions?from=2026-13-01")
    assert wrong.status_code == 422 and 'href="#from"' in wrong.text
    assert "a real date" in _text(wrong.text)
