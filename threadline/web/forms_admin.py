"""What the administration and audit pages share: multi-value forms, error messages, paging.

Services report problems as `FieldError`s (location, received, expected); the pages turn
them into the GOV.UK error summary's (field id, message) pairs, each message naming the
field and what it needs.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar
from urllib.parse import parse_qsl, urlencode

from fastapi import Depends, Request

from threadline.errors import FieldError
from threadline.web.deps import FormDep

T = TypeVar("T")
PER_PAGE = 25
_INDEX = re.compile(r"\[\d+\]$")


async def form_lists(request: Request, form: FormDep) -> dict[str, list[str]]:
    """Every value of every field of a urlencoded form (checkbox groups send several).

    `FormDep` has already read, size-checked and cached the body.
    """
    if request.method != "POST":
        return {}
    lists: dict[str, list[str]] = {}
    body = await request.body()
    for name, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
        lists.setdefault(name, []).append(value)
    return lists


FormListsDep = Annotated[dict[str, list[str]], Depends(form_lists)]


@dataclass(frozen=True, slots=True)
class Field:
    """How a form field is named in messages, and what to say when it was left empty."""

    label: str
    empty: str


def messages(
    errors: Sequence[FieldError], fields: dict[str, Field], *, fallback: str
) -> list[tuple[str, str]]:
    """(field id, message) per error, in the form's order; other locations go to `fallback`."""
    found: list[tuple[str, str]] = []
    for error in errors:
        location = _INDEX.sub("", error.location)
        field_id = location if location in fields else fallback
        field = fields.get(location) or fields[fallback]
        if not error.received.strip() and field.empty:
            text = field.empty
        elif error.received in {"", "(hidden)"}:
            text = f"{field.label} must be {error.expected}"
        else:
            text = f"{field.label} “{error.received}” is not right: it must be {error.expected}"
        if (field_id, text) not in found:
            found.append((field_id, text))
    order = list(fields)
    return sorted(found, key=lambda item: order.index(item[0]))  # the form's order


def temporary_password() -> str:
    """A one-time password to give the person, who should change it when they sign in."""
    return "-".join(secrets.token_urlsafe(6) for _ in range(3))


@dataclass(frozen=True, slots=True)
class Paged(Generic[T]):
    """One page of a list, with the links of the GOV.UK pagination component."""

    items: list[T]
    page: int
    pages: int
    total: int
    previous_url: str | None
    next_url: str | None
    numbers: list[tuple[int | None, str]]  # (number or None for an ellipsis, url)


def paginate(
    items: Sequence[T], *, page: int, path: str, params: dict[str, str], per_page: int = PER_PAGE
) -> Paged[T]:
    """Slice `items` to `page` (clamped to the pages there are)."""
    pages = max(1, -(-len(items) // per_page))
    page = min(max(page, 1), pages)
    chosen = list(items[(page - 1) * per_page : page * per_page])
    return pagination(chosen, page=page, pages=pages, total=len(items), path=path, params=params)


def pagination(
    items: list[T], *, page: int, pages: int, total: int, path: str, params: dict[str, str]
) -> Paged[T]:
    """The pagination links for a page of items fetched elsewhere."""
    kept = {k: v for k, v in params.items() if v and k != "page"}

    def url(number: int) -> str:
        return f"{path}?{urlencode({**kept, 'page': str(number)})}"

    numbers: list[tuple[int | None, str]] = []
    for number in range(1, pages + 1):
        if number in {1, pages} or abs(number - page) <= 1:
            numbers.append((number, url(number)))
        elif numbers and numbers[-1][0] is not None:
            numbers.append((None, ""))
    return Paged(
        items=items,
        page=page,
        pages=pages,
        total=total,
        previous_url=url(page - 1) if page > 1 else None,
        next_url=url(page + 1) if page < pages else None,
        numbers=numbers,
    )
