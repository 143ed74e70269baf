"""Who may own a plan action, and finding them by name.

An action is owned by an officer (an active user of a force or of the regional unit) or
by a partner organisation (children's services, housing, education, health, probation,
a prison, a charity). A partner's staff do not own actions by name: their organisation
does, so the plan never names a partner practitioner to the police reader.

Owners are chosen by searching (`search_owners`); the choice is sent back as a reference,
"user:<id>" or "agency:<id>". The CLI and the API also take a username
("lro@norfolk") or an organisation's code ("norfolk-cads").
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.errors import FieldError
from threadline.model.security import Actor
from threadline.plans.access import open_group
from threadline.plans.types import Owner
from threadline.policy.ocg import (
    PLAN_OFFICER_KINDS,
    PLAN_ORGANISATION_KINDS,
    may_own_plan_action,
)
from threadline.policy.read_paths import read_path
from threadline.storage import plans as store
from threadline.storage.ids import typed_id

EXPECTED_OWNER = (
    "an officer of a force or the regional unit, or a partner organisation, chosen from "
    "the search (or a username such as lro@norfolk, or an organisation's code such as "
    "norfolk-cads)"
)
MIN_SEARCH = 2  # letters: fewer finds half the region


@dataclass(frozen=True, slots=True)
class OwnerChoices:
    """What an owner search found: officers and partner organisations."""

    text: str
    officers: list[Owner]
    organisations: list[Owner]

    @property
    def found(self) -> bool:
        return bool(self.officers or self.organisations)


def officer_owner(row: store.OfficerRecord) -> Owner:
    return Owner(kind="officer", id=row.id, name=row.display_name, organisation=row.agency_code)


def organisation_owner(row: store.OrganisationRecord) -> Owner:
    return Owner(kind="organisation", id=row.id, name=row.name, organisation=row.code)


def resolve_owner(session: Session, text: str) -> Owner | FieldError:
    """The owner named by `text` (a reference, a username or a code), or what is wrong."""
    given = text.strip()
    kind, _, rest = given.partition(":")
    user_id = agency_id = None
    if kind == "user" and typed_id(rest) is not None:
        user_id = typed_id(rest)
    elif kind == "agency" and typed_id(rest) is not None:
        agency_id = typed_id(rest)
    elif "@" in given:
        user_id = store.user_id_of(session, given)
    elif given:
        agency_id = store.agency_id_of(session, given)
    if not given:
        return FieldError("owner", "", EXPECTED_OWNER)
    if user_id is not None:
        officer = store.officers(session, [user_id]).get(user_id)
        if officer is None:
            return FieldError("owner", given, EXPECTED_OWNER + ": no such user")
        if officer.disabled:
            return FieldError(
                "owner",
                officer.display_name,
                "an active officer: this account is disabled; choose who now does the work",
            )
        if not may_own_plan_action(officer.organisation_kind, person=True):
            return FieldError(
                "owner",
                officer.display_name,
                "an officer of a force or the regional unit; a partner's work is owned by "
                "its organisation: choose the organisation",
            )
        return officer_owner(officer)
    if agency_id is not None:
        organisation = store.organisations(session, [agency_id]).get(agency_id)
        if organisation is None:
            return FieldError("owner", given, EXPECTED_OWNER + ": no such organisation")
        if not may_own_plan_action(organisation.kind, person=False):
            return FieldError(
                "owner",
                organisation.name,
                "a partner organisation; police work is owned by a named officer: choose "
                "the officer",
            )
        return organisation_owner(organisation)
    return FieldError("owner", given, EXPECTED_OWNER + ": nothing found by that name")


def owner_of(session: Session, *, user_id: int | None, agency_id: int | None) -> Owner | None:
    """The owner stored on an action (None when the account or organisation is gone)."""
    if user_id is not None:
        officer = store.officers(session, [user_id]).get(user_id)
        return officer_owner(officer) if officer else None
    if agency_id is not None:
        organisation = store.organisations(session, [agency_id]).get(agency_id)
        return organisation_owner(organisation) if organisation else None
    return None


@read_path("ocg.plan_owners_searched")
def search_owners(
    session: Session, *, actor: Actor, group_id: int, text: str, limit: int = 10
) -> OwnerChoices:
    """Officers and partner organisations whose names contain `text`, to own an action of
    the group's plan: for those who may change the plan. Fewer than two letters finds
    no one (and is not audited: nothing was shown)."""
    opened = open_group(session, actor=actor, group_id=group_id, change=True)
    words = " ".join(text.split())[:100]
    if len(words) < MIN_SEARCH:
        return OwnerChoices(text=words, officers=[], organisations=[])
    found = OwnerChoices(
        text=words,
        officers=[
            officer_owner(row)
            for row in store.search_officers(
                session, text=words, kinds=PLAN_OFFICER_KINDS, limit=limit
            )
        ],
        organisations=[
            organisation_owner(row)
            for row in store.search_organisations(
                session, text=words, kinds=PLAN_ORGANISATION_KINDS, limit=limit
            )
        ],
    )
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="ocg.plan_owners_searched",
        records=[opened.group.id],
        details={"officers": len(found.officers), "organisations": len(found.organisations)},
    )
    return found


def owner_for_ref(session: Session, ref: str) -> Owner | None:
    """The owner a form sent back (to show the choice again), or None if it names none."""
    found = resolve_owner(session, ref) if ref.strip() else None
    return found if isinstance(found, Owner) else None
