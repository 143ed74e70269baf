"""A release alert tells a partner of the release its agreement covers, and nothing of
what police did about it (issue 11, finding 1: "never about material it may not see").

Probation reads custody episodes of HMP Norwich under an agreement; ten days before Dean
Carter's release `threadline tick` tells probation he is due out, as the LRO is told. The
LRO hears that a plan is or is not recorded; probation must not hear that the LRO was
told, nor anything else of the police's part.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from tests.prison.world import World
from threadline.model.security import system_actor
from threadline.schedule import tick
from threadline.settings import Settings
from threadline.sharing import add_isa
from threadline.storage.db import session_scope
from threadline.storage.sharing_tables import AlertRow

SETTINGS = Settings(secret_key="prison-tests-secret-key-long-enough-for-hmac-signing")
POLICE_WORDS = ("LRO", "lead responsible officer", "police", "Norfolk", "Carter OCG", "plan")


def _told(world: World, user: int) -> list[str]:
    with session_scope(world.engine) as session:
        return list(
            session.scalars(
                select(AlertRow.summary).where(AlertRow.user_id == user, AlertRow.kind == "release")
            )
        )


def test_probation_hears_of_the_release_and_nothing_of_police_action(world: World) -> None:
    with session_scope(world.engine) as session:
        add_isa(
            session,
            actor=system_actor(),
            ref="ISA-HMPN-PROB-01",
            title="HMP Norwich and Probation East",
            purpose="Resettlement of prisoners leaving custody",
            legal_basis="Offender Management Act 2007 s14",
            providers=["hmp-norwich"],
            recipients=["probation-east"],
            data_items=["custody", "person.family_name", "person.given_names"],
            retention="Two years from receipt, then secure destruction",
            starts_on=date(2025, 1, 1),
            review_on=date(2099, 1, 1),
        )
    when = datetime.combine(date(2027, 3, 1) - timedelta(days=7), datetime.min.time())
    (result,) = tick(world.engine, settings=SETTINGS, now=when, only=("prison",))
    assert result.error is None, result.error
    (told,) = _told(world, world.probation)
    assert "due for release" in told and "1 March 2027" in told, told
    assert not any(word.lower() in told.lower() for word in POLICE_WORDS), told
    # Police are still told in their own words.
    assert any("no release plan is recorded" in s for s in _told(world, world.lro))
