"""Issue #14 item 11: "Create a notice" from a record's page, and finding the record the
notice is about by name or operation, without JavaScript and without typing ids."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.notices.world import review_in
from tests.web import test_notices
from tests.web.conftest import OFFICER, Site, csrf_token, sign_in
from tests.web.prg import followed, refused
from threadline.storage.db import session_scope
from threadline.storage.tables import AuditEventRow, OrganisationRow

ANALYST = test_notices.ANALYST
notices_site = test_notices.notices_site  # the fixture: an analyst and a notices agreement


def _kestrel(site: Site) -> int:
    with session_scope(site.engine) as session:
        found = session.scalar(
            select(OrganisationRow.entity_id).where(OrganisationRow.name == "Kestrel")
        )
        assert found is not None
        return found


def test_a_profile_offers_a_notice_about_its_record(client: TestClient, notices_site: Site) -> None:
    sign_in(client, ANALYST)
    page = client.get(f"/people/{notices_site.member}").text
    href = page.split("Create a threat notice about this record")[0].rsplit('href="', 1)[1]
    query = parse_qs(urlparse(href.split('"')[0].replace("&amp;", "&")).query)
    assert query["subject"] == [str(notices_site.member)]
    form = client.get(
        "/notices/new", params={"subject": query["subject"][0], "about": query["about"][0]}
    )
    assert "BLACK, Ray" in form.text and "Choose another record" in form.text
    group = client.get(f"/groups/{_kestrel(notices_site)}").text
    assert "Create a threat notice about this group" in group


def test_an_officer_who_writes_no_notices_is_not_offered_one(
    client: TestClient, notices_site: Site
) -> None:
    sign_in(client, OFFICER)
    assert "Create a threat notice" not in client.get(f"/people/{notices_site.member}").text


def test_the_record_is_found_by_name_and_the_draft_saved(
    client: TestClient, notices_site: Site
) -> None:
    sign_in(client, ANALYST)
    found = client.get("/notices/new", params={"find": "kestrel"})
    assert found.status_code == 200
    assert ">Kestrel</a> – Crime group" in found.text
    people = client.get("/notices/new", params={"find": "Ray Black"}).text
    assert ">BLACK, Ray" in people and "– Person" in people
    pick = found.text.split(">Kestrel</a>")[0].rsplit('href="', 1)[1].rstrip('"')
    pick = pick.replace("&amp;", "&")
    form = client.get(pick)
    assert "<strong>Kestrel</strong>" in form.text
    saved = client.post(
        "/notices/new",
        data={
            "csrf_token": csrf_token(form.text),
            "subject_id": str(_kestrel(notices_site)),
            "about": "Kestrel",
            "title": "Kestrel dealing in Norwich",
            "threat": "The group deals drugs in the city centre.",
            "action": "Report sightings to the LRO.",
            "review_date": review_in().isoformat(),
            "source_eval": "2",
            "intel_eval": "B",
            "handling": "P",
            "region": "1",
            "audience-area-norwich": "1",  # ticked, not typed
        },
    )
    assert saved.status_code == 303, saved.text
    draft = client.get(saved.headers["location"]).text
    assert "Frontline of Norwich" in draft


def test_no_record_chosen_points_to_the_finder(client: TestClient, notices_site: Site) -> None:
    sign_in(client, ANALYST)
    page = client.get("/notices/new")
    reply = client.post("/notices/new", data={"csrf_token": csrf_token(page.text), "title": "x"})
    reply = followed(client, reply, "/notices/new")
    assert 'value="x"' in reply.text  # the answers are kept
    assert 'href="#subject_id">Find and choose the record the notice is about</a>' in reply.text
    assert 'id="subject_id" name="find"' in reply.text
    # Areas and partners are ticked by name: no codes to type.
    assert '<label class="govuk-label govuk-checkboxes__label" for="audience_areas">' in reply.text
    assert 'name="audience-area-norwich"' in reply.text and ">Norwich</label>" in reply.text


def test_a_draft_is_changed_before_publishing_and_a_published_one_is_not(
    client: TestClient, notices_site: Site
) -> None:
    sign_in(client, ANALYST)
    form = client.get("/notices/new", params={"subject": str(notices_site.world.child)})
    saved = client.post(
        "/notices/new",
        data={
            "csrf_token": csrf_token(form.text),
            "subject_id": str(notices_site.world.child),
            "title": "Child at risk",
            "threat": "A child is running cash for a county line.",
            "action": "Safeguard the child.",
            "review_date": review_in().isoformat(),
            "sanitised_id": notices_site.world.sanitised_p.ref,
            "region": "1",
        },
    )
    assert saved.status_code == 303, saved.text
    detail = client.get(saved.headers["location"]).text
    ref = saved.headers["location"].split("/")[2].split("?")[0]
    assert f'href="/notices/{ref}/edit">Change this draft</a>' in detail
    edit = client.get(f"/notices/{ref}/edit")
    assert edit.status_code == 200
    assert 'value="Child at risk"' in edit.text and "Save changes" in edit.text
    # A refused change comes back on the edit form's GET with what was entered; the draft
    # is as it was.
    wrong = refused(
        client,
        f"/notices/{ref}/edit",
        {"csrf_token": csrf_token(edit.text), "title": "Child at risk today", "threat": "",
         "action": "Safeguard the child.", "review_date": "soon", "region": "1",
         "audience-area-norwich": "1"},
    )  # fmt: skip
    assert 'value="Child at risk today"' in wrong and 'href="#review_date"' in wrong
    assert 'name="audience-area-norwich" type="checkbox" value="1" checked' in wrong
    assert "Child at risk today" not in client.get(f"/notices/{ref}").text
    changed = client.post(
        f"/notices/{ref}/edit",
        data={
            "csrf_token": csrf_token(edit.text),
            "title": "Child running for a county line",
            "threat": "A child is running cash for a county line.",
            "action": "Safeguard the child; tell CADS.",
            "review_date": review_in().isoformat(),
            "audience-area-norwich": "1",
        },
    )
    assert changed.status_code == 303, changed.text
    shown = client.get(changed.headers["location"]).text
    assert "Child running for a county line" in shown and "Frontline of Norwich" in shown
    assert "All police in the region" not in shown.split("Before you publish")[1]
    with session_scope(notices_site.engine) as session:
        event = session.scalars(
            select(AuditEventRow).where(AuditEventRow.event == "threat_notice.edited")
        ).one()
        assert "title" in event.details and "audiences" in event.details
    publish = client.post(f"/notices/{ref}/publish", data={"csrf_token": csrf_token(shown)})
    assert publish.status_code == 303
    assert client.get(f"/notices/{ref}/edit").status_code == 409
