"""Police matching of custody recorded by identifiers: the prison's side of the link.

A prison links a custody episode to a person record only when it may see that record;
otherwise it records the prisoner by identifiers. This job, run by `threadline tick` as
the system on the police side, links each such episode to the one person record its
identifiers match: the same PNC id, or else the same family name, given names and full
date of birth (case, spacing and accents aside). An episode matching no record, or more
than one, stays unlinked until the records say which. Each link is one COMBINATION
audit event naming the person, so watches on them trip.

Linking tells the prison nothing: it still sees the person link only if it may read the
person (see `custody._visible`).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.errors import InvalidData
from threadline.model.security import system_actor
from threadline.search.people import pnc_forms
from threadline.storage.prison_tables import CustodyEpisodeRow
from threadline.storage.tables import PersonRow

_CHUNK = 500


def name_key(family_name: str, given_names: str) -> str:
    """Names compared for matching: case, accents and spacing do not count."""
    text = unicodedata.normalize("NFKD", f"{family_name}|{given_names}")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().replace("-", " ").split())


def link_unlinked(session: Session, *, now: datetime) -> int:
    """Link every unlinked episode whose identifiers match exactly one person record;
    returns how many were linked. Idempotent: a linked episode is never looked at again."""
    episodes = list(
        session.scalars(
            select(CustodyEpisodeRow)
            .where(CustodyEpisodeRow.person_id.is_(None))
            .order_by(CustodyEpisodeRow.id)
        )
    )
    if not episodes:
        return 0
    by_pnc = _people_by_pnc(session, {e.pnc_id for e in episodes if e.pnc_id})
    by_name = _people_by_name_and_dob(
        session, {e.date_of_birth for e in episodes if e.date_of_birth is not None}
    )
    linked = 0
    actor = system_actor("ersou", "custody-matching")
    for episode in episodes:
        found = by_pnc.get(episode.pnc_id or "", set())
        how = "pnc_id"
        if not found and episode.date_of_birth is not None:
            key = (name_key(episode.family_name, episode.given_names), episode.date_of_birth)
            found = by_name.get(key, set())
            how = "name_and_date_of_birth"
        if len(found) != 1:
            continue
        (person,) = found
        episode.person_id = person
        episode.linked_at = now
        linked += 1
        record_event(
            session,
            actor=actor,
            action=AuditAction.COMBINATION,
            event="custody.linked",
            records=[person],
            details={"episode": episode.id, "matched_on": how},
        )
    session.flush()
    return linked


def _people_by_pnc(session: Session, pncs: set[str]) -> dict[str, set[int]]:
    """People by the PNC id of an episode (in any of the forms a PNC id is stored in)."""
    form_of: dict[str, str] = {}
    for pnc in pncs:
        try:
            form_of.update(dict.fromkeys(pnc_forms(pnc), pnc))
        except InvalidData:  # stored before validation: matches nothing
            continue
    found: dict[str, set[int]] = defaultdict(set)
    wanted = sorted(form_of)
    for start in range(0, len(wanted), _CHUNK):
        rows = session.execute(
            select(PersonRow.pnc_id, PersonRow.entity_id).where(
                PersonRow.pnc_id.in_(wanted[start : start + _CHUNK])
            )
        )
        for stored, person in rows:
            if stored is not None:
                found[form_of[stored]].add(person)
    return found


def _people_by_name_and_dob(
    session: Session, births: set[date]
) -> dict[tuple[str, date], set[int]]:
    """People with a full date of birth among `births`, by (name key, date of birth)."""
    found: dict[tuple[str, date], set[int]] = defaultdict(set)
    wanted = sorted((d.year, d.month, d.day) for d in births)
    for start in range(0, len(wanted), _CHUNK):
        rows = session.execute(
            select(
                PersonRow.entity_id,
                PersonRow.family_name,
                PersonRow.given_names,
                PersonRow.dob_year,
                PersonRow.dob_month,
                PersonRow.dob_day,
            ).where(
                tuple_(PersonRow.dob_year, PersonRow.dob_month, PersonRow.dob_day).in_(
                    wanted[start : start + _CHUNK]
                )
            )
        )
        for person, family, given, year, month, day in rows:
            if year is None or month is None or day is None:
                continue
            key = (name_key(family or "", given or ""), date(year, month, day))
            found[key].add(person)
    return found
