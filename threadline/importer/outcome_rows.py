"""The court_outcomes kind: a step in a person's court journey after a disruption.

A row names the disruption by its source reference (`disruption_id`, with
`disruption_owner` and `disruption_system` defaulting to the row's own) and the person
by PNC id or by their record's source key (`person_id`, with `person_owner` and
`person_system` defaulting to the row's own), like custody rows. The stage and its
sentence are checked here as `disruptions.record.add_outcome` checks them; the
disruption and the person are looked up per batch by `outcome_writer`. Threadline keeps
one outcome per disruption, person and stage: importing a row again updates it.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from threadline.disruptions.vocabulary import SENTENCES, STAGES
from threadline.importer import custody, fields
from threadline.importer.readers import Row

if TYPE_CHECKING:
    from threadline.importer.validate import RowValidator

REQUIRED = ("disruption_id", "stage", "on_date")
OPTIONAL = (
    "disruption_owner",
    "disruption_system",
    "pnc_id",
    "person_id",
    "person_owner",
    "person_system",
    "offence",
    "sentence",
    "custodial_months",
    "orders",
)
MAX_MONTHS = 12 * 60  # as `disruptions.record`: more than 60 years is a typing slip
# The order of `EntityRecord.values` for a court outcome row.
COLUMNS = (
    "disruption",  # (owner id, system, source id)
    "person",  # ("pnc", id) or ("key", owner_id, system, source_id)
    "stage",
    "on_date",
    "offence",
    "sentence",
    "custodial_months",
    "orders",
)


def _code(v: RowValidator, line: int, row: Row, column: str, vocabulary: Any) -> str:
    raw = v.cell(line, row, column, required=column in REQUIRED, limit=40)
    code = raw.lower()
    if raw and code not in vocabulary:
        v.bad(line, column, raw, "one of " + ", ".join(vocabulary))
        return ""
    return code


def _months(v: RowValidator, line: int, row: Row, sentence: str) -> int | bool | None:
    """The custodial term in months; False when it is wrong (reported)."""
    raw = v.cell(line, row, "custodial_months", limit=5)
    if sentence == "custodial":
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_MONTHS:
            v.bad(
                line,
                "custodial_months",
                raw,
                f"the custodial term in whole months, 1 to {MAX_MONTHS} (54 = 4 years 6 months)",
            )
            return False
        return int(raw)
    if raw:
        v.bad(line, "custodial_months", raw, "a custodial term only with a custodial sentence")
        return False
    return None


def outcome(v: RowValidator, line: int, row: Row) -> tuple[tuple[Any, ...], list[Any]] | None:
    """Check one row; its values are `COLUMNS`, the disruption and person to look up."""
    disruption = _disruption(v, line, row)
    person = custody._person(v, line, row)
    stage = _code(v, line, row, "stage", STAGES)
    raw = v.cell(line, row, "on_date", required=True, limit=10)
    on: date | None = None
    if raw:
        on = v.parse(v.memo("date"), line, "on_date", raw, fields.full_date)
        if on is not None and on > v.ref.today:
            v.bad(line, "on_date", raw, f"a date not after today ({v.ref.today.isoformat()})")
            on = None
    sentence = _code(v, line, row, "sentence", SENTENCES)
    if sentence and stage and stage != "sentenced":
        v.bad(line, "sentence", sentence, "no sentence before the sentenced stage")
    elif stage == "sentenced" and not sentence:
        v.bad(line, "sentence", "", "the sentence, one of " + ", ".join(SENTENCES))
    months = _months(v, line, row, sentence)
    offence = v.cell(line, row, "offence", limit=4000)
    orders = v.cell(line, row, "orders", limit=4000) or None
    if disruption is None or person is None or not stage or on is None or months is False:
        return None
    return (disruption, person, stage, on, offence, sentence or None, months, orders), []


def _disruption(v: RowValidator, line: int, row: Row) -> tuple[int, str, str] | None:
    source_id = v.cell(line, row, "disruption_id", required=True, limit=128)
    owner_code = (
        v.cell(line, row, "disruption_owner", limit=64).lower()
        or v.cell(line, row, "owner", limit=64).lower()
    )
    owner_id = v.ref.agencies.get(owner_code) if owner_code else v.ref.default_owner
    if owner_id is None:
        v.bad(line, "disruption_owner", owner_code, "the code of the force that recorded it")
        return None
    raw = v.cell(line, row, "disruption_system", limit=64)
    system = raw or v.cell(line, row, "source_system", limit=64)
    if raw and not v.parse(
        v.memo("source_system"), line, "disruption_system", raw, fields.source_system
    ):
        return None
    if not source_id:
        return None
    return (owner_id, system, source_id)
