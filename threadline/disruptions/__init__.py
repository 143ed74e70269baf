"""Disruptions: what was done against a group, line, person or threat theme, and its result.

Recorded with the 4P strand, a claimed grade (major, moderate, minor) and its rationale,
tactics, date, force and lead; validated or regraded by a supervisor; court outcomes follow
each arrest and charge to conviction and sentence. Every call takes a session and an
actor, asks `threadline.policy.disruptions` first and leaves an audit event.

Service (names are stable; other packages build on them):

- `record.record_disruption(session, *, actor, draft: DisruptionDraft) -> int`: checks
  every field (raising `InvalidData` naming each bad field) and the subject (a record the
  actor may not see is answered as missing, `NotFound`) before writing anything;
- `record.validate(session, *, actor, disruption_id, grade, reason) -> None`: a
  supervisor validates the claimed grade (same grade) or regrades it (a reason required);
- `record.add_outcome(session, *, actor, disruption_id, draft: OutcomeDraft) -> int`;
- `reading.get_disruption(session, *, actor, disruption_id) -> Disruption`;
- `reading.list_disruptions(session, *, actor, filters, offset, limit) -> DisruptionPage`
  (filtered, counted and paged after policy);
- `reading.for_subject(session, *, actor, entity_id, limit) -> SubjectDisruptions` for a
  group, county line or person page;
- `reading.sentence_totals(session, *, actor, by, date_from, date_to)
  -> list[SentenceTotal]`: custodial years by "line", "group", "team" or "force" from the
  court outcomes the reader may see;
- `reading.readable_ids(session, *, actor, filters) -> list[int]`: every disruption id
  the reader may see that matches (for returns, dashboards, the inspection pack).
- `reading.search_subjects(session, *, actor, text) -> list[SubjectChoice]` and
  `reading.subject_choice(session, *, actor, entity_id)`: groups, lines and people to
  record against, found by searching (a hidden record is answered as missing);
- `reading.may_record(session, *, actor)` / `reading.require_record(...)`: whether the
  actor may record a disruption at all (a link; the form);
- `reading.partner_choices(session)`: partner organisations that may lead one;
- `record.find_by_source(session, *, agency_code, source_system, source_id)`: the id of
  an imported disruption, for idempotent imports.

Types: `types.DisruptionDraft`, `TacticDraft`, `OutcomeDraft`, `Disruption`, `Tactic`,
`CourtOutcome`, `DisruptionFilters`, `DisruptionPage`, `SentenceTotal`. Words:
`vocabulary` (THEMES, STRANDS, GRADES, TACTICS, STAGES, SENTENCES, ...).
"""

from threadline.disruptions.reading import (
    SENTENCE_GROUPINGS,
    SubjectChoice,
    SubjectDisruptions,
    for_subject,
    get_disruption,
    list_disruptions,
    may_record,
    partner_choices,
    readable_ids,
    require_record,
    search_subjects,
    sentence_totals,
    subject_choice,
)
from threadline.disruptions.record import add_outcome, find_by_source, record_disruption, validate
from threadline.disruptions.types import (
    CourtOutcome,
    Disruption,
    DisruptionDraft,
    DisruptionFilters,
    DisruptionPage,
    OutcomeDraft,
    SentenceTotal,
    Tactic,
    TacticDraft,
)

__all__ = [
    "SENTENCE_GROUPINGS",
    "CourtOutcome",
    "Disruption",
    "DisruptionDraft",
    "DisruptionFilters",
    "DisruptionPage",
    "OutcomeDraft",
    "SentenceTotal",
    "SubjectChoice",
    "SubjectDisruptions",
    "Tactic",
    "TacticDraft",
    "add_outcome",
    "find_by_source",
    "for_subject",
    "get_disruption",
    "list_disruptions",
    "may_record",
    "partner_choices",
    "readable_ids",
    "record_disruption",
    "require_record",
    "search_subjects",
    "sentence_totals",
    "subject_choice",
    "validate",
]
