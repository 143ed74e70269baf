"""The crime group API: the index of groups and one group's overview, as on /groups.

Who may see a group is policy's business, asked by `threadline.ocg` (police readers
cleared for the group; a partner or prison gets an empty list, and "not found" for a
group). Listing is logged as `ocg.listed`, a group's overview as `ocg.viewed`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from threadline.ocg import GroupFilters, GroupOverview, GroupSummary, group_overview, list_groups
from threadline.ocg.vocabulary import COMMODITIES, COUNTER_MEASURES, CRIME_TYPES
from threadline.reference.geography import area_name
from threadline.web.api_common import ERRORS, RECORD_ERRORS, PageOut, PagingDep, term
from threadline.web.deps import ActorDep, SessionDep

router = APIRouter(prefix="/api/v1", tags=["crime groups"])


class Coded(BaseModel):
    """A code and its words."""

    code: str = Field(examples=["crack_cocaine"])
    words: str = Field(examples=["Crack cocaine"])


class GroupOut(BaseModel):
    """One crime group of the index."""

    id: int = Field(description="The group's record id.", examples=[4021])
    name: str = Field(examples=["Operation Kestrel"])
    operation_name: str | None = Field(examples=["Operation Kestrel"])
    force: str = Field(
        description="The organisation that holds it.", examples=["Norfolk Constabulary"]
    )
    band: Coded | None = Field(description="Of the current mapping score; null if unscored.")
    priority: Coded | None = Field(description="Of the newest MoRiLE assessment; null if none.")
    lro: str | None = Field(
        description="The lead responsible officer's name.", examples=["Jo Lead"]
    )
    plan: list[Coded] = Field(
        description="The 4P plan's state: no_plan, or current, or review_overdue and/or "
        "actions_late."
    )
    members: int = Field(description="Current members the caller may see.", examples=[7])
    archived: bool
    areas: list[Coded] = Field(description="The policing areas the group operates in.")

    @classmethod
    def of(cls, item: GroupSummary) -> GroupOut:
        words = item.plan_words.split("; ")
        return cls(
            id=item.id,
            name=item.name,
            operation_name=item.operation_name,
            force=item.owner_name,
            band=Coded(code=item.band, words=item.band_words or item.band) if item.band else None,
            priority=(
                Coded(code=item.priority, words=item.priority_words or item.priority)
                if item.priority
                else None
            ),
            lro=item.lro_name,
            plan=[
                Coded(code=code, words=text)
                for code, text in zip(item.plan_states, words, strict=True)
            ],
            members=item.members,
            archived=item.archived,
            areas=[Coded(code=code, words=area_name(code)) for code in item.areas],
        )


class MemberOut(BaseModel):
    """A current member the caller may see."""

    person_id: int
    name: str = Field(examples=["BLACK, Ray"])
    role: str | None = Field(description="As recorded on the membership.", examples=["lieutenant"])


class LineOut(BaseModel):
    """A county line the group runs."""

    id: int
    name: str = Field(examples=["TONY"])
    exporting_area: str = Field(examples=["London Borough of Hackney"])
    importing_area: str | None = Field(examples=["Norwich"])


class GroupDetailOut(BaseModel):
    """A group's overview: its profile, LRO, areas, members by role and county lines."""

    id: int
    name: str
    operation_name: str | None
    force: str
    band: Coded | None
    priority: Coded | None
    lro: str | None = Field(description="The LRO and how to contact them.")
    archived: bool
    archived_reason: str | None
    archived_at: datetime | None
    mapped_on: date | None
    areas: list[Coded]
    commodities: list[Coded]
    crime_types: list[Coded]
    counter_measures: list[Coded]
    members: list[MemberOut]
    lines: list[LineOut]

    @classmethod
    def of(cls, found: GroupOverview) -> GroupDetailOut:
        head = found.header
        return cls(
            id=head.id,
            name=head.name,
            operation_name=head.operation_name,
            force=head.owner_name,
            band=Coded(code=head.band, words=found.band_words or head.band) if head.band else None,
            priority=(
                Coded(code=head.priority, words=found.priority_words or head.priority)
                if head.priority
                else None
            ),
            lro=found.lro,
            archived=head.archived,
            archived_reason=found.archived_reason,
            archived_at=found.archived_at,
            mapped_on=found.mapped_on,
            areas=[
                Coded(code=c, words=w) for c, w in zip(found.area_codes, found.areas, strict=True)
            ],
            commodities=[Coded(code=c, words=COMMODITIES.get(c, c)) for c in found.commodities],
            crime_types=[Coded(code=c, words=CRIME_TYPES.get(c, c)) for c in found.crime_types],
            counter_measures=[
                Coded(code=c, words=COUNTER_MEASURES.get(c, c)) for c in found.counter_measures
            ],
            members=[
                MemberOut(person_id=m.person_id, name=m.name, role=m.role)
                for role in found.by_role
                for m in role.members
            ],
            lines=[
                LineOut(
                    id=line.id,
                    name=line.name,
                    exporting_area=line.exporting_area,
                    importing_area=line.importing_area,
                )
                for line in found.lines
            ],
        )


@router.get("/groups", responses=ERRORS)
def get_groups(
    session: SessionDep,
    actor: ActorDep,
    paging: PagingDep,
    q: Annotated[str, term("Words of the group's name or operation name.")] = "",
    area: Annotated[str, term("A policing area code, e.g. norwich.")] = "",
    commodity: Annotated[str, term("A commodity code, e.g. crack_cocaine.")] = "",
    crime_type: Annotated[str, term("A crime type code, e.g. county_lines.")] = "",
    band: Annotated[str, term('A band code ("A"), or "none" for unscored groups.')] = "",
    priority: Annotated[str, term('A priority code ("p1"), or "none" for unassessed.')] = "",
    lro: Annotated[str, term("The LRO's username, e.g. lro@norfolk.")] = "",
    plan_state: Annotated[
        Literal["", "current", "review_overdue", "actions_late", "no_plan"],
        Query(description="The state of the group's 4P plan."),
    ] = "",
    status: Annotated[
        Literal["mapped", "archived", "all"],
        Query(description="Mapped groups (the default), archived ones, or all."),
    ] = "mapped",
) -> PageOut[GroupOut]:
    """The crime groups the caller may see, highest priority first, then band and name."""
    filters = GroupFilters(
        text=q or None,
        area=area or None,
        commodity=commodity or None,
        crime_type=crime_type or None,
        band=band or None,
        priority=priority or None,
        lro=lro or None,
        plan_state=plan_state or None,
        status=status,
    )
    found = list_groups(
        session, actor=actor, filters=filters, offset=paging.offset, limit=paging.limit
    )
    return PageOut[GroupOut].of(
        [GroupOut.of(item) for item in found.items], paging, more=found.next_offset is not None
    )


@router.get("/groups/{group_id:int}", responses=RECORD_ERRORS)
def get_group(session: SessionDep, actor: ActorDep, group_id: int) -> GroupDetailOut:
    """One crime group's overview: profile, LRO, areas, members by role and county lines."""
    return GroupDetailOut.of(group_overview(session, actor=actor, group_id=group_id))
