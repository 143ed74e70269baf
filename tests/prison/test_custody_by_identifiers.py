"""Finding 2: a prison records custody linked only to people it may see; anyone else it
records by their details, and police matching (`threadline tick`) links the episode.

Through the real pages and the CLI, on SQLite and PostgreSQL: the id of a SECRET person,
of a Bedfordshire person outside any agreement, and of no record at all are answered
byte for byte alike and write nothing; /prison names no group of a person the prison
may not see; the person chooser searches only what the prison may see.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from typer.testing import CliRunner

from tests.factories import make_link, make_organisation, make_person
from tests.prison.world import World, build_world
from tests.web.conftest import PASSWORD, SECRET, csrf_token, sign_in
from tests.web.prg import followed
from threadline.accounts import passwords
from threadline.cli.main import app
from threadline.model.security import system_actor
from threadline.settings import Settings
from threadline.sharing import add_isa
from threadline.storage.db import session_scope
from threadline.storage.prison_tables import CustodyEpisodeRow
from threadline.storage.tables import AuditEventRow, UserRow
from threadline.web import create_app

SECRET_PNC = "01/765432X"
BEDS_PNC = "05/111222B"


@dataclass(frozen=True)
class Cast:
    world: World
    url: str
    secret: int  # Vince Hale: SECRET, member of Operation Osprey (Norfolk)
    beds: int  # Bedfordshire's, outside any agreement with the prison
    missing: int  # no record has this id


@pytest.fixture
def cast(database_url: str, engine: object) -> Cast:
    world = build_world(engine)  # type: ignore[arg-type]
    with session_scope(world.engine) as session:
        session.execute(update(UserRow).values(password_hash=passwords.hash_password(PASSWORD)))
        # The prison's intelligence officer is cleared to OFFICIAL-SENSITIVE.
        session.execute(
            update(UserRow)
            .where(UserRow.username == "prison@hmp-norwich")
            .values(clearance="OFFICIAL-SENSITIVE")
        )
        # Norfolk shares OCG members, their groups and custody with HMP Norwich.
        add_isa(
            session,
            actor=system_actor("ersou", "test"),
            ref="ISA-NFK-HMPN-01",
            title="OCG members in HMP Norwich",
            purpose="Monitoring OCG members in prison",
            legal_basis="Crime and Disorder Act 1998 s115",
            providers=["norfolk"],
            recipients=["hmp-norwich"],
            data_items=["organisation", "person", "custody"],
            cohorts=["ocg_member"],
            retention="While the person is held",
            starts_on=date(2026, 1, 1),
            review_on=date(2099, 1, 1),
        )
        osprey = make_organisation(session, name="Operation Osprey")
        secret = make_person(
            session,
            family_name="Hale",
            given_names="Vince",
            dob="1984-02-29",
            pnc_id=SECRET_PNC,
            marking="SECRET",
        )
        make_link(session, from_id=secret.entity_id, to_id=osprey.entity_id, link_type="member_of")
        beds = make_person(
            session,
            family_name="Quill",
            given_names="Aaron",
            dob="1991-07-12",
            pnc_id=BEDS_PNC,
            owner="bedfordshire",
        )
        session.flush()
        return Cast(world, database_url, secret.entity_id, beds.entity_id, 10**12)


def _client(cast: Cast) -> TestClient:
    app_ = create_app(Settings(secret_key=SECRET, demo_mode=False), cast.world.engine)
    return TestClient(app_, base_url="https://testserver", follow_redirects=False)


@pytest.fixture
def web(cast: Cast) -> Iterator[TestClient]:
    """Signed in as HMP Norwich's prison intelligence officer."""
    with _client(cast) as client:
        sign_in(client, "prison@hmp-norwich")
        yield client


@pytest.fixture
def police(cast: Cast) -> Iterator[TestClient]:
    """Signed in as Norfolk's LRO (SECRET clearance)."""
    with _client(cast) as client:
        sign_in(client, "lro@norfolk")
        yield client


def _episodes(cast: Cast) -> int:
    with session_scope(cast.world.engine) as session:
        return int(session.scalar(select(func.count()).select_from(CustodyEpisodeRow)) or 0)


def _without_person_value(html: str, cast: Cast) -> str:
    """The page with the record number the user typed (echoed back in its box) blanked,
    so that pages answering different numbers can be compared for anything else."""
    for person in (cast.secret, cast.beds, cast.missing):
        html = html.replace(f'value="{person}"', 'value=""')
    return html


def _form(token: str, **extra: str) -> dict[str, str]:
    return {
        "csrf_token": token,
        "prison_number": "C2468DE",
        "received_on": "2026-10-01",
        "category": "B",
        "release_date": "2027-06-01",
        **extra,
    }


def test_hidden_and_missing_people_get_the_same_answer_and_nothing_is_written(
    web: TestClient, police: TestClient, cast: Cast
) -> None:
    token = csrf_token(web.get("/prison/custody/new").text)
    before = _episodes(cast)
    with session_scope(cast.world.engine) as session:
        events_before = session.scalar(select(func.count()).select_from(AuditEventRow))
    # Each is refused alike: 303 back to the form, whose page (Post/Redirect/Get) shows
    # the same error and nothing of the person asked for, hidden or not there at all.
    answers = [
        followed(
            web,
            web.post("/prison/custody/new", data=_form(token, person=str(person))),
            "/prison/custody/new",
        )
        for person in (cast.secret, cast.beds, cast.missing)
    ]
    shown = [_without_person_value(a.text, cast) for a in answers]
    assert shown[0] == shown[1] == shown[2]
    assert 'href="#person"' in answers[0].text
    assert "Hale" not in answers[0].text
    assert _episodes(cast) == before  # nothing written
    with session_scope(cast.world.engine) as session:
        recorded = session.scalars(
            select(AuditEventRow.event).where(AuditEventRow.id > (events_before or 0))
        ).all()
    assert "custody.recorded" not in recorded

    # A person the prison may see is linked at once.
    good = web.post("/prison/custody/new", data=_form(token, person=str(cast.world.free_member)))
    assert good.status_code == 303
    assert _episodes(cast) == before + 1

    page = web.get("/prison")
    assert "Operation Osprey" not in page.text
    assert "C2468DE" in page.text and "Member of Carter OCG" in page.text

    # Police checks of the SECRET person show no custody the prison did not record.
    check = police.get("/check", params={"reason": "stop", "name": "Vince Hale"})
    assert "In custody" not in check.text


def test_the_prison_records_by_details_and_police_matching_links_the_episode(
    web: TestClient, police: TestClient, cast: Cast
) -> None:
    token = csrf_token(web.get("/prison/custody/new").text)
    before = _episodes(cast)
    missing = followed(
        web,
        web.post("/prison/custody/new", data=_form(token, family_name="Hale")),
        "/prison/custody/new",
    )
    assert 'href="#given_names"' in missing.text and 'href="#date_of_birth"' in missing.text
    assert _episodes(cast) == before
    by_pnc = _form(
        token,
        family_name="HALE",
        given_names="vince",
        date_of_birth="1984-02-29",
        pnc_id="01/765432x",
    )
    assert web.post("/prison/custody/new", data=by_pnc).status_code == 303
    by_name = _form(
        token,
        prison_number="D1357FG",
        family_name="Quill",
        given_names="Aaron",
        date_of_birth="1991-07-12",
    )
    assert web.post("/prison/custody/new", data=by_name).status_code == 303
    page = web.get("/prison")
    assert "C2468DE" in page.text and "vince HALE" in page.text
    assert "Recorded by details" in page.text and "Operation Osprey" not in page.text
    with session_scope(cast.world.engine) as session:
        unlinked = session.scalars(
            select(CustodyEpisodeRow).where(CustodyEpisodeRow.person_id.is_(None))
        ).all()
    assert {e.prison_number for e in unlinked} == {"C2468DE", "D1357FG"}

    result = CliRunner().invoke(app, ["--db", cast.url, "tick", "--only", "prison", "--json"])
    assert result.exit_code == 0, result.output
    (job,) = json.loads(result.output)
    assert job["counts"]["custody_linked"] == 2
    with session_scope(cast.world.engine) as session:
        linked = dict(
            session.execute(
                select(CustodyEpisodeRow.prison_number, CustodyEpisodeRow.person_id).where(
                    CustodyEpisodeRow.prison_number.in_(("C2468DE", "D1357FG"))
                )
            ).all()
        )
        events = session.scalars(
            select(AuditEventRow.event).where(AuditEventRow.event == "custody.linked")
        ).all()
    assert linked == {"C2468DE": cast.secret, "D1357FG": cast.beds}
    assert len(events) == 2

    # The prison still sees its prisoner, but neither the record police matched nor the
    # group of a person it may not see.
    page = web.get("/prison")
    assert "C2468DE" in page.text and "Operation Osprey" not in page.text
    assert f"/people/{cast.secret}" not in page.text

    # Police see the custody the prison recorded.
    check = police.get("/check", params={"reason": "stop", "name": "Vince Hale"})
    assert "In custody – HMP Norwich, expected release 1 June 2027" in check.text


def test_the_person_chooser_searches_only_what_the_prison_may_see(
    web: TestClient, cast: Cast
) -> None:
    visible = web.get("/prison/custody/new", params={"q": "carter liam"})
    assert "Liam CARTER" in visible.text
    assert f'value="{cast.world.free_member}"' in visible.text
    for hidden in ("Hale", SECRET_PNC, "Quill", BEDS_PNC):
        page = web.get("/prison/custody/new", params={"q": hidden})
        assert page.status_code == 200
        assert "No person record you may see matches" in page.text
        assert f'value="{cast.secret}"' not in page.text
        assert f'value="{cast.beds}"' not in page.text
    by_number = web.get("/prison/custody/new", params={"q": "a1234bc"})
    assert "Dean CARTER" in by_number.text


def test_the_intelligence_form_names_only_records_the_prison_may_see(
    web: TestClient, cast: Cast
) -> None:
    form = web.get("/prison/intelligence/new", params={"q": "Liam Carter"})
    assert f'value="{cast.world.free_member}"' in form.text
    assert (
        "No person record you may see matches"
        in web.get("/prison/intelligence/new", params={"q": "Hale"}).text
    )
    token = csrf_token(form.text)
    visit = {
        "csrf_token": token,
        "kind": "visit",
        "prison_number": "A1234BC",
        "occurred_at": "2026-11-02 14:30",
        "grading": "2BP",
        "visitor_name": "A visitor",
    }
    answers = []
    for other in (cast.secret, cast.beds, cast.missing):
        posted = web.post("/prison/intelligence/new", data=visit | {"other_id": str(other)})
        assert posted.status_code == 303  # the errors are shown on the GET that follows
        answers.append(web.get(posted.headers["location"]))
    assert "govuk-error-summary" in answers[0].text
    assert answers[0].text == answers[1].text == answers[2].text
    good = web.post(
        "/prison/intelligence/new", data=visit | {"other_id": str(cast.world.free_member)}
    )
    assert good.status_code == 303
