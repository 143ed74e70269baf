"""Submitting intelligence: 3x5x2 rules, marking, subjects, sources, legacy 5x5x5."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.intel.world import SOURCE, UNIT, World, grading
from tests.policy.factories import make_actor
from threadline.audit import AuditAction
from threadline.errors import Forbidden, InvalidData
from threadline.intel import (
    SourceDetails,
    get_report,
    list_reports,
    record_legacy_report,
    sanitise,
    submit_report,
)
from threadline.model.enums import Marking
from threadline.model.security import Role
from threadline.storage.tables import AuditEventRow, IntelReportRow, IntelSourceRow


def submit(session: Session, world: World, **changes: object) -> object:
    fields: dict[str, object] = {
        "actor": world.analyst,
        "fact": "A grey Audi is used to collect cash in Norwich.",
        "assessment": "Probably the line's money run.",
        "grading": grading(),
        "marking": Marking.OFFICIAL,
        "subjects": [world.adult],
        "source": SOURCE,
        "area_code": "norwich",
    }
    fields.update(changes)
    return submit_report(session, **fields)  # type: ignore[arg-type]


def field_errors(exc: pytest.ExceptionInfo[InvalidData]) -> list[str]:
    return [error.location for error in exc.value.errors]


def test_a_report_gets_a_force_reference_and_keeps_its_source_apart(
    session: Session, world: World
) -> None:
    view = submit(session, world)
    assert view["ref"] == "NFK-IR-2026-000003" or str(view["ref"]).startswith("NFK-IR-")  # type: ignore[index]
    row = session.scalar(select(IntelReportRow).where(IntelReportRow.ref == view["ref"]))  # type: ignore[index]
    assert row is not None and row.unit == UNIT and row.handling == "P"
    source = session.get(IntelSourceRow, row.entity_id)
    assert source is not None and source.handler == SOURCE.handler
    assert SOURCE.handler not in row.fact + row.assessment


def test_references_count_up_per_force(session: Session, world: World) -> None:
    refs = [str(world.report_p.ref), str(world.report_c.ref)]
    assert refs[0][:12] == refs[1][:12] == refs[0][:12]
    assert int(refs[1][-6:]) == int(refs[0][-6:]) + 1
    suffolk = make_actor(roles=Role.ANALYST, agency="force-other", unit="suffolk-fib")
    view = submit(session, world, actor=suffolk, subjects=[])
    assert str(view["ref"]).startswith("SFK-IR-") and str(view["ref"]).endswith("000001")  # type: ignore[index]


def test_code_c_without_conditions_is_refused(session: Session, world: World) -> None:
    with pytest.raises(InvalidData) as exc:
        submit(session, world, grading=grading("C", "  "))
    assert field_errors(exc) == ["conditions"]
    assert "conditions of handling code C" in str(exc.value)


def test_code_p_with_conditions_or_restrictions_is_refused(session: Session, world: World) -> None:
    with pytest.raises(InvalidData) as exc:
        submit(session, world, grading=grading("P", "Police only"), restricted_to=["police"])
    assert field_errors(exc) == ["conditions", "restricted_to"]


def test_marking_above_clearance_is_refused(session: Session, world: World) -> None:
    actor = make_actor(unit=UNIT, clearance=Marking.OFFICIAL_SENSITIVE)
    with pytest.raises(InvalidData) as exc:
        submit(session, world, actor=actor, marking=Marking.SECRET)
    assert field_errors(exc) == ["marking"]
    assert "at or below your clearance (OFFICIAL-SENSITIVE)" in str(exc.value)
    with pytest.raises(InvalidData, match="TOP SECRET"):
        submit(session, world, marking="TOP SECRET")


def test_every_bad_field_is_named_and_nothing_is_written(session: Session, world: World) -> None:
    before = session.scalars(select(IntelReportRow.ref)).all()
    with pytest.raises(InvalidData) as exc:
        submit(
            session,
            world,
            fact=" ",
            marking="CONFIDENTIAL",
            subjects=[world.adult, 999_999],
            area_code="atlantis",
            priority="whenever",
            restricted_to=["martians"],
            grading=grading("C", "Safeguarding only"),
            source=SourceDetails("X", "psychic"),
        )
    assert field_errors(exc) == [
        "fact",
        "marking",
        "priority",
        "area_code",
        "restricted_to",
        "source.source_ref",
        "source.source_type",
        "subjects[1]",
    ]
    assert session.scalars(select(IntelReportRow.ref)).all() == before


def test_the_fact_may_not_name_the_source(session: Session, world: World) -> None:
    with pytest.raises(InvalidData) as exc:
        submit(session, world, fact="DC  alex handler saw the car", assessment="per CHIS-NFK-0042")
    assert field_errors(exc) == ["fact", "assessment"]
    # The analyst is shown which words of their text match which protected value.
    fact, assessment = exc.value.errors
    assert fact.received == 'text in which "DC  alex handler" matches the handler\'s name'
    assert assessment.received == 'text in which "CHIS-NFK-0042" matches the source reference'


def test_subjects_the_submitter_cannot_see_are_not_found(session: Session, world: World) -> None:
    prison = make_actor(roles=Role.PRISON_INTEL, agency="prison", unit="hmp-norwich-security")
    with pytest.raises(InvalidData) as exc:
        submit(session, world, actor=prison, subjects=[world.adult], area_code=None)
    assert field_errors(exc) == ["subjects[0]"]


def test_partners_do_not_submit_intelligence(session: Session, world: World) -> None:
    with pytest.raises(Forbidden, match="only police and prison users submit"):
        submit(session, world, actor=world.partner)


def test_submission_is_audited_as_collection(session: Session, world: World) -> None:
    view = submit(session, world)
    event = session.scalars(select(AuditEventRow).order_by(AuditEventRow.id.desc())).first()
    assert event is not None
    assert (event.action, event.event) == (AuditAction.COLLECTION.value, "intel_report.submitted")
    assert str(view["id"]) in event.records and str(world.adult) in event.records  # type: ignore[index]


def test_submitting_needs_a_unit(session: Session, world: World) -> None:
    officer = make_actor(roles=Role.FRONTLINE)
    with pytest.raises(InvalidData) as exc:
        submit(session, world, actor=officer)
    assert field_errors(exc) == ["unit"]
    view = submit(session, world, actor=officer, unit=UNIT)
    assert view["unit"] == UNIT  # type: ignore[index]
    assert "source_ref" not in view  # type: ignore[operator]  # the officer is not in the unit


# --------------------------------------------------------------------------- legacy 5x5x5


def test_legacy_material_is_stored_and_shown_read_only(session: Session, world: World) -> None:
    view = record_legacy_report(
        session,
        actor=world.analyst,
        fact="Subject seen dealing outside the station (2014).",
        assessment="",
        legacy_grade="b24",
        marking=Marking.OFFICIAL,
        subjects=[world.adult],
        source=SourceDetails("LEGACY-0001", "public"),
        area_code="norwich",
    )
    shown = get_report(session, actor=world.analyst, report_id=view.ref)
    assert shown["legacy_grade"] == "B24" and shown["read_only"] is True
    assert shown["grading"] is None and shown["source_eval"] is None and shown["intel_eval"] is None
    assert shown["handling"] == "C"
    assert shown["conditions"] == (
        "Legacy 5x5x5 handling code 4: consult the originating unit before any dissemination"
    )
    # handling code 4 (originating agency only): no other organisation sees it at all
    with pytest.raises(Forbidden, match="restrict it to norfolk"):
        get_report(session, actor=world.officer, report_id=view.ref)


@pytest.mark.parametrize(
    ("grade", "restricted"),
    [
        ("A11", ["police"]),
        ("B22", []),
        ("C33", ["police"]),
        ("D44", ["norfolk"]),
        ("E55", ["norfolk"]),
    ],
)
def test_legacy_handling_is_mapped_conservatively(
    session: Session, world: World, grade: str, restricted: list[str]
) -> None:
    view = record_legacy_report(
        session,
        actor=world.analyst,
        fact="Old material.",
        assessment="",
        legacy_grade=grade,
        marking=Marking.OFFICIAL,
        subjects=[],
        source=SourceDetails("LEGACY-0002", "public"),
    )
    assert view["handling"] == "C" and view["restricted_to"] == restricted
    assert f"handling code {grade[-1]}" in str(view["conditions"])


def test_legacy_grades_are_validated(session: Session, world: World) -> None:
    with pytest.raises(InvalidData) as exc:
        record_legacy_report(
            session,
            actor=world.analyst,
            fact="Old material.",
            assessment="",
            legacy_grade="F6",
            marking=Marking.OFFICIAL,
            subjects=[],
            source=SourceDetails("LEGACY-0003", "public"),
        )
    assert field_errors(exc) == ["legacy_grade"]


def test_legacy_material_is_never_regraded_when_sanitised(session: Session, world: World) -> None:
    view = record_legacy_report(
        session,
        actor=world.analyst,
        fact="Old material.",
        assessment="",
        legacy_grade="B22",
        marking=Marking.OFFICIAL,
        subjects=[],
        source=SourceDetails("LEGACY-0004", "public"),
    )
    with pytest.raises(InvalidData) as exc:
        sanitise(
            session, actor=world.analyst, report_id=view.id, text="Old news.", grading=grading()
        )
    assert field_errors(exc) == ["grading"]
    kept = sanitise(session, actor=world.analyst, report_id=view.id, text="Old news.")
    assert kept["handling"] == "C" and "Legacy 5x5x5" in str(kept["conditions"])


def test_listing_reports_by_subject(session: Session, world: World) -> None:
    refs = [v.ref for v in list_reports(session, actor=world.officer, subject_id=world.adult)]
    assert refs == [world.report_c.ref]
    assert {v.ref for v in list_reports(session, actor=world.officer)} >= {
        world.report_p.ref,
        world.report_c.ref,
    }
    assert list_reports(session, actor=world.officer, limit=1)[0].ref == world.report_c.ref
