"""Partner alerts that matter (issue 14, item 7, under the rule of issue 11, finding 1).

A partner is told when a notice is published to it (and not of one sent only to police),
when police respond to its concern (test_partner_alerts.py), and when a child it raised
a concern about is arrested or charged, as its
agreement lets it read that child's record; never otherwise, never about anyone else the
same disruption names, never who acted, which force, or when. The rule is pure policy
(`policy.alerts`); the end-to-end half runs in the small world of test_partner_alerts.py:
CADS raises a concern through its page, police record an arrest (a disruption) and a
charge decision, and `threadline tick` alerts CADS.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.policy.factories import ORGS, make_actor
from tests.tripwires.test_partner_alerts import (  # noqa: F401  (the fixture, by name)
    PARTNER,
    POLICE_WORDS,
    Place,
    place,
)
from threadline.accounts import actor_for, add_user
from threadline.disruptions import record_disruption
from threadline.disruptions.types import DisruptionDraft, TacticDraft
from threadline.justice import record_charge_decision
from threadline.model.enums import Marking
from threadline.model.security import Role, system_actor
from threadline.notices import create_notice, publish_notice
from threadline.policy import IsaTerms, PolicyContext, Resource, ResourceKind
from threadline.policy.alerts import AlertEvent, Happened, alert_decision
from threadline.sharing import add_isa
from threadline.storage.db import session_scope

DAY = date(2026, 6, 1)
CHILD = Resource(
    kind=ResourceKind.PERSON,
    owner="norfolk",
    marking=Marking.OFFICIAL_SENSITIVE,
    areas=frozenset({"norwich"}),
    cohorts=frozenset({"under_18"}),
    id=7,
)


def _ctx(code: str, areas: frozenset[str] = frozenset({"norwich"})) -> PolicyContext:
    isa = IsaTerms(
        ref="ISA-T-01",
        providers=frozenset({"norfolk"}),
        recipients=frozenset({code}),
        data_items=frozenset({"person.family_name"}),
        areas=areas,
        starts_on=date(2025, 1, 1),
        review_on=date(2099, 1, 1),
    )
    return PolicyContext(agency_code=code, on=DAY, isas=(isa,))


@pytest.mark.parametrize("what", [Happened.ARRESTED, Happened.CHARGED])
@pytest.mark.parametrize(
    ("concerned", "areas", "told"),
    [
        ({(7, "norfolk-cads")}, frozenset({"norwich"}), True),  # its concern, readable
        (set(), frozenset({"norwich"}), False),  # no concern raised
        ({(7, "norwich-housing")}, frozenset({"norwich"}), False),  # another's concern
        ({(8, "norfolk-cads")}, frozenset({"norwich"}), False),  # a concern about another
        ({(7, "norfolk-cads")}, frozenset({"ipswich"}), False),  # not readable under its ISA
    ],
)
def test_an_arrest_or_charge_is_told_only_to_whoever_raised_a_concern(
    what: Happened, concerned: set[tuple[int, str]], areas: frozenset[str], told: bool
) -> None:
    partner = make_actor(
        roles=Role.PARTNER, agency="childrens-services", clearance=Marking.OFFICIAL_SENSITIVE
    )
    assert ORGS["childrens-services"].code == "norfolk-cads"
    event = AlertEvent(happened=what, agency="norfolk", concerns_about=frozenset(concerned))
    for watching in (False, True):
        decision = alert_decision(
            recipient=partner,
            ctx=_ctx("norfolk-cads", areas),
            event=event,
            record=CHILD,
            watching=watching,
        )
        assert decision.allowed is told, decision.reason


def _agreement(where: Place) -> None:
    with session_scope(where.engine) as session:
        add_isa(
            session,
            actor=system_actor(),
            ref="ISA-NFK-CADS-02",
            title="Norfolk Constabulary and CADS: safeguarding concerns",
            purpose="Raising and answering concerns about children at risk",
            legal_basis="Children Act 2004 s11",
            providers=["norfolk"],
            recipients=["norfolk-cads"],
            data_items=["person.family_name", "safeguarding"],
            areas=["norwich"],
            retention="Two years from receipt, then secure destruction",
            starts_on=date(2025, 1, 1),
            review_on=date(2099, 1, 1),
        )
        add_user(
            session,
            actor=system_actor("ersou", "test"),
            username="supervisor@norfolk",
            display_name="Test supervisor",
            agency_code="norfolk",
            roles=["supervisor"],
            clearance="SECRET",
            password="correct horse battery staple",
        )


def _arrest(where: Place, *people: int) -> None:
    with session_scope(where.engine) as session:
        record_disruption(
            session,
            actor=actor_for(session, "lro@norfolk"),
            draft=DisruptionDraft(
                subject_kind="person",
                entity_id=where.world.child,
                theme="drugs_county_lines",
                strand="pursue",
                claimed_grade="minor",
                rationale="Arrested at the Rocco line's address with wraps of cocaine.",
                occurred_on=date.today(),
                tactics=tuple(TacticDraft("arrest", person_id=p) for p in people),
                agency_code="norfolk",
            ),
        )


def _partner_summaries(where: Place) -> list[tuple[str, int, str]]:
    return [
        (str(a["kind"]), int(str(a["entity_id"])), str(a["summary"])) for a in where.alerts(PARTNER)
    ]


def test_an_arrest_of_someone_cads_never_raised_a_concern_about_tells_it_nothing(
    place: Place,  # noqa: F811  (the fixture imported above)
) -> None:
    _agreement(place)
    _arrest(place, place.world.child, place.world.adult)
    assert place.tick()["partner_alerts"] == 0
    assert _partner_summaries(place) == []


def test_cads_hears_of_the_arrest_and_charge_of_the_child_it_raised_a_concern_about(
    place: Place,  # noqa: F811  (the fixture imported above)
) -> None:
    child = place.world.child
    _agreement(place)
    place.sign_in(PARTNER)
    place.post(
        f"/people/{child}/concern",
        f"/people/{child}/concern",
        {"text": "Jo has new trainers and a second phone and misses school."},
    )
    assert place.tick()["partner_alerts"] == 0  # raising it tells the partner nothing

    _arrest(place, child, place.world.adult)  # the adult arrested too: not CADS's concern
    assert place.tick()["partner_alerts"] == 1
    ((kind, about, summary),) = _partner_summaries(place)
    assert (kind, about) == ("arrest", child)
    # Named only as far as the agreement shows a name (here, not in full: "A person").
    assert re.match(
        r"(A person|SMITH), about whom your organisation raised a concern, has been arrested "
        r"\(under agreement ISA-NFK-CADS-0[12]\)\.",
        summary,
    ), summary
    assert not any(word in summary for word in POLICE_WORDS), summary
    assert "Jo" not in summary  # CADS may see the family name only
    assert not re.search(r"\d\d:\d\d|\d{4}", summary)  # nor when

    with session_scope(place.engine) as session:
        record_charge_decision(
            session,
            actor=actor_for(session, "supervisor@norfolk"),
            person_id=child,
            decision="charge",
            offence="Possession with intent to supply a class A drug",
            drug_supply=True,
            override_reason="Remanded: the CPS decision could not wait for the NRM.",
        )
    assert place.tick()["partner_alerts"] == 1
    kinds = sorted(kind for kind, _, _ in _partner_summaries(place))
    assert kinds == ["arrest", "charge"]
    charged = next(s for k, _, s in _partner_summaries(place) if k == "charge")
    assert "has been charged with an offence" in charged
    assert not any(word in charged for word in POLICE_WORDS), charged
    assert place.tick()["partner_alerts"] == 0  # told once

    # Police reads of the child afterwards never reach CADS.
    place.sign_in("officer@norfolk")
    assert place.web.get(f"/people/{child}/safeguarding").status_code == 200
    assert place.tick()["partner_alerts"] == 0


def test_cads_hears_of_a_notice_published_to_it_and_not_of_one_to_the_police(
    place: Place,  # noqa: F811  (the fixture imported above)
) -> None:
    with session_scope(place.engine) as session:
        add_isa(
            session,
            actor=system_actor(),
            ref="ISA-NFK-CADS-TN",
            title="Norfolk and CADS: threat notices about county lines",
            purpose="Warn children's services of county lines exploiting children",
            legal_basis="Crime and Disorder Act 1998 s115",
            providers=["norfolk"],
            recipients=["norfolk-cads"],
            data_items=["threat_notice.title", "threat_notice.threat", "person.family_name"],
            areas=["norwich"],
            cohorts=["county_line", "under_18"],
            retention="One year from receipt",
            starts_on=date(2025, 1, 1),
            review_on=date(2099, 1, 1),
        )
        analyst = actor_for(session, "analyst@norfolk")
        for audiences in (("region",), ("agency:norfolk-cads",)):
            notice = create_notice(
                session,
                actor=analyst,
                subject_id=place.world.child,
                title="A child is running for the Rocco line in Norwich",
                threat="Jo is carrying cash and drugs for the Rocco line.",
                action="Safeguard the child on sight.",
                review_date=date.today() + timedelta(days=60),
                audiences=audiences,
                sanitised_id=place.world.sanitised_p.id,
            )
            publish_notice(session, actor=analyst, ref=notice.ref)
    assert place.tick()["partner_alerts"] == 1  # the one published to CADS
    ((kind, about, summary),) = _partner_summaries(place)
    assert (kind, about) == ("notice", place.world.child)
    assert "has been published to your organisation" in summary
    assert not any(word in summary for word in POLICE_WORDS), summary
