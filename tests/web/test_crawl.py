"""Every page a demo user can reach by following links answers without a server error.

A crawl, as each kind of user, of the demo region with everything switched on (routine
sharing, prison, safeguarding): from the start page, follow every same-site link (GET
only, never sign-out) breadth first, up to a budget per user and a few pages of each
shape of address (so every kind of page is reached, not eighty people's profiles). It
catches a page that breaks on real data, which per-feature tests on hand-made worlds can
miss, and a section the navigation offers that then refuses the user.

Every page's visible text (tags stripped; attribute values, scripts, `<code>`, `<pre>`
and form values ignored) is also read for internal values a user should never see: a
raw ISO timestamp or date (`2026-12-07T06:40`, `2026-12-07`), a bare record id used as
a label ("Person 5851", "Id 23"), a Python repr (`None`, `True`, `False`), and an area's
or organisation's code where its name belongs ("Ashford (kent)", "to essex-mash").
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.web.conftest import csrf_token
from threadline.accounts import passwords
from threadline.demo import build_demo
from threadline.demo.capabilities import add_demo_capabilities
from threadline.demo.security import add_demo_security
from threadline.reference import geography
from threadline.settings import Settings
from threadline.storage.db import make_engine, migrate, session_scope
from threadline.storage.reference import seed_region
from threadline.web import create_app

PASSWORD = "crawl-test-password-long-enough"
SECRET = "crawl-test-secret-key-long-enough-for-hmac-signing"
PAGES_PER_USER = 120
SAME_KIND = 3  # pages visited per shape of address (/people/N?tab=...), so all kinds are seen
USERS = (
    "officer@norfolk",
    "analyst@norfolk",
    "lro@norfolk",
    "supervisor@norfolk",
    "dpo@norfolk",
    "prison@hmp-norwich",
    "partner@norfolk-cads",
    "partner@probation-east-of-england",
    "admin@ersou",
)
LINK = re.compile(r'href="(/[^"#]*)"')
SKIP = re.compile(r"^/(static|assets)/|\.pdf$|^/sign-out|\.json$")
# What a user must never read: (what it is, pattern over the page's visible text).
INTERNAL = (
    ("an ISO timestamp", re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")),
    ("an ISO date", re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])")),
    (
        "a record id as a label",
        re.compile(
            r"\b(Person|Id|ID|Record|Entity|Nominal|Vehicle|Phone|Group|Organisation|Episode"
            r"|Plan|Item|Screening|Notice|Concern|Alert|Line|Report) #?\d{1,7}\b(?![-/:.,]\d)"
        ),
    ),
    # English "None" ("None waiting.", "None of the links ...") is not a repr.
    ("a Python value", re.compile(r"\b(True|False)\b|\bNone\b(?! (of|waiting|known|recorded))")),
)
# Codes of the region's areas and organisations, each with the name people know it by.
CODE_NAMES = {
    **{a.code: a.name for a in geography.all_areas()},
    **{a.code: a.name for a in geography.EXPORTING_AREAS},
    **{f.code: f.name for f in geography.FORCES},
    **{p.code: p.name for p in geography.PRISONS},
    **{p.code: p.name for p in geography.PARTNER_TEMPLATES},
    geography.REGIONAL_UNIT[0]: geography.REGIONAL_UNIT[1],
}
_ANY_CODE = "|".join(sorted(map(re.escape, CODE_NAMES), key=len, reverse=True))
_HYPHENATED = "|".join(
    sorted((re.escape(code) for code in CODE_NAMES if "-" in code), key=len, reverse=True)
)
# A code shown where its name belongs: "Ashford (kent)", "Threat notices: essex to
# essex-mash", "active in colchester, epping-forest", "agency:norfolk-cads". Matched case
# sensitively, and after a word only when hyphenated, since a plain code such as "norfolk"
# is the lowercase of a word ("Norfolk"). "Name (code)" next to its own name is allowed:
# an administrator picks an organisation by name and code.
CODES = (
    re.compile(rf"\(({_ANY_CODE})\)"),
    re.compile(rf"(?:\b(?:to|for|into|in|from|of|and)|,) ({_HYPHENATED})(?![\w@/-])"),
    re.compile(rf"\b(?:agency|area):({_ANY_CODE})(?![\w-])"),
)
NAVIGATION = re.compile(r'class="govuk-service-navigation__link" href="(/[^"#]*)"')
# A form's hint may show the typed format it expects ("for example 2027-03-31 14:30").
EXAMPLE = re.compile(r"(for example|e\.g\.),? $", re.IGNORECASE)
# Elements whose text is not prose a user reads as a label (code samples, form values).
UNREAD = frozenset({"script", "style", "code", "pre", "textarea", "template", "noscript"})


class _VisibleText(HTMLParser):
    """The text a reader sees: tags and attribute values dropped, unread elements skipped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in UNREAD:
            self._skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in UNREAD and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def internal_values(html: str) -> list[str]:
    """Each internal value in the page's visible text, with a little of its context."""
    reader = _VisibleText()
    reader.feed(html)
    text = re.sub(r"\s+", " ", " ".join(reader.parts))
    found = []
    for what, pattern in INTERNAL:
        for match in pattern.finditer(text):
            if what.startswith("an ISO") and EXAMPLE.search(
                text[max(match.start() - 14, 0) : match.start()]
            ):
                continue
            start, end = max(match.start() - 40, 0), match.end() + 40
            found.append(f"{what}: …{text[start:end]}…")
    for pattern in CODES:
        for match in pattern.finditer(text):
            code = match.group(1)
            if match.group(0).startswith("(") and (
                text[: match.start()].rstrip().endswith(CODE_NAMES[code])
            ):
                continue
            start, end = max(match.start() - 40, 0), match.end() + 40
            found.append(f"a code where a name exists: …{text[start:end]}…")
    return found


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path: Path = tmp_path_factory.mktemp("crawl") / "demo.db"
    engine = make_engine(str(path))
    migrate(engine)
    with session_scope(engine) as session:
        seed_region(session)
    build_demo(engine=engine, people=400, seed=5)
    passwords.configure(time_cost=1, memory_cost=8, parallelism=1)
    try:
        add_demo_security(engine=engine, password=PASSWORD, seed=5)
        add_demo_capabilities(engine=engine, settings=Settings(), seed=5)
        yield engine
    finally:
        passwords.configure()
        engine.dispose()


@pytest.mark.parametrize("username", USERS)
def test_no_page_a_user_can_reach_fails(demo: Engine, username: str) -> None:
    app = create_app(Settings(secret_key=SECRET, demo_mode=True), demo, cookie_secure=False)
    with TestClient(app, base_url="http://testserver", follow_redirects=True) as client:
        page = client.get("/sign-in")
        signed_in = client.post(
            "/sign-in",
            data={"csrf_token": csrf_token(page.text), "username": username, "password": PASSWORD},
        )
        assert signed_in.status_code == 200, signed_in.text[:500]
        seen: set[str] = set()
        shapes: dict[str, int] = {}
        queue = deque(["/"])
        failures = []
        while queue and len(seen) < PAGES_PER_USER:
            path = queue.popleft()
            shape = re.sub(r"\d+", "N", path)
            if path in seen or shapes.get(shape, 0) >= SAME_KIND:
                continue
            seen.add(path)
            shapes[shape] = shapes.get(shape, 0) + 1
            reply = client.get(path)
            if reply.status_code >= 500:
                failures.append(f"{path}: {reply.status_code}")
                continue
            if "text/html" in reply.headers.get("content-type", ""):
                failures.extend(f"{path}: {found}" for found in internal_values(reply.text))
                for link in LINK.findall(reply.text):
                    link = link.replace("&amp;", "&")
                    if link not in seen and not SKIP.search(link):
                        queue.append(link)
        assert not failures, "\n".join(failures)
        assert len(seen) > 5  # the crawl got somewhere
        # The navigation offers only sections policy lets the user open (no 403 behind a
        # link the service itself offered).
        offered = NAVIGATION.findall(client.get("/").text)
        assert offered
        refused = [link for link in offered if client.get(link).status_code == 403]
        assert not refused, f"{username} is offered {refused} but refused them"


def test_the_crawl_reads_only_visible_text_for_internal_values() -> None:
    page = (
        '<p title="2026-12-07T06:40">Seen 7 December 2026 at 6:40am</p>'
        '<input value="2026-12-07"><code>threadline audit verify</code>'
        "<p>Referrals waiting: None waiting. None of the links has a date.</p>"
        "<p>Hint: a date as YYYY-MM-DD, for example 2027-03-31</p>"
    )
    assert internal_values(page) == []
    shown = internal_values(
        "<td>Person 5851</td><dd>Id 23</dd><p>Parole eligible on None</p>"
        "<p>2026-12-07T06:40:13.378739</p><p>Learning disability False</p><p>on 2026-12-07</p>"
    )
    kinds = [found.split(":")[0] for found in shown]
    assert kinds.count("a record id as a label") == 2
    assert kinds.count("a Python value") == 2
    assert "an ISO timestamp" in kinds and kinds.count("an ISO date") == 2


def test_the_crawl_finds_codes_shown_where_a_name_exists() -> None:
    named = (
        "<p>Ashford (Kent Police) · Norfolk Constabulary (norfolk) · Bury (bury)</p>"
        "<p>Threat notices: Essex Police to Essex Children and Families Hub (MASH)</p>"
        "<p>Shared with partner@norfolk-cads, for Norfolk, like norfolk-cads, in Norwich</p>"
        "<option>Basildon Council Housing Service (basildon-housing)</option>"
    )
    assert internal_values(named) == []
    coded = internal_values(
        "<p>Ashford (kent)</p><p>Threat notices: essex to essex-mash</p>"
        "<p>Kestrel: organised crime group active in colchester, epping-forest</p>"
        "<p>'Rico' county line from Brent into mid-suffolk</p>"
        "<p>Audiences agency:norfolk-cads, area:norwich, region</p>"
    )
    assert len(coded) == 6
    assert all(found.startswith("a code where a name exists") for found in coded)
