"""People in the audit log by name: finding whom to search the log about, and naming the
records of the events found.

A data protection officer asked about "Riley Scott" looks him up by name and picks him
from the results instead of knowing his record number; the events found then name each
record ("Riley SCOTT, born 2010") instead of showing bare numbers. Both are reads of the
records named, so both are logged (`audit.people_searched`, with the purpose given for
reading the log), and both show only what policy lets the reader see of each record: a
record the reader may not read is shown by its number alone.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Collection
from dataclasses import dataclass
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.audit.events import AuditAction, AuditEvent, AuditPurpose
from threadline.audit.log import record_event
from threadline.audit.spreadsheet import SafeDictWriter
from threadline.model.security import Actor
from threadline.oversight.access import audit_scope, parse_purpose
from threadline.oversight.export import COLUMNS
from threadline.policy import Action, Decision, decide, entity_facts, load_context, read_path
from threadline.search.people import find_people
from threadline.storage.tables import (
    LocationRow,
    OrganisationRow,
    PersonRow,
    PhoneRow,
    VehicleRow,
)

MAX_FOUND = 20
_NAMED_KINDS = frozenset({"person", "phone", "vehicle", "location", "organisation"})


@dataclass(frozen=True, slots=True)
class Subject:
    """A record the reader may search the log about, named as they may see it."""

    record_id: int
    label: str  # "Riley SCOTT, born 2010"


@read_path("audit.people_searched")
def find_subjects(
    session: Session, *, actor: Actor, name: str, purpose: AuditPurpose | str
) -> list[Subject]:
    """People named like `name` whom the reader may read, best first (at most
    `MAX_FOUND`, counted after policy). `Forbidden` for anyone who may read no part of
    the log; `InvalidData` for a name too short to search for or an unknown purpose."""
    chosen = parse_purpose(purpose)
    audit_scope(session, actor=actor, subject=None)
    matches = find_people(session=session, name=name, limit=MAX_FOUND * 3)
    labels = _labels(session, actor, [m.person_id for m in matches])
    found = [Subject(m.person_id, labels[m.person_id]) for m in matches if m.person_id in labels][
        :MAX_FOUND
    ]
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event=AuditEvent.AUDIT_PEOPLE_SEARCHED,
        records=[s.record_id for s in found],
        purpose=chosen.value,
        details={"found": len(found)},
    )
    return found


@read_path("audit.people_searched")
def name_records(
    session: Session, *, actor: Actor, ids: Collection[int], purpose: AuditPurpose | str
) -> dict[int, str]:
    """A name for each record among `ids` the reader may read (the rest are left out,
    to be shown by number)."""
    chosen = parse_purpose(purpose)
    labels = _labels(session, actor, sorted(set(ids)))
    if labels:
        record_event(
            session,
            actor=actor,
            action=AuditAction.CONSULTATION,
            event=AuditEvent.AUDIT_PEOPLE_SEARCHED,
            records=sorted(labels),
            purpose=chosen.value,
            details={"named": len(labels)},
        )
    return labels


def _labels(session: Session, actor: Actor, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    ctx = load_context(session, actor)
    facts = entity_facts(session, ids, on=ctx.on)
    decisions: dict[int, Decision] = {}
    for entity_id, fact in facts.items():
        if fact.kind not in _NAMED_KINDS:
            continue  # reports and the like are shown by number, as the log records them
        decision = decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx)
        if decision.allowed:
            decisions[entity_id] = decision
    if not decisions:
        return {}
    wanted = list(decisions)
    found: dict[int, str] = {}
    for row in session.scalars(select(PersonRow).where(PersonRow.entity_id.in_(wanted))):
        found[row.entity_id] = _person(row, decisions[row.entity_id])
    for entity_id, number in session.execute(
        select(PhoneRow.entity_id, PhoneRow.number).where(PhoneRow.entity_id.in_(wanted))
    ):
        found[entity_id] = f"phone {number}"
    for entity_id, vrm in session.execute(
        select(VehicleRow.entity_id, VehicleRow.vrm).where(VehicleRow.entity_id.in_(wanted))
    ):
        found[entity_id] = f"vehicle {vrm}"
    for entity_id, line, postcode in session.execute(
        select(LocationRow.entity_id, LocationRow.line1, LocationRow.postcode).where(
            LocationRow.entity_id.in_(wanted)
        )
    ):
        found[entity_id] = ", ".join(p for p in (line, postcode) if p) or "an address"
    for entity_id, org in session.execute(
        select(OrganisationRow.entity_id, OrganisationRow.name).where(
            OrganisationRow.entity_id.in_(wanted)
        )
    ):
        found[entity_id] = org
    return {k: v for k, v in found.items() if v}


def _person(row: PersonRow, decision: Decision) -> str:
    name = " ".join(
        part
        for part, field_name in (
            (row.given_names, "given_names"),
            ((row.family_name or "").upper(), "family_name"),
        )
        if part and decision.shows(field_name)
    )
    if row.dob_year and decision.shows("date_of_birth"):
        return f"{name or 'A person'}, born {row.dob_year}"
    return name


def with_record_names(
    session: Session, *, actor: Actor, purpose: AuditPurpose | str, exported: TextIO, out: TextIO
) -> int:
    """Copy a CSV export (`export_events`) to `out` with one more column, `record_names`:
    the records of each event named as the reader may see them ("Riley SCOTT, born 2010";
    a record the reader may not read stays a number in `records` alone). The exported
    columns, and so the hashes, are untouched. Returns the rows copied."""
    rows = list(csv.DictReader(exported))
    ids = {int(i) for row in rows for i in json.loads(row.get("records") or "[]")}
    names = name_records(session, actor=actor, ids=ids, purpose=purpose)
    writer = SafeDictWriter(out, (*COLUMNS, "record_names"))
    writer.writeheader()
    for row in rows:
        records = json.loads(row.get("records") or "[]")
        named = [names[int(i)] for i in records if int(i) in names]
        writer.writerow({**row, "record_names": "; ".join(named)})
    return len(rows)
