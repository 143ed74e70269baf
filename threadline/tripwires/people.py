"""Who acted and who is told: doers of events and watchers, with their organisations."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.accounts.login import build_actor
from threadline.model.security import Actor
from threadline.policy import PolicyContext, load_context
from threadline.storage.tables import AgencyRow, AreaRow, UserRow
from threadline.tripwires.hits import Event
from threadline.tripwires.wording import Doer


@dataclass
class Directory:
    """Organisations, areas and users loaded once per batch, with policy contexts."""

    session: Session
    agencies: dict[str, AgencyRow] = field(default_factory=dict)
    agency_codes: dict[int, str] = field(default_factory=dict)
    area_names: dict[str, str] = field(default_factory=dict)
    users: dict[int, UserRow] = field(default_factory=dict)
    _contexts: dict[str, PolicyContext] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> Directory:
        agencies = {a.code: a for a in session.scalars(select(AgencyRow))}
        areas = {c: n for c, n in session.execute(select(AreaRow.code, AreaRow.name))}
        return cls(session, agencies, {a.id: a.code for a in agencies.values()}, areas)

    def load_users(self, ids: Collection[int]) -> None:
        missing = sorted(set(ids) - set(self.users))
        for start in range(0, len(missing), 5000):
            for row in self.session.scalars(
                select(UserRow).where(UserRow.id.in_(missing[start : start + 5000]))
            ):
                self.users[row.id] = row

    def actor(self, user_id: int) -> Actor | None:
        """The actor of an active user (None for a disabled or deleted account)."""
        row = self.users.get(user_id)
        if row is None or row.disabled:
            return None
        return build_actor(row, self.agencies[self.agency_codes[row.agency_id]])

    def context(self, actor: Actor, on: date) -> PolicyContext:
        """The actor's policy context (agreements of their organisation), loaded once."""
        found = self._contexts.get(actor.agency_code)
        if found is None:
            found = self._contexts[actor.agency_code] = load_context(self.session, actor, on=on)
        return found

    def agency_name(self, code: str) -> str:
        agency = self.agencies.get(code)
        return agency.name if agency is not None else code

    def doer(self, event: Event) -> Doer:
        row = self.users.get(event.actor_id) if event.actor_id is not None else None
        areas: tuple[str, ...] = ()
        roles: frozenset[str] = frozenset()
        if row is not None:
            codes = [c.strip() for c in row.home_areas.split(",") if c.strip()]
            areas = tuple(self.area_names.get(c, c) for c in codes[:2])
            roles = frozenset(r.strip() for r in row.roles.split(","))
        return Doer(
            user_id=event.actor_id,
            username=event.actor,
            display_name=row.display_name if row is not None else None,
            agency_code=event.agency,
            agency_name=self.agency_name(event.agency),
            roles=roles,
            areas=areas,
        )
