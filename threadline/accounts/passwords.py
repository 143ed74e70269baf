"""Password hashing (argon2id) and the password policy.

Only argon2 hashes are ever stored. The hasher is module-level so that tests can make it
cheap with `configure(time_cost=1, memory_cost=8, parallelism=1)`; production keeps
argon2-cffi's defaults (RFC 9106 "low memory" profile: t=3, m=64 MiB, p=4). When the
parameters change, hashes made with the old ones are upgraded at the next sign-in
(`needs_rehash`).
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from threadline.errors import FieldError

MIN_LENGTH = 12
MAX_LENGTH = 256  # argon2 copes with more; the cap stops a megabyte "password" tying up a worker
MIN_DISTINCT_CHARACTERS = 5

# A small built-in list of passwords that are long enough but guessed first by attackers.
# Compared case-insensitively. Not a substitute for a breached-password service.
COMMON_PASSWORDS: frozenset[str] = frozenset(
    {
        "123456789012",
        "1234567890123",
        "12345678901234",
        "123456789abc",
        "1q2w3e4r5t6y",
        "1qaz2wsx3edc",
        "abc123456789",
        "abcdefghijkl",
        "administrator",
        "changeme1234",
        "iloveyou1234",
        "letmein12345",
        "letmeinplease",
        "password1234",
        "password12345",
        "password123456",
        "password2024",
        "password2025",
        "password2026",
        "passwordpassword",
        "p@ssw0rd1234",
        "qwerty123456",
        "qwertyuiop12",
        "qwertyuiopas",
        "trustno1trustno1",
        "welcome12345",
        "welcome123456",
        "policepolice",
        "police123456",
        "constabulary",
        "threadline123",
        "threadline1234",
    }
)

_hasher = PasswordHasher()
_dummy_hash: str | None = None


def configure(
    *, time_cost: int = 3, memory_cost: int = 65536, parallelism: int = 4
) -> PasswordHasher:
    """Replace the module's hasher (tests use cheap parameters); returns the new hasher.

    Called with no arguments it restores the production defaults.
    """
    global _hasher, _dummy_hash
    _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
    _dummy_hash = None
    return _hasher


def hash_password(password: str) -> str:
    """The argon2id hash of `password` (salted; two calls give different hashes)."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True if `password` matches `password_hash`; never raises for a bad or odd hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True if the hash was made with other parameters than the current hasher's."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def burn_verification(password: str) -> None:
    """Spend as long as a real verification does, for sign-ins with an unknown username.

    Without this, "no such user" answers faster than "wrong password", and the difference
    tells an attacker which usernames exist.
    """
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("threadline-no-such-user-dummy-password")
    verify_password(_dummy_hash, password)


def password_problems(
    password: str, *, username: str, location: str = "password"
) -> list[FieldError]:
    """Every way `password` breaks the policy (empty when it is acceptable).

    Policy: at least 12 characters (at most 256), not the username or its part before
    the `@`, at least 5 different characters, and not on the built-in common list. The
    received value is never echoed back in the error: it is a password.
    """
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(f"at least {MIN_LENGTH} characters (got {len(password)})")
    if len(password) > MAX_LENGTH:
        problems.append(f"at most {MAX_LENGTH} characters (got {len(password)})")
    folded = password.strip().lower()
    name = username.strip().lower()
    if folded and folded in {name, name.split("@", 1)[0]}:
        problems.append("something other than the username")
    if len(set(password)) < MIN_DISTINCT_CHARACTERS:
        problems.append(f"at least {MIN_DISTINCT_CHARACTERS} different characters")
    if folded in COMMON_PASSWORDS:
        problems.append("a password that is not on the list of commonly used passwords")
    if not problems:
        return []
    expected = "; ".join(problems) + " (a passphrase of three or four words works well)"
    return [FieldError(location, "(hidden)", expected)]
