"""Automatic watches: what each OCG's lead responsible officer (LRO) is told about.

For every OCG or gang with an LRO, the LRO watches the group itself, its current members,
its phones and vehicles, the county lines it runs with their deal lines, runners,
cuckooed addresses and bases. `sync_ocg_watches` keeps those watches (source "ocg") in
step with the links: new ones start, ones that no longer apply end, and when the LRO
changes the watches move to the new one. A watch someone added by hand is never ended
here (it is theirs), and wins over an automatic one on the same record.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from threadline.model.enums import OrganisationType
from threadline.model.links import LinkType
from threadline.storage.sharing_tables import WatchRow
from threadline.storage.tables import CountyLineRow, LinkRow, OrganisationRow

OCG_SOURCE = "ocg"
_GROUP_TYPES = (OrganisationType.OCG.value, OrganisationType.GANG.value)
_CHUNK = 5000


@dataclass(frozen=True, slots=True)
class SyncResult:
    """How many automatic watches started, changed (reason, group or revived) and ended."""

    started: int
    changed: int
    ended: int


def _current(on: date) -> object:
    return and_(
        or_(LinkRow.valid_from.is_(None), LinkRow.valid_from <= on),
        or_(LinkRow.valid_to.is_(None), LinkRow.valid_to >= on),
    )


def _links(
    session: Session, on: date, *, from_ids: Iterable[int] = (), to_ids: Iterable[int] = ()
) -> list[tuple[str, int, int, str | None]]:
    """Current links (type, from, to, role) leaving `from_ids` or reaching `to_ids`."""
    found: list[tuple[str, int, int, str | None]] = []
    for column, ids in (
        (LinkRow.from_id, sorted(set(from_ids))),
        (LinkRow.to_id, sorted(set(to_ids))),
    ):
        for start in range(0, len(ids), _CHUNK):
            rows = session.execute(
                select(LinkRow.link_type, LinkRow.from_id, LinkRow.to_id, LinkRow.role).where(
                    column.in_(ids[start : start + _CHUNK]),
                    _current(on),  # type: ignore[arg-type]
                )
            )
            found.extend((t, f, to, r) for t, f, to, r in rows)
    return found


def desired_watches(session: Session, *, on: date) -> dict[tuple[int, int], tuple[str, int]]:
    """(entity id, LRO user id) -> (reason, group id) for every record an LRO should watch."""
    groups: dict[int, tuple[str, int]] = {
        gid: (name, lro)
        for gid, name, lro in session.execute(
            select(OrganisationRow.entity_id, OrganisationRow.name, OrganisationRow.lro_id).where(
                OrganisationRow.lro_id.is_not(None), OrganisationRow.org_type.in_(_GROUP_TYPES)
            )
        )
        if lro is not None
    }
    reasons: dict[tuple[int, int], list[str]] = defaultdict(list)
    group_of: dict[tuple[int, int], int] = {}

    def want(entity_id: int, group_id: int, reason: str) -> None:
        pair = (entity_id, groups[group_id][1])
        if reason not in reasons[pair]:
            reasons[pair].append(reason)
        group_of.setdefault(pair, group_id)

    lines: dict[int, int] = {}  # line id -> group id
    members: dict[int, int] = {}  # person id -> group id
    for gid, (name, _) in groups.items():
        want(gid, gid, f"{name}, the group you lead")
    for kind, src, dst, role in _links(session, on, from_ids=groups, to_ids=groups):
        if kind == LinkType.MEMBER_OF and dst in groups:
            want(src, dst, f"{role or 'member'} of {groups[dst][0]}")
            members.setdefault(src, dst)
        elif kind == LinkType.RUNNER_FOR and dst in groups:
            want(src, dst, f"runner for {groups[dst][0]}")
        elif src not in groups:
            continue
        elif kind == LinkType.USES_PHONE:
            want(dst, src, f"phone used by {groups[src][0]}")
        elif kind == LinkType.USES_VEHICLE:
            want(dst, src, f"vehicle used by {groups[src][0]}")
        elif kind == LinkType.RUNS_LINE:
            lines.setdefault(dst, src)
        elif kind == LinkType.CUCKOOS:
            want(dst, src, f"address cuckooed by {groups[src][0]}")
        elif kind == LinkType.OPERATES_FROM:
            want(dst, src, f"base of {groups[src][0]}")
    line_names: dict[int, str] = {
        line_id: name
        for line_id, name in session.execute(
            select(CountyLineRow.entity_id, CountyLineRow.name).where(
                CountyLineRow.entity_id.in_(sorted(lines))
            )
        )
    }

    def line_words(line_id: int) -> str:
        return f"the {str(line_names.get(line_id, '')).upper()} line of {groups[lines[line_id]][0]}"

    for line_id, gid in lines.items():
        want(line_id, gid, f"{line_words(line_id)[4:]}, a county line of the group you lead")
    for kind, src, dst, _ in _links(session, on, from_ids=lines, to_ids=lines):
        if kind == LinkType.RUNNER_FOR and dst in lines:
            want(src, lines[dst], f"runner for {line_words(dst)}")
        elif src not in lines:
            continue
        elif kind == LinkType.LINE_PHONE:
            want(dst, lines[src], f"deal line of {line_words(src)}")
        elif kind == LinkType.CUCKOOS:
            want(dst, lines[src], f"address cuckooed by {line_words(src)}")
        elif kind == LinkType.OPERATES_FROM:
            want(dst, lines[src], f"base of {line_words(src)}")
    for kind, src, dst, _ in _links(session, on, from_ids=members):
        if kind == LinkType.CUCKOOS and src in members:
            want(dst, members[src], f"address cuckooed by a member of {groups[members[src]][0]}")
    return {pair: (_reason(words), group_of[pair]) for pair, words in reasons.items()}


def _reason(words: list[str]) -> str:
    """The reasons joined, leaving out "runner of G" where "runner for the X line of G" says
    more."""
    specific = [w for w in words if w.startswith("runner for the ")]
    kept = [w for w in words if not (w.startswith("runner of ") and specific)]
    return "; ".join(kept)


def sync_ocg_watches(session: Session, *, now: datetime) -> SyncResult:
    """Bring the automatic watches in line with the groups, their links and their LROs."""
    wanted = desired_watches(session, on=now.date())
    entity_ids = sorted({eid for eid, _ in wanted})
    existing: dict[tuple[int, int], WatchRow] = {
        (w.entity_id, w.user_id): w
        for w in session.scalars(select(WatchRow).where(WatchRow.source == OCG_SOURCE))
    }
    for start in range(0, len(entity_ids), _CHUNK):
        for w in session.scalars(
            select(WatchRow).where(
                WatchRow.entity_id.in_(entity_ids[start : start + _CHUNK]),
                WatchRow.source != OCG_SOURCE,
            )
        ):
            existing[(w.entity_id, w.user_id)] = w
    started = changed = ended = 0
    for (entity_id, user_id), (reason, group_id) in wanted.items():
        row = existing.get((entity_id, user_id))
        if row is None:
            session.add(
                WatchRow(
                    entity_id=entity_id,
                    user_id=user_id,
                    reason=reason,
                    source=OCG_SOURCE,
                    group_id=group_id,
                    created_at=now,
                )
            )
            started += 1
        elif row.source != OCG_SOURCE and row.ended_at is None:
            continue  # watched by hand: the user's own watch stands
        elif (row.reason, row.group_id, row.ended_at, row.source) != (
            reason,
            group_id,
            None,
            OCG_SOURCE,
        ):
            if row.ended_at is not None:
                row.created_at = now
            row.reason, row.group_id, row.ended_at, row.source = reason, group_id, None, OCG_SOURCE
            changed += 1
    for pair, row in existing.items():
        if row.source == OCG_SOURCE and row.ended_at is None and pair not in wanted:
            row.ended_at = now
            ended += 1
    session.flush()
    return SyncResult(started, changed, ended)
