"""The alerts page groups, filters, pages and marks read in bulk, on a copy of the small
demo region: three checks of one watched runner and a visit to its safeguarding page
show as two groups, not four rows; ticking a group and "Mark selected read" marks its
alerts read (audited) and comes back to the same filters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.tripwires.region import PASSWORD, Region, Watched, build_template, watched_runner
from tests.web.conftest import csrf_token, sign_in
from threadline.check import check
from threadline.safeguarding.subjects import get_subject
from threadline.storage.db import session_scope
from threadline.web import create_app


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_template(tmp_path_factory.mktemp("alert-triage-demo"))


@pytest.fixture
def region(demo_template: Path, tmp_path: Path) -> Iterator[Region]:
    found = Region.copy_of(demo_template, tmp_path)
    found.tick()
    yield found
    found.engine.dispose()


@pytest.fixture
def web(region: Region) -> Iterator[TestClient]:
    app = create_app(region.settings(), region.engine)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        yield client


def _alerted(region: Region) -> Watched:
    runner = watched_runner(region, not_force="suffolk")
    officer = region.actor("officer@suffolk")
    for _ in range(3):
        with session_scope(region.engine) as session:
            check(session, actor=officer, name=runner.name, dob=runner.dob)
    with session_scope(region.engine) as session:
        get_subject(session, actor=region.actor("analyst@suffolk"), person_id=runner.entity_id)
    region.tick()
    return runner


def test_alerts_are_grouped_filtered_and_paged(region: Region, web: TestClient) -> None:
    runner = _alerted(region)
    sign_in(web, runner.lro, PASSWORD)
    html = web.get("/alerts").text
    assert "4</strong> unread of 4 alerts" in html and "in 2 groups" in html
    assert html.count('class="govuk-summary-card tl-alert') == 2
    assert ": 3 checks, newest " in html and "Daily summary for " in html
    assert "Show all 3 alerts" in html  # the details component, open without JavaScript
    assert "Audit event" not in html and "T0" not in re.sub(r'datetime="[^"]*"', "", html)

    only = web.get("/alerts?kind=check").text
    assert only.count('class="govuk-summary-card tl-alert') == 1
    assert "3 alerts matching the filters" in only and "Daily summary" not in only
    paged = web.get("/alerts?state=unread&page=2&kind=").text
    assert "page 2" not in paged  # one page only: clamped, no pagination
    assert 'aria-label="Pagination"' not in paged


def test_mark_selected_read_is_audited_and_keeps_the_filters(
    region: Region, web: TestClient
) -> None:
    runner = _alerted(region)
    sign_in(web, runner.lro, PASSWORD)
    html = web.get("/alerts?state=unread").text
    key = f"r-{runner.entity_id}-check"
    assert f'name="groups" type="checkbox" value="{key}"' in html
    token = csrf_token(html)
    assert web.post("/alerts/read", data={"action": "selected", "groups": key}).status_code == 403
    done = web.post(
        "/alerts/read",
        data={"csrf_token": token, "action": "selected", "groups": key, "state": "unread"},
    )
    assert done.status_code == 303
    assert done.headers["location"] == "/alerts?state=unread&done=3"
    after = web.get(done.headers["location"]).text
    assert "3 alerts marked as read" in after
    assert "1</strong> unread of 1 alert" in after and ": 3 checks" not in after
    assert region.scalar("SELECT count(*) FROM alert WHERE read_at IS NOT NULL") == 3
    assert region.scalar("SELECT count(*) FROM audit_event WHERE event = 'alert.read'") == 1

    nothing = web.post("/alerts/read", data={"csrf_token": token, "action": "selected"})
    assert nothing.status_code == 422

    shown = re.findall(r'name="shown" value="([^"]+)"', after)
    done = web.post(
        "/alerts/read",
        data={"csrf_token": token, "action": "shown", "shown": shown},
    )
    assert done.headers["location"] == "/alerts?done=1"
    assert region.scalar("SELECT count(*) FROM alert WHERE read_at IS NULL") == 0


def test_a_made_up_group_is_refused_with_what_was_received(region: Region, web: TestClient) -> None:
    runner = _alerted(region)
    sign_in(web, runner.lro, PASSWORD)
    token = csrf_token(web.get("/alerts").text)
    refused = web.post("/alerts/read", data={"csrf_token": token, "one": "DROP TABLE"})
    assert refused.status_code == 422 and "DROP TABLE" in refused.text
    assert region.scalar("SELECT count(*) FROM alert WHERE read_at IS NOT NULL") == 0
