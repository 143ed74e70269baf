"""The sharing coverage page shows each partner's real reach (issue 14, item 6): of the
threats in its areas its agreements allow it to know about, how many it was told about,
with a drill-down naming the threats it was never told about, as far as the reader may
read them. On the world of tests/stats/test_reach.py, CADS was told of 2 of 4 threats
(Rook and DOVE); ROCCO was never told, nor SHADE, a SECRET line that a supervisor cleared
to OFFICIAL-SENSITIVE sees counted but not named."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from tests.notices.world import build_notice_world
from tests.stats.test_reach import _build
from tests.web.conftest import PASSWORD, sign_in
from threadline.accounts import add_user
from threadline.model.security import system_actor
from threadline.settings import Settings
from threadline.storage.db import session_factory, session_scope
from threadline.storage.tables import AuditEventRow
from threadline.web import create_app

SUPERVISOR = "supervisor@norfolk"


@pytest.fixture
def client(engine: Engine, settings: Settings) -> Iterator[TestClient]:
    with session_factory(engine)() as session:
        world = build_notice_world(session)
        _build(session, world)
        for username, roles in ((SUPERVISOR, ["supervisor"]), ("officer@norfolk", ["frontline"])):
            add_user(
                session,
                actor=system_actor("ersou", "test"),
                username=username,
                display_name=username.split("@")[0].title(),
                agency_code="norfolk",
                roles=roles,
                clearance="OFFICIAL-SENSITIVE",
                password=PASSWORD,
            )
        session.commit()
    app = create_app(settings, engine)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as test_client:
        yield test_client


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_sharing_page_shows_real_reach_and_what_a_partner_was_never_told(
    client: TestClient, engine: Engine
) -> None:
    sign_in(client, SUPERVISOR)
    page = client.get("/sharing")
    assert page.status_code == 200
    text = _text(page.text)
    assert "Real reach" in text
    row = re.search(r"Children's Advice and Duty Service[^%]*?2 4 50%", text) or re.search(
        r"CADS[^%]*?2 4 50%", text
    )
    assert row, text[text.index("Real reach") :][:800]
    assert 'href="/sharing/reach/norfolk-cads"' in page.text
    assert "2 threats" in text  # never told, the link's words

    drill = client.get("/sharing/reach/norfolk-cads")
    assert drill.status_code == 200
    shown = _text(drill.text)
    assert "was told about 2 of the 4 threats" in shown and "(50%)" in shown
    assert "ROCCO" in shown and "County line" in shown and "Norwich" in shown
    assert "Norfolk Constabulary" in shown
    assert "Rook" not in shown and "DOVE" not in shown  # told: not listed
    assert "SHADE" not in shown  # SECRET: counted, not named
    assert "1 threat you may not see was never told" in shown
    with session_scope(engine) as session:
        last = session.scalars(select(AuditEventRow).order_by(AuditEventRow.id.desc())).first()
        assert last is not None and last.event == "sharing.reach_viewed"

    assert client.get("/sharing/reach/nowhere").status_code == 404
    client.cookies.clear()
    sign_in(client, "officer@norfolk")
    assert client.get("/sharing/reach/norfolk-cads").status_code == 403
