"""Publishing a threat notice as immediate from its page (issue 14, item 11): the analyst
ticks "Immediate" on the publish step; the Norwich officer on duty then finds it in this
shift's briefing (not the next), has an alert about it on the alerts page, and an email
with only a link, through a real SMTP server. Without the tick, nobody is alerted."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.mail.inbox import Inbox, running_inbox
from tests.notices.world import review_in
from tests.web.conftest import PASSWORD, SECRET, Site, csrf_token, sign_in
from tests.web.test_notices import ANALYST, notices_site  # noqa: F401  (the fixture)
from threadline.accounts import add_user
from threadline.model.security import system_actor
from threadline.settings import Settings
from threadline.storage.db import session_scope

PC = "pc.norwich@norfolk"
TITLE = "Armed Kestrel runner seen in Norwich tonight"


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    with running_inbox() as found:
        yield found


@pytest.fixture
def settings(inbox: Inbox) -> Settings:
    return Settings(
        secret_key=SECRET,
        demo_mode=False,
        smtp_host="127.0.0.1",
        smtp_port=inbox.port,
        smtp_security="none",
        base_url="https://threadline.test",
    )


def _pc(site: Site) -> None:
    with session_scope(site.engine) as session:
        add_user(
            session,
            actor=system_actor("ersou", "test"),
            username=PC,
            display_name="Pat Constable",
            agency_code="norfolk",
            roles=["frontline"],
            clearance="OFFICIAL-SENSITIVE",
            home_areas=["norwich"],
            email="pat.constable@police.test",
            password=PASSWORD,
        )


def _draft(client: TestClient, site: Site) -> tuple[str, str]:
    """A draft to the frontline of Norwich; its ref and the page's CSRF token."""
    sign_in(client, ANALYST)
    form = client.get("/notices/new")
    response = client.post(
        "/notices/new",
        data={
            "csrf_token": csrf_token(form.text),
            "subject_id": str(site.world.child),
            "title": TITLE,
            "threat": "A child is running cash for a county line and carries a knife.",
            "action": "Safeguard the child on sight; tell the LRO.",
            "review_date": review_in().isoformat(),
            "sanitised_id": site.world.sanitised_p.ref,
            "audience_areas": "norwich",
        },
    )
    assert response.status_code == 303, response.text
    ref = re.search(r"/notices/([^?]+)\?", response.headers["location"])
    assert ref
    page = client.get(response.headers["location"])
    assert 'name="immediate"' in page.text and "Immediate: the officers on duty" in page.text
    return ref.group(1), csrf_token(page.text)


def test_an_immediate_notice_is_in_this_shifts_briefing_and_alerts_the_officer_on_duty(
    client: TestClient,
    notices_site: Site,  # noqa: F811
    inbox: Inbox,
) -> None:
    _pc(notices_site)
    ref, token = _draft(client, notices_site)
    published = client.post(
        f"/notices/{ref}/publish", data={"csrf_token": token, "immediate": "yes"}
    )
    assert published.status_code == 303, published.text
    shown = client.get(published.headers["location"]).text
    assert (
        "added to this shift&#39;s briefing" in shown or "added to this shift's briefing" in shown
    )

    client.cookies.clear()
    sign_in(client, PC)
    briefings = client.get("/briefings").text
    link = re.search(r'href="(/briefings/\d+)"', briefings)
    assert link, briefings
    assert TITLE in client.get(link.group(1)).text  # this shift's pack holds it
    alerts = client.get("/alerts").text
    assert f"Immediate threat notice {ref}" in alerts and "Threat notice" in alerts
    assert inbox.recipients == [["pat.constable@police.test"]]
    body = inbox.bodies()[0]
    assert "https://threadline.test/alerts" in body and "knife" not in body and TITLE not in body


def test_a_notice_not_marked_immediate_alerts_no_one(
    client: TestClient,
    notices_site: Site,  # noqa: F811
    inbox: Inbox,
) -> None:
    _pc(notices_site)
    ref, token = _draft(client, notices_site)
    published = client.post(f"/notices/{ref}/publish", data={"csrf_token": token})
    assert published.status_code == 303
    shown = client.get(published.headers["location"]).text
    assert "published to every audience" in shown and "briefing of its areas" not in shown
    client.cookies.clear()
    sign_in(client, PC)
    assert ref not in client.get("/alerts").text
    assert inbox.messages == []
