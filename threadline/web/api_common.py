"""What every `/api/v1` route shares: error responses, search terms and pagination.

List endpoints take `limit` and `offset` (`PagingDep`) and answer a `PageOut` whose
`next_offset` is null on the last page, so a client pages with a simple loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field

T = TypeVar("T")

MAX_LIMIT = 200
MAX_OFFSET = 100_000  # deeper than any person pages; keeps OFFSET scans bounded


class Problem(BaseModel):
    """An error, as RFC 9457 problem details."""

    type: str = Field(examples=["about:blank"])
    title: str = Field(examples=["Unprocessable Content"])
    status: int = Field(examples=[422])
    detail: str = Field(examples=["dob: got '31/02/2001', expected YYYY-MM-DD"])
    errors: list[dict[str, Any]] | None = Field(
        default=None,
        description="For invalid input: each problem's `location`, `received`, `expected`.",
    )


def _problem(description: str) -> dict[str, object]:
    return {
        "description": description,
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }


# Responses every authenticated API route may give, for `responses=` in the decorator.
ERRORS: dict[int | str, dict[str, object]] = {
    401: _problem("No token, or a token not recognised, revoked or expired."),
    422: _problem("Invalid input: `errors` lists each problem."),
}
# Routes that take a JSON body add this: a body that is not JSON at all.
NOT_JSON: dict[int | str, dict[str, object]] = {
    400: _problem("The body could not be read as JSON."),
}
# Routes that read one record by id add these.
RECORD_ERRORS: dict[int | str, dict[str, object]] = {
    **ERRORS,
    403: _problem("The caller may not see this record (the reason is given)."),
    404: _problem("No such record, or none the caller may know exists."),
}


def term(description: str) -> Any:
    """A search term in the query string (capped: no real term is longer)."""
    return Query(max_length=200, description=description)


@dataclass(frozen=True, slots=True)
class Paging:
    """Which page of a list was asked for."""

    limit: int
    offset: int


def get_paging(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Most items on a page.")] = 50,
    offset: Annotated[
        int, Query(ge=0, le=MAX_OFFSET, description="Items to skip (the last `next_offset`).")
    ] = 0,
) -> Paging:
    return Paging(limit=limit, offset=offset)


PagingDep = Annotated[Paging, Depends(get_paging)]


class PageOut(BaseModel, Generic[T]):
    """One page of a list."""

    items: list[T]
    limit: int = Field(description="The `limit` asked for.", examples=[50])
    offset: int = Field(description="The `offset` asked for.", examples=[0])
    next_offset: int | None = Field(
        description="Pass as `offset` for the next page; null on the last page.", examples=[50]
    )

    @classmethod
    def of(cls, items: list[T], paging: Paging, *, more: bool) -> PageOut[T]:
        """A page of `items`; `more` says whether anything follows it."""
        return cls(
            items=items,
            limit=paging.limit,
            offset=paging.offset,
            next_offset=paging.offset + len(items) if more else None,
        )
