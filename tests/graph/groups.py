"""Two crime groups and the people around them, for the network analytics tests.

Kestrel (OCG): Ann (principal), Ben (lieutenant), Cal (associate)
Merlin (OCG):  Xan (principal), Yas (lieutenant)

Ben associate_of Ann, Cal associate_of Ben, Yas associate_of Xan
Zed associate_of Ben and Xan          -> a broker between Kestrel and Merlin
Sam associate_of Ann and Ben          -> suggested for Kestrel (two members)
Hal resides_at Cal's address          -> suggested for Kestrel (a shared address)
Oli associate_of Ann only             -> not suggested (one link)
Quin associate_of Cal; and by SECRET links associate_of Ann and Yas
                                      -> for a SECRET-cleared analyst a broker and a
                                         suggestion; for an OFFICIAL-cleared officer
                                         neither
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from tests.factories import make_link, make_location, make_organisation, make_person
from tests.policy.factories import make_actor, seed_partners
from threadline.model.enums import Marking
from threadline.model.security import Actor, Role


@dataclass
class Groups:
    kestrel: int
    merlin: int
    ann: int
    ben: int
    cal: int
    xan: int
    yas: int
    zed: int
    sam: int
    hal: int
    oli: int
    quin: int
    analyst: Actor  # Norfolk analyst, SECRET
    officer: Actor  # Norfolk frontline officer, cleared to OFFICIAL only
    partner: Actor  # Norfolk children's services


def build_groups(session: Session) -> Groups:
    seed_partners(session)
    kestrel = make_organisation(session, name="Operation Kestrel").entity_id
    merlin = make_organisation(session, name="Operation Merlin").entity_id

    def person(family: str, given: str) -> int:
        return make_person(session, family_name=family, given_names=given, dob="1990").entity_id

    ann, ben, cal = person("Ash", "Ann"), person("Birch", "Ben"), person("Cole", "Cal")
    xan, yas = person("Xu", "Xan"), person("Young", "Yas")
    zed, sam, hal = person("Zane", "Zed"), person("Stone", "Sam"), person("Hale", "Hal")
    oli, quin = person("Owen", "Oli"), person("Quinn", "Quin")

    def link(a: int, b: int, kind: str = "associate_of", **extra: object) -> None:
        make_link(session, from_id=a, to_id=b, link_type=kind, **extra)  # type: ignore[arg-type]

    for who, role in ((ann, "principal"), (ben, "lieutenant"), (cal, "associate")):
        link(who, kestrel, "member_of", role=role)
    for who, role in ((xan, "principal"), (yas, "lieutenant")):
        link(who, merlin, "member_of", role=role)
    link(ben, ann)
    link(cal, ben)
    link(yas, xan)
    link(zed, ben)
    link(zed, xan)
    link(sam, ann)
    link(sam, ben)
    home = make_location(session, line1="4 Elm Road", postcode="NR2 4AA").entity_id
    link(cal, home, "resides_at")
    link(hal, home, "resides_at")
    link(oli, ann)
    link(quin, cal)
    link(quin, ann, marking="SECRET")
    link(quin, yas, marking="SECRET")
    return Groups(
        kestrel=kestrel,
        merlin=merlin,
        ann=ann,
        ben=ben,
        cal=cal,
        xan=xan,
        yas=yas,
        zed=zed,
        sam=sam,
        hal=hal,
        oli=oli,
        quin=quin,
        analyst=make_actor(roles=Role.ANALYST, username="analyst@norfolk"),
        officer=make_actor(
            roles=Role.FRONTLINE, clearance=Marking.OFFICIAL, username="frontline@norfolk"
        ),
        partner=make_actor(roles=Role.PARTNER, agency="childrens-services"),
    )
