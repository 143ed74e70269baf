"""The regional return of disruptions as a download: GET /disruptions/return.csv.

A plain GET (a form on /disruptions with "from", "to" and perhaps "force" works without
JavaScript) answered with the CSV of `disruptions.returns` (docs/formats.md,
"Disruptions return"), over the disruptions the signed-in reader may see. Policy is the
service's: a partner is refused. The download is logged as `disruption.exported`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import date
from typing import Annotated, TextIO, cast

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from threadline.disruptions.returns import write_return
from threadline.errors import FieldError, InvalidData
from threadline.web.deps import ActorDep, SessionDep

router = APIRouter(include_in_schema=False)

DayParam = Annotated[str, Query(max_length=20, description="YYYY-MM-DD")]


def _day(name: str, text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidData([FieldError(name, text, "a real date as YYYY-MM-DD")]) from None


@router.get("/disruptions/return.csv")
def return_csv(
    session: SessionDep,
    actor: ActorDep,
    start: Annotated[str, Query(alias="from", max_length=20)] = "",
    end: Annotated[str, Query(alias="to", max_length=20)] = "",
    force: Annotated[str, Query(max_length=64)] = "",
) -> StreamingResponse:
    """The regional return of the disruptions the reader may see in the period, as CSV."""
    date_from, date_to = _day("from", start), _day("to", end)
    spool = cast(
        TextIO,
        tempfile.SpooledTemporaryFile(  # noqa: SIM115 - the stream closes it
            max_size=4 * 1024 * 1024, mode="w+", encoding="utf-8", newline=""
        ),
    )
    try:
        written = write_return(
            session, actor=actor, out=spool, date_from=date_from, date_to=date_to,
            force=force or None,
        )  # fmt: skip
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    period = "-".join(d.isoformat() for d in (date_from, date_to) if d) or "all"
    name = f"disruptions-return-{force.strip().lower() or 'region'}-{period}"
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in name)[:80]
    return StreamingResponse(
        _chunks(spool),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{safe}.csv"',
            "X-Audit-Event": str(written.audit_event_id),
        },
    )


def _chunks(spool: TextIO) -> Iterator[bytes]:
    try:
        while chunk := spool.read(64 * 1024):
            yield chunk.encode("utf-8")
    finally:
        spool.close()
