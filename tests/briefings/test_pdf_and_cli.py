"""The briefing as a PDF and from the command line: `threadline brief`."""

from __future__ import annotations

import json
import re
import zlib
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from tests.briefings.region import Region
from threadline.accounts import actor_for
from threadline.briefings import current_briefing, print_briefing
from threadline.cli.main import app
from threadline.clock import utcnow
from threadline.settings import Settings
from threadline.storage.db import session_scope
from threadline.storage.sharing_tables import DisseminationRow
from threadline.storage.tables import AuditEventRow


def pdf_text(data: bytes) -> bytes:
    """The PDF's streams, inflated: enough to find its bookmarks and metadata."""
    found = []
    for match in re.finditer(rb"stream\r?\n", data):
        try:
            found.append(zlib.decompressobj().decompress(data[match.end() :]))
        except zlib.error:
            continue
    return b"".join(found)


def test_the_pdf_is_a_pdf_naming_the_area_and_its_export_is_registered(
    region: Region, settings: Settings
) -> None:
    with session_scope(region.engine) as session:
        briefing = current_briefing(session, area_code="norwich", now=utcnow(), settings=settings)
    with session_scope(region.engine) as session:
        officer = actor_for(session, "officer@norfolk")
        _view, pdf = print_briefing(session, actor=officer, briefing_id=briefing)
        assert pdf.startswith(b"%PDF")
        assert len(pdf) > 5000
        assert b"Norwich" in pdf_text(pdf)
        row = session.scalars(
            select(DisseminationRow).where(
                DisseminationRow.item_kind == "briefing",
                DisseminationRow.item_id == briefing,
                DisseminationRow.form == "pdf",
            )
        ).one()
        assert row.recipient_user_id == officer.user_id
        event = session.get(AuditEventRow, row.audit_event_id)
        assert event is not None and event.action == "disclosure"
        assert event.event == "briefing.exported"


def test_brief_command_compiles_on_demand_and_writes_a_pdf(region: Region, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "norwich.pdf"
    result = runner.invoke(
        app,
        ["--db", str(region.path), "brief", "--area", "norwich", "--as", "officer@norfolk",
         "--pdf", str(out), "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["area"]["code"] == "norwich"
    notices = [i for s in shown["sections"] for i in s["items"] if i["notice_id"]]
    assert {i["notice_id"] for i in notices} >= {region.ocg_notice, region.secret_notice}
    assert out.read_bytes().startswith(b"%PDF")
    again = runner.invoke(
        app, ["--db", str(region.path), "brief", "--area", "norwich", "--as", "officer@norfolk"]
    )
    assert again.exit_code == 0, again.output
    assert "Briefing: Norwich" in again.output


def test_brief_command_says_what_an_unknown_area_is(region: Region) -> None:
    result = CliRunner().invoke(
        app, ["--db", str(region.path), "brief", "--area", "gotham", "--as", "officer@norfolk"]
    )
    assert result.exit_code != 0
    assert "no policing area gotham" in str(result.exception) + result.output
