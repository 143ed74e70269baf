"""The neighbourhood service: what a link chart shows each user, and what it logs."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from tests.factories import make_link
from tests.graph.world import Network, build_network
from threadline.audit import AuditAction
from threadline.errors import InvalidData, NotFound
from threadline.graph import Neighbourhood, get_neighbourhood
from threadline.storage.db import session_scope
from threadline.storage.tables import AuditEventRow


@pytest.fixture
def db(engine: Engine) -> Session:
    with session_scope(engine) as session:
        yield session  # type: ignore[misc]


@pytest.fixture
def net(db: Session) -> Network:
    return build_network(db)


def ids(result: Neighbourhood) -> set[int]:
    return {node.id for node in result.nodes}


def links(result: Neighbourhood) -> set[tuple[int, str, int]]:
    return {(edge.source, edge.type, edge.target) for edge in result.edges}


def test_an_analyst_sees_every_record_one_link_out_with_labels(db: Session, net: Network) -> None:
    result = get_neighbourhood(db, actor=net.world.analyst, entity_id=net.ray)

    assert result.nodes[0].id == net.ray
    expected = {
        net.ray,
        net.kestrel,
        net.phone,
        net.jo,
        net.home,
        net.world.adult_home,
        net.secret_person,
        net.car,
    }
    assert ids(result) == expected | {net.past}
    labels = {node.id: node.label for node in result.nodes}
    assert labels[net.ray] == "Black, Ray (1985)"
    assert labels[net.kestrel] == "Kestrel"
    assert labels[net.phone] == "+447700900123"
    assert labels[net.home] == "9 Ber Street, NR1 3AB"
    assert labels[net.car] == "CD34EFG"
    kinds = {node.id: node.kind for node in result.nodes}
    assert kinds[net.kestrel] == "organisation"
    assert (net.ray, "member_of", net.kestrel) in links(result)
    member = next(edge for edge in result.edges if edge.type == "member_of")
    assert (member.reverse, member.role) == ("has_member", "lieutenant")
    assert net.lee not in ids(result), "Lee is two links away"


def test_depth_two_reaches_the_second_ring(db: Session, net: Network) -> None:
    result = get_neighbourhood(db, actor=net.world.analyst, entity_id=net.ray, depth=2)

    assert {net.lee, net.secret_car} <= ids(result)
    assert (net.lee, "member_of", net.kestrel) in links(result)


def test_records_above_clearance_are_dropped_with_their_links(db: Session, net: Network) -> None:
    officer = net.world.officer  # OFFICIAL-SENSITIVE
    result = get_neighbourhood(db, actor=officer, entity_id=net.ray, depth=2)

    assert net.secret_person not in ids(result)
    assert net.secret_car not in ids(result), "a hidden record is never walked through"
    assert all(net.secret_person not in (e.source, e.target) for e in result.edges)
    # The car is OFFICIAL, but the only link to it is SECRET: neither is shown.
    assert net.car not in ids(result)
    assert all(edge.marking != "SECRET" for edge in result.edges)
    assert {net.kestrel, net.phone, net.jo, net.lee} <= ids(result)


def test_a_centre_the_actor_may_not_see_is_not_found(db: Session, net: Network) -> None:
    with pytest.raises(NotFound, match=str(net.secret_person)):
        get_neighbourhood(db, actor=net.world.officer, entity_id=net.secret_person)
    with pytest.raises(NotFound):
        get_neighbourhood(db, actor=net.world.officer, entity_id=999_999)


def test_a_partner_sees_only_what_the_agreement_covers(db: Session, net: Network) -> None:
    # CADS receives people's family names in Norwich, and no groups, phones or addresses.
    # Ann Past has no known address: her record concerns the whole of Norfolk, Norwich
    # included (DESIGN 3a), so CADS sees her family name too.
    result = get_neighbourhood(db, actor=net.world.partner, entity_id=net.jo, depth=2)

    assert ids(result) == {net.jo, net.ray, net.past}
    assert {node.kind for node in result.nodes} == {"person"}
    labels = {node.id: node.label for node in result.nodes}
    assert labels == {net.jo: "Smith", net.ray: "Black", net.past: "Past"}, (
        "no given names or years of birth"
    )
    assert links(result) == {(net.ray, "exploits", net.jo), (net.ray, "associate_of", net.past)}


def test_type_filter_keeps_only_the_types_asked(db: Session, net: Network) -> None:
    result = get_neighbourhood(
        db, actor=net.world.analyst, entity_id=net.ray, depth=2, link_types=["member_of"]
    )

    assert ids(result) == {net.ray, net.kestrel, net.lee}
    assert {edge.type for edge in result.edges} == {"member_of"}


def test_unknown_link_type_names_the_value_received(db: Session, net: Network) -> None:
    with pytest.raises(InvalidData) as raised:
        get_neighbourhood(
            db, actor=net.world.analyst, entity_id=net.ray, link_types=["member_of", "member-of"]
        )
    (error,) = raised.value.errors
    assert (error.location, error.received) == ("type", "member-of")
    assert "member_of" in error.expected and "uses_phone" in error.expected


@pytest.mark.parametrize(
    ("start", "end", "past_shown", "home_shown"),
    [
        (None, date(2018, 12, 31), False, False),  # before both
        (date(2020, 6, 1), date(2020, 6, 30), True, False),  # inside the 2019-2020 link
        (date(2020, 12, 31), None, True, True),  # the last day of it, then open-ended
        (date(2021, 1, 1), None, False, True),  # after it ended
        (None, None, True, True),
    ],
)
def test_date_filter_keeps_links_whose_period_overlaps_the_range(
    db: Session,
    net: Network,
    start: date | None,
    end: date | None,
    past_shown: bool,
    home_shown: bool,
) -> None:
    result = get_neighbourhood(
        db, actor=net.world.analyst, entity_id=net.ray, on_or_after=start, on_or_before=end
    )

    assert (net.past in ids(result)) is past_shown
    assert (net.home in ids(result)) is home_shown
    assert net.kestrel in ids(result), "an undated link holds for every range"


@pytest.mark.parametrize(
    ("options", "location"),
    [
        ({"depth": 3}, "depth"),
        ({"depth": 0}, "depth"),
        ({"on_or_after": date(2022, 1, 1), "on_or_before": date(2021, 1, 1)}, "to"),
        ({"limit": 0}, "limit"),
    ],
)
def test_bad_options_are_refused_naming_the_field(
    db: Session, net: Network, options: dict[str, object], location: str
) -> None:
    with pytest.raises(InvalidData) as raised:
        get_neighbourhood(db, actor=net.world.analyst, entity_id=net.ray, **options)  # type: ignore[arg-type]
    assert [e.location for e in raised.value.errors] == [location]


def test_limit_caps_the_records_and_says_so(db: Session, net: Network) -> None:
    result = get_neighbourhood(db, actor=net.world.analyst, entity_id=net.ray, limit=3)

    assert len(result.nodes) == 3 and result.nodes[0].id == net.ray
    assert result.truncated
    assert all(e.source in ids(result) and e.target in ids(result) for e in result.edges)
    assert not get_neighbourhood(db, actor=net.world.analyst, entity_id=net.ray).truncated


def test_one_consultation_names_every_record_shown(db: Session, net: Network) -> None:
    before = db.scalar(select(AuditEventRow.id).order_by(AuditEventRow.id.desc()).limit(1)) or 0
    result = get_neighbourhood(db, actor=net.world.officer, entity_id=net.ray, purpose="op x")

    events = db.scalars(select(AuditEventRow).where(AuditEventRow.id > before)).all()
    assert [(e.action, e.event) for e in events] == [
        (AuditAction.CONSULTATION.value, "graph.neighbourhood")
    ]
    (event,) = events
    assert event.id == result.audit_event_id
    assert json.loads(event.records) == sorted(ids(result))
    assert net.secret_person not in json.loads(event.records)
    assert event.purpose == "op x"
    assert json.loads(event.details)["centre"] == net.ray


def test_an_intelligence_report_is_not_a_chart_centre(db: Session, net: Network) -> None:
    # Reports have entity ids too; a chart draws only people, objects and places.
    with pytest.raises(NotFound):
        get_neighbourhood(db, actor=net.world.analyst, entity_id=net.world.report_p.id)


def test_a_partner_sees_links_without_their_dates_as_on_the_profile(
    db: Session, net: Network
) -> None:
    # CADS receives family names only: when Ray started exploiting Jo is not among them,
    # so the chart leaves link dates out as the profile's links do.
    make_link(
        db, from_id=net.ray, to_id=net.jo, link_type="associate_of", valid_from=date(2024, 5, 1)
    )
    partner = get_neighbourhood(db, actor=net.world.partner, entity_id=net.jo, depth=1)
    assert {(e.valid_from, e.valid_to) for e in partner.edges} == {(None, None)}
    police = get_neighbourhood(db, actor=net.world.analyst, entity_id=net.jo, depth=1)
    assert date(2024, 5, 1) in {e.valid_from for e in police.edges}


def test_a_partner_cannot_learn_a_hidden_link_date_by_narrowing_the_range(
    db: Session, net: Network
) -> None:
    # Were the date range applied to links whose dates CADS may not see, repeating the
    # chart with narrower ranges would find the day Ray's link to Jo began.
    make_link(
        db, from_id=net.ray, to_id=net.jo, link_type="associate_of", valid_from=date(2024, 5, 1)
    )

    def partner_edges(**dates: date) -> set[tuple[int, int, str]]:
        found = get_neighbourhood(db, actor=net.world.partner, entity_id=net.jo, **dates)
        return {(e.source, e.target, e.type) for e in found.edges}

    everything = partner_edges()
    assert (net.ray, net.jo, "associate_of") in everything
    assert partner_edges(on_or_before=date(2024, 4, 30)) == everything
    assert partner_edges(on_or_after=date(2024, 5, 1)) == everything
    # The police, who see the dates, get the range applied.
    police = get_neighbourhood(
        db, actor=net.world.analyst, entity_id=net.jo, on_or_before=date(2024, 4, 30)
    )
    assert (net.ray, net.jo, "associate_of") not in {
        (e.source, e.target, e.type) for e in police.edges
    }
