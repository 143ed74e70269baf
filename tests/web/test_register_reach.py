"""The register names who read a notice and when, and flags partners in the threat's
area whose agreement lets them be told but who were never told."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.notices.world import review_in
from tests.web.conftest import OFFICER, Site, sign_in
from tests.web.test_notices import ANALYST, SUPERVISOR, notices_site  # noqa: F401
from threadline.accounts import actor_for
from threadline.notices import create_notice, publish_notice
from threadline.notices.receipt import acknowledge_notice
from threadline.storage.db import session_scope


def _published(site: Site, audiences: list[str], title: str) -> str:
    with session_scope(site.engine) as session:
        analyst = actor_for(session, ANALYST)
        view = create_notice(
            session,
            actor=analyst,
            subject_id=site.world.child,
            title=title,
            threat="A child is running cash for a county line.",
            action="Safeguard the child.",
            review_date=review_in(),
            audiences=audiences,
            sanitised_id=site.world.sanitised_p.id,
        )
        publish_notice(session, actor=analyst, ref=view.ref)
        return str(view.ref)


def test_a_partner_in_the_area_never_told_is_flagged_and_readers_are_named(
    client: TestClient,
    notices_site: Site,  # noqa: F811
) -> None:
    ref = _published(notices_site, ["region"], "Police only")
    with session_scope(notices_site.engine) as session:
        acknowledge_notice(session, actor=actor_for(session, OFFICER), ref=ref)
    sign_in(client, SUPERVISOR)
    page = client.get(f"/notices/{ref}/register")
    assert page.status_code == 200
    text = page.text
    assert "area never told" in text
    assert "1 partner could have been told and was not." in text
    assert f"never told of {ref} (their agreement ISA-NFK-CADS-TN allows it)" in text
    # The officer's reading, by name, with when.
    assert "Who read it" in text and "officer@suffolk" in text
    assert "Nobody has acknowledged reading it yet." not in text


def test_no_flag_once_the_partner_was_told(
    client: TestClient,
    notices_site: Site,  # noqa: F811
) -> None:
    ref = _published(notices_site, ["region", "agency:norfolk-cads"], "Told CADS")
    sign_in(client, SUPERVISOR)
    text = client.get(f"/notices/{ref}/register").text
    assert "Every partner whose agreement covers it was told." in text
    assert "Nobody has acknowledged reading it yet." in text
