"""The safeguarding rules of `threadline.policy.welfare`, as pure decisions (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.policy.factories import ORGS, make_actor
from threadline.model.enums import Marking
from threadline.model.security import Actor, Role
from threadline.policy import Action, IsaTerms, PolicyContext, Resource, ResourceKind, decide

DAY = date(2026, 6, 1)
CADS_ISA = IsaTerms(
    ref="ISA-NFK-CADS-SG",
    providers=frozenset({"norfolk"}),
    recipients=frozenset({"norfolk-cads"}),
    data_items=frozenset({"person.family_name", "safeguarding"}),
    starts_on=date(2025, 1, 1),
    review_on=date(2099, 1, 1),
    areas=frozenset({"norwich"}),
    cohorts=frozenset({"under_18"}),
)
# (areas, cohorts) of the person a record is about.
CHILD = (frozenset({"norwich"}), frozenset({"under_18"}))
ADULT_ELSEWHERE = (frozenset({"ipswich"}), frozenset[str]())


def ctx(actor: Actor) -> PolicyContext:
    return PolicyContext(agency_code=actor.agency_code, on=DAY, isas=(CADS_ISA,))


def allowed(actor: Actor, action: Action, resource: Resource) -> bool:
    return decide(actor=actor, action=action, resource=resource, ctx=ctx(actor)).allowed


def about_child(
    kind: ResourceKind, actor: Actor, person: tuple[frozenset[str], frozenset[str]]
) -> Resource:
    """A new record of `kind` by the actor's organisation about a person Norfolk holds."""
    return Resource(
        kind=kind,
        owner=actor.agency_code,
        marking=Marking.OFFICIAL_SENSITIVE,
        parties=frozenset({"norfolk"}),
        areas=person[0],
        cohorts=person[1],
    )


@pytest.mark.parametrize("kind", [ResourceKind.SCREENING, ResourceKind.CONCERN])
def test_who_screens_and_raises_concerns(kind: ResourceKind) -> None:
    officer = make_actor(roles=Role.FRONTLINE, agency="force-own")
    partner = make_actor(roles=Role.PARTNER, agency="childrens-services")
    school = make_actor(roles=Role.PARTNER, agency="education")
    dpo = make_actor(roles=Role.DPO, agency="force-own")
    assert allowed(officer, Action.CREATE, about_child(kind, officer, CHILD))
    assert allowed(partner, Action.CREATE, about_child(kind, partner, CHILD))
    # Outside the agreement's area and cohort, or with no agreement at all: refused.
    assert not allowed(partner, Action.CREATE, about_child(kind, partner, ADULT_ELSEWHERE))
    assert not allowed(school, Action.CREATE, about_child(kind, school, CHILD))
    assert not allowed(dpo, Action.CREATE, about_child(kind, dpo, CHILD))
    # Never on another organisation's behalf.
    assert not allowed(officer, Action.CREATE, about_child(kind, partner, CHILD))


def test_police_respond_to_concerns_and_only_parties_record_a_referrals_outcome() -> None:
    officer = make_actor(roles=Role.FRONTLINE, agency="force-own")
    partner = make_actor(roles=Role.PARTNER, agency="childrens-services")
    school = make_actor(roles=Role.PARTNER, agency="education")
    concern = about_child(ResourceKind.CONCERN, partner, CHILD)
    assert allowed(officer, Action.RESPOND, concern)
    assert not allowed(partner, Action.RESPOND, concern)
    referral = Resource(
        kind=ResourceKind.REFERRAL,
        owner="norfolk",
        marking=Marking.OFFICIAL_SENSITIVE,
        parties=frozenset({"norfolk", "norfolk-cads"}),
        id=7,
    )
    assert allowed(partner, Action.RESPOND, referral)
    assert allowed(officer, Action.RESPOND, referral)
    refused = decide(actor=school, action=Action.RESPOND, resource=referral, ctx=ctx(school))
    assert not refused.allowed
    assert "recorded by norfolk or norfolk-cads, not norfolk-schools" in refused.reason


def test_a_referral_is_a_disclosure_to_a_partner_under_an_agreement() -> None:
    officer = make_actor(roles=Role.FRONTLINE, agency="force-own")
    child = about_child(ResourceKind.REFERRAL, officer, CHILD)
    to = ORGS["childrens-services"]
    made = decide(
        actor=officer, action=Action.CREATE, resource=child, ctx=ctx(officer), recipient=to
    )
    assert made.allowed and made.isa_ref == "ISA-NFK-CADS-SG"
    for recipient, person in ((ORGS["education"], CHILD), (to, ADULT_ELSEWHERE)):
        refused = decide(
            actor=officer,
            action=Action.CREATE,
            resource=about_child(ResourceKind.REFERRAL, officer, person),
            ctx=ctx(officer),
            recipient=recipient,
        )
        assert not refused.allowed and "is a disclosure" in refused.reason
    police = decide(
        actor=officer, action=Action.CREATE, resource=child, ctx=ctx(officer),
        recipient=ORGS["force-other"],
    )  # fmt: skip
    assert not police.allowed and "referrals go to partner organisations" in police.reason


def test_charging_is_for_police_and_overriding_for_supervisors() -> None:
    decision = Resource(kind=ResourceKind.CHARGE_DECISION, owner="norfolk")
    officer = make_actor(roles=Role.FRONTLINE, agency="force-own")
    supervisor = make_actor(roles=Role.SUPERVISOR, agency="force-own")
    partner = make_actor(roles=Role.PARTNER, agency="childrens-services")
    prison = make_actor(roles=Role.PRISON_INTEL, agency="prison")
    assert allowed(officer, Action.CREATE, decision)
    assert not allowed(officer, Action.OVERRIDE, decision)
    assert allowed(supervisor, Action.OVERRIDE, decision)
    for outsider in (partner, prison):
        own = Resource(kind=ResourceKind.CHARGE_DECISION, owner=outsider.agency_code)
        assert not allowed(outsider, Action.CREATE, own)
        assert not allowed(outsider, Action.OVERRIDE, own)


def test_overrides_are_read_by_a_forces_leads_and_the_regions() -> None:
    norfolk = Resource(kind=ResourceKind.CHARGE_DECISION, owner="norfolk", id=1)
    suffolk = Resource(kind=ResourceKind.CHARGE_DECISION, owner="suffolk", id=2)
    lead = make_actor(roles=Role.ANALYST, agency="force-own")
    regional = make_actor(roles=Role.SUPERVISOR, agency="regional-unit")
    officer = make_actor(roles=Role.FRONTLINE, agency="force-own")
    assert allowed(lead, Action.READ, norfolk) and not allowed(lead, Action.READ, suffolk)
    assert allowed(regional, Action.READ, norfolk) and allowed(regional, Action.READ, suffolk)
    assert not allowed(officer, Action.READ, norfolk)


def test_suggestions_are_for_police_officers_and_staff() -> None:
    kind = Resource(kind=ResourceKind.SCREENING)
    assert allowed(make_actor(roles=Role.FRONTLINE, agency="force-own"), Action.SEARCH, kind)
    assert not allowed(
        make_actor(roles=Role.PARTNER, agency="childrens-services"), Action.SEARCH, kind
    )
    assert not allowed(make_actor(roles=Role.PRISON_INTEL, agency="prison"), Action.SEARCH, kind)
