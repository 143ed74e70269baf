"""Administration pages: organisations, users and sharing agreements, as people use them."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from tests.web.conftest import ADMIN, OFFICER, PASSWORD, Site, csrf_token, sign_in
from tests.web.prg import followed
from threadline.accounts import add_user
from threadline.storage.db import session_scope
from threadline.storage.tables import AgencyRow, AuditEventRow, IsaRow, UserRow

REGION_ADMIN = "admin@ersou"
FORCE_ADMIN = "admin@norfolk"
SUPERVISOR = "supervisor@norfolk"
NORFOLK_OFFICER = "officer@norfolk"


@pytest.fixture
def staff(site: Site) -> Site:
    """Administrators and staff of the region, Norfolk and Suffolk, all with the password."""
    with session_scope(site.engine) as session:
        for username, agency, roles, clearance, areas in (
            (REGION_ADMIN, "ersou", ["admin"], "SECRET", []),
            (FORCE_ADMIN, "norfolk", ["admin"], "OFFICIAL-SENSITIVE", []),
            (SUPERVISOR, "norfolk", ["supervisor"], "SECRET", []),
            (NORFOLK_OFFICER, "norfolk", ["frontline"], "OFFICIAL", ["norwich"]),
        ):
            add_user(
                session,
                actor=ADMIN,
                username=username,
                display_name=f"Test {username}",
                agency_code=agency,
                roles=roles,
                clearance=clearance,
                home_areas=areas,
                password=PASSWORD,
            )
    return site


def events(engine: Engine, name: str) -> list[AuditEventRow]:
    with session_scope(engine) as session:
        rows = session.scalars(select(AuditEventRow).where(AuditEventRow.event == name)).all()
        session.expunge_all()
        return list(rows)


def post_form(client: TestClient, page: str, action: str, data: dict[str, object]) -> Any:
    """Open `page` for its form token, then post `data` to `action`."""
    token = csrf_token(client.get(page).text)
    return client.post(action, data={"csrf_token": token, **data})


def error_summary(html: str) -> list[str]:
    block = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.S)
    assert block, "no error summary on the page"
    items = re.findall(r"<li>(.*?)</li>", block[1], re.S)
    return [unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items]


# ------------------------------------------------------------------------------ refusals


@pytest.mark.parametrize(
    "path",
    ["/admin", "/admin/users", "/admin/organisations", "/admin/agreements", "/admin/users/new"],
)
def test_an_officer_gets_the_403_page(client: TestClient, staff: Site, path: str) -> None:
    sign_in(client, OFFICER)
    reply = client.get(path)
    assert reply.status_code == 403
    assert "You cannot do that" in reply.text
    assert "administrators and supervisors" in reply.text


def test_the_admin_pages_need_sign_in(client: TestClient, staff: Site) -> None:
    reply = client.get("/admin/users")
    assert reply.status_code == 303
    assert reply.headers["location"].startswith("/sign-in?next=%2Fadmin%2Fusers")


def test_a_supervisor_sees_the_hub_but_manages_no_accounts(client: TestClient, staff: Site) -> None:
    sign_in(client, SUPERVISOR)
    hub = client.get("/admin")
    assert hub.status_code == 200
    assert 'href="/admin/agreements"' in hub.text and 'href="/admin/users"' not in hub.text
    assert client.get("/admin/users").status_code == 403
    refused = post_form(client, "/admin", f"/admin/users/{OFFICER}/disable", {"reason": "x"})
    assert refused.status_code == 403
    assert not events(staff.engine, "user.disabled")


def test_a_force_admin_cannot_manage_another_forces_users(client: TestClient, staff: Site) -> None:
    sign_in(client, FORCE_ADMIN)
    listing = client.get("/admin/users")
    assert listing.status_code == 200
    assert NORFOLK_OFFICER in listing.text and OFFICER not in listing.text  # officer@suffolk
    assert client.get(f"/admin/users/{OFFICER}").status_code == 403
    refused = post_form(client, "/admin/users", f"/admin/users/{OFFICER}/disable", {})
    assert refused.status_code == 403
    assert "managing users of suffolk" in refused.text
    assert not events(staff.engine, "user.disabled")
    with session_scope(staff.engine) as session:
        assert session.scalar(select(UserRow.disabled).where(UserRow.username == OFFICER)) is False


def test_a_force_admin_cannot_add_users_to_another_force(client: TestClient, staff: Site) -> None:
    sign_in(client, FORCE_ADMIN)
    page = client.get("/admin/users/new").text
    assert 'value="suffolk"' not in page  # only their own organisation is offered
    reply = post_form(
        client,
        "/admin/users/new",
        "/admin/users/new",
        {
            "username": "new@suffolk",
            "display_name": "New Person",
            "agency": "suffolk",
            "roles": "frontline",
            "clearance": "OFFICIAL",
        },
    )
    assert reply.status_code == 403


def test_a_post_without_the_form_token_is_refused(client: TestClient, staff: Site) -> None:
    sign_in(client, REGION_ADMIN)
    reply = client.post(f"/admin/users/{NORFOLK_OFFICER}/disable", data={"reason": "x"})
    assert reply.status_code == 403
    assert not events(staff.engine, "user.disabled")


# --------------------------------------------------------------------------------- users


def test_the_region_admin_lists_searches_and_pages_users(client: TestClient, staff: Site) -> None:
    sign_in(client, REGION_ADMIN)
    page = client.get("/admin/users")
    assert page.status_code == 200
    for username in (OFFICER, NORFOLK_OFFICER, "partner@norfolk-cads"):
        assert f'href="/admin/users/{username}"' in page.text
    found = client.get("/admin/users", params={"q": "SUFFOLK"})
    assert OFFICER in found.text and NORFOLK_OFFICER not in found.text
    assert "1 user matching" in found.text
    assert events(staff.engine, "user.listed")[-1].actor == REGION_ADMIN

    with session_scope(staff.engine) as session:
        for number in range(30):
            add_user(
                session,
                actor=ADMIN,
                username=f"pc{number:02d}@kent",
                display_name=f"Constable {number}",
                agency_code="kent",
                roles=["frontline"],
                clearance="OFFICIAL",
                password=PASSWORD,
            )
    first = client.get("/admin/users", params={"q": "@kent"})
    assert "30 users matching" in first.text and "page 1 of 2" in first.text
    assert 'aria-label="Pagination"' in first.text and "pc00@kent" in first.text
    second = client.get("/admin/users", params={"q": "@kent", "page": 2})
    assert "pc29@kent" in second.text and "pc00@kent" not in second.text


def test_the_new_user_form_shows_every_problem_and_keeps_the_answers(
    client: TestClient, staff: Site
) -> None:
    sign_in(client, REGION_ADMIN)
    reply = post_form(
        client,
        "/admin/users/new",
        "/admin/users/new",
        {
            "username": "JDoe@norfolk",
            "display_name": "",
            "email": "not-an-email",
            "agency": "norfolk",
            "clearance": "SECRET",
            "unit": "suffolk-fib",
            "home_areas": "ipswich",
        },
    )
    html = followed(client, reply, "/admin/users/new").text  # Post/Redirect/Get
    assert "<title>Error: Add a user" in html
    messages = error_summary(html)
    assert messages[0] == "Enter the person's full name"
    assert messages[1].startswith("Email address “not-an-email” is not right")
    assert "Select at least one role" in messages
    assert any(m.startswith("Unit “suffolk-fib”") and "norfolk-" in m for m in messages)
    assert any(m.startswith("Home areas “ipswich”") and "norwich" in m for m in messages)
    for field in ("display_name", "email", "roles", "unit", "home_areas"):
        assert f'href="#{field}"' in html
        assert f'id="{field}-error"' in html
    assert 'value="jdoe@norfolk"' in html or 'value="JDoe@norfolk"' in html
    assert 'value="not-an-email"' in html and 'value="suffolk-fib"' in html
    assert '<option value="norfolk" selected>' in html
    assert '<option value="SECRET" selected>' in html
    with session_scope(staff.engine) as session:
        assert session.scalar(select(UserRow.id).where(UserRow.username == "jdoe@norfolk")) is None


def test_without_an_organisation_the_form_says_what_else_is_missing(
    client: TestClient, staff: Site
) -> None:
    sign_in(client, REGION_ADMIN)
    reply = post_form(client, "/admin/users/new", "/admin/users/new", {"clearance": "OFFICIAL"})
    reply = followed(client, reply, "/admin/users/new")
    assert error_summary(reply.text) == [
        "Enter a username, like jsmith@norfolk",
        "Enter the person's full name",
        "Select the person's organisation",
        "Select at least one role",
    ]


def test_creating_a_user_shows_a_one_time_password_that_signs_in(
    client: TestClient, staff: Site
) -> None:
    sign_in(client, REGION_ADMIN)
    reply = post_form(
        client,
        "/admin/users/new",
        "/admin/users/new",
        {
            "username": "asmith@norfolk",
            "display_name": "Alex Smith",
            "email": "alex.smith@norfolk.police.uk",
            "agency": "norfolk",
            "roles": ["frontline", "analyst"],
            "clearance": "OFFICIAL-SENSITIVE",
            "unit": "norfolk-fib",
            "home_areas": "norwich, broadland",
        },
    )
    html = reply.text
    assert reply.status_code == 200
    assert "Account created" in html
    password = re.search(r'id="one-time-password">([^<]+)<', html)
    assert password
    added = events(staff.engine, "user.added")[-1]
    assert added.actor == REGION_ADMIN and "asmith@norfolk" in added.details
    assert password[1] not in added.details

    page = client.get("/admin/users/asmith@norfolk").text
    assert "Frontline officer or staff, Intelligence analyst" in page
    assert "Norwich, Broadland" in page and "Norfolk Constabulary" in page
    assert "OFFICIAL-SENSITIVE" in page and "norfolk-fib" in page
    assert events(staff.engine, "user.viewed")[-1].actor == REGION_ADMIN

    other = TestClient(client.app, base_url="https://testserver", follow_redirects=False)
    assert sign_in(other, "asmith@norfolk", password[1]) == "/check"


def test_a_taken_username_is_a_field_error(client: TestClient, staff: Site) -> None:
    sign_in(client, REGION_ADMIN)
    reply = post_form(
        client,
        "/admin/users/new",
        "/admin/users/new",
        {
            "username": NORFOLK_OFFICER,
            "display_name": "Someone Else",
            "agency": "norfolk",
            "roles": "frontline",
            "clearance": "OFFICIAL",
        },
    )
    reply = followed(client, reply, "/admin/users/new")
    assert error_summary(reply.text) == [
        f"Username “{NORFOLK_OFFICER}” is not right: it must be a username nobody has yet"
    ]
    assert 'value="Someone Else"' in reply.text


def test_changing_roles_clearance_and_areas_is_audited_and_confirmed(
    client: TestClient, staff: Site
) -> None:
    sign_in(client, REGION_ADMIN)
    page = f"/admin/users/{NORFOLK_OFFICER}"
    roles = post_form(client, page, f"{page}/roles", {"roles": ["frontline", "lro"]})
    assert roles.status_code == 303
    assert roles.headers["location"] == f"{page}?done=roles"
    shown = client.get(f"{page}?done=roles").text
    assert "govuk-notification-banner--success" in shown and "Roles changed" in shown
    assert "Frontline officer or staff, Lead responsible officer" in shown
    post_form(client, page, f"{page}/clearance", {"clearance": "SECRET"})
    post_form(client, page, f"{page}/areas", {"home_areas": "norwich south-norfolk"})
    after = client.get(page).text
    assert "SECRET" in after and "Norwich, South Norfolk" in after
    for name, before, now in (
        ("user.roles_changed", "frontline", "frontline,lro"),
        ("user.clearance_changed", "OFFICIAL", "SECRET"),
        ("user.areas_changed", "norwich", "norwich,south-norfolk"),
    ):
        [event] = events(staff.engine, name)
        assert event.actor == REGION_ADMIN
        assert f'"before": "{before}"' in event.details and f'"after": "{now}"' in event.details


def test_a_refused_change_shows_the_error_on_its_form(client: TestClient, staff: Site) -> None:
    sign_in(client, REGION_ADMIN)
    page = f"/admin/users/{NORFOLK_OFFICER}"
    reply = followed(client, post_form(client, page, f"{page}/roles", {"roles": ["partner"]}), page)
    [message] = error_summary(reply.text)
    assert message.startswith("Roles “partner” is not right")
    assert 'value="partner" checked' in reply.text  # what was sent, not what is held
    areas = followed(
        client, post_form(client, page, f"{page}/areas", {"home_areas": "ipswich"}), page
    )
    assert 'href="#home_areas"' in areas.text
    assert 'value="ipswich"' in areas.text
    assert not events(staff.engine, "user.roles_changed")


def test_a_force_admin_grants_no_clearance_above_their_own(client: TestClient, staff: Site) -> None:
    sign_in(client, FORCE_ADMIN)
    page = f"/admin/users/{NORFOLK_OFFICER}"
    reply = post_form(client, page, f"{page}/clearance", {"clearance": "SECRET"})
    assert reply.status_code == 403
    assert "above their own" in reply.text


def test_disable_then_enable_stops_and_restores_sign_in(client: TestClient, staff: Site) -> None:
    sign_in(client, REGION_ADMIN)
    page = f"/admin/users/{NORFOLK_OFFICER}"
    done = post_form(client, page, f"{page}/disable", {"reason": "left the force"})
    assert done.headers["location"] == f"{page}?done=disabled"
    shown = client.get(done.headers["location"]).text
    assert "Account disabled" in shown and "Disabled</strong>" in shown
    assert "Enable account" in shown
    [event] = events(staff.engine, "user.disabled")
    assert event.actor == REGION_ADMIN and "left the force" in event.details

    other = TestClient(client.app, base_url="https://testserver", follow_redirects=False)
    assert sign_in(other, NORFOLK_OFFICER) != "/check"

    post_form(client, page, f"{page}/enable", {})
    assert events(staff.engine, "user.enabled")[0].actor == REGION_ADMIN
    assert sign_in(other, NORFOLK_OFFICER) == "/check"


def test_resetting_a_password_replaces_the_old_one(client: TestClient, staff: Site) -> None:
    sign_in(client, REGION_ADMIN)
    page = f"/admin/users/{NORFOLK_OFFICER}"
    reply = post_form(client, page, f"{page}/password", {})
    html = reply.text
    assert "Password reset" in html
    password = re.search(r'id="one-time-password">([^<]+)<', html)
    assert password
    assert events(staff.engine, "user.password_reset")[0].actor == REGION_ADMIN
    other = TestClient(client.app, base_url="https://testserver", follow_redirects=False)
    assert sign_in(other, NORFOLK_OFFICER) != "/check"
    assert sign_in(other, NORFOLK_OFFICER, password[1]) == "/check"


def test_admins_do_not_change_their_own_access(client: TestClient, staff: Site) -> None:
    sign_in(client, REGION_ADMIN)
    page = f"/admin/users/{REGION_ADMIN}"
    assert "This is your own account" in client.get(page).text
    reply = post_form(client, page, f"{page}/disable", {})
    assert reply.status_code == 403


def test_an_unknown_user_is_the_404_page(client: TestClient, staff: Site) -> None:
    sign_in(client, REGION_ADMIN)
    assert client.get("/admin/users/nobody@norfolk").status_code == 404


# ------------------------------------------------------------------------- organisations


def test_organisations_are_listed_and_region_admins_add_more(
    client: TestClient, staff: Site
) -> None:
    sign_in(client, REGION_ADMIN)
    page = client.get("/admin/organisations").text
    assert "norfolk-cads" in page and "Children&#39;s services" in page
    assert "Add an organisation" in page
    bad = post_form(
        client,
        "/admin/organisations",
        "/admin/organisations",
        {"code": "Suffolk YJS", "name": "", "kind": "housing"},
    )
    bad = followed(client, bad, "/admin/organisations")
    assert 'value="Suffolk YJS"' in bad.text
    messages = error_summary(bad.text)
    assert (
        messages[0].startswith("Code “Suffolk YJS” is not right") and "suffolk-yjs" in messages[0]
    )
    assert messages[1] == "Enter the organisation's full name"
    good = post_form(
        client,
        "/admin/organisations",
        "/admin/organisations",
        {
            "code": "suffolk-yjs",
            "name": "Suffolk Youth Justice",
            "kind": "probation",
            "county": "suffolk",
        },
    )
    assert good.status_code == 303, error_summary(good.text)
    assert good.headers["location"] == "/admin/organisations?added=suffolk-yjs"
    shown = client.get("/admin/organisations?added=suffolk-yjs").text
    assert "Organisation added: Suffolk Youth Justice (suffolk-yjs)" in shown
    assert events(staff.engine, "agency.added")[0].actor == REGION_ADMIN


def test_a_force_admin_sees_organisations_but_adds_none(client: TestClient, staff: Site) -> None:
    sign_in(client, FORCE_ADMIN)
    page = client.get("/admin/organisations").text
    assert "norfolk-cads" in page and "Add an organisation" not in page
    reply = post_form(
        client,
        "/admin/organisations",
        "/admin/organisations",
        {"code": "norfolk-x", "name": "X", "kind": "charity"},
    )
    assert reply.status_code == 403
    with session_scope(staff.engine) as session:
        assert session.scalar(select(AgencyRow.id).where(AgencyRow.code == "norfolk-x")) is None


# ---------------------------------------------------------------------------- agreements


def test_agreements_list_shows_parties_basis_state_and_review(
    client: TestClient, staff: Site
) -> None:
    sign_in(client, SUPERVISOR)
    page = client.get("/admin/agreements").text
    isa = staff.world.isa
    assert f'href="/admin/agreements/{isa.ref}"' in page
    assert isa.legal_basis in page  # the parties by name, not by code
    assert "Norfolk Constabulary to Norfolk Children&#39;s Advice and Duty Service" in page
    assert "govuk-tag--green" in page and ">Active</strong>" in page
    assert "Add an agreement" not in page  # supervisors read agreements, they do not add them
    assert events(staff.engine, "isa.listed")[-1].actor == SUPERVISOR

    detail = client.get(f"/admin/agreements/{isa.ref}").text
    for item in isa.data_items:
        assert f"<li>{item}</li>" in detail
    assert isa.retention in detail and isa.onward_sharing in detail
    assert "End this agreement" not in detail
    assert events(staff.engine, "isa.viewed")[-1].actor == SUPERVISOR


ISA_FORM = {
    "ref": "ISA-NFK-HOUSING-01",
    "title": "Norfolk Police and Norwich housing",
    "purpose": "Protect cuckooed tenants",
    "legal_basis": "Crime and Disorder Act 1998 s115",
    "providers": "norfolk",
    "recipients": "norfolk-cads",
    "data_items": "person.family_name\nperson.given_names\nsanitised_report",
    "areas": "norwich",
    "cohorts": ["exploited", "under_18"],
    "onward_sharing": "not permitted",
    "retention": "12 months from receipt",
    "starts_on": "2026-01-01",
    "review_on": "2027-01-01",
    "ends_on": "",
}


def test_the_agreement_form_reports_every_problem(client: TestClient, staff: Site) -> None:
    sign_in(client, REGION_ADMIN)
    sent = {**ISA_FORM, "providers": "norfolk, atlantis", "data_items": "person.shoe_size"}
    sent |= {"review_on": "2025-06-01", "title": ""}
    reply = post_form(client, "/admin/agreements/new", "/admin/agreements/new", sent)
    reply = followed(client, reply, "/admin/agreements/new")
    messages = error_summary(reply.text)
    assert messages[0] == "Enter a title naming the parties and purpose"
    assert any(m.startswith("Providers “atlantis”") for m in messages)
    assert any(m.startswith("Data items “person.shoe_size”") for m in messages)
    assert any(m.startswith("Review date “2025-06-01”") for m in messages)
    assert 'value="exploited" checked' in reply.text
    bad_date = post_form(
        client,
        "/admin/agreements/new",
        "/admin/agreements/new",
        {**ISA_FORM, "starts_on": "1/1/26"},
    )
    bad_date = followed(client, bad_date, "/admin/agreements/new")
    assert 'value="1/1/26"' in bad_date.text
    assert error_summary(bad_date.text) == [
        "Start date “1/1/26” is not right: it must be a real date as YYYY-MM-DD, like 2026-04-01"
    ]


def test_adding_and_ending_an_agreement(client: TestClient, staff: Site) -> None:
    sign_in(client, REGION_ADMIN)
    added = post_form(client, "/admin/agreements/new", "/admin/agreements/new", ISA_FORM)
    where = added.headers["location"]
    assert where == "/admin/agreements/ISA-NFK-HOUSING-01?done=added"
    page = client.get(where).text
    assert "Agreement recorded" in page and "Exploited" not in page  # cohorts shown as codes
    assert "exploited, under_18" in page and "person.given_names" in page
    assert events(staff.engine, "isa.added")[-1].actor == REGION_ADMIN

    detail = "/admin/agreements/ISA-NFK-HOUSING-01"
    empty = followed(client, post_form(client, detail, f"{detail}/end", {"reason": " "}), detail)
    assert error_summary(empty.text) == ["Enter why the agreement is ended"]
    assert "End this agreement" in empty.text  # not ended
    ended = post_form(client, detail, f"{detail}/end", {"reason": "housing service moved"})
    assert ended.headers["location"] == f"{detail}?done=ended"
    shown = client.get(f"{detail}?done=ended").text
    assert "Agreement ended" in shown and ">Ended</strong>" in shown
    assert "End this agreement" not in shown
    again = followed(
        client, post_form(client, detail, f"{detail}/end", {"reason": "twice"}), detail
    )
    assert error_summary(again.text)[0].startswith("Agreement ISA-NFK-HOUSING-01 already ended at")
    [event] = events(staff.engine, "isa.ended")
    assert "housing service moved" in event.details
    with session_scope(staff.engine) as session:
        assert session.scalar(select(IsaRow.ended_at).where(IsaRow.ref == "ISA-NFK-HOUSING-01"))


def test_a_force_admin_may_not_end_another_forces_agreement(
    client: TestClient, staff: Site
) -> None:
    with session_scope(staff.engine) as session:
        add_user(
            session,
            actor=ADMIN,
            username="admin@suffolk",
            display_name="Suffolk Admin",
            agency_code="suffolk",
            roles=["admin"],
            clearance="OFFICIAL",
            password=PASSWORD,
        )
    sign_in(client, "admin@suffolk")
    detail = f"/admin/agreements/{staff.world.isa.ref}"
    reply = post_form(client, detail, f"{detail}/end", {"reason": "not ours"})
    assert reply.status_code == 403
    assert not events(staff.engine, "isa.ended")
