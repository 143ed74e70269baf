"""Property: nothing a partner or frontline actor receives reveals what it must not.

Hypothesis generates reports (text that sometimes carries the source's identity, random
grading, markings, handling restrictions and scope), sanitised versions, agreements in
random states and scopes, and readers of random organisations, roles and clearances, and
runs them through the real services on one database per test. Whatever comes back from
get_report, get_sanitised, list_sanitised or disseminate must never contain the source's
identity, never a field outside the reader's agreements, never a marking above the
reader's clearance.
"""

from __future__ import annotations

import contextlib
import itertools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tests.intel.world import UNIT, World, build_world, grading
from tests.policy.factories import ORGS, make_actor
from threadline.errors import Forbidden, InvalidData, NotFound
from threadline.intel import (
    SourceDetails,
    disseminate,
    get_report,
    get_sanitised,
    list_sanitised,
    sanitise,
    submit_report,
)
from threadline.model.entities import Agency
from threadline.model.enums import Marking
from threadline.model.security import Role, system_actor
from threadline.policy import ALWAYS_SHOWN, FIELDS, SOURCE_FIELDS, ResourceKind
from threadline.policy.identity import is_police, police_kind
from threadline.sharing import add_isa
from threadline.storage.db import session_factory

PARTNER_ORGS = [name for name, org in ORGS.items() if not police_kind(org.kind)]
POLICE_ORGS = [name for name, org in ORGS.items() if police_kind(org.kind)]
MARKINGS = [Marking.OFFICIAL, Marking.OFFICIAL_SENSITIVE, Marking.SECRET]
SANITISED_ITEMS = [
    "sanitised_report",
    "sanitised_report.text",
    "sanitised_report.grading",
    "sanitised_report.area",
    "sanitised_report.report_ref",
    "person",
]
_refs = itertools.count(1)


def fold(text: str) -> str:
    return " ".join(text.split()).casefold()


# --------------------------------------------------------------------------- strategies

words = st.from_regex(r"\A[a-z]{4,9}\Z")
plain = st.text(alphabet="abcdefghij klmnop,.'", max_size=40)
identities = st.builds(
    SourceDetails,
    source_ref=st.from_regex(r"\A[A-Z]{3,5}-[0-9]{3,6}\Z"),
    source_type=st.sampled_from(["chis", "public", "officer", "technical"]),
    description=st.lists(words, min_size=2, max_size=4).map(" ".join),
    handler=st.tuples(
        st.from_regex(r"\A[A-Z][a-z]{3,8}\Z"), st.from_regex(r"\A[A-Z][a-z]{3,9}\Z")
    ).map(" ".join),
)


@st.composite
def texts(draw: st.DrawFn, source: SourceDetails) -> str:
    """Free text that, one time in eight, carries part of the source's identity."""
    before, after = draw(plain), draw(plain)
    leak = draw(
        st.sampled_from([None] * 21 + [source.source_ref, source.description, source.handler])
    )
    if leak is None:
        return f"{before} {after}".strip() or "nothing to report"
    shouted = draw(st.booleans())
    return f"{before} {leak.upper() if shouted else leak} {after}"


@dataclass(frozen=True)
class Case:
    source: SourceDetails
    fact: str
    assessment: str
    handling: str
    conditions: str | None
    restricted_to: tuple[str, ...]
    marking: Marking
    scope: str
    subjects: tuple[str, ...]
    sanitised_text: str
    sanitised_marking: Marking | None
    isa_org: str
    isa_items: tuple[str, ...]
    isa_areas: tuple[str, ...]
    isa_cohorts: tuple[str, ...]
    isa_state: str
    reader_org: str
    reader_role: Role
    reader_clearance: Marking


@st.composite
def cases(draw: st.DrawFn) -> Case:
    source = draw(identities)
    handling = draw(st.sampled_from(["P", "C"]))
    restricted: tuple[str, ...] = ()
    conditions = None
    if handling == "C":
        conditions = draw(texts(source))
        restricted = tuple(
            draw(
                st.lists(
                    st.sampled_from(["police", "childrens_services", "norfolk-cads", "prison"]),
                    max_size=2,
                    unique=True,
                )
            )
        )
    partner = draw(st.booleans())
    if partner:
        # Half the partners are CADS, which the world's agreement covers; the rest get
        # the generated agreement half the time, so most cases have material to see.
        reader_org = draw(st.sampled_from(["childrens-services", *PARTNER_ORGS]))
        isa_org = reader_org if draw(st.booleans()) else draw(st.sampled_from(PARTNER_ORGS))
    else:
        reader_org = draw(st.sampled_from(POLICE_ORGS))
        isa_org = draw(st.sampled_from(PARTNER_ORGS))
    return Case(
        source=source,
        fact=draw(texts(source)),
        assessment=draw(texts(source)),
        handling=handling,
        conditions=conditions,
        restricted_to=restricted,
        marking=draw(st.sampled_from(MARKINGS)),
        scope=draw(st.sampled_from(["region", "agency"])),
        subjects=tuple(draw(st.lists(st.sampled_from(["child", "adult"]), unique=True))),
        sanitised_text=draw(texts(source)),
        sanitised_marking=draw(st.one_of(st.none(), st.sampled_from(MARKINGS))),
        isa_org=isa_org,
        isa_items=tuple(draw(st.lists(st.sampled_from(SANITISED_ITEMS), min_size=1, unique=True))),
        isa_areas=tuple(
            draw(st.lists(st.sampled_from(["norwich", "broadland", "ipswich"]), unique=True))
        ),
        isa_cohorts=tuple(draw(st.lists(st.sampled_from(["under_18", "ocg_member"]), unique=True))),
        isa_state=draw(st.sampled_from(["active", "expired", "pending", "ended"])),
        reader_org=reader_org,
        reader_role=draw(st.sampled_from(list(Role) if partner else [Role.FRONTLINE])),
        reader_clearance=draw(st.sampled_from(MARKINGS)),
    )


# --------------------------------------------------------------------------- the checks


def reveals(text: str, source: SourceDetails) -> bool:
    folded = fold(text)
    return any(
        fold(part) in folded for part in (source.source_ref, source.description, source.handler)
    )


def check_received(
    view: Mapping[str, object],
    *,
    source: SourceDetails,
    clearance: Marking | None,
    allowed_fields: frozenset[str] | None,
) -> None:
    received = json.dumps(dict(view), default=str)
    assert not reveals(received, source), f"source identity in {received}"
    assert not set(view) & SOURCE_FIELDS, f"source fields in {sorted(view)}"
    if clearance is not None:
        assert Marking(str(view["marking"])).rank <= clearance.rank, (view["marking"], clearance)
    if allowed_fields is not None:
        assert set(view) <= allowed_fields, f"{sorted(set(view) - allowed_fields)} beyond the ISA"


@dataclass
class Agreements:
    """Every agreement the test added, to compute what a partner may be sent."""

    active: dict[str, set[str]]  # recipient code -> data items of its active agreements

    def fields_for(self, recipient: str) -> frozenset[str]:
        items = self.active.get(recipient, set())
        kind = ResourceKind.SANITISED_REPORT
        fields = set(ALWAYS_SHOWN & FIELDS[kind])
        for item in items:
            if item == kind.value:
                fields |= FIELDS[kind]
            elif item.startswith(f"{kind.value}."):
                fields.add(item.split(".", 1)[1])
        return frozenset(fields)


def add_agreement(session: Session, case: Case, agreements: Agreements) -> None:
    code = ORGS[case.isa_org].code
    starts, review, ends = {
        "active": (date(2025, 1, 1), date(2099, 1, 1), None),
        "expired": (date(2020, 1, 1), date(2021, 1, 1), date(2022, 1, 1)),
        "pending": (date(2098, 1, 1), date(2099, 1, 1), None),
        "ended": (date(2025, 1, 1), date(2099, 1, 1), None),
    }[case.isa_state]
    ref = f"ISA-P-{next(_refs)}"
    add_isa(
        session,
        actor=system_actor(),
        ref=ref,
        title="Generated",
        purpose="Property test",
        legal_basis="Crime and Disorder Act 1998 s115",
        providers=["norfolk"],
        recipients=[code],
        data_items=list(case.isa_items),
        areas=list(case.isa_areas),
        cohorts=list(case.isa_cohorts),
        retention="One year",
        starts_on=starts,
        review_on=review,
        ends_on=ends,
    )
    if case.isa_state == "ended":
        from threadline.sharing import end_isa

        end_isa(session, actor=system_actor(), ref=ref, reason="generated")
    else:
        agreements.active.setdefault(code, set())
        if case.isa_state == "active":
            agreements.active[code] |= set(case.isa_items)


@pytest.fixture
def base(engine: Engine) -> Iterator[tuple[Session, World]]:
    with session_factory(engine)() as session:
        world = build_world(session)
        session.commit()
        yield session, world


def run_case(session: Session, world: World, case: Case, agreements: Agreements) -> None:
    analyst = make_actor(roles=Role.ANALYST, unit=UNIT, username="analyst@norfolk")
    reader = make_actor(
        roles=case.reader_role, agency=case.reader_org, clearance=case.reader_clearance
    )
    partner = not is_police(reader)
    subjects = [world.child if s == "child" else world.adult for s in case.subjects]
    leaked = any(
        reveals(text or "", case.source) for text in (case.fact, case.assessment, case.conditions)
    )
    try:
        report = submit_report(
            session,
            actor=analyst,
            fact=case.fact,
            assessment=case.assessment,
            grading=grading(case.handling, case.conditions),
            marking=case.marking,
            subjects=subjects,
            source=case.source,
            area_code="norwich",
            restricted_to=case.restricted_to,
            scope="region" if case.scope == "region" else "agency",
        )
    except InvalidData as exc:
        assert leaked, f"refused without a leak: {exc}"
        return
    assert not leaked, "a report revealing its source was accepted"
    try:
        sanitised = sanitise(
            session,
            actor=analyst,
            report_id=report.id,
            text=case.sanitised_text,
            marking=case.sanitised_marking,
        )
    except InvalidData as exc:
        assert reveals(case.sanitised_text, case.source), f"refused without a leak: {exc}"
        sanitised = None
    else:
        assert not reveals(case.sanitised_text, case.source)
    add_agreement(session, case, agreements)
    allowed = agreements.fields_for(reader.agency_code) if partner else None

    def received(view: Mapping[str, object], *, fields: frozenset[str] | None = allowed) -> None:
        check_received(view, source=case.source, clearance=reader.clearance, allowed_fields=fields)

    try:
        view = get_report(session, actor=reader, report_id=report.id)
    except (Forbidden, NotFound):  # outsiders are refused as if it did not exist
        pass
    else:
        assert not partner, "a partner received an original report"
        received(view)
    if sanitised is not None:
        with contextlib.suppress(Forbidden, NotFound):
            received(get_sanitised(session, actor=reader, sanitised_id=sanitised.id))
        try:
            sent = disseminate(
                session,
                actor=analyst,
                sanitised_id=sanitised.id,
                recipient_agency=reader.agency_code,
            )
        except Forbidden:
            pass
        else:
            check_received(
                sent.payload,
                source=case.source,
                clearance=None,  # sent to an organisation; its users' clearance applies later
                allowed_fields=allowed,
            )
            assert (sent.conditions is not None) == (case.handling == "C")
    try:
        listed = list_sanitised(session, actor=reader)
    except Forbidden:
        listed = []  # an administrator's roles do not read case material
    for item in listed:
        received(item)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=cases())
def test_nothing_received_reveals_the_source_or_exceeds_isa_or_clearance(
    base: tuple[Session, World], case: Case
) -> None:
    session, world = base
    agreements = Agreements(active={"norfolk-cads": set(world.isa.data_items)})
    try:
        run_case(session, world, case, agreements)
    finally:
        session.rollback()  # each example starts from the committed small world


def test_the_orgs_cover_partners_and_police() -> None:
    assert {ORGS[o].kind for o in PARTNER_ORGS}.isdisjoint({ORGS[o].kind for o in POLICE_ORGS})
    assert isinstance(ORGS["force-own"], Agency)
