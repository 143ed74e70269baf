"""The regional return as a download from /disruptions: the CSV of the disruptions the
signed-in reader may see in the period; a partner is refused; a bad date is named."""

from __future__ import annotations

import csv
from datetime import date

from fastapi.testclient import TestClient

from tests.factories import make_county_line
from tests.web import conftest as web
from tests.web.conftest import ADMIN, PARTNER, PASSWORD, Site, sign_in
from threadline.accounts import add_user
from threadline.accounts.login import actor_for
from threadline.disruptions.record import record_disruption
from threadline.disruptions.types import DisruptionDraft, TacticDraft
from threadline.storage.db import session_scope

settings, site, client = web.settings, web.site, web.client


def _record(site: Site) -> None:
    with session_scope(site.engine) as session:
        add_user(
            session, actor=ADMIN, username="officer@norfolk", display_name="Officer",
            agency_code="norfolk", roles=["frontline"], clearance="OFFICIAL-SENSITIVE",
            password=PASSWORD,
        )  # fmt: skip
        line = make_county_line(session, name="ACE", importing_area="norwich").entity_id
    with session_scope(site.engine) as session:
        record_disruption(
            session,
            actor=actor_for(session, "officer@norfolk"),
            draft=DisruptionDraft(
                subject_kind="county_line", strand="pursue", claimed_grade="major",
                rationale="Controller charged; the line went quiet.",
                occurred_on=date(2026, 5, 14), entity_id=line,
                tactics=(TacticDraft("arrest", person_id=site.member),
                         TacticDraft("seizure_cash", quantity=4500, unit="£")),
            ),
        )  # fmt: skip


def test_an_officer_downloads_the_return_of_the_period(client: TestClient, site: Site) -> None:
    _record(site)
    sign_in(client, "officer@norfolk")
    reply = client.get("/disruptions/return.csv", params={"from": "2026-04-01", "to": "2026-09-30"})
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"].startswith("text/csv")
    assert (
        'filename="disruptions-return-region-2026-04-01-2026-09-30.csv"'
        in (reply.headers["content-disposition"])
    )
    rows = list(csv.DictReader(reply.text.splitlines()))
    assert [(r["tactic_name"], r["quantity"], r["unit"]) for r in rows] == [
        ("Arrest", "", ""),
        ("Cash seized", "4500", "£"),
    ]
    assert "Black" not in reply.text  # the person arrested is not named
    later = client.get("/disruptions/return.csv", params={"from": "2026-10-01"})
    assert len(later.text.splitlines()) == 1  # the header alone
    bad = client.get("/disruptions/return.csv", params={"from": "14/05/2026"})
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.text


def test_a_partner_gets_no_return(client: TestClient, site: Site) -> None:
    _record(site)
    sign_in(client, PARTNER)
    reply = client.get("/disruptions/return.csv")
    assert reply.status_code == 403
    assert "disruption_id" not in reply.text
