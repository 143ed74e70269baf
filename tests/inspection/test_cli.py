"""`threadline report inspection` from a console: the pack as PDF, JSON, or a summary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.cli.helpers import db_of, threadline
from tests.inspection.world import build_world
from threadline.storage.db import session_scope

PERIOD = ("--from", "2026-04-01", "--to", "2026-09-30")


@pytest.fixture
def db(engine: Engine) -> str:
    with session_scope(engine) as session:
        build_world(session)
    return db_of(engine)


def test_pdf_and_json_of_norfolk(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = tmp_path / "norfolk.pdf"
    code, out, err = threadline(
        monkeypatch, capsys, "--db", db, "report", "inspection", "--force", "norfolk",
        *PERIOD, "--pdf", str(pdf), "--as", "supervisor@norfolk",
    )  # fmt: skip
    assert code in (0, None), err
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "Inspection pack: Norfolk Constabulary" in " ".join(out.split())
    # The terminal may wrap a long path anywhere, so compare without any spacing.
    assert f"PDFwrittento{pdf}" in "".join(out.split())
    code, out, err = threadline(
        monkeypatch, capsys, "--db", db, "report", "inspection", "--region", *PERIOD,
        "--as", "supervisor@ersou", "--json",
    )  # fmt: skip
    assert code in (0, None), err
    pack = json.loads(out)
    assert pack["forces"][0] == "bedfordshire" and len(pack["forces"]) == 7
    assert {"label": "Disruptions", "figure": "11"} in pack["headlines"]
    assert pack["sections"][0]["heading"].startswith("Understanding")


def test_bad_options_say_what_was_expected(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = threadline(
        monkeypatch, capsys, "--db", db, "report", "inspection", "--force", "norfolk",
        "--from", "01/04/2026", "--as", "supervisor@norfolk",
    )  # fmt: skip
    assert code == 1 and not out
    assert "from: got '01/04/2026', expected a real date as YYYY-MM-DD" in " ".join(err.split())
    code, _, err = threadline(
        monkeypatch, capsys, "--db", db, "report", "inspection", "--force", "norfolk",
        *PERIOD, "--as", "officer@norfolk",
    )  # fmt: skip
    assert code == 1 and "not a supervisor" in err
