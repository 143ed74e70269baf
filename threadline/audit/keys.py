"""The audit chain's key: which HMAC key signs events and checkpoints for a database.

The key is kept outside the database (settings: `THREADLINE_AUDIT_KEY`), so that someone
who can write to the database but does not hold the key cannot add an event, or rewrite
one and recompute its hash, without `threadline audit verify` noticing.

`create_app()` and the CLI register the key of their settings on their engine with
`use_chain_key`; an engine with no key registered uses the key the environment
configures (`Settings().chain_key()`), which is the same one unless settings were built
by hand.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from threadline.settings import load_settings

_REGISTERED: WeakKeyDictionary[Engine, bytes] = WeakKeyDictionary()
_FROM_ENVIRONMENT: dict[tuple[str | None, ...], bytes] = {}
_ENV_NAMES = ("THREADLINE_AUDIT_KEY", "THREADLINE_SECRET_KEY", "THREADLINE_DEMO_MODE")

EVENT_LABEL = "threadline-audit-event-v1"
PENDING_EVENT_LABEL = "threadline-audit-pending-event-v1"  # written, not yet sealed
CHECKPOINT_LABEL = "threadline-audit-checkpoint-v1"


def use_chain_key(engine: Engine, key: str) -> None:
    """Sign and verify the audit chain of `engine`'s database with `key`."""
    _REGISTERED[engine] = key.encode("utf-8")


def chain_key(bind: Engine | Connection | Session) -> bytes:
    """The key for the database behind `bind` (registered, else from the environment)."""
    if isinstance(bind, Session):
        found = bind.get_bind()
        bind = found if isinstance(found, Engine | Connection) else found.engine
    engine = bind.engine if isinstance(bind, Connection) else bind
    registered = _REGISTERED.get(engine)
    if registered is not None:
        return registered
    env = tuple(_env(name) for name in _ENV_NAMES)
    key = _FROM_ENVIRONMENT.get(env)
    if key is None:
        key = load_settings().chain_key().encode("utf-8")
        _FROM_ENVIRONMENT[env] = key
    return key


def _env(name: str) -> str | None:
    return os.environ.get(name, os.environ.get(name.lower()))


def sign(key: bytes, label: str, *parts: object) -> str:
    """HMAC-SHA256 over a label and parts joined by `|`, as 64 hex digits."""
    message = "|".join([label, *(str(part) for part in parts)]).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def signature_matches(expected: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(expected, given)
