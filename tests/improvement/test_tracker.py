"""The improvement tracker: findings about a force, responses due in 56 days, actions
with owners and the figures that evidence them; who may see and change them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, func, select

from tests.audit.helpers import make_actor, make_user_row
from threadline.errors import Forbidden, InvalidData, NotFound
from threadline.improvement import (
    add_action,
    get_finding,
    list_findings,
    record_finding,
    record_response,
    update_action,
)
from threadline.model.enums import AgencyKind
from threadline.model.security import Role
from threadline.storage.db import session_scope
from threadline.storage.tables import ImprovementActionRow, ImprovementFindingRow

SUPERVISOR = make_actor("supervisor@norfolk", roles={Role.SUPERVISOR}, user_id=None)


@pytest.fixture(autouse=True)
def _supervisor(engine: Engine) -> None:
    """The Norfolk supervisor as a real account (actions record who added them)."""
    global SUPERVISOR
    with session_scope(engine) as session:
        row = make_user_row(session, "supervisor@norfolk", roles={Role.SUPERVISOR})
        SUPERVISOR = make_actor("supervisor@norfolk", roles={Role.SUPERVISOR}, user_id=row.id)


def _finding(engine: Engine, **changes: str) -> int:
    values = {
        "force": "norfolk",
        "kind": "afi",
        "reference": "AFI 1",
        "source_report": "SOC inspection of the eastern region",
        "published_on": "2026-01-10",
        "wording": "The force should share threats routinely with the frontline.",
    }
    values.update(changes)
    with session_scope(engine) as session:
        return record_finding(session, actor=SUPERVISOR, **values)


def test_the_response_is_due_56_days_after_publication(engine: Engine) -> None:
    finding_id = _finding(engine)
    with session_scope(engine) as session:
        finding = get_finding(session, actor=SUPERVISOR, finding_id=finding_id)
    assert finding.response_due == date(2026, 3, 7)
    assert finding.response_overdue  # nothing recorded, and 7 March 2026 has passed


def test_overdue_responses_come_first_and_a_response_clears_them(engine: Engine) -> None:
    old = _finding(engine, published_on="2026-01-10", reference="AFI 1")
    recent = _finding(engine, published_on=date.today().isoformat(), reference="AFI 2")
    with session_scope(engine) as session:
        listed = list_findings(session, actor=SUPERVISOR)
        assert [f.id for f in listed] == [old, recent]
        record_response(
            session,
            actor=SUPERVISOR,
            finding_id=old,
            response="A plan to brief every team weekly.",
            responded_on="2026-02-20",
        )
    with session_scope(engine) as session:
        finding = get_finding(session, actor=SUPERVISOR, finding_id=old)
        assert not finding.response_overdue
        assert finding.response == "A plan to brief every team weekly."


def test_an_action_has_an_owner_a_due_date_and_a_figure(engine: Engine) -> None:
    finding_id = _finding(engine)
    with session_scope(engine) as session:
        action_id = add_action(
            session,
            actor=SUPERVISOR,
            finding_id=finding_id,
            description="Brief every response team on the threat notices",
            owner="supervisor@norfolk",
            due="2026-01-31",
            figure="sharing_frontline",
        )
    with session_scope(engine) as session:
        (action,) = get_finding(session, actor=SUPERVISOR, finding_id=finding_id).actions
        assert action.id == action_id
        assert action.owner is not None and action.owner.organisation == "norfolk"
        assert action.late
        assert action.figure is not None
        assert action.figure.label == "Threat notices reaching the frontline within 7 days"
        assert action.figure.text == "Nothing counted yet"
        update_action(
            session, actor=SUPERVISOR, finding_id=finding_id, action_id=action_id, status="done"
        )
    with session_scope(engine) as session:
        (action,) = get_finding(session, actor=SUPERVISOR, finding_id=finding_id).actions
        assert not action.late


def test_bad_input_names_every_field_and_writes_nothing(engine: Engine) -> None:
    with session_scope(engine) as session, pytest.raises(InvalidData) as caught:
        record_finding(
            session,
            actor=SUPERVISOR,
            force="atlantis",
            kind="gripe",
            source_report="",
            published_on="31/02/2026",
            wording="",
        )
    fields = {error.location for error in caught.value.errors}
    assert fields == {"force", "kind", "source_report", "published_on", "wording"}
    finding_id = _finding(engine)
    with session_scope(engine) as session, pytest.raises(InvalidData) as caught:
        add_action(
            session,
            actor=SUPERVISOR,
            finding_id=finding_id,
            description="",
            owner="nobody here",
            due="",
            figure="happiness",
        )
    assert {e.location for e in caught.value.errors} == {"description", "owner", "due", "figure"}
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(ImprovementFindingRow)) == 1
        assert session.scalar(select(func.count()).select_from(ImprovementActionRow)) == 0


def test_only_the_forces_supervisors_and_the_regional_unit_see_it(engine: Engine) -> None:
    finding_id = _finding(engine)
    regional = make_actor("analyst@ersou", roles={Role.ANALYST}, kind=AgencyKind.REGIONAL_UNIT)
    suffolk = make_actor("supervisor@suffolk", roles={Role.SUPERVISOR})
    officer = make_actor("officer@norfolk", roles={Role.FRONTLINE})
    partner = make_actor(
        "partner@norfolk-cads", roles={Role.PARTNER}, kind=AgencyKind.CHILDRENS_SERVICES
    )
    with session_scope(engine) as session:
        assert get_finding(session, actor=regional, finding_id=finding_id).id == finding_id
        assert not get_finding(session, actor=regional, finding_id=finding_id).may_change
        assert list_findings(session, actor=suffolk) == []
        with pytest.raises(NotFound):
            get_finding(session, actor=suffolk, finding_id=finding_id)
        for outsider in (officer, partner):
            with pytest.raises(Forbidden):
                list_findings(session, actor=outsider)
            with pytest.raises(NotFound):
                get_finding(session, actor=outsider, finding_id=finding_id)
        with pytest.raises(Forbidden):
            record_response(
                session,
                actor=regional,
                finding_id=finding_id,
                response="x",
                responded_on="2026-02-01",
            )
