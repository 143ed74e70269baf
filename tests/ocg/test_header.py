"""The header of a group's pages: who sees it, and what it says."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tests.factories import make_organisation
from tests.policy.factories import make_actor, seed_partners
from threadline.errors import Forbidden, NotFound
from threadline.model.enums import Marking
from threadline.model.security import Role
from threadline.ocg.header import group_header
from threadline.storage.db import session_factory


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_factory(engine)() as session:
        seed_partners(session)
        yield session


def test_an_analyst_sees_the_header_and_a_partner_is_told_there_is_no_such_group(
    session: Session,
) -> None:
    group = make_organisation(session, name="Kestrel Crew", org_type="ocg")
    session.commit()
    header = group_header(session, actor=make_actor(), group_id=group.entity_id)
    assert (header.name, header.owner_name, header.archived) == (
        "Kestrel Crew",
        "Norfolk Constabulary",
        False,
    )
    assert header.band is None and header.priority is None
    partner = make_actor(roles=Role.PARTNER, agency="childrens-services")
    with pytest.raises(NotFound) as refused:
        group_header(session, actor=partner, group_id=group.entity_id)
    assert str(refused.value.detail) == f"no crime group with id {group.entity_id}"
    low = make_actor(clearance=Marking.OFFICIAL)
    secret = make_organisation(session, name="Hidden Crew", marking="OFFICIAL-SENSITIVE")
    session.commit()
    with pytest.raises(Forbidden):
        group_header(session, actor=low, group_id=secret.entity_id)
    with pytest.raises(NotFound):
        group_header(session, actor=make_actor(), group_id=secret.entity_id + 999)
