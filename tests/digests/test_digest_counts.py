"""A digest's item count is counted after policy (finding 12): an item marked above the
reader's clearance is neither shown nor counted in the list, only withheld in the digest."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from tests.briefings.region import PROBATION, Region
from threadline.accounts import actor_for, add_user, passwords
from threadline.digests import get_digest, list_digests
from threadline.errors import Forbidden
from threadline.model.security import system_actor
from threadline.schedule import tick
from threadline.settings import Settings
from threadline.storage.db import session_scope
from threadline.storage.sharing_tables import DigestItemRow


@pytest.fixture(autouse=True)
def cheap_hashing() -> None:
    passwords.configure(time_cost=1, memory_cost=8, parallelism=1)


def test_an_item_above_the_readers_clearance_is_not_counted_in_the_list(
    region: Region, settings: Settings
) -> None:
    tick(region.engine, settings=settings)
    with session_scope(region.engine) as session:
        for username, clearance, roles in (
            (f"clerk@{PROBATION}", "OFFICIAL", ["partner"]),
            (f"admin@{PROBATION}", "SECRET", ["admin"]),
        ):
            add_user(
                session,
                actor=system_actor("ersou", "test"),
                username=username,
                display_name=username,
                agency_code=PROBATION,
                roles=roles,
                clearance=clearance,
                password="correct horse battery staple",
            )
        clerk = actor_for(session, f"clerk@{PROBATION}")
        digest = list_digests(session, actor=clerk)[0]
        before = digest.items
        position = session.scalar(
            select(func.max(DigestItemRow.position)).where(DigestItemRow.digest_id == digest.id)
        )
        session.add(
            DigestItemRow(
                digest_id=digest.id,
                position=(position or 0) + 1,
                section="intelligence",
                title="Sensitive item",
                body=json.dumps({"marking": "OFFICIAL-SENSITIVE", "text": "x"}),
            )
        )
    with session_scope(region.engine) as session:
        clerk = actor_for(session, f"clerk@{PROBATION}")
        assert list_digests(session, actor=clerk)[0].items == before
        view = get_digest(session, actor=clerk, digest_id=digest.id)
        assert len(view.items) == before and view.withheld >= 1  # counted as shown
        assert "Sensitive item" not in {item.title for item in view.items}
        # An administrator of the partner manages accounts and reads no shared material.
        admin = actor_for(session, f"admin@{PROBATION}")
        with pytest.raises(Forbidden):
            get_digest(session, actor=admin, digest_id=digest.id)
