"""What the intelligence pages show of a report or a sanitised version: labelled rows.

Rows come only from fields present in the view, so anything policy withheld has no row.
Only the police reader of an original report is told that its source was withheld (every
police officer knows the source stays with the originating unit); partners are never
told what their agreement left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from threadline.intel import ReportView, SanitisedView
from threadline.policy import SOURCE_FIELDS
from threadline.web.forms_intel import MEANINGS

Rows = list[tuple[str, str]]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _grade_rows(view: ReportView | SanitisedView) -> Rows:
    rows = []
    for key, label in (
        ("source_eval", "Source evaluation"),
        ("intel_eval", "Intelligence assessment"),
        ("handling", "Handling code"),
    ):
        value = _text(view.get(key))
        if value:
            rows.append((label, MEANINGS[key].get(value, value)))
    restricted = _text(view.get("restricted_to"))
    if restricted:
        rows.append(("Sharing restricted to", restricted))
    return rows


def report_rows(view: ReportView) -> Rows:
    """The summary rows of an original report (the source apart: see `source_rows`)."""
    rows: Rows = [("Reported on", _text(view.get("reported_on")))]
    if view.get("legacy_grade"):
        rows.append(("Legacy grade (5x5x5, read-only)", _text(view.get("legacy_grade"))))
    rows += _grade_rows(view)
    scope = view.get("scope")
    owner = _text(view.get("owner"))
    rows += [
        ("Marking", _text(view.get("marking"))),
        ("Priority", _text(view.get("priority")).capitalize()),
        ("Policing area", _text(view.get("area"))),
        ("Subjects (record ids)", _text(view.get("subjects"))),
        ("Recorded by", owner),
        ("Intelligence unit", _text(view.get("unit"))),
        (
            "Who may read it",
            "Police across the region" if scope == "region" else f"{owner} only" if scope else "",
        ),
    ]
    return [(label, value) for label, value in rows if value]


def source_rows(view: ReportView) -> Rows:
    """The source, for the originating unit; empty where policy withheld it."""
    rows = [
        ("Type of source", _text(view.get("source_type"))),
        ("Source reference", _text(view.get("source_ref"))),
        ("Description", _text(view.get("source_description"))),
        ("Handler", _text(view.get("source_handler"))),
        ("Submitted by", _text(view.get("submitted_by"))),
    ]
    return [(label, value) for label, value in rows if value]


def source_withheld(view: ReportView) -> bool:
    """True when the decision behind the view left the source out."""
    fields = view.decision.fields
    return fields is not None and not SOURCE_FIELDS & fields


@dataclass(frozen=True, slots=True)
class SharedItem:
    """A sanitised report as the shared pages show it."""

    view: SanitisedView
    conditions: str | None
    rows: Rows


def shared_item(view: SanitisedView) -> SharedItem:
    rows: Rows = [
        ("Original report", _text(view.get("report_ref"))),
        ("Recorded by", _text(view.get("owner"))),
        ("Marking", _text(view.get("marking"))),
        *_grade_rows(view),
        ("Policing area", _text(view.get("area"))),
        ("Created", _text(view.get("created_at")).replace("T", " ")),
        ("Shared under", _text(view.isa_ref)),
    ]
    return SharedItem(
        view=view,
        conditions=view.conditions or _text(view.get("conditions")) or None,
        rows=[(label, value) for label, value in rows if value],
    )
