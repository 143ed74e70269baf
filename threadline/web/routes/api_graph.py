"""Network analytics API: a group's network, the chain between two people, decisions.

- `GET /api/v1/groups/{id}/network`: key players, brokers and suggested members of a
  group's network (`from`, `to`: YYYY-MM-DD, only links that held in that period).
- `GET /api/v1/graph/path?from=&to=`: the shortest chain of links between two people.
- `POST /api/v1/groups/{id}/suggestions/{person}`: accept a suggested member (with a
  role) or reject them (with a reason).

The same services as the group's Network tab (`threadline.graph`): police readers only,
and every figure is computed from what the caller may see.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from threadline.errors import FieldError, InvalidData
from threadline.graph import Window, analyse_group, decide_suggestion, shortest_chain
from threadline.graph import suggest_members as suggested
from threadline.storage.ids import MAX_ID
from threadline.web.api_common import NOT_JSON, RECORD_ERRORS
from threadline.web.deps import ActorDep, SessionDep

router = APIRouter(prefix="/api/v1", tags=["network analytics"])

GroupId = Annotated[int, Path(ge=1, le=MAX_ID, description="The group's record id.")]
PersonId = Annotated[int, Path(ge=1, le=MAX_ID, description="The person's record id.")]
DateText = Annotated[
    str | None, Query(max_length=10, description="YYYY-MM-DD; only links that held then.")
]


def _window(start: str | None, end: str | None) -> Window:
    def parse(raw: str | None, where: str) -> date | None:
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise InvalidData([FieldError(where, raw, "a date as YYYY-MM-DD")]) from None

    return Window(parse(start, "from"), parse(end, "to"))


class GroupLinkOut(BaseModel):
    group_id: int
    name: str = Field(examples=["Operation Kestrel"])
    people: int = Field(description="People in the group the broker is linked to.")
    member: bool = Field(description="The broker is a mapped member of the group.")


class PlayerOut(BaseModel):
    """A key player of the group's network."""

    person_id: int = Field(description="The record that stands for the person.")
    records: list[int] = Field(description="Every record of the person you may see.")
    label: str = Field(examples=["Black, Ray (1985)"])
    degree: int = Field(description="People linked to them.")
    pagerank: float
    betweenness: float = Field(description="On shortest chains of up to 4 links.")
    role: str | None = Field(description="Their role in this group; null if not mapped.")
    groups: list[str]
    why: str = Field(examples=["linked to 9 people, 3 of them in other groups"])


class BrokerOut(BaseModel):
    """A person linking this group to another."""

    person_id: int
    records: list[int]
    label: str
    betweenness: float
    groups: list[GroupLinkOut]
    why: str


class EvidenceOut(BaseModel):
    id: int = Field(description="The link's id.")
    text: str = Field(examples=["Stone, Sam (1990) associate of Ash, Ann (1990) (principal)"])


class SuggestionOut(BaseModel):
    """A person suggested as an unmapped member, with the links that suggest them."""

    person_id: int
    records: list[int]
    label: str
    score: int
    reasons: list[str]
    links: list[EvidenceOut]


class WindowOut(BaseModel):
    from_: str | None = Field(alias="from")
    to: str | None


class NetworkOut(BaseModel):
    """A group's network as the caller may see it."""

    group_id: int
    name: str
    window: WindowOut
    members: int
    people: int = Field(description="People within two links of a member.")
    ties: int
    key_players: list[PlayerOut]
    brokers: list[BrokerOut]
    may_decide: bool = Field(description="The caller may accept or reject suggestions.")
    suggestions: list[SuggestionOut]


@router.get("/groups/{group_id}/network", response_model=NetworkOut, responses=RECORD_ERRORS)
def group_network_api(
    session: SessionDep,
    actor: ActorDep,
    group_id: GroupId,
    start: Annotated[DateText, Query(alias="from")] = None,
    end: Annotated[DateText, Query(alias="to")] = None,
) -> dict[str, object]:
    """Key players, brokers and suggested members of a group's network."""
    analysis, network = analyse_group(
        session, actor=actor, group_id=group_id, window=_window(start, end)
    )
    offered = suggested(session, actor=actor, group_id=group_id, network=network)
    return {**analysis.as_dict(), **offered.as_dict()}


class StepOut(BaseModel):
    record_id: int
    kind: str = Field(examples=["phone"])
    label: str
    link: str | None = Field(description="The link to the next record, read from this one.")
    link_id: int | None


class ChainOut(BaseModel):
    """The shortest chain of links between two people you may see."""

    from_: int = Field(alias="from")
    to: int
    length: int | None = Field(description="Links on the chain; null when none joins them.")
    steps: list[StepOut]


@router.get("/graph/path", response_model=ChainOut, responses=RECORD_ERRORS)
def path_api(
    session: SessionDep,
    actor: ActorDep,
    start: Annotated[int, Query(alias="from", ge=1, le=MAX_ID, description="A person's id.")],
    end: Annotated[int, Query(alias="to", ge=1, le=MAX_ID, description="Another person's id.")],
    after: Annotated[DateText, Query(alias="since")] = None,
    before: Annotated[DateText, Query(alias="until")] = None,
) -> dict[str, object]:
    """The shortest chain of links between two people, through any record you may see."""
    chain = shortest_chain(
        session, actor=actor, from_id=start, to_id=end, window=_window(after, before)
    )
    return chain.as_dict()


class DecisionIn(BaseModel):
    """Accept a suggested member with a role, or reject them with a reason."""

    model_config = ConfigDict(extra="forbid")

    decision: Literal["accept", "reject"]
    role: str | None = Field(
        default=None, description="principal, lieutenant, associate or runner (to accept)."
    )
    reason: str = Field(default="", max_length=2000, description="Why (needed to reject).")


class DecisionOut(BaseModel):
    decision_id: int
    decision: str = Field(examples=["accepted"])


@router.post(
    "/groups/{group_id}/suggestions/{person_id}",
    response_model=DecisionOut,
    responses={**RECORD_ERRORS, **NOT_JSON},
)
def decide_api(
    session: SessionDep, actor: ActorDep, group_id: GroupId, person_id: PersonId, body: DecisionIn
) -> DecisionOut:
    """Accept (a member_of link with the role) or reject (remembered) a suggested member."""
    accept = body.decision == "accept"
    decision_id = decide_suggestion(
        session,
        actor=actor,
        group_id=group_id,
        person_id=person_id,
        accept=accept,
        role=body.role,
        reason=body.reason,
    )
    return DecisionOut(decision_id=decision_id, decision="accepted" if accept else "rejected")
