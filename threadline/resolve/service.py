"""Resolution as a service: run it over the region, and export what it found.

Both ask policy first (`threadline.policy.resolution`) and write an audit event: a run is
s62 *combination* (`resolution.run`, naming the records whose resolved person changed),
an export a consultation (`resolution.exported`).
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event, spreadsheet
from threadline.clock import utcnow
from threadline.errors import FieldError, InvalidData
from threadline.model.security import Actor
from threadline.policy import Action, load_context, read_path, require
from threadline.policy.resolution import ResolutionTask, resolution_resource
from threadline.resolve import queue
from threadline.resolve.backend import Backend, close
from threadline.resolve.clusters import assign_ids
from threadline.resolve.engine import (
    Clustering,
    Pair,
    cluster,
    default_model,
    linker_for,
    train,
)
from threadline.resolve.load import load_table, pnc_pairs_in
from threadline.resolve.spec import MIN_TRAINING_RECORDS
from threadline.storage.resolution import (
    latest_model,
    replace_links,
    replace_resolved_ids,
    resolved_ids,
    resolved_rows,
    save_model,
)

__all__ = ["EXPORT_HEADER", "ExportSummary", "RunSummary", "export_resolution", "run_resolution"]

EXPORT_HEADER = ("owner", "source_system", "source_id", "resolved_id")


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What a run did: the model it used, the people it found, the ids it kept."""

    model_version: int
    trained: bool  # a new model was trained (else the latest was reused)
    records: int
    resolved_people: int
    people_with_several_records: int
    pairs_scored: int  # blocked pairs scoring the review floor or more
    pairs_matched: int  # pairs at or above the match threshold
    ids_kept: int  # records whose resolved id is what it was before this run
    ids_changed: int  # records new to resolution, or now with another resolved person
    seconds: float
    audit_event_id: int
    backend: str = Backend.DUCKDB.value  # where Splink ran: duckdb or spark

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _model(
    session: Session,
    table: Any,
    records: int,
    pairs: int,
    *,
    retrain: bool,
    backend: Backend = Backend.DUCKDB,
) -> tuple[int, dict[str, Any], bool]:
    """The model to predict with: the latest stored, or a newly trained (and stored) one."""
    stored = None if retrain else latest_model(session)
    if stored is not None:
        return stored.version, json.loads(stored.parameters), False
    if records < MIN_TRAINING_RECORDS:
        trained = default_model(records=records)
    else:
        linker = linker_for(table, backend=backend)
        try:
            trained = train(linker, records=records, pnc_pairs=pairs)
        finally:
            close(linker._db_api)  # the region's copy in it, before predicting makes another
    version = save_model(
        session,
        parameters=json.dumps(trained.model, sort_keys=True),
        figures=json.dumps(trained.figures, sort_keys=True),
        at=utcnow(),
    )
    return version, trained.model, True


def _predict(
    session: Session, *, retrain: bool, backend: Backend
) -> tuple[int, bool, int, Clustering | None]:
    """Read the region, choose its model and predict with it: the model's version,
    whether it was trained now, how many records, and what the prediction found (None
    for an empty region).

    One prediction, down to the review floor: the clusters, the links they are made of
    (stored, so that a reader is shown a cluster only as far as the links among the
    records they may see join it: `threadline.policy.resolution`), and the pairs to
    review. The region's table goes on return, before the resolved ids are written.
    """
    table = load_table(session)
    records = table.num_rows
    version, model, trained = _model(
        session, table, records, pnc_pairs_in(table), retrain=retrain, backend=backend
    )
    found = cluster(table, model, floor=queue.REVIEW_FLOOR, backend=backend) if records else None
    return version, trained, records, found


def run_resolution(
    session: Session, *, actor: Actor, retrain: bool = False, backend: Backend = Backend.DUCKDB
) -> RunSummary:
    """Match and cluster every person record; store each record's resolved id.

    Reuses the latest trained model unless `retrain` (or there is none yet): a region
    with fewer than `MIN_TRAINING_RECORDS` records has too few to learn from and gets
    the default weights instead. Resolved ids are stable (see `resolve.clusters`).
    Splink runs on `backend` (`resolve.backend`): the same model makes the same clusters.
    """
    require(
        actor=actor,
        action=Action.UPDATE,
        resource=resolution_resource(ResolutionTask.RUN),
        ctx=load_context(session, actor),
    )
    started = time.perf_counter()
    version, trained, records, found = _predict(session, retrain=retrain, backend=backend)
    links: list[Pair] = []
    uncertain: list[Pair] = []
    clusters: list[list[int]] = []
    if found is not None:
        clusters, links, uncertain = found.clusters, found.links, found.uncertain
    previous = resolved_ids(session)
    assigned = assign_ids(clusters, previous)
    changed = sorted(e for e, resolved in assigned.items() if previous.get(e) != resolved)
    replace_resolved_ids(session, assigned, model_version=version, at=utcnow())
    replace_links(session, links, model_version=version)
    # The uncertain pairs go to the analysts' queue; kept decisions are applied again.
    queue.review_after_run(session, pairs=uncertain, model_version=version)
    seconds = round(time.perf_counter() - started, 2)
    people = len(clusters)
    several = sum(1 for members in clusters if len(members) > 1)
    event_id = record_event(
        session,
        actor=actor,
        action=AuditAction.COMBINATION,
        event="resolution.run",
        records=changed,
        details={
            "model_version": version,
            "trained": trained,
            "records": records,
            "resolved_people": people,
            "ids_changed": len(changed),
            "backend": backend.value,
        },
    )
    return RunSummary(
        model_version=version,
        trained=trained,
        records=records,
        resolved_people=people,
        people_with_several_records=several,
        pairs_scored=len(links) + len(uncertain),
        pairs_matched=len(links),
        ids_kept=len(assigned) - len(changed),
        ids_changed=len(changed),
        seconds=seconds,
        backend=backend.value,
        audit_event_id=event_id,
    )


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What an export wrote: where, how many rows, and how many had no resolved id yet."""

    path: str
    rows: int
    unresolved: int
    audit_event_id: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@read_path("resolution.exported")
def export_resolution(session: Session, *, actor: Actor, out: Path) -> ExportSummary:
    """Write every person record's resolved id to `out` as CSV (EXPORT_HEADER columns).

    One row per person record, oldest first; a record created since the last run has an
    empty resolved id. The file is written whole or not at all, through the audit
    package's safe writer like every CSV Threadline writes: a source id that a
    spreadsheet would run as a formula (`=...`, `+...`, `-...`, `@...`) starts with `'`.
    """
    require(
        actor=actor,
        action=Action.READ,
        resource=resolution_resource(ResolutionTask.EXPORT),
        ctx=load_context(session, actor),
    )
    if out.is_dir() or not out.parent.is_dir():
        raise InvalidData([FieldError("--out", str(out), "a file path in a folder that exists")])
    partial = out.with_name(out.name + ".partial")
    rows = unresolved = 0
    with partial.open("w", encoding="utf-8", newline="") as handle:
        writer = spreadsheet.writer(handle)
        writer.writerow(EXPORT_HEADER)
        for row in resolved_rows(session):
            writer.writerow(row)
            rows += 1
            unresolved += not row[3]
    partial.replace(out)
    event_id = record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="resolution.exported",
        details={"path": str(out), "rows": rows, "unresolved": unresolved},
    )
    return ExportSummary(path=str(out), rows=rows, unresolved=unresolved, audit_event_id=event_id)
