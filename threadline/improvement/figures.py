"""The Threadline figures that evidence progress on a finding: a registry by key.

Each figure is one force's value of a figure the stats already compute (and whose
dashboards define it); an action names its figure by key, and the tracker shows the
figure as it stands today beside the action. Counts only: no personal data.

- `sharing_frontline`: of the force's active threat notices, the share (over notice and
  area) that reached the area's frontline within 7 days (`stats.sharing`).
- `sharing_partners`: of the force's active notices an agreement lets it share with a
  partner, the share that reached the partner (`stats.sharing`).
- `briefings_acknowledged`: of briefings delivered to the force's areas, the share an
  officer acknowledged (`stats.sharing`).
- `prison_under_plan`: of the force's crime group members in custody, the share under an
  open monitoring plan whose review is in date (`prison.dashboard`).
- `screened_before_charge`: of under-18s charged with drug supply in the force, the share
  screened for exploitation before the charge decision (`stats.safeguarding`).
- `first_raised_by_partner`: of people first recorded with exploitation indicators, the
  share first raised by a partner (`stats.safeguarding`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from threadline.improvement.types import FigureValue
from threadline.prison.dashboard import force_figures
from threadline.stats.safeguarding import safeguarding_consistency
from threadline.stats.shares import Share
from threadline.stats.sharing import sharing_coverage

Compute = Callable[[Session, str, date], Share]


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure that may evidence progress: its label, method and how to compute it."""

    key: str
    label: str
    method: str
    href: str
    compute: Compute


def _sharing(attribute: str) -> Compute:
    def compute(session: Session, force: str, on: date) -> Share:
        for figures in sharing_coverage(session, on=on).forces:
            if figures.code == force:
                share: Share = getattr(figures, attribute)
                return share
        return Share()

    return compute


def _prison(session: Session, force: str, on: date) -> Share:
    for figures in force_figures(session, on):
        if figures.force == force:
            return Share(due=figures.in_custody, reached=figures.under_plan)
    return Share()


def _safeguarding(attribute: str) -> Compute:
    def compute(session: Session, force: str, on: date) -> Share:
        for figures in safeguarding_consistency(session).forces:
            if figures.code == force:
                share: Share = getattr(figures, attribute)
                return share
        return Share()

    return compute


FIGURES: dict[str, Figure] = {
    figure.key: figure
    for figure in (
        Figure(
            "sharing_frontline",
            "Threat notices reaching the frontline within 7 days",
            "Of the force's active threat notices, the share (over each notice and area it "
            "concerns) that reached that area's frontline within 7 days of publication.",
            "/sharing",
            _sharing("frontline"),
        ),
        Figure(
            "sharing_partners",
            "Threat notices reaching partners an agreement covers",
            "Of the force's active notices that an agreement lets it share with a partner, "
            "the share that reached that partner.",
            "/sharing",
            _sharing("partners"),
        ),
        Figure(
            "briefings_acknowledged",
            "Shift briefings acknowledged",
            "Of the briefings delivered to the force's areas, the share at least one officer "
            "acknowledged.",
            "/sharing",
            _sharing("briefings_acknowledged"),
        ),
        Figure(
            "prison_under_plan",
            "Crime group members in prison under an in-date monitoring plan",
            "Of the force's crime group members in custody, the share with an open "
            "monitoring plan whose review is not overdue.",
            "/prison",
            _prison,
        ),
        Figure(
            "screened_before_charge",
            "Under-18s screened for exploitation before a drug supply charge",
            "Of the under-18s in the force charged with drug supply, the share screened for "
            "exploitation before the charge decision.",
            "/safeguarding",
            _safeguarding("screened_before_charge"),
        ),
        Figure(
            "first_raised_by_partner",
            "Exploitation first raised by a partner",
            "Of the people first recorded with exploitation indicators in the force, the "
            "share a partner raised first.",
            "/safeguarding",
            _safeguarding("first_by_partner"),
        ),
    )
}
FIGURES_TEXT = "one of " + ", ".join(FIGURES)


def figure_text(share: Share) -> str:
    """How a share reads: "62% (31 of 50)", or that nothing was due yet."""
    if share.share is None:
        return "Nothing counted yet"
    return f"{round(share.share * 100)}% ({share.reached} of {share.due})"


class FigureCache:
    """Figures computed once per force and day while a page is put together."""

    def __init__(self, session: Session, on: date) -> None:
        self.session = session
        self.on = on
        self._found: dict[tuple[str, str], FigureValue] = {}

    def value(self, key: str | None, force: str) -> FigureValue | None:
        figure = FIGURES.get(key or "")
        if figure is None:
            return None
        found = self._found.get((key or "", force))
        if found is None:
            share = figure.compute(self.session, force, self.on)
            found = FigureValue(
                key=figure.key,
                label=figure.label,
                method=figure.method,
                text=figure_text(share),
                share=share.share,
                href=figure.href,
            )
            self._found[(figure.key, force)] = found
        return found
