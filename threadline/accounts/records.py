"""What account services return: plain dataclasses built from the account tables.

Password hashes and token hashes never leave the storage rows; these views omit them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from threadline.model.enums import Marking
from threadline.model.security import Role
from threadline.storage.tables import ApiTokenRow, UserRow

_ROLE_ORDER = list(Role)


def split_list(value: str) -> tuple[str, ...]:
    """A comma-separated column as a tuple, empty items dropped."""
    return tuple(item for item in value.split(",") if item)


def roles_of(row: UserRow) -> frozenset[Role]:
    return frozenset(Role(value) for value in split_list(row.roles))


@dataclass(frozen=True, slots=True)
class UserAccount:
    """A user as administrators see them (no password hash).

    `locked_until` is when sign-in delays end: set while attempts for this username are
    delayed from at least one network address (`threadline.accounts.throttle`).
    `allowed` is what the viewer may do with the account (`Action` values, from policy)
    and `note` why something a manager could otherwise do is refused, for the page.
    """

    id: int
    username: str
    display_name: str
    agency_code: str
    roles: frozenset[Role]
    clearance: Marking
    unit: str | None
    home_areas: tuple[str, ...]
    email: str | None
    disabled: bool
    locked_until: datetime | None
    last_login_at: datetime | None
    created_at: datetime
    allowed: frozenset[str] = field(default=frozenset())
    note: str = ""
    phone: str | None = None

    @classmethod
    def from_row(
        cls, row: UserRow, agency_code: str, locked_until: datetime | None = None
    ) -> UserAccount:
        return cls(
            id=row.id,
            username=row.username,
            display_name=row.display_name,
            agency_code=agency_code,
            roles=roles_of(row),
            clearance=Marking(row.clearance),
            unit=row.unit,
            home_areas=split_list(row.home_areas),
            email=row.email,
            phone=row.phone,
            disabled=row.disabled,
            locked_until=locked_until,
            last_login_at=row.last_login_at,
            created_at=row.created_at,
        )

    @property
    def role_names(self) -> list[str]:
        """Role values in canonical order."""
        return [role.value for role in sorted(self.roles, key=_ROLE_ORDER.index)]

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form (roles in canonical order, datetimes as ISO 8601 UTC)."""
        return {
            "id": self.id,
            "username": self.username,
            "display_name": self.display_name,
            "agency": self.agency_code,
            "roles": self.role_names,
            "clearance": self.clearance.value,
            "unit": self.unit,
            "home_areas": list(self.home_areas),
            "email": self.email,
            "phone": self.phone,
            "disabled": self.disabled,
            "locked_until": _iso(self.locked_until),
            "last_login_at": _iso(self.last_login_at),
            "created_at": _iso(self.created_at),
        }


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """An API token's metadata; the secret itself is shown once, at creation."""

    id: int
    username: str
    label: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def from_row(cls, row: ApiTokenRow, username: str) -> TokenInfo:
        return cls(
            id=row.id,
            username=username,
            label=row.label,
            created_at=row.created_at,
            expires_at=row.expires_at,
            last_used_at=row.last_used_at,
            revoked_at=row.revoked_at,
        )

    def status(self, now: datetime) -> str:
        """`active`, `revoked` or `expired` at `now` (naive UTC)."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"

    def as_dict(self, now: datetime) -> dict[str, object]:
        return {
            "id": self.id,
            "username": self.username,
            "label": self.label,
            "status": self.status(now),
            "created_at": _iso(self.created_at),
            "expires_at": _iso(self.expires_at),
            "last_used_at": _iso(self.last_used_at),
            "revoked_at": _iso(self.revoked_at),
        }


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds") + "Z"
