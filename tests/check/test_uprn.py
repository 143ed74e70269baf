"""An address's UPRN: found by the check (service, page, CLI), shown on the profile and in
the API, and given to a partner only when its agreement names `location` or
`location.uprn`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from tests.factories import make_location
from tests.policy.factories import make_actor, seed_partners
from tests.web.conftest import OFFICER, PARTNER, Site, sign_in
from threadline.check import check
from threadline.cli.main import app
from threadline.errors import InvalidData
from threadline.model.enums import Marking
from threadline.model.security import Role, system_actor
from threadline.search import find_location_by_uprn
from threadline.sharing import add_isa
from threadline.storage.db import session_factory, session_scope
from threadline.storage.tables import LocationRow

UPRN = "990000003001"


def _address(session: Session, uprn: str | None = UPRN) -> LocationRow:
    row = make_location(session, postcode="NR3 1AB", line1="5 Magdalen Street")
    row.uprn = uprn
    session.flush()
    return row


def _officer() -> object:
    return make_actor(
        roles=Role.FRONTLINE, agency="force-other", clearance=Marking.OFFICIAL_SENSITIVE
    )


# --------------------------------------------------------------------------- the service


def test_police_find_an_address_by_its_uprn_typed_any_way(engine: Engine) -> None:
    with session_factory(engine)() as session:
        home = _address(session)
        _address(session, uprn="990000003002")  # another address, not found
        session.commit()
        for typed in (UPRN, " 9900 0000 3001 ", "0990000003001"[1:]):
            result = check(session, actor=_officer(), uprn=typed)  # type: ignore[arg-type]
            assert [c.record["id"] for c in result.cards] == [home.entity_id]
            card = result.cards[0]
            assert card.record["uprn"] == UPRN
            assert card.reasons == ("UPRN matches",)
        session.commit()


def test_a_uprn_that_is_not_one_is_refused_naming_the_field(engine: Engine) -> None:
    with session_factory(engine)() as session:
        for bad in ("12345678901234", "10009123A", "0"):
            with pytest.raises(InvalidData) as caught:
                check(session, actor=_officer(), uprn=bad)  # type: ignore[arg-type]
            [error] = caught.value.errors
            assert (error.location, error.received) == ("uprn", bad)
            assert "1 to 12 digits" in error.expected


def _partner_with(session: Session, data_items: list[str]) -> object:
    seed_partners(session)
    add_isa(
        session,
        actor=system_actor(),
        ref="ISA-NFK-CADS-09",
        title="Norfolk Constabulary and CADS: addresses",
        purpose="Safeguarding children at risk of criminal exploitation",
        legal_basis="Children Act 2004 s11",
        providers=["norfolk"],
        recipients=["norfolk-cads"],
        data_items=data_items,
        areas=["norwich"],
        retention="Two years from receipt, then secure destruction",
        starts_on=date(2025, 1, 1),
        review_on=date(2099, 1, 1),
    )
    return make_actor(
        roles=Role.PARTNER, agency="childrens-services", clearance=Marking.OFFICIAL_SENSITIVE
    )


@pytest.mark.parametrize("items", [["location"], ["location.line1", "location.uprn"]])
def test_a_partner_whose_agreement_names_the_uprn_finds_and_sees_it(
    engine: Engine, items: list[str]
) -> None:
    with session_factory(engine)() as session:
        home = _address(session)
        partner = _partner_with(session, items)
        session.commit()
        result = check(session, actor=partner, uprn=UPRN)  # type: ignore[arg-type]
        session.commit()
        assert [c.record["id"] for c in result.cards] == [home.entity_id]
        assert result.cards[0].record["uprn"] == UPRN


def test_a_partner_whose_agreement_leaves_the_uprn_out_neither_finds_nor_sees_it(
    engine: Engine,
) -> None:
    with session_factory(engine)() as session:
        home = _address(session)
        partner = _partner_with(session, ["location.line1", "location.postcode"])
        session.commit()
        # Found by the UPRN, the result would tell the partner the address's UPRN.
        assert check(session, actor=partner, uprn=UPRN).cards == []  # type: ignore[arg-type]
        # Found by the postcode it may see, the address comes without its UPRN.
        by_postcode = check(session, actor=partner, postcode="NR3 1AB")  # type: ignore[arg-type]
        session.commit()
        [card] = by_postcode.cards
        assert card.record["id"] == home.entity_id and "uprn" not in card.record
        assert UPRN not in repr(card.as_dict())


def test_the_uprn_look_up_is_an_index_seek(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("the plan is read with SQLite's EXPLAIN QUERY PLAN")
    with session_factory(engine)() as session:
        _address(session)
        session.commit()
        assert len(find_location_by_uprn(session=session, uprn=UPRN)) == 1
    with engine.connect() as conn:
        plan = " ".join(
            str(row[3])
            for row in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT entity_id FROM location WHERE uprn = ?", (UPRN,)
            )
        )
    assert "USING INDEX ix_location_uprn" in plan or "USING COVERING INDEX" in plan, plan


# --------------------------------------------------------------------------- the web


def _site_home(site: Site, uprn: str = UPRN) -> int:
    with session_scope(site.engine) as session:
        session.execute(
            update(LocationRow).where(LocationRow.line1 == "5 Magdalen Street").values(uprn=uprn)
        )
        found = session.scalar(
            select(LocationRow.entity_id).where(LocationRow.line1 == "5 Magdalen Street")
        )
    assert found is not None
    return found


def test_the_check_page_finds_an_address_by_uprn(client: TestClient, site: Site) -> None:
    home = _site_home(site)
    sign_in(client, OFFICER)
    form = client.get("/check").text
    assert 'name="uprn"' in form
    page = client.get("/check", params={"reason": "stop", "uprn": UPRN, "purpose": "stop check"})
    assert page.status_code == 200
    assert "1 result" in page.text
    assert f'href="/locations/{home}"' in page.text
    assert "UPRN</dt>" in page.text and UPRN in page.text


def test_the_check_page_says_what_a_uprn_is_when_it_is_not_one(
    client: TestClient, site: Site
) -> None:
    sign_in(client, OFFICER)
    page = client.get("/check", params={"reason": "stop", "uprn": "12AB"})
    assert page.status_code == 422
    assert 'href="#uprn">UPRN must be a UPRN of 1 to 12 digits' in page.text


def test_the_partner_page_finds_nothing_by_a_uprn_its_agreement_leaves_out(
    client: TestClient, site: Site
) -> None:
    _site_home(site)
    sign_in(client, PARTNER)  # CADS: people's family names and sanitised reports only
    page = client.get("/check", params={"reason": "stop", "uprn": UPRN})
    assert page.status_code == 200
    assert "No records found that you may see" in page.text
    assert UPRN not in page.text.replace(f'value="{UPRN}"', "")


def test_the_location_profile_and_api_show_the_uprn(client: TestClient, site: Site) -> None:
    home = _site_home(site)
    reply = client.get(
        f"/api/v1/locations/{home}", headers={"Authorization": f"Bearer {site.officer_token}"}
    )
    assert reply.status_code == 200
    assert reply.json()["record"]["uprn"] == UPRN
    sign_in(client, OFFICER)
    page = client.get(f"/locations/{home}")
    assert page.status_code == 200
    assert "UPRN</dt>" in page.text and UPRN in page.text


# --------------------------------------------------------------------------- the CLI

LOCATIONS = (
    "source_system,source_id,location_type,line1,town,postcode,uprn\n"
    "athena,L1,address,12 Mill Lane,Norwich,NR1 3AB,9900 0000 3001\n"
    "athena,L2,address,14 Mill Lane,Norwich,NR1 3AB,\n"
)


def test_the_cli_imports_a_uprn_and_checks_by_it(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    locations = tmp_path / "locations.csv"
    locations.write_text(LOCATIONS)
    for args in (
        ["init"],
        ["users", "add", "officer@suffolk", "--org", "suffolk", "--name", "Sam Officer",
         "--role", "frontline", "--clearance", "OFFICIAL-SENSITIVE", "--area", "ipswich"],
        ["import", "--org", "norfolk", str(locations)],
    ):  # fmt: skip
        result = runner.invoke(
            app,
            ["--db", database_url, *args],
            env={"THREADLINE_NEW_PASSWORD": "correct horse battery staple"},
        )
        assert result.exit_code == 0, result.output
    result = runner.invoke(
        app,
        [
            "--db",
            database_url,
            "check",
            "--reason",
            "stop",
            "--as",
            "officer@suffolk",
            "--uprn",
            UPRN,
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    [card] = json.loads(result.stdout)["results"]
    assert card["record"]["line1"] == "12 Mill Lane"
    assert card["record"]["uprn"] == UPRN
    assert card["reasons"] == ["UPRN matches"]
    shown = runner.invoke(
        app,
        [
            "--db",
            database_url,
            "check",
            "--reason",
            "stop",
            "--as",
            "officer@suffolk",
            "--uprn",
            UPRN,
        ],
    )
    assert shown.exit_code == 0 and "NR1 3AB" in shown.stdout


def test_the_api_checks_by_uprn(client: TestClient, site: Site) -> None:
    home = _site_home(site)
    reply = client.get(
        "/api/v1/check",
        params={"reason": "stop", "uprn": "9900 0000 3001"},
        headers={"Authorization": f"Bearer {site.officer_token}"},
    )
    assert reply.status_code == 200
    [card] = reply.json()["results"]
    assert card["record"]["id"] == home and card["record"]["uprn"] == UPRN
