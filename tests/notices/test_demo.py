"""The demo's notices: several forces, both handling codes, partners only under agreements."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select

from tests.templates import copy_database, demo_region
from threadline.accounts import actor_for
from threadline.demo.notices import add_demo_notices
from threadline.notices import list_notices
from threadline.storage.db import make_engine, session_scope
from threadline.storage.sharing_tables import (
    DisseminationRow,
    NoticeAudienceRow,
    ThreatNoticeRow,
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A copy of the demo region at 400 people with its users (built once per run), with
    the demo's notices added."""
    path = tmp_path_factory.mktemp("notices-demo") / "demo.db"
    engine = make_engine(str(copy_database(demo_region(400), path)))
    with session_scope(engine) as session:
        assert add_demo_notices(session) > 0
    yield engine
    engine.dispose()


def test_notices_of_several_forces_with_both_handling_codes(demo: Engine) -> None:
    with session_scope(demo) as session:
        refs = list(session.scalars(select(ThreatNoticeRow.ref)))
        handling = set(session.scalars(select(ThreatNoticeRow.handling)))
        statuses = set(session.scalars(select(ThreatNoticeRow.status)))
        unregistered = session.scalar(
            select(func.count())
            .select_from(ThreatNoticeRow)
            .where(~ThreatNoticeRow.id.in_(select(DisseminationRow.notice_id)))
        )
    assert {ref.split("-")[1] for ref in refs} >= {"NFK", "ESX", "KNT", "SFK"}
    assert handling == {"P", "C"}
    assert statuses == {"published"}
    assert unregistered == 0  # every notice went through publishing and the register


def test_partners_are_audiences_only_under_an_agreement(demo: Engine) -> None:
    with session_scope(demo) as session:
        partners = set(
            session.scalars(
                select(NoticeAudienceRow.code).where(NoticeAudienceRow.kind == "agency")
            )
        )
        assert "norfolk-cads" in partners and "probation-east-of-england" in partners
        assert not partners & {"norwich-housing", "norfolk-schools", "safe-passage-charity"}
        cads = list_notices(session, actor=actor_for(session, "partner@norfolk-cads"))
        assert cads and all(v.isa_ref == "ISA-NOR-MASH-TN" for v in cads)
        housing = list_notices(session, actor=actor_for(session, "partner@norwich-housing"))
        assert list(housing) == []


def test_one_notice_is_due_for_review_and_adding_again_adds_nothing(demo: Engine) -> None:
    with session_scope(demo) as session:
        due = list_notices(session, actor=actor_for(session, "analyst@kent"), status="review due")
        assert len(due) == 1
        assert add_demo_notices(session) == 0
