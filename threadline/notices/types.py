"""What the notices service returns: notices as one actor may see them."""

from __future__ import annotations

from typing import TypeVar

from threadline.notices.records import Audience
from threadline.policy import Action, View

T = TypeVar("T")


class NoticeView(View):
    """A threat notice as one actor may see it (a partner: only its agreement's fields).

    `audiences` is filled in only for readers who see the whole notice: partners are not
    told who else received it. `allowed` holds what the actor may do with it (publish or
    withdraw: `publish`; `acknowledge`), as policy decided: pages show buttons from it.
    """

    __slots__ = ("allowed", "audiences")

    audiences: tuple[Audience, ...]
    allowed: frozenset[Action]

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
    """A page of notices, and whether more follow (`more`); `allowed` holds what the
    actor may do with notices as a kind (`create`)."""

    more: bool = False
    allowed: frozenset[Action] = frozenset()
