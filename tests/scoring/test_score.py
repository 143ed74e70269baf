"""A group's score from its data: every input kept, stored again only when it changed."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import make_link, make_person
from tests.scoring.groups import build_group
from threadline.clock import utcnow
from threadline.scoring import load_scale, rescore_all, score_groups
from threadline.storage.tables import AuditEventRow, OcgScoreRow


def _scores(session: Session, group: int) -> list[OcgScoreRow]:
    return list(
        session.scalars(
            select(OcgScoreRow).where(OcgScoreRow.group_id == group).order_by(OcgScoreRow.id)
        )
    )


def test_the_score_counts_each_dimension_with_the_records_behind_each_item(
    session: Session,
) -> None:
    built = build_group(session)
    score_groups(session, [built.group])
    [row] = _scores(session, built.group)
    inputs = json.loads(row.inputs)
    by_dimension: dict[str, int] = {}
    for i in inputs:
        by_dimension[i["dimension"]] = by_dimension.get(i["dimension"], 0) + i["points"]
    # criminality: 12 + 7 + 3 + 1 by role, firearms 10 and violent 5 on the principal
    # capability: one county line 6, one business (the car wash at its base) 5
    # reach: Norwich and Ipswich 3 each, Suffolk beyond Norfolk 8, lines from Hackney 4
    # network: a lieutenant also in Operation Heron 6, an associate tied to Heron 4
    assert by_dimension == {"criminality": 38, "capability": 11, "reach": 18, "network": 10}
    assert (row.points, row.adjusted, row.band) == (77, 77, "C")
    assert load_scale().band_name(row.band) == "Band C (moderate harm)"
    firearms = next(i for i in inputs if i["item"] == "Firearms marker")
    assert firearms["evidence"] == [built.principal]
    business = next(i for i in inputs if i["item"] == "Business used")
    assert business["evidence"] == [built.business, built.base]
    assert {built.group, built.principal, built.line, built.outsider, built.other_group} <= set(
        json.loads(row.input_ids)
    )
    event = session.scalars(select(AuditEventRow).where(AuditEventRow.event == "ocg.scored")).one()
    assert built.principal in json.loads(event.records)


def test_a_score_is_stored_again_only_when_its_inputs_change(session: Session) -> None:
    built = build_group(session)
    now = utcnow()
    assert rescore_all(session, now=now).stored == 2  # Kestrel and Heron
    assert rescore_all(session, now=now + timedelta(minutes=1)).stored == 0
    assert len(_scores(session, built.group)) == 1

    newcomer = make_person(session, family_name="Black", given_names="Sam", warning_markers=["WE"])
    make_link(
        session,
        from_id=newcomer.entity_id,
        to_id=built.group,
        link_type="member_of",
        role="lieutenant",
    )
    done = rescore_all(session, now=now + timedelta(minutes=2))
    assert done.stored == 1
    old, new = _scores(session, built.group)
    assert (old.current, new.current) == (False, True)
    assert new.points == old.points + 7 + 5  # a lieutenant carrying weapons
    assert old.fingerprint != new.fingerprint


def test_a_dimension_over_its_cap_counts_at_the_cap(session: Session) -> None:
    built = build_group(session)
    for n in range(12):
        person = make_person(session, family_name=f"Armed{n}", warning_markers=["FI", "EX"])
        make_link(
            session,
            from_id=person.entity_id,
            to_id=built.group,
            link_type="member_of",
            role="lieutenant",
        )
    score_groups(session, [built.group])
    [row] = _scores(session, built.group)
    criminality = [i for i in json.loads(row.inputs) if i["dimension"] == "criminality"]
    assert sum(i["points"] for i in criminality) == load_scale().dimension("criminality").cap
    assert criminality[-1]["item"] == "Counted at most 120 points"


def test_the_job_rescores_only_groups_already_scored(session: Session) -> None:
    first = build_group(session)
    second = build_group(session)
    score_groups(session, [first.group])
    make_link(
        session,
        from_id=make_person(session, family_name="New").entity_id,
        to_id=first.group,
        link_type="member_of",
        role="associate",
    )
    done = rescore_all(session, only_scored=True)
    assert (done.groups, done.stored) == (1, 1)
    assert _scores(session, second.group) == []
