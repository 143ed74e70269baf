"""Candidate generation for name search: every probe is an index seek, never a scan.

Probes, cheapest first:
- `exact`: folded family name and a given-name prefix (ix_person_name_norm);
- `keys`: phonetic keys of family and first given name (ix_person_name_keys), used with
  nickname equivalents and, when that finds too little, with the keys of one-edit variants;
- `born_on`: everyone born on a given day (ix_person_dob), whatever their name;
- `trigram`: the trigram index of full names (SQLite FTS5, PostgreSQL pg_trgm), kept
  for last because trigrams of common names are shared by very many rows.
Each probe returns at most `cap` rows, so a very common name costs a bounded amount; and
fetching rows is most of the cost at scale, so the person row (for the date of birth) is
joined only when the query has a date of birth or age range to score against.
SQLite and PostgreSQL return the same candidates (tests/search/test_backend_parity.py):
capped probes take rows in index order, and both trigram indexes answer substrings.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Literal, TypeAlias

from sqlalchemy import CompoundSelect, Select, bindparam, literal, select, text, union_all
from sqlalchemy.orm import InstrumentedAttribute, Session

from threadline.model.values import PartialDate
from threadline.search.keys import name_keys
from threadline.search.scoring import StoredName
from threadline.storage.db import placeholder, read_rows
from threadline.storage.tables import PersonNameRow, PersonRow

_NameSelect: TypeAlias = "Select[*tuple[Any, ...]]"

PROBE_CAP = 300  # most rows one probe may return
TRIGRAM_CAP = 200  # most names one trigram query may return
MAX_UNION = 200  # most index seeks joined in one UNION ALL statement (SQLite)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One stored name of one person, with what scoring needs.

    `name_id` is the person_name id, or minus the person id for a primary name read from
    the person row itself (by `born_on`).
    """

    name_id: int
    person_id: int
    kind: str
    family_name: str
    given_names: str
    stored: StoredName
    dob: PartialDate | None

    @property
    def display(self) -> str:
        return " ".join(part for part in (self.given_names, self.family_name) if part)


_NAME_COLUMNS = (
    PersonNameRow.id,
    PersonNameRow.person_id,
    PersonNameRow.kind,
    PersonNameRow.family_name,
    PersonNameRow.given_names,
    PersonNameRow.family_norm,
    PersonNameRow.given_norm,
    PersonNameRow.family_key,
    PersonNameRow.given_key,
)
_DOB_COLUMNS = (PersonRow.dob_year, PersonRow.dob_month, PersonRow.dob_day)


@dataclass
class Prober:
    """Runs probes in one session; `dated` joins each name to its person's date of birth."""

    session: Session
    dated: bool
    cap: int = PROBE_CAP

    def exact(
        self, *, family: str, given_prefix: str = "", years: tuple[int, int] | None = None
    ) -> list[Candidate]:
        """Names whose folded family name is `family` and given names start `given_prefix`.

        A family name of several words is also tried run together ("o brien" as "obrien",
        the fold of O'Brien). `years` keeps people born in that range (needs `dated`).
        """
        within = years is not None and self.dated
        params: dict[str, object] = {"families": sorted({family, family.replace(" ", "")})}
        if given_prefix:
            params |= {"prefix": given_prefix, "after": _after_prefix(given_prefix)}
        if within and years is not None:
            params |= {"first": years[0], "last": years[1]}
        return self._run(_exact_select(self.dated, bool(given_prefix), within), params)

    def keys(
        self, *, family_keys: Collection[str], given_keys: Collection[str] | None
    ) -> list[Candidate]:
        """Names with one of `family_keys` and (unless None) one of `given_keys`."""
        if not family_keys or (given_keys is not None and not given_keys):
            return []
        params: dict[str, object] = {"family_keys": sorted(family_keys)}
        if given_keys is not None:
            params["given_keys"] = sorted(given_keys)
        return self._run(_keys_select(self.dated, given_keys is not None), params)

    def each_key(
        self,
        *,
        family_keys: Collection[str],
        given_keys: Collection[str],
        vary: Literal["family", "given"],
        per_key: int,
    ) -> list[Candidate]:
        """Like `keys`, but at most `per_key` rows for each key of the `vary` side.

        Used for one-edit variants, whose dozens of keys include some shared by very many
        names (L is Lee, Leo and Lia): a cap per key keeps the rare key of the name that
        was meant from being crowded out by the common ones. One statement of small index
        seeks: a UNION ALL on SQLite, a lateral join over the keys on PostgreSQL.
        """
        varied = sorted(family_keys if vary == "family" else given_keys)
        fixed = sorted(given_keys if vary == "family" else family_keys)
        if not varied or not fixed:
            return []
        one, many = ("family_key", "given_key") if vary == "family" else ("given_key", "family_key")
        columns = ", ".join(f"pn.{c.key}" for c in _NAME_COLUMNS)
        source = "person_name pn"
        if self.dated:
            columns += ", p.dob_year, p.dob_month, p.dob_day"
            source += " JOIN person p ON p.entity_id = pn.person_id"
        connection = self.session.connection()
        if connection.dialect.name == "postgresql":
            # PostgreSQL plans each member of a long UNION ALL (hundreds of keys: far more
            # than the seeks cost), and knows no key set to skip the absent keys (see
            # `known_keys`); one lateral join over the array of keys is the same seeks,
            # planned once.
            sql = (
                f"SELECT m.* FROM unnest(%s::text[]) AS v(key) CROSS JOIN LATERAL "
                f"(SELECT {columns} FROM {source} WHERE pn.{one} = v.key "
                f"AND pn.{many} = ANY(%s) LIMIT %s) AS m"
            )
            rows = connection.exec_driver_sql(sql, (varied, fixed, per_key))
            return self._candidates(rows.all())
        marker = placeholder(connection.dialect)
        found: list[Candidate] = []
        # SQLite allows at most 500 terms in one compound SELECT; long names have more keys.
        for start in range(0, len(varied), MAX_UNION):
            params = _Params(marker)
            members = []
            for i, key in enumerate(varied[start : start + MAX_UNION]):
                where = f"pn.{one} = {params.add(key)} AND pn.{many} IN ({params.add_all(fixed)})"
                members.append(
                    f"SELECT * FROM (SELECT {columns} FROM {source} WHERE {where} "
                    f"LIMIT {params.add(per_key)}) AS m{i}"
                )
            # Straight to the driver: compiling hundreds of bound parameters through
            # SQLAlchemy's text() costs more than running the query.
            sql = " UNION ALL ".join(members)
            rows = connection.exec_driver_sql(sql, tuple(params.values))
            found.extend(self._candidates(rows.all()))
        return found

    def born_on(self, dates: Iterable[PartialDate]) -> list[Candidate]:
        """The recorded name of everyone born on one of `dates` (full dates only).

        Reads the person row only (its primary name), which halves the rows fetched:
        aliases are for the name probes to find.
        """
        # Each date in turn, its people in id order (the order of ix_person_dob), the first
        # `cap` in all: where more were born on those days than the cap, both databases
        # keep the same people, those born on the first date (the one given) first.
        # (`OR` of the dates let PostgreSQL keep any `cap` of them, in the order found on
        # disk, and at 1,000,000 people it missed the person checked.)
        full = [d for d in dates if d.day is not None]
        if not full:
            return []
        params: dict[str, object] = {"cap": self.cap}
        for order, d in enumerate(full):
            params |= {f"year{order}": d.year, f"month{order}": d.month, f"day{order}": d.day}
        rows = read_rows(self.session, _born_on_select(len(full)), params)
        found = []
        for person_id, family, given, year, month, day, _ in rows:
            keys = name_keys(family, given)
            stored = StoredName(keys.family_norm, keys.given_norm, keys.family_key, keys.given_key)
            dob = _dob(year, month, day)
            found.append(Candidate(-person_id, person_id, "primary", family, given, stored, dob))
        return found

    def trigram(
        self, words: tuple[str, ...], *, loose: bool, skip: Collection[int]
    ) -> list[Candidate]:
        """Names sharing trigrams with the query words, but those with ids in `skip`.

        Strict: every word (of 3+ letters) appears whole in the name, which finds a family
        name inside a double-barrelled one or a nickname inside a longer street name. Loose:
        each word shares one chunk (a half or a third) with the name, so one typo per word
        is survived even where it changes the sound. The same on SQLite (FTS5) and
        PostgreSQL (pg_trgm), name for name: the first `TRIGRAM_CAP` names matching, in
        id order, then of those not in `skip` the first `cap`, in id order. One statement:
        the names are read with the ids that the trigram index answers.
        """
        usable = [w for w in words if len(w) >= 3]
        if not usable:
            return []
        connection = self.session.connection()
        if connection.dialect.name == "sqlite":
            matching, params = _fts_ids(usable, loose=loose)
        else:
            matching, params = _pg_trgm_ids(usable, loose=loose)
        columns = ", ".join(f"pn.{c.key}" for c in _NAME_COLUMNS)
        source = "person_name pn"
        if self.dated:
            columns += ", p.dob_year, p.dob_month, p.dob_day"
            source += " JOIN person p ON p.entity_id = pn.person_id"
        sql = f"SELECT {columns} FROM {source} WHERE pn.id IN ({matching}) ORDER BY pn.id"
        rows = connection.execute(text(sql), params).all()
        return self._candidates([row for row in rows if row[0] not in skip][: self.cap])

    def _run(self, stmt: _NameSelect, params: dict[str, object]) -> list[Candidate]:
        """At most `cap` rows of `stmt` (one of the probes built by `_ordered`) with
        `params`, as plain rows (`storage.db.read_rows`), not objects."""
        rows = read_rows(self.session, stmt, {**params, "cap": self.cap})
        return self._candidates(rows)

    def _candidates(self, rows: Sequence[Any]) -> list[Candidate]:
        return [
            Candidate(
                name_id=row[0],
                person_id=row[1],
                kind=row[2],
                family_name=row[3],
                given_names=row[4],
                stored=StoredName(row[5], row[6], row[7], row[8]),
                dob=_dob(row[9], row[10], row[11]) if self.dated else None,
            )
            for row in rows
        ]


# The probes' statements, built once for each shape a probe can take (building one
# cost more than running it); the values sought are bound by name, lists as expanding
# parameters, so each shape compiles once.


def _names(dated: bool) -> _NameSelect:
    if not dated:
        return select(*_NAME_COLUMNS)
    return select(*_NAME_COLUMNS, *_DOB_COLUMNS).join(
        PersonRow, PersonRow.entity_id == PersonNameRow.person_id
    )


def _ordered(stmt: _NameSelect, *order: InstrumentedAttribute[str]) -> _NameSelect:
    """At most `cap` rows of `stmt`, the first in the order of the index it seeks.

    Ordered, so that where more than `cap` names match (a common family name alone) both
    databases return the same ones: SQLite's index order, which PostgreSQL's B-tree walks
    as well, ties broken by id.
    """
    return stmt.order_by(*order, PersonNameRow.id).limit(bindparam("cap"))


@cache
def _exact_select(dated: bool, prefixed: bool, within_years: bool) -> _NameSelect:
    """Names of a family name in `families`; given names from `prefix` up to `after`;
    born from year `first` to `last`."""
    stmt = _names(dated).where(PersonNameRow.family_norm.in_(bindparam("families", expanding=True)))
    if prefixed:
        stmt = stmt.where(
            PersonNameRow.given_norm >= bindparam("prefix"),
            PersonNameRow.given_norm < bindparam("after"),
        )
    if within_years:
        stmt = stmt.where(PersonRow.dob_year.between(bindparam("first"), bindparam("last")))
    return _ordered(stmt, PersonNameRow.family_norm, PersonNameRow.given_norm)


@cache
def _keys_select(dated: bool, with_given: bool) -> _NameSelect:
    """Names with one of `family_keys` and (`with_given`) one of `given_keys`."""
    stmt = _names(dated).where(
        PersonNameRow.family_key.in_(bindparam("family_keys", expanding=True))
    )
    if with_given:
        stmt = stmt.where(PersonNameRow.given_key.in_(bindparam("given_keys", expanding=True)))
    return _ordered(stmt, PersonNameRow.family_key, PersonNameRow.given_key)


@cache
def _born_on_select(count: int) -> CompoundSelect[*tuple[Any, ...]]:
    """The first `cap` people born on `count` dates (`year0`, `month0`, `day0`, ...), each
    date's people in id order, in the order of the dates."""
    wanted = [
        select(
            PersonRow.entity_id,
            PersonRow.family_name,
            PersonRow.given_names,
            *_DOB_COLUMNS,
            literal(order).label("date_order"),
        )
        .where(
            PersonRow.dob_year == bindparam(f"year{order}"),
            PersonRow.dob_month == bindparam(f"month{order}"),
            PersonRow.dob_day == bindparam(f"day{order}"),
        )
        .order_by(PersonRow.entity_id)
        .limit(bindparam("cap"))
        .subquery(f"m{order}")
        for order in range(count)
    ]
    each = union_all(*(select(*date.c) for date in wanted))
    return each.order_by(text("date_order"), text("entity_id")).limit(bindparam("cap"))


class _Params:
    """Bound parameters written in the driver's own style (SQLite `?`, psycopg `%s`)."""

    def __init__(self, marker: str) -> None:
        self.marker = marker
        self.values: list[object] = []

    def add(self, value: object) -> str:
        self.values.append(value)
        return self.marker

    def add_all(self, values: Iterable[object]) -> str:
        return ", ".join(self.add(v) for v in values)


@lru_cache(maxsize=32768)
def _dob(year: int | None, month: int | None, day: int | None) -> PartialDate | None:
    # Dates of birth repeat across candidates; PartialDate is immutable, so share them.
    return PartialDate.from_parts(year, month, day)


def _fts_ids(words: list[str], *, loose: bool) -> tuple[str, dict[str, object]]:
    """SQLite: the ids of the first `TRIGRAM_CAP` names matching (FTS5 answers a MATCH in
    rowid order), as SQL and its parameters."""
    if loose:
        groups = ["(" + " OR ".join(f'"{c}"' for c in chunks(w)) + ")" for w in words]
        expression = " AND ".join(groups)
    else:
        expression = " AND ".join(f'"{w}"' for w in words)
    sql = "SELECT rowid FROM person_name_fts WHERE person_name_fts MATCH :q LIMIT :n"
    return sql, {"q": expression, "n": TRIGRAM_CAP}


def _pg_trgm_ids(words: list[str], *, loose: bool) -> tuple[str, dict[str, object]]:
    """PostgreSQL: the same ids as `_fts_ids`, as SQL and its parameters."""
    # pg_trgm's GIN index answers LIKE '%...%' from its trigrams, as FTS5's trigram index
    # answers MATCH, so both databases find exactly the same names. (A pg_trgm similarity
    # query, `%` ranked by similarity, found names SQLite cannot, so the two disagreed on
    # about one check in twenty, and cost more than the rest of the search.)
    groups = [[w] for w in words] if not loose else [chunks(w) for w in words]
    params: dict[str, object] = {"n": TRIGRAM_CAP}
    clauses = []
    for i, group in enumerate(groups):
        alternatives = []
        for j, piece in enumerate(group):
            params[f"w{i}_{j}"] = f"%{piece}%"
            alternatives.append(f"full_norm LIKE :w{i}_{j}")
        clauses.append("(" + " OR ".join(alternatives) + ")")
    # In id order, as FTS5 answers a MATCH (in rowid order): where more names match than
    # the cap (a common family name at scale), both databases keep the same ones. Without
    # it PostgreSQL keeps the first it meets on disk, and at 1,000,000 people a check on
    # "Brown" with a date of birth ranked different people fourth and fifth.
    sql = f"SELECT id FROM person_name WHERE {' AND '.join(clauses)} ORDER BY id LIMIT :n"
    return sql, params


def chunks(word: str) -> list[str]:
    """Pieces of a word, each of 3+ letters, such that one typo leaves one piece whole."""
    n = len(word)
    if n < 3:
        return []
    if n <= 5:
        return sorted({word[:3], word[-3:]})
    if n <= 8:
        half = n // 2
        return [word[:half], word[half:]]
    third = n // 3
    return [word[:third], word[third : 2 * third], word[2 * third :]]


def _after_prefix(prefix: str) -> str:
    """The smallest string greater than every string starting with `prefix`."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
