"""Adding and listing organisations."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.accounts.helpers import REGION_ADMIN, events, make_user
from threadline.accounts import actor_for, add_agency, list_agencies
from threadline.errors import Conflict, Forbidden, InvalidData
from threadline.model.enums import AgencyKind
from threadline.storage.db import session_scope


def test_a_region_administrator_adds_a_partner_and_it_is_listed(engine: Engine) -> None:
    with session_scope(engine) as session:
        added = add_agency(
            session,
            actor=REGION_ADMIN,
            code="norfolk-cads",
            name="Norfolk  Children's Advice and Duty Service",
            kind="childrens-services",
            county="norfolk",
        )
    assert added.kind is AgencyKind.CHILDRENS_SERVICES
    assert added.name == "Norfolk Children's Advice and Duty Service"
    with session_scope(engine) as session:
        partners = list_agencies(session, kind="childrens_services")
        everyone = list_agencies(session)
        (event,) = events(session, "agency.added")
    assert partners == [added]
    assert {"ersou", "norfolk", "norfolk-cads"} <= {a.code for a in everyone}
    assert event["details"]["agency"] == "norfolk-cads"
    assert event["action"] == "collection"


def test_bad_codes_kinds_and_counties_are_reported_together(engine: Engine) -> None:
    with session_scope(engine) as session, pytest.raises(InvalidData) as exc:
        add_agency(
            session, actor=REGION_ADMIN, code="Norfolk CADS", name=" ", kind="police", county="x"
        )
    problems = {error.location: error for error in exc.value.errors}
    assert set(problems) == {"code", "name", "kind"}
    assert "did you mean 'norfolk-cads'" in problems["code"].expected
    assert "childrens_services" in problems["kind"].expected
    with session_scope(engine) as session, pytest.raises(InvalidData, match="county"):
        add_agency(
            session, actor=REGION_ADMIN, code="x-housing", name="X", kind="housing", county="devon"
        )
    with session_scope(engine) as session:
        for code in ("a", "-ab", "ab-", "a" * 65, "ab_c"):
            with pytest.raises(InvalidData):
                add_agency(session, actor=REGION_ADMIN, code=code, name="X", kind="charity")


def test_a_code_in_use_is_a_conflict(engine: Engine) -> None:
    with session_scope(engine) as session, pytest.raises(Conflict):
        add_agency(session, actor=REGION_ADMIN, code="norfolk", name="Again", kind="force")


def test_only_region_administrators_add_organisations(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_user(session, "admin@norfolk", roles=["admin"], clearance="SECRET")
        force_admin = actor_for(session, "admin@norfolk")
        with pytest.raises(Forbidden, match="regional unit"):
            add_agency(session, actor=force_admin, code="new-charity", name="N", kind="charity")
