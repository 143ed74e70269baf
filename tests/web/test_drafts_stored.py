"""Refused forms' answers wait in the database (`form_draft`), not in a process's memory:
stored under a key that is not the session's secret, taken once, gone after ten minutes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from tests.web.conftest import PARTNER, Site, csrf_token, sign_in
from threadline.clock import utcnow
from threadline.settings import Settings
from threadline.storage.db import session_scope
from threadline.storage.form_drafts import FormDraftRow, keep_draft
from threadline.web import create_app, drafts


@pytest.fixture
def partner(site: Site, settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings, site.engine)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        sign_in(client, PARTNER)
        yield client


def stored(engine: Engine) -> list[FormDraftRow]:
    with session_scope(engine) as session:
        return list(session.scalars(select(FormDraftRow)))


def refuse(client: TestClient, path: str) -> str:
    token = csrf_token(client.get(path).text)
    reply = client.post(path, data={"csrf_token": token, "text": " ", "case_ref": "CADS-9"})
    assert reply.status_code == 303
    return token


def test_a_refused_form_is_kept_in_the_database_and_taken_once(
    site: Site, partner: TestClient
) -> None:
    path = f"/people/{site.world.child}/concern"
    token = refuse(partner, path)
    (row,) = stored(site.engine)
    assert token not in row.key and token not in row.body  # not the session's secret
    assert "CADS-9" in row.body
    assert 'value="CADS-9"' in partner.get(path).text
    assert stored(site.engine) == []  # taken: deleted
    assert 'value="CADS-9"' not in partner.get(path).text


def test_a_draft_not_shown_within_keep_seconds_is_gone(
    site: Site, partner: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = f"/people/{site.world.child}/concern"
    refuse(partner, path)
    later = utcnow() + timedelta(seconds=drafts.KEEP_SECONDS + 1)
    monkeypatch.setattr(drafts, "utcnow", lambda: later)
    assert 'value="CADS-9"' not in partner.get(path).text
    assert len(stored(site.engine)) == 1  # expired, not yet purged
    with session_scope(site.engine) as session:  # any other keep purges the expired
        keep_draft(session, key="another", body="{}", now=later, keep=timedelta(minutes=10))
    assert [row.key for row in stored(site.engine)] == ["another"]
