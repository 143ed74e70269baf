"""A group's lead responsible officer: named by a supervisor, shown on a member's check."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from tests.factories import make_link, make_organisation, make_person
from tests.policy.factories import make_actor
from threadline.accounts import add_user, passwords
from threadline.check import check
from threadline.errors import Forbidden, InvalidData
from threadline.model.enums import Marking
from threadline.model.security import Role, system_actor
from threadline.ocg import assign_lro
from threadline.storage.db import session_factory
from threadline.storage.tables import AuditEventRow, OrganisationRow

SUPERVISOR = make_actor(roles=Role.SUPERVISOR, agency="force-own", username="supervisor@norfolk")


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    passwords.configure(time_cost=1, memory_cost=8, parallelism=1)
    with session_factory(engine)() as session:
        for username, role in (
            ("lro@norfolk", "lro"),
            ("officer@norfolk", "frontline"),
            ("supervisor@norfolk", "supervisor"),
        ):
            add_user(
                session, actor=system_actor("ersou", "test"), username=username,
                display_name="Jo Lead" if role == "lro" else "Sam Beat", agency_code="norfolk",
                roles=[role], clearance="SECRET", email=f"{role}@norfolk.police.example",
                password="correct horse battery staple",
            )  # fmt: skip
        session.commit()
        yield session
    passwords.configure()


def test_a_supervisor_names_the_lro_and_a_check_shows_whom_to_contact(session: Session) -> None:
    group = make_organisation(session, name="Operation Kestrel", org_type="ocg")
    member = make_person(session, family_name="Smith", given_names="John")
    make_link(session, from_id=member.entity_id, to_id=group.entity_id, link_type="member_of",
              role="principal")  # fmt: skip
    session.commit()
    shown = assign_lro(session, actor=SUPERVISOR, organisation_id=group.entity_id,
                       username="lro@norfolk")  # fmt: skip
    session.commit()
    # Whom to contact, and the force's out-of-hours route (issue #14 item 3).
    contact = (
        "Jo Lead (lro@norfolk.police.example); out of hours: "
        "Norfolk Constabulary control room, 01632 960106 (24 hours)"
    )
    assert shown == contact
    event = session.scalars(
        select(AuditEventRow).where(AuditEventRow.event == "ocg.lro_assigned")
    ).one()
    assert event.action == "alteration"
    officer = make_actor(roles=Role.FRONTLINE, agency="force-other",
                         clearance=Marking.OFFICIAL_SENSITIVE)  # fmt: skip
    [card] = check(session, actor=officer, name="John Smith").cards
    assert card.memberships[0]["lro"] == contact


@pytest.mark.parametrize(
    "actor",
    [
        make_actor(roles=Role.FRONTLINE, agency="force-own"),
        make_actor(roles=Role.SUPERVISOR, agency="force-other"),
        make_actor(roles=Role.PARTNER, agency="childrens-services"),
    ],
    ids=["frontline", "other force's supervisor", "partner"],
)
def test_only_the_owning_forces_supervisors_may_name_one(session: Session, actor: object) -> None:
    group = make_organisation(session, name="Operation Wren", org_type="ocg")
    session.commit()
    with pytest.raises(Forbidden):
        assign_lro(session, actor=actor, organisation_id=group.entity_id,  # type: ignore[arg-type]
                   username="lro@norfolk")  # fmt: skip
    assert session.get_one(OrganisationRow, group.entity_id).lro_id is None


def test_the_lro_must_hold_the_lro_role(session: Session) -> None:
    group = make_organisation(session, name="Operation Wren", org_type="ocg")
    session.commit()
    with pytest.raises(InvalidData) as info:
        assign_lro(session, actor=SUPERVISOR, organisation_id=group.entity_id,
                   username="officer@norfolk")  # fmt: skip
    assert info.value.errors[0].location == "username"


def test_the_command_line_names_an_lro(session: Session, database_url: str) -> None:
    from typer.testing import CliRunner

    from threadline.cli.main import app

    group = make_organisation(session, name="Operation Heron", org_type="ocg")
    session.commit()
    args = ["--db", database_url, "ocg", "lro", str(group.entity_id), "--user", "lro@norfolk"]
    result = CliRunner().invoke(app, [*args, "--as", "supervisor@norfolk", "--json"])
    assert result.exit_code == 0, result.output
    assert "Jo Lead" in result.stdout
    refused = CliRunner().invoke(app, [*args, "--as", "officer@norfolk"])
    assert isinstance(refused.exception, Forbidden)
