"""Redaction: only the allowed fields leave, and a refused decision shows nothing."""

from __future__ import annotations

import pytest

from threadline.errors import Forbidden
from threadline.policy import Decision, ResourceKind, View, redact

RECORD = {
    "id": 1,
    "ref": "R-1",
    "owner": "norfolk",
    "marking": "OFFICIAL",
    "text": "t",
    "area": "x",
}


def test_only_allowed_fields_are_kept() -> None:
    decision = Decision(True, "isa", "shared", fields=frozenset({"id", "ref", "text"}), isa_ref="I")
    view = redact(ResourceKind.SANITISED_REPORT, RECORD, decision)
    assert dict(view) == {"id": 1, "ref": "R-1", "text": "t"}
    assert view.isa_ref == "I" and view.kind is ResourceKind.SANITISED_REPORT
    with pytest.raises(TypeError):
        view["text"] = "changed"  # type: ignore[index]


def test_no_field_list_means_every_field() -> None:
    view = redact(ResourceKind.SANITISED_REPORT, RECORD, Decision(True, "own", "own"))
    assert view.to_dict() == RECORD


def test_a_refused_decision_shows_nothing() -> None:
    with pytest.raises(Forbidden, match="no agreement"):
        redact(ResourceKind.SANITISED_REPORT, RECORD, Decision(False, "no-isa", "no agreement"))


def test_a_field_the_vocabulary_does_not_know_cannot_leave() -> None:
    with pytest.raises(ValueError, match="secret_note"):
        redact(
            ResourceKind.SANITISED_REPORT,
            {**RECORD, "secret_note": "x"},
            Decision(True, "own", "own"),
        )


def test_views_are_mappings() -> None:
    view = View(ResourceKind.PERSON, {"id": 3}, Decision(True, "own", "own", conditions="c"))
    assert list(view) == ["id"] and len(view) == 1 and view.conditions == "c"
    assert "PERSON" in repr(view).upper()
