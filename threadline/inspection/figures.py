"""Every figure of the dashboard and the pack, built from the counts the reader may see.

`build_figures` takes the disruption tally, the group coverage and the stats dashboards
(each already decided by policy for the reader) and draws one `Figure` per question:
for one force, charts of that force's figures; for the region, the forces side by side.
Methods are written here once, next to the figure they define.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from threadline.clock import uk_date
from threadline.countylines.types import LineStatus
from threadline.disruptions import vocabulary as v
from threadline.inspection.charts import Chart, Table, bar_chart, grouped_chart, stacked_chart
from threadline.inspection.coverage import DISRUPTION_WINDOW_DAYS, MEASURES, GroupCoverage
from threadline.inspection.disruption_figures import (
    COUNTY_LINES,
    OTHER_SOC,
    DisruptionTally,
)
from threadline.inspection.others import OtherFigures
from threadline.inspection.types import Figure, Link, period_text
from threadline.reference.geography import organisation_name

__all__ = ["FigureSet", "build_figures"]

DISRUPTIONS = "Disruptions"
SOC_SERIES = (COUNTY_LINES, OTHER_SOC)
VALIDATION_SERIES = tuple(v.VALIDATION_STATES)


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose figures: one force (`force`) or the region's forces side by side."""

    force: str | None
    forces: tuple[str, ...]
    start: date
    end: date

    @property
    def period(self) -> str:
        return period_text(self.start, self.end)

    def names(self) -> list[str]:
        return [organisation_name(code) for code in self.forces]

    def query(self, **extra: str) -> str:
        params = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.force:
            params["force"] = self.force
        params.update({k: val for k, val in extra.items() if val})
        return urlencode(params)


@dataclass(frozen=True, slots=True)
class FigureSet:
    """The figures by key, and the headline numbers (label, text) for the summary."""

    figures: dict[str, Figure]
    headlines: tuple[tuple[str, str], ...]


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else plural or word + 's'}"


def _years(months: int) -> str:
    years, rest = divmod(months, 12)
    if not rest:
        return _plural(years, "year")
    if not years:
        return _plural(rest, "month")
    return f"{_plural(years, 'year')} {_plural(rest, 'month')}"


def _sentence_case(label: str) -> str:
    """ "With an LRO" → "with an LRO": the first letter only (abbreviations keep capitals)."""
    return label[:1].lower() + label[1:]


def _share(reached: int, due: int) -> str:
    return f"{reached:,} of {due:,} ({round(100 * reached / due)}%)" if due else "none due"


def _disruption_links(scope: Scope, label: str = "The disruptions counted", **extra: str) -> Link:
    return Link(label, f"/disruptions?{scope.query(**extra)}")


def _by_dimension(
    scope: Scope,
    tally: DisruptionTally,
    dimension: str,
    words: dict[str, str],
    *,
    title: str,
    category: str,
    horizontal: bool = True,
    measure: str = DISRUPTIONS,
) -> Chart:
    """One force: a bar per value. The region: each force a bar stacked by value."""
    if scope.force:
        counts = tally.values(dimension, [scope.force])
        items = [(words.get(code, code), float(counts[code])) for code in words if counts[code]]
        items += [
            (code.replace("_", " ") or "Not recorded", float(n))
            for code, n in counts.items()
            if code not in words and n
        ]
        top = max(items, key=lambda item: item[1]) if items else None
        summary = (
            f"{top[0]} was the most common, {_plural(int(top[1]), 'time')} of "
            f"{sum(int(n) for _, n in items):,}."
            if top
            else f"No disruptions recorded from {scope.period}."
        )
        return bar_chart(title, items, measure=measure, category=category, summary=summary)
    values: dict[tuple[str, str], float] = {}
    counts_of = tally.of(dimension)
    for (force, code), count in counts_of.items():
        if force in scope.forces:
            values[organisation_name(force), words.get(code, code)] = float(count)
    series = [words[code] for code in words if any(s == words[code] for _, s in values)]
    totals = {code: sum(n for (f, c), n in counts_of.items() if c == code) for code in words}
    top_code = max(totals, key=lambda c: totals[c]) if any(totals.values()) else None
    summary = (
        f"Across the forces, {words[top_code]} was the most common "
        f"({totals[top_code]:,} of {sum(totals.values()):,})."
        if top_code
        else f"No disruptions recorded from {scope.period}."
    )
    return stacked_chart(
        title,
        scope.names(),
        series,
        values,
        measure=measure,
        category="Force",
        summary=summary,
        horizontal=horizontal,
    )


def _months(scope: Scope, tally: DisruptionTally) -> Figure:
    months = _period_months(scope)
    values: dict[tuple[str, str], float] = {}
    for (force, key), count in tally.of("month_soc").items():
        if force in scope.forces:
            month, soc = key.split("|", 1)
            values[uk_date(month), soc] = values.get((uk_date(month), soc), 0) + count
    labels = [uk_date(m) for m in months]
    total = sum(int(n) for n in values.values())
    busiest = max(labels, key=lambda m: sum(values.get((m, s), 0) for s in SOC_SERIES))
    summary = (
        f"{_plural(total, 'disruption')} from {scope.period}; the most in {busiest}."
        if total
        else f"No disruptions recorded from {scope.period}."
    )
    chart = stacked_chart(
        "Disruptions by month",
        labels,
        list(SOC_SERIES),
        values,
        measure=DISRUPTIONS,
        category="Month",
        summary=summary,
    )
    return Figure(
        "month",
        "Disruptions by month",
        "Each disruption counts in the month it occurred, split into county lines work "
        "(the drugs and county lines theme, or a county line as subject) and all other "
        "serious and organised crime.",
        scope.period,
        chart,
        (_disruption_links(scope),),
    )


def _period_months(scope: Scope) -> list[str]:
    out = []
    year, month = scope.start.year, scope.start.month
    while (year, month) <= (scope.end.year, scope.end.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _by_force(scope: Scope, tally: DisruptionTally) -> Figure:
    values: dict[tuple[str, str], float] = {}
    for (force, soc), count in tally.of("soc").items():
        if force in scope.forces:
            values[organisation_name(force), soc] = float(count)
    total = sum(tally.total[f] for f in scope.forces)
    most = max(scope.forces, key=lambda f: tally.total[f])
    summary = (
        f"{_plural(total, 'disruption')} across the forces; {organisation_name(most)} "
        f"recorded the most ({tally.total[most]:,})."
        if total
        else f"No disruptions recorded from {scope.period}."
    )
    chart = stacked_chart(
        "Disruptions by force",
        scope.names(),
        list(SOC_SERIES),
        values,
        measure=DISRUPTIONS,
        category="Force",
        summary=summary,
        horizontal=True,
    )
    return Figure(
        "force",
        "Disruptions by force",
        "Each disruption counts for the force that recorded it, split into county lines "
        "work and all other serious and organised crime.",
        scope.period,
        chart,
        (_disruption_links(scope),),
    )


def _county_lines(scope: Scope, tally: DisruptionTally) -> Figure:
    soc = tally.values("soc", scope.forces)
    lines, other = soc[COUNTY_LINES], soc[OTHER_SOC]
    comparison = (
        "more than all other serious and organised crime together"
        if lines > other
        else "as many as all other serious and organised crime together"
        if lines == other
        else "fewer than all other serious and organised crime together"
    )
    summary = (
        f"{_plural(lines, 'county lines disruption')}, {comparison} "
        f"({_plural(other, 'disruption')})."
    )
    if scope.force:
        themes = tally.values("theme", [scope.force])
        items = [(v.THEMES[code], float(themes[code])) for code in v.THEMES]
        if themes[""]:
            items.append(("No theme recorded", float(themes[""])))
        chart = bar_chart(
            "County lines against other serious and organised crime",
            items,
            measure=DISRUPTIONS,
            category="Threat theme",
            summary=summary,
        )
    else:
        values = {
            (organisation_name(force), key): float(count)
            for (force, key), count in tally.of("soc").items()
            if force in scope.forces
        }
        chart = grouped_chart(
            "County lines against other serious and organised crime",
            scope.names(),
            list(SOC_SERIES),
            values,
            measure=DISRUPTIONS,
            category="Force",
            summary=summary,
        )
    return Figure(
        "county_lines",
        "County lines against other serious and organised crime",
        "Disruptions with the drugs and county lines theme, or recorded against a county "
        "line, set beside those of every other threat theme of the regional unit's range "
        "(child sexual exploitation, modern slavery and human trafficking, firearms, fraud, "
        "cybercrime, money laundering).",
        scope.period,
        chart,
        (
            _disruption_links(scope, "The county lines disruptions", theme="drugs_county_lines"),
            _disruption_links(scope, "Every disruption counted"),
        ),
    )


def _grades(scope: Scope, tally: DisruptionTally) -> Figure:
    if scope.force:
        # Grade by validation: how much of each grade a supervisor has confirmed.
        values: dict[tuple[str, str], float] = {}
        for (force, key), count in tally.of("grade_validation").items():
            if force == scope.force:
                grade, state = key.split("|", 1)
                values[v.word(grade, v.GRADES), v.word(state, v.VALIDATION_STATES)] = float(count)
        pending = tally.values("validation", [scope.force])["claimed"]
        total = tally.total[scope.force]
        summary = (
            f"{_plural(total, 'disruption')}; {pending:,} still awaiting a supervisor's "
            "validation of the grade claimed."
            if total
            else f"No disruptions recorded from {scope.period}."
        )
        chart = stacked_chart(
            "Disruptions by grade",
            list(v.GRADES.values()),
            [v.VALIDATION_STATES[s] for s in VALIDATION_SERIES],
            values,
            measure=DISRUPTIONS,
            category="Grade",
            summary=summary,
            horizontal=True,
        )
    else:
        chart = _by_dimension(
            scope, tally, "grade", dict(v.GRADES), title="Disruptions by grade", category="Grade"
        )
    return Figure(
        "grade",
        "Disruptions by grade",
        "Graded by impact on the group's capability (major, moderate, minor). The grade "
        "counted is the supervisor's once validated or regraded, else the grade claimed.",
        scope.period,
        chart,
        (_disruption_links(scope, "Disruptions awaiting validation", validation="claimed"),),
    )


def _strands(scope: Scope, tally: DisruptionTally) -> Figure:
    chart = _by_dimension(
        scope, tally, "strand", dict(v.STRANDS), title="Disruptions by 4P strand", category="Strand"
    )
    return Figure(
        "strand",
        "Disruptions by 4P strand",
        "Each disruption counts once, under the strand of the 4P plan it served: Pursue, "
        "Prevent, Protect or Prepare.",
        scope.period,
        chart,
        (_disruption_links(scope),),
    )


def _tactics(scope: Scope, tally: DisruptionTally) -> Figure:
    chart = _by_dimension(
        scope,
        tally,
        "tactic",
        dict(v.TACTICS),
        title="Tactics used",
        category="Tactic",
        measure="Times used",
    )
    return Figure(
        "tactic",
        "Tactics used",
        "Each tactic recorded on a disruption counts once (two arrests and a seizure count "
        "two arrests and one seizure); a disruption may use several.",
        scope.period,
        chart,
        (_disruption_links(scope),),
    )


def _sentences(scope: Scope, tally: DisruptionTally) -> Figure:
    months = sum(tally.custodial_months[f] for f in scope.forces)
    convictions = sum(tally.convictions[f] for f in scope.forces)
    summary = (
        f"{_years(months)} of custodial sentences and {_plural(convictions, 'conviction')} "
        f"followed the disruptions from {scope.period}."
    )
    if scope.force:
        by_soc = tally.values("soc_months", [scope.force])
        items = [(key, round(by_soc[key] / 12, 1)) for key in SOC_SERIES]
        chart = bar_chart(
            "Custodial sentences",
            items,
            measure="Years of custodial sentences",
            category="Work",
            summary=summary,
        )
    else:
        items = [
            (organisation_name(f), round(tally.custodial_months[f] / 12, 1)) for f in scope.forces
        ]
        chart = bar_chart(
            "Custodial sentences",
            items,
            measure="Years of custodial sentences",
            category="Force",
            summary=summary,
        )
    return Figure(
        "sentences",
        "Custodial sentences and convictions",
        "Court outcomes recorded on the period's disruptions, whenever the court decided: "
        "custodial months of every custodial sentence added up, and each person convicted "
        "counted once per disruption. Suspended sentences are not custodial.",
        scope.period,
        chart,
        (_disruption_links(scope, "The disruptions and their court outcomes"),),
    )


def _teams(scope: Scope, tally: DisruptionTally) -> Figure:
    if scope.force:
        teams = tally.values("team", [scope.force])
        months = tally.values("team_months", [scope.force])
        names = sorted(teams, key=lambda t: (-teams[t], t))
        items = [(t or "No team recorded", float(teams[t])) for t in names]
        partner = tally.partner_led[scope.force]
        summary = (
            f"{len(names)} team(s) recorded disruptions; {_plural(partner, 'disruption')} "
            "led by a partner organisation."
            if names
            else f"No disruptions recorded from {scope.period}."
        )
        chart = bar_chart(
            "Disruptions by team", items, measure=DISRUPTIONS, category="Team", summary=summary
        )
        rows = [(t or "No team recorded", _years(months[t])) for t in names]
        chart.extra["sentences_by_team"] = rows
    else:
        values: dict[tuple[str, str], float] = {}
        for force in scope.forces:
            partner = tally.partner_led[force]
            values[organisation_name(force), "Police-led"] = float(tally.total[force] - partner)
            values[organisation_name(force), "Partner-led"] = float(partner)
        partner_total = sum(tally.partner_led[f] for f in scope.forces)
        chart = stacked_chart(
            "Police-led and partner-led disruptions",
            scope.names(),
            ["Police-led", "Partner-led"],
            values,
            measure=DISRUPTIONS,
            category="Force",
            summary=f"{_plural(partner_total, 'disruption')} led by a partner organisation.",
            horizontal=True,
        )
    return Figure(
        "teams",
        "Who disrupted: teams and partners" if scope.force else "Police-led and partner-led",
        "Disruptions by the team recorded on them (a county lines team, a serious organised "
        "crime unit…) and whether a partner organisation led (a housing closure order); for "
        "a force, the custodial sentences that followed each team's disruptions.",
        scope.period,
        chart,
        (_disruption_links(scope),),
    )


def _coverage(scope: Scope, coverage: GroupCoverage) -> Figure:
    on = uk_date(coverage.on)
    rows = [coverage.of(force) for force in scope.forces]
    groups = sum(r.groups for r in rows)
    if scope.force:
        row = coverage.of(scope.force)
        items = [(label, float(row.measure(key))) for key, label in MEASURES]
        weakest = min(MEASURES, key=lambda m: row.measure(m[0]))
        summary = (
            f"Of {_plural(row.groups, 'mapped group')}, the measure met least often is "
            f"“{_sentence_case(weakest[1])}”: {_share(row.measure(weakest[0]), row.groups)}."
            if row.groups
            else "No mapped groups you may see."
        )
        chart = bar_chart(
            f"Mapped groups ({row.groups:,}) and their coverage",
            items,
            measure="Groups",
            category="Measure",
            summary=summary,
        )
    else:
        values = {
            (organisation_name(r.force), label): float(r.measure(key))
            for r in rows
            for key, label in (("groups", "Mapped groups"), *MEASURES)
        }
        summary = f"{_plural(groups, 'mapped group')} across the forces on {on}." + "".join(
            f" {label}: {_share(sum(r.measure(key) for r in rows), groups)}."
            for key, label in MEASURES
        )
        chart = grouped_chart(
            "Mapped groups and their coverage",
            scope.names(),
            ["Mapped groups", *(label for _, label in MEASURES)],
            values,
            measure="Groups",
            category="Force",
            summary=summary,
        )
    force_param = f"?force={scope.force}" if scope.force else ""
    return Figure(
        "coverage",
        "Group coverage",
        f"Mapped (not archived) crime groups the reader may see, on {on}: with a lead "
        "responsible officer named; whose newest MoRiLE assessment is not past its review "
        "date; whose 4P plan review is in date with no action late; and with a disruption "
        f"recorded against the group in the {DISRUPTION_WINDOW_DAYS} days up to {on}.",
        f"on {on}",
        chart,
        (
            Link("The mapped groups", "/groups"),
            Link("The MoRiLE priority list", f"/groups/priorities{force_param}"),
        ),
    )


def _withheld(key: str, title: str, period: str, reason: str) -> Figure:
    return Figure(key, title, "", period, None, withheld=reason)


def _others(scope: Scope, others: OtherFigures) -> list[Figure]:
    on = f"on {uk_date(others.on)}"
    names = {code: organisation_name(code) for code in scope.forces}
    out = []
    if others.sharing is None:
        out.append(_withheld("sharing", "Routine sharing", on, others.refusals["sharing"]))
    else:
        values: dict[tuple[str, str], float] = {}
        front_total, partner_total = [0, 0], [0, 0]
        for f in others.sharing.forces:
            if f.code not in names:
                continue
            values[names[f.code], "Reached the frontline in 7 days"] = 100 * (
                f.frontline.share or 0
            )
            values[names[f.code], "Reached covered partners"] = 100 * (f.partners.share or 0)
            front_total = [front_total[0] + f.frontline.reached, front_total[1] + f.frontline.due]
            partner_total = [
                partner_total[0] + f.partners.reached,
                partner_total[1] + f.partners.due,
            ]
        summary = (
            f"Threat notices that reached the frontline within 7 days: {_share(*front_total)}; "
            f"that reached the partners an agreement covers: {_share(*partner_total)}."
        )
        chart = grouped_chart(
            "Routine sharing of threat notices",
            [names[c] for c in scope.forces],
            ["Reached the frontline in 7 days", "Reached covered partners"],
            values,
            measure="Per cent",
            category="Force",
            summary=summary,
        )
        out.append(
            Figure(
                "sharing",
                "Routine sharing with the frontline and partners",
                "Of the force's active threat notices, the share (over notice and area) that "
                "reached the area's frontline within 7 days of publication, and the share (over "
                "notice and partner an agreement covers) that reached the partner "
                "(the sharing dashboard's definitions).",
                on,
                chart,
                (Link("The sharing dashboard", "/sharing"),),
            )
        )
    if others.prison is None:
        out.append(_withheld("prison", "Prison monitoring", on, others.refusals["prison"]))
    else:
        values = {}
        custody = planned = 0
        for p in others.prison:
            if p.force not in names:
                continue
            values[names[p.force], "In custody"] = float(p.in_custody)
            values[names[p.force], "Under an in-date plan"] = float(p.under_plan)
            custody += p.in_custody
            planned += p.under_plan
        chart = grouped_chart(
            "Crime group members in prison",
            [names[c] for c in scope.forces],
            ["In custody", "Under an in-date plan"],
            values,
            measure="Members",
            category="Force",
            summary=f"Crime group members in custody under an in-date monitoring plan: "
            f"{_share(planned, custody)}.",
        )
        out.append(
            Figure(
                "prison",
                "Monitoring crime group members in prison",
                "Members of the force's crime groups in custody, and those under an open "
                "monitoring plan whose review is in date (the prison dashboard's definitions).",
                on,
                chart,
                (Link("The prison monitoring dashboard", "/prison"),),
            )
        )
    if others.safeguarding is None:
        out.append(_withheld("safeguarding", "Safeguarding", on, others.refusals["safeguarding"]))
    else:
        values = {}
        screened, first = [0, 0], [0, 0]
        for s in others.safeguarding.forces:
            if s.code not in names:
                continue
            values[names[s.code], "Screened before charge"] = 100 * (
                s.screened_before_charge.share or 0
            )
            values[names[s.code], "First raised by a partner"] = 100 * (
                s.first_by_partner.share or 0
            )
            sb, fp = s.screened_before_charge, s.first_by_partner
            screened = [screened[0] + sb.reached, screened[1] + sb.due]
            first = [first[0] + fp.reached, first[1] + fp.due]
        chart = grouped_chart(
            "Identifying vulnerable people",
            [names[c] for c in scope.forces],
            ["Screened before charge", "First raised by a partner"],
            values,
            measure="Per cent",
            category="Force",
            summary=f"Under-18s charged with drug supply screened first: {_share(*screened)}; "
            f"people whose vulnerability a partner raised first: {_share(*first)}.",
        )
        out.append(
            Figure(
                "safeguarding",
                "Consistent identification of vulnerable people",
                "Of charge decisions on suspects who may be under 18 for drug supply, the share "
                "screened for exploitation before the decision; of people with any concern or "
                "screening, the share whose first was raised by a partner, not police (the "
                "safeguarding consistency dashboard's definitions).",
                on,
                chart,
                (Link("The safeguarding consistency dashboard", "/safeguarding/dashboard"),),
            )
        )
    return out


def _line_statuses(scope: Scope, others: OtherFigures) -> Figure:
    title = "County lines by status"
    if others.lines is None:
        return _withheld("line_status", title, "now", others.refusals["lines"])
    lines = [line for line in others.lines if line.owner in scope.forces]
    counts = Counter((line.owner, line.status) for line in lines)
    total = Counter(line.status for line in lines)
    summary = (
        f"{_plural(len(lines), 'county line')}: "
        + ", ".join(f"{total[s]:,} {s.label.lower()}" for s in LineStatus)
        + "."
        if lines
        else "No county lines you may see."
    )
    if scope.force:
        chart = bar_chart(
            title,
            [(s.label, float(total[s])) for s in LineStatus],
            measure="County lines",
            category="Status",
            summary=summary,
        )
    else:
        chart = stacked_chart(
            title,
            scope.names(),
            [s.label for s in LineStatus],
            {
                (organisation_name(force), status.label): float(n)
                for (force, status), n in counts.items()
            },
            measure="County lines",
            category="Force",
            summary=summary,
            horizontal=True,
        )
    return Figure(
        "line_status",
        title,
        "Each county line the reader may see, owned by the force, at its current status "
        "(active, disrupted, closed or re-emerged), as its latest status change recorded "
        "with its evidence; a line with no change recorded is active.",
        "as it stands now",
        chart,
        (Link("The county lines and their status", "/county-lines"),),
    )


def _findings(scope: Scope, others: OtherFigures) -> Figure:
    title = "Areas for improvement"
    if others.findings is None:
        return _withheld("findings", title, "now", others.refusals["findings"])
    findings = [f for f in others.findings if f.force in scope.forces]
    rows = []
    for f in findings:
        if f.responded_on is not None:
            response = f"Responded {uk_date(f.responded_on)}"
        else:
            when = "overdue" if f.response_overdue else "due"
            response = f"Response {when} {uk_date(f.response_due)}"
        open_actions = sum(1 for a in f.actions if not a.status.closed)
        rows.append(
            (
                f"{f.title}: {f.wording}",
                *(() if scope.force else (organisation_name(f.force),)),
                uk_date(f.published_on),
                response,
                f"{open_actions} open, {f.actions_late} late, {len(f.actions)} in all",
                f.status.label,
            )
        )
    headers = ("Finding", *(() if scope.force else ("Force",)), "Published", "Response")
    table = Table(title, (*headers, "Actions", "Status"), tuple(rows), numeric=False)
    still_open = sum(1 for f in findings if f.status.value == "open")
    overdue = sum(1 for f in findings if f.response_overdue)
    late = sum(f.actions_late for f in findings)
    summary = (
        f"{_plural(len(findings), 'finding')}, {still_open:,} open; "
        f"{_plural(overdue, 'response')} overdue; {_plural(late, 'action')} late."
        if findings
        else "No findings recorded."
    )
    force_param = f"?force={scope.force}" if scope.force else ""
    return Figure(
        "findings",
        "Progress on the areas for improvement",
        "The findings recorded in the areas-for-improvement tracker (areas for improvement, "
        "recommendations, causes of concern), the force's response (due 56 days after the "
        "report's publication) and its actions: open, late (past their due date and not "
        "done) and in all.",
        "as it stands now",
        Chart(title, "", table, summary, empty=True),
        (Link("The areas-for-improvement tracker", f"/improvement{force_param}"),),
    )


def build_figures(
    *,
    force: str | None,
    forces: Sequence[str],
    start: date,
    end: date,
    tally: DisruptionTally,
    coverage: GroupCoverage,
    others: OtherFigures,
) -> FigureSet:
    """Every figure for one force (`force`) or the region's `forces` side by side."""
    scope = Scope(force, tuple(forces), start, end)
    figures = [
        _by_force(scope, tally) if not force else _months(scope, tally),
        _county_lines(scope, tally),
        _grades(scope, tally),
        _strands(scope, tally),
        _tactics(scope, tally),
        _sentences(scope, tally),
        _teams(scope, tally),
        _coverage(scope, coverage),
        _line_statuses(scope, others),
        *_others(scope, others),
        _findings(scope, others),
    ]
    if not force:
        figures.append(_months(scope, tally))
    soc = tally.values("soc", scope.forces)
    total = sum(tally.total[f] for f in scope.forces)
    months = sum(tally.custodial_months[f] for f in scope.forces)
    groups = sum(coverage.of(f).groups for f in scope.forces)
    headlines = (
        ("Disruptions", f"{total:,}"),
        ("County lines disruptions", f"{soc[COUNTY_LINES]:,}"),
        ("Other serious and organised crime disruptions", f"{soc[OTHER_SOC]:,}"),
        ("Awaiting validation", f"{tally.values('validation', scope.forces)['claimed']:,}"),
        ("Custodial sentences", _years(months)),
        ("Mapped groups", f"{groups:,}"),
    )
    return FigureSet({f.key: f for f in figures}, headlines)
