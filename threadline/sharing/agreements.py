"""Information sharing agreements: add, list, view, end, and which apply on a day.

An agreement names its providers and recipients (organisation codes), the data items
that may go (a kind, or `kind.field`, from `threadline.policy.vocabulary.FIELDS`), its
area and cohort scope (empty: all), onward-sharing and retention rules, and its start,
review and end dates. Policy enforces it (see `IsaTerms`); this module keeps it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.errors import Conflict, FieldError, InvalidData, NotFound
from threadline.model.security import Actor
from threadline.policy import (
    Action,
    IsaState,
    IsaTerms,
    Resource,
    ResourceKind,
    load_context,
    read_path,
    require,
    today,
)
from threadline.policy.context import isa_terms, isas_of
from threadline.sharing import validation as v
from threadline.storage.tables import AgencyRow, IsaPartyRow, IsaRow


@dataclass(frozen=True, slots=True)
class Isa:
    """An information sharing agreement as recorded."""

    ref: str
    title: str
    purpose: str
    legal_basis: str
    providers: tuple[str, ...]
    recipients: tuple[str, ...]
    data_items: tuple[str, ...]
    areas: tuple[str, ...]
    cohorts: tuple[str, ...]
    onward_sharing: str
    retention: str
    starts_on: date
    review_on: date
    ends_on: date | None
    ended_at: datetime | None

    @property
    def terms(self) -> IsaTerms:
        """The agreement as policy enforces it."""
        return IsaTerms(
            ref=self.ref,
            providers=frozenset(self.providers),
            recipients=frozenset(self.recipients),
            data_items=frozenset(self.data_items),
            starts_on=self.starts_on,
            review_on=self.review_on,
            ends_on=self.ends_on,
            ended_at=self.ended_at,
            areas=frozenset(self.areas),
            cohorts=frozenset(self.cohorts),
        )

    def state_on(self, on: date) -> IsaState:
        return self.terms.state_on(on)

    def to_dict(self, on: date | None = None) -> dict[str, object]:
        """Plain data for JSON, with the agreement's state on `on` (default today)."""
        return {
            "ref": self.ref,
            "title": self.title,
            "state": self.state_on(on or today()).value,
            "purpose": self.purpose,
            "legal_basis": self.legal_basis,
            "providers": list(self.providers),
            "recipients": list(self.recipients),
            "data_items": list(self.data_items),
            "areas": list(self.areas),
            "cohorts": list(self.cohorts),
            "onward_sharing": self.onward_sharing,
            "retention": self.retention,
            "starts_on": self.starts_on.isoformat(),
            "review_on": self.review_on.isoformat(),
            "ends_on": self.ends_on.isoformat() if self.ends_on else None,
            "ended_at": self.ended_at.isoformat(timespec="seconds") if self.ended_at else None,
        }


def add_isa(
    session: Session,
    *,
    actor: Actor,
    ref: str,
    title: str,
    purpose: str,
    legal_basis: str,
    providers: Sequence[str],
    recipients: Sequence[str],
    data_items: Sequence[str],
    areas: Sequence[str] = (),
    cohorts: Sequence[str] = (),
    onward_sharing: str = "not permitted",
    retention: str,
    starts_on: date,
    review_on: date,
    ends_on: date | None = None,
) -> Isa:
    """Record a new agreement. Administrators of the regional unit or of a provider may.

    Raises `InvalidData` naming every field at fault (`ref`, `providers[0]`,
    `data_items[2]`, `review_on`, ...), and `Forbidden` if the actor may not.
    """
    ctx = load_context(session, actor)
    clean = v.clean_list
    provider_codes, recipient_codes = clean(providers), clean(recipients)
    require(
        actor=actor,
        action=Action.ADMINISTER,
        resource=Resource(kind=ResourceKind.ISA, ref=ref, parties=frozenset(provider_codes)),
        ctx=ctx,
    )
    items, area_codes, cohort_words = clean(data_items), clean(areas), clean(cohorts)
    agency_ids = v.agency_ids(session, provider_codes + recipient_codes)
    errors = v.text_errors(ref=ref, title=title, purpose=purpose, legal_basis=legal_basis)
    errors += v.text_errors(onward_sharing=onward_sharing, retention=retention)
    errors += v.ref_errors(session, ref)
    errors += v.party_errors(provider_codes, recipient_codes, agency_ids)
    errors += v.scope_errors(session, items, area_codes, cohort_words)
    errors += v.date_errors(starts_on, review_on, ends_on)
    if errors:
        raise InvalidData(errors)

    row = IsaRow(
        ref=ref.strip(),
        title=title.strip(),
        purpose=purpose.strip(),
        legal_basis=legal_basis.strip(),
        data_items=",".join(items),
        areas=",".join(area_codes),
        cohorts=",".join(cohort_words),
        onward_sharing=onward_sharing.strip(),
        retention=retention.strip(),
        starts_on=starts_on,
        review_on=review_on,
        ends_on=ends_on,
        ended_at=None,
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    for role, codes in (("provider", provider_codes), ("recipient", recipient_codes)):
        for code in codes:
            session.add(IsaPartyRow(isa_id=row.id, agency_id=agency_ids[code], role=role))
    session.flush()
    record_event(
        session,
        actor=actor,
        action=AuditAction.COLLECTION,
        event="isa.added",
        recipients=recipient_codes,
        details={"ref": row.ref, "providers": provider_codes, "data_items": items},
    )
    return _isa(session, row)


@read_path("isa.listed")
def list_isas(
    session: Session,
    *,
    actor: Actor,
    agency_code: str | None = None,
    on: date | None = None,
    active_only: bool = False,
) -> list[Isa]:
    """Agreements by reference, optionally of one organisation and only those active `on`."""
    ctx = load_context(session, actor)
    require(actor=actor, action=Action.SEARCH, resource=Resource(kind=ResourceKind.ISA), ctx=ctx)
    query = select(IsaRow).order_by(IsaRow.ref)
    if agency_code:
        query = query.where(
            IsaRow.id.in_(
                select(IsaPartyRow.isa_id)
                .join(AgencyRow, AgencyRow.id == IsaPartyRow.agency_id)
                .where(AgencyRow.code == agency_code)
            )
        )
    day = on or today()
    isas = [_isa(session, row) for row in session.scalars(query)]
    if active_only:
        isas = [isa for isa in isas if isa.terms.is_active(day)]
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="isa.listed",
        details={"agency_code": agency_code, "active_only": active_only, "count": len(isas)},
    )
    return isas


@read_path("isa.viewed")
def get_isa(session: Session, *, actor: Actor, ref: str) -> Isa:
    """One agreement by reference; `NotFound` if there is none."""
    ctx = load_context(session, actor)
    require(actor=actor, action=Action.READ, resource=Resource(kind=ResourceKind.ISA), ctx=ctx)
    row = _row(session, ref)
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="isa.viewed",
        details={"ref": row.ref},
    )
    return _isa(session, row)


def end_isa(session: Session, *, actor: Actor, ref: str, reason: str) -> Isa:
    """End an agreement now: from this moment nothing is shared under it.

    The reason is kept in the audit event (ALTERATION `isa.ended`). `Conflict` if the
    agreement has already ended.
    """
    ctx = load_context(session, actor)
    row = _row(session, ref)
    isa = _isa(session, row)
    require(
        actor=actor,
        action=Action.ADMINISTER,
        resource=Resource(kind=ResourceKind.ISA, ref=row.ref, parties=frozenset(isa.providers)),
        ctx=ctx,
    )
    if not reason.strip():
        raise InvalidData([FieldError("reason", reason, "why the agreement is ended")])
    if row.ended_at is not None:
        raise Conflict(
            f"agreement {row.ref} already ended at {row.ended_at.isoformat(timespec='seconds')}"
        )
    row.ended_at = utcnow()
    session.flush()
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="isa.ended",
        recipients=list(isa.recipients),
        details={"ref": row.ref, "reason": reason.strip()},
    )
    return _isa(session, row)


def active_isas_for(session: Session, agency_code: str, on: date | None = None) -> list[Isa]:
    """Agreements the organisation is party to that are active on `on` (default today).

    Not a read path: it serves policy and scheduled work, and shows no personal data.
    """
    day = on or today()
    refs = [terms.ref for terms in isas_of(session, agency_code) if terms.is_active(day)]
    rows = session.scalars(select(IsaRow).where(IsaRow.ref.in_(refs)).order_by(IsaRow.ref))
    return [_isa(session, row) for row in rows]


# --------------------------------------------------------------------------- helpers


def _row(session: Session, ref: str) -> IsaRow:
    row = session.scalar(select(IsaRow).where(IsaRow.ref == ref.strip()))
    if row is None:
        raise NotFound(f"no information sharing agreement {ref!r}; see `threadline isa list`")
    return row


def _isa(session: Session, row: IsaRow) -> Isa:
    terms = isa_terms(session, [row])[0]
    return Isa(
        ref=row.ref,
        title=row.title,
        purpose=row.purpose,
        legal_basis=row.legal_basis,
        providers=tuple(sorted(terms.providers)),
        recipients=tuple(sorted(terms.recipients)),
        data_items=tuple(w for w in row.data_items.split(",") if w),
        areas=tuple(w for w in row.areas.split(",") if w),
        cohorts=tuple(w for w in row.cohorts.split(",") if w),
        onward_sharing=row.onward_sharing,
        retention=row.retention,
        starts_on=row.starts_on,
        review_on=row.review_on,
        ends_on=row.ends_on,
        ended_at=row.ended_at,
    )
