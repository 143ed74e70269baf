"""Build the demo region into a database the way real force data arrives: as files.

`build_demo` adds the partner agencies and prisons, generates every force's export files
(see `region`), imports them with the importer service exactly as `threadline import`
would, and then stores the true identity behind each person record in `ground_truth`.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from threadline.demo.exports import FILE_KINDS
from threadline.demo.region import Generated, generate_region
from threadline.demo.resolution import resolve_demo
from threadline.demo.summary import DemoSummary
from threadline.demo.truth import store_ground_truth
from threadline.demo.world import MIN_PEOPLE, TRUTH_FILE, Progress
from threadline.errors import FieldError, InvalidData, ThreadlineError
from threadline.importer.service import import_file
from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind
from threadline.reference import geography
from threadline.storage.db import session_scope
from threadline.storage.reference import ensure_agency

__all__ = ["add_partner_agencies", "build_demo"]


def add_partner_agencies(session: Session) -> tuple[int, int]:
    """Add the region's partner agencies and prisons; returns (partners, prisons)."""
    for partner in geography.PARTNER_TEMPLATES:
        kind = AgencyKind(partner.kind)
        ensure_agency(session, Agency(partner.code, partner.name, kind, partner.county_force_code))
    for prison in geography.PRISONS:
        county = geography.force_for_area(prison.area_code).code
        ensure_agency(session, Agency(prison.code, prison.name, AgencyKind.PRISON, county))
    session.flush()
    prisons = len(geography.PRISONS)
    return len(geography.PARTNER_TEMPLATES) + prisons, prisons


def build_demo(
    *,
    engine: Engine,
    people: int = 3000,
    seed: int = 20261125,
    workdir: Path | None = None,
    progress: Progress | None = None,
) -> DemoSummary:
    """Build the synthetic region into a migrated, seeded database.

    The engine must already be migrated with `seed_region` run. Files go to `workdir`
    (kept) or to a temporary folder (removed afterwards). The same seed always writes
    byte-identical files and so the same records; building twice into one database
    updates the records in place rather than duplicating them. `progress` is called as
    `progress(stage, done, total)` with stages `generate`, `import` and `ground_truth`.
    """
    if people < MIN_PEOPLE:
        raise InvalidData(
            [FieldError("people", str(people), f"at least {MIN_PEOPLE} people")],
            summary=f"--people must be at least {MIN_PEOPLE} (got {people}): a smaller "
            "region cannot hold the twelve OCGs and eight county lines the demo always has",
        )
    started = time.perf_counter()
    timings: dict[str, float] = {}
    with session_scope(engine) as session:
        partners, prisons = add_partner_agencies(session)

    temporary = None
    if workdir is None:
        temporary = tempfile.TemporaryDirectory(prefix="threadline-demo-")
        directory = Path(temporary.name)
    else:
        directory = Path(workdir)
        directory.mkdir(parents=True, exist_ok=True)
    try:
        mark = time.perf_counter()
        generated = generate_region(
            seed=seed, people=people, directory=directory, progress=progress
        )
        timings["generate"] = time.perf_counter() - mark

        mark = time.perf_counter()
        _import_files(engine, generated, progress)
        timings["import"] = time.perf_counter() - mark

        mark = time.perf_counter()
        persons = sum(counts["persons"] for counts in generated.counts.values())
        truth = store_ground_truth(engine, directory / TRUTH_FILE, persons, progress)
        timings["ground_truth"] = time.perf_counter() - mark
        timings["resolution"] = resolve_demo(engine)
        files = tuple(generated.files())
    finally:
        if temporary is not None:
            temporary.cleanup()

    records = {kind: sum(c[kind] for c in generated.counts.values()) for kind in FILE_KINDS}
    return DemoSummary(
        seed=seed,
        people=generated.identities,
        records=records,
        by_force=generated.counts,
        duplicate_identities=generated.duplicated,
        duplicate_records=generated.duplicate_records,
        ocgs=generated.plan.total_ocgs,
        county_lines=generated.plan.total_lines,
        partners=partners,
        prisons=prisons,
        ground_truth=truth,
        files=files,
        workdir=None if temporary is not None else directory,
        seconds=time.perf_counter() - started,
        timings=timings,
    )


def _import_files(engine: Engine, generated: Generated, progress: Progress | None) -> None:
    """Import each force's files with the importer service, links last.

    Progress is reported in bytes of all the files together, as the importer reports it.
    """
    jobs = [
        (code, path)
        for code, counts in generated.counts.items()
        for kind, path in zip(FILE_KINDS, generated.force_files(code), strict=True)
        if counts[kind]
    ]
    sizes = [path.stat().st_size for _, path in jobs]
    total = sum(sizes)
    offset = 0
    for (code, path), size in zip(jobs, sizes, strict=True):
        step = None
        if progress is not None:
            step = _progress_from(progress, offset, total)
        result = import_file(engine=engine, path=path, owner=code, progress=step)
        if result.error_count:
            shown = "; ".join(str(error) for error in result.errors[:3])
            raise ThreadlineError(
                f"the demo's own {code} file {path.name} failed to import "
                f"({result.error_count} errors): {shown}. This is a bug in the demo "
                "generator; please report it with the seed and --people used"
            )
        offset += size
    if progress is not None:
        progress("import", total, total)


def _progress_from(progress: Progress, offset: int, total: int) -> Callable[[int, int], None]:
    def step(done: int, _size: int) -> None:
        progress("import", offset + done, total)

    return step
