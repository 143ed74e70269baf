"""What the disruption and court outcome writers share: the import's store, the clock,
its problems, owners, pending records and permits, and the counts of what was written."""

from __future__ import annotations

from datetime import datetime

from threadline.importer.permits import Permits
from threadline.importer.problems import Problems
from threadline.importer.records import Pending
from threadline.storage.disruption_import import DisruptionImportStore
from threadline.storage.import_store import ImportStore


class DisruptionStoreWriter:
    """The state of a writer of disruption records on the import's connection."""

    def __init__(
        self,
        store: ImportStore,
        *,
        now: datetime,
        problems: Problems,
        owners: dict[int, str],
        pending: Pending | None = None,
        permits: Permits | None = None,
    ) -> None:
        self.store = store
        self.sql = DisruptionImportStore(store.connection)
        self.now = now
        self.problems = problems
        self.owners = owners
        self.pending = pending or Pending()
        self.permits = permits
        self.inserted = 0
        self.updated = 0
        self.written: list[int] = []

    def next_transaction(self) -> None:
        """Nothing is kept between transactions."""
