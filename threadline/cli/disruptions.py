"""`threadline disruptions`: list, show, record, validate, follow to court, export, add up.

- `threadline disruptions list [filters] --as USER [--json]`
- `threadline disruptions show ID --as USER [--json]`
- `threadline disruptions add --subject-kind K [--subject ID] --strand S --grade G
  --rationale R --date D --tactic T... --as USER`
- `threadline disruptions validate ID --grade G [--reason R] --as USER`
- `threadline disruptions outcome ID --person ID --stage S --on D [--sentence ...] --as USER`
- `threadline disruptions export --out FILE [--format regional] [--from D] [--to D]`
- `threadline disruptions sentences --by line|group|team|force [--from D] [--to D]`

Thin over `threadline.disruptions`: policy decides, every call is audited. Give `--as`:
without it the console's system account acts, which validates nothing and reads no case
material (so it sees only disruptions against a threat theme, not a group's, line's or
person's).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from threadline.cli.audit import AsOpt, JsonOpt, load_actor
from threadline.cli.context import console, print_json, state
from threadline.disruptions import vocabulary as v
from threadline.disruptions.reading import (
    SENTENCE_GROUPINGS,
    get_disruption,
    list_disruptions,
    sentence_totals,
)
from threadline.disruptions.record import add_outcome, record_disruption, validate
from threadline.disruptions.returns import FORMATS, write_return
from threadline.disruptions.types import (
    Disruption,
    DisruptionDraft,
    DisruptionFilters,
    OutcomeDraft,
    TacticDraft,
)
from threadline.errors import FieldError, InvalidData, InvalidValue
from threadline.importer.disruption_rows import parse_tactic
from threadline.storage.db import session_scope

app = typer.Typer(
    help="Disruptions against groups, county lines, people and threat themes: record them, "
    "validate their grades, follow them to court, export the regional return.",
    no_args_is_help=True,
)

IdArg = Annotated[int, typer.Argument(help="The disruption's id (see `disruptions list`).")]
FromOpt = Annotated[
    str, typer.Option("--from", help="From this day, YYYY-MM-DD (empty: from the start).")
]
ToOpt = Annotated[str, typer.Option("--to", help="Up to this day, YYYY-MM-DD (empty: to today).")]
REASON = "disruptions"


def _day(option: str, text: str) -> date | None:
    """A date option, or None when empty; `InvalidData` naming the option otherwise."""
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidData([FieldError(option, text, "a real date as YYYY-MM-DD")]) from None


def _tactic(text: str) -> TacticDraft:
    """`--tactic arrest@1201`, `--tactic seizure_drugs:250g`: the person by record id."""
    try:
        item = parse_tactic(text)
    except InvalidValue as exc:
        raise InvalidData([FieldError("--tactic", text, exc.expected)]) from None
    person: int | None = None
    if item.person is not None:
        if not item.person.isdigit():
            raise InvalidData(
                [FieldError("--tactic", text, "the person's record id after '@' (arrest@1201)")]
            )
        person = int(item.person)
    return TacticDraft(tactic=item.tactic, quantity=item.quantity, unit=item.unit, person_id=person)


def _as_dict(d: Disruption) -> dict[str, Any]:
    found = asdict(d)
    found |= {
        "effective_grade": d.effective_grade,
        "words": {
            "subject_kind": d.subject_kind_label,
            "theme": d.theme_label,
            "strand": d.strand_label,
            "grade": d.grade_label,
            "validation": d.validation_label,
        },
        "custodial_months": d.custodial_months,
    }
    return found


def _line(d: Disruption) -> str:
    subject = d.subject_name or d.theme_label or d.subject_kind_label
    state_words = d.validation_label.lower()
    return (
        f"#{d.id} {d.occurred_on.isoformat()} {d.agency_name}: {d.strand_label} against "
        f"{d.subject_kind_label.lower()} {subject} — {d.grade_label} ({state_words}); "
        + ", ".join(t.label + (f" {t.amount}" if t.amount else "") for t in d.tactics)
    )


def _print(d: Disruption) -> None:
    console.print(_line(d), highlight=False, soft_wrap=True)
    console.print(f"  Theme: {d.theme_label or 'none'}", highlight=False)
    console.print(
        f"  Claimed grade: {d.claimed_grade_label}. Rationale: {d.rationale}",
        highlight=False,
        soft_wrap=True,
    )
    if d.validation != "claimed":
        why = f" — {d.validation_reason}" if d.validation_reason else ""
        console.print(
            f"  {d.validation_label} as {d.grade_label} by {d.validated_by or 'a supervisor'}{why}",
            highlight=False,
            soft_wrap=True,
        )
    if d.lead_agency_name:
        console.print(f"  Led by {d.lead_agency_name} (partner-led)", highlight=False)
    if d.team or d.lead_officer:
        console.print(
            f"  Team: {d.team or 'none named'}; lead officer: {d.lead_officer or 'none named'}",
            highlight=False,
            soft_wrap=True,
        )
    for t in d.tactics:
        who = f" — {t.person_name}" if t.person_name else ""
        amount = f" {t.amount}" if t.amount else ""
        console.print(f"  Tactic: {t.label}{amount}{who}", highlight=False, soft_wrap=True)
    for o in d.outcomes:
        sentence = f": {o.sentence_label}" if o.sentence else ""
        term = f", {o.custodial_text}" if o.custodial_text else ""
        console.print(
            f"  Court: {o.on_date.isoformat()} {o.stage_label}{sentence}{term} — "
            f"{o.person_name or 'a person you may not see'}",
            highlight=False,
            soft_wrap=True,
        )


@app.command("list")
def list_command(
    ctx: typer.Context,
    as_user: AsOpt = None,
    force: Annotated[str, typer.Option("--force", help="A recording force's code.")] = "",
    theme: Annotated[str, typer.Option("--theme", help="A threat theme code.")] = "",
    strand: Annotated[str, typer.Option("--strand", help="A 4P strand.")] = "",
    grade: Annotated[str, typer.Option("--grade", help="The grade that counts.")] = "",
    tactic: Annotated[str, typer.Option("--tactic", help="A tactic code.")] = "",
    validation: Annotated[
        str, typer.Option("--validation", help="claimed, validated or regraded.")
    ] = "",
    subject: Annotated[
        int | None, typer.Option("--subject", help="Only those against this record id.")
    ] = None,
    team: Annotated[str, typer.Option("--team", help="The team that led them.")] = "",
    date_from: FromOpt = "",
    date_to: ToOpt = "",
    limit: Annotated[int, typer.Option("--limit", help="Most to show (1 to 200).")] = 50,
    offset: Annotated[int, typer.Option("--offset", help="How many to skip first.")] = 0,
    json_out: JsonOpt = False,
) -> None:
    """List the disruptions you may see, newest first."""
    filters = DisruptionFilters(
        force=force or None, theme=theme or None, strand=strand or None, grade=grade or None,
        tactic=tactic or None, validation=validation or None, entity_id=subject,
        team=team or None, date_from=_day("--from", date_from), date_to=_day("--to", date_to),
    )  # fmt: skip
    actor = load_actor(ctx, as_user, reason=REASON)
    with session_scope(state(ctx).engine()) as session:
        page = list_disruptions(session, actor=actor, filters=filters, offset=offset, limit=limit)
    if json_out:
        print_json(
            {
                "items": [_as_dict(d) for d in page.items],
                "total": page.total,
                "offset": page.offset,
                "limit": page.limit,
                "by_grade": page.by_grade,
                "by_validation": page.by_validation,
            }
        )
        return
    if not page.items:
        console.print("No disruptions you may see match.")
        return
    for d in page.items:
        console.print(_line(d), highlight=False, soft_wrap=True)
    shown = f"{page.offset + 1} to {page.offset + len(page.items)}"
    console.print(f"{shown} of {page.total}")


@app.command("show")
def show(
    ctx: typer.Context, disruption_id: IdArg, as_user: AsOpt = None, json_out: JsonOpt = False
) -> None:
    """Show one disruption: its grade and validation, tactics and court outcomes."""
    actor = load_actor(ctx, as_user, reason=REASON)
    with session_scope(state(ctx).engine()) as session:
        found = get_disruption(session, actor=actor, disruption_id=disruption_id)
    if json_out:
        print_json(_as_dict(found))
    else:
        _print(found)


@app.command("add")
def add(
    ctx: typer.Context,
    subject_kind: Annotated[
        str, typer.Option("--subject-kind", help="group, county_line, person or theme.")
    ],
    strand: Annotated[str, typer.Option("--strand", help="pursue, prevent, protect, prepare.")],
    grade: Annotated[
        str, typer.Option("--grade", help="The claimed grade: major, moderate, minor.")
    ],
    rationale: Annotated[
        str, typer.Option("--rationale", help="Why that grade: its impact on the capability.")
    ],
    on: Annotated[str, typer.Option("--date", help="The day of the disruption, YYYY-MM-DD.")],
    tactic: Annotated[
        list[str],
        typer.Option(
            "--tactic",
            help="A tactic, repeated for each: arrest@PERSON_ID, seizure_drugs:250g, "
            "seizure_cash:£12000, closure_order...",
        ),
    ],
    as_user: AsOpt = None,
    subject: Annotated[
        int | None, typer.Option("--subject", help="The group, line or person's record id.")
    ] = None,
    theme: Annotated[str, typer.Option("--theme", help="The threat theme code.")] = "",
    lead_officer: Annotated[
        str, typer.Option("--lead-officer", help="The lead officer's username, e.g. dsu@norfolk.")
    ] = "",
    lead_agency: Annotated[
        str, typer.Option("--lead-agency", help="A partner's code, when a partner led it.")
    ] = "",
    team: Annotated[str, typer.Option("--team", help="The team that led it.")] = "",
    summary: Annotated[str, typer.Option("--summary", help="What was done, briefly.")] = "",
    marking: Annotated[str, typer.Option("--marking", help="Its security marking.")] = "OFFICIAL",
    force: Annotated[
        str, typer.Option("--force", help="The recording force (default: your own).")
    ] = "",
    json_out: JsonOpt = False,
) -> None:
    """Record a disruption (claimed: a supervisor validates its grade)."""
    lead_id = load_actor(ctx, lead_officer, reason=REASON).user_id if lead_officer else None
    draft = DisruptionDraft(
        subject_kind=subject_kind, strand=strand, claimed_grade=grade, rationale=rationale,
        lead_officer_id=lead_id,
        occurred_on=_day("--date", on), entity_id=subject, theme=theme or None,
        tactics=tuple(_tactic(t) for t in tactic), lead_agency_code=lead_agency or None,
        team=team or None, summary=summary, marking=marking, agency_code=force or None,
    )  # fmt: skip
    actor = load_actor(ctx, as_user, reason=REASON)
    with session_scope(state(ctx).engine()) as session:
        new_id = record_disruption(session, actor=actor, draft=draft)
        found = get_disruption(session, actor=actor, disruption_id=new_id)
    if json_out:
        print_json(_as_dict(found))
    else:
        console.print(f"Recorded disruption {new_id}, awaiting validation:")
        _print(found)


@app.command("validate")
def validate_command(
    ctx: typer.Context,
    disruption_id: IdArg,
    grade: Annotated[
        str, typer.Option("--grade", help="The claimed grade to validate it; another to regrade.")
    ],
    as_user: AsOpt = None,
    reason: Annotated[str, typer.Option("--reason", help="Why (required to regrade).")] = "",
    json_out: JsonOpt = False,
) -> None:
    """Validate a disruption's claimed grade, or regrade it with a reason (a supervisor)."""
    actor = load_actor(ctx, as_user, reason=REASON)
    with session_scope(state(ctx).engine()) as session:
        outcome = validate(
            session, actor=actor, disruption_id=disruption_id, grade=grade, reason=reason
        )
        found = get_disruption(session, actor=actor, disruption_id=disruption_id)
    if json_out:
        print_json(_as_dict(found))
    else:
        console.print(
            f"Disruption {disruption_id} {v.word(outcome, v.VALIDATION_STATES).lower()} as "
            f"{found.grade_label.lower()}"
        )


@app.command("outcome")
def outcome_command(
    ctx: typer.Context,
    disruption_id: IdArg,
    person: Annotated[int, typer.Option("--person", help="The person's record id.")],
    stage: Annotated[
        str,
        typer.Option("--stage", help="charged, convicted, acquitted, discontinued, sentenced."),
    ],
    on: Annotated[str, typer.Option("--on", help="The day of the court outcome, YYYY-MM-DD.")],
    as_user: AsOpt = None,
    offence: Annotated[str, typer.Option("--offence", help="The offence.")] = "",
    sentence: Annotated[
        str,
        typer.Option(
            "--sentence", help="At sentence: custodial, suspended, community, fine, order, none."
        ),
    ] = "",
    months: Annotated[
        int | None, typer.Option("--months", help="A custodial term in months (54 = 4y 6m).")
    ] = None,
    orders: Annotated[str, typer.Option("--orders", help="Ancillary orders made.")] = "",
    json_out: JsonOpt = False,
) -> None:
    """Record a court outcome for a person after a disruption."""
    draft = OutcomeDraft(
        person_id=person, stage=stage, on_date=_day("--on", on), offence=offence,
        sentence=sentence or None, custodial_months=months, orders=orders or None,
    )  # fmt: skip
    actor = load_actor(ctx, as_user, reason=REASON)
    with session_scope(state(ctx).engine()) as session:
        outcome_id = add_outcome(session, actor=actor, disruption_id=disruption_id, draft=draft)
        found = get_disruption(session, actor=actor, disruption_id=disruption_id)
    recorded = next(o for o in found.outcomes if o.id == outcome_id)
    if json_out:
        print_json(asdict(recorded))
    else:
        term = f", {recorded.custodial_text}" if recorded.custodial_text else ""
        console.print(
            f"Recorded: {recorded.stage_label} on {recorded.on_date.isoformat()}{term}",
            highlight=False,
            soft_wrap=True,
        )


@app.command("export")
def export(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="The CSV file to write.")],
    as_user: AsOpt = None,
    fmt: Annotated[
        str, typer.Option("--format", help=f"The format: {', '.join(FORMATS)}.")
    ] = "regional",
    date_from: FromOpt = "",
    date_to: ToOpt = "",
    force: Annotated[str, typer.Option("--force", help="One recording force's code.")] = "",
    json_out: JsonOpt = False,
) -> None:
    """Write the regional return of disruptions (docs/formats.md) to a CSV file."""
    start, end = _day("--from", date_from), _day("--to", date_to)
    actor = load_actor(ctx, as_user, reason=REASON)
    part = out.with_name(out.name + ".part")
    try:
        with (
            session_scope(state(ctx).engine()) as session,
            part.open("w", encoding="utf-8", newline="") as handle,
        ):
            written = write_return(
                session, actor=actor, out=handle, date_from=start, date_to=end,
                force=force or None, fmt=fmt,
            )  # fmt: skip
        part.replace(out)  # a failed export leaves no half-written file behind
    finally:
        part.unlink(missing_ok=True)
    if json_out:
        print_json({"path": str(out), **asdict(written)})
    else:
        console.print(
            f"Wrote {written.rows} rows ({written.disruptions} disruptions) to {out}",
            highlight=False,
            soft_wrap=True,
        )


@app.command("sentences")
def sentences(
    ctx: typer.Context,
    by: Annotated[str, typer.Option("--by", help="Add up by line, group, team or force.")],
    as_user: AsOpt = None,
    date_from: FromOpt = "",
    date_to: ToOpt = "",
    json_out: JsonOpt = False,
) -> None:
    """Years in prison secured after disruptions, by line, group, team or force."""
    if by not in SENTENCE_GROUPINGS:
        raise InvalidData([FieldError("--by", by, "one of " + ", ".join(SENTENCE_GROUPINGS))])
    start, end = _day("--from", date_from), _day("--to", date_to)
    actor = load_actor(ctx, as_user, reason=REASON)
    with session_scope(state(ctx).engine()) as session:
        totals = sentence_totals(session, actor=actor, by=by, date_from=start, date_to=end)
    if json_out:
        print_json([{**asdict(t), "years": t.years} for t in totals])
        return
    if not totals:
        console.print("No custodial sentences you may see in that period.")
        return
    for t in totals:
        console.print(
            f"{t.label}: {t.years:g} years ({t.custodial_months} months) — {t.people} "
            f"{'person' if t.people == 1 else 'people'}, {t.disruptions} "
            f"disruption{'s' if t.disruptions != 1 else ''}",
            highlight=False,
            soft_wrap=True,
        )
    total = sum(t.custodial_months for t in totals)
    console.print(f"Total: {round(total / 12, 1):g} years", highlight=False)


def register(root: typer.Typer) -> None:
    """Add `threadline disruptions` to the root command."""
    root.add_typer(app, name="disruptions")
