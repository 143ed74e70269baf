"""Briefing and digest pages: read on a phone, acknowledged with a CSRF-checked form."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.briefings.region import PASSWORD, PROBATION, Region, region_copy
from tests.web.conftest import csrf_token, sign_in
from threadline.schedule import tick
from threadline.settings import Settings
from threadline.storage.db import session_scope
from threadline.storage.sharing_tables import BriefingRow, DigestRow
from threadline.storage.tables import AgencyRow, AreaRow

SECRET = "briefing-web-tests-secret-key-long-enough-for-hmac"


@pytest.fixture
def region(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Region]:
    template = tmp_path_factory.getbasetemp() / "briefing-region-template"
    template.mkdir(exist_ok=True)
    found = region_copy(tmp_path, template)
    tick(found.engine, settings=Settings(secret_key=SECRET))
    yield found
    found.engine.dispose()


@pytest.fixture
def web(region: Region) -> Iterator[TestClient]:
    from threadline.web import create_app

    app = create_app(Settings(secret_key=SECRET), region.engine)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        yield client


def _norwich(region: Region) -> int:
    with session_scope(region.engine) as session:
        found = session.scalar(
            select(BriefingRow.id)
            .join(AreaRow, AreaRow.id == BriefingRow.area_id)
            .where(AreaRow.code == "norwich")
        )
    assert found is not None
    return found


def _digest(region: Region, code: str) -> int:
    with session_scope(region.engine) as session:
        found = session.scalar(
            select(DigestRow.id)
            .join(AgencyRow, AgencyRow.id == DigestRow.agency_id)
            .where(AgencyRow.code == code)
        )
    assert found is not None
    return found


def test_an_officer_lists_and_reads_the_briefing_and_says_so(
    region: Region, web: TestClient
) -> None:
    sign_in(web, "officer@norfolk", PASSWORD)
    listing = web.get("/briefings")
    assert listing.status_code == 200
    assert "Norwich" in listing.text and "Current shift" in listing.text
    briefing = _norwich(region)
    page = web.get(f"/briefings/{briefing}")
    assert page.status_code == 200
    text = page.text
    assert f"{region.group_name}: active OCG threat" in text
    assert "Grading 1BP" in text and "Handling code C" in text
    assert "Conditions: Not to be shared outside the police" in text
    assert "govuk-summary-card" in text and "Withdrawn: old threat" not in text
    refused = web.post(f"/briefings/{briefing}/acknowledge", data={"csrf_token": "forged"})
    assert refused.status_code == 403
    done = web.post(f"/briefings/{briefing}/acknowledge", data={"csrf_token": csrf_token(text)})
    assert done.status_code == 303
    after = web.get(done.headers["location"])
    assert "You have read this briefing" in after.text
    assert "I have read this briefing" not in after.text


def test_an_official_officer_does_not_see_the_sensitive_notice(
    region: Region, web: TestClient
) -> None:
    sign_in(web, "constable@norfolk", PASSWORD)
    page = web.get(f"/briefings/{_norwich(region)}")
    assert page.status_code == 200
    assert "Firearm believed held" not in page.text
    assert "not shown to you" in page.text


def test_a_supervisor_sees_who_has_not_read_it(region: Region, web: TestClient) -> None:
    sign_in(web, "supervisor@norfolk", PASSWORD)
    page = web.get(f"/briefings/{_norwich(region)}")
    assert page.status_code == 200
    assert "Who has not read it" in page.text
    assert "constable@norfolk" in page.text and "officer@norfolk" in page.text
    assert "2 of 2 frontline officers of Norwich have not read it yet" in page.text


def test_the_pdf_downloads(region: Region, web: TestClient) -> None:
    sign_in(web, "officer@norfolk", PASSWORD)
    response = web.get(f"/briefings/{_norwich(region)}.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "briefing-norwich-" in response.headers["content-disposition"]


def test_partners_get_digests_not_briefings(region: Region, web: TestClient) -> None:
    sign_in(web, f"partner@{PROBATION}", PASSWORD)
    assert web.get(f"/briefings/{_norwich(region)}").status_code == 403
    listing = web.get("/digests")
    assert listing.status_code == 200
    digest = _digest(region, PROBATION)
    assert f"/digests/{digest}" in listing.text
    page = web.get(f"/digests/{digest}")
    assert page.status_code == 200
    assert f"{region.group_name}: active OCG threat" in page.text
    assert "ISA-NOR-NOTICES" in page.text
    assert "bus station" not in page.text  # `place` is not among the agreed fields
    done = web.post(f"/digests/{digest}/acknowledge", data={"csrf_token": csrf_token(page.text)})
    assert done.status_code == 303
    assert "Receipt of this digest is recorded" in web.get(done.headers["location"]).text
    assert web.get(f"/digests/{_digest(region, 'norfolk-cads')}").status_code == 404


def test_unknown_briefing_is_not_found(web: TestClient) -> None:
    sign_in(web, "officer@norfolk", PASSWORD)
    assert web.get("/briefings/999999").status_code == 404
