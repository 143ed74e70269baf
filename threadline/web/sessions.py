"""Signed session cookies: who is signed in, since when, and the form (CSRF) token.

The cookie holds a small JSON payload (user id or none, issued and last-seen times as
Unix seconds, the session's CSRF token, and for a signed-in user the key of their
session in the database), base64url-encoded, then a dot, then an HMAC-SHA256 of the
payload under the secret key. It is signed, not encrypted; the signature stops anyone
changing it, and the database row (`threadline.accounts.sessions`) lets Threadline end
the session at once: at sign-out (a copied cookie stops working too), and when an
administrator resets the password, disables the account or changes roles or clearance.

Lifetimes (constants, not settings, so every deployment behaves the same):
- `IDLE_TIMEOUT`, 30 minutes: a session not used for this long is signed out. Each
  request through the pages refreshes the last-seen time (a sliding window).
- `MAX_LIFETIME`, 12 hours: a shift; after this the user signs in again however active.

A visitor who is not signed in still gets a session (user `None`) so that the sign-in
form carries a CSRF token too. Signing in always starts a new session with a new token,
so a token planted before sign-in is useless after it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, replace

COOKIE_NAME = "threadline_session"
IDLE_TIMEOUT = 30 * 60  # seconds without a request before the session ends
MAX_LIFETIME = 12 * 60 * 60  # seconds from sign-in before the session ends regardless
_CONTEXT = b"threadline.session.v1:"  # domain-separates these signatures from any others


@dataclass(frozen=True, slots=True)
class WebSession:
    """The contents of one session cookie."""

    user_id: int | None  # None until the visitor signs in
    issued: int  # Unix seconds when the session began
    seen: int  # Unix seconds of the last request
    csrf: str  # the synchroniser token every POST form must echo back
    key: str | None = None  # the signed-in session's key (its row in `user_session`)

    @classmethod
    def start(
        cls, user_id: int | None = None, *, key: str | None = None, now: int | None = None
    ) -> WebSession:
        at = int(time.time()) if now is None else now
        return cls(user_id=user_id, issued=at, seen=at, csrf=secrets.token_urlsafe(32), key=key)

    def touched(self, now: int | None = None) -> WebSession:
        return replace(self, seen=int(time.time()) if now is None else now)

    def expired(self, now: int | None = None) -> bool:
        at = int(time.time()) if now is None else now
        return at - self.seen > IDLE_TIMEOUT or at - self.issued > MAX_LIFETIME


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(key: str, payload: str) -> str:
    mac = hmac.new(key.encode("utf-8"), _CONTEXT + payload.encode("ascii"), hashlib.sha256)
    return _b64(mac.digest())


def encode(session: WebSession, key: str) -> str:
    """The cookie value for `session`, signed with `key`."""
    body = {
        "u": session.user_id,
        "i": session.issued,
        "s": session.seen,
        "c": session.csrf,
        "k": session.key,
    }
    payload = _b64(json.dumps(body, separators=(",", ":")).encode("utf-8"))
    return f"{payload}.{_signature(key, payload)}"


def decode(value: str, key: str) -> WebSession | None:
    """The session in a cookie value, or None if it is malformed or not signed by `key`.

    Does not check expiry (see `WebSession.expired`): the caller tells the user why.
    """
    payload, _, signature = value.partition(".")
    if not payload or not signature:
        return None
    try:
        if not hmac.compare_digest(signature, _signature(key, payload)):
            return None
        body = json.loads(_unb64(payload))
    except (ValueError, binascii.Error, UnicodeError):
        return None
    if not isinstance(body, dict):
        return None
    user, issued, seen, csrf = body.get("u"), body.get("i"), body.get("s"), body.get("c")
    session_key = body.get("k")
    if user is not None and not isinstance(user, int):
        return None
    if session_key is not None and not isinstance(session_key, str):
        return None
    if not isinstance(issued, int) or not isinstance(seen, int) or not isinstance(csrf, str):
        return None
    return WebSession(user_id=user, issued=issued, seen=seen, csrf=csrf, key=session_key)
