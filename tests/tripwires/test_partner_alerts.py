"""Partners are told, never watched over (issue 11, findings 1 and 14).

A small world, on SQLite and (when configured) PostgreSQL: Kestrel OCG (Norfolk, led by
lro@norfolk) runs the ROCCO line into Norwich; Jo Smith, a child living in Norwich, runs
for it, so the LRO watches her. CADS may read Jo's family name under ISA-NFK-CADS-01.
Everything is done as users do it: pages of the web app, the `threadline` CLI, and
`threadline tick`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from tests.factories import make_county_line, make_link, make_organisation
from tests.intel.world import UNIT, World, build_world
from tests.web.conftest import csrf_token, sign_in
from threadline.accounts import actor_for, add_user, passwords
from threadline.cli.main import app as cli
from threadline.model.security import system_actor
from threadline.prison.custody import record_custody, update_custody
from threadline.prison.types import CustodyDetails
from threadline.settings import Settings
from threadline.sharing import add_isa
from threadline.storage.db import session_scope
from threadline.storage.tables import AgencyRow, UserRow
from threadline.web import create_app

PASSWORD = "correct horse battery staple"
SECRET = "test-secret-key-that-is-long-enough-for-hmac-signing"
PARTNER = "partner@norfolk-cads"
POLICE_WORDS = ("Constabulary", "Suffolk", "Norfolk", "officer", "analyst", "Audit event")
USERS = (
    ("lro@norfolk", "norfolk", ["lro"], "SECRET", None),
    ("analyst@norfolk", "norfolk", ["analyst"], "SECRET", UNIT),
    ("officer@norfolk", "norfolk", ["frontline"], "OFFICIAL-SENSITIVE", None),
    ("dpo@norfolk", "norfolk", ["dpo"], "SECRET", None),
    ("officer@suffolk", "suffolk", ["frontline"], "OFFICIAL-SENSITIVE", None),
    (PARTNER, "norfolk-cads", ["partner"], "OFFICIAL-SENSITIVE", None),
)


@dataclass
class Place:
    engine: Engine
    world: World
    web: TestClient

    def cli(self, *args: str) -> str:
        url = self.engine.url.render_as_string(hide_password=False)
        result = CliRunner().invoke(cli, ["--db", url, *args])
        assert result.exit_code == 0, result.output
        return result.output

    def tick(self) -> dict[str, int]:
        """`threadline tick --only tripwires`, as cron runs it."""
        (result,) = json.loads(self.cli("tick", "--only", "tripwires", "--json"))
        assert not result.get("error"), result
        counts: dict[str, int] = result["counts"]
        return counts

    def alerts(self, username: str) -> list[dict[str, object]]:
        """`threadline alerts --as USERNAME --json`."""
        found: list[dict[str, object]] = json.loads(self.cli("alerts", "--as", username, "--json"))
        return found

    def sign_in(self, username: str) -> None:
        self.web.cookies.clear()
        sign_in(self.web, username, PASSWORD)

    def post(self, page: str, action: str, data: dict[str, str]) -> str:
        form = self.web.get(page)
        assert form.status_code == 200, form.text
        reply = self.web.post(action, data={"csrf_token": csrf_token(form.text), **data})
        assert reply.status_code == 303, reply.text
        return str(reply.headers["location"])

    def outsiders(self) -> list[str]:
        """Every user of an organisation that is not police (here: CADS)."""
        with session_scope(self.engine) as session:
            found = list(
                session.scalars(
                    select(UserRow.username)
                    .join(AgencyRow, AgencyRow.id == UserRow.agency_id)
                    .where(AgencyRow.kind.not_in(["force", "regional_unit"]))
                )
            )
        assert PARTNER in found
        return found


@pytest.fixture
def place(engine: Engine) -> Iterator[Place]:
    passwords.configure(time_cost=1, memory_cost=8, parallelism=1)
    try:
        with session_scope(engine) as session:
            world = build_world(session)
            for username, agency, roles, clearance, unit in USERS:
                add_user(
                    session,
                    actor=system_actor("ersou", "test"),
                    username=username,
                    display_name=f"Test {username}",
                    agency_code=agency,
                    roles=roles,
                    clearance=clearance,
                    unit=unit,
                    password=PASSWORD,
                )
            group = make_organisation(session, name="Kestrel", org_type="ocg")
            group.lro_id = session.scalar(
                select(UserRow.id).where(UserRow.username == "lro@norfolk")
            )
            line = make_county_line(session, name="Rocco", importing_area="norwich")
            make_link(session, from_id=group.entity_id, to_id=line.entity_id, link_type="runs_line")
            make_link(session, from_id=world.child, to_id=line.entity_id, link_type="runner_for")
        settings = Settings(secret_key=SECRET, demo_mode=False)
        with TestClient(
            create_app(settings, engine), base_url="https://testserver", follow_redirects=False
        ) as web:
            found = Place(engine, world, web)
            found.tick()  # the LRO's watches start; the world's history is not news
            yield found
    finally:
        passwords.configure()


def _code_c_report_restricted_to_police(place: Place) -> None:
    place.sign_in("analyst@norfolk")
    location = place.post(
        "/intelligence/new",
        "/intelligence/new",
        {
            "subjects": str(place.world.child),
            "fact": "Jo Smith was seen carrying a holdall for the Rocco line at 22:00.",
            "assessment": "Jo is probably being exploited by older men.",
            "source_eval": "2",
            "intel_eval": "B",
            "handling": "C",
            "conditions": "Police only: do not disclose to partners.",
            "restricted_to": "police",
            "marking": "OFFICIAL-SENSITIVE",
            "priority": "routine",
            "scope": "region",
            "area_code": "norwich",
            "source_type": "officer",
            "source_ref": "PC 4471",
            "source_description": "",
            "source_handler": "",
            "unit": UNIT,
        },
    )
    assert location.startswith("/intelligence/")


def test_police_intelligence_and_checks_never_reach_the_partner(place: Place) -> None:
    _code_c_report_restricted_to_police(place)
    place.sign_in("officer@suffolk")
    checked = place.web.get(
        "/check", params={"reason": "stop", "name": "Jo Smith", "dob": "2011-04-05"}
    )
    assert checked.status_code == 200 and "SMITH" in checked.text.upper()

    counts = place.tick()

    # The LRO hears of both, in police words.
    told = [str(a["summary"]) for a in place.alerts("lro@norfolk")]
    assert any("submitted intelligence about Jo SMITH" in t for t in told), told
    assert any("An officer of Suffolk Constabulary" in t and "checked" in t for t in told)
    # The partner may read Jo's record, but is told nothing of what police did.
    assert counts["partner_alerts"] == 0
    for username in place.outsiders():
        assert place.alerts(username) == []
    place.sign_in(PARTNER)
    page = place.web.get("/alerts")
    assert page.status_code == 200 and "You have no alerts." in page.text
    assert "Suffolk" not in page.text and "new information" not in page.text
    assert "checks, opens or records" not in page.text  # nor told it might be


def test_reads_of_safeguarding_pages_even_by_the_dpo_alert_no_partner(place: Place) -> None:
    place.sign_in("dpo@norfolk")
    person = place.web.get(f"/people/{place.world.child}/safeguarding")
    assert person.status_code == 200, person.text
    assert place.web.get("/safeguarding").status_code == 200
    place.sign_in("officer@suffolk")
    assert place.web.get(f"/people/{place.world.child}/safeguarding").status_code == 200

    counts = place.tick()

    assert counts["partner_alerts"] == 0
    for username in place.outsiders():
        assert place.alerts(username) == []
    # Finding 14: the LRO is told that pages were looked at, not that a concern was raised.
    told = [str(a["summary"]) for a in place.alerts("lro@norfolk")]
    assert told, "the LRO is told that the child's safeguarding pages were read"
    assert all("raised a concern" not in t for t in told), told
    assert any(
        t.startswith("An officer of Suffolk Constabulary looked at the safeguarding page of")
        for t in told
    ), told
    assert any(
        t.startswith("Test dpo@norfolk (dpo@norfolk) of Norfolk Constabulary looked at")
        for t in told
    ), told
    kinds = {a["kind"] for a in place.alerts("lro@norfolk")}
    assert kinds == {"consultation"}


def test_the_partner_is_told_of_the_police_response_to_its_own_concern(place: Place) -> None:
    child = place.world.child
    with session_scope(place.engine) as session:
        add_isa(
            session,
            actor=system_actor(),
            ref="ISA-NFK-CADS-02",
            title="Norfolk Constabulary and CADS: safeguarding concerns",
            purpose="Raising and answering concerns about children at risk",
            legal_basis="Children Act 2004 s11",
            providers=["norfolk"],
            recipients=["norfolk-cads"],
            data_items=["person.family_name", "safeguarding"],
            areas=["norwich"],
            retention="Two years from receipt, then secure destruction",
            starts_on=date(2025, 1, 1),
            review_on=date(2099, 1, 1),
        )
    place.sign_in(PARTNER)
    place.post(
        f"/people/{child}/concern",
        f"/people/{child}/concern",
        {"text": "Jo has new trainers and a second phone and misses school."},
    )
    first = place.tick()
    assert first["partner_alerts"] == 0  # raising it tells the partner nothing new
    told = [str(a["summary"]) for a in place.alerts("lro@norfolk")]
    assert any("A practitioner of" in t and "raised a concern about Jo SMITH" in t for t in told)

    place.sign_in("officer@norfolk")
    page = place.web.get(f"/people/{child}/safeguarding")
    assert page.status_code == 200, page.text
    concern_id = re.search(r"/safeguarding/concerns/(\d+)/response", page.text)
    assert concern_id is not None, "the officer is offered to respond to the concern"
    reply = place.web.post(
        f"/safeguarding/concerns/{concern_id.group(1)}/response",
        data={"csrf_token": csrf_token(page.text), "response": "Visited; referred to CADS."},
    )
    assert reply.status_code == 303, reply.text

    counts = place.tick()

    assert counts["partner_alerts"] == 1
    (alert,) = place.alerts(PARTNER)
    summary = str(alert["summary"])
    assert alert["entity_id"] == child and alert["kind"] == "concern_response"
    assert summary.startswith("The police have responded to your organisation's concern about")
    # CADS sees family names only: Jo is not named in full; the agreement is named.
    assert "Jo" not in summary and "(under agreement ISA-NFK-CADS-0" in summary
    assert not any(word in summary for word in POLICE_WORDS), summary
    assert not re.search(r"\d\d:\d\d", summary)  # nor when
    assert place.tick()["partner_alerts"] == 0  # told once


def test_a_sanitised_report_disseminated_to_the_partner_reaches_it(place: Place) -> None:
    ref = place.world.sanitised_p.ref
    out = place.cli("intel", "disseminate", ref, "--as", "analyst@norfolk", "--to", "norfolk-cads")
    assert "norfolk-cads" in out
    counts = place.tick()
    assert counts["partner_alerts"] == 1
    (alert,) = place.alerts(PARTNER)
    summary = str(alert["summary"])
    assert alert["entity_id"] == place.world.child and alert["kind"] == "sanitised"
    assert summary.startswith("A sanitised intelligence report about a person has been shared")
    assert "ISA-NFK-CADS-01" in summary
    assert not any(word in summary for word in POLICE_WORDS), summary


def test_a_partners_own_watch_tells_it_nothing_of_what_police_did(place: Place) -> None:
    child = place.world.child
    out = place.cli("watch", "add", str(child), "--as", PARTNER, "--reason", "supporting Jo")
    assert "Watching" in out
    place.sign_in("officer@suffolk")
    assert place.web.get(f"/people/{child}").status_code == 200
    place.web.get("/check", params={"reason": "stop", "name": "Jo Smith", "dob": "2011-04-05"})
    _code_c_report_restricted_to_police(place)
    counts = place.tick()
    assert counts["alerts"] >= 2  # the LRO is told
    assert counts["partner_alerts"] == 0
    assert place.alerts(PARTNER) == []


def test_an_alert_says_what_happened_a_read_is_never_a_concern(place: Place) -> None:
    # Finding 14: a read of the suggestions page was announced as "raised a concern".
    place.sign_in("officer@norfolk")
    page = place.web.get("/safeguarding")
    assert page.status_code == 200 and "SMITH" in page.text.upper()
    place.tick()
    (looked,) = place.alerts("lro@norfolk")
    assert looked["kind"] == "consultation"
    assert str(looked["summary"]).startswith(
        "Test officer@norfolk (officer@norfolk) of Norfolk Constabulary looked at Jo SMITH "
        "(runner for the ROCCO line of Kestrel) on the list of children suggested for screening"
    )
    assert "concern" not in str(looked["summary"])

    place.sign_in("lro@norfolk")
    listed = place.web.get("/alerts").text
    assert "Record looked at" in listed and "raised a concern" not in listed


def test_a_release_the_partners_agreement_covers_reaches_it(place: Place) -> None:
    child = place.world.child
    with session_scope(place.engine) as session:
        for ref, provider, recipient, items in (
            ("ISA-NFK-HMP-01", "norfolk", "hmp-norwich", ["person"]),
            ("ISA-HMP-CADS-01", "hmp-norwich", "norfolk-cads", ["custody", "person.family_name"]),
        ):
            add_isa(
                session,
                actor=system_actor(),
                ref=ref,
                title=f"{provider} and {recipient}",
                purpose="Resettlement and safeguarding of young people leaving custody",
                legal_basis="Crime and Disorder Act 1998 s115",
                providers=[provider],
                recipients=[recipient],
                data_items=items,
                retention="Two years from receipt, then secure destruction",
                starts_on=date(2025, 1, 1),
                review_on=date(2099, 1, 1),
            )
        add_user(
            session,
            actor=system_actor("ersou", "test"),
            username="prison@hmp-norwich",
            display_name="Test prison officer",
            agency_code="hmp-norwich",
            roles=["prison_intel"],
            clearance="OFFICIAL-SENSITIVE",
            password=PASSWORD,
        )
    with session_scope(place.engine) as session:
        prison = actor_for(session, "prison@hmp-norwich")
        details = CustodyDetails(child, "A1234BC", date(2026, 9, 1))
        view = record_custody(session, actor=prison, details=details)
        episode = int(str(view["id"]))
    received = place.tick()
    assert received["partner_alerts"] == 0  # taken into custody: not a release
    assert place.alerts(PARTNER) == []
    with session_scope(place.engine) as session:
        prison = actor_for(session, "prison@hmp-norwich")
        released = replace(details, released_on=date(2026, 11, 20))
        update_custody(session, actor=prison, episode_id=episode, details=released)

    counts = place.tick()

    assert counts["partner_alerts"] == 1
    (alert,) = place.alerts(PARTNER)
    summary = str(alert["summary"])
    assert alert["entity_id"] == child and alert["kind"] == "release"
    assert summary.startswith("A person has been released from custody")
    assert "(under agreement ISA-NFK-CADS-01)" in summary
    assert not any(word in summary for word in POLICE_WORDS), summary
    assert "Norwich" not in summary and "2026" not in summary
    # The LRO hears of it in police words.
    told = [str(a["summary"]) for a in place.alerts("lro@norfolk")]
    assert any("recorded the release from custody of Jo SMITH" in t for t in told), told
