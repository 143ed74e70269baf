"""Every file written by an import is logged once as a collection; failures log nothing."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sqlalchemy import Engine, select

from tests.importer.conftest import person_row, write_csv
from tests.policy.factories import make_actor
from threadline.importer import import_file
from threadline.model.security import Role
from threadline.storage.db import session_scope
from threadline.storage.tables import AuditEventRow


def _events(engine: Engine) -> list[AuditEventRow]:
    with session_scope(engine) as session:
        return list(session.scalars(select(AuditEventRow).order_by(AuditEventRow.id)))


def test_a_written_file_is_one_collection_event_naming_file_and_counts(
    engine: Engine, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "persons.csv", [person_row(n) for n in range(5)])
    analyst = make_actor(roles=Role.ANALYST, agency="force-own", username="analyst@norfolk")
    result = import_file(engine=engine, path=path, owner="norfolk", actor=analyst)
    assert result.ok
    [event] = _events(engine)
    assert (event.action, event.event, event.actor) == (
        "collection",
        "import.persons",
        "analyst@norfolk",
    )
    details = json.loads(event.details)
    assert details["file"] == "persons.csv"
    assert details["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (details["rows"], details["inserted"], details["updated"]) == (5, 5, 0)


def test_failed_and_dry_run_imports_log_no_collection(engine: Engine, tmp_path: Path) -> None:
    good = write_csv(tmp_path / "persons.csv", [person_row(1)])
    bad = write_csv(
        tmp_path / "persons-bad.csv", [person_row(2), person_row(3, date_of_birth="31/02/2001")]
    )
    assert import_file(engine=engine, path=good, owner="norfolk", dry_run=True).ok
    assert not import_file(engine=engine, path=bad, owner="norfolk").ok
    assert _events(engine) == []
