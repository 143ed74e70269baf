"""Properties of `decide` over random actors, records and agreements (no database).

Whatever is generated, an allowed read never exceeds clearance, never gives a partner an
original report, never shows the source outside the originating unit, and, for a partner,
always rests on one active agreement that names the owner and the partner, covers the
kind and the record's area and cohorts, and lists every field shown.
"""

from __future__ import annotations

from datetime import date, datetime

from hypothesis import event, given, settings
from hypothesis import strategies as st

from tests.policy.factories import DAY, ORGS, make_actor
from threadline.model.enums import Marking
from threadline.model.events import HandlingCode
from threadline.model.security import Role
from threadline.policy import (
    ALWAYS_SHOWN,
    FIELDS,
    SOURCE_FIELDS,
    Action,
    IsaTerms,
    PolicyContext,
    Resource,
    ResourceKind,
    decide,
    matches_restriction,
)
from threadline.policy.identity import cleared_for, is_police

KINDS = [k for k in FIELDS]
AREAS = ["norwich", "broadland", "ipswich", "luton"]
COHORTS = ["under_18", "ocg_member", "county_line"]
CODES = [org.code for org in ORGS.values()]
MARKINGS = [Marking.OFFICIAL, Marking.OFFICIAL_SENSITIVE, Marking.SECRET]
ITEMS = [k.value for k in KINDS if k is not ResourceKind.INTEL_REPORT] + [
    f"{k.value}.{f}" for k in KINDS if k is not ResourceKind.INTEL_REPORT for f in sorted(FIELDS[k])
]
subsets = st.lists


def frozen(strategy: st.SearchStrategy[list[str]]) -> st.SearchStrategy[frozenset[str]]:
    return strategy.map(frozenset)


resources = st.builds(
    Resource,
    kind=st.sampled_from(KINDS),
    owner=st.sampled_from(CODES),
    marking=st.sampled_from(MARKINGS),
    scope=st.sampled_from(["region", "agency"]),
    handling=st.sampled_from([HandlingCode.PERMITTED, HandlingCode.CONDITIONS]),
    conditions=st.just("Conditions apply"),
    restricted_to=st.one_of(
        st.just(frozenset[str]()),
        frozen(subsets(st.sampled_from([*CODES, "police", "charity"]), max_size=2)),
    ),
    unit=st.sampled_from(["norfolk-fib", "hmp-norwich-security", None]),
    areas=frozen(subsets(st.sampled_from(AREAS), max_size=2)),
    cohorts=frozen(subsets(st.sampled_from(COHORTS), max_size=2)),
    id=st.just(1),
)
agreements = st.builds(
    IsaTerms,
    ref=st.from_regex(r"\AISA-[0-9]{1,3}\Z"),
    providers=frozen(subsets(st.sampled_from(CODES), min_size=1, max_size=2)),
    recipients=frozen(subsets(st.sampled_from(CODES), min_size=1, max_size=2)),
    data_items=frozen(subsets(st.sampled_from(ITEMS), min_size=1, max_size=4)),
    starts_on=st.dates(date(2025, 1, 1), date(2026, 12, 31)),
    review_on=st.dates(date(2026, 1, 1), date(2027, 12, 31)),
    ends_on=st.one_of(st.none(), st.dates(date(2025, 6, 1), date(2027, 12, 31))),
    ended_at=st.one_of(st.none(), st.datetimes(datetime(2026, 1, 1), datetime(2026, 12, 31))),
    areas=frozen(subsets(st.sampled_from(AREAS), max_size=2)),
    cohorts=frozen(subsets(st.sampled_from(COHORTS), max_size=1)),
)


def fitting(resource: Resource, recipient: str) -> st.SearchStrategy[IsaTerms]:
    """Agreements likely to apply: the owner providing to the reader, the kind listed."""
    kind = resource.kind.value
    return st.builds(
        IsaTerms,
        ref=st.from_regex(r"\AISA-F[0-9]{1,3}\Z"),
        providers=st.just(frozenset({resource.owner or "norfolk"})),
        recipients=st.just(frozenset({recipient})),
        data_items=frozen(
            subsets(
                st.sampled_from([kind, *(i for i in ITEMS if i.startswith(f"{kind}."))]),
                min_size=1,
                max_size=3,
            )
        ),
        starts_on=st.dates(date(2025, 1, 1), date(2026, 5, 1)),
        review_on=st.dates(date(2026, 1, 1), date(2027, 12, 31)),
        areas=st.sampled_from([frozenset(), resource.areas, frozenset({"luton"})]),
        cohorts=st.sampled_from([frozenset(), resource.cohorts]),
    )


@settings(max_examples=300, deadline=None)
@given(
    org=st.sampled_from(list(ORGS)),
    roles=st.sets(st.sampled_from(list(Role)), min_size=1, max_size=2),
    clearance=st.sampled_from(MARKINGS),
    unit=st.sampled_from([None, "norfolk-fib", "hmp-norwich-security"]),
    resource=resources,
    data=st.data(),
)
def test_allowed_reads_respect_every_rule(
    org: str,
    roles: set[Role],
    clearance: Marking,
    unit: str | None,
    resource: Resource,
    data: st.DataObject,
) -> None:
    isas = data.draw(st.lists(st.one_of(agreements, fitting(resource, ORGS[org].code)), max_size=3))
    actor = make_actor(roles=roles, agency=org, clearance=clearance, unit=unit)
    ctx = PolicyContext(actor.agency_code, DAY, tuple(isas))
    decision = decide(actor=actor, action=Action.READ, resource=resource, ctx=ctx)
    assert decision.reason and decision.rule
    if not decision.allowed:
        return
    assert cleared_for(actor, resource.marking)
    assert actor.roles - {Role.ADMIN}
    own = resource.owner == actor.agency_code
    in_unit = own and unit is not None and unit == resource.unit
    if resource.kind is ResourceKind.INTEL_REPORT and not in_unit:
        assert decision.fields is not None and not decision.fields & SOURCE_FIELDS
    if own:
        return
    assert matches_restriction(actor.agency_code, actor.agency_kind, resource.restricted_to)
    if is_police(actor):
        assert resource.scope == "region"
        return
    assert resource.kind is not ResourceKind.INTEL_REPORT
    event("a partner was allowed under an agreement")
    used = [t for t in isas if t.ref == decision.isa_ref]
    assert used, "a partner was shown a record without an agreement"
    assert any(
        t.is_active(DAY)
        and resource.owner in t.providers
        and actor.agency_code in t.recipients
        and t.covers_areas(resource.areas)
        and t.covers_cohorts(resource.cohorts)
        and decision.fields is not None
        and (covered := t.fields_for(resource.kind)) is not None
        and decision.fields <= covered | ALWAYS_SHOWN
        for t in used
    )
    if resource.handling is HandlingCode.CONDITIONS:
        assert decision.conditions == "Conditions apply"
