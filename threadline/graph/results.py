"""What network analytics return: people ranked, brokers, communities, chains.

Plain dataclasses built after policy has decided (every figure comes from a `Network`,
what its reader may see); the web and CLI turn them into pages and JSON (`as_dict`).
A person is named by the record that stands for them (`person_id`, the oldest of a
resolved person's records the reader may see) and lists every record merged (`records`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from threadline.graph.network import Window


def _plain(value: object) -> Any:
    return asdict(value)  # type: ignore[call-overload]


@dataclass(frozen=True, slots=True)
class Player:
    """A key player: linked to many, central, on the chains between others."""

    person_id: int
    records: tuple[int, ...]
    label: str
    degree: int  # people linked to them
    pagerank: float
    betweenness: float  # on shortest chains of at most BETWEENNESS_CUTOFF links
    role: str | None  # their role in the group asked about; None if not mapped to it
    groups: tuple[str, ...]  # names of the crime groups they are members of
    why: str  # in plain English: "linked to 9 people, 3 of them in other groups"


@dataclass(frozen=True, slots=True)
class GroupLink:
    """A group a broker touches, and how many people in it they are linked to."""

    group_id: int
    name: str
    people: int
    member: bool  # the broker is a mapped member of it


@dataclass(frozen=True, slots=True)
class Broker:
    """A person with links into the members of two or more groups."""

    person_id: int
    records: tuple[int, ...]
    label: str
    betweenness: float
    groups: tuple[GroupLink, ...]
    why: str


@dataclass(slots=True)
class GroupNetwork:
    """A group's network: key players and brokers among its members and people near them."""

    group_id: int
    name: str
    window: Window
    members: int  # mapped members the reader may see
    people: int  # people within two links of a member
    ties: int  # links among them
    key_players: list[Player] = field(default_factory=list)
    brokers: list[Broker] = field(default_factory=list)
    audit_event_id: int | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "group_id": self.group_id,
            "name": self.name,
            "window": self.window.as_dict(),
            "members": self.members,
            "people": self.people,
            "ties": self.ties,
            "key_players": [_plain(p) for p in self.key_players],
            "brokers": [_plain(b) for b in self.brokers],
        }


@dataclass(frozen=True, slots=True)
class Community:
    """A Leiden community of people, with the groups its people are members of."""

    number: int
    size: int
    groups: tuple[str, ...]
    people: tuple[tuple[int, str], ...]  # the best-linked few: (person id, label)


@dataclass(frozen=True, slots=True)
class Step:
    """One record on a chain, and the link from it to the next (None at the end)."""

    record_id: int
    kind: str
    label: str
    link: str | None  # the link's name read from this record, e.g. "uses_phone"
    link_id: int | None


@dataclass(frozen=True, slots=True)
class Chain:
    """The shortest chain of links between two people, if any."""

    from_id: int
    to_id: int
    steps: tuple[Step, ...]  # empty when no chain exists in what the reader may see

    @property
    def length(self) -> int | None:
        """Links on the chain; None when there is none."""
        return len(self.steps) - 1 if self.steps else None

    def as_dict(self) -> dict[str, object]:
        return {
            "from": self.from_id,
            "to": self.to_id,
            "length": self.length,
            "steps": [_plain(step) for step in self.steps],
        }
