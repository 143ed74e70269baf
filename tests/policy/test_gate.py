"""The gate: one record or a page of records, decided, with counts and pages after policy.

Pure tests (no database): the records are `Resource`s, the context has no agreements.
An officer of another force with OFFICIAL-SENSITIVE clearance sees region records up to
that marking, and none of another organisation's agency-scope records.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.policy.factories import make_actor
from threadline.errors import Forbidden, NotFound
from threadline.model.enums import Marking
from threadline.model.security import Actor, Role
from threadline.policy import PolicyContext, Resource, ResourceKind, gate

OFFICER = make_actor(
    roles=Role.FRONTLINE, agency="force-other", clearance=Marking.OFFICIAL_SENSITIVE
)
PARTNER = make_actor(roles=Role.PARTNER, agency="childrens-services")


def _ctx(actor: Actor) -> PolicyContext:
    return PolicyContext(agency_code=actor.agency_code, on=date(2026, 1, 1))


def _record(n: int, hidden: bool) -> Resource:
    return Resource(
        kind=ResourceKind.PERSON,
        owner="norfolk",
        marking=Marking.SECRET if hidden else Marking.OFFICIAL,
        id=n,
    )


def _same(resource: Resource) -> Resource:
    return resource


def _batches(records: list[Resource], size: int) -> Iterator[list[Resource]]:
    for start in range(0, len(records), size):
        yield records[start : start + size]


def test_one_answers_a_refused_record_as_policy_read_refusal_says() -> None:
    hidden = _record(1, hidden=True)
    with pytest.raises(Forbidden, match="clearance"):  # police are told why
        gate.one(actor=OFFICER, ctx=_ctx(OFFICER), item=hidden, resource=_same, missing="none")
    with pytest.raises(NotFound, match=r"^no person 1$"):  # anyone else: as missing
        gate.one(
            actor=PARTNER, ctx=_ctx(PARTNER), item=hidden, resource=_same, missing="no person 1"
        )
    with pytest.raises(NotFound, match=r"^no person 1$"):
        gate.one(actor=PARTNER, ctx=_ctx(PARTNER), item=None, resource=_same, missing="no person 1")
    shown = gate.one(
        actor=OFFICER, ctx=_ctx(OFFICER), item=_record(2, False), resource=_same, missing="-"
    )
    assert shown.item.id == 2 and shown.decision.allowed


@given(
    hidden=st.lists(st.booleans(), max_size=40),
    limit=st.integers(1, 7),
    batch=st.integers(1, 9),
)
def test_paging_after_policy_loses_nothing_and_shows_nothing_hidden(
    hidden: list[bool], limit: int, batch: int
) -> None:
    """Walking the pages by `next_offset` gives every visible record once, in order,
    each page full but the last, whatever the hidden ones and the batch size."""
    records = [_record(n, h) for n, h in enumerate(hidden)]
    visible = [r.id for r in records if r.marking is Marking.OFFICIAL]
    seen: list[int | None] = []
    offset: int | None = 0
    while offset is not None:
        page = gate.many(
            actor=OFFICER,
            ctx=_ctx(OFFICER),
            batches=_batches(records, batch),
            resource=_same,
            limit=limit,
            offset=offset,
        )
        if page.next_offset is not None:
            assert len(page.items) == limit
        seen += [entry.item.id for entry in page.items]
        offset = page.next_offset
    assert seen == visible
    assert gate.count(actor=OFFICER, ctx=_ctx(OFFICER), items=records, resource=_same) == len(
        visible
    )


def test_many_stops_fetching_once_the_page_is_known_to_have_more() -> None:
    fetched: list[int] = []

    def batches() -> Iterator[list[Resource]]:
        for n in range(100):
            fetched.append(n)
            yield [_record(n, hidden=False)]

    page = gate.many(actor=OFFICER, ctx=_ctx(OFFICER), batches=batches(), resource=_same, limit=3)
    assert [e.item.id for e in page.items] == [0, 1, 2] and page.more
    assert fetched == [0, 1, 2, 3]


def test_clearance_helpers_follow_policy() -> None:
    assert gate.cleared_markings(OFFICER) == (Marking.OFFICIAL, Marking.OFFICIAL_SENSITIVE)
    assert gate.within_clearance(OFFICER, "OFFICIAL-SENSITIVE")
    assert not gate.within_clearance(OFFICER, Marking.SECRET)
