"""The inspection pages: the figures dashboard, the pack on a page and its PDF."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from tests.inspection.world import PASSWORD, build_world
from tests.web.conftest import sign_in
from threadline.settings import Settings
from threadline.storage.db import session_scope
from threadline.storage.tables import AuditEventRow
from threadline.web import create_app
from threadline.web.middleware import CONTENT_SECURITY_POLICY

PERIOD = "from=2026-04-01&to=2026-09-30"


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    with session_scope(engine) as session:
        build_world(session)
    settings = Settings(secret_key="test-secret-key-that-is-long-enough-for-hmac", demo_mode=False)
    app = create_app(settings, engine)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as test_client:
        yield test_client


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_supervisor_sees_county_lines_beside_other_soc(client: TestClient) -> None:
    sign_in(client, "supervisor@norfolk", PASSWORD)
    page = client.get(f"/inspection?force=norfolk&{PERIOD}")
    assert page.status_code == 200
    text = _text(page.text)
    assert "Inspection figures" in text and "Norfolk Constabulary" in text
    assert "5 county lines disruptions, more than all other serious and organised crime" in text
    # The chart is inline SVG (no script, no style attribute the CSP would block), and its
    # figures follow as a table.
    chart = page.text.split('id="figure-county_lines"', 1)[1].split("</section>", 1)[0]
    assert "<svg" in chart and 'role="img"' in chart
    assert "<script" not in chart and "style=" not in chart
    assert "Drugs and county lines" in _text(chart) and "govuk-table" in chart
    assert "style-src 'self'" in CONTENT_SECURITY_POLICY  # what the SVG has to satisfy
    # The navigation offers the page to a supervisor.
    assert 'href="/inspection"' in page.text


def test_pack_page_and_pdf(client: TestClient, engine: Engine) -> None:
    sign_in(client, "supervisor@norfolk", PASSWORD)
    page = client.get(f"/inspection/pack?force=norfolk&{PERIOD}")
    assert page.status_code == 200
    text = _text(page.text)
    for heading in (
        "Understanding serious and organised crime and setting priorities",
        "Tackling serious and organised crime and safeguarding people and communities",
        "What the force can evidence on resources",
    ):
        assert heading in text
    assert "How it is counted:" in text and "Period: 1 April 2026 to 30 September 2026" in text
    assert "/disruptions?from=2026-04-01&amp;to=2026-09-30&amp;force=norfolk" in page.text
    pdf = client.get(f"/inspection/pack.pdf?force=norfolk&{PERIOD}")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    with session_scope(engine) as session:
        events = list(
            session.scalars(
                select(AuditEventRow.event)
                .where(AuditEventRow.event.like("inspection.%"))
                .order_by(AuditEventRow.id)
            )
        )
    assert events == ["inspection.pack_viewed", "inspection.pack_exported"]


def test_bad_period_is_named(client: TestClient) -> None:
    sign_in(client, "supervisor@norfolk", PASSWORD)
    page = client.get("/inspection?force=norfolk&from=2026-02-31&to=2026-09-30")
    assert page.status_code == 422
    assert "There is a problem" in page.text
    assert "you gave “2026-02-31”" in page.text
    assert 'href="#from"' in page.text


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("officer@norfolk", "/inspection?force=norfolk"),
        ("supervisor@suffolk", "/inspection/pack?force=norfolk"),
        ("partner@norfolk-cads", "/inspection/pack?force=norfolk"),
        # Without a force: the default scope is never a partner's or an officer's own.
        ("partner@norfolk-cads", "/inspection"),
        ("partner@norfolk-cads", "/inspection/pack.pdf"),
        ("officer@norfolk", "/inspection/pack"),
    ],
)
def test_refused_readers(client: TestClient, username: str, path: str) -> None:
    sign_in(client, username, PASSWORD)
    page = client.get(path)
    assert page.status_code in (403, 404)
    assert "county lines disruptions" not in page.text


def test_default_scope_is_what_the_reader_may_see(client: TestClient) -> None:
    sign_in(client, "supervisor@norfolk", PASSWORD)
    own = client.get("/inspection")
    assert own.status_code == 200
    assert "Norfolk Constabulary" in _text(own.text.split("<h1", 1)[0].rsplit("<span", 1)[1])
    assert "The region’s forces side by side" not in own.text  # not offered: refused
    client.post(
        "/sign-out",
        data={"csrf_token": re.findall(r'name="csrf_token" value="([^"]+)"', own.text)[0]},
    )
    sign_in(client, "supervisor@ersou", PASSWORD)
    region = client.get(f"/inspection?{PERIOD}")
    assert region.status_code == 200
    assert "The region's seven forces" in _text(region.text)
    assert "11 disruptions across the forces; Norfolk Constabulary recorded the most (8)." in (
        _text(region.text)
    )
