"""Match new person records against the people already resolved, without a full rerun.

After a file of people is imported, its records that have no resolved id yet are scored
with the latest stored model against the resolved records that share a blocking key
with them (found by a few indexed queries, not by reading the region), and against
each other. A pair at or above MATCH_THRESHOLD becomes a stored link, as in a full run;
a new record takes the resolved id of the people it links to, joining them under the
id of the largest when it links several, and a record that links to nobody known gets
a new id of its own (`resolve.clusters.new_id`). Writes are s62 *combination*
(`resolution.matched`).

Nothing happens before the first full run (`threadline resolve run`): with no stored
model there is nothing to match against.
"""

from __future__ import annotations

import json
import time
from collections.abc import Collection, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import pyarrow as pa
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.model.security import Actor
from threadline.resolve.clusters import new_id
from threadline.resolve.engine import linker_for
from threadline.resolve.load import load_records
from threadline.resolve.pyscore import py_scorer_for
from threadline.resolve.queue import Verdict
from threadline.resolve.records import PersonRecord, address_line, canonical_given, to_table
from threadline.resolve.scorer import scorer_for, with_frequencies
from threadline.resolve.spec import MATCH_THRESHOLD
from threadline.storage.resolution import (
    latest_model,
    members_of,
    name_counts,
    resolved_ids,
)
from threadline.storage.resolution_matching import (
    BlockingKeys,
    CandidateName,
    add_links,
    name_frequencies,
    resolved_candidates,
    set_resolved_ids,
)
from threadline.storage.resolution_review import kept_decisions, ordered

__all__ = ["MatchSummary", "resolve_new"]

# Up to this many distinct given names, count names one by one (`name_counts`); beyond,
# count every name at once (`name_frequencies`).
_FEW_NAMES = 16
# Up to this many pairs (new records by new and known ones), score every pair and keep
# those a blocking rule forms (`score_few`); beyond, let Splink block (`score_many`).
_FEW_PAIRS = 20_000


@dataclass(frozen=True, slots=True)
class MatchSummary:
    """What matching new records did; `model_version` None: no model yet, nothing done."""

    model_version: int | None
    new_records: int  # records given a resolved id
    matched: int  # of those, now one person with a record resolved before
    links: int  # links added
    clusters_joined: int  # resolved people joined into another by a new record
    seconds: float
    audit_event_id: int | None = None

    @property
    def message(self) -> str:
        """One line for the import summary."""
        if self.model_version is None:
            return (
                "new people not matched: no resolution model yet "
                "(run `threadline resolve run` once first)"
            )
        return f"Matched {self.matched} of {self.new_records} new people to people already known"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def blocking_keys(records: Iterable[PersonRecord]) -> BlockingKeys:
    """The keys that find every resolved record a blocking rule would pair with `records`."""
    family_keys: set[str] = set()
    year_months: set[tuple[int, int]] = set()
    swapped: set[tuple[int, int, int]] = set()
    year_initials: set[tuple[int, str]] = set()
    pnc_ids: set[str] = set()
    phones: set[str] = set()
    postcodes: set[str] = set()
    swapped_names: set[tuple[str, str]] = set()
    districts: set[str] = set()
    for record in records:
        if record.family_key and record.given_key:
            swapped_names.add((record.given_key, record.family_key))
        if record.lines:
            districts.update(record.districts or ())
        if record.family_key:
            family_keys.add(record.family_key)
        year, month, day = record.dob_year, record.dob_month, record.dob_day
        if year is not None and month is not None:
            year_months.add((year, month))
            if day is not None and day <= 12:
                swapped.add((year, day, month))
        if year is not None and record.family:
            year_initials.add((year, record.family[0]))
        if record.pnc_id:
            pnc_ids.add(record.pnc_id)
        phones.update(record.phones or ())
        postcodes.update(record.postcodes or ())
    return BlockingKeys(
        family_keys=frozenset(family_keys),
        year_months=frozenset(year_months),
        swapped=frozenset(swapped),
        year_initials=frozenset(year_initials),
        pnc_ids=frozenset(pnc_ids),
        phones=frozenset(phones),
        postcodes=frozenset(postcodes),
        swapped_names=frozenset(swapped_names),
        districts=frozenset(districts),
    )


def candidates_of(session: Session, records: Sequence[PersonRecord]) -> set[int]:
    """The resolved records a blocking rule may pair with `records` (and a few more)."""
    lines = {line for r in records for line in r.lines or ()}
    return resolved_candidates(
        session,
        blocking_keys(records),
        _Blocked(records),
        keep_line=lambda line1: address_line(line1) in lines,
    )


class _Blocked:
    """Whether a candidate found by name or date of birth would be paired with a new
    record by one of the model's blocking rules on names and dates of birth
    (`resolve.spec.prediction_rules`: family key with given name or year, given name with
    year and month or year and initial, full date). Candidates many records share a key
    with are narrowed so before they are read and scored; the scoring itself still asks
    the rules (`score_few`, `score_many`), so this only has to keep every true pairing.
    """

    def __init__(self, records: Iterable[PersonRecord]) -> None:
        self.keys: set[tuple[object, ...]] = set()
        for r in records:
            canon = r.given_canon
            self.keys.update(
                key
                for key, complete in (
                    (("fc", r.family_key, canon), r.family_key and canon),
                    (("fy", r.family_key, r.dob_year), r.family_key and r.dob_year is not None),
                    (("ym", r.dob_year, r.dob_month, canon), canon and r.dob_month is not None),
                    (("yi", r.dob_year, (r.family or " ")[0], canon), canon and r.family),
                    (("d", r.dob_year, r.dob_month, r.dob_day), r.dob is not None),
                )
                if complete
            )

    def __call__(self, candidate: CandidateName) -> bool:
        given = candidate.given_norm.split(" ", 1)[0] if candidate.given_norm else ""
        canon = canonical_given(given)
        year, month = candidate.dob_year, candidate.dob_month
        return any(
            key in self.keys
            for key in (
                ("fc", candidate.family_key, canon),
                ("fy", candidate.family_key, year),
                ("ym", year, month, canon),
                ("yi", year, (candidate.family_norm or " ")[0], canon),
                ("d", year, month, candidate.dob_day),
            )
        )


def _frequencies(
    session: Session, new: Sequence[PersonRecord], known: Sequence[PersonRecord]
) -> dict[str, dict[str, float]]:
    """The term frequencies of the names that can meet in a pair, by column (`family`,
    `given`): each name's share of all person records, as a full run has them.

    Given names are adjusted only when both sides agree exactly, so the new records'
    given names are all that is needed; family names also when one typing slip apart,
    so the known records' family names are counted too.
    """
    families = {r.family for r in [*new, *known] if r.family}
    givens = {r.given for r in new if r.given}
    if len(givens) <= _FEW_NAMES:
        family_counts, given_counts, total = name_counts(session, families=families, givens=givens)
    else:
        family_counts, given_counts, total = name_frequencies(session)
    return {
        column: {name: max(counts.get(name, 0), 1) / max(total, 1) for name in names}
        for column, names, counts in (
            ("family", families, family_counts),
            ("given", givens, given_counts),
        )
    }


def _pairs(predictions: Any) -> list[tuple[int, int, float]]:
    rows = predictions.query_sql(
        f"SELECT unique_id_l, unique_id_r, match_probability FROM {predictions.physical_name}"
    ).as_record_list()
    return [
        (int(row["unique_id_l"]), int(row["unique_id_r"]), float(row["match_probability"]))
        for row in rows
    ]


def score_many(
    model: dict[str, Any],
    new: list[PersonRecord],
    known: list[PersonRecord],
    frequencies: dict[str, dict[str, float]],
) -> list[tuple[int, int, float]]:
    """Pairs at or above MATCH_THRESHOLD among the `new` records and between them and the
    `known` ones, formed by the model's blocking rules (Splink's `predict_between` and
    `predict_within`); `frequencies` are their names' term frequencies."""
    fresh_table = to_table(new)
    linker = linker_for(fresh_table, model)
    db_api = linker._db_api
    for column, shares in frequencies.items():
        names = sorted(shares)
        lookup = pa.table(
            {
                column: pa.array(names, pa.string()),
                f"tf_{column}": pa.array([shares[n] for n in names], pa.float64()),
            }
        )
        linker.table_management.register_term_frequency_lookup(db_api.register(lookup), column)
    fresh = db_api.register(fresh_table)
    found: list[tuple[int, int, float]] = []
    if known:
        found += _pairs(
            linker.inference.predict_between(
                db_api.register(to_table(known)),
                fresh,
                threshold_match_probability=MATCH_THRESHOLD,
                warning_mode="never",
            )
        )
    if len(new) > 1:
        found += _pairs(
            linker.inference.predict_within(
                fresh, threshold_match_probability=MATCH_THRESHOLD, warning_mode="never"
            )
        )
    return found


def score_few(
    parameters: str,
    new: list[PersonRecord],
    known: list[PersonRecord],
    frequencies: dict[str, dict[str, float]],
) -> list[tuple[int, int, float]]:
    """As `score_many`, fast for a few records: in Python (`resolve.pyscore`, the pairs a
    blocking rule forms found by their keys) when it has a twin for everything in the
    model, else every pair's score on DuckDB (`resolve.scorer`)."""
    python = py_scorer_for(parameters)
    if python is not None:
        fresh_rows = python.rows(new, frequencies)
        pairs = python.score(fresh_rows, fresh_rows, threshold=MATCH_THRESHOLD)
        if known:
            pairs += python.score(
                python.rows(known, frequencies), fresh_rows, threshold=MATCH_THRESHOLD
            )
        return pairs
    scorer = scorer_for(parameters)
    fresh = with_frequencies(new, frequencies)
    found = scorer.score(fresh, fresh, threshold=MATCH_THRESHOLD) if len(new) > 1 else []
    if known:
        found += scorer.score(
            with_frequencies(known, frequencies), fresh, threshold=MATCH_THRESHOLD
        )
    return found


def _groups(pairs: Iterable[tuple[int | str, int | str]]) -> list[set[int | str]]:
    """Connected groups of the nodes joined by `pairs` (new records and known people)."""
    parent: dict[int | str, int | str] = {}

    def root(node: int | str) -> int | str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for left, right in pairs:
        parent[root(left)] = root(right)
    groups: dict[int | str, set[int | str]] = {}
    for node in list(parent):
        groups.setdefault(root(node), set()).add(node)
    return list(groups.values())


def _assign(
    session: Session, new: Collection[int], links: list[tuple[int, int, float]]
) -> tuple[dict[int, str], int, int]:
    """Resolved ids to set (new records and records of joined people), how many new
    records joined a known person, and how many known people were joined into another.

    A known record stands for its whole resolved person (a str node), so a new record
    linked to two records of one person joins it once, and people joined through
    several new records are joined once, under the id of the largest.
    """
    new_set = set(new)
    known = resolved_ids(session, {e for pair in links for e in pair[:2]} - new_set)

    def node(entity_id: int) -> int | str:
        return known.get(entity_id, entity_id)

    nodes: list[tuple[int | str, int | str]] = [(n, n) for n in new_set]
    nodes += [(node(a), node(b)) for a, b, _ in links]
    sizes = {rid: len(m) for rid, m in members_of(session, set(known.values())).items()}
    apart = {
        ordered(d.entity_a, d.entity_b)
        for d in kept_decisions(session)
        if d.decision == Verdict.DIFFERENT
    }
    assigned: dict[int, str] = {}
    matched = joined = 0
    for group in _groups(nodes):
        fresh = sorted(n for n in group if isinstance(n, int))
        people = sorted(
            (n for n in group if isinstance(n, str)), key=lambda r: (-sizes.get(r, 0), r)
        )
        if not people:
            name = new_id(fresh[0])
        else:
            name = people[0]
            matched += len(fresh)
            together = set(members_of(session, [name]).get(name, []))
            for other in people[1:]:
                members = members_of(session, [other]).get(other, [])
                if any(ordered(a, b) in apart for a in members for b in together):
                    continue  # an analyst decided they are different people: not joined
                joined += 1
                together.update(members)
                assigned.update(dict.fromkeys(members, name))
        assigned.update(dict.fromkeys(fresh, name))
    return assigned, matched, joined


def resolve_new(session: Session, entity_ids: Collection[int], *, actor: Actor) -> MatchSummary:
    """Give the person records of `entity_ids` that have no resolved id yet one, by
    matching them with the latest stored model; in the caller's transaction.

    Records already resolved are left to the next full run, as are records that are
    not persons. With no stored model nothing is done (`model_version` None). The
    writes are logged as one `resolution.matched` event by `actor` (the importer).
    """
    started = time.perf_counter()
    stored = latest_model(session)
    if stored is None:
        return MatchSummary(None, 0, 0, 0, 0, 0.0)
    already = resolved_ids(session, entity_ids)
    records = load_records(session, set(entity_ids) - set(already))
    if not records:
        return MatchSummary(stored.version, 0, 0, 0, 0, 0.0)
    new = [r.unique_id for r in records]
    candidates = candidates_of(session, records)
    candidates -= set(new)
    known = load_records(session, candidates) if candidates else []
    frequencies = _frequencies(session, records, known)
    if len(records) * (len(records) + len(known)) <= _FEW_PAIRS:
        links = score_few(stored.parameters, records, known, frequencies)
    else:
        links = score_many(json.loads(stored.parameters), records, known, frequencies)
    assigned, matched, joined = _assign(session, new, links)
    added = add_links(session, links, model_version=stored.version)
    set_resolved_ids(session, assigned, model_version=stored.version, at=utcnow())
    event_id = record_event(
        session,
        actor=actor,
        action=AuditAction.COMBINATION,
        event="resolution.matched",
        records=sorted(assigned),
        details={
            "model_version": stored.version,
            "new_records": len(new),
            "matched": matched,
            "links": added,
            "clusters_joined": joined,
        },
    )
    return MatchSummary(
        model_version=stored.version,
        new_records=len(new),
        matched=matched,
        links=added,
        clusters_joined=joined,
        seconds=round(time.perf_counter() - started, 3),
        audit_event_id=event_id,
    )
