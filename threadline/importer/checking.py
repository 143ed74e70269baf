"""The first step of a file's import: check every row, and keep the valid ones.

Every row is validated, link and custody ends and existing records are looked up, and
the import rule (`policy.imports`) is asked about every owner and marking, in a read
transaction that takes no write lock (checks and pages go on meanwhile). The valid rows
are kept in a temporary file (`importer.spill`) for `importer.writing`.

A first load (`importer.first_load`) checks in its write transaction instead, and
writes each batch as soon as it is checked: `check_in(..., write=True)`.
"""

from __future__ import annotations

from collections.abc import Iterator

from threadline.errors import FieldError, InvalidData
from threadline.importer import worker
from threadline.importer.entity_writer import EntityWriter
from threadline.importer.file_import import FileImport
from threadline.importer.flush import Mode
from threadline.importer.kinds import ImportKind, check_header
from threadline.importer.permits import Permits
from threadline.importer.readers import RowReader
from threadline.importer.records import EntityRecord, LinkRecord, Reference
from threadline.importer.reference import load_reference
from threadline.importer.spill import Spill, pack, unpack
from threadline.importer.validate import RowValidator
from threadline.importer.writers import Writer, make_writer
from threadline.storage.import_store import ImportStore, open_for_checking

Batch = list[EntityRecord | LinkRecord]


def check_file(file: FileImport, kind: ImportKind, spill: Spill) -> None:
    """Validate and look up everything, in a read transaction; keep the valid rows."""
    with open_for_checking(file.engine) as store:
        check_in(file, store, kind, spill)


def check_in(
    file: FileImport,
    store: ImportStore,
    kind: ImportKind,
    spill: Spill | None,
    *,
    write: bool = False,
) -> Writer | None:
    """Check the file in `store`'s transaction; its writer, unless it could not be read.

    The valid rows are kept in `spill`; or, with `write`, written as each batch is
    checked until a problem is found (the caller then rolls the transaction back).
    """
    reference = file.reference = _reference(file, store)
    if reference is None:
        return None
    codes = {id_: code for code, id_ in reference.agencies.items()}
    permits = file.permits = Permits(actor=file.options.actor, ctx=file.options.ctx, codes=codes)
    try:
        opened = RowReader(file.path)
    except OSError as exc:
        file.problems.add(0, None, str(file.path), f"a readable file ({exc.strerror or exc})")
        return None
    with opened as reader:
        if reader.header_problem is not None:
            problem = reader.header_problem
            file.problems.add(1, problem.column, problem.received, problem.expected)
            return None
        if reader.header is not None and not _header_ok(file, kind, reader.header, reference):
            return None
        validate = RowValidator(
            kind,
            reference=reference,
            problems=file.problems,
            json_lines=reader.json_lines,
            permits=permits,
        )
        writer = make_writer(
            store, kind, problems=file.problems, permits=permits, pending=file.pending
        )
        keep = _Keep(file, writer, spill, reader.total_bytes, Mode.WRITE if write else Mode.COUNT)
        _rows(file, reader, validate, writer, keep)
        file.result.inserted, file.result.updated = writer.inserted, writer.updated
        if (
            file.pending is not None
            and isinstance(writer, EntityWriter)
            and file.problems.count == 0
        ):
            file.pending.add(writer.keys or set(), writer.pncs)
        return writer


class _Keep:
    """What becomes of each validated batch: looked up (counted or written) and kept."""

    def __init__(
        self, file: FileImport, writer: Writer, spill: Spill | None, total: int, mode: Mode
    ) -> None:
        self.file, self.writer, self.spill, self.total, self.mode = file, writer, spill, total, mode
        # Checking is the first half of the work, writing the rest; unless both are one.
        self.half = not (file.dry_run or mode is Mode.WRITE)

    def __call__(self, batch: Batch, position: int) -> None:
        file = self.file
        self.writer.flush(batch, Mode.CHECK if file.problems.count else self.mode)  # type: ignore[arg-type]
        if self.spill is not None and file.problems.count == 0 and not file.dry_run:
            self.spill.add(batch)
        if file.progress is not None:
            file.progress(position // 2 if self.half else position, self.total)


def _rows(
    file: FileImport, reader: RowReader, validate: RowValidator, writer: Writer, keep: _Keep
) -> None:
    size = max(1, file.settings.import_batch_size)
    if _in_worker(file, reader, writer):
        # A forked child reads and validates while this process looks up and keeps
        # the checked rows. A thread would not do: the GIL serialises the two.
        produced = worker.batches_in_worker(
            lambda: _batches(file, reader, validate, size),
            lambda: file.result.rows,
            file.problems,
            pack=pack,
            unpack=unpack,
        )
        for (batch, position), rows in produced:
            if position < 0:
                file.result.rows = rows
                break
            keep(batch, position)
        return
    for batch, position in _batches(file, reader, validate, size):
        keep(batch, position)


def _in_worker(file: FileImport, reader: RowReader, writer: Writer) -> bool:
    """Large record files only: forking costs a few milliseconds, links files differ."""
    threshold = file.settings.import_parallel_min_bytes
    return (
        isinstance(writer, EntityWriter)
        and threshold >= 0
        and reader.total_bytes >= threshold
        and worker.available()
    )


def _batches(
    file: FileImport, reader: RowReader, validate: RowValidator, size: int
) -> Iterator[tuple[Batch, int]]:
    """Valid records, a batch per `size` rows read, each with the bytes read so far."""
    batch: Batch = []
    rows = 0
    for line, row in reader:
        rows += 1
        record = validate(line, row)
        if record is not None:
            batch.append(record)
        if rows % size == 0:
            yield batch, reader.position()
            batch = []
    file.result.rows = rows
    yield batch, reader.total_bytes


def _header_ok(file: FileImport, kind: ImportKind, header: list[str], reference: Reference) -> bool:
    name = file.path.name
    errors = check_header(name, kind, header)
    if "owner" not in header and reference.default_owner is None:
        errors.append(
            FieldError(
                f"{name} line 1 (header)",
                ",".join(header),
                "an owner column, or --org CODE to say which organisation owns the rows",
            )
        )
    file.problems.extend(errors, line=1)
    return not errors


def _reference(file: FileImport, store: ImportStore) -> Reference | None:
    try:
        return load_reference(
            store, owner=file.options.owner, phone_region=file.settings.phone_region
        )
    except InvalidData as exc:
        file.problems.extend(exc.errors)
        return None
