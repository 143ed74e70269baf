"""Why two person records are (or are not) one person: the match weights field by field.

Records are named by entity id (as the profile page shows it, `/people/<id>`) or by
their source key `owner/source_system/source_id`. Each must be a person record the
reader may see in full; otherwise it is reported as not found, so an explanation never
reveals that a hidden record exists.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any

import pyarrow as pa
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.errors import NotFound
from threadline.model.security import Actor
from threadline.policy import Action, decide, entity_facts, load_context, read_path, require
from threadline.policy.resolution import ResolutionTask, resolution_resource
from threadline.policy.terms import PolicyContext
from threadline.resolve.engine import default_model, linker_for, score_pair
from threadline.resolve.load import load_records
from threadline.resolve.records import PersonRecord, to_table
from threadline.resolve.spec import DESCRIPTIONS
from threadline.storage.resolution import (
    latest_model,
    name_counts,
    person_by_source,
    resolved_ids,
)

__all__ = ["Explanation", "FieldExplanation", "explain_pair"]


@dataclass(frozen=True, slots=True)
class FieldExplanation:
    """One comparison of the pair: both sides' values, the level matched, its weight."""

    comparison: str
    description: str
    left: str
    right: str
    level: str
    weight: float  # bits: + for the same person, - against, 0 not compared


@dataclass(frozen=True, slots=True)
class Explanation:
    """The match weights of a pair, the prior they start from, and the outcome."""

    left: str  # owner/source_system/source_id (entity id)
    right: str
    model_version: int | None  # None: no model stored yet (default weights shown)
    prior_weight: float
    match_weight: float
    match_probability: float
    left_resolved_id: str | None
    right_resolved_id: str | None
    fields: list[FieldExplanation] = field(default_factory=list)
    audit_event_id: int = 0

    @property
    def same_person(self) -> bool:
        """True when the last run put both records in one resolved person."""
        return self.left_resolved_id is not None and self.left_resolved_id == (
            self.right_resolved_id
        )

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "same_person": self.same_person}


def _entity_id(session: Session, ref: str) -> int | None:
    text = ref.strip()
    if text.isdigit():
        return int(text)
    owner, _, rest = text.partition("/")
    system, _, source_id = rest.partition("/")
    if not (owner and system and source_id):
        return None
    return person_by_source(session, owner=owner, source_system=system, source_id=source_id)


def _visible(session: Session, actor: Actor, ctx: PolicyContext, ref: str) -> int:
    """The entity id of the person record `ref`, if the actor may read all of it."""
    missing = NotFound(
        f"no person record {ref!r} that you may see (give an entity id, as on the profile "
        "page, or owner/source_system/source_id)"
    )
    entity_id = _entity_id(session, ref)
    if entity_id is None:
        raise missing
    facts = entity_facts(session, [entity_id], on=ctx.on).get(entity_id)
    if facts is None or facts.kind != "person":
        raise missing
    decision = decide(actor=actor, action=Action.READ, resource=facts.resource(), ctx=ctx)
    if not decision.allowed or decision.fields is not None:
        raise missing
    return entity_id


def _shown(record: PersonRecord, comparison: str) -> str:
    """A record's values for one comparison, as text for the explanation table."""
    values: dict[str, list[Any]] = {
        "family_name": [record.family],
        "given_name": [record.given_all],
        "other_names": [*(record.aliases or []), *(record.nicknames or [])],
        "date_of_birth": [
            "-".join(
                "??" if part is None else f"{part:02d}"
                for part in (record.dob_year, record.dob_month, record.dob_day)
            )
            if record.dob_year is not None
            else None
        ],
        "address": [*(record.addresses or []), *(record.uprns or [])],
        "phone": list(record.phones or []),
        "pnc_id": [record.pnc_id],
        "gender": [record.gender],
    }
    return "; ".join(str(v) for v in values.get(comparison, []) if v) or "—"


@read_path("resolution.explained")
def explain_pair(session: Session, *, actor: Actor, first: str, second: str) -> Explanation:
    """The match weights of two person records under the latest model, field by field."""
    ctx = load_context(session, actor)
    require(
        actor=actor,
        action=Action.READ,
        resource=resolution_resource(ResolutionTask.EXPLAIN),
        ctx=ctx,
    )
    left_id, right_id = _visible(session, actor, ctx, first), _visible(session, actor, ctx, second)
    by_id = {record.unique_id: record for record in load_records(session, {left_id, right_id})}
    left, right = by_id[left_id], by_id[right_id]
    families, givens, total = name_counts(
        session,
        families={r.family for r in (left, right) if r.family},
        givens={r.given for r in (left, right) if r.given},
    )
    stored = latest_model(session)
    model = json.loads(stored.parameters) if stored else default_model(records=total).model
    table = to_table([left, right])
    for column, counts in (("family", families), ("given", givens)):
        values = [getattr(r, column) for r in (left, right)]
        shares = [counts.get(v, 0) / total if v and total else None for v in values]
        table = table.append_column(f"tf_{column}", pa.array(shares, pa.float64()))
    linker = linker_for(to_table([left, right]), model)
    weight, probability, parts = score_pair(linker, table)
    prior = float(model["probability_two_random_records_match"])
    ids = resolved_ids(session, {left_id, right_id})
    event_id = record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="resolution.explained",
        records=[left_id, right_id],
        details={"model_version": stored.version if stored else None},
    )
    return Explanation(
        left=f"{left.owner}/{left.source_key} ({left_id})",
        right=f"{right.owner}/{right.source_key} ({right_id})",
        model_version=stored.version if stored else None,
        prior_weight=round(math.log2(prior / (1 - prior)), 2),
        match_weight=round(weight, 2),
        match_probability=round(probability, 4),
        left_resolved_id=ids.get(left_id),
        right_resolved_id=ids.get(right_id),
        fields=[
            FieldExplanation(
                comparison=part.comparison,
                description=DESCRIPTIONS.get(part.comparison, part.comparison),
                left=_shown(left, part.comparison),
                right=_shown(right, part.comparison),
                level=part.level,
                weight=part.weight,
            )
            for part in parts
        ],
        audit_event_id=event_id,
    )
