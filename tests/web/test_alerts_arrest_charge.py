"""The alerts page offers the partner alert kinds "Arrest" and "Charge" (issue 14, item 7
and item 10): CADS, told that a child it raised a concern about was arrested and then
charged, can filter its alerts to each, and sees each named in words, never its code.
"""

from __future__ import annotations

import re

from tests.tripwires.test_partner_alerts import (  # noqa: F401  (the fixture, by name)
    PARTNER,
    Place,
    place,
)
from tests.tripwires.test_partner_alerts_that_matter import _agreement, _arrest
from threadline.accounts import actor_for
from threadline.justice import record_charge_decision
from threadline.storage.db import session_scope


def _options(html: str) -> list[str]:
    select = html.split('id="kind" name="kind">', 1)[1].split("</select>", 1)[0]
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def test_the_alerts_filter_offers_arrest_and_charge_in_plain_words(
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
    _arrest(place, child)
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
    place.tick()

    place.sign_in(PARTNER)
    html = place.web.get("/alerts").text
    assert "Arrest (1)" in _options(html) and "Charge (1)" in _options(html)
    tags = re.findall(r'govuk-tag--grey">([^<]*)</strong>', html)
    assert "Arrest" in tags and "Charge" in tags
    assert ">arrest<" not in html and ">charge<" not in html  # never the code

    arrests = place.web.get("/alerts?kind=arrest").text
    assert "has been arrested" in arrests and "charged with an offence" not in arrests
    charges = place.web.get("/alerts?kind=charge").text
    assert "charged with an offence" in charges and "has been arrested" not in charges
