"""The PostgreSQL half of `bench_import.py --postgres URL`: COPY import beside its floor.

For each size, on the synthetic persons CSV (benchmarks/synth_persons.py), in a scratch
database made on the URL's server (`<database>_bench_import`, dropped and made again for
each phase, dropped at the end; the URL's own database is not touched):

- `pg_import`: `threadline.importer.import_file` into the freshly migrated, seeded
  database (a first load, `importer.first_load`: every row new, the tables' secondary
  indexes built after the rows), audit events and all.
- `pg_update`: the same file imported again into that database (every row an update:
  the names replaced, the person rows upserted).
- `pg_floor`: bare psycopg `COPY` of the same rows, minimal (no validation; names
  lower-cased, not keyed; the primary name, aliases and nicknames as the importer
  makes them), straight into the real `entity`, `person` and `person_name` tables with
  all their indexes (GIN trigram included) and foreign keys, ids taken from the entity
  sequence, in one transaction: what the schema itself costs on this server.
- `pg_floor_deferred`: the first load's own floor. The same bare COPY into the same
  tables with their secondary indexes dropped first (the GIN trigram index and the
  b-trees; not the keys), then each made again with `CREATE INDEX` (given the memory
  the importer gives it, `storage.pg_copy.BUILD_MEMORY`), all in one transaction: what
  a first load into empty tables costs at least. Our first load (`pg_import`, which
  defers its indexes the same way) is reported against both floors.

Each phase runs in its own process. Ratios are ours / floor in the same run; the load
average before and after is recorded, since other work on the machine moves the figures.
"""

from __future__ import annotations

import csv
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BATCH = 5000


def _scratch_url(url: str) -> str:
    base, _, name = url.rpartition("/")
    name = name.split("?")[0] or "postgres"
    return f"{base}/{name}_bench_import"


def _admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(
        url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
    ) as c:
        c.execute(statement)  # type: ignore[arg-type]


def _fresh(url: str) -> str:
    """Drop and make the scratch database, migrate and seed it; its URL."""
    from threadline.storage.db import make_engine, migrate, session_scope
    from threadline.storage.reference import seed_region

    scratch = _scratch_url(url)
    name = scratch.rpartition("/")[2]
    _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(url, f'CREATE DATABASE "{name}"')
    engine = make_engine(scratch)
    migrate(engine)
    with session_scope(engine) as session:
        seed_region(session)
    engine.dispose()
    return scratch


def _cpu_seconds() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _import(csv_path: Path, scratch: str) -> dict[str, Any]:
    from threadline.importer import import_file, service
    from threadline.storage.db import make_engine

    # The write step (after the whole file is checked) timed apart: COPY's own share. A
    # first load checks and writes in one step (`importer.first_load`): it has none.
    written: list[float] = []
    write_file = service.write_file

    def timed_write(*args: Any) -> None:
        began = time.perf_counter()
        write_file(*args)
        written.append(time.perf_counter() - began)

    service.write_file = timed_write  # type: ignore[assignment]
    engine = make_engine(scratch)
    cpu, started = _cpu_seconds(), time.perf_counter()
    result = import_file(engine=engine, path=csv_path, owner="norfolk")
    seconds = time.perf_counter() - started
    engine.dispose()
    if not result.written:
        raise SystemExit(f"import failed: {[str(e) for e in result.errors[:3]]}")
    return {
        "rows": result.rows,
        "inserted": result.inserted,
        "updated": result.updated,
        "seconds": seconds,
        "write_seconds": sum(written) if written else None,  # none: a first load
        "cpu_seconds": _cpu_seconds() - cpu,
    }


def phase_pg_import(csv_path: Path, url: str) -> dict[str, Any]:
    return _import(csv_path, _fresh(url))


def phase_pg_update(csv_path: Path, url: str) -> dict[str, Any]:
    """Re-import into the database `pg_import` left (it runs just before)."""
    return _import(csv_path, _scratch_url(url))


def _names(family: str, given: str, aliases: str, nicknames: str) -> list[tuple[str, ...]]:
    """The name rows the importer makes (primary, each alias, each nickname), un-keyed."""
    names = [("primary", family, given)]
    for alias in filter(None, (a.strip() for a in aliases.split(";"))):
        alias_given, _, alias_family = alias.rpartition(" ")
        names.append(("alias", alias_family, alias_given))
    names.extend(("nickname", "", n.strip()) for n in nicknames.split(";") if n.strip())
    rows = []
    for kind, fam, giv in names:
        fam_norm, giv_norm = fam.lower(), giv.lower()
        full = f"{giv_norm} {fam_norm}".strip()
        rows.append((kind, fam, giv, fam_norm, giv_norm, full, "", ""))
    return rows


def phase_pg_floor(csv_path: Path, url: str) -> dict[str, Any]:
    """Bare COPY of minimal rows into the real tables, in one transaction."""
    return _copy_floor(csv_path, url, deferred=False)


def phase_pg_floor_deferred(csv_path: Path, url: str) -> dict[str, Any]:
    """Bare COPY into the tables without their secondary indexes, then CREATE INDEX."""
    return _copy_floor(csv_path, url, deferred=True)


# The secondary indexes of the tables a persons load fills: not keys or constraints.
_SECONDARY = (
    "SELECT CAST(i.indexrelid AS regclass)::text, pg_get_indexdef(i.indexrelid) "
    "FROM pg_index AS i WHERE i.indrelid IN ('person'::regclass, 'person_name'::regclass) "
    "AND NOT i.indisprimary AND NOT i.indisunique "
    "AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conindid = i.indexrelid)"
)


def _copy_floor(csv_path: Path, url: str, *, deferred: bool) -> dict[str, Any]:
    """Bare COPY of minimal rows in one transaction; `deferred`: indexes built after."""
    import psycopg

    from threadline.storage.pg_copy import BUILD_MEMORY

    scratch = _fresh(url).replace("postgresql+psycopg://", "postgresql://")
    stamp = "2026-01-01 00:00:00"
    with psycopg.connect(scratch) as conn:
        cur = conn.cursor()
        owner = cur.execute("SELECT id FROM agency WHERE code = 'norfolk'").fetchone()[0]  # type: ignore[index]
        cpu, started = _cpu_seconds(), time.perf_counter()
        indexes = cur.execute(_SECONDARY).fetchall() if deferred else []
        for name, _definition in indexes:
            cur.execute(f"DROP INDEX {name}")
        rows = 0
        with csv_path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            batch: list[list[str]] = []
            for row in reader:
                batch.append(row)
                if len(batch) == BATCH:
                    rows += _floor_batch(cur, owner, stamp, batch)
                    batch = []
            rows += _floor_batch(cur, owner, stamp, batch)
        if indexes:
            cur.execute(f"SET LOCAL maintenance_work_mem = '{BUILD_MEMORY}'")
        for _name, definition in indexes:
            cur.execute(definition)
        conn.commit()
        seconds = time.perf_counter() - started
    return {"rows": rows, "seconds": seconds, "cpu_seconds": _cpu_seconds() - cpu}


def _floor_batch(cur: Any, owner: int, stamp: str, batch: list[list[str]]) -> int:
    if not batch:
        return 0
    (ids,) = cur.execute(
        "SELECT array_agg(nextval('entity_id_seq')) FROM generate_series(1, %s)", (len(batch),)
    ).fetchone()
    with cur.copy(
        "COPY entity (id, kind, owner_id, source_system, source_id, marking, "
        "retention_group, created_at, updated_at) FROM STDIN"
    ) as copy:
        for id_, (system, source_id, marking, *_rest) in zip(ids, batch, strict=True):
            copy.write_row((id_, "person", owner, system, source_id, marking, "3", stamp, stamp))
    with cur.copy(
        "COPY person (entity_id, family_name, given_names, dob_year, dob_month, dob_day, "
        "gender, pnc_id, categories) FROM STDIN"
    ) as copy:
        for id_, (_s, _i, _m, family, given, dob, gender, pnc, cats, _a, _n) in zip(
            ids, batch, strict=True
        ):
            year = int(dob[:4]) if dob[4:5] == "-" else int(dob[-4:])
            copy.write_row((id_, family, given, year, None, None, gender, pnc or None, cats))
    with cur.copy(
        "COPY person_name (person_id, kind, family_name, given_names, family_norm, "
        "given_norm, full_norm, family_key, given_key) FROM STDIN"
    ) as copy:
        for id_, (_s, _i, _m, family, given, _d, _g, _p, _c, aliases, nicknames) in zip(
            ids, batch, strict=True
        ):
            for name in _names(family, given, aliases, nicknames):
                copy.write_row((id_, *name))
    return len(batch)


# In the order they run: the update imports into the database the import left.
PHASES = {
    "pg_floor": phase_pg_floor,
    "pg_floor_deferred": phase_pg_floor_deferred,
    "pg_import": phase_pg_import,
    "pg_update": phase_pg_update,
}


def _run_phase(name: str, csv_path: Path, url: str) -> dict[str, Any]:
    command = [sys.executable, __file__, name, str(csv_path), url]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    figures: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    figures["rows_per_second"] = figures["rows"] / figures["seconds"]
    return figures


def bench(rows: int, csv_path: Path, url: str, *, only_first: bool) -> dict[str, Any]:
    load_before = os.getloadavg()[0]
    result: dict[str, Any] = {"rows": rows, "file_mb": round(csv_path.stat().st_size / 2**20, 1)}
    for phase in PHASES if not only_first else ("pg_floor", "pg_floor_deferred", "pg_import"):
        result[phase] = _run_phase(phase, csv_path, url)
    floor = result["pg_floor"]["rows_per_second"]
    result["import_ratio_to_floor"] = result["pg_import"]["rows_per_second"] / floor
    result["import_ratio_to_deferred_floor"] = (
        result["pg_import"]["rows_per_second"] / result["pg_floor_deferred"]["rows_per_second"]
    )
    for phase in ("pg_import", "pg_update"):
        figures = result.get(phase)
        if figures and figures["write_seconds"]:  # the write step alone, once checked
            figures["write_rows_per_second"] = figures["rows"] / figures["write_seconds"]
            result[f"{phase[3:]}_write_ratio_to_floor"] = figures["write_rows_per_second"] / floor
    if "pg_update" in result:
        result["update_ratio_to_floor"] = result["pg_update"]["rows_per_second"] / floor
    result["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    return result


def table(results: list[dict[str, Any]]) -> str:
    lines = [f"{'rows':>10}  {'phase':<17} {'seconds':>8} {'rows/s':>10} {'cpu s':>7}"]
    for r in results:
        for phase in (p for p in PHASES if p in r):
            f = r[phase]
            lines.append(
                f"{r['rows']:>10,}  {phase:<17} {f['seconds']:>8.1f} "
                f"{f['rows_per_second']:>10,.0f} {f['cpu_seconds']:>7.1f}"
            )
        writes = ", ".join(
            f"{r[f'{case}_write_ratio_to_floor']:.2f} ({case})"
            for case in ("import", "update")
            if f"{case}_write_ratio_to_floor" in r
        )
        lines.append(
            f"{'':>10}  import/floor = {r['import_ratio_to_floor']:.2f}, "
            f"import/deferred floor = {r['import_ratio_to_deferred_floor']:.2f}, "
            f"update/floor = {r.get('update_ratio_to_floor', 0):.2f}, "
            f"write step alone/floor = {writes or '-'}, "
            f"load average {r['load_average'][0]} -> {r['load_average'][1]}"
        )
    return "\n".join(lines)


def run(url: str, sizes: list[int], workdir: Path, out: Path, *, only_first: bool = False) -> int:
    """Run every size (`only_first`: not the update); write `out` (JSON), print the table."""
    import psycopg
    from synth_persons import write_persons

    results = []
    try:
        for rows in sizes:
            csv_path = workdir / f"persons-{rows}.csv"
            if not csv_path.exists():
                write_persons(csv_path, rows, seed=1)
            results.append(bench(rows, csv_path, url, only_first=only_first))
            print(table(results[-1:]), flush=True)
    finally:
        name = _scratch_url(url).rpartition("/")[2]
        _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        server = conn.info.server_version
    report = {
        "benchmark": "import persons CSV into PostgreSQL (COPY), beside a bare COPY floor",
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "postgresql": server,
            "psycopg": psycopg.__version__,
            "platform": platform.platform(),
        },
        "batch_size": BATCH,
        "results": results,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\n{table(results)}\nresults written to {out}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    phase, csv_arg, url_arg = sys.argv[1:4]
    print(json.dumps(PHASES[phase](Path(csv_arg), url_arg)))
