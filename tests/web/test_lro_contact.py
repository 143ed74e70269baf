"""Issue #14 item 3: how to reach a group's LRO (phone, email, the force's out-of-hours
route) on the check card, the group overview and the profile; an administrator sets
the phone."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from tests.web.conftest import ADMIN, OFFICER, PASSWORD, Site, csrf_token, sign_in
from tests.web.prg import followed
from threadline.accounts import add_user
from threadline.storage.db import session_scope
from threadline.storage.tables import AgencyRow, AuditEventRow, OrganisationRow, UserRow
from threadline.web.templating import contact_links

LRO = "lro@norfolk"
ROOM = "Norfolk Constabulary control room, 01632 960106 (24 hours)"


def _lro_of_kestrel(site: Site, *, phone: str | None = "07700 900123") -> None:
    with session_scope(site.engine) as session:
        account = add_user(
            session,
            actor=ADMIN,
            username=LRO,
            display_name="DI Jo Lead",
            agency_code="norfolk",
            roles=["lro"],
            clearance="SECRET",
            email="jo.lead@norfolk.police.example",
            phone=phone,
            password=PASSWORD,
        )
        session.execute(
            update(OrganisationRow)
            .where(OrganisationRow.name == "Kestrel")
            .values(lro_id=account.id)
        )
        session.execute(
            update(AgencyRow).where(AgencyRow.code == "norfolk").values(out_of_hours=ROOM)
        )


def _shown(html: str) -> str:
    """The page's text as a reader sees it (the contact details are links)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


CONTACT = f"DI Jo Lead (jo.lead@norfolk.police.example, 07700 900123); out of hours: {ROOM}"


def test_the_check_card_says_how_to_reach_the_lro(client: TestClient, site: Site) -> None:
    _lro_of_kestrel(site)
    sign_in(client, OFFICER)
    page = client.get("/check", params={"reason": "stop", "name": "Ray Black"}).text
    assert f"Lead responsible officer: {CONTACT}" in _shown(page)
    assert 'href="tel:07700900123"' in page


def test_the_profile_and_the_group_overview_say_it_too(client: TestClient, site: Site) -> None:
    _lro_of_kestrel(site)
    with session_scope(site.engine) as session:
        group = session.scalar(
            select(OrganisationRow.entity_id).where(OrganisationRow.name == "Kestrel")
        )
    sign_in(client, OFFICER)
    assert CONTACT in _shown(client.get(f"/people/{site.member}").text)
    assert CONTACT in _shown(client.get(f"/groups/{group}").text)


def test_without_a_phone_or_route_the_email_alone_is_given(client: TestClient, site: Site) -> None:
    _lro_of_kestrel(site, phone=None)
    with session_scope(site.engine) as session:
        session.execute(
            update(AgencyRow).where(AgencyRow.code == "norfolk").values(out_of_hours=None)
        )
    sign_in(client, OFFICER)
    page = client.get("/check", params={"reason": "stop", "name": "Ray Black"}).text
    shown = _shown(page)
    assert "Lead responsible officer: DI Jo Lead (jo.lead@norfolk.police.example) " in shown
    assert "out of hours" not in shown


def test_an_administrator_sets_the_phone_and_a_bad_one_is_named(
    client: TestClient, site: Site
) -> None:
    _lro_of_kestrel(site, phone=None)
    with session_scope(site.engine) as session:
        add_user(
            session,
            actor=ADMIN,
            username="admin@ersou",
            display_name="Ada Min",
            agency_code="ersou",
            roles=["admin"],
            clearance="SECRET",
            password=PASSWORD,
        )
    sign_in(client, "admin@ersou")
    page = client.get(f"/admin/users/{LRO}")
    assert page.status_code == 200 and "Change contact details" in page.text
    token = csrf_token(page.text)
    bad = client.post(
        f"/admin/users/{LRO}/contact",
        data={"csrf_token": token, "email": "jo.lead@norfolk.police.example", "phone": "call me"},
    )
    bad = followed(client, bad, f"/admin/users/{LRO}")  # Post/Redirect/Get
    assert 'href="#phone"' in bad.text and 'value="call me"' in bad.text
    assert "07700 900123" in bad.text
    done = client.post(
        f"/admin/users/{LRO}/contact",
        data={
            "csrf_token": token,
            "email": "jo.lead@norfolk.police.example",
            "phone": " 07700  900456 ",
        },
    )
    assert done.status_code == 303
    shown = client.get(done.headers["location"]).text
    assert "Contact details changed" in shown and "07700 900456" in shown
    with session_scope(site.engine) as session:
        assert (
            session.scalar(select(UserRow.phone).where(UserRow.username == LRO)) == "07700 900456"
        )
        event = session.scalars(
            select(AuditEventRow).where(AuditEventRow.event == "user.contact_changed")
        ).one()
        assert "07700 900456" in event.details


def test_contact_details_are_links_an_officer_can_tap() -> None:
    """On a phone the LRO's number and email open the dialler and the mail app."""
    shown = str(
        contact_links(
            "Emily Patel (lro@norfolk.example, 07700 900032); out of hours: "
            "Norfolk Constabulary control room, 01632 960106 (24 hours) <b>"
        )
    )
    assert '<a class="govuk-link" href="tel:07700900032">07700 900032</a>' in shown
    assert '<a class="govuk-link" href="tel:01632960106">01632 960106</a>' in shown
    assert '<a class="govuk-link" href="mailto:lro@norfolk.example">' in shown
    assert "&lt;b&gt;" in shown and "<b>" not in shown
