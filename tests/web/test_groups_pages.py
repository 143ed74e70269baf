"""Crime group pages: the index and its filters, a group's overview, profile edits, archive."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.ocg.helpers import Groups, add_group, make_groups
from tests.web.conftest import ADMIN, OFFICER, PARTNER, PASSWORD, Site, csrf_token, sign_in
from tests.web.prg import refused
from threadline.accounts import add_user
from threadline.policy import today
from threadline.storage.db import session_scope
from threadline.storage.tables import AuditEventRow

ANALYST = "analyst@norfolk"
SUPERVISOR = "supervisor@norfolk"


@pytest.fixture
def groups(site: Site) -> Groups:
    with session_scope(site.engine) as session:
        made = make_groups(session, today=today())
        for username, role in ((ANALYST, "analyst"), (SUPERVISOR, "supervisor")):
            add_user(
                session, actor=ADMIN, username=username, display_name=f"Norfolk {role}",
                agency_code="norfolk", roles=[role], clearance="SECRET", password=PASSWORD,
            )  # fmt: skip
    return made


def _main(page: str) -> str:
    found = re.search(r"<main.*?</main>", page, re.S)
    assert found
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", found.group(0))))


def test_the_index_lists_and_filters_groups_in_words(client: TestClient, groups: Groups) -> None:
    sign_in(client, ANALYST)
    page = client.get("/groups")
    assert page.status_code == 200
    assert '<a class="govuk-service-navigation__link" href="/groups"' in page.text or (
        'href="/groups"' in page.text
    )
    text = _main(page.text)
    assert "4 groups" in text  # and the site's own "Kestrel", unscored
    assert text.index("Kestrel Crew") < text.index("Hidden Crew") < text.index("Heron Family")
    assert "Band A (highest harm)" in text and "Priority 1 (high)" in text
    assert "Actions late" in text and "No plan" in text and "Norfolk Constabulary" in text
    filtered = _main(client.get("/groups", params={"area": "great-yarmouth"}).text)
    # The site's "Kestrel" has no known address: it concerns all of Norfolk (policy's facts).
    assert "2 groups" in filtered and "Heron Family" in filtered
    assert "Kestrel Crew" not in filtered
    assert "Filtered by: Great Yarmouth" in filtered  # the filter in use, named
    by_band = _main(client.get("/groups", params={"band": "A", "q": "crew"}).text)
    assert "Kestrel Crew" in by_band and "Hidden Crew" not in by_band


def test_the_overview_shows_the_profile_members_and_lines(
    client: TestClient, groups: Groups
) -> None:
    sign_in(client, ANALYST)
    page = client.get(f"/groups/{groups.kestrel}")
    assert page.status_code == 200
    text = _main(page.text)
    assert "Operation Kestrel" in text and "Norwich" in text
    assert "Heroin, Crack cocaine" in text and "County lines, Drug supply" in text
    assert "Members (3)" in text and "Principals" in text
    assert 'href="/people/' in page.text
    assert 'aria-current="page">Overview' in page.text  # the group's tabs
    assert "Edit profile" in text
    assert "Archive this group" not in text  # supervisors archive


def _events(site: Site, name: str) -> list[AuditEventRow]:
    with session_scope(site.engine) as session:
        rows = list(session.scalars(select(AuditEventRow).where(AuditEventRow.event == name)))
        session.expunge_all()
        return rows


def test_editing_the_profile_posts_then_redirects_and_shows_the_change(
    client: TestClient, site: Site, groups: Groups
) -> None:
    sign_in(client, ANALYST)
    page = client.get(f"/groups/{groups.heron}")
    long_name = "Operation " + "H" * 100
    wrong = refused(
        client,
        f"/groups/{groups.heron}/profile",
        {"csrf_token": csrf_token(page.text), "operation_name": long_name,
         "commodities-cocaine": "yes"},
        back_to=f"/groups/{groups.heron}",
    )  # fmt: skip
    assert 'id="edit-profile" open' in wrong and f'value="{long_name}"' in wrong
    assert 'name="commodities-cocaine" type="checkbox" value="yes" checked' in wrong
    assert 'name="commodities-cannabis" type="checkbox" value="yes" checked' not in wrong
    assert len(_events(site, "ocg.profile_updated")) == 0  # nothing was changed
    answer = client.post(
        f"/groups/{groups.heron}/profile",
        data={
            "csrf_token": csrf_token(page.text),
            "operation_name": "Operation Heron",
            "commodities-cannabis": "yes",
            "commodities-cocaine": "yes",
            "crime_types-drug_supply": "yes",
            "counter_measures-burner_phones": "yes",
        },
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/groups/{groups.heron}?done=updated"
    shown = _main(client.get(answer.headers["location"]).text)
    assert "The group's profile has been updated" in shown
    assert "Operation Heron" in shown and "Cocaine" in shown and "Burner phones" in shown
    assert len(_events(site, "ocg.profile_updated")) == 1
    # Searching by the new operation name finds it.
    assert "Heron Family" in _main(client.get("/groups", params={"q": "operation heron"}).text)


def test_a_supervisor_archives_a_group_with_a_reason(
    client: TestClient, site: Site, groups: Groups
) -> None:
    sign_in(client, SUPERVISOR)
    page = client.get(f"/groups/{groups.heron}")
    assert "Archive this group" in page.text
    token = csrf_token(page.text)
    short = refused(
        client,
        f"/groups/{groups.heron}/archive",
        {"csrf_token": token, "reason": "gone"},
        back_to=f"/groups/{groups.heron}",
    )
    assert 'id="archive-group" open' in short and ">gone</textarea>" in short
    assert len(_events(site, "ocg.archived")) == 0
    answer = client.post(
        f"/groups/{groups.heron}/archive",
        data={"csrf_token": token, "reason": "Principal convicted; the group has dispersed"},
    )
    assert answer.status_code == 303
    shown = _main(client.get(answer.headers["location"]).text)
    assert "Archived" in shown and "Principal convicted; the group has dispersed" in shown
    assert "Heron Family" not in _main(client.get("/groups").text)
    assert "Heron Family" in _main(client.get("/groups", params={"status": "archived"}).text)
    assert len(_events(site, "ocg.archived")) == 1


def test_an_analyst_may_not_archive_and_a_partner_sees_no_crime_groups(
    client: TestClient, groups: Groups
) -> None:
    sign_in(client, ANALYST)
    page = client.get(f"/groups/{groups.heron}")
    refused = client.post(
        f"/groups/{groups.heron}/archive",
        data={"csrf_token": csrf_token(page.text), "reason": "Not my call but trying anyway"},
    )
    assert refused.status_code == 403
    client.cookies.clear()
    sign_in(client, PARTNER)
    listing = client.get("/groups")
    assert "No groups found" in _main(listing.text)
    assert 'href="/groups"' not in listing.text  # not offered in the navigation
    assert client.get(f"/groups/{groups.kestrel}").status_code == 404


def test_a_frontline_officer_of_another_force_sees_the_overview_but_no_forms(
    client: TestClient, site: Site, groups: Groups
) -> None:
    sign_in(client, OFFICER)  # Suffolk, OFFICIAL-SENSITIVE
    page = client.get(f"/groups/{groups.kestrel}")
    assert page.status_code == 200
    assert "Edit profile" not in page.text and "Archive this group" not in page.text
    with session_scope(site.engine) as session:
        secret = add_group(session, name="Secret Crew", marking="SECRET")
    assert client.get(f"/groups/{secret}").status_code == 403
