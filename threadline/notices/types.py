"""What the notices service returns: notices as one actor may see them."""

from __future__ import annotations

from typing import TypeVar

from threadline.notices.records import Audience
from threadline.policy import View

T = TypeVar("T")


class NoticeView(View):
    """A threat notice as one actor may see it (a partner: only its agreement's fields).

    `audiences` is filled in for police readers only: partners are not told who else
    received a notice.
    """

    __slots__ = ("audiences",)

    audiences: tuple[Audience, ...]

    @property
    def ref(self) -> str:
        return str(self["ref"])

    @property
    def id(self) -> int:
        value = self["id"]
        assert isinstance(value, int)
        return value

    @property
    def status(self) -> str:
        return str(self.get("status") or "")


class NoticePage(list[NoticeView]):
    """A page of notices, and whether more follow (`more`)."""

    more: bool = False
