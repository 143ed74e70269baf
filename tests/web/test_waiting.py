"""Issue #14 item 5: unread alerts and the current shift's unread briefing, as numbers in
the menu and in words on the first page after signing in."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import (
    ADMIN,
    OFFICER,
    PARTNER,
    PASSWORD,
    SECRET,
    Site,
    csrf_token,
    sign_in,
)
from threadline.accounts import add_user
from threadline.briefings.shifts import shift_start
from threadline.clock import utcnow
from threadline.settings import Settings
from threadline.storage.db import session_scope
from threadline.storage.sharing_tables import AlertRow, BriefingRow
from threadline.storage.tables import AreaRow, UserRow

NORWICH_OFFICER = "pc.beat@norfolk"


def _alerts(site: Site, username: str, count: int) -> None:
    with session_scope(site.engine) as session:
        user_id = session.scalar(select(UserRow.id).where(UserRow.username == username))
        assert user_id is not None
        for n in range(count):
            session.add(
                AlertRow(
                    user_id=user_id,
                    entity_id=site.member,
                    event_id=1000 + n,
                    kind="check",
                    summary="A record you watch was checked",
                    created_at=utcnow(),
                )
            )


def _norwich_pack(site: Site) -> int:
    """A Norwich officer, and the current shift's Norwich pack (unread)."""
    with session_scope(site.engine) as session:
        add_user(
            session,
            actor=ADMIN,
            username=NORWICH_OFFICER,
            display_name="PC Sam Beat",
            agency_code="norfolk",
            roles=["frontline"],
            clearance="OFFICIAL-SENSITIVE",
            home_areas=["norwich"],
            password=PASSWORD,
        )
        area = session.scalar(select(AreaRow.id).where(AreaRow.code == "norwich"))
        assert area is not None
        start = shift_start(utcnow(), Settings(secret_key=SECRET).briefing_shift_hours)
        pack = BriefingRow(area_id=area, shift_start=start, compiled_at=utcnow())
        session.add(pack)
        session.flush()
        return pack.id


def test_the_menu_counts_unread_alerts_and_signing_in_says_so_once(
    client: TestClient, site: Site
) -> None:
    _alerts(site, OFFICER, 3)
    sign_in(client, OFFICER)
    first = client.get("/check").text
    assert "You have 3 unread alerts." in first
    assert 'href="/alerts">Read your alerts</a>' in first
    assert 'Alerts <span class="moj-notification-badge tl-unread">3<span' in first
    again = client.get("/check").text
    assert "You have 3 unread alerts." not in again  # the banner is shown once...
    assert 'tl-unread">3<' in again  # ...the menu keeps counting


def test_nothing_waiting_shows_no_banner_and_no_badge(client: TestClient, site: Site) -> None:
    sign_in(client, OFFICER)
    page = client.get("/check").text
    assert "tl-waiting" not in page and "tl-unread" not in page


def test_the_current_shifts_briefing_is_named_until_it_is_read(
    client: TestClient, site: Site
) -> None:
    pack = _norwich_pack(site)
    _alerts(site, NORWICH_OFFICER, 1)
    sign_in(client, NORWICH_OFFICER)
    page = client.get("/check").text
    assert "You have 1 unread alert and today&#39;s briefing for Norwich is unread." in page
    assert f'href="/briefings/{pack}">Read the briefing for Norwich</a>' in page
    assert 'Briefing <span class="moj-notification-badge tl-unread">1<span' in page
    # Reading it (acknowledging the pack) takes it off the count.
    opened = client.get(f"/briefings/{pack}")
    assert opened.status_code == 200
    client.post(f"/briefings/{pack}/acknowledge", data={"csrf_token": csrf_token(opened.text)})
    assert 'Briefing <span class="moj-notification-badge' not in client.get("/check").text


def test_a_partner_is_never_told_of_briefings(client: TestClient, site: Site) -> None:
    _norwich_pack(site)
    sign_in(client, PARTNER)
    page = client.get("/check").text
    assert "briefing" not in page.lower().split("</header>")[-1].split("<main")[0]
    assert "tl-waiting" not in page
