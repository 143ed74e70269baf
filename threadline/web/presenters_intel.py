"""What the intelligence pages show of a report or a sanitised version: labelled rows.

Rows come only from fields present in the view, so anything policy withheld has no row.
Only the police reader of an original report is told that its source was withheld (every
police officer knows the source stays with the originating unit); partners are never
told what their agreement left out.

Everything is written for people: dates in words ("7 December 2026"), policing areas and
organisations by name, subjects by the names the reader may see (`Subject`), never by
record id or code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from threadline.intel import ReportView, SanitisedView
from threadline.policy import SOURCE_FIELDS, ResourceKind, View
from threadline.profiles.records import KIND_NOUNS
from threadline.profiles.records import label as record_label
from threadline.reference.geography import area_by_code
from threadline.web.forms_intel import MEANINGS, SOURCE_TYPES
from threadline.web.presenters_profiles import href, long_date

Rows = list[tuple[str, str]]
SOURCE_TYPE_NAMES = {value: label for value, label, _ in SOURCE_TYPES}


@dataclass(frozen=True, slots=True)
class Names:
    """What the codes on a report read as: organisations by code, kinds of organisation."""

    agencies: Mapping[str, str] = field(default_factory=dict)
    kinds: Mapping[str, str] = field(default_factory=dict)

    def agency(self, code: str) -> str:
        return self.agencies.get(code, code)

    def audience(self, word: str) -> str:
        """An organisation code or kind of a sharing restriction ("police", "norfolk")."""
        if word in self.agencies:
            return self.agencies[word]
        return self.kinds.get(word) or word.replace("_", " ").capitalize()


@dataclass(frozen=True, slots=True)
class Subject:
    """A record a report is about, named as the reader may see it, and its profile."""

    name: str
    href: str


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def day_text(value: object) -> str:
    """An ISO date (or date and time) as GOV.UK writes a date: "7 December 2026"."""
    if isinstance(value, datetime):
        return long_date(value.date())
    if isinstance(value, date):
        return long_date(value)
    try:
        return long_date(date.fromisoformat(_text(value)[:10])) if value else ""
    except ValueError:
        return _text(value)


def moment_text(value: object) -> str:
    """An ISO date and time as words: "7 December 2026 at 14:05" (as stored, UTC)."""
    try:
        at = value if isinstance(value, datetime) else datetime.fromisoformat(_text(value))
    except ValueError:
        return _text(value)
    return f"{long_date(at.date())} at {at:%H:%M}"


def area_name(code: object) -> str:
    """A policing area by name ("Norwich"); an unknown code as given."""
    text = _text(code)
    try:
        return area_by_code(text).name if text else ""
    except KeyError:
        return text


def born_text(value: object) -> str:
    """A date of birth, whole or partial ("1990", "1990-04"), in words ("April 1990")."""
    text = _text(value)
    parts = text.split("-")
    try:
        if len(parts) == 1:
            return str(int(parts[0])) if text else ""
        if len(parts) == 2:
            return f"{date(int(parts[0]), int(parts[1]), 1):%B %Y}"
    except ValueError:
        return text
    return day_text(text)


def subject(kind: ResourceKind, record: View) -> Subject:
    """A record as the reader sees it, named from the fields the view holds."""
    # `label` would end an unnamed record with its id and a person with an ISO date.
    name = record_label(kind, {k: v for k, v in record.items() if k not in ("id", "date_of_birth")})
    if name == KIND_NOUNS[kind]:
        name = f"{name} (details not shown to you)"
    born = born_text(record.get("date_of_birth"))
    return Subject(f"{name} (born {born})" if born else name, href(kind, record.get("id")))


def subjects_of(view: ReportView, shown: Mapping[int, Subject]) -> list[Subject]:
    """The report's subjects the reader may see, in order; the others are left out."""
    ids = view.get("subjects") or []
    assert isinstance(ids, list | tuple)
    return [shown[i] for i in ids if i in shown]


def _grade_rows(view: ReportView | SanitisedView, names: Names) -> Rows:
    rows = []
    for key, label in (
        ("source_eval", "Source evaluation"),
        ("intel_eval", "Intelligence assessment"),
        ("handling", "Handling code"),
    ):
        value = _text(view.get(key))
        if value:
            rows.append((label, MEANINGS[key].get(value, value)))
    restricted = view.get("restricted_to") or []
    if restricted:
        assert isinstance(restricted, list | tuple)
        rows.append(
            ("Sharing restricted to", ", ".join(names.audience(str(w)) for w in restricted))
        )
    return rows


def report_rows(view: ReportView, names: Names) -> Rows:
    """The summary rows of an original report (the source apart: see `source_rows`; the
    subjects apart: see `subjects_of`)."""
    rows: Rows = [("Reported on", day_text(view.get("reported_on")))]
    if view.get("legacy_grade"):
        rows.append(("Legacy grade (5x5x5, read-only)", _text(view.get("legacy_grade"))))
    rows += _grade_rows(view, names)
    scope = view.get("scope")
    owner = names.agency(_text(view.get("owner")))
    rows += [
        ("Marking", _text(view.get("marking"))),
        ("Priority", _text(view.get("priority")).capitalize()),
        ("Policing area", area_name(view.get("area"))),
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
    source_type = _text(view.get("source_type"))
    rows = [
        ("Type of source", SOURCE_TYPE_NAMES.get(source_type, source_type)),
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
class ReportLine:
    """A report as the list of reports shows it."""

    view: ReportView
    reported_on: str
    subjects: list[Subject]


def report_line(view: ReportView, shown: Mapping[int, Subject]) -> ReportLine:
    return ReportLine(view, day_text(view.get("reported_on")), subjects_of(view, shown))


@dataclass(frozen=True, slots=True)
class SharedItem:
    """A sanitised report as the shared pages show it."""

    view: SanitisedView
    conditions: str | None
    rows: Rows


def shared_item(view: SanitisedView, names: Names) -> SharedItem:
    rows: Rows = [
        ("Original report", _text(view.get("report_ref"))),
        ("Recorded by", names.agency(_text(view.get("owner")))),
        ("Marking", _text(view.get("marking"))),
        *_grade_rows(view, names),
        ("Policing area", area_name(view.get("area"))),
        ("Created", moment_text(view.get("created_at")) if view.get("created_at") else ""),
        ("Shared under", _text(view.isa_ref)),
    ]
    return SharedItem(
        view=view,
        conditions=view.conditions or _text(view.get("conditions")) or None,
        rows=[(label, value) for label, value in rows if value],
    )
