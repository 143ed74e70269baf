"""Checks on what administrators type: codes, usernames, roles, clearances, units.

Each `*_problems` function returns `FieldError`s rather than raising, so a service can
report every problem with a request at once and write nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from threadline.errors import FieldError
from threadline.model.enums import AgencyKind, Marking
from threadline.model.security import ROLE_WORDS, Role

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$")
SLUG_EXPECTED = (
    "2 to 64 lowercase letters, digits and hyphens, not starting or ending with a hyphen "
    "(e.g. norfolk-cads)"
)

_LOCAL = r"[a-z0-9](?:[a-z0-9._+-]{0,62}[a-z0-9])?"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
USERNAME = re.compile(rf"^{_LOCAL}@{_LABEL}(?:\.{_LABEL})*$")
EMAIL = re.compile(rf"^{_LOCAL}@{_LABEL}(?:\.{_LABEL})+$")
USERNAME_MAX = 120

# Clearances Threadline issues. TOP SECRET material is not held in Threadline at all.
ISSUED_CLEARANCES: tuple[Marking, ...] = (
    Marking.OFFICIAL,
    Marking.OFFICIAL_SENSITIVE,
    Marking.SECRET,
)

_MARKING_BY_WORDS: dict[str, Marking] = {m.value.replace("-", " "): m for m in Marking}
_ROLE_BY_WORD: dict[str, Role] = {word: role for role, word in ROLE_WORDS.items()}


def role_list(roles: Iterable[Role]) -> str:
    """Roles in their canonical order, comma-separated (as stored in `user_account.roles`)."""
    chosen = set(roles)
    return ",".join(role.value for role in Role if role in chosen)


def code_problems(code: str, *, location: str = "code") -> list[FieldError]:
    if SLUG.match(code):
        return []
    hint = SLUG_EXPECTED
    suggestion = re.sub(r"[^a-z0-9]+", "-", code.strip().lower()).strip("-")
    if suggestion != code and SLUG.match(suggestion):
        hint += f"; did you mean {suggestion!r}?"
    return [FieldError(location, code, hint)]


def parse_kind(raw: str | AgencyKind, *, location: str = "kind") -> AgencyKind | FieldError:
    """An `AgencyKind` from its value; hyphens and capitals are forgiven."""
    if isinstance(raw, AgencyKind):
        return raw
    folded = raw.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return AgencyKind(folded)
    except ValueError:
        kinds = ", ".join(kind.value for kind in AgencyKind)
        return FieldError(location, raw, f"one of {kinds}")


def normalise_username(raw: str) -> str:
    """Usernames are case-insensitive: stored and compared lower-case, without spaces."""
    return raw.strip().lower()


def username_problems(
    username: str, *, agency_code: str, location: str = "username"
) -> list[FieldError]:
    """`<word>@<org-code>` (the org must be the user's own) or an email-like address."""
    if len(username) > USERNAME_MAX or not USERNAME.match(username):
        return [
            FieldError(
                location,
                username,
                f"<name>@{agency_code} (e.g. jsmith@{agency_code}) or an email address, "
                f"lowercase, at most {USERNAME_MAX} characters",
            )
        ]
    domain = username.split("@", 1)[1]
    if "." not in domain and domain != agency_code:
        return [
            FieldError(
                location,
                username,
                f"a name ending @{agency_code}, the user's own organisation (or an email address)",
            )
        ]
    return []


PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{6,22}$")


def normalise_phone(phone: str) -> str:
    """A phone number as typed, its spaces tidied ("07700  900123 " -> "07700 900123")."""
    return " ".join(phone.split())


def phone_problems(phone: str, *, location: str = "phone") -> list[FieldError]:
    """A phone number of 10 to 15 digits, with spaces, brackets or dashes if wished."""
    digits = sum(ch.isdigit() for ch in phone)
    if PHONE.match(phone) and 10 <= digits <= 15:
        return []
    return [FieldError(location, phone, "a phone number such as 01632 960123 or 07700 900123")]


def email_problems(email: str, *, location: str = "email") -> list[FieldError]:
    if len(email) <= 200 and EMAIL.match(email):
        return []
    return [FieldError(location, email, "an email address such as j.smith@example.gov.uk")]


def text_problems(value: str, *, location: str, max_length: int, what: str) -> list[FieldError]:
    if not value.strip():
        return [FieldError(location, value, f"{what} (it cannot be empty)")]
    if len(value) > max_length:
        expected = f"{what} of at most {max_length} characters"
        return [FieldError(location, value[:40] + "...", expected)]
    return []


def parse_roles(
    raw: Iterable[str | Role], *, location: str = "roles"
) -> tuple[frozenset[Role], list[FieldError]]:
    """Roles from their values (`frontline`) or demo words (`officer`); at least one."""
    roles: set[Role] = set()
    errors: list[FieldError] = []
    for item in raw:
        if isinstance(item, Role):
            roles.add(item)
            continue
        key = item.strip().lower().replace("-", "_")
        role = _ROLE_BY_WORD.get(key)
        if role is None:
            try:
                role = Role(key)
            except ValueError:
                names = ", ".join(r.value for r in Role)
                errors.append(FieldError(location, item, f"one of {names}"))
                continue
        roles.add(role)
    if not roles and not errors:
        errors.append(FieldError(location, "", "at least one role"))
    return frozenset(roles), errors


def parse_clearance(raw: str | Marking, *, location: str = "clearance") -> Marking | FieldError:
    """OFFICIAL, OFFICIAL-SENSITIVE or SECRET (spaces, underscores and case forgiven)."""
    if isinstance(raw, Marking):
        marking: Marking | None = raw
    else:
        words = " ".join(raw.upper().replace("_", " ").replace("-", " ").split())
        marking = _MARKING_BY_WORDS.get(words)
    if marking is not None and marking in ISSUED_CLEARANCES:
        return marking
    expected = ", ".join(m.value for m in ISSUED_CLEARANCES)
    if marking is Marking.TOP_SECRET:
        expected += " (TOP SECRET is not issued: Threadline holds no TOP SECRET material)"
    return FieldError(location, str(raw), f"one of {expected}")


def unit_problems(unit: str, *, agency_code: str, location: str = "unit") -> list[FieldError]:
    """A unit is a slug starting with its organisation's code, e.g. `norfolk-fib`.

    The prefix matters: source identities are visible only inside the originating unit,
    so a user of one organisation must never be placed in another organisation's unit.
    """
    if not SLUG.match(unit) or not unit.startswith(f"{agency_code}-"):
        return [
            FieldError(
                location,
                unit,
                f"a unit code starting '{agency_code}-' (e.g. {agency_code}-fib), "
                "lowercase letters, digits and hyphens",
            )
        ]
    return []
