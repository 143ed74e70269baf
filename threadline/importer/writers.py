"""The writer for each kind of file: records of one kind, links, or custody episodes."""

from __future__ import annotations

from threadline.clock import utcnow
from threadline.importer.custody_writer import CustodyWriter
from threadline.importer.disruption_writer import DisruptionWriter
from threadline.importer.entity_writer import EntityWriter
from threadline.importer.kinds import ImportKind
from threadline.importer.link_writer import LinkWriter
from threadline.importer.outcome_writer import OutcomeWriter
from threadline.importer.permits import Permits
from threadline.importer.problems import Problems
from threadline.importer.records import Pending
from threadline.storage.import_store import ImportStore

Writer = EntityWriter | LinkWriter | CustodyWriter | DisruptionWriter | OutcomeWriter


def make_writer(
    store: ImportStore,
    kind: ImportKind,
    *,
    problems: Problems,
    permits: Permits,
    pending: Pending | None,
) -> Writer:
    """The writer of a file of `kind`; `pending` is kept by dry runs of several files."""
    now = utcnow()
    if kind is ImportKind.CUSTODY:
        return CustodyWriter(
            store, now=now, problems=problems, pending=pending or Pending(), permits=permits
        )
    if kind in (ImportKind.DISRUPTIONS, ImportKind.COURT_OUTCOMES):
        make = DisruptionWriter if kind is ImportKind.DISRUPTIONS else OutcomeWriter
        return make(
            store,
            now=now,
            problems=problems,
            owners=permits.codes,
            pending=pending or Pending(),
            permits=permits,
        )
    entity_kind = kind.entity_kind
    if entity_kind is None:
        return LinkWriter(
            store,
            now=now,
            problems=problems,
            owners=permits.codes,
            pending=(pending or Pending()).keys,
            permits=permits,
        )
    return EntityWriter(
        store,
        entity_kind.value,
        now=now,
        keep_keys=pending is not None,
        problems=problems,
        permits=permits,
    )
