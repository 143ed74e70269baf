"""Charts of figures as SVG: Altair (Vega-Lite) specs rendered offline by vl-convert.

Every chart is drawn on the server and goes inline in the page and the PDF, so it prints
and needs no JavaScript. The SVG vl-convert writes has no `<script>`, no `<style>` and no
`style=""` attribute (presentation attributes only), so the app's Content-Security-Policy
lets it through. A chart never stands alone: `Chart` carries the same figures as a
table (`Table`, shown as a GOV.UK table under it) and a sentence that says what it shows.

The first render in a process starts vl-convert's JavaScript engine (about a second);
later ones take tens of milliseconds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

__all__ = ["GOVUK_COLOURS", "Chart", "Table", "bar_chart", "grouped_chart", "stacked_chart"]

# GOV.UK Design System colours, in the order series take them.
GOVUK_COLOURS = ("#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c", "#505a5f", "#28a197")
# DejaVu Sans first: WeasyPrint draws the PDF with it, and vl-convert must measure the
# labels with the font they are drawn in, or long ones are cut off.
_FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"
WIDTH = 560
_INNER_ARIA = re.compile(r' (?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"')


@dataclass(frozen=True, slots=True)
class Table:
    """The figures of a chart as rows: `headers` name the columns, numbers are text."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: bool = True  # the columns after the first hold numbers (right-aligned)

    def as_dict(self) -> dict[str, Any]:
        return {"caption": self.caption, "headers": list(self.headers), "rows": self.rows}


@dataclass(frozen=True, slots=True)
class Chart:
    """An SVG chart, the table of its figures and a sentence saying what it shows."""

    title: str
    svg: str
    table: Table
    summary: str
    empty: bool = False  # nothing to draw: pages show the summary alone
    extra: dict[str, Any] = field(default_factory=dict)


def _config() -> dict[str, Any]:
    return {
        "font": _FONT,
        "view": {"stroke": None},
        "axis": {"labelFontSize": 12, "titleFontSize": 13, "labelColor": "#0b0c0c"},
        "legend": {"labelFontSize": 12, "titleFontSize": 13, "orient": "bottom", "labelLimit": 400},
        "title": {"fontSize": 15, "anchor": "start", "color": "#0b0c0c"},
    }


def _render(spec: dict[str, Any], label: str) -> str:
    """The spec as inline SVG: scales to its container, one accessible name, no sizes."""
    import vl_convert  # imported here: it starts a JavaScript engine on first use

    svg: str = vl_convert.vegalite_to_svg(spec)
    # Let the page set the width (the viewBox keeps the proportions), and give the whole
    # drawing one name for screen readers: the table under it carries the figures.
    svg = re.sub(r'^<svg([^>]*?) width="[\d.]+" height="[\d.]+"', r"<svg\1", svg, count=1)
    # Inside an image the parts are not read one by one: Vega's own roles and labels on
    # every mark would only be noise (the table under the chart has the figures).
    svg = _INNER_ARIA.sub("", svg)
    return svg.replace(
        "<svg ",
        f'<svg width="100%" role="img" aria-label="{escape(label, quote=True)}" focusable="false" ',
        1,
    )


def _axis(largest: float, **options: Any) -> Any:
    """A value axis: whole-number ticks for small counts (no "0.5 disruptions")."""
    import altair as alt  # imported here: half a second of jsonschema, for chart pages only

    if largest <= 10 and float(largest).is_integer():
        return alt.Axis(values=list(range(int(largest) + 1)), format="d", **options)
    return alt.Axis(format=",~r", **options)


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def bar_chart(
    title: str,
    items: Sequence[tuple[str, float]],
    *,
    measure: str,
    category: str,
    summary: str,
    colour: str = GOVUK_COLOURS[0],
    sort: bool = False,
) -> Chart:
    """Horizontal bars, one per `(label, value)` of `items` (in order, or by size)."""
    table = Table(
        title, (category, measure), tuple((label, _number(value)) for label, value in items)
    )
    if not items or not any(value for _, value in items):
        return Chart(title, "", table, summary, empty=True)
    import altair as alt  # imported here: half a second of jsonschema, for chart pages only

    values = [{"label": label, "value": value} for label, value in items]
    order: Any = "-x" if sort else [label for label, _ in items]
    chart = (
        alt.Chart(alt.InlineData(values=values))
        .mark_bar(color=colour)
        .encode(
            y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=220)),
            x=alt.X("value:Q", title=measure, axis=_axis(max(v for _, v in items))),
        )
    )
    text = chart.mark_text(align="left", dx=3, color="#0b0c0c").encode(text="value:Q")
    spec = (chart + text).properties(width=WIDTH - 240).to_dict()
    spec["config"] = _config()
    return Chart(title, _render(spec, f"{title}. {summary}"), table, summary)


def stacked_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[str],
    values: dict[tuple[str, str], float],
    *,
    measure: str,
    category: str,
    summary: str,
    horizontal: bool = False,
    colours: Sequence[str] = GOVUK_COLOURS,
) -> Chart:
    """Bars of `categories`, each stacked by `series`; `values[(category, series)]`.

    The table has a column per series and a total column.
    """
    rows = []
    for name in categories:
        counts = [values.get((name, s), 0) for s in series]
        rows.append((name, *(_number(c) for c in counts), _number(sum(counts))))
    table = Table(title, (category, *series, "Total"), tuple(rows))
    if not any(values.get((c, s), 0) for c in categories for s in series):
        return Chart(title, "", table, summary, empty=True)
    import altair as alt  # imported here: half a second of jsonschema, for chart pages only

    data = [
        {"category": c, "series": s, "value": values.get((c, s), 0), "order": i}
        for c in categories
        for i, s in enumerate(series)
    ]
    colour = alt.Color(
        "series:N",
        title=None,
        sort=list(series),
        scale=alt.Scale(domain=list(series), range=list(colours[: len(series)])),
    )
    cat_axis = alt.Axis(labelLimit=220, labelAngle=0 if horizontal else -40)
    cat: alt.X | alt.Y = alt.X("category:N", title=None, sort=list(categories), axis=cat_axis)
    largest = max(sum(values.get((c, s), 0) for s in series) for c in categories)
    val: alt.X | alt.Y = alt.Y("sum(value):Q", title=measure, axis=_axis(largest))
    if horizontal:
        cat = alt.Y("category:N", title=None, sort=list(categories), axis=cat_axis)
        val = alt.X("sum(value):Q", title=measure, axis=_axis(largest))
    chart = (
        alt.Chart(alt.InlineData(values=data))
        .mark_bar()
        .encode(cat, val, colour, order=alt.Order("order:Q"))
        .properties(width=WIDTH - (240 if horizontal else 80))
    )
    if not horizontal:
        chart = chart.properties(height=220)
    spec = chart.to_dict()
    spec["config"] = _config()
    return Chart(title, _render(spec, f"{title}. {summary}"), table, summary)


def grouped_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[str],
    values: dict[tuple[str, str], float],
    *,
    measure: str,
    category: str,
    summary: str,
    colours: Sequence[str] = GOVUK_COLOURS,
) -> Chart:
    """Bars of `categories` side by side, one per series (figures that do not add up)."""
    rows = tuple(
        (name, *(_number(values.get((name, s), 0)) for s in series)) for name in categories
    )
    table = Table(title, (category, *series), rows)
    if not any(values.get((c, s), 0) for c in categories for s in series):
        return Chart(title, "", table, summary, empty=True)
    import altair as alt  # imported here: half a second of jsonschema, for chart pages only

    data = [
        {"category": c, "series": s, "value": values.get((c, s), 0)}
        for c in categories
        for s in series
    ]
    chart = (
        alt.Chart(alt.InlineData(values=data))
        .mark_bar()
        .encode(
            x=alt.X(
                "category:N",
                title=None,
                sort=list(categories),
                axis=alt.Axis(labelLimit=220, labelAngle=-40),
            ),
            xOffset=alt.XOffset("series:N", sort=list(series)),
            y=alt.Y("value:Q", title=measure, axis=_axis(max(values.values()))),
            color=alt.Color(
                "series:N",
                title=None,
                sort=list(series),
                scale=alt.Scale(domain=list(series), range=list(colours[: len(series)])),
            ),
        )
        .properties(width=WIDTH - 80, height=220)
    )
    spec = chart.to_dict()
    spec["config"] = _config()
    return Chart(title, _render(spec, f"{title}. {summary}"), table, summary)
