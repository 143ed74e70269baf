"""Every read path writes a CONSULTATION audit event; none escapes the registry.

Service read functions are marked `@read_path(event)`. This test (1) fails if a public
`get_*`, `list_*`, `search_*` or `find_*` function in a service package is not marked,
(2) fails if a marked function has no sample call below, and (3) calls each one and
fails if it did not write a CONSULTATION event of its name. To cover a new service, add
its package to SERVICE_PACKAGES and a sample call per read function to SAMPLE_CALLS.
"""

from __future__ import annotations

import importlib
import inspect
import io
import pkgutil
from collections.abc import Callable, Iterator
from datetime import date
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from tests.briefings.samples import SAMPLE_CALLS as BRIEFING_SAMPLES
from tests.countylines.samples import SAMPLE_CALLS as COUNTY_LINE_SAMPLES
from tests.factories import make_location, make_organisation, make_phone, make_vehicle
from tests.improvement.samples import SAMPLE_CALLS as IMPROVEMENT_SAMPLES
from tests.intel.world import World, build_world
from tests.notices.world import insert_notice
from tests.plans.samples import SAMPLE_CALLS as PLAN_SAMPLES
from tests.policy.factories import make_actor
from tests.prison.samples import SAMPLE_CALLS as PRISON_SAMPLES
from tests.profiles.factories import make_county_line
from tests.safeguarding.samples import SAMPLE_CALLS as FRONT_DOOR_SAMPLES
from threadline import (
    accounts,
    dossier,
    intel,
    justice,
    notices,
    profiles,
    review,
    safeguarding,
    sharing,
    tripwires,
)
from threadline.accounts import lookup, passwords
from threadline.audit import AuditAction
from threadline.check import check
from threadline.graph import get_neighbourhood
from threadline.graph.export import ChartFormat, export_chart
from threadline.justice import reporting as justice_reporting
from threadline.model.security import Role, system_actor
from threadline.notices import list_register
from threadline.oversight import browse as audit_browse
from threadline.oversight import export as audit_export
from threadline.oversight import people as audit_people
from threadline.policy import READ_PATHS, is_read_path
from threadline.storage.db import session_factory
from threadline.storage.tables import AuditEventRow

SERVICE_PACKAGES = [
    "threadline.intel",
    "threadline.sharing",
    "threadline.check",
    "threadline.accounts",
    "threadline.review",
    "threadline.audit",
    "threadline.oversight",
    "threadline.graph",
    "threadline.profiles",
    "threadline.dossier",
    "threadline.tripwires",
    "threadline.notices",
    "threadline.dissemination",
    "threadline.briefings",
    "threadline.digests",
    "threadline.safeguarding",
    "threadline.justice",
    "threadline.prison",
    "threadline.plans",
    "threadline.countylines",
    "threadline.improvement",
]
# Read functions that are deliberately not audited, each with the reason.
EXEMPT = {
    # The list of organisations using Threadline is reference data, not personal data.
    "threadline.accounts.agencies.list_agencies",
}
READ_PREFIXES = ("get_", "list_", "search_", "find_", "export_")

SampleCall = Callable[[Session, World], Any]
SAMPLE_CALLS: dict[str, SampleCall] = {
    "threadline.check.service.check": lambda s, w: check(s, actor=w.officer, name="Jo Smith"),
    "threadline.accounts.users.list_users": lambda s, w: accounts.list_users(
        s, actor=REGION_ADMIN, agency="norfolk"
    ),
    "threadline.accounts.lookup.get_user": lambda s, w: lookup.get_user(
        s, actor=REGION_ADMIN, username="worker@norfolk-cads"
    ),
    "threadline.accounts.tokens.list_tokens": lambda s, w: accounts.list_tokens(
        s, actor=REGION_ADMIN, username="worker@norfolk-cads"
    ),
    "threadline.oversight.export.export_events": lambda s, w: audit_export.export_events(
        s, actor=NORFOLK_DPO, purpose="self_monitoring", out=io.StringIO()
    ),
    "threadline.oversight.browse.search_events": lambda s, w: audit_browse.search_events(
        s, actor=NORFOLK_DPO, purpose="self_monitoring", user="analyst@norfolk"
    ),
    "threadline.review.due.due_for_review": lambda s, w: review.due_for_review(
        s, actor=NORFOLK_DPO, on=date(2040, 1, 1)
    ),
    "threadline.intel.reading.get_report": lambda s, w: intel.get_report(
        s, actor=w.officer, report_id=w.report_p.id
    ),
    "threadline.intel.reading.list_reports": lambda s, w: intel.list_reports(
        s, actor=w.officer, subject_id=w.child
    ),
    "threadline.intel.sanitised.get_sanitised": lambda s, w: intel.get_sanitised(
        s, actor=w.partner, sanitised_id=w.sanitised_p.ref
    ),
    "threadline.intel.sanitised.list_sanitised": lambda s, w: intel.list_sanitised(
        s, actor=w.partner
    ),
    "threadline.sharing.agreements.list_isas": lambda s, w: sharing.list_isas(s, actor=w.partner),
    "threadline.sharing.agreements.get_isa": lambda s, w: sharing.get_isa(
        s, actor=w.partner, ref=w.isa.ref
    ),
    "threadline.graph.neighbourhood.get_neighbourhood": lambda s, w: get_neighbourhood(
        s, actor=w.officer, entity_id=w.adult
    ),
    "threadline.graph.export.export_chart": lambda s, w: export_chart(
        s, actor=w.officer, entity_id=w.adult, fmt=ChartFormat.GRAPHML
    ),
    "threadline.dossier.service.get_person": lambda s, w: dossier.get_person(
        s, actor=w.officer, person_id=w.child
    ),
    "threadline.dossier.service.get_organisation": lambda s, w: dossier.get_organisation(
        s, actor=w.officer, organisation_id=make_organisation(s).entity_id
    ),
    "threadline.dossier.service.get_phone": lambda s, w: dossier.get_phone(
        s, actor=w.officer, phone_id=make_phone(s).entity_id
    ),
    "threadline.dossier.service.get_vehicle": lambda s, w: dossier.get_vehicle(
        s, actor=w.officer, vehicle_id=make_vehicle(s).entity_id
    ),
    "threadline.dossier.service.get_location": lambda s, w: dossier.get_location(
        s, actor=w.officer, location_id=make_location(s).entity_id
    ),
    "threadline.dossier.service.get_county_line": lambda s, w: dossier.get_county_line(
        s, actor=w.officer, county_line_id=make_county_line(s).entity_id
    ),
    "threadline.profiles.listing.list_people": lambda s, w: profiles.list_people(
        s, actor=w.partner, name="Jo Smith"
    ),
    "threadline.profiles.listing.list_organisations": lambda s, w: profiles.list_organisations(
        s, actor=w.officer, org_type="ocg"
    ),
    "threadline.notices.reading.get_notice": lambda s, w: notices.get_notice(
        s, actor=w.officer, ref=insert_notice(s, w.child)
    ),
    "threadline.notices.reading.list_notices": lambda s, w: notices.list_notices(
        s, actor=w.partner
    ),
    "threadline.notices.register.list_register": lambda s, w: list_register(
        s, actor=w.analyst, subject_id=w.child
    ),
    "threadline.tripwires.watches.list_watches": lambda s, w: tripwires.list_watches(
        s, actor=w.officer
    ),
    "threadline.tripwires.alerts.list_alerts": lambda s, w: tripwires.list_alerts(
        s, actor=w.officer
    ),
    "threadline.tripwires.triage.triage_alerts": lambda s, w: tripwires.triage_alerts(
        s, actor=w.officer
    ),
    "threadline.safeguarding.screening.list_screenings": lambda s, w: safeguarding.list_screenings(
        s, actor=w.officer, person_id=w.child
    ),
    "threadline.safeguarding.concerns.list_concerns": lambda s, w: safeguarding.list_concerns(
        s, actor=w.officer
    ),
    "threadline.safeguarding.referrals.list_referrals": lambda s, w: safeguarding.list_referrals(
        s, actor=w.partner
    ),
    "threadline.justice.safeguard.get_safeguard": lambda s, w: justice.get_safeguard(
        s, actor=w.officer, person_id=w.child
    ),
    "threadline.justice.reporting.list_overrides": lambda s, w: justice.list_overrides(
        s, actor=w.analyst
    ),
    "threadline.justice.reporting.person_overrides": lambda s, w: (
        justice_reporting.person_overrides(s, actor=w.analyst, person_id=w.child)
    ),
    "threadline.oversight.people.find_subjects": lambda s, w: audit_people.find_subjects(
        s, actor=NORFOLK_DPO, name="Jo Smith", purpose="self_monitoring"
    ),
    "threadline.oversight.people.name_records": lambda s, w: audit_people.name_records(
        s, actor=w.analyst, ids=[w.child], purpose="self_monitoring"
    ),
    "threadline.safeguarding.suggestions.find_suggested_victims": lambda s, w: (
        safeguarding.find_suggested_victims(s, actor=w.officer)
    ),
    "threadline.safeguarding.subjects.get_subject": lambda s, w: safeguarding.get_subject(
        s, actor=w.partner, person_id=w.child
    ),
}
SAMPLE_CALLS.update(BRIEFING_SAMPLES)
SAMPLE_CALLS.update(PRISON_SAMPLES)
SAMPLE_CALLS.update(PLAN_SAMPLES)
SAMPLE_CALLS.update(COUNTY_LINE_SAMPLES)
SAMPLE_CALLS.update(IMPROVEMENT_SAMPLES)
SAMPLE_CALLS.update(FRONT_DOOR_SAMPLES)


REGION_ADMIN = make_actor(roles=Role.ADMIN, agency="regional-unit", username="admin@ersou")
NORFOLK_DPO = make_actor(roles=Role.DPO, agency="force-own", username="dpo@norfolk")


def _add_account(session: Session) -> None:
    """A partner practitioner's account, for the account read paths to find."""
    passwords.configure(time_cost=1, memory_cost=8, parallelism=1)
    try:
        accounts.add_user(
            session,
            actor=system_actor("ersou", "test"),
            username="worker@norfolk-cads",
            display_name="Sam Worker",
            agency_code="norfolk-cads",
            roles=["partner"],
            clearance="OFFICIAL",
            password="correct horse battery staple",
        )
    finally:
        passwords.configure()


def _modules(package_name: str) -> Iterator[ModuleType]:
    package = importlib.import_module(package_name)
    yield package
    for info in pkgutil.walk_packages(package.__path__, prefix=f"{package_name}."):
        yield importlib.import_module(info.name)


def public_read_functions() -> dict[str, Callable[..., Any]]:
    found = {}
    for package in SERVICE_PACKAGES:
        for module in _modules(package):
            for name, function in inspect.getmembers(module, inspect.isfunction):
                if function.__module__ == module.__name__ and name.startswith(READ_PREFIXES):
                    found[f"{module.__name__}.{name}"] = function
    return found


def test_every_read_function_in_a_service_package_is_marked() -> None:
    functions = public_read_functions()
    assert functions, "no read functions found: is SERVICE_PACKAGES right?"
    unmarked = sorted(
        name
        for name, function in functions.items()
        if not is_read_path(function) and name not in EXEMPT
    )
    assert not unmarked, f"read functions not marked @read_path: {unmarked}"


def test_every_marked_read_path_has_a_sample_call() -> None:
    public_read_functions()  # imports every service module, so every mark is registered
    in_packages = {
        name for name in READ_PATHS if name.startswith(tuple(f"{p}." for p in SERVICE_PACKAGES))
    }
    missing = sorted(in_packages - set(SAMPLE_CALLS))
    assert not missing, f"add a sample call to SAMPLE_CALLS for: {missing}"


@pytest.mark.parametrize("name", sorted(SAMPLE_CALLS))
def test_read_path_writes_a_consultation(engine: Engine, name: str) -> None:
    public_read_functions()
    path = READ_PATHS[name]
    with session_factory(engine)() as session:
        world = build_world(session)
        _add_account(session)
        session.commit()
        before = session.scalar(select(AuditEventRow.id).order_by(AuditEventRow.id.desc()).limit(1))
        SAMPLE_CALLS[name](session, world)
        session.commit()
        events = session.scalars(
            select(AuditEventRow).where(AuditEventRow.id > (before or 0))
        ).all()
    assert [(e.action, e.event) for e in events] == [
        (AuditAction.CONSULTATION.value, path.event)
    ], f"{name} should write exactly one CONSULTATION {path.event!r}"
    assert events[0].actor.endswith(("@norfolk-cads", "@suffolk", "@ersou", "@norfolk"))
