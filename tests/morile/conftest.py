"""A small region for MoRiLE tests: two Norfolk groups, one Suffolk group, and the users
who assess and read them (real accounts, so assessors are named)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tests.factories import make_organisation
from tests.policy.factories import seed_partners
from threadline.accounts import add_user
from threadline.accounts.login import actor_for
from threadline.model.security import Actor, system_actor
from threadline.storage.db import session_factory

PASSWORD = "correct horse battery staple"
USERS = (
    ("analyst@norfolk", "norfolk", "analyst", "SECRET", "Nora Field"),
    ("analyst@suffolk", "suffolk", "analyst", "SECRET", "Sue Ffolk"),
    ("supervisor@ersou", "ersou", "supervisor", "SECRET", "Reg Ional"),
    ("lro@norfolk", "norfolk", "lro", "SECRET", "Lee Roe"),
    ("officer@norfolk", "norfolk", "frontline", "OFFICIAL-SENSITIVE", "Fran Line"),
    ("analyst-low@norfolk", "norfolk", "analyst", "OFFICIAL", "Low Clear"),
    ("partner@norfolk-cads", "norfolk-cads", "partner", "OFFICIAL-SENSITIVE", "Pat Ner"),
    ("prison@hmp-norwich", "hmp-norwich", "prison_intel", "OFFICIAL-SENSITIVE", "Pri Son"),
)


@dataclass
class Region:
    session: Session
    kestrel: int  # Norfolk, OFFICIAL
    heron: int  # Norfolk, SECRET
    wren: int  # Suffolk, OFFICIAL

    def actor(self, username: str) -> Actor:
        return actor_for(self.session, username)


@contextmanager
def build_region(engine: Engine) -> Iterator[Region]:
    """The region's groups and users in `engine`, with a session open on it."""
    with session_factory(engine)() as session:
        seed_partners(session)
        for username, agency, role, clearance, name in USERS:
            add_user(
                session, actor=system_actor("ersou", "test"), username=username,
                display_name=name, agency_code=agency, roles=[role], clearance=clearance,
                password=PASSWORD,
            )  # fmt: skip
        kestrel = make_organisation(session, name="Kestrel", org_type="ocg").entity_id
        heron = make_organisation(session, name="Heron", marking="SECRET").entity_id
        wren = make_organisation(session, name="Wren", owner="suffolk").entity_id
        session.commit()
        yield Region(session, kestrel, heron, wren)


@pytest.fixture
def region(engine: Engine) -> Iterator[Region]:
    with build_region(engine) as built:
        yield built
