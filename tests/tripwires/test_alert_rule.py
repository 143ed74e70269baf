"""The alert rule itself (`policy.alerts`), pure: every happening to every kind of recipient.

Partners are told, never watched over: whatever police did, no organisation outside the
police is alerted about it; what reached an organisation under its agreement is told to
that organisation only, without who, which force or when.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.policy.factories import ORGS, make_actor
from threadline.model.enums import Marking
from threadline.model.security import Role
from threadline.policy import IsaTerms, PolicyContext, Resource, ResourceKind
from threadline.policy.alerts import (
    PARTNER_TOLD,
    AlertEvent,
    DoerShown,
    Happened,
    alert_decision,
    doer_shown,
)

DAY = date(2026, 6, 1)
CHILD = Resource(
    kind=ResourceKind.PERSON,
    owner="norfolk",
    marking=Marking.OFFICIAL_SENSITIVE,
    areas=frozenset({"norwich"}),
    cohorts=frozenset({"under_18"}),
    id=7,
)
PARTNERS = ("prison", "probation", "childrens-services", "education", "housing", "health")


def _ctx(code: str) -> PolicyContext:
    isa = IsaTerms(
        ref="ISA-T-01",
        providers=frozenset({"norfolk"}),
        recipients=frozenset({code}),
        data_items=frozenset({"person.family_name"}),
        areas=frozenset({"norwich"}),
        starts_on=date(2025, 1, 1),
        review_on=date(2099, 1, 1),
    )
    return PolicyContext(agency_code=code, on=DAY, isas=(isa,))


def _event(what: Happened, *, to: str = "", concern_of: str | None = None) -> AlertEvent:
    return AlertEvent(
        happened=what,
        agency="suffolk",
        recipients=frozenset({to}) if to else frozenset(),
        concern_of=concern_of,
    )


@pytest.mark.parametrize("org", (*PARTNERS, "charity"))
@pytest.mark.parametrize("what", sorted(set(Happened) - PARTNER_TOLD))
@pytest.mark.parametrize("watching", [True, False])
def test_no_police_activity_ever_reaches_a_partner(
    org: str, what: Happened, watching: bool
) -> None:
    partner = make_actor(roles=Role.PARTNER, agency=org, clearance=Marking.OFFICIAL_SENSITIVE)
    code = ORGS[org].code
    decision = alert_decision(
        recipient=partner,
        ctx=_ctx(code),
        event=_event(what, to=code, concern_of=code),
        record=CHILD,
        watching=watching,
    )
    assert not decision.allowed and decision.rule == "partners-told-never-watched"


@pytest.mark.parametrize(
    ("what", "to", "concern_of", "told"),
    [
        (Happened.NOTICE_PUBLISHED, "norfolk-cads", None, True),
        (Happened.NOTICE_PUBLISHED, "norwich-housing", None, False),
        (Happened.REPORT_SHARED, "norfolk-cads", None, True),
        (Happened.REPORT_SHARED, "norfolk-schools", None, False),
        (Happened.CONCERN_ANSWERED, "", "norfolk-cads", True),
        (Happened.CONCERN_ANSWERED, "", "norwich-housing", False),
        (Happened.RELEASED, "", None, True),
    ],
)
def test_a_partner_is_told_only_what_reached_it(
    what: Happened, to: str, concern_of: str | None, told: bool
) -> None:
    partner = make_actor(
        roles=Role.PARTNER, agency="childrens-services", clearance=Marking.OFFICIAL_SENSITIVE
    )
    event = _event(what, to=to, concern_of=concern_of)
    decision = alert_decision(
        recipient=partner, ctx=_ctx("norfolk-cads"), event=event, record=CHILD, watching=False
    )
    assert decision.allowed is told, decision.reason
    if told:
        assert decision.isa_ref == "ISA-T-01" and decision.fields is not None
        assert doer_shown(partner, event) is DoerShown.NOTHING


def test_nothing_a_partner_may_not_read_is_told() -> None:
    partner = make_actor(roles=Role.PARTNER, agency="childrens-services")
    elsewhere = Resource(kind=ResourceKind.PERSON, owner="norfolk", areas=frozenset({"ipswich"}))
    decision = alert_decision(
        recipient=partner,
        ctx=_ctx("norfolk-cads"),
        event=_event(Happened.REPORT_SHARED, to="norfolk-cads"),
        record=elsewhere,
        watching=False,
    )
    assert not decision.allowed


def test_police_watchers_are_told_by_role_or_name_and_never_above_clearance() -> None:
    lro = make_actor(roles=Role.LRO, agency="force-own", clearance=Marking.OFFICIAL_SENSITIVE)
    ctx = PolicyContext(agency_code="norfolk", on=DAY)
    checked = _event(Happened.CHECKED)
    assert alert_decision(
        recipient=lro, ctx=ctx, event=checked, record=CHILD, watching=True
    ).allowed
    assert doer_shown(lro, checked) is DoerShown.ROLE
    colleague = AlertEvent(happened=Happened.CHECKED, agency="norfolk")
    assert doer_shown(lro, colleague) is DoerShown.NAMED
    secret = Resource(kind=ResourceKind.INTEL_REPORT, owner="norfolk", marking=Marking.SECRET)
    refused = alert_decision(
        recipient=lro,
        ctx=ctx,
        event=_event(Happened.INTELLIGENCE),
        record=CHILD,
        material=[secret],
        watching=True,
    )
    assert not refused.allowed and refused.rule == "alert-material"
    # Police hear through their watches only, never as an organisation.
    assert not alert_decision(
        recipient=lro, ctx=ctx, event=checked, record=CHILD, watching=False
    ).allowed
