"""The import service behind `threadline import`: check the whole file, then write it.

`import_file` streams a CSV or JSON Lines file (plain or gzip) and works in two steps.
First it checks: every row is validated, link and custody ends and existing records are
looked up, and the import rule (`policy.imports`) is asked about every owner and
marking, in a read transaction that takes no write lock (checks and pages go on
meanwhile); the valid rows are kept in a temporary file (`importer.spill`). Only if the
whole file was valid are they written, with the COLLECTION events that list them
(`importer.collection`): in one transaction on PostgreSQL, a transaction per batch on
SQLite (see `_FileImport._write`). A file with one bad row writes nothing, and every
problem is reported with its file, line and column. Memory stays flat as files grow,
apart from the source ids seen so far (about 100 bytes a row), kept to refuse a
source_id repeated within the file, and the ids written, for the audit.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from threadline import policy
from threadline.clock import utcnow
from threadline.errors import FieldError, InvalidData
from threadline.importer import worker
from threadline.importer.collection import file_digest, log_collection, log_refusals
from threadline.importer.custody import CustodyWriter
from threadline.importer.kinds import ImportKind, check_header, detect_kind
from threadline.importer.permits import Permits, require_import
from threadline.importer.problems import Problems
from threadline.importer.readers import RowReader
from threadline.importer.records import EntityRecord, LinkRecord, Pending, Reference
from threadline.importer.reference import load_reference
from threadline.importer.result import ImportResult, Progress
from threadline.importer.spill import Spill, pack, unpack
from threadline.importer.sql import Sql
from threadline.importer.validate import RowValidator
from threadline.importer.writer import EntityWriter, LinkWriter, Mode, prepare_transaction
from threadline.model.security import Actor, system_actor
from threadline.policy import PolicyContext
from threadline.settings import Settings

Writer = EntityWriter | LinkWriter | CustodyWriter
# SQLite: how long an import lets go of the write lock between batches. SQLite's busy
# handler polls every 100 ms once a writer has waited a while: this lets it in.
YIELD_SECONDS = 0.1


@dataclass(frozen=True, slots=True)
class _Options:
    """What every file of one import shares: who imports, for whom, and how."""

    kind: str | None
    owner: str | None
    dry_run: bool
    settings: Settings
    actor: Actor
    ctx: PolicyContext


def import_file(
    *,
    engine: Engine,
    path: Path,
    kind: str | None = None,
    owner: str | None = None,
    dry_run: bool = False,
    settings: Settings | None = None,
    progress: Progress | None = None,
    actor: Actor | None = None,
) -> ImportResult:
    """Import one file of one kind (see docs/formats.md); never raises for bad content.

    `kind` overrides the kind told by the file name; `owner` is the agency code for rows
    without an `owner` column (`--org`). A dry run checks everything, link endpoints
    included, and writes nothing. `actor` (default: the console's system account,
    importing for the owner) must be allowed to import for the owner and for every row's
    owner and marking (`policy.imports`): `Forbidden` if not at all, located errors for
    rows it may not import. A file that is written is logged as COLLECTION events by
    `actor` listing the records written.
    """
    [result] = import_files(
        engine=engine,
        paths=[path],
        kind=kind,
        owner=owner,
        dry_run=dry_run,
        settings=settings,
        progress=progress,
        actor=actor,
    )
    return result


def import_files(
    *,
    engine: Engine,
    paths: Sequence[Path],
    kind: str | None = None,
    owner: str | None = None,
    dry_run: bool = False,
    settings: Settings | None = None,
    progress: Progress | None = None,
    actor: Actor | None = None,
) -> list[ImportResult]:
    """Import several files, each checked whole then written; results in the order run.

    Links files run after the record files, and custody files last, so they can point
    at records of the same import whatever order the files were named in. In a dry run,
    where nothing is written, the keys (and PNC ids) of valid record files are
    remembered so that links and custody rows naming them are not reported missing.
    `progress` runs over all the files' bytes together. Raises `Forbidden` before
    reading anything if `actor` may not import for `owner` at all.
    """
    who = actor or system_actor(owner.strip().lower() if owner else "ersou", "import")
    ctx = _context(engine, who)
    require_import(actor=who, ctx=ctx, owner=owner.strip().lower() if owner else None)
    options = _Options(kind, owner, dry_run, settings or Settings(), who, ctx)
    ordered = sorted(paths, key=lambda p: _file_order(p, kind))
    sizes = [p.stat().st_size if p.is_file() else 0 for p in ordered]
    pending = Pending() if dry_run else None
    results: list[ImportResult] = []
    for index, path in enumerate(ordered):
        offset, total = sum(sizes[:index]), sum(sizes)
        step = None if progress is None else _offset_progress(progress, offset, total)
        results.append(_FileImport(engine, path, options, step, pending).run())
    return results


def _context(engine: Engine, actor: Actor) -> PolicyContext:
    """The actor's policy context (a read: it takes no write lock)."""
    with Session(bind=engine) as session:
        return policy.load_context(session, actor)


def _file_order(path: Path, kind: str | None) -> int:
    """Record files first, then links, then custody (which names persons)."""
    try:
        found = detect_kind(path, kind)
    except InvalidData:
        return 0
    return {ImportKind.LINKS: 1, ImportKind.CUSTODY: 2}.get(found, 0)


def is_links_file(path: Path, kind: str | None) -> bool:
    try:
        return detect_kind(path, kind) is ImportKind.LINKS
    except InvalidData:
        return False


def _offset_progress(progress: Progress, offset: int, total: int) -> Progress:
    def step(done: int, _size: int) -> None:
        progress(offset + done, total)

    return step


class _FileImport:
    """The state of importing one file; `run()` once."""

    def __init__(
        self,
        engine: Engine,
        path: Path,
        options: _Options,
        progress: Progress | None,
        pending: Pending | None,
    ) -> None:
        self.engine = engine
        self.path = path
        self.options = options
        self.owner = options.owner
        self.settings = options.settings
        self.dry_run = options.dry_run
        self.progress = progress
        self.pending = pending
        self.problems = Problems(path.name, options.settings.import_max_errors)
        self.result = ImportResult(path=path, kind=None, dry_run=options.dry_run)
        self.reference: Reference | None = None
        self.permits: Permits | None = None
        self._sha256: str | None = None

    def run(self) -> ImportResult:
        started = time.perf_counter()
        try:
            self.result.kind = detect_kind(self.path, self.options.kind)
        except InvalidData as exc:
            self.problems.extend(exc.errors)
        if self.result.kind is not None and not self.path.is_file():
            self.problems.add(0, None, str(self.path), "an existing file (there is none)")
        kind = self.result.kind
        if kind is not None and self.problems.count == 0:
            with Spill() as spill:
                self._check(kind, spill)
                if self.problems.count == 0 and not self.dry_run:
                    self._write(kind, spill)
            if self.problems.count:
                log_refusals(
                    self.engine,
                    actor=self.options.actor,
                    path=self.path,
                    errors=self.problems.errors,
                    count=self.problems.count,
                )
        result = self.result
        result.errors = self.problems.errors
        result.error_count = self.problems.count
        if result.error_count:
            result.inserted = result.updated = 0
            result.audit_events = []
        result.seconds = time.perf_counter() - started
        return result

    # ------------------------------------------------------------------ checking

    def _check(self, kind: ImportKind, spill: Spill) -> None:
        """Validate and look up everything, in a read transaction; keep the valid rows."""
        with self.engine.connect() as conn:
            transaction = conn.begin()  # a read transaction: no write lock (storage.db)
            try:
                self._stream(conn, kind, spill)
            finally:
                transaction.rollback()  # it wrote nothing; this only ends it

    def _stream(self, conn: Connection, kind: ImportKind, spill: Spill) -> None:
        sql = Sql(conn)
        prepare_transaction(sql, writing=False)
        reference = self.reference = self._reference(conn)
        if reference is None:
            return
        codes = {id_: code for code, id_ in reference.agencies.items()}
        permits = self.permits = Permits(
            actor=self.options.actor, ctx=self.options.ctx, codes=codes
        )
        try:
            opened = RowReader(self.path)
        except OSError as exc:
            self.problems.add(0, None, str(self.path), f"a readable file ({exc.strerror or exc})")
            return
        with opened as reader:
            if reader.header_problem is not None:
                problem = reader.header_problem
                self.problems.add(1, problem.column, problem.received, problem.expected)
                return
            if reader.header is not None and not self._header_ok(kind, reader.header, reference):
                return
            validate = RowValidator(
                kind,
                reference=reference,
                problems=self.problems,
                json_lines=reader.json_lines,
                permits=permits,
            )
            writer = self._writer(sql, kind, reference, permits)
            self._rows(reader, validate, writer, spill)
            self.result.inserted, self.result.updated = writer.inserted, writer.updated
            if (
                self.pending is not None
                and isinstance(writer, EntityWriter)
                and self.problems.count == 0
            ):
                self.pending.add(writer.keys or set(), writer.pncs)

    def _writer(self, sql: Sql, kind: ImportKind, reference: Reference, permits: Permits) -> Writer:
        now = utcnow()
        pending = self.pending or Pending()
        if kind is ImportKind.CUSTODY:
            return CustodyWriter(
                sql, now=now, problems=self.problems, pending=pending, permits=permits
            )
        entity_kind = kind.entity_kind
        if entity_kind is None:
            return LinkWriter(
                sql,
                now=now,
                problems=self.problems,
                owners=permits.codes,
                pending=pending.keys,
                permits=permits,
            )
        keep = self.pending is not None
        return EntityWriter(
            sql,
            entity_kind.value,
            now=now,
            keep_keys=keep,
            problems=self.problems,
            permits=permits,
        )

    def _rows(
        self, reader: RowReader, validate: RowValidator, writer: Writer, spill: Spill
    ) -> None:
        size = max(1, self.settings.import_batch_size)
        if self._in_worker(reader, writer):
            # A forked child reads and validates while this process looks up and keeps
            # the checked rows. A thread would not do: the GIL serialises the two.
            produced = worker.batches_in_worker(
                lambda: self._batches(reader, validate, size),
                lambda: self.result.rows,
                self.problems,
                pack=pack,
                unpack=unpack,
            )
            for (batch, position), rows in produced:
                if position < 0:
                    self.result.rows = rows
                    break
                self._checked(batch, writer, spill, position, reader.total_bytes)
            return
        for batch, position in self._batches(reader, validate, size):
            self._checked(batch, writer, spill, position, reader.total_bytes)

    def _checked(
        self,
        batch: list[EntityRecord | LinkRecord],
        writer: Writer,
        spill: Spill,
        position: int,
        total: int,
    ) -> None:
        """Look up a validated batch (ends, existing records) and keep it to write."""
        writer.flush(batch, Mode.CHECK if self.problems.count else Mode.COUNT)  # type: ignore[arg-type]
        if self.problems.count == 0 and not self.dry_run:
            spill.add(batch)
        if self.progress is not None:
            # Checking is the first half of the work; writing (not done in a dry run) the rest.
            self.progress(position if self.dry_run else position // 2, total)

    def _in_worker(self, reader: RowReader, writer: Writer) -> bool:
        """Large record files only: forking costs a few milliseconds, links files differ."""
        threshold = self.settings.import_parallel_min_bytes
        return (
            isinstance(writer, EntityWriter)
            and threshold >= 0
            and reader.total_bytes >= threshold
            and worker.available()
        )

    def _batches(
        self, reader: RowReader, validate: RowValidator, size: int
    ) -> Iterator[tuple[list[EntityRecord | LinkRecord], int]]:
        """Valid records, a batch per `size` rows read, each with the bytes read so far."""
        batch: list[EntityRecord | LinkRecord] = []
        rows = 0
        for line, row in reader:
            rows += 1
            record = validate(line, row)
            if record is not None:
                batch.append(record)
            if rows % size == 0:
                yield batch, reader.position()
                batch = []
        self.result.rows = rows
        yield batch, reader.total_bytes

    # ------------------------------------------------------------------ writing

    def _write(self, kind: ImportKind, spill: Spill) -> None:
        """Write the checked rows, with COLLECTION events listing them.

        PostgreSQL: one transaction (readers never wait on it; the advisory lock only
        queues other imports). SQLite has one writer at a time, so there each batch is a
        transaction of its own, logged with its own events, and the write lock is let go
        between batches (`YIELD_SECONDS`) so that checks and pages waiting to append
        their audit event wait for one batch, never for the whole file.
        """
        assert self.reference is not None and self.permits is not None
        total = self.path.stat().st_size
        per_batch = self.engine.dialect.name == "sqlite"
        with self.engine.connect() as conn:
            conn.execution_options(sqlite_immediate=True)  # it writes from the start
            transaction = conn.begin()
            try:
                sql = Sql(conn)
                prepare_transaction(sql, writing=True)
                writer = self._writer(sql, kind, self.reference, self.permits)
                events: list[int] = []
                for number, batch in enumerate(spill, start=1):
                    mark = len(writer.written)
                    writer.flush(batch, Mode.WRITE)  # type: ignore[arg-type]
                    if self.problems.count:  # changed since it was checked
                        transaction.rollback()
                        self._stopped(number, spill.batches, per_batch)
                        return
                    done = total // 2 + total * number // (2 * spill.batches)
                    if per_batch:
                        part = (number, spill.batches)
                        events += self._audit(conn, kind, writer.written[mark:], part)
                        transaction.commit()
                        if self.progress is not None:  # reported holding no lock
                            self.progress(done, total)
                        time.sleep(YIELD_SECONDS)
                        transaction = conn.begin()
                        writer.next_transaction()
                    elif self.progress is not None:
                        self.progress(done, total)
                self.result.inserted, self.result.updated = writer.inserted, writer.updated
                if not per_batch or not events:
                    events += self._audit(conn, kind, writer.written, (1, 1))
                self.result.audit_events = events
            except BaseException:
                transaction.rollback()
                raise
            transaction.commit()
        if self.progress is not None:
            self.progress(total, total)

    def _stopped(self, number: int, batches: int, per_batch: bool) -> None:
        """Say what was written when a batch failed its write-time look-ups."""
        if per_batch and number > 1:
            self.problems.add(
                0,
                None,
                f"batches 1 to {number - 1} of {batches} written and logged",
                "a file unchanged while it is written: records it names were changed or "
                "removed meanwhile; import it again to complete it",
            )

    def _audit(
        self, conn: Connection, kind: ImportKind, records: list[int], batch: tuple[int, int]
    ) -> list[int]:
        details: dict[str, object] = {
            "file": self.path.name,
            "sha256": self._sha256 or file_digest(self.path),
            "kind": kind.value,
            "owner": self.owner,
            "rows": self.result.rows,
            "inserted": self.result.inserted,
            "updated": self.result.updated,
            "batch": batch[0],
            "batches": batch[1],
        }
        self._sha256 = str(details["sha256"])
        return log_collection(
            conn, actor=self.options.actor, kind=kind.value, details=details, records=records
        )

    def _header_ok(self, kind: ImportKind, header: list[str], reference: Reference) -> bool:
        errors = check_header(self.path.name, kind, header)
        if "owner" not in header and reference.default_owner is None:
            errors.append(
                FieldError(
                    f"{self.path.name} line 1 (header)",
                    ",".join(header),
                    "an owner column, or --org CODE to say which organisation owns the rows",
                )
            )
        self.problems.extend(errors, line=1)
        return not errors

    def _reference(self, conn: Connection) -> Reference | None:
        try:
            return load_reference(conn, owner=self.owner, phone_region=self.settings.phone_region)
        except InvalidData as exc:
            self.problems.extend(exc.errors)
            return None
