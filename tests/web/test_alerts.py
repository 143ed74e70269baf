"""The alerts page and watching records, on a copy of the small demo region.

An officer of another force checks a runner; after one tick the LRO's /alerts shows the
alert first and unread, linking to the runner's profile; marking it read keeps it, read.
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
from threadline.storage.db import session_scope
from threadline.tripwires import WatchStatus
from threadline.web import create_app


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_template(tmp_path_factory.mktemp("alerts-demo"))


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
    with session_scope(region.engine) as session:
        check(session, actor=region.actor("officer@suffolk"), name=runner.name, dob=runner.dob)
    region.tick()
    return runner


def test_the_lro_sees_the_alert_unread_with_a_link_to_the_record(
    region: Region, web: TestClient
) -> None:
    runner = _alerted(region)
    sign_in(web, runner.lro, PASSWORD)
    page = web.get("/alerts")
    assert page.status_code == 200
    html = page.text
    assert "1</strong> unread of 1 alert" in html
    assert "An officer of Suffolk Constabulary" in html
    assert f'href="/people/{runner.entity_id}"' in html
    assert ">New</strong>" in html and "Mark all shown read" in html

    group = re.search(r'name="one" value="([^"]+)"', html)
    assert group is not None
    done = web.post("/alerts/read", data={"csrf_token": csrf_token(html), "one": group.group(1)})
    assert done.status_code == 303 and done.headers["location"].startswith("/alerts?done=1")
    after = web.get(done.headers["location"]).text
    assert "1 alert marked as read" in after
    assert ">New</strong>" not in after and "0</strong> unread of 1 alert" in after
    assert "An officer of Suffolk Constabulary" in after  # still listed, read
    acknowledged = region.scalar(
        "SELECT count(*) FROM dissemination WHERE item_kind = 'alert' "
        "AND acknowledged_at IS NOT NULL"
    )
    assert acknowledged == 1


def test_someone_else_cannot_mark_an_alert_read(region: Region, web: TestClient) -> None:
    _alerted(region)
    alert_id = region.scalar("SELECT min(id) FROM alert")
    sign_in(web, "officer@suffolk", PASSWORD)
    html = web.get("/alerts").text
    assert "You have no alerts." in html
    refused = web.post(
        "/alerts/read", data={"csrf_token": csrf_token(html), "alert_id": str(alert_id)}
    )
    assert refused.status_code == 404
    assert region.scalar("SELECT read_at FROM alert WHERE id = :a", a=alert_id) is None


def test_mark_all_read_needs_the_form_token(region: Region, web: TestClient) -> None:
    runner = _alerted(region)
    sign_in(web, runner.lro, PASSWORD)
    assert web.post("/alerts/read", data={"all": "1"}).status_code == 403
    html = web.get("/alerts").text
    done = web.post("/alerts/read", data={"csrf_token": csrf_token(html), "all": "1"})
    assert done.headers["location"] == "/alerts?done=all"
    assert region.scalar("SELECT count(*) FROM alert WHERE read_at IS NULL") == 0


def test_watch_and_stop_watching_from_a_profile_page(region: Region, web: TestClient) -> None:
    runner = watched_runner(region, not_force="suffolk")
    sign_in(web, "officer@suffolk", PASSWORD)
    token = csrf_token(web.get("/watches").text)
    started = web.post(
        "/watches",
        data={
            "csrf_token": token,
            "entity_id": str(runner.entity_id),
            "next": f"/people/{runner.entity_id}",
        },
    )
    assert started.status_code == 303
    assert started.headers["location"] == f"/people/{runner.entity_id}?watch=watching"
    listed = web.get("/watches").text
    assert f'href="/people/{runner.entity_id}"' in listed and "you asked to watch it" in listed

    # A `next` off the site is not followed.
    stopped = web.post(
        "/watches/end",
        data={"csrf_token": token, "entity_id": str(runner.entity_id), "next": "//evil.test/"},
    )
    assert stopped.headers["location"] == "/watches?watch=stopped"
    after = web.get("/watches?watch=stopped").text
    assert "You have stopped watching this record" in after
    assert "You do not watch any records" in after


def test_the_lro_sees_automatic_watches_without_a_stop_button(
    region: Region, web: TestClient
) -> None:
    runner = watched_runner(region, not_force="suffolk")
    sign_in(web, runner.lro, PASSWORD)
    html = web.get("/watches").text
    assert "runner for the" in html and ">Automatic</strong>" in html
    assert "Stop watching" not in html


def test_the_watch_partial_offers_the_right_button(web: TestClient) -> None:
    template = web.app.state.templates.get_template("alerts/_watch.html")  # type: ignore[attr-defined]
    off = template.render(
        watch=WatchStatus(7, False, False, None), watch_next="/people/7", csrf_token="t"
    )
    assert 'action="/watches"' in off and "Watch this record" in off
    assert 'name="next" value="/people/7"' in off
    manual = template.render(
        watch=WatchStatus(7, True, False, "stopped in Ipswich"),
        watch_next="/people/7",
        csrf_token="t",
    )
    assert 'action="/watches/end"' in manual and "stopped in Ipswich" in manual
    automatic = template.render(
        watch=WatchStatus(7, True, True, "runner for the X line"), watch_next="", csrf_token="t"
    )
    assert "<form" not in automatic and "while you do" in automatic


def test_alerts_need_sign_in(web: TestClient) -> None:
    response = web.get("/alerts")
    assert response.status_code in (302, 303, 307)
    assert "/sign-in" in response.headers["location"]
