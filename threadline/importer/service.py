"""The import service behind `threadline import`: one file, one transaction.

`import_file` streams a CSV or JSON Lines file (plain or gzip), validates every row, and
writes the rows in batches inside a single transaction that is committed only if the
whole file was valid: a file with one bad row writes nothing, and every problem is
reported with its line and column. Memory stays flat as files grow, apart from the
source ids seen so far (about 100 bytes a row), kept to refuse a source_id repeated
within the file.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.errors import FieldError, InvalidData
from threadline.importer import worker
from threadline.importer.custody import CustodyWriter
from threadline.importer.kinds import ImportKind, check_header, detect_kind
from threadline.importer.problems import Problems
from threadline.importer.readers import RowReader
from threadline.importer.records import EndpointKey, EntityRecord, LinkRecord, Reference
from threadline.importer.sql import Sql
from threadline.importer.validate import RowValidator
from threadline.importer.writer import EntityWriter, LinkWriter, Mode, prepare_transaction
from threadline.model.security import Actor, system_actor
from threadline.settings import Settings
from threadline.storage.reference import utcnow
from threadline.storage.tables import AgencyRow, AreaRow, PostcodeDistrictRow

Progress = Callable[[int, int], None]
"""Called as `progress(bytes_read, total_bytes)` every batch and once at the end.

Bytes are of the file as stored (compressed bytes for `.gz`), so the total is known
before reading and a progress bar can show time remaining.
"""


@dataclass(slots=True)
class ImportResult:
    """What importing one file did, or (in a dry run) would do.

    `inserted` and `updated` count records written (0 when the file had errors, since
    then nothing is written). `errors` lists the first `import_max_errors` problems;
    `error_count` counts them all.
    """

    path: Path
    kind: ImportKind | None
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    errors: list[FieldError] = field(default_factory=list)
    error_count: int = 0
    dry_run: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def written(self) -> bool:
        """Whether the file's records are now in the database."""
        return self.ok and not self.dry_run

    def as_dict(self) -> dict[str, object]:
        """The result as plain JSON-ready values (for `--json`)."""
        return {
            "path": str(self.path),
            "kind": self.kind.value if self.kind else None,
            "rows": self.rows,
            "inserted": self.inserted,
            "updated": self.updated,
            "errors": [
                {"location": e.location, "received": e.received, "expected": e.expected}
                for e in self.errors
            ],
            "error_count": self.error_count,
            "dry_run": self.dry_run,
            "written": self.written,
            "seconds": round(self.seconds, 3),
        }


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
    without an `owner` column (`--org`). A dry run validates everything, link endpoints
    included, and writes nothing. A file that is written is logged as one COLLECTION
    audit event by `actor` (default: the system, importing for the owner).
    """
    run = _FileImport(
        engine, path, kind, owner, dry_run, settings or Settings(), progress, actor=actor
    )
    return run.run()


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
    """Import several files, each in its own transaction; results in the order run.

    Links files run after the record files, so links can point at records of the same
    import whatever order the files were named in. In a dry run, where nothing is
    written, the keys of valid record files are remembered so that links to them are
    not reported missing. `progress` runs over all the files' bytes together.
    """
    chosen = settings or Settings()
    ordered = sorted(paths, key=lambda p: _file_order(p, kind))
    sizes = [p.stat().st_size if p.is_file() else 0 for p in ordered]
    pending: set[EndpointKey] | None = set() if dry_run else None
    results: list[ImportResult] = []
    for index, path in enumerate(ordered):
        offset, total = sum(sizes[:index]), sum(sizes)
        step = None if progress is None else _offset_progress(progress, offset, total)
        run = _FileImport(engine, path, kind, owner, dry_run, chosen, step, pending, actor=actor)
        results.append(run.run())
    return results


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
        kind: str | None,
        owner: str | None,
        dry_run: bool,
        settings: Settings,
        progress: Progress | None,
        pending: set[EndpointKey] | None = None,
        *,
        actor: Actor | None = None,
    ) -> None:
        self.actor = actor
        self.engine = engine
        self.path = path
        self.kind_name = kind
        self.owner = owner
        self.dry_run = dry_run
        self.settings = settings
        self.progress = progress
        self.pending = pending
        self.problems = Problems(path.name, settings.import_max_errors)
        self.result = ImportResult(path=path, kind=None, dry_run=dry_run)

    def run(self) -> ImportResult:
        started = time.perf_counter()
        try:
            self.result.kind = detect_kind(self.path, self.kind_name)
        except InvalidData as exc:
            self.problems.extend(exc.errors)
        if self.result.kind is not None and not self.path.is_file():
            self.problems.add(0, None, str(self.path), "an existing file (there is none)")
        kind = self.result.kind
        if kind is not None and self.problems.count == 0:
            self._transaction(kind)
        result = self.result
        result.errors = self.problems.errors
        result.error_count = self.problems.count
        if result.error_count:
            result.inserted = result.updated = 0
        result.seconds = time.perf_counter() - started
        return result

    def _transaction(self, kind: ImportKind) -> None:
        with self.engine.connect() as conn:
            if not self.dry_run:
                conn.execution_options(sqlite_immediate=True)
            transaction = conn.begin()
            try:
                self._stream(conn, kind)
            except BaseException:
                transaction.rollback()
                raise
            if self.problems.count or self.dry_run:
                transaction.rollback()
            else:
                self._audit(conn, kind)
                transaction.commit()

    def _audit(self, conn: Connection, kind: ImportKind) -> None:
        """One COLLECTION event per file written, in the file's own transaction.

        The event names the file, its SHA-256, the owner and the counts; it does not list
        every record (a million ids per event would swamp the log): each record carries
        its provenance (owner, source system, source id, created and updated times),
        which with this event answers who collected what, and when.
        """
        actor = self.actor or system_actor(self.owner or "ersou", "import")
        digest = hashlib.sha256()
        with self.path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        with Session(bind=conn) as session:
            record_event(
                session,
                actor=actor,
                action=AuditAction.COLLECTION,
                event=f"import.{kind.value}",
                details={
                    "file": self.path.name,
                    "sha256": digest.hexdigest(),
                    "kind": kind.value,
                    "owner": self.owner,
                    "rows": self.result.rows,
                    "inserted": self.result.inserted,
                    "updated": self.result.updated,
                },
            )
            session.flush()

    def _stream(self, conn: Connection, kind: ImportKind) -> None:
        sql = Sql(conn)
        prepare_transaction(sql, writing=not self.dry_run)
        reference = self._reference(conn)
        if reference is None:
            return
        try:
            opened = RowReader(self.path)
        except OSError as exc:
            self.problems.add(0, None, str(self.path), f"a readable file ({exc.strerror or exc})")
            return
        with opened as reader:
            if reader.header_problem is not None:
                problem = reader.header_problem
                self.problems.add(1, None, problem.received, problem.expected)
                return
            if reader.header is not None and not self._header_ok(kind, reader.header, reference):
                return
            validate = RowValidator(
                kind, reference=reference, problems=self.problems, json_lines=reader.json_lines
            )
            now = utcnow()
            writer: EntityWriter | LinkWriter | CustodyWriter
            entity_kind = kind.entity_kind
            if kind is ImportKind.CUSTODY:
                pending = self.pending if self.pending is not None else frozenset()
                writer = CustodyWriter(sql, now=now, problems=self.problems, pending=pending)
            elif entity_kind is None:
                owners = {id_: code for code, id_ in reference.agencies.items()}
                pending = self.pending if self.pending is not None else frozenset()
                writer = LinkWriter(
                    sql, now=now, problems=self.problems, owners=owners, pending=pending
                )
            else:
                keep = self.pending is not None
                writer = EntityWriter(sql, entity_kind.value, now=now, keep_keys=keep)
            self._rows(reader, validate, writer)
            self.result.inserted, self.result.updated = writer.inserted, writer.updated
            if isinstance(writer, EntityWriter) and writer.keys and self.problems.count == 0:
                assert self.pending is not None
                self.pending |= writer.keys

    def _rows(
        self,
        reader: RowReader,
        validate: RowValidator,
        writer: EntityWriter | LinkWriter | CustodyWriter,
    ) -> None:
        size = max(1, self.settings.import_batch_size)
        if self._in_worker(reader, writer):
            # A forked child reads and validates while this process writes (see
            # importer.worker). A thread would not do: the GIL serialises the two.
            produced = worker.batches_in_worker(
                lambda: self._batches(reader, validate, size),
                lambda: self.result.rows,
                self.problems,
                pack=lambda r: (r.line, r.key, r.marking, r.values, r.names),
                unpack=lambda t: EntityRecord(*t),
            )
            for (batch, position), rows in produced:
                if position < 0:
                    self.result.rows = rows
                    break
                writer.flush(batch, self._mode())
                if self.progress is not None:
                    self.progress(position, reader.total_bytes)
            return
        for batch, position in self._batches(reader, validate, size):
            writer.flush(batch, self._mode())  # type: ignore[arg-type]
            if self.progress is not None:
                self.progress(position, reader.total_bytes)

    def _in_worker(
        self, reader: RowReader, writer: EntityWriter | LinkWriter | CustodyWriter
    ) -> bool:
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

    def _mode(self) -> Mode:
        if self.problems.count:
            return Mode.CHECK
        return Mode.COUNT if self.dry_run else Mode.WRITE

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
        agencies = {
            code.lower(): id_ for code, id_ in conn.execute(select(AgencyRow.code, AgencyRow.id))
        }
        areas = {code.lower(): id_ for code, id_ in conn.execute(select(AreaRow.code, AreaRow.id))}
        district_rows = conn.execute(
            select(PostcodeDistrictRow.district, PostcodeDistrictRow.area_id)
        )
        districts = {district: area_id for district, area_id in district_rows}
        default_owner = None
        if self.owner:
            default_owner = agencies.get(self.owner.strip().lower())
            if default_owner is None:
                known = ", ".join(sorted(agencies)) or "none yet: run `threadline init`"
                self.problems.extend(
                    [FieldError("--org", self.owner, f"the code of a known organisation ({known})")]
                )
                return None
        return Reference(
            agencies=agencies,
            areas=areas,
            districts=districts,
            default_owner=default_owner,
            today=date.today(),
            phone_region=self.settings.phone_region,
        )
