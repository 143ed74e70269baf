"""The rules beyond the matrix: sources, writes, erasure, administration, agreements."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.policy.factories import DAY, ORGS, make_actor
from threadline.errors import Forbidden
from threadline.model.enums import AgencyKind, Marking
from threadline.model.events import HandlingCode
from threadline.model.security import Role, system_actor
from threadline.policy import (
    Action,
    Decision,
    IsaState,
    IsaTerms,
    PolicyContext,
    Resource,
    ResourceKind,
    decide,
    require,
)
from threadline.policy.identity import police_kind

REPORT = Resource(
    kind=ResourceKind.INTEL_REPORT,
    owner="norfolk",
    marking=Marking.OFFICIAL_SENSITIVE,
    handling=HandlingCode.PERMITTED,
    unit="norfolk-fib",
    areas=frozenset({"norwich"}),
    id=7,
    ref="NFK-IR-2026-000007",
)
SANITISED = replace(REPORT, kind=ResourceKind.SANITISED_REPORT, ref="NFK-IR-2026-000007-S1")
PERSON = Resource(
    kind=ResourceKind.PERSON,
    owner="norfolk",
    areas=frozenset({"norwich"}),
    cohorts=frozenset({"under_18"}),
    id=3,
)
ISA = IsaTerms(
    ref="ISA-1",
    providers=frozenset({"norfolk"}),
    recipients=frozenset({"norfolk-cads"}),
    data_items=frozenset({"person.family_name", "person.given_names", "sanitised_report"}),
    starts_on=date(2026, 1, 1),
    review_on=date(2027, 1, 1),
)


def ask(
    actor_kwargs: dict[str, object], action: Action, resource: Resource, *isas: IsaTerms
) -> Decision:
    actor = make_actor(**actor_kwargs)  # type: ignore[arg-type]
    ctx = PolicyContext(actor.agency_code, DAY, isas)
    return decide(actor=actor, action=action, resource=resource, ctx=ctx)


# --------------------------------------------------------------------------- source


def test_source_only_in_the_originating_unit() -> None:
    assert ask({"unit": "norfolk-fib"}, Action.READ_SOURCE, REPORT).allowed
    other_unit = ask({"unit": "norfolk-serious-crime"}, Action.READ_SOURCE, REPORT)
    no_unit = ask({"roles": Role.SUPERVISOR}, Action.READ_SOURCE, REPORT)
    other_force = ask({"agency": "force-other", "unit": "norfolk-fib"}, Action.READ_SOURCE, REPORT)
    for refused in (other_unit, no_unit, other_force):
        assert not refused.allowed
        assert refused.rule == "originating-unit-only"
        assert "originating intelligence unit" in refused.reason


def test_read_shows_the_source_fields_only_to_the_unit() -> None:
    in_unit = ask({"unit": "norfolk-fib"}, Action.READ, REPORT)
    colleague = ask({"roles": Role.FRONTLINE}, Action.READ, REPORT)
    assert in_unit.fields is None
    assert colleague.fields is not None and "fact" in colleague.fields
    assert not colleague.fields & {"source_ref", "source_handler", "submitted_by"}


# --------------------------------------------------------------------------- writes


@pytest.mark.parametrize(
    ("kwargs", "allowed", "rule"),
    [
        ({"roles": Role.FRONTLINE}, True, "submit"),
        ({"roles": Role.PRISON_INTEL, "agency": "prison"}, True, "submit"),
        ({"roles": Role.PARTNER, "agency": "childrens-services"}, False, "intel-submitters"),
        ({"roles": Role.ANALYST, "agency": "probation"}, False, "intel-submitters"),
        ({"roles": Role.ADMIN}, False, "role"),
        ({"roles": Role.DPO}, False, "role"),
    ],
)
def test_who_submits_intelligence(kwargs: dict[str, object], allowed: bool, rule: str) -> None:
    actor = make_actor(**kwargs)  # type: ignore[arg-type]
    resource = Resource(kind=ResourceKind.INTEL_REPORT, owner=actor.agency_code)
    decision = decide(
        actor=actor,
        action=Action.CREATE,
        resource=resource,
        ctx=PolicyContext(actor.agency_code, DAY),
    )
    assert (decision.allowed, decision.rule) == (allowed, rule)


def test_intelligence_is_submitted_for_the_own_organisation_only() -> None:
    decision = ask({}, Action.CREATE, Resource(kind=ResourceKind.INTEL_REPORT, owner="suffolk"))
    assert not decision.allowed and decision.rule == "own-organisation"


def test_submitting_above_clearance_is_refused() -> None:
    secret = Resource(kind=ResourceKind.INTEL_REPORT, owner="norfolk", marking=Marking.SECRET)
    decision = ask({"clearance": Marking.OFFICIAL_SENSITIVE}, Action.CREATE, secret)
    assert not decision.allowed and decision.rule == "clearance"


@pytest.mark.parametrize(
    ("kwargs", "allowed"),
    [
        ({"roles": Role.ANALYST, "unit": "norfolk-fib"}, True),
        ({"roles": Role.SUPERVISOR, "unit": "norfolk-fib"}, True),
        ({"roles": Role.ANALYST, "unit": "norfolk-other"}, False),  # not the originating unit
        ({"roles": Role.ANALYST}, False),
        ({"roles": Role.FRONTLINE, "unit": "norfolk-fib"}, False),
        ({"roles": Role.LRO, "unit": "norfolk-fib"}, False),
        ({"roles": Role.ANALYST, "agency": "force-other", "unit": "norfolk-fib"}, False),
    ],
)
def test_who_sanitises(kwargs: dict[str, object], allowed: bool) -> None:
    create = replace(SANITISED, id=None)
    assert ask(kwargs, Action.CREATE, create).allowed is allowed


def test_prison_intelligence_officers_sanitise_their_prisons_reports() -> None:
    prison_report = replace(SANITISED, owner="hmp-norwich", unit="hmp-norwich-security")
    officer = {"roles": Role.PRISON_INTEL, "agency": "prison", "unit": "hmp-norwich-security"}
    assert ask(officer, Action.CREATE, prison_report).allowed
    in_a_force = {"roles": Role.PRISON_INTEL, "unit": "norfolk-fib"}
    assert not ask(in_a_force, Action.CREATE, SANITISED).allowed


def test_legacy_material_is_read_only() -> None:
    legacy = replace(REPORT, read_only=True)
    decision = ask({"unit": "norfolk-fib"}, Action.UPDATE, legacy)
    assert not decision.allowed and decision.rule == "read-only"
    assert "5x5x5" in decision.reason
    assert ask({"unit": "norfolk-fib"}, Action.UPDATE, REPORT).allowed


def test_the_system_collects_for_any_organisation() -> None:
    actor = system_actor(reason="import")
    decision = decide(
        actor=actor,
        action=Action.CREATE,
        resource=Resource(kind=ResourceKind.PERSON, owner="kent"),
        ctx=PolicyContext(actor.agency_code, DAY),
    )
    assert decision.allowed
    read = decide(
        actor=actor, action=Action.READ, resource=PERSON, ctx=PolicyContext(actor.agency_code, DAY)
    )
    assert not read.allowed and read.rule == "role"  # collecting is not reading


# --------------------------------------------------------------------------- erase, admin, audit


def test_erasure_by_the_owning_dpo_only() -> None:
    assert ask({"roles": Role.DPO}, Action.ERASE, PERSON).allowed
    assert not ask({"roles": Role.DPO, "agency": "force-other"}, Action.ERASE, PERSON).allowed
    assert not ask({"roles": Role.SUPERVISOR}, Action.ERASE, PERSON).allowed
    top = replace(PERSON, marking=Marking.SECRET)
    assert not ask({"roles": Role.DPO, "clearance": Marking.OFFICIAL}, Action.ERASE, top).allowed


def test_administering_agreements() -> None:
    isa = Resource(kind=ResourceKind.ISA, ref="ISA-1", parties=frozenset({"norfolk"}))
    assert ask({"roles": Role.ADMIN, "agency": "regional-unit"}, Action.ADMINISTER, isa).allowed
    assert ask({"roles": Role.ADMIN}, Action.ADMINISTER, isa).allowed  # a provider's admin
    suffolk = ask({"roles": Role.ADMIN, "agency": "force-other"}, Action.ADMINISTER, isa)
    assert not suffolk.allowed and "suffolk only" in suffolk.reason
    analyst = ask({"roles": Role.ANALYST}, Action.ADMINISTER, isa)
    assert not analyst.allowed and analyst.rule == "administer"
    create = ask({"roles": Role.ANALYST}, Action.CREATE, isa)
    assert not create.allowed and create.rule == "administer"


def test_reading_the_audit_log() -> None:
    own_log = Resource(kind=ResourceKind.AUDIT_LOG, owner="norfolk")
    whole_log = Resource(kind=ResourceKind.AUDIT_LOG)
    assert ask({"roles": Role.DPO}, Action.READ, own_log).allowed
    assert ask({"roles": Role.ADMIN}, Action.READ, own_log).allowed
    assert not ask({"roles": Role.DPO}, Action.READ, whole_log).allowed
    assert ask({"roles": Role.DPO, "agency": "regional-unit"}, Action.READ, whole_log).allowed
    for role in (Role.ANALYST, Role.SUPERVISOR, Role.FRONTLINE, Role.PARTNER):
        decision = ask({"roles": role}, Action.READ, own_log)
        assert not decision.allowed and decision.rule == "audit-readers"


def test_reading_accounts() -> None:
    account = Resource(kind=ResourceKind.USER, owner="norfolk", id=5)
    assert ask({"roles": Role.FRONTLINE, "user_id": 5}, Action.READ, account).allowed
    assert ask({"roles": Role.ADMIN}, Action.READ, account).allowed
    assert ask({"roles": Role.DPO}, Action.READ, account).allowed
    assert not ask({"roles": Role.ANALYST}, Action.READ, account).allowed
    assert not ask({"roles": Role.ADMIN, "agency": "force-other"}, Action.READ, account).allowed


def test_agreements_are_open_to_every_user() -> None:
    isa = Resource(kind=ResourceKind.ISA, ref="ISA-1")
    for org in ORGS:
        assert ask({"roles": Role.PARTNER, "agency": org}, Action.READ, isa).allowed


# --------------------------------------------------------------------------- agreements


PARTNER = {"roles": Role.PARTNER, "agency": "childrens-services"}


def test_agreement_fields_are_the_only_fields_shown() -> None:
    decision = ask(PARTNER, Action.READ, PERSON, ISA)
    assert decision.allowed and decision.isa_ref == "ISA-1"
    assert decision.fields == {"family_name", "given_names", "id", "owner", "marking"}


def test_a_kind_the_agreement_does_not_list_is_refused() -> None:
    phone = Resource(kind=ResourceKind.PHONE, owner="norfolk", id=9)
    decision = ask(PARTNER, Action.READ, phone, ISA)
    assert not decision.allowed and decision.rule == "isa-data-items"
    assert "phone" in decision.reason


def test_area_and_cohort_scope() -> None:
    in_norwich = replace(ISA, areas=frozenset({"norwich", "broadland"}))
    in_ipswich = replace(ISA, areas=frozenset({"ipswich"}))
    children = replace(ISA, cohorts=frozenset({"under_18"}))
    ocg = replace(ISA, cohorts=frozenset({"ocg_member"}))
    assert ask(PARTNER, Action.READ, PERSON, in_norwich).allowed
    assert ask(PARTNER, Action.READ, PERSON, children).allowed
    area = ask(PARTNER, Action.READ, PERSON, in_ipswich)
    assert (area.allowed, area.rule) == (False, "isa-area")
    assert "norwich" in area.reason and "ipswich" in area.reason
    cohort = ask(PARTNER, Action.READ, PERSON, ocg)
    assert (cohort.allowed, cohort.rule) == (False, "isa-cohort")
    nowhere = replace(PERSON, areas=frozenset())
    assert not ask(PARTNER, Action.READ, nowhere, in_norwich).allowed  # no area: not in scope


def test_the_widest_applicable_agreement_is_used() -> None:
    narrow = replace(ISA, ref="ISA-A", data_items=frozenset({"person.family_name"}))
    wide = replace(ISA, ref="ISA-B", data_items=frozenset({"person"}))
    decision = ask(PARTNER, Action.READ, PERSON, narrow, wide)
    assert decision.isa_ref == "ISA-B" and decision.fields is not None
    assert "date_of_birth" in decision.fields


def test_an_agreement_not_naming_the_owner_as_provider_does_not_apply() -> None:
    suffolk_person = replace(PERSON, owner="suffolk")
    decision = ask(PARTNER, Action.READ, suffolk_person, ISA)
    assert not decision.allowed and decision.rule == "no-isa"


@pytest.mark.parametrize(
    ("terms", "state"),
    [
        (ISA, IsaState.ACTIVE),
        (replace(ISA, starts_on=date(2026, 7, 1), review_on=date(2027, 7, 1)), IsaState.PENDING),
        (replace(ISA, review_on=date(2026, 5, 31)), IsaState.REVIEW_OVERDUE),
        (replace(ISA, ends_on=date(2026, 5, 31)), IsaState.EXPIRED),
        (replace(ISA, ends_on=date(2026, 6, 1)), IsaState.ACTIVE),  # the end date is inclusive
    ],
)
def test_agreement_states(terms: IsaTerms, state: IsaState) -> None:
    assert terms.state_on(DAY) is state
    decision = ask(PARTNER, Action.READ, PERSON, terms)
    assert decision.allowed is (state in {IsaState.ACTIVE, IsaState.REVIEW_OVERDUE})
    if not decision.allowed:
        assert decision.rule == "isa-inactive" and state.value in decision.reason


def test_past_review_the_agreement_applies_with_a_warning() -> None:
    overdue = replace(ISA, review_on=date(2026, 5, 1))
    decision = ask(PARTNER, Action.READ, PERSON, overdue)
    assert decision.allowed
    assert decision.warnings and "due for review on 2026-05-01" in decision.warnings[0]


# --------------------------------------------------------------------------- mechanics


def test_require_raises_forbidden_with_the_reason() -> None:
    actor = make_actor(roles=Role.PARTNER, agency="charity")
    with pytest.raises(Forbidden, match="only sanitised versions"):
        require(
            actor=actor,
            action=Action.READ,
            resource=REPORT,
            ctx=PolicyContext(actor.agency_code, DAY),
        )


def test_a_context_of_another_organisation_is_a_programming_error() -> None:
    actor = make_actor()
    with pytest.raises(ValueError, match="load the actor's own context"):
        decide(actor=actor, action=Action.READ, resource=REPORT, ctx=PolicyContext("kent", DAY))


def test_dissemination_needs_a_recipient() -> None:
    actor = make_actor()
    with pytest.raises(ValueError, match="recipient"):
        decide(
            actor=actor,
            action=Action.DISSEMINATE,
            resource=SANITISED,
            ctx=PolicyContext(actor.agency_code, DAY),
        )


def test_only_the_originating_organisation_disseminates() -> None:
    actor = make_actor(agency="force-other")
    decision = decide(
        actor=actor,
        action=Action.DISSEMINATE,
        resource=SANITISED,
        ctx=PolicyContext(actor.agency_code, DAY),
        recipient=ORGS["regional-unit"],
    )
    assert not decision.allowed and decision.rule == "originator-only"


def test_restrictions_name_organisations_kinds_or_police() -> None:
    for words, org, allowed in (
        ({"norfolk-cads"}, "childrens-services", True),
        ({"childrens_services"}, "childrens-services", True),
        ({"childrens_services"}, "education", False),
        ({"police"}, "regional-unit", True),
        ({"norfolk-cads"}, "force-other", False),  # a restriction binds other police too
    ):
        restricted = replace(
            SANITISED,
            handling=HandlingCode.CONDITIONS,
            conditions="Safeguarding use only",
            restricted_to=frozenset(words),
        )
        actor = make_actor()
        decision = decide(
            actor=actor,
            action=Action.DISSEMINATE,
            resource=restricted,
            ctx=PolicyContext(
                "norfolk", DAY, (replace(ISA, recipients=frozenset({ORGS[org].code})),)
            ),
            recipient=ORGS[org],
        )
        assert decision.allowed is allowed, (words, org, decision.reason)
        if allowed:
            assert decision.conditions == "Safeguarding use only"


def test_searching_a_kind_is_checked_per_result() -> None:
    kind_only = Resource(kind=ResourceKind.SANITISED_REPORT)
    assert ask(PARTNER, Action.SEARCH, kind_only).allowed
    assert not ask({"roles": Role.ADMIN}, Action.SEARCH, kind_only).allowed


def test_every_refusal_names_its_rule_in_a_sentence() -> None:
    refusals = [
        ask({"roles": Role.ADMIN}, Action.READ, PERSON),
        ask({"clearance": Marking.OFFICIAL}, Action.READ, REPORT),
        ask(PARTNER, Action.READ, REPORT),
        ask(PARTNER, Action.READ, PERSON),
        ask({"agency": "force-other"}, Action.READ, replace(PERSON, scope="agency")),
    ]
    for decision in refusals:
        assert not decision.allowed and decision.rule
        assert len(decision.reason.split()) >= 8, decision.reason


def test_partner_kinds_are_not_police() -> None:
    partners = [org for org in ORGS.values() if not police_kind(org.kind)]
    assert {org.kind for org in partners} >= {AgencyKind.PRISON, AgencyKind.CHARITY}
