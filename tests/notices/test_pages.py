"""Routine sharing pages decided by policy, as a user meets them over the web.

A code C notice restricted on the form is refused to a partner (and nothing is sent), a
partner asking for another organisation's digest is answered exactly as for a digest
that does not exist, and a frontline officer cannot open the register.
"""

from __future__ import annotations

import re
from datetime import datetime

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.notices.world import review_in
from tests.web.conftest import OFFICER, PARTNER, Site, csrf_token, sign_in
from tests.web.test_notices import ANALYST
from threadline.accounts import actor_for
from threadline.notices import create_notice, publish_notice
from threadline.storage.db import session_scope
from threadline.storage.sharing_tables import DigestRow, DisseminationRow, ThreatNoticeRow
from threadline.storage.tables import AgencyRow


def _draft_on_the_form(client: TestClient, site: Site, **fields: str) -> str:
    page = client.get("/notices/new")
    assert page.status_code == 200
    response = client.post(
        "/notices/new",
        data={
            "csrf_token": csrf_token(page.text),
            "subject_id": str(site.world.child),
            "title": "Child running for a county line",
            "threat": "A child is running cash for a county line.",
            "action": "Safeguard the child.",
            "review_date": review_in().isoformat(),
            **fields,
        },
    )
    assert response.status_code == 303, response.text
    found = re.match(r"/notices/(TN-NFK-\d{4}-\d{4})\?created=1", response.headers["location"])
    assert found
    return found.group(1)


def test_a_code_c_notice_restricted_on_the_form_is_not_published_to_a_partner(
    client: TestClient, notices_site: Site
) -> None:
    sign_in(client, ANALYST)
    assert "restricted_to" in client.get("/notices/new").text
    ref = _draft_on_the_form(
        client,
        notices_site,
        source_eval="1",
        intel_eval="B",
        handling="C",
        conditions="Police use only: do not pass to partners.",
        restricted_to="police",
        audience_areas="norwich",
        **{"partner-norfolk-cads": "1"},
    )
    page = client.get(f"/notices/{ref}")
    assert "Restricted to" in page.text
    assert "Refused" in page.text and "restrict" in page.text
    response = client.post(f"/notices/{ref}/publish", data={"csrf_token": csrf_token(page.text)})
    # Refused: back to the notice's page (Post/Redirect/Get), which says why.
    assert response.status_code == 303, response.text
    shown = client.get(response.headers["location"])
    assert shown.status_code == 200 and "nothing was sent" in shown.text
    with session_scope(notices_site.engine) as session:
        assert session.scalar(select(ThreatNoticeRow.status)) == "draft"
        assert session.scalar(select(func.count()).select_from(DisseminationRow)) == 0
    client.cookies.clear()
    sign_in(client, PARTNER)
    assert client.get(f"/notices/{ref}").status_code == 404
    assert ref not in client.get("/notices").text


def test_a_notice_restricted_to_its_force_is_not_shown_to_another_forces_officer(
    client: TestClient, notices_site: Site
) -> None:
    with session_scope(notices_site.engine) as session:
        from tests.intel.world import grading

        analyst = actor_for(session, ANALYST)
        view = create_notice(
            session,
            actor=analyst,
            subject_id=notices_site.world.child,
            title="Norfolk only",
            threat="t",
            action="a",
            review_date=review_in(),
            audiences=["area:norwich"],
            grading=grading("C", "Norfolk Constabulary only."),
            restricted_to=["norfolk"],
        )
        publish_notice(session, actor=analyst, ref=view.ref)
    sign_in(client, OFFICER)
    assert client.get(f"/notices/{view.ref}").status_code == 404
    assert "Norfolk only" not in client.get("/notices").text


def _digest(session: object, code: str, day: datetime) -> int:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    agency_id = session.scalar(select(AgencyRow.id).where(AgencyRow.code == code))
    assert agency_id is not None
    row = DigestRow(agency_id=agency_id, period_start=day, compiled_at=day)
    session.add(row)
    session.flush()
    return row.id


def test_another_partners_digest_answers_exactly_as_a_missing_one(
    client: TestClient, site: Site
) -> None:
    day = datetime(2026, 3, 1)
    with session_scope(site.engine) as session:
        own = _digest(session, "norfolk-cads", day)
        other = _digest(session, "norwich-housing", day)
    missing = other + 1000
    sign_in(client, PARTNER)
    assert client.get(f"/digests/{own}").status_code == 200
    hidden = client.get(f"/digests/{other}")
    absent = client.get(f"/digests/{missing}")
    assert hidden.status_code == absent.status_code == 404
    assert hidden.text.replace(f"digest {other} ", "digest N ") == absent.text.replace(
        f"digest {missing} ", "digest N "
    )
    assert "norwich-housing" not in hidden.text and "Housing" not in hidden.text
    listing = client.get("/digests")
    assert f"/digests/{own}" in listing.text and f"/digests/{other}" not in listing.text
    refused = client.post(
        f"/digests/{other}/acknowledge", data={"csrf_token": csrf_token(listing.text)}
    )
    assert refused.status_code == 404
    client.cookies.clear()
    sign_in(client, OFFICER)  # the police are not told whose it is either
    assert client.get(f"/digests/{other}").status_code == 404


def test_a_frontline_officer_cannot_open_the_register(
    client: TestClient, notices_site: Site
) -> None:
    with session_scope(notices_site.engine) as session:
        analyst = actor_for(session, ANALYST)
        view = create_notice(
            session,
            actor=analyst,
            subject_id=notices_site.world.child,
            title="For the frontline",
            threat="t",
            action="a",
            review_date=review_in(),
            audiences=["region"],
            sanitised_id=notices_site.world.sanitised_p.id,
        )
        publish_notice(session, actor=analyst, ref=view.ref)
    sign_in(client, OFFICER)
    page = client.get(f"/notices/{view.ref}")
    assert page.status_code == 200
    assert "/register" not in page.text and "Withdraw notice" not in page.text
    assert "I have read this notice" in page.text
    refused = client.get(f"/notices/{view.ref}/register")
    assert refused.status_code == 403
    assert "analysts, LROs, supervisors and data protection officers" in refused.text
