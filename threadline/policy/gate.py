"""The gate: load facts → decide → redact → audit, one way, for one record or for a list.

Every read has the same shape: load what policy needs about the record(s), decide, keep
only the allowed fields, and log what was shown. Services used to write it out each
time, and the copies drifted: one counted members before policy, one paged before it,
one answered a refused id differently from a missing one. The gate is that shape once.

- `one`: a single record. Missing and refused answer through `policy.read_refusal`
  (police are told why; everyone else exactly as for a missing record).
- `many`: a list. Candidates come in batches from the caller (who keeps fetching);
  each is decided, and `offset`, `limit` and `more` count only allowed records, so a
  page is full whenever enough records the actor may see exist, and nothing about a
  hidden one shows in a count, a page length or a `next_offset`.
- `count`: how many of some records the actor may see (a group's members, say).
- `redact_page`, `consulted`: redaction of a page and its one CONSULTATION event.

Everything here takes the actor's `PolicyContext` (`load_context`), loaded once per
request. No rule lives here: each decision is `policy.decide`'s.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.errors import NotFound
from threadline.model.enums import Marking
from threadline.model.security import Actor
from threadline.policy.outcomes import above_clearance
from threadline.policy.reading import originals_on_profiles
from threadline.policy.redact import View, redact
from threadline.policy.rules import decide, read_refusal
from threadline.policy.terms import Decision, PolicyContext, Resource
from threadline.policy.vocabulary import Action, ResourceKind
from threadline.policy.writing import may_lead

__all__ = [
    "Allowed",
    "Page",
    "allowed",
    "cleared_markings",
    "consulted",
    "count",
    "filters_on",
    "many",
    "may_lead",  # a rule of `policy.writing`, asked by services through the gate
    "one",
    "originals_on_profiles",  # a rule of `policy.reading`, likewise
    "partial_views_possible",
    "redact_page",
    "within_clearance",
]

T = TypeVar("T")
V = TypeVar("V", bound=View)


@dataclass(frozen=True, slots=True)
class Allowed(Generic[T]):
    """One record the actor may see (or act on), with the decision that allows it."""

    item: T
    decision: Decision


@dataclass(slots=True)
class Page(Generic[T]):
    """One page of allowed records; `offset` and `more` count allowed records only."""

    items: list[Allowed[T]] = field(default_factory=list)
    offset: int = 0
    more: bool = False

    @property
    def next_offset(self) -> int | None:
        """Where the next page starts (in allowed records), or None on the last page."""
        return self.offset + len(self.items) if self.more else None


def one(
    *,
    actor: Actor,
    ctx: PolicyContext,
    item: T | None,
    resource: Callable[[T], Resource],
    missing: str,
    action: Action = Action.READ,
) -> Allowed[T]:
    """The loaded `item` if the actor may `action` it; otherwise raise.

    `item` is None when nothing was found: that raises `NotFound(missing)`. A refusal
    raises `policy.read_refusal(..., missing=missing)`, so a partner or a prison gets
    the very words of a missing record, whatever rule refused.
    """
    if item is None:
        raise NotFound(missing)
    decision = decide(actor=actor, action=action, resource=resource(item), ctx=ctx)
    if not decision.allowed:
        raise read_refusal(actor, decision, missing=missing)
    return Allowed(item, decision)


def allowed(
    *,
    actor: Actor,
    ctx: PolicyContext,
    items: Iterable[T],
    resource: Callable[[T], Resource],
    action: Action = Action.READ,
) -> list[Allowed[T]]:
    """Those of `items` the actor may `action`, in order, each with its decision."""
    kept = []
    for item in items:
        decision = decide(actor=actor, action=action, resource=resource(item), ctx=ctx)
        if decision.allowed:
            kept.append(Allowed(item, decision))
    return kept


def many(
    *,
    actor: Actor,
    ctx: PolicyContext,
    batches: Iterable[Sequence[T]],
    resource: Callable[[T], Resource],
    limit: int,
    offset: int = 0,
    action: Action = Action.READ,
    keep: Callable[[T, Decision], bool] | None = None,
) -> Page[T]:
    """A page of allowed records, paged after filtering.

    `batches` yields candidates in the list's order, batch after batch, until the data
    ends (the caller fetches lazily: the gate stops asking once the page is full and one
    more allowed record has been seen). `keep` may refuse an allowed record for reasons
    of the list itself (a filter the reader may not use on it); a record it refuses is
    treated exactly as one policy refused.
    """
    if limit < 1 or offset < 0:
        raise ValueError("a page needs limit >= 1 and offset >= 0")
    page: Page[T] = Page(offset=offset)
    skipped = 0
    for batch in batches:
        for entry in allowed(actor=actor, ctx=ctx, items=batch, resource=resource, action=action):
            if keep is not None and not keep(entry.item, entry.decision):
                continue
            if skipped < offset:
                skipped += 1
            elif len(page.items) < limit:
                page.items.append(entry)
            else:
                page.more = True
                return page
    return page


def filters_on(*fields: str) -> Callable[[object, Decision], bool]:
    """A `keep` for `many`: a list filtered on `fields` (an area, a name) may return only
    records whose decision shows every one of them, or the filter itself would tell the
    reader a value they may not see ("which of these reports are about Norwich?")."""
    wanted = tuple(fields)

    def keep(_: object, decision: Decision) -> bool:
        return all(decision.shows(name) for name in wanted)

    return keep


def count(
    *,
    actor: Actor,
    ctx: PolicyContext,
    items: Iterable[T],
    resource: Callable[[T], Resource],
    action: Action = Action.READ,
) -> int:
    """How many of `items` the actor may `action`: a count shown never counts hidden ones."""
    return len(allowed(actor=actor, ctx=ctx, items=items, resource=resource, action=action))


def redact_page(
    kind: ResourceKind,
    entries: Iterable[tuple[Mapping[str, object], Decision]],
    *,
    view: type[V] = View,  # type: ignore[assignment]
) -> list[V]:
    """Each (full record, decision) of a page as the actor may see it."""
    return [redact(kind, record, decision, view=view) for record, decision in entries]


def consulted(
    session: Session,
    *,
    actor: Actor,
    event: str,
    records: Iterable[int],
    details: Mapping[str, object] | None = None,
    purpose: str | None = None,
) -> int:
    """The one CONSULTATION event of a read, naming every record shown; its id."""
    return record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event=event,
        records=list(records),
        purpose=purpose,
        details=details,
    )


# --------------------------------------------------------------- questions about readers
# What a reader's clearance and agreements mean for a query, so that no service compares
# markings or organisations itself. The rules about a person (is the reader shown original
# reports on a profile, may a user lead a group) are `policy.reading` and `policy.writing`'s.


def partial_views_possible(ctx: PolicyContext) -> bool:
    """Whether some decisions for this reader may show a record only in part.

    True when the reader's organisation receives under an agreement: agreements name
    the fields they share. Searches use it to decide whether to also match on parts of
    a query (a family name alone), which only readers shown part of a record need.
    """
    return any(ctx.agency_code in terms.recipients for terms in ctx.isas)


def within_clearance(actor: Actor, marking: Marking | str) -> bool:
    """Whether something marked `marking` (a link, a row) is at or below the actor's
    clearance: no one sees anything above it."""
    probe = Resource(kind=ResourceKind.PERSON, marking=Marking(marking))
    return above_clearance(actor, probe) is None


def cleared_markings(actor: Actor) -> tuple[Marking, ...]:
    """Every marking at or below the actor's clearance (for a query's `IN (...)`)."""
    return tuple(marking for marking in Marking if within_clearance(actor, marking))
