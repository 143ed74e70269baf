"""axe-core accessibility audits of pages in the browser tests.

The vendored axe.min.js (tests/browser/vendor/axe-core/, refreshed by
scripts/vendor-assets) runs against WCAG 2.0, 2.1 and 2.2 A and AA rules. Serious and
critical violations fail the test; minor and moderate ones are recorded and listed at
the end of the run, and every finding is written to test-artifacts/axe-report.txt
(axe-report-gw0.txt and so on, one per worker, under pytest-xdist).

The app's Content-Security-Policy forbids inline scripts, so `page.add_script_tag`
(which inserts the file's text as an inline script) is refused by the browser. axe is
evaluated through the DevTools protocol instead, which the page's CSP does not govern:
the pages under test keep their real policy rather than running with it bypassed.

axe needs JavaScript (it never finishes where scripts are off), so a page from a context
with JavaScript off is audited by opening the same URL, with the same cookies, in a twin
context with it on. That is the same server-rendered page for a GET; a page that answers
a POST cannot be reopened, so audit those with JavaScript on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

AXE_JS = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING = {"serious", "critical"}


@dataclass
class AxeAudit:
    """Audits pages for one test; keeps the findings that do not fail it."""

    report: Path
    audited: list[str] = field(default_factory=list)
    lesser: list[str] = field(default_factory=list)

    def check(self, page: Page, label: str) -> None:
        """Run axe on the page as it is now; fail on any serious or critical violation."""
        # A click that navigates returns before the new document has a body; wait for it.
        page.wait_for_load_state("domcontentloaded")
        page.wait_for_function("() => document.body !== null")
        # The base template's first script marks <body> with js-enabled, as GOV.UK's does.
        if not page.evaluate("() => document.body.classList.contains('js-enabled')"):
            self._check_twin(page, label + " (JavaScript off; audited with it on)")
            return
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(f"() => {{ {AXE_JS.read_text(encoding='utf-8')}\n}}")
        result: dict[str, Any] = page.evaluate(
            "options => window.axe.run(document, options)",
            {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
        )
        where = f"{label} ({page.url})"
        self.audited.append(where)
        failing: list[str] = []
        lesser: list[str] = []
        lines: list[str] = []
        for violation in result["violations"]:
            targets = ", ".join(
                " ".join(str(t) for t in node["target"]) for node in violation["nodes"][:5]
            )
            line = (
                f"{where}: {violation['impact']} {violation['id']} — {violation['help']} "
                f"[{targets}] {violation['helpUrl']}"
            )
            lines.append(line)
            (failing if violation["impact"] in FAILING else lesser).append(line)
        with self.report.open("a", encoding="utf-8") as out:
            out.write(f"{where}: {len(lines)} violation(s)\n")
            out.writelines(f"  {line}\n" for line in lines)
        for line in lesser:
            print(line)
        self.lesser.extend(lesser)
        assert not failing, "axe-core found serious or critical violations:\n" + "\n".join(failing)

    def _check_twin(self, page: Page, label: str) -> None:
        browser = page.context.browser
        assert browser is not None
        twin = browser.new_context(storage_state=page.context.storage_state())
        try:
            twin_page = twin.new_page()
            twin_page.goto(page.url)
            self.check(twin_page, label)
        finally:
            twin.close()
