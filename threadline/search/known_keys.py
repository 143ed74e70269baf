"""The phonetic keys that occur in the name index, so typo variants probe only real keys.

A name's one-edit variants have 100-250 Metaphone keys, and probing each costs an index
seek; most of them belong to no stored name at all. Keeping the set of keys that occur
(a few thousand family keys and a few hundred given-name keys in a region of a million
people) lets the search skip those seeks.

The sets are kept per database in this process and brought up to date before each use:
names are only ever appended with rising ids, so one seek for the newest id tells whether
anything was added, and only the names added since are read. Disposal deletes names;
their keys then stay in the set, which costs a wasted seek, never a missed match. A
database that was replaced (its newest name no longer matching what was seen) is read
again from scratch.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from sqlalchemy import Engine, bindparam, func, select
from sqlalchemy.orm import Session

from threadline.storage.db import read_rows
from threadline.storage.tables import PersonNameRow


@dataclass(slots=True)
class KnownKeys:
    """Family and given-name keys of the names up to `last_id` (whose full name is `last`)."""

    family: set[str] = field(default_factory=set)
    given: set[str] = field(default_factory=set)
    last_id: int = 0
    last: str | None = None


# Built once (the newest name is read on every name search): the newest name; the keys
# of the names after id `after` up to `upto`; the full name of the name with id `id`.
_NEWEST = select(PersonNameRow.id, PersonNameRow.full_norm).where(
    PersonNameRow.id == select(func.max(PersonNameRow.id)).scalar_subquery()
)
_KEYS_ADDED = (
    select(PersonNameRow.family_key, PersonNameRow.given_key)
    .where(PersonNameRow.id > bindparam("after"), PersonNameRow.id <= bindparam("upto"))
    .distinct()
)
_NAME_OF = select(PersonNameRow.full_norm).where(PersonNameRow.id == bindparam("id"))

_CACHE: dict[str, KnownKeys] = {}
_LOCK = threading.Lock()


def known_keys(session: Session) -> KnownKeys | None:
    """The keys of every name now stored in the session's database (see module notes).

    None on PostgreSQL, where ids are taken before commit and so may become visible out
    of order: a name committed late below the newest id seen would be missed. There every
    variant key is probed.
    """
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return None
    engine = bind if isinstance(bind, Engine) else bind.engine
    database = engine.url.render_as_string(hide_password=True)
    rows = read_rows(session, _NEWEST)  # plain rows, as the probes read them
    newest_id, newest_name = (rows[0][0], rows[0][1]) if rows else (0, None)
    with _LOCK:
        known = _CACHE.get(database)
        if known is not None and known.last_id == newest_id and known.last == newest_name:
            return known
        if known is None or not _still_same(session, known, newest_id):
            known = KnownKeys()
        family, given = set(known.family), set(known.given)
        for family_key, given_key in session.execute(
            _KEYS_ADDED, {"after": known.last_id, "upto": newest_id}
        ):
            family.add(family_key)
            given.add(given_key)
        fresh = KnownKeys(family, given, newest_id, newest_name)
        _CACHE[database] = fresh
        return fresh


def _still_same(session: Session, known: KnownKeys, newest_id: int) -> bool:
    """Whether the names seen before are still there (else the database was replaced)."""
    if newest_id < known.last_id:
        return False
    seen = session.scalar(_NAME_OF, {"id": known.last_id})
    # A deleted name (disposal) reads as None: keep what is known, it only over-covers.
    return seen is None or seen == known.last
