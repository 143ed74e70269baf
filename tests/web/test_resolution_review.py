"""Resolution review pages: an analyst sees the uncertain pairs, compares one and decides.

The small resolution region (tests/resolve/region.py) is added to the web world; the
queue's floor is lowered so that its two John Smiths (about a one in four chance of
being one man) are a pair to review, as in tests/resolve/test_review.py.
"""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from tests.resolve.region import Region, build_region
from tests.web.conftest import (
    ADMIN,
    OFFICER,
    REGIONAL_ANALYST,
    Site,
    add_regional_analyst,
    csrf_token,
    sign_in,
)
from tests.web.prg import refused
from threadline.resolve import queue, review, run_resolution
from threadline.resolve.load import load_records
from threadline.resolve.records import to_table
from threadline.storage.db import session_scope
from threadline.storage.resolution import latest_model

ANALYST = REGIONAL_ANALYST


@pytest.fixture
def queued(site: Site, monkeypatch: pytest.MonkeyPatch) -> Region:
    """The region resolved, its uncertain pairs queued, and a regional analyst to review."""
    monkeypatch.setattr(queue, "REVIEW_FLOOR", 0.2)
    region = build_region(site.engine)
    with session_scope(site.engine) as session:
        add_regional_analyst(session)
        summary = run_resolution(session, actor=ADMIN)
        stored = latest_model(session)
        assert stored is not None
        review.review_after_run(
            session,
            table=to_table(load_records(session)),
            model=json.loads(stored.parameters),
            model_version=summary.model_version,
        )
    return region


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _smiths(region: Region) -> str:
    first, second = sorted(region.smiths)
    return f"{first}-{second}"


def test_the_queue_lists_pairs_for_an_analyst(client: TestClient, queued: Region) -> None:
    sign_in(client, ANALYST)
    page = client.get("/resolution/review")
    assert page.status_code == 200
    text = _text(page.text)
    assert "John Smith" in text and "Kent Police, born 15 September 1972" in text
    assert 'href="/resolution/review" aria-current="page"' in page.text  # in the navigation
    assert f'href="/resolution/review/{_smiths(queued)}"' in page.text
    assert "kent" not in re.findall(r">([^<]+)<", page.text)  # force names, not codes


def test_a_frontline_officer_is_not_offered_or_shown_the_queue(
    client: TestClient, queued: Region
) -> None:
    sign_in(client, OFFICER)
    assert "/resolution/review" not in client.get("/check").text
    assert client.get("/resolution/review").status_code == 403


def test_a_decision_without_a_reason_shows_the_error_summary(
    client: TestClient, queued: Region
) -> None:
    sign_in(client, ANALYST)
    path = f"/resolution/review/{_smiths(queued)}"
    page = client.get(path)
    assert "How the records compare" in page.text and "Running total" in page.text
    answer = refused(client, path, {"csrf_token": csrf_token(page.text), "decision": "same"})
    assert "govuk-error-summary" in answer
    assert "Enter the reason for your decision" in _text(answer)
    assert 'value="same" checked' in answer
    assert "Decided" not in _text(answer)  # nothing was decided


def test_a_decision_redirects_to_the_pair_and_is_shown(client: TestClient, queued: Region) -> None:
    sign_in(client, ANALYST)
    path = f"/resolution/review/{_smiths(queued)}"
    token = csrf_token(client.get(path).text)
    answer = client.post(
        path,
        data={"csrf_token": token, "decision": "different", "reason": "Born 13 years apart"},
    )
    assert answer.status_code == 303 and answer.headers["location"] == f"{path}?done=1"
    shown = _text(client.get(answer.headers["location"]).text)
    assert "Decision saved: different people" in shown
    assert "Decided different people by analyst@ersou on" in shown
    assert "Born 13 years apart" in shown
    # The pair has left the queue.
    assert "John Smith" not in _text(client.get("/resolution/review").text)


def test_a_pair_scored_as_one_person_but_kept_apart_says_why(
    client: TestClient, site: Site, queued: Region
) -> None:
    """Clustering leaves a strong link unjoined when joining it would make one person of
    two records that conflict; the queue shows it as two people and says why."""
    first, second = sorted(queued.smiths)
    with session_scope(site.engine) as session:
        stored = latest_model(session)
        assert stored is not None
        queue.review_after_run(session, model_version=stored.version, pairs=[(first, second, 0.97)])
    sign_in(client, ANALYST)
    text = _text(client.get("/resolution/review").text)
    assert "97% Two people Kept apart: another record of one of them conflicts" in text
