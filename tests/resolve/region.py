"""A small synthetic region for resolution tests: one man held by three forces, and more.

William Hargreaves is recorded by Norfolk; Essex holds him as "Bill" (a nickname) at the
same address with the same phone; Suffolk misspells him "Hargraves" and swaps the day
and month of his birth, at an address he has moved to. Two different John Smiths (a
common name) with different dates of birth, and a few unrelated people, fill the region.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from tests.factories import make_link, make_location, make_person, make_phone
from threadline.storage.db import session_scope


@dataclass(frozen=True, slots=True)
class Region:
    """Entity ids of the people the tests ask about."""

    william: tuple[int, int, int]  # Norfolk, Essex, Suffolk
    smiths: tuple[int, int]
    everyone: tuple[int, ...]


_OTHERS = (
    ("Okafor", "Chidi", "1978-11-02", "suffolk", "IP4 1AB"),
    ("Nowak", "Agnieszka", "1993-05-19", "essex", "CM1 2QT"),
    ("Patel", "Priya", "2001-08-30", "cambridgeshire", "CB1 2AD"),
    ("Hughes", "Megan", "1986-02-14", "kent", "ME14 1XX"),
    ("Byrne", "Declan", "1999-12-01", "hertfordshire", "AL1 3JE"),
)


def build_region(engine: Engine) -> Region:
    """Write the region's person records (with addresses and phones) and return their ids."""
    with session_scope(engine) as session:

        def person(
            family: str,
            given: str,
            dob: str,
            owner: str,
            *,
            postcode: str,
            line1: str = "1 High Street",
            phone: str | None = None,
            pnc_id: str | None = None,
        ) -> int:
            row = make_person(
                session,
                family_name=family,
                given_names=given,
                dob=dob,
                owner=owner,
                pnc_id=pnc_id,
                gender="male" if given in ("William", "Bill", "John") else "unknown",
            )
            home = make_location(session, postcode=postcode, line1=line1, owner=owner)
            make_link(
                session,
                from_id=row.entity_id,
                to_id=home.entity_id,
                link_type="resides_at",
                owner=owner,
            )
            if phone is not None:
                number = make_phone(session, number=phone, owner=owner)
                make_link(
                    session,
                    from_id=row.entity_id,
                    to_id=number.entity_id,
                    link_type="uses_phone",
                    owner=owner,
                )
            return row.entity_id

        norfolk = person(
            "Hargreaves", "William", "1990-03-07", "norfolk",
            postcode="NR1 3AB", line1="12 Elm Road", phone="07700 900123", pnc_id="90/123456X",
        )  # fmt: skip
        essex = person(
            "Hargreaves", "Bill", "1990-03-07", "essex",
            postcode="NR1 3AB", line1="12 Elm Road", phone="07700 900123",
        )  # fmt: skip
        suffolk = person(
            "Hargraves", "William", "1990-07-03", "suffolk",
            postcode="IP1 2DE", line1="4 Mill Lane",
        )  # fmt: skip
        smith_a = person("Smith", "John", "1985-01-01", "norfolk", postcode="NR2 4SQ")
        smith_b = person("Smith", "John", "1972-09-15", "kent", postcode="CT1 2EH")
        others = tuple(
            person(family, given, dob, owner, postcode=postcode)
            for family, given, dob, owner, postcode in _OTHERS
        )
    return Region(
        william=(norfolk, essex, suffolk),
        smiths=(smith_a, smith_b),
        everyone=(norfolk, essex, suffolk, smith_a, smith_b, *others),
    )
