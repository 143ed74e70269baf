"""The data protection officer's audit log page: search, download, verify; all of it logged."""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from tests.web.conftest import ADMIN, OFFICER, PASSWORD, Site, csrf_token, sign_in
from threadline.accounts import actor_for, add_user
from threadline.check import check
from threadline.storage.db import session_scope
from threadline.storage.tables import AuditEventRow

NORFOLK_DPO = "dpo@norfolk"
REGION_DPO = "dpo@ersou"
NORFOLK_OFFICER = "officer@norfolk"


@pytest.fixture
def logged(site: Site) -> Site:
    """DPOs of Norfolk and of the region, and checks by a Norfolk and a Suffolk officer."""
    with session_scope(site.engine) as session:
        for username, agency, roles in (
            (NORFOLK_DPO, "norfolk", ["dpo"]),
            (REGION_DPO, "ersou", ["dpo"]),
            (NORFOLK_OFFICER, "norfolk", ["frontline"]),
        ):
            add_user(
                session,
                actor=ADMIN,
                username=username,
                display_name=f"Test {username}",
                agency_code=agency,
                roles=roles,
                clearance="SECRET",
                password=PASSWORD,
            )
    for username, names in ((NORFOLK_OFFICER, ["Jo Smith", "Ray Black"]), (OFFICER, ["Jo Smith"])):
        for name in names:
            with session_scope(site.engine) as session:
                officer = actor_for(session, username)
            with session_scope(site.engine) as session:
                check(session, actor=officer, name=name, purpose="stop check")
    return site


def events(engine: Engine, name: str) -> list[AuditEventRow]:
    with session_scope(engine) as session:
        rows = session.scalars(select(AuditEventRow).where(AuditEventRow.event == name)).all()
        session.expunge_all()
        return list(rows)


def error_summary(html: str) -> list[str]:
    block = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.S)
    assert block, "no error summary on the page"
    items = re.findall(r"<li>(.*?)</li>", block[1], re.S)
    return [unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items]


def result_rows(html: str) -> list[list[str]]:
    body = re.search(r'<tbody class="govuk-table__body">(.*?)</tbody>', html, re.S)
    if body is None:
        return []
    return [
        [
            unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body[1], re.S)
    ]


def search(client: TestClient, **params: Any) -> Any:
    return client.get("/audit", params={"purpose": "verify_lawfulness", **params})


@pytest.mark.parametrize("username", [OFFICER, NORFOLK_OFFICER])
def test_officers_get_the_403_page(client: TestClient, logged: Site, username: str) -> None:
    sign_in(client, username)
    for path in ("/audit", "/audit?user=officer@norfolk&purpose=verify_lawfulness"):
        reply = client.get(path)
        assert reply.status_code == 403
        assert "only data protection officers" in reply.text
    assert not events(logged.engine, "audit.searched")


def test_the_dpo_sees_the_form_and_whose_log_it_is(client: TestClient, logged: Site) -> None:
    sign_in(client, NORFOLK_DPO)
    page = client.get("/audit")
    assert page.status_code == 200
    assert "what Norfolk Constabulary's people did" in page.text
    assert 'name="purpose"' in page.text and "Verify chain" in page.text
    assert (
        '<a class="govuk-service-navigation__link" href="/audit" aria-current="page">' in page.text
    )
    assert not events(logged.engine, "audit.searched")  # nothing read yet, nothing logged


def test_searching_by_user_shows_their_checks_and_is_logged(
    client: TestClient, logged: Site
) -> None:
    sign_in(client, NORFOLK_DPO)
    reply = search(client, user=NORFOLK_OFFICER, purpose="self_monitoring")
    assert reply.status_code == 200
    rows = result_rows(reply.text)
    assert len(rows) == 2 and "2 events" in reply.text
    for when, who, what, _records, purpose in rows:  # five columns: it fits at 1,366px
        user, agency = (part.strip() for part in who.split("\n"))
        action, event = (part.strip() for part in what.split("\n"))
        assert (user, agency, action, event) == (
            NORFOLK_OFFICER,
            "Norfolk Constabulary",  # the organisation's name, not its code
            "Consultation",
            "Ran a check, such as a stop check (about the records shown)",  # not "check"
        )
        assert re.match(r"\d{1,2} \w{3} \d{4}\s+\d\d:\d\d:\d\d$", when)
        assert purpose == "stop check"
    # Each record touched links to the events about it, for the same purpose.
    child = logged.world.child
    assert f'href="/audit?subject={child}&amp;purpose=self_monitoring"' in reply.text
    [logged_search] = events(logged.engine, "audit.searched")
    assert logged_search.actor == NORFOLK_DPO and logged_search.purpose == "self_monitoring"
    assert NORFOLK_OFFICER in logged_search.details


def test_a_force_dpo_sees_only_their_forces_part_of_the_log(
    client: TestClient, logged: Site
) -> None:
    sign_in(client, NORFOLK_DPO)
    other_force = search(client, user=OFFICER)
    assert "No events found" in other_force.text and not result_rows(other_force.text)
    # ...but every event about a record Norfolk owns, whoever did it.
    about = search(client, subject=logged.world.child)
    users = {row[1].split("\n")[0] for row in result_rows(about.text)}
    assert NORFOLK_OFFICER in users

    client.cookies.clear()
    sign_in(client, REGION_DPO)
    region = search(client, user=OFFICER)
    assert "whole region" in region.text
    assert [row[1].split("\n")[0] for row in result_rows(region.text)] == [OFFICER]


def test_the_search_form_explains_every_problem(client: TestClient, logged: Site) -> None:
    sign_in(client, NORFOLK_DPO)
    reply = client.get("/audit", params={"subject": "Jo", "from": "31/02/2026", "purpose": ""})
    assert reply.status_code == 422
    assert "<title>Error: Audit log" in reply.text
    assert error_summary(reply.text) == [
        "Record number “Jo” is not right: it must be a record number, like 1042",
        "From “31/02/2026” is not right: it must be a date as YYYY-MM-DD, like 2026-03-01",
        "Select why you are reading the audit log",
    ]
    assert 'value="31/02/2026"' in reply.text
    nothing = client.get("/audit", params={"purpose": "verify_lawfulness", "user": ""})
    assert error_summary(nothing.text) == ["Enter a person's name, a record number or a username"]
    backwards = search(client, user=NORFOLK_OFFICER, **{"from": "2026-05-03", "to": "2026-05-01"})
    assert error_summary(backwards.text)[0].startswith("To “2026-05-01” is not right")
    assert not events(logged.engine, "audit.searched")


def test_results_are_paged_fifty_at_a_time(client: TestClient, logged: Site) -> None:
    with session_scope(logged.engine) as session:
        officer = actor_for(session, NORFOLK_OFFICER)
    for _ in range(50):
        with session_scope(logged.engine) as session:
            check(session, actor=officer, name="Jo Smith")
    sign_in(client, NORFOLK_DPO)
    first = search(client, user=NORFOLK_OFFICER)
    assert "52 events, page 1 of 2" in first.text and len(result_rows(first.text)) == 50
    assert 'aria-label="Pagination"' in first.text and 'rel="next"' in first.text
    second = search(client, user=NORFOLK_OFFICER, page=2)
    rows = result_rows(second.text)
    assert len(rows) == 2 and {row[4] for row in rows} == {"stop check"}  # the oldest two
    assert [e.details.count('"page": 2') for e in events(logged.engine, "audit.searched")] == [0, 1]


def test_download_csv_is_the_export_and_is_logged(client: TestClient, logged: Site) -> None:
    sign_in(client, NORFOLK_DPO)
    page = search(client, user=NORFOLK_OFFICER, purpose="criminal_proceedings")
    link = re.search(r'href="(/audit/export\.csv\?[^"]+)"', page.text)
    assert link, "no Download CSV link"
    reply = client.get(unescape(link[1]))
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/csv")
    assert 'filename="audit-officer@norfolk.csv"' in reply.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(reply.text)))
    assert [row["event"] for row in rows] == ["check", "check"]
    assert {row["actor"] for row in rows} == {NORFOLK_OFFICER}
    [export] = events(logged.engine, "audit.exported")
    assert export.actor == NORFOLK_DPO and export.purpose == "criminal_proceedings"


def test_verify_chain_reports_an_intact_log_and_is_logged(client: TestClient, logged: Site) -> None:
    sign_in(client, NORFOLK_DPO)
    token = csrf_token(client.get("/audit").text)
    reply = client.post("/audit/verify", data={"csrf_token": token})
    assert reply.status_code == 200
    assert "The audit log is intact" in reply.text
    head = re.search(r"(\d+):([0-9a-f]{64})", reply.text)
    assert head
    [verified] = events(logged.engine, "audit.verified")
    assert verified.actor == NORFOLK_DPO and verified.purpose == "integrity_security"
    assert f'"head": "{head[0]}"' in verified.details


def test_verify_chain_names_the_first_edited_event(client: TestClient, logged: Site) -> None:
    with session_scope(logged.engine) as session:
        first = session.scalars(select(AuditEventRow).where(AuditEventRow.event == "check")).first()
        assert first is not None
        first.purpose = "edited by hand"
        edited = first.id
    sign_in(client, NORFOLK_DPO)
    token = csrf_token(client.get("/audit").text)
    reply = client.post("/audit/verify", data={"csrf_token": token})
    assert f"The audit log is broken at event {edited}" in reply.text
    assert "the event was edited" in reply.text


def test_verify_needs_the_form_token_and_an_audit_reader(client: TestClient, logged: Site) -> None:
    sign_in(client, NORFOLK_DPO)
    assert client.post("/audit/verify").status_code == 403
    client.cookies.clear()
    sign_in(client, NORFOLK_OFFICER)
    token = csrf_token(client.get("/check").text)
    assert client.post("/audit/verify", data={"csrf_token": token}).status_code == 403
    assert not events(logged.engine, "audit.verified")


def test_the_dpo_finds_a_person_by_name_and_sees_names_in_the_results(
    client: TestClient, logged: Site
) -> None:
    sign_in(client, NORFOLK_DPO)
    found = search(client, name="Jo Smith")
    assert found.status_code == 200
    link = f'href="/audit?subject={logged.world.child}&amp;purpose=verify_lawfulness"'
    assert link in found.text and "Jo SMITH" in found.text  # chosen by name, not number
    assert events(logged.engine, "audit.people_searched")  # the look-up is logged
    about = search(client, subject=logged.world.child)
    rows = result_rows(about.text)
    assert rows and any("Jo SMITH" in row[3] for row in rows)  # records named
    assert f"record {logged.world.child}" not in about.text.split("<tbody")[1]
    assert "about Jo SMITH" in about.text
    link = re.search(r'href="(/audit/export\.csv\?[^"]+)"', about.text)
    assert link
    exported = list(csv.DictReader(io.StringIO(client.get(unescape(link[1])).text)))
    assert exported and all("Jo SMITH" in row["record_names"] for row in exported)
    assert {"hash", "prev_hash", "records"} <= set(exported[0])  # the export, untouched
    nobody = search(client, name="Zebedee Quux")
    assert "No one you may see is named like" in nobody.text
