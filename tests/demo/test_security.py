"""The demo region's users, sharing agreements and intelligence, as a tester would try them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from tests.templates import DEMO_PASSWORD, copy_database, demo_region
from threadline.accounts import actor_for, authenticate
from threadline.intel import list_reports, list_sanitised
from threadline.policy import SOURCE_FIELDS
from threadline.sharing import list_isas
from threadline.storage.db import make_engine, session_scope
from threadline.storage.tables import IntelReportRow

PASSWORD = DEMO_PASSWORD
DEMO_PEOPLE = 1200
SEED = 11


@pytest.fixture(scope="module")
def demo_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """A copy of the demo region at 1,200 people, seed 11, with its users (built once per
    run and shared with tests/demo/test_capabilities.py and tests/improvement)."""
    path: Path = tmp_path_factory.mktemp("demo-security") / "demo.db"
    return make_engine(str(copy_database(demo_region(DEMO_PEOPLE, seed=SEED), path)))


@pytest.mark.parametrize(
    "username",
    [
        "officer@norfolk",
        "analyst@norfolk",
        "lro@norfolk",
        "supervisor@norfolk",
        "dpo@norfolk",
        "prison@hmp-norwich",
        "partner@norfolk-cads",
        "admin@ersou",
    ],
)
def test_every_named_demo_user_signs_in_with_the_demo_password(
    demo_engine: Engine, username: str
) -> None:
    with session_scope(demo_engine) as session:
        actor = authenticate(session, username=username, password=PASSWORD)
    assert actor.username == username


def test_intelligence_of_both_handling_codes_with_sanitised_versions(demo_engine: Engine) -> None:
    with session_scope(demo_engine) as session:
        codes = set(session.scalars(select(IntelReportRow.handling)))
        analyst = actor_for(session, "analyst@norfolk")
        reports = list_reports(session, actor=analyst, owner="norfolk")
        versions = list_sanitised(session, actor=analyst)
    assert codes == {"P", "C"}
    assert reports and versions
    assert any(view["handling"] == "C" and view["conditions"] for view in reports)


def test_norfolk_partner_sees_sanitised_material_only_without_sources(
    demo_engine: Engine,
) -> None:
    with session_scope(demo_engine) as session:
        partner = actor_for(session, "partner@norfolk-cads")
        seen = list_sanitised(session, actor=partner)
        agreements = {isa.ref: isa for isa in list_isas(session, actor=partner)}
    assert "ISA-NOR-CADS" in agreements
    assert seen, "the demo should give CADS something to see"
    for view in seen:
        assert view["owner"] == "norfolk"
        assert not SOURCE_FIELDS & set(view)
        assert "police" not in view.get("restricted_to", [])


def test_schools_agreement_has_lapsed(demo_engine: Engine) -> None:
    with session_scope(demo_engine) as session:
        partner = actor_for(session, "partner@norfolk-schools")
        assert list_sanitised(session, actor=partner) == []
