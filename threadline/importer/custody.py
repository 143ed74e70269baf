"""The custody kind: custody episodes from the prison service's export (docs/formats.md).

A row names the person by PNC id or by their record's source key (`person_id`, with
`person_owner` and `person_system` defaulting to the row's own), the establishment by
its agency code, and the episode's dates. Rows are checked like every other kind; the
person and the establishment are looked up per batch by `CustodyWriter`, and a missing
one is a located error, so the file is still written whole or not at all.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from threadline.importer import fields
from threadline.importer.permits import Permits, refused_update
from threadline.importer.problems import Problems
from threadline.importer.readers import Row
from threadline.importer.records import EntityRecord, Pending
from threadline.importer.sql import Sql
from threadline.importer.writer import Mode
from threadline.prison.types import CustodyDetails
from threadline.prison.validation import CATEGORIES, category, date_problems, prison_number
from threadline.reference import geography

if TYPE_CHECKING:
    from threadline.importer.validate import RowValidator

REQUIRED = ("establishment", "prison_number", "received_on")
OPTIONAL = (
    "pnc_id",
    "person_id",
    "person_owner",
    "person_system",
    "sentenced_on",
    "sentence_months",
    "category",
    "release_date",
    "parole_eligible_on",
    "licence_end",
    "released_on",
    "recalled_on",
)
_DATES = (
    "received_on",
    "sentenced_on",
    "release_date",
    "parole_eligible_on",
    "licence_end",
    "released_on",
    "recalled_on",
)
# The order of `EntityRecord.values` for a custody row.
COLUMNS = (
    "person",  # ("pnc", id) or ("key", owner_id, system, source_id)
    "establishment",
    "prison_number",
    "category",
    "sentence_months",
    *_DATES,
)
_EPISODE_COLUMNS = (
    "person_id",
    "establishment_id",
    "prison_number",
    "category",
    "sentence_months",
    *_DATES,
)


def unknown_org(code: str) -> str | None:
    """What to expect instead of `code` when it is one of the region's prisons not set up.

    `threadline init` loads the region's forces, not its prisons: a custody file (a
    prison's export, owned by the prison) needs its prison added first.
    """
    try:
        prison = geography.prison_by_code(code)
    except KeyError:
        return None
    county = geography.force_for_area(prison.area_code).code
    return (
        f"an organisation set up in Threadline: {prison.name} is one of the region's prisons "
        f"but is not set up yet; add it with `threadline orgs add {code} --name "
        f'"{prison.name}" --kind prison --county {county}`'
    )


def _date(v: RowValidator, line: int, row: Row, column: str) -> date | None:
    raw = v.text(line, row, column, limit=10)
    if not raw:
        return None
    parsed: date | None = v.parse(v.memo("date"), line, column, raw, fields.full_date)
    return parsed


def custody(v: RowValidator, line: int, row: Row) -> tuple[tuple[Any, ...], list[Any]] | None:
    """Check one custody row; its values are `COLUMNS`, persons still to look up."""
    establishment = v.text(line, row, "establishment", required=True, limit=64).lower()
    if establishment and establishment not in v.ref.agencies:
        expected = unknown_org(establishment) or "the agency code of a prison, e.g. hmp-norwich"
        v.bad(line, "establishment", establishment, expected)
    raw = v.text(line, row, "prison_number", required=True, limit=16)
    number = prison_number(raw) if raw else None
    if raw and number is None:
        v.bad(line, "prison_number", raw, "a prison number: letter, 4 digits, 2 letters (A1234BC)")
    raw = v.text(line, row, "category", limit=8)
    cat = category(raw)
    if cat is None:
        v.bad(line, "category", raw, f"one of {CATEGORIES}")
    raw = v.text(line, row, "sentence_months", limit=5)
    months: int | None = None
    if raw:
        months = int(raw) if raw.isdigit() else -1
    dates = {column: _date(v, line, row, column) for column in _DATES}
    person = _person(v, line, row)
    if dates["received_on"] is None or number is None or person is None or cat is None:
        return None
    details = CustodyDetails(
        person_id=0,
        prison_number=number,
        received_on=dates["received_on"],
        sentenced_on=dates["sentenced_on"],
        sentence_months=months,
        release_date=dates["release_date"],
        parole_eligible_on=dates["parole_eligible_on"],
        licence_end=dates["licence_end"],
        released_on=dates["released_on"],
        recalled_on=dates["recalled_on"],
    )
    for problem in date_problems(details):
        v.bad(line, problem.location, problem.received, problem.expected)
    values = (person, establishment, number, cat, months, *(dates[c] for c in _DATES))
    return values, []


def _person(v: RowValidator, line: int, row: Row) -> tuple[Any, ...] | None:
    pnc_raw = v.text(line, row, "pnc_id", limit=20)
    person_id = v.text(line, row, "person_id", limit=128)
    if pnc_raw and person_id:
        v.bad(line, "person_id", person_id, "either pnc_id or person_id, not both")
        return None
    if pnc_raw:
        pnc = v.parse(v.memo("pnc_id"), line, "pnc_id", pnc_raw, fields.pnc_id)
        return ("pnc", pnc) if pnc else None
    if not person_id:
        v.bad(line, "pnc_id", "", "a pnc_id, or a person_id naming the person's record")
        return None
    owner_code = (
        v.text(line, row, "person_owner", limit=64).lower()
        or v.text(line, row, "owner", limit=64).lower()
    )
    owner_id = v.ref.agencies.get(owner_code) if owner_code else v.ref.default_owner
    if owner_id is None:
        v.bad(line, "person_owner", owner_code, "the code of the organisation holding the person")
        return None
    system = v.text(line, row, "person_system", limit=64) or v.text(
        line, row, "source_system", limit=64
    )
    return ("key", owner_id, system, person_id)


class CustodyWriter:
    """Upserts custody episodes by source key, after finding each person and prison.

    With `permits`, a person the importer may not import is answered as missing (no
    episode is recorded against them, and their existence is not told), and an episode
    already held with such a marking is refused. `written` collects the persons' ids.
    """

    def __init__(
        self,
        sql: Sql,
        *,
        now: datetime,
        problems: Problems,
        pending: Pending | None = None,
        permits: Permits | None = None,
    ) -> None:
        self.sql = sql
        self.pending = pending or Pending()  # dry runs: persons earlier files would add
        self.permits = permits
        self.stamp = sql.stamp(now)
        self.problems = problems
        self.inserted = 0
        self.updated = 0
        self.written: list[int] = []
        self._prisons: dict[str, int] | None = None

    def next_transaction(self) -> None:
        """Forget the prisons: one may have been added since."""
        self._prisons = None

    def flush(self, records: list[EntityRecord], mode: Mode) -> None:
        if not records:
            return
        people = self._people(records)
        prisons = self._prison_ids()
        rows: list[tuple[EntityRecord, tuple[Any, ...]]] = []
        for record in records:
            values: Any = record.values
            person, establishment, *rest = values
            person_id = people.get(person)
            if person_id is None:
                column = "pnc_id" if person[0] == "pnc" else "person_id"
                wanted = person[1] if person[0] == "pnc" else person[3]
                self.problems.add(
                    record.line, column, str(wanted), "a person already in Threadline"
                )
            prison_id = prisons.get(establishment)
            if prison_id is None:
                self.problems.add(
                    record.line,
                    "establishment",
                    establishment,
                    "the code of an organisation of kind prison, e.g. hmp-norwich",
                )
            if person_id is not None and prison_id is not None:
                rows.append((record, (person_id, prison_id, *rest)))
        if mode is Mode.CHECK or len(rows) < len(records) or self.problems.count:
            return
        held = self._existing([r.key for r, _ in rows])
        refused = [r for r, _ in rows if r.key in held and self._refused(r, held[r.key][1])]
        if refused:
            return
        existing = {key: id_ for key, (id_, _marking) in held.items()}
        new = [(r, v) for r, v in rows if r.key not in existing]
        old = [(r, v) for r, v in rows if r.key in existing]
        self.inserted += len(new)
        self.updated += len(old)
        if mode is not Mode.WRITE:
            return
        self.written.extend(int(v[0]) for _, v in rows)
        columns = (*_EPISODE_COLUMNS, "owner_id", "source_system", "source_id", "marking")
        self.sql.insert(
            "custody_episode",
            (*columns, "created_at", "updated_at"),
            [(*self._days(v), *r.key, r.marking, self.stamp, self.stamp) for r, v in new],
        )
        sets = ", ".join(f"{c} = ?" for c in (*_EPISODE_COLUMNS, "marking", "updated_at"))
        self.sql.many(
            f"UPDATE custody_episode SET {sets} WHERE id = ?",
            [(*self._days(v), r.marking, self.stamp, existing[r.key]) for r, v in old],
        )

    def _days(self, values: tuple[Any, ...]) -> tuple[Any, ...]:
        head = values[: len(_EPISODE_COLUMNS) - len(_DATES)]
        return (*head, *(self.sql.day(d) for d in values[len(head) :]))

    def _prison_ids(self) -> dict[str, int]:
        if self._prisons is None:
            rows = self.sql.all("SELECT code, id FROM agency WHERE kind = ?", ("prison",))
            self._prisons = {str(code).lower(): int(id_) for code, id_ in rows}
        return self._prisons

    def _may_touch(self, owner_id: int, marking: str) -> bool:
        return self.permits is None or self.permits.allows(owner_id, marking)

    def _refused(self, record: EntityRecord, marking: str) -> bool:
        if self.permits is None:
            return False
        refusal = self.permits.refusal(record.key[0], marking)
        if refusal is not None:
            self.problems.add(record.line, "source_id", record.key[2], refused_update(refusal[1]))
        return refusal is not None

    def _people(self, records: list[EntityRecord]) -> dict[tuple[Any, ...], int]:
        found: dict[tuple[Any, ...], int] = {}
        wanted: set[Any] = {r.values[0] for r in records}
        pncs = sorted({p[1] for p in wanted if p[0] == "pnc"})
        for pnc in pncs:
            if pnc in self.pending.pncs:
                found[("pnc", pnc)] = -1  # a dry run: the person is in a file before this one
        if pncs:
            rows = self.sql.select_in(
                "SELECT person.pnc_id, person.entity_id, entity.owner_id, entity.marking "
                "FROM person JOIN entity ON entity.id = person.entity_id WHERE person.pnc_id",
                (),
                pncs,
            )
            found.update(
                (("pnc", pnc), int(id_))
                for pnc, id_, owner_id, marking in rows
                if self._may_touch(int(owner_id), marking)
            )
        groups: dict[tuple[int, str], list[str]] = defaultdict(list)
        for p in wanted:
            if p[0] == "key" and (p[1], p[2], "person", p[3]) in self.pending.keys:
                found[p] = -1  # a dry run: the person is in a file before this one
            elif p[0] == "key":
                groups[p[1], p[2]].append(p[3])
        for (owner_id, system), ids in groups.items():
            rows = self.sql.select_in(
                "SELECT source_id, id, marking FROM entity WHERE owner_id = ? "
                "AND source_system = ? AND kind = ? AND source_id",
                (owner_id, system, "person"),
                ids,
            )
            found.update(
                (("key", owner_id, system, sid), int(id_))
                for sid, id_, marking in rows
                if self._may_touch(owner_id, marking)
            )
        return found

    def _existing(
        self, keys: list[tuple[int, str, str]]
    ) -> dict[tuple[int, str, str], tuple[int, str]]:
        found: dict[tuple[int, str, str], tuple[int, str]] = {}
        groups: dict[tuple[int, str], list[str]] = defaultdict(list)
        for owner_id, system, source_id in keys:
            groups[owner_id, system].append(source_id)
        for (owner_id, system), ids in groups.items():
            rows = self.sql.select_in(
                "SELECT source_id, id, marking FROM custody_episode WHERE owner_id = ? "
                "AND source_system = ? AND source_id",
                (owner_id, system),
                ids,
            )
            found.update(((owner_id, system, sid), (int(id_), m)) for sid, id_, m in rows)
        return found
