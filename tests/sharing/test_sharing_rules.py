"""The rules of routine sharing and figures, decided by policy alone (no database).

Each (action, kind) pair is registered in `threadline.policy.sharing` or
`threadline.policy.figures`; a refusal names its rule and says why in a sentence.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.policy.factories import make_actor
from threadline.model.enums import Marking
from threadline.model.security import Actor, Role
from threadline.policy import Action, IsaTerms, PolicyContext, Resource, ResourceKind, decide
from threadline.policy.figures import Dashboard, figures_resource

ON = date(2026, 6, 1)


def _decide(
    actor: Actor, action: Action, resource: Resource, isas: tuple[IsaTerms, ...] = ()
) -> tuple[bool, str]:
    ctx = PolicyContext(actor.agency_code, ON, isas)
    decision = decide(actor=actor, action=action, resource=resource, ctx=ctx)
    assert decision.reason  # always a sentence
    return decision.allowed, decision.rule


def _notice(*, draft: bool = False, parties: frozenset[str] = frozenset()) -> Resource:
    return Resource(
        kind=ResourceKind.THREAT_NOTICE,
        owner="norfolk",
        scope="agency" if draft else "region",
        areas=frozenset({"norwich"}),
        parties=parties,
        ref="TN-NFK-2026-0001",
    )


ANALYST = make_actor(roles=Role.ANALYST)
LRO = make_actor(roles=Role.LRO)
FRONTLINE = make_actor(roles=Role.FRONTLINE, clearance=Marking.OFFICIAL_SENSITIVE)
OTHER_ANALYST = make_actor(roles=Role.ANALYST, agency="force-other")
OTHER_FRONTLINE = make_actor(roles=Role.FRONTLINE, agency="force-other")
PARTNER = make_actor(roles=Role.PARTNER, agency="childrens-services")
HOUSING = make_actor(roles=Role.PARTNER, agency="housing")
PRISON = make_actor(roles=Role.PRISON_INTEL, agency="prison")
ADMIN = make_actor(roles=Role.ADMIN)
DPO = make_actor(roles=Role.DPO)
SUPERVISOR = make_actor(roles=Role.SUPERVISOR)
OTHER_SUPERVISOR = make_actor(roles=Role.SUPERVISOR, agency="force-other")
REGIONAL_SUPERVISOR = make_actor(roles=Role.SUPERVISOR, agency="regional-unit")


@pytest.mark.parametrize(
    ("actor", "allowed", "rule"),
    [
        (ANALYST, True, "notice-author"),
        (LRO, True, "notice-author"),
        (FRONTLINE, False, "notice-authors"),
        (PARTNER, False, "notice-authors"),
        (PRISON, False, "notice-authors"),
    ],
)
def test_who_drafts_a_notice(actor: Actor, allowed: bool, rule: str) -> None:
    resource = Resource(kind=ResourceKind.THREAT_NOTICE, owner=actor.agency_code)
    assert _decide(actor, Action.CREATE, resource) == (allowed, rule)


def test_a_notice_is_marked_within_its_authors_clearance() -> None:
    cleared = make_actor(roles=Role.ANALYST, clearance=Marking.OFFICIAL_SENSITIVE)
    secret = Resource(kind=ResourceKind.THREAT_NOTICE, owner="norfolk", marking=Marking.SECRET)
    assert _decide(cleared, Action.CREATE, secret) == (False, "clearance")


@pytest.mark.parametrize(
    ("actor", "allowed", "rule"),
    [
        (ANALYST, True, "notice-author"),
        (OTHER_ANALYST, False, "notice-owner"),
        (FRONTLINE, False, "notice-authors"),
    ],
)
def test_who_publishes_and_withdraws_a_notice(actor: Actor, allowed: bool, rule: str) -> None:
    assert _decide(actor, Action.PUBLISH, _notice(draft=True)) == (allowed, rule)


def test_a_draft_is_its_organisations_alone() -> None:
    assert _decide(FRONTLINE, Action.READ, _notice(draft=True))[0]
    assert _decide(OTHER_ANALYST, Action.READ, _notice(draft=True)) == (False, "notice-draft")
    addressed = _notice(draft=True, parties=frozenset({PARTNER.agency_code}))
    assert _decide(PARTNER, Action.READ, addressed) == (False, "notice-draft")


def test_a_partner_reads_only_notices_addressed_to_it() -> None:
    sent = _notice(parties=frozenset({PARTNER.agency_code}))
    isa = IsaTerms(
        ref="ISA-HOUSING",
        providers=frozenset({"norfolk"}),
        recipients=frozenset({HOUSING.agency_code}),
        data_items=frozenset({"threat_notice"}),
        starts_on=date(2025, 1, 1),
        review_on=date(2099, 1, 1),
    )
    assert _decide(HOUSING, Action.READ, sent, (isa,)) == (False, "notice-audience")
    addressed = _notice(parties=frozenset({HOUSING.agency_code}))
    assert _decide(HOUSING, Action.READ, addressed, (isa,)) == (True, "isa")
    assert _decide(OTHER_FRONTLINE, Action.READ, sent)[0]  # police of the region


def test_readers_acknowledge_a_sent_notice_and_its_authors_do_not() -> None:
    assert _decide(OTHER_FRONTLINE, Action.ACKNOWLEDGE, _notice()) == (True, "notice-reader")
    assert _decide(ANALYST, Action.ACKNOWLEDGE, _notice()) == (False, "notice-author")
    assert _decide(FRONTLINE, Action.ACKNOWLEDGE, _notice(draft=True)) == (False, "notice-draft")


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [(FRONTLINE, True), (OTHER_ANALYST, True), (DPO, True), (PARTNER, False), (ADMIN, False)],
)
def test_briefings_are_for_the_police(actor: Actor, allowed: bool) -> None:
    for action in (Action.SEARCH, Action.READ, Action.ACKNOWLEDGE):
        assert _decide(actor, action, Resource(kind=ResourceKind.BRIEFING))[0] is allowed


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [
        (SUPERVISOR, True),
        (REGIONAL_SUPERVISOR, True),
        (OTHER_SUPERVISOR, False),
        (FRONTLINE, False),
        (ANALYST, False),
    ],
)
def test_who_sees_who_has_read_a_briefing(actor: Actor, allowed: bool) -> None:
    pack = Resource(kind=ResourceKind.BRIEFING, owner="norfolk", id=7)
    assert _decide(actor, Action.READ_RECEIPTS, pack)[0] is allowed


def test_an_organisation_reads_its_own_digests_only() -> None:
    own = Resource(kind=ResourceKind.DIGEST, owner=PARTNER.agency_code, id=3)
    assert _decide(PARTNER, Action.READ, own) == (True, "digest-own-organisation")
    assert _decide(HOUSING, Action.READ, own) == (False, "digest-own-organisation")
    assert _decide(ANALYST, Action.READ, own) == (False, "digest-own-organisation")
    partner_admin = make_actor(roles=Role.ADMIN, agency="childrens-services")
    assert _decide(partner_admin, Action.READ, own) == (False, "role")
    official = make_actor(
        roles=Role.PARTNER, agency="childrens-services", clearance=Marking.OFFICIAL
    )
    sensitive = Resource(
        kind=ResourceKind.DIGEST, owner=PARTNER.agency_code, marking=Marking.OFFICIAL_SENSITIVE
    )
    assert _decide(official, Action.READ, sensitive) == (False, "clearance")


@pytest.mark.parametrize(
    ("actor", "allowed", "rule"),
    [
        (ANALYST, True, "register"),
        (LRO, True, "register"),
        (SUPERVISOR, True, "register"),
        (DPO, True, "register"),
        (FRONTLINE, False, "register-roles"),
        (ADMIN, False, "register-roles"),
        (PARTNER, False, "register-police"),
        (PRISON, False, "register-police"),
    ],
)
def test_who_reads_the_register(actor: Actor, allowed: bool, rule: str) -> None:
    assert _decide(actor, Action.READ, Resource(kind=ResourceKind.REGISTER)) == (allowed, rule)


@pytest.mark.parametrize(
    ("dashboard", "actor", "allowed"),
    [
        (Dashboard.SHARING, SUPERVISOR, True),
        (Dashboard.SHARING, DPO, True),
        (Dashboard.SHARING, FRONTLINE, False),
        (Dashboard.SHARING, PARTNER, False),
        (Dashboard.SAFEGUARDING, ANALYST, True),
        (Dashboard.SAFEGUARDING, OTHER_FRONTLINE, False),
        (Dashboard.PRISON, FRONTLINE, True),
        (Dashboard.PRISON, PRISON, False),
        (Dashboard.PRISON, ADMIN, False),
    ],
)
def test_who_sees_each_dashboard(dashboard: Dashboard, actor: Actor, allowed: bool) -> None:
    assert _decide(actor, Action.READ, figures_resource(dashboard))[0] is allowed
