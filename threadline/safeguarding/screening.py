"""Recording and reading exploitation screenings: one tool for police and partners alike.

`record_screening` scores the answers with `threadline.safeguarding.rules.assess` (the
age comes from the person's record: the youngest they can be, so a partial date of
birth never lifts a child out of a floor rule) and stores the answers, the level and
every reason, so a screening can be read back exactly as it was made.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.errors import FieldError, InvalidData
from threadline.model.security import Actor
from threadline.policy import ResourceKind, View, load_context, read_path
from threadline.safeguarding.access import (
    agencies,
    person_fact,
    require_may_add,
    view_of,
    youngest_age,
)
from threadline.safeguarding.rules import (
    DEFAULT_CONFIG,
    Answer,
    IndicatorAnswer,
    ScreeningConfig,
    Subject,
    Window,
    assess,
)
from threadline.storage.safeguarding_tables import ScreeningRow


def parse_answers(
    raw: Mapping[str, str] | Iterable[Mapping[str, str | None]],
) -> list[IndicatorAnswer]:
    """Answers from plain values: `{"cce.missing": "yes:current", ...}` (a form) or
    `[{"code": ..., "answer": ..., "window": ...}]` (JSON). Blank form answers are skipped."""
    items: list[tuple[str, str, str | None]] = []
    if isinstance(raw, Mapping):
        for code, value in raw.items():
            word, _, when = str(value).partition(":")
            if word:
                items.append((code, word, when or None))
    else:
        for item in raw:
            items.append((str(item.get("code")), str(item.get("answer")), item.get("window")))
    errors: list[FieldError] = []
    found: list[IndicatorAnswer] = []
    for code, answer, window in items:
        try:
            found.append(IndicatorAnswer(code, Answer(answer), Window(window) if window else None))
        except ValueError:
            errors.append(
                FieldError(
                    f"indicator {code}",
                    f"{answer}" + (f" ({window})" if window else ""),
                    "yes (with current or earlier), no or not_known",
                )
            )
    if errors:
        raise InvalidData(errors)
    return found


def record_screening(
    session: Session,
    *,
    actor: Actor,
    person_id: int,
    answers: Iterable[IndicatorAnswer],
    learning_disability: bool = False,
    marking: str = "OFFICIAL-SENSITIVE",
    config: ScreeningConfig = DEFAULT_CONFIG,
) -> View:
    """Screen a person and return the screening as the actor sees it; audited.

    Police screen anyone they may see; partners only people their agreement covers for
    safeguarding. Raises `NotFound`, `Forbidden` or `InvalidData` (naming each bad answer).
    """
    ctx = load_context(session, actor)
    fact = person_fact(session, actor, ctx, person_id)
    require_may_add(actor, ctx, fact, marking, ResourceKind.SCREENING)
    given = list(answers)
    age = youngest_age(session, person_id, ctx.on)
    result = assess(given, Subject(age=age, learning_disability=learning_disability), config)
    row = ScreeningRow(
        person_id=person_id,
        owner_id=agencies(session).ids[actor.agency_code],
        marking=marking,
        screened_by=actor.username,
        screened_at=utcnow(),
        age=age,
        learning_disability=learning_disability,
        config_version=config.version,
        answers=json.dumps(
            [
                {"code": a.code, "answer": a.answer.value, "window": a.window and a.window.value}
                for a in sorted(given, key=lambda a: a.code)
            ]
        ),
        risk=result.level.value,
        score=result.score,
        reasons=json.dumps(list(result.reasons)),
        shown=",".join(result.shown),
    )
    session.add(row)
    session.flush()
    record_event(
        session,
        actor=actor,
        action=AuditAction.COLLECTION,
        event="safeguarding.screening",
        records=[person_id],
        details={"screening": row.id, "risk": row.risk, "score": row.score},
    )
    view = view_of(
        actor, ctx, fact, actor.agency_code, marking, screening_record(row, actor.agency_code)
    )
    assert view is not None  # the actor's own record
    return view


def screening_record(row: ScreeningRow, owner: str) -> dict[str, object]:
    """A stored screening as the fields policy knows."""
    return {
        "id": row.id,
        "owner": owner,
        "marking": row.marking,
        "record_type": "screening",
        "person_id": row.person_id,
        "by": row.screened_by,
        "at": row.screened_at.isoformat(timespec="seconds"),
        "screened_at": row.screened_at.isoformat(timespec="seconds"),
        "risk": row.risk,
        "score": row.score,
        "age": row.age,
        "learning_disability": row.learning_disability,
        "config_version": row.config_version,
        "indicators": [
            f"{a['code']}={a['answer']}" + (f":{a['window']}" if a.get("window") else "")
            for a in json.loads(row.answers)
        ],
        "reasons": json.loads(row.reasons),
    }


@read_path("safeguarding.screenings")
def list_screenings(
    session: Session, *, actor: Actor, person_id: int, purpose: str | None = None
) -> list[View]:
    """The person's screenings the actor may see, newest first; one audited consultation."""
    ctx = load_context(session, actor)
    fact = person_fact(session, actor, ctx, person_id)
    codes = agencies(session).codes
    rows = session.scalars(
        select(ScreeningRow)
        .where(ScreeningRow.person_id == person_id)
        .order_by(ScreeningRow.screened_at.desc(), ScreeningRow.id.desc())
    )
    views = [
        view
        for row in rows
        if (
            view := view_of(
                actor,
                ctx,
                fact,
                codes[row.owner_id],
                row.marking,
                screening_record(row, codes[row.owner_id]),
            )
        )
        is not None
    ]
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="safeguarding.screenings",
        records=[person_id],
        purpose=purpose,
        details={"person": person_id, "screenings": [v["id"] for v in views]},
    )
    return views
