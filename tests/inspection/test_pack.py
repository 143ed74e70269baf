"""The inspection pack: its figures, who may have it, and its PDF (pages rendered to PNG)."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from tests.inspection.world import END, START, World, build_world
from threadline.accounts import actor_for
from threadline.errors import Forbidden, InvalidData
from threadline.inspection.pack import check_request, export_pack, inspection_pack
from threadline.storage.db import session_scope
from threadline.storage.tables import AuditEventRow

TODAY = date(2026, 10, 15)


@pytest.fixture
def world(engine: Engine) -> World:
    with session_scope(engine) as session:
        return build_world(session)


def _pack(session: Session, username: str, force: str | None = "norfolk"):  # type: ignore[no-untyped-def]
    request = check_request(force=force, start=START, end=END, today=TODAY)
    return inspection_pack(session, actor=actor_for(session, username), request=request)


def _figure(pack, key: str):  # type: ignore[no-untyped-def]
    return next(f for s in pack.sections for f in s.figures if f.key == key)


def test_norfolk_pack_sets_county_lines_beside_other_soc(engine: Engine, world: World) -> None:
    with session_scope(engine) as session:
        pack = _pack(session, "supervisor@norfolk")
    headings = [s.heading for s in pack.sections]
    assert headings == [
        "Understanding serious and organised crime and setting priorities",
        "Tackling serious and organised crime and safeguarding people and communities",
        "What the force can evidence on resources",
        "Progress on the areas for improvement",
    ]
    headlines = dict(pack.headlines)
    # December's is outside the period; the SECRET one is above the reader's clearance.
    assert headlines["Disruptions"] == "8"
    assert headlines["County lines disruptions"] == "5"
    assert headlines["Other serious and organised crime disruptions"] == "3"
    assert headlines["Custodial sentences"] == "25 years"
    lines = _figure(pack, "county_lines")
    assert "5 county lines disruptions, more than all other" in lines.chart.summary
    assert ("Drugs and county lines", "5") in lines.chart.table.rows
    assert lines.chart.svg.startswith("<svg") and "<script" not in lines.chart.svg
    assert lines.period == "1 April 2026 to 30 September 2026"
    assert any("theme=drugs_county_lines" in link.href for link in lines.links)
    assert _figure(pack, "line_status").chart.summary.startswith("1 county line: 1 active")
    findings = _figure(pack, "findings").chart
    assert findings.summary == "1 finding, 1 open; 1 response overdue; 1 action late."
    assert findings.table.rows[0][0].startswith("Area for improvement AFI 1: Share intelligence")
    tactics = dict(_figure(pack, "tactic").chart.table.rows)
    assert tactics["Arrest"] == "7" and tactics["Closure order"] == "1"


def test_a_force_pack_counts_no_other_force(engine: Engine, world: World) -> None:
    with session_scope(engine) as session:
        suffolk = _pack(session, "supervisor@suffolk", "suffolk")
        region = _pack(session, "supervisor@ersou", None)
    assert dict(suffolk.headlines)["Disruptions"] == "3"
    # The regional unit sees the forces side by side, Suffolk's record kept to Suffolk too.
    assert dict(region.headlines)["Disruptions"] == "11"
    by_force = dict((row[0], row[-1]) for row in _figure(region, "force").chart.table.rows)
    assert by_force["Norfolk Constabulary"] == "8"
    assert by_force["Suffolk Constabulary"] == "3"
    assert len(by_force) == 7


@pytest.mark.parametrize(
    ("username", "force"),
    [
        ("officer@norfolk", "norfolk"),  # not a supervisor
        ("partner@norfolk-cads", "norfolk"),  # a partner: never
        ("supervisor@suffolk", "norfolk"),  # another force's
        ("supervisor@norfolk", None),  # the forces side by side are the regional unit's
    ],
)
def test_pack_refused(engine: Engine, world: World, username: str, force: str | None) -> None:
    with session_scope(engine) as session, pytest.raises(Forbidden):
        _pack(session, username, force)


def test_bad_request_says_what_was_expected() -> None:
    with pytest.raises(InvalidData) as raised:
        check_request(force="narnia", start="2026-13-01", end="2026-09-30", today=TODAY)
    text = " ".join(str(e) for e in raised.value.errors)
    assert "force: got 'narnia', expected one of the region's forces" in text
    assert "from: got '2026-13-01', expected a real date as YYYY-MM-DD" in text
    with pytest.raises(InvalidData, match="on or before"):
        check_request(force="norfolk", start="2026-10-01", end="2026-09-30", today=TODAY)


def test_pdf_pages_show_headings_charts_and_figures(engine: Engine, world: World) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    with session_scope(engine) as session:
        actor = actor_for(session, "supervisor@norfolk")
        request = check_request(force="norfolk", start=START, end=END, today=TODAY)
        _, data = export_pack(session, actor=actor, request=request, form="pdf")
    assert data.startswith(b"%PDF")
    document = pdfium.PdfDocument(io.BytesIO(data))
    pages = len(document)
    assert pages >= 4  # the summary, then a page at least per heading
    text = "\n".join(document[i].get_textpage().get_text_range() for i in range(pages))
    flat = " ".join(text.split())
    for heading in (
        "Understanding serious and organised crime and setting priorities",
        "Tackling serious and organised crime and safeguarding people and communities",
        "What the force can evidence on resources",
        "County lines against other serious and organised crime",
    ):
        assert heading in flat
    assert "Inspection pack: Norfolk Constabulary" in flat
    assert "5 county lines disruptions, more than all other" in flat
    assert "25 years" in flat
    # The first heading's page carries a chart: coloured (not grey) pixels, drawn in GOV.UK
    # blue or orange, not only text.
    page_of = next(
        i
        for i in range(pages)
        if "County lines against other" in document[i].get_textpage().get_text_range()
    )
    image = document[page_of].render(scale=1).to_pil().convert("RGB")
    raw = image.tobytes()
    pixels = zip(raw[0::3], raw[1::3], raw[2::3], strict=True)
    coloured = sum(1 for r, g, b in pixels if max(r, g, b) - min(r, g, b) > 60)
    assert coloured > 500, f"page {page_of + 1} has {coloured} coloured pixels: no chart drawn"
    with session_scope(engine) as session:
        event = session.scalars(
            select(AuditEventRow).where(AuditEventRow.event == "inspection.pack_exported")
        ).one()
    assert event.action == "disclosure" and event.actor == "supervisor@norfolk"
    assert json.loads(event.details)["form"] == "pdf"
