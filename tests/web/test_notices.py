"""Notice pages: the form and its error summary, publishing, refusals, the register, the
sharing dashboard; each as a user would meet them, over the web conftest's small world."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.notices.world import NOTICE_FIELDS, review_in
from tests.web.conftest import OFFICER, PARTNER, PASSWORD, Site, csrf_token, sign_in
from tests.web.prg import followed, refused, text_of
from threadline.accounts import actor_for, add_user
from threadline.model.security import system_actor
from threadline.notices import create_notice, publish_notice
from threadline.sharing import add_isa
from threadline.storage.db import session_scope
from threadline.storage.sharing_tables import DisseminationRow, ThreatNoticeRow
from threadline.storage.tables import OrganisationRow

ANALYST = "analyst@norfolk"
SUPERVISOR = "supervisor@norfolk"


@pytest.fixture
def notices_site(site: Site) -> Site:
    with session_scope(site.engine) as session:
        for username, roles, unit in (
            (ANALYST, ["analyst"], "norfolk-fib"),
            (SUPERVISOR, ["supervisor"], None),
        ):
            add_user(
                session,
                actor=system_actor("ersou", "test"),
                username=username,
                display_name=username.split("@")[0].title(),
                agency_code="norfolk",
                roles=roles,
                clearance="SECRET",
                unit=unit,
                password=PASSWORD,
            )
        add_isa(
            session,
            actor=system_actor(),
            ref="ISA-NFK-CADS-TN",
            title="Norfolk and CADS: threat notices",
            purpose="Warn children's services of threats to children in Norwich",
            legal_basis="Crime and Disorder Act 1998 s115",
            providers=["norfolk"],
            recipients=["norfolk-cads"],
            data_items=list(NOTICE_FIELDS),
            areas=["norwich"],
            cohorts=["under_18"],
            retention="One year",
            starts_on=date(2025, 1, 1),
            review_on=date(2099, 1, 1),
        )
    return site


def _form(client: TestClient, **fields: str) -> dict[str, str]:
    page = client.get("/notices/new")
    assert page.status_code == 200
    return {"csrf_token": csrf_token(page.text), **fields}


def _created_ref(location: str) -> str:
    found = re.match(r"/notices/(TN-NFK-\d{4}-\d{4})\?created=1", location)
    assert found, location
    return found.group(1)


def test_the_form_shows_every_problem_in_an_error_summary(
    client: TestClient, notices_site: Site
) -> None:
    sign_in(client, ANALYST)
    response = client.post(
        "/notices/new",
        data=_form(client, subject_id=str(notices_site.world.child), place="Riverside flats"),
    )
    html = followed(client, response, "/notices/new").text  # Post/Redirect/Get
    assert 'value="Riverside flats"' in html or ">Riverside flats</textarea>" in html
    with session_scope(notices_site.engine) as session:
        assert session.scalar(select(func.count()).select_from(ThreatNoticeRow)) == 0
    assert "There is a problem" in html and "<title>Error: Create a threat notice" in html
    for anchor in ("#title", "#threat", "#action", "#review_date", "#audiences"):
        assert f'href="{anchor}"' in html
    assert "Enter the date to review the notice by" in html
    assert 'id="title-error"' in html


def test_with_no_record_chosen_every_other_problem_is_said_too_in_the_forms_order(
    client: TestClient, notices_site: Site
) -> None:
    sign_in(client, ANALYST)
    data = _form(client, title="Cuckooing on the Heartsease estate", review_date="soon")
    html = refused(client, "/notices/new", data)  # no record, threat, action or audience
    summary = html.split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    anchors = re.findall(r'href="#([a-z_]+)"', summary)
    # Every missing or bad answer at once, top to bottom as the form asks them.
    assert anchors == ["subject_id", "threat", "action", "review_date", "grading", "audiences"]
    words = text_of(summary)
    assert "Find and choose the record the notice is about" in words
    assert "The review date must be a real date as YYYY-MM-DD (got “soon”)" in words
    assert "record it is about must" not in words  # the record is asked for once, in words
    assert "areas" not in words.lower()  # left empty, they are the record's: none yet
    assert 'value="Cuckooing on the Heartsease estate"' in html  # the answers are kept
    with session_scope(notices_site.engine) as session:
        assert session.scalar(select(func.count()).select_from(ThreatNoticeRow)) == 0


def test_an_analyst_drafts_checks_and_publishes_a_notice(
    client: TestClient, notices_site: Site
) -> None:
    sign_in(client, ANALYST)
    response = client.post(
        "/notices/new",
        data=_form(
            client,
            subject_id=str(notices_site.world.child),
            title="Child running for a county line",
            threat="A child is running cash for a county line.",
            action="Safeguard the child; tell CADS.",
            review_date=review_in().isoformat(),
            sanitised_id=notices_site.world.sanitised_p.ref,
            audience_areas="norwich",
            region="1",
            **{"partner-norfolk-cads": "1"},
        ),
    )
    assert response.status_code == 303, response.text
    ref = _created_ref(response.headers["location"])
    page = client.get(f"/notices/{ref}?created=1")
    assert "Before you publish" in page.text
    assert "under agreement ISA-NFK-CADS-TN" in page.text
    published = client.post(f"/notices/{ref}/publish", data={"csrf_token": csrf_token(page.text)})
    assert published.status_code == 303
    shown = client.get(published.headers["location"])
    assert "published to every audience" in shown.text and "Published" in shown.text
    register = client.get(f"/notices/{ref}/register")
    assert register.status_code == 200
    for told in ("Frontline of Norwich", "All police in the region", "Norfolk Children"):
        assert told in register.text


def test_a_refused_audience_is_named_and_nothing_is_sent(
    client: TestClient, notices_site: Site
) -> None:
    with session_scope(notices_site.engine) as session:
        view = create_notice(
            session,
            actor=actor_for(session, ANALYST),
            subject_id=notices_site.world.child,
            title="For housing",
            threat="t",
            action="a",
            review_date=review_in(),
            audiences=["agency:norwich-housing", "area:norwich"],
            sanitised_id=notices_site.world.sanitised_p.id,
        )
        ref = view.ref
    sign_in(client, ANALYST)
    page = client.get(f"/notices/{ref}")
    assert "Refused" in page.text and "norwich-housing" in page.text
    response = client.post(f"/notices/{ref}/publish", data={"csrf_token": csrf_token(page.text)})
    response = followed(client, response, f"/notices/{ref}")
    assert "There is a problem" in response.text and "nothing was sent" in response.text
    with session_scope(notices_site.engine) as session:
        assert session.scalar(select(ThreatNoticeRow.status)) == "draft"
        assert session.scalar(select(func.count()).select_from(DisseminationRow)) == 0


def test_partners_see_their_notices_but_never_the_register(
    client: TestClient, notices_site: Site
) -> None:
    sign_in(client, ANALYST)
    response = client.post(
        "/notices/new",
        data=_form(
            client,
            subject_id=str(notices_site.world.child),
            title="For CADS",
            threat="A threat to a child.",
            action="Act.",
            review_date=review_in().isoformat(),
            sanitised_id=notices_site.world.sanitised_p.ref,
            **{"partner-norfolk-cads": "1"},
        ),
    )
    ref = _created_ref(response.headers["location"])
    page = client.get(f"/notices/{ref}")
    client.post(f"/notices/{ref}/publish", data={"csrf_token": csrf_token(page.text)})
    client.cookies.clear()
    sign_in(client, PARTNER)
    listing = client.get("/notices")
    assert "For CADS" in listing.text
    detail = client.get(f"/notices/{ref}")
    assert detail.status_code == 200 and "ISA-NFK-CADS-TN" in detail.text
    assert "Contact" not in detail.text  # not among the agreement's fields
    acknowledged = client.post(
        f"/notices/{ref}/acknowledge", data={"csrf_token": csrf_token(detail.text)}
    )
    assert acknowledged.status_code == 303
    assert "Acknowledged" in client.get(acknowledged.headers["location"]).text
    assert client.get(f"/notices/{ref}/register").status_code == 403
    assert client.get("/sharing").status_code == 403
    client.cookies.clear()
    sign_in(client, ANALYST)
    register = client.get(f"/notices/{ref}/register").text
    assert "by partner@norfolk-cads (partner@norfolk-cads)" in register


def test_the_group_register_and_the_dashboard_for_a_supervisor(
    client: TestClient, notices_site: Site
) -> None:
    with session_scope(notices_site.engine) as session:
        group = session.scalar(
            select(OrganisationRow.entity_id).where(OrganisationRow.name == "Kestrel")
        )
        analyst = actor_for(session, ANALYST)
        view = create_notice(
            session,
            actor=analyst,
            subject_id=notices_site.member,
            title="Kestrel lieutenant storing drugs",
            threat="t",
            action="a",
            review_date=review_in(),
            areas=["norwich"],
            audiences=["region"],
            sanitised_id=notices_site.world.sanitised_c.id,
        )
        publish_notice(session, actor=analyst, ref=view.ref)
    sign_in(client, SUPERVISOR)
    # The group's profile leads a supervisor to its register; an officer's does not.
    assert f'href="/groups/{group}/register"' in client.get(f"/groups/{group}").text
    register = client.get(f"/groups/{group}/register")
    assert register.status_code == 200
    assert "Who knows about the group Kestrel and its members" in register.text
    assert "Kestrel lieutenant storing drugs" in register.text
    assert "All police in the region" in register.text
    sharing = client.get("/sharing")
    assert sharing.status_code == 200
    assert "How each figure is worked out" in sharing.text
    assert "Norfolk Constabulary" in sharing.text
    client.cookies.clear()
    sign_in(client, OFFICER)
    assert "/register" not in client.get(f"/groups/{group}").text
    assert client.get(f"/groups/{group}/register").status_code == 403
    assert client.get("/sharing").status_code == 403
