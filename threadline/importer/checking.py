"""The first step of a file's import: check every row, and keep the valid ones.

Every row is validated, link and custody ends and existing records are looked up, and
the import rule (`policy.imports`) is asked about every owner and marking, in a read
transaction that takes no write lock (checks and pages go on meanwhile). The valid rows
are kept in a temporary file (`importer.spill`) for `importer.writing`.
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
        _check(file, store, kind, spill)


def _check(file: FileImport, store: ImportStore, kind: ImportKind, spill: Spill) -> None:
    reference = file.reference = _reference(file, store)
    if reference is None:
        return
    codes = {id_: code for code, id_ in reference.agencies.items()}
    permits = file.permits = Permits(actor=file.options.actor, ctx=file.options.ctx, codes=codes)
    try:
        opened = RowReader(file.path)
    except OSError as exc:
        file.problems.add(0, None, str(file.path), f"a readable file ({exc.strerror or exc})")
        return
    with opened as reader:
        if reader.header_problem is not None:
            problem = reader.header_problem
            file.problems.add(1, problem.column, problem.received, problem.expected)
            return
        if reader.header is not None and not _header_ok(file, kind, reader.header, reference):
            return
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
        _rows(file, reader, validate, writer, spill)
        file.result.inserted, file.result.updated = writer.inserted, writer.updated
        if (
            file.pending is not None
            and isinstance(writer, EntityWriter)
            and file.problems.count == 0
        ):
            file.pending.add(writer.keys or set(), writer.pncs)


def _rows(
    file: FileImport, reader: RowReader, validate: RowValidator, writer: Writer, spill: Spill
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
            _checked(file, batch, writer, spill, position, reader.total_bytes)
        return
    for batch, position in _batches(file, reader, validate, size):
        _checked(file, batch, writer, spill, position, reader.total_bytes)


def _checked(
    file: FileImport, batch: Batch, writer: Writer, spill: Spill, position: int, total: int
) -> None:
    """Look up a validated batch (ends, existing records) and keep it to write."""
    writer.flush(batch, Mode.CHECK if file.problems.count else Mode.COUNT)  # type: ignore[arg-type]
    if file.problems.count == 0 and not file.dry_run:
        spill.add(batch)
    if file.progress is not None:
        # Checking is the first half of the work; writing (not done in a dry run) the rest.
        file.progress(position if file.dry_run else position // 2, total)


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
