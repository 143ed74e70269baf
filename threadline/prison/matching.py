"""Matching prison intelligence against what police hold.

`Index.load` reads, once per run, every number police know (deal lines of county lines,
phones used by OCG members and their associates), every OCG member and associate, and
every address linked to a group; `match` then checks items against it in memory, so a
million call records cost one pass. Only links in force on the day count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, aliased

from threadline.model.links import LinkType
from threadline.storage.tables import LinkRow, LocationRow, OrganisationRow, PhoneRow

# Why an item matched, strongest first.
DEAL_LINE = "deal_line"  # a call to a county line's deal line
PHONE = "phone"  # a call to a phone an OCG member (or associate) uses
MEMBER = "ocg_member"  # a visit from, or association with, an OCG member
ASSOCIATE = "associate"  # ... with an associate of an OCG member
ADDRESS = "address"  # a visitor from an address linked to a group


@dataclass(frozen=True, slots=True)
class Target:
    """A record an item can match: its id, why it matters, and the group behind it."""

    entity_id: int
    reason: str
    group_id: int | None
    line_id: int | None = None  # deal lines: the county line


@dataclass(frozen=True, slots=True)
class Item:
    """What matching needs of a prison intelligence item."""

    id: int
    kind: str
    prisoner_id: int
    establishment_id: int
    occurred_at: datetime
    number: str | None = None
    other_id: int | None = None
    visitor_postcode: str | None = None


@dataclass(frozen=True, slots=True)
class Hit:
    item: Item
    target: Target

    @property
    def alert_key(self) -> str:
        """One alert per prisoner, record and ISO week (`contact:12:34:2026-W45`)."""
        year, week, _ = self.item.occurred_at.isocalendar()
        return f"contact:{self.item.prisoner_id}:{self.target.entity_id}:{year}-W{week:02d}"


@dataclass(slots=True)
class Index:
    phones: dict[str, list[Target]] = field(default_factory=lambda: defaultdict(list))
    people: dict[int, list[Target]] = field(default_factory=lambda: defaultdict(list))
    postcodes: dict[str, list[Target]] = field(default_factory=lambda: defaultdict(list))
    # Each OCG member's groups (prisoners' own groups decide who is told).
    groups_of: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    all_groups: set[int] = field(default_factory=set)

    @classmethod
    def load(cls, session: Session, on: date) -> Index:
        index = cls()
        current = and_(
            or_(LinkRow.valid_from.is_(None), LinkRow.valid_from <= on),
            or_(LinkRow.valid_to.is_(None), LinkRow.valid_to >= on),
        )
        members = session.execute(
            select(LinkRow.from_id, LinkRow.to_id)
            .join(OrganisationRow, OrganisationRow.entity_id == LinkRow.to_id)
            .where(
                LinkRow.link_type == LinkType.MEMBER_OF.value,
                OrganisationRow.org_type.in_(("ocg", "gang")),
                current,
            )
        ).all()
        for person, group in members:
            index.groups_of[person].add(group)
            index.all_groups.add(group)
            index.people[person].append(Target(person, MEMBER, group))
        # Associates of members, each under the member's groups.
        ends = session.execute(
            select(LinkRow.from_id, LinkRow.to_id).where(
                LinkRow.link_type == LinkType.ASSOCIATE_OF.value, current
            )
        ).all()
        for a, b in ends:
            for member, other in ((a, b), (b, a)):
                if other in index.groups_of:
                    continue  # a member is matched as a member
                for group in index.groups_of.get(member, ()):
                    index.people[other].append(Target(other, ASSOCIATE, group))
        # Lines and the groups that run them.
        runs: dict[int, int] = {}
        for runner, line in session.execute(
            select(LinkRow.from_id, LinkRow.to_id).where(
                LinkRow.link_type == LinkType.RUNS_LINE.value, current
            )
        ):
            if runner in index.groups_of:  # a person running a line: their group
                runs.setdefault(line, min(index.groups_of[runner]))
            else:
                runs[line] = runner
        for line, phone, number in session.execute(
            select(LinkRow.from_id, LinkRow.to_id, PhoneRow.number)
            .join(PhoneRow, PhoneRow.entity_id == LinkRow.to_id)
            .where(LinkRow.link_type == LinkType.LINE_PHONE.value, current)
        ):
            index.phones[number].append(Target(phone, DEAL_LINE, runs.get(line), line))
        for user, phone, number in session.execute(
            select(LinkRow.from_id, LinkRow.to_id, PhoneRow.number)
            .join(PhoneRow, PhoneRow.entity_id == LinkRow.to_id)
            .where(LinkRow.link_type == LinkType.USES_PHONE.value, current)
        ):
            for target in index.people.get(user, ()):
                index.phones[number].append(Target(phone, PHONE, target.group_id))
            if user in index.all_groups:  # a group's own phone
                index.phones[number].append(Target(phone, PHONE, user))
        place = aliased(LocationRow)
        for owner, location, postcode in session.execute(
            select(LinkRow.from_id, LinkRow.to_id, place.postcode)
            .join(place, place.entity_id == LinkRow.to_id)
            .where(
                LinkRow.link_type.in_((LinkType.RESIDES_AT.value, LinkType.OPERATES_FROM.value)),
                place.postcode.is_not(None),
                current,
            )
        ):
            groups = index.groups_of.get(owner) or ({owner} if owner in index.all_groups else set())
            for group in groups:
                index.postcodes[str(postcode)].append(Target(location, ADDRESS, group))
        return index

    def prisoner_groups(self, prisoner_id: int) -> set[int]:
        return self.groups_of.get(prisoner_id, set())


def match(items: Iterable[Item], index: Index) -> list[Hit]:
    """Every hit of every item; one per item and record (the strongest reason wins)."""
    hits: list[Hit] = []
    phones, people, postcodes = index.phones, index.people, index.postcodes
    for item in items:
        found: dict[int, Target] = {}
        if item.number is not None:
            for target in phones.get(item.number, ()):
                found.setdefault(target.entity_id, target)
        if item.other_id is not None:
            for target in people.get(item.other_id, ()):
                found.setdefault(target.entity_id, target)
        if item.visitor_postcode is not None:
            for target in postcodes.get(item.visitor_postcode, ()):
                found.setdefault(target.entity_id, target)
        found.pop(item.prisoner_id, None)
        hits.extend(Hit(item, target) for target in found.values())
    return hits
