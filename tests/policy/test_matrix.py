"""The access matrix: every role x clearance x organisation x handling code x ISA state.

For each cell the expected outcome of reading, and of disseminating, the original report
and its sanitised version is computed by the expectation functions below, written out
from the rules in plain terms without calling policy, and compared with `decide`. The
report belongs to Norfolk, concerns Norwich and a child, and the matrix also runs over
its marking and its sharing scope (region or agency).

Reading: the actor is the cell's role and clearance in the cell's organisation; the ISA
(if any) has Norfolk providing to that organisation.
Disseminating: the actor is a Norfolk user with the cell's role and clearance, sending to
the cell's organisation; the ISA (if any) has Norfolk providing to that organisation.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from datetime import date, datetime

import pytest

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
)

CLEARANCES = (Marking.OFFICIAL, Marking.OFFICIAL_SENSITIVE, Marking.SECRET)
MARKINGS = CLEARANCES
HANDLINGS = ("P", "C-unrestricted", "C-restricted-to-police")
ISA_STATES = ("active", "review-overdue", "expired", "ended", "out-of-area", "none")
SCOPES = ("region", "agency")
RESOURCES = ("original", "sanitised")
POLICE_ORGS = {"force-own", "force-other", "regional-unit"}
UNIT = "norfolk-fib"
ISA_ITEMS = frozenset({"sanitised_report.text", "sanitised_report.grading", "person"})


@dataclass(frozen=True)
class Cell:
    role: Role
    clearance: Marking
    org: str
    handling: str
    isa: str
    marking: Marking
    scope: str

    def __str__(self) -> str:
        return (
            f"{self.role.value}/{self.clearance.value}@{self.org} handling={self.handling} "
            f"isa={self.isa} marking={self.marking.value} scope={self.scope}"
        )


# --------------------------------------------------------------------------- expectations


def expected_read(cell: Cell, resource: str) -> bool:
    """May the cell's actor read the report (`original`) or its sanitised version?"""
    police = cell.org in POLICE_ORGS
    if cell.role is Role.ADMIN:
        return False  # administrators do not read case material by virtue of that role
    if cell.clearance.rank < cell.marking.rank:
        return False  # never above clearance
    if cell.org == "force-own":
        return True  # an organisation sees its own material
    if cell.role is Role.DPO:
        return False  # a DPO sees only their own organisation's material
    if cell.handling == "C-restricted-to-police" and not police:
        return False  # the conditions exclude non-police organisations
    if police:
        return cell.scope == "region"  # regional material, never another's agency-scope
    if resource == "original":
        return False  # partners receive only sanitised material
    return cell.isa in {"active", "review-overdue"}  # an ISA in force, in area scope


def expected_disseminate(cell: Cell, resource: str) -> bool:
    """May a Norfolk user with the cell's role and clearance send it to the cell's org?"""
    police = cell.org in POLICE_ORGS
    if resource == "original":
        return False  # originals never leave; only sanitised versions are disseminated
    if cell.role not in {Role.ANALYST, Role.SUPERVISOR, Role.LRO, Role.PRISON_INTEL}:
        return False  # dissemination is for analysts, supervisors, LROs, prison intel
    if cell.clearance.rank < cell.marking.rank:
        return False  # nobody handles material above their clearance
    if cell.org == "force-own":
        return False  # nothing to disclose to the originating organisation itself
    if cell.handling == "C-restricted-to-police" and not police:
        return False
    if police:
        return True  # police to police needs no agreement
    return cell.isa in {"active", "review-overdue"}


def expected_conditions(cell: Cell) -> bool:
    return cell.handling != "P"


def expected_source_visible(cell: Cell) -> bool:
    """Only the originating unit (Norfolk's FIB: its analysts in these tests)."""
    return cell.org == "force-own" and cell.role is Role.ANALYST


# --------------------------------------------------------------------------- building


def isa_for(state: str, recipient: str) -> tuple[IsaTerms, ...]:
    base = IsaTerms(
        ref=f"ISA-{state}",
        providers=frozenset({"norfolk"}),
        recipients=frozenset({recipient}),
        data_items=ISA_ITEMS,
        starts_on=date(2026, 1, 1),
        review_on=date(2027, 1, 1),
        areas=frozenset({"norwich"}),
        cohorts=frozenset({"under_18"}),
    )
    states = {
        "active": base,
        "review-overdue": replace(
            base, starts_on=date(2025, 1, 1), review_on=date(2026, 3, 1), ends_on=date(2027, 12, 31)
        ),
        "expired": replace(
            base, starts_on=date(2024, 1, 1), review_on=date(2024, 6, 1), ends_on=date(2025, 12, 31)
        ),
        "ended": replace(base, ended_at=datetime(2026, 5, 1, 9, 30)),
        "out-of-area": replace(base, areas=frozenset({"ipswich"})),
    }
    return (states[state],) if state in states else ()


def report(cell: Cell, resource: str) -> Resource:
    handling, conditions, restricted = {
        "P": (HandlingCode.PERMITTED, None, frozenset[str]()),
        "C-unrestricted": (HandlingCode.CONDITIONS, "Use for safeguarding only", frozenset()),
        "C-restricted-to-police": (
            HandlingCode.CONDITIONS,
            "Police use only",
            frozenset({"police"}),
        ),
    }[cell.handling]
    return Resource(
        kind=ResourceKind.INTEL_REPORT if resource == "original" else ResourceKind.SANITISED_REPORT,
        owner="norfolk",
        marking=cell.marking,
        scope="region" if cell.scope == "region" else "agency",
        handling=handling,
        conditions=conditions,
        restricted_to=restricted,
        unit=UNIT,
        areas=frozenset({"norwich"}),
        cohorts=frozenset({"under_18"}),
        id=1,
        ref="NFK-IR-2026-000001",
    )


def cells(role: Role, org: str) -> list[Cell]:
    return [
        Cell(role, clearance, org, handling, isa, marking, scope)
        for clearance, handling, isa, marking, scope in itertools.product(
            CLEARANCES, HANDLINGS, ISA_STATES, MARKINGS, SCOPES
        )
    ]


# --------------------------------------------------------------------------- the matrix


@pytest.mark.parametrize("org", list(ORGS))
@pytest.mark.parametrize("role", list(Role))
def test_matrix(role: Role, org: str) -> None:
    wrong: list[str] = []
    checked = 0
    for cell in cells(role, org):
        unit = UNIT if org == "force-own" and role is Role.ANALYST else None
        reader = make_actor(roles=role, agency=org, clearance=cell.clearance, unit=unit)
        read_ctx = PolicyContext(reader.agency_code, DAY, isa_for(cell.isa, ORGS[org].code))
        sender = make_actor(roles=role, agency="force-own", clearance=cell.clearance)
        send_ctx = PolicyContext("norfolk", DAY, isa_for(cell.isa, ORGS[org].code))
        for resource in RESOURCES:
            res = report(cell, resource)
            read = decide(actor=reader, action=Action.READ, resource=res, ctx=read_ctx)
            send = decide(
                actor=sender,
                action=Action.DISSEMINATE,
                resource=res,
                ctx=send_ctx,
                recipient=ORGS[org],
            )
            checked += 2
            for action, decision, expected in (
                ("read", read, expected_read(cell, resource)),
                ("disseminate", send, expected_disseminate(cell, resource)),
            ):
                where = f"{action} {resource} [{cell}]"
                if decision.allowed != expected:
                    wrong.append(f"{where}: expected {expected}, got {decision}")
                    continue
                if not decision.reason or not decision.reason[0].isalnum():
                    wrong.append(f"{where}: no reason given")
                if decision.allowed and (decision.conditions is not None) != expected_conditions(
                    cell
                ):
                    wrong.append(f"{where}: conditions {decision.conditions!r}")
                overdue = cell.isa == "review-overdue" and decision.isa_ref is not None
                if decision.allowed and overdue and not decision.warnings:
                    wrong.append(f"{where}: no warning for an agreement overdue for review")
            if read.allowed and resource == "original":
                sees_source = read.fields is None or read.fields >= SOURCE_FIELDS
                if sees_source != expected_source_visible(cell):
                    wrong.append(f"read original [{cell}]: source visible = {sees_source}")
                if read.fields is not None and read.fields & SOURCE_FIELDS:
                    wrong.append(f"read original [{cell}]: part of the source visible")
            if read.allowed and org not in POLICE_ORGS:
                allowed = {"text", "grading"} | (
                    ALWAYS_SHOWN & FIELDS[ResourceKind.SANITISED_REPORT]
                )
                if read.fields is None or not read.fields <= allowed:
                    wrong.append(f"read {resource} [{cell}]: fields {read.fields} beyond the ISA")
    assert checked == len(cells(role, org)) * 4
    assert not wrong, f"{len(wrong)} of {checked} decisions wrong, e.g.:\n" + "\n".join(wrong[:15])


def test_matrix_covers_every_dimension() -> None:
    total = len(Role) * len(ORGS) * len(cells(Role.ANALYST, "force-own"))
    assert {o.kind.value for o in ORGS.values()} == {
        "force",
        "regional_unit",
        "prison",
        "probation",
        "childrens_services",
        "education",
        "housing",
        "health",
        "charity",
    }
    assert total == 8 * 10 * 3 * 3 * 6 * 3 * 2  # 25,920 cells, four decisions each
