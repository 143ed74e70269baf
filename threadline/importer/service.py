"""The import service behind `threadline import`: check the whole file, then write it.

`import_file` streams a CSV or JSON Lines file (plain or gzip) and works in two steps.
First it checks: every row is validated, link and custody ends and existing records are
looked up, and the import rule (`policy.imports`) is asked about every owner and
marking, in a read transaction that takes no write lock (checks and pages go on
meanwhile); the valid rows are kept in a temporary file (`importer.spill`). Only if the
whole file was valid are they written, with the COLLECTION events that list them
(`importer.collection`): in one transaction on PostgreSQL, a transaction per batch on
SQLite (see `importer.writing`; a large first load into empty tables is checked and
written in one transaction, `importer.first_load`). A file with one bad row writes
nothing, and every problem is reported with its file, line and column. Memory stays
flat as files grow, apart from the source ids seen so far (about 100 bytes a row), kept
to refuse a source_id repeated within the file, and the ids written, for the audit.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from threadline import policy
from threadline.errors import InvalidData
from threadline.importer import first_load
from threadline.importer.checking import check_file
from threadline.importer.collection import log_refusals
from threadline.importer.file_import import FileImport, ImportOptions
from threadline.importer.heap import collector_paused
from threadline.importer.kinds import ImportKind, detect_kind
from threadline.importer.matching import match_new_people
from threadline.importer.permits import require_import
from threadline.importer.records import Pending
from threadline.importer.result import ImportResult, Progress
from threadline.importer.spill import Spill
from threadline.importer.writing import write_file
from threadline.model.security import Actor, system_actor
from threadline.policy import PolicyContext
from threadline.settings import Settings


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
    options = ImportOptions(kind, owner, dry_run, settings or Settings(), who, ctx)
    ordered = sorted(paths, key=lambda p: _file_order(p, kind))
    sizes = [p.stat().st_size if p.is_file() else 0 for p in ordered]
    pending = Pending() if dry_run else None
    results: list[ImportResult] = []
    for index, path in enumerate(ordered):
        offset, total = sum(sizes[:index]), sum(sizes)
        step = None if progress is None else _offset_progress(progress, offset, total)
        results.append(_run(FileImport(engine, path, options, step, pending)))
    return results


def _context(engine: Engine, actor: Actor) -> PolicyContext:
    """The actor's policy context (a read: it takes no write lock)."""
    with Session(bind=engine) as session:
        return policy.load_context(session, actor)


def _file_order(path: Path, kind: str | None) -> int:
    """Record files first, then links, custody and disruptions (which name records), then
    court outcomes (which name disruptions)."""
    try:
        found = detect_kind(path, kind)
    except InvalidData:
        return 0
    order = {ImportKind.LINKS: 1, ImportKind.CUSTODY: 2, ImportKind.DISRUPTIONS: 2}
    return order.get(found, 3 if found is ImportKind.COURT_OUTCOMES else 0)


def _offset_progress(progress: Progress, offset: int, total: int) -> Progress:
    def step(done: int, _size: int) -> None:
        progress(offset + done, total)

    return step


def _run(file: FileImport) -> ImportResult:
    """Check the file, then write it if it had no problem; never raises for bad content."""
    started = time.perf_counter()
    result, problems = file.result, file.problems
    try:
        result.kind = detect_kind(file.path, file.options.kind)
    except InvalidData as exc:
        problems.extend(exc.errors)
    if result.kind is not None and not file.path.is_file():
        problems.add(0, None, str(file.path), "an existing file (there is none)")
    kind = result.kind
    if kind is not None and problems.count == 0:
        with collector_paused():  # see `importer.heap`
            if first_load.wanted(file, kind) and first_load.load_first(file, kind):
                pass  # checked and written in one transaction, or refused whole
            else:
                with Spill() as spill:
                    check_file(file, kind, spill)
                    if problems.count == 0 and not file.dry_run:
                        write_file(file, kind, spill)
        if kind is ImportKind.PERSONS and problems.count == 0 and not file.dry_run:
            match_new_people(file)
        if problems.count:
            log_refusals(
                file.engine,
                actor=file.options.actor,
                path=file.path,
                errors=problems.errors,
                count=problems.count,
            )
    result.errors = problems.errors
    result.error_count = problems.count
    if result.error_count:
        result.inserted = result.updated = 0
        result.audit_events = []
    result.seconds = time.perf_counter() - started
    return result
