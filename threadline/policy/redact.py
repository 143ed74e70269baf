"""Redaction: what a service returns is built here, from a decision, so no read forgets it.

A service assembles the full record as a mapping of field name to value, asks policy,
and passes both to `redact`. Only the fields the decision allows come out, wrapped in a
read-only `View` that also carries the handling conditions and the agreement the sharing
rests on. `redact` refuses a refused decision and a field the vocabulary does not know.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TypeVar

from threadline.errors import Forbidden
from threadline.policy.terms import Decision
from threadline.policy.vocabulary import FIELDS, ResourceKind


class View(Mapping[str, object]):
    """A record as one actor may see it: only the allowed fields, read-only."""

    __slots__ = ("_data", "decision", "kind")

    def __init__(self, kind: ResourceKind, data: Mapping[str, object], decision: Decision) -> None:
        self.kind = kind
        self.decision = decision
        self._data = dict(data)

    def __getitem__(self, key: str) -> object:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.kind.value}, {self._data!r})"

    @property
    def conditions(self) -> str | None:
        """Code C conditions the holder must follow (None for code P or no grading)."""
        return self.decision.conditions

    @property
    def isa_ref(self) -> str | None:
        """The agreement this record was shared under, if it was shared under one."""
        return self.decision.isa_ref

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.decision.warnings

    def to_dict(self) -> dict[str, object]:
        """The visible fields as a plain dict (for JSON)."""
        return dict(self._data)


V = TypeVar("V", bound=View)


def redact(
    kind: ResourceKind,
    record: Mapping[str, object],
    decision: Decision,
    *,
    view: type[V] = View,  # type: ignore[assignment]
) -> V:
    """Keep only the fields `decision` allows of `record` (all if `fields` is None).

    Raises `Forbidden` if the decision refused, and `ValueError` if the record carries a
    field that `threadline.policy.vocabulary.FIELDS` does not list for its kind.
    """
    if not decision.allowed:
        raise Forbidden(decision.reason)
    known = FIELDS.get(kind)
    if known is not None:
        unknown = set(record) - known
        if unknown:
            raise ValueError(
                f"{kind.value} record has fields the policy vocabulary does not list: "
                f"{', '.join(sorted(unknown))}; add them to FIELDS first"
            )
    shown = {
        name: value
        for name, value in record.items()
        if decision.fields is None or name in decision.fields
    }
    return view(kind, shown, decision)
