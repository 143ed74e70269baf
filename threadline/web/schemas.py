"""Pydantic schemas at the HTTP edge, with the converters from service results.

The services return domain objects (`CheckResult`, `Card`); these schemas fix the JSON
shape the API promises and document it in the OpenAPI, with examples.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from threadline.check import CheckResult


class Health(BaseModel):
    """The answer of the no-op health endpoint."""

    status: str = Field(examples=["ok"])


class CardOut(BaseModel):
    """One record the caller may see, and why it matched."""

    kind: str = Field(description="person, phone, vehicle or location", examples=["person"])
    record: dict[str, Any] = Field(
        description="The fields the caller may see; a field left out is withheld by policy."
    )
    conditions: str | None = Field(
        default=None,
        description="Handling-code C conditions that must be followed when using the record.",
    )
    score: int | None = Field(
        description="Match strength, 0-100; null where the caller may not see all it rests on.",
        examples=[92],
    )
    reasons: list[str] = Field(description="Why the record matched.")
    memberships: list[dict[str, Any]] = Field(
        description="Groups (OCGs) the person belongs to, as far as the caller may see them, "
        "each with the person's `role` and the `lro` (lead responsible officer) to contact."
    )
    county_lines: list[dict[str, Any]] = Field(
        default_factory=list,
        description="County lines the record is tied to, as far as the caller may see them, "
        "each with its `relation` (e.g. `runner for the line`, `deal line of`, "
        "`line of <group>`) and its `deal_lines`.",
    )
    intelligence: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Recent sanitised intelligence about the person that the caller may see, "
        "newest first, with its 3x5x2 grading and handling code (and code C conditions).",
    )
    safeguarding: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Safeguarding prompts about the person (a prompt to protect, not "
        "suspicion): concerns raised by practitioners (`record_type` concern, with `text`, "
        "`indicators` and any police `response`) and the latest screening if it found a "
        "medium or high `risk` (with its `reasons`), as far as the caller may see them.",
    )
    custody: list[dict[str, Any]] = Field(
        default_factory=list,
        description="The person's custody episodes as far as the caller may see them, in "
        "custody first: `establishment`, `prison_number`, `in_custody`, `expected_release` "
        "(conditional or automatic release date), `released_on`, `licence_end`, `transfers`.",
    )
    records: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Where one person is recorded by several organisations and the caller may "
        "see those records together: each source record (`record`, its `conditions`, the "
        "`owner_name`, the `source_system` and the `differences` from the card, in words). "
        "Empty on a card of one record. Records the caller may not see are never listed, "
        "counted or drawn on.",
    )
    people: list[dict[str, Any]] = Field(
        default_factory=list,
        description="On a phone, vehicle or address held in several records: the people "
        "linked to it that the caller may see (`record`, how they are linked, warning "
        "markers first).",
    )


class CheckOut(BaseModel):
    """The result of a check: every record the caller may see, best first."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "query": {"name": "Jon Smyth", "dob": "1990-04-05"},
                    "results": [
                        {
                            "kind": "person",
                            "record": {
                                "id": 1042,
                                "owner": "norfolk",
                                "marking": "OFFICIAL-SENSITIVE",
                                "family_name": "Smith",
                                "given_names": "John",
                                "date_of_birth": "1990-04-05",
                                "pnc_id": "90/123456A",
                                "aliases": ["Johnny Smith"],
                                "categories": ["suspect"],
                                "warning_markers": ["WE", "DR"],
                                "areas": ["norwich"],
                            },
                            "conditions": None,
                            "score": 92,
                            "reasons": ["name sounds alike", "date of birth matches"],
                            "memberships": [
                                {"id": 77, "name": "Operation Kestrel", "role": "lieutenant"}
                            ],
                            "county_lines": [
                                {
                                    "id": 81,
                                    "name": "TONY line",
                                    "exporting_area": "London Borough of Hackney",
                                    "importing_area": "Norwich",
                                    "deal_lines": ["+447700900123"],
                                    "relation": "line of Operation Kestrel",
                                }
                            ],
                        }
                    ],
                    "audit_event": 5311,
                }
            ]
        }
    )

    query: dict[str, str] = Field(description="The search terms, as received.")
    results: list[CardOut]
    audit_event: int | None = Field(description="Id of the audit event that logged this check.")

    @classmethod
    def from_result(cls, result: CheckResult) -> CheckOut:
        return cls.model_validate(result.as_dict())
