"""What officers, partners, LROs and supervisors found (issue #14), walked again in the
browser as each of them would do the task: items 3, 5, 6 and 7, 11, 13, 17 and 19.

Two demos are served for the whole module. The full-sized one (3,000 people, as
`threadline demo` builds it) is the one the README's sample check is written for: an
officer on a phone checks "Jaden Philips" born 1989 and finds Operation Plover's
principal first, with how to reach the group's LRO on the card (items 19 and 3). The
small one (800 people) is prepared through the services first, as a morning of use would
leave it: the demo's notice agreements, a notice to CADS about a Norfolk crime group and
one about a cuckooed address, a concern CADS raised about a child runner that police
answered, an immediate notice to the Norwich frontline and one to the region; then `tick`
raises the alerts. Every page is audited with axe-core and saved as a full-page
screenshot under test-artifacts/ (`found-<item>-<what>.png`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import Engine, text

from tests.browser.accessibility import AxeAudit
from tests.browser.conftest import PHONE, DemoSite, serve_demo
from tests.browser.flows import fits_the_screen, sign_in
from threadline.accounts import actor_for
from threadline.demo.digests import add_demo_digest_terms
from threadline.demo.notices import add_demo_notices
from threadline.model.events import (
    Grading,
    HandlingCode,
    IntelligenceAssessment,
    SourceEvaluation,
)
from threadline.notices.drafting import create_notice
from threadline.notices.publishing import publish_notice
from threadline.safeguarding.concerns import raise_concern, respond_to_concern
from threadline.schedule import tick
from threadline.settings import Settings
from threadline.storage.db import session_scope
from threadline.tripwires.immediate import publish_immediately

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

README = Path(__file__).resolve().parents[2] / "README.md"
FULL_DEMO = 3000  # `threadline demo`'s default size, which the README's samples are for
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
GRADE = Grading(
    SourceEvaluation.RELIABLE,
    IntelligenceAssessment.KNOWN_INDIRECTLY_CORROBORATED,
    HandlingCode.PERMITTED,
)

# Norfolk's first crime group (its LRO is Norfolk's demo LRO).
NORFOLK_GROUP = """
    SELECT o.entity_id, o.name
    FROM organisation o
    JOIN entity e ON e.id = o.entity_id
    JOIN agency a ON a.id = e.owner_id AND a.code = 'norfolk'
    WHERE o.org_type = 'ocg'
    ORDER BY o.entity_id
    LIMIT 1
"""
# A Norfolk child (17 or younger this year) who runs for a county line.
CHILD_RUNNER = """
    SELECT p.entity_id, p.given_names, p.family_name
    FROM person p
    JOIN link l ON l.from_id = p.entity_id AND l.link_type = 'runner_for'
    JOIN entity e ON e.id = p.entity_id
    JOIN agency a ON a.id = e.owner_id AND a.code = 'norfolk'
    WHERE p.dob_year >= CAST(strftime('%Y', 'now') AS INTEGER) - 17
    ORDER BY p.entity_id
    LIMIT 1
"""
# A Norfolk address a county line has cuckooed.
CUCKOOED = """
    SELECT l.entity_id, l.line1
    FROM link k
    JOIN location l ON l.entity_id = k.to_id
    JOIN entity e ON e.id = l.entity_id
    JOIN agency a ON a.id = e.owner_id AND a.code = 'norfolk'
    WHERE k.link_type = 'cuckoos'
    ORDER BY l.entity_id
    LIMIT 1
"""
UNREAD_ALERTS = """
    SELECT count(*) FROM alert a JOIN user_account u ON u.id = a.user_id
    WHERE u.username = :username AND a.read_at IS NULL
"""

GROUP_NOTICE = "{group} dealing near schools in Norwich"  # to CADS
ADDRESS_NOTICE = "Cuckooed flat used to deal from"  # to CADS
IMMEDIATE_NOTICE = "{group} runners carry knives tonight"  # to the Norwich frontline, now
REGION_NOTICE = "{group} has a new deal line"  # to all police in the region only
CONCERN = "Seen getting into a car with older men after school; new phone and trainers."
RESPONSE = "Officers visited with CADS; a strategy meeting is booked for Thursday."


def _rows(engine: Engine, sql: str) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(text(sql)))


def _tick(engine: Engine) -> None:
    (result,) = tick(engine, settings=Settings(), only=("tripwires",))
    assert result.error is None, result.error


def _a_morning_of_use(engine: Engine) -> None:
    """What the demo's capabilities and a morning's work would have left in the region."""
    with session_scope(engine) as session:
        add_demo_digest_terms(session)  # as `threadline demo` does: the notice agreements
    with session_scope(engine) as session:
        add_demo_notices(session)
    _tick(engine)  # the LROs' watches start; what is already there is not news
    ((group, name),) = _rows(engine, NORFOLK_GROUP)
    ((child, _given, _family),) = _rows(engine, CHILD_RUNNER)
    ((address, _line1),) = _rows(engine, CUCKOOED)
    review = date.today() + timedelta(days=30)
    with session_scope(engine) as session:
        lro = actor_for(session, "lro@norfolk")
        for subject, title in ((group, GROUP_NOTICE), (address, ADDRESS_NOTICE)):
            draft = create_notice(
                session,
                actor=lro,
                subject_id=subject,
                title=title.format(group=name),
                threat="Children are used to run drugs from here and are at risk.",
                action="Tell the LRO of any child you find there.",
                review_date=review,
                audiences=["agency:norfolk-cads"],
                grading=GRADE,
            )
            publish_notice(session, actor=lro, ref=draft.ref)
    with session_scope(engine) as session:
        concern = raise_concern(
            session, actor=actor_for(session, "partner@norfolk-cads"), person_id=child, text=CONCERN
        )
    with session_scope(engine) as session:
        respond_to_concern(
            session,
            actor=actor_for(session, "officer@norfolk"),
            concern_id=int(str(concern["id"])),
            response=RESPONSE,
        )
    with session_scope(engine) as session:
        analyst = actor_for(session, "analyst@norfolk")
        for title, audiences in ((IMMEDIATE_NOTICE, ["area:norwich"]), (REGION_NOTICE, ["region"])):
            draft = create_notice(
                session,
                actor=analyst,
                subject_id=group,
                title=title.format(group=name),
                threat="Runners for the group carry knives.",
                action="Search with care; tell the LRO of any stop.",
                review_date=review,
                audiences=audiences,
                grading=GRADE,
            )
            if audiences == ["area:norwich"]:
                publish_immediately(session, actor=analyst, ref=draft.ref, settings=Settings())
            else:
                publish_notice(session, actor=analyst, ref=draft.ref)
    _tick(engine)  # CADS is told of its notices and of the response to its concern


@pytest.fixture(scope="module")
def norfolk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    """The 800-person demo after a morning of use."""
    folder = tmp_path_factory.mktemp("found-norfolk")
    with serve_demo(folder, prepare=_a_morning_of_use) as site:
        yield site


@pytest.fixture(scope="module")
def full_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    """The demo at `threadline demo`'s size, for which the README's samples are written."""
    with serve_demo(tmp_path_factory.mktemp("found-full"), people=FULL_DEMO) as site:
        yield site


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Open a page on a site in a fresh context (keyword options as Playwright's)."""
    opened = []

    def open_on(site: DemoSite, **options: Any) -> Page:
        context = browser.new_context(base_url=site.url, locale="en-GB", **options)
        context.set_default_timeout(10_000)
        opened.append(context)
        return context.new_page()

    yield open_on
    for context in opened:
        context.close()


def _look(page: Page, axe: AxeAudit, artifacts: Path, name: str) -> None:
    """Audit the page as it is now and save it, whole, as found-<name>.png."""
    axe.check(page, name)
    page.screenshot(path=artifacts / f"found-{name}.png", full_page=True)


def _readme_check() -> tuple[str, str, str]:
    """The README's sample frontline check: the name, the date of birth, and the group
    whose principal its comment says it finds."""
    for line in README.read_text(encoding="utf-8").splitlines():
        found = re.search(
            r'threadline check --as officer@\w+ --reason stop --name "([^"]+)" --dob (\d+)'
            r".*# .*?(Operation \w+)'s principal",
            line,
        )
        if found:
            return found.group(1), found.group(2), found.group(3)
    raise AssertionError("the README has no sample check of a group's principal")


def _check_on_a_phone(page: Page, name: str, dob: str) -> None:
    page.goto("/check")
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Date of birth").fill(dob)
    page.get_by_label("Stop or encounter", exact=True).check()
    page.get_by_label("More about the reason (optional)").fill("stopped on Prince of Wales Road")
    page.get_by_role("button", name="Check", exact=True).click()
    page.wait_for_load_state()


def test_19_the_readmes_sample_check_finds_the_principal_it_implies(
    full_demo: DemoSite, open_page: Callable[..., Page], axe: AxeAudit, artifacts: Path
) -> None:
    name, dob, group = _readme_check()  # "Jaden Philips" 1989, Operation Plover's principal
    given, family = full_demo.rows(
        "SELECT p.given_names, p.family_name FROM person p "
        "JOIN link l ON l.from_id = p.entity_id AND l.link_type = 'member_of' "
        "AND l.role = 'principal' JOIN organisation o ON o.entity_id = l.to_id "
        "WHERE o.name = :group",
        group=group,
    )[0]

    page = open_page(full_demo, **PHONE)
    sign_in(page, "officer@norfolk", full_demo.password, axe=axe)
    _check_on_a_phone(page, name, dob)
    first = page.locator(".govuk-summary-card").first
    title = first.locator(".govuk-summary-card__title").inner_text()
    assert title.startswith(f"{family.upper()}, {given} ("), title
    assert dob in title
    card = first.inner_text()
    assert f"{group} – principal" in card, card
    assert first.locator(".govuk-tag--red", has_text="OCG member").is_visible()
    assert fits_the_screen(page), "the check results scroll sideways on a 390px-wide phone"
    _look(page, axe, artifacts, "19-readme-check-phone")


def test_3_an_officer_on_a_phone_sees_how_to_reach_the_lro_on_the_card(
    full_demo: DemoSite, open_page: Callable[..., Page], axe: AxeAudit, artifacts: Path
) -> None:
    lro, email, phone, out_of_hours = full_demo.rows(
        "SELECT u.display_name, u.email, u.phone, a.out_of_hours FROM organisation o "
        "JOIN user_account u ON u.id = o.lro_id JOIN agency a ON a.id = u.agency_id "
        "WHERE o.name = 'Operation Plover'"
    )[0]
    assert email and phone and out_of_hours  # the demo's LROs can be reached
    contact = f"Lead responsible officer: {lro} ({email}, {phone}); out of hours: {out_of_hours}"

    page = open_page(full_demo, **PHONE)
    sign_in(page, "officer@norfolk", full_demo.password, axe=axe)
    _check_on_a_phone(page, "Jaden Philips", "1989")
    card = page.locator(".govuk-summary-card", has_text="Operation Plover – principal").first
    assert contact in card.inner_text()
    # How to reach the LRO comes before the record's details, not below the fold of them.
    text = card.inner_text()
    assert text.index("Lead responsible officer") < text.index("Given names")
    assert fits_the_screen(page)
    _look(page, axe, artifacts, "3-lro-contact-on-the-card-phone")

    # The group's page, one tap away, says the same.
    card.get_by_role("link", name="Operation Plover").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Operation Plover", level=1).is_visible()
    assert f"{lro} ({email}, {phone}); out of hours: {out_of_hours}" in page.inner_text("main")
    assert fits_the_screen(page)
    _look(page, axe, artifacts, "3-lro-contact-on-the-group-phone")


def test_5_an_officer_signing_in_is_told_of_unread_alerts_and_the_briefing(
    norfolk: DemoSite, open_page: Callable[..., Page], axe: AxeAudit, artifacts: Path
) -> None:
    unread = norfolk.scalar(UNREAD_ALERTS, username="officer@norfolk")
    assert unread >= 1  # the immediate notice to the Norwich frontline
    ((_group, name),) = norfolk.rows(NORFOLK_GROUP)
    page = open_page(norfolk, **PHONE)
    sign_in(page, "officer@norfolk", norfolk.password, axe=axe)

    banner = page.locator(".tl-waiting")
    alerts = f"{unread} unread alert{'s' if unread != 1 else ''}"
    assert f"You have {alerts} and today's briefing for Norwich is unread." in (banner.inner_text())
    assert banner.get_by_role("link", name="Read your alerts").is_visible()
    # The menu, opened on the phone, counts them beside their sections.
    page.get_by_role("button", name="Menu").click()
    menu = page.get_by_role("navigation", name="Menu")
    assert menu.get_by_role("link", name=f"Alerts {unread} unread").is_visible()
    assert menu.get_by_role("link", name="Briefing 1 unread").is_visible()
    assert fits_the_screen(page)
    _look(page, axe, artifacts, "5-signed-in-unread-phone")

    banner.get_by_role("link", name="Read the briefing for Norwich").click()
    page.wait_for_load_state()
    assert IMMEDIATE_NOTICE.format(group=name) in page.inner_text("main")
    assert page.locator(".tl-waiting").count() == 0  # said once, on signing in
    assert fits_the_screen(page)
    _look(page, axe, artifacts, "5-the-unread-briefing-phone")


def test_6_7_cads_is_told_of_notices_about_a_group_and_an_address_and_the_police_response(
    norfolk: DemoSite, open_page: Callable[..., Page], axe: AxeAudit, artifacts: Path
) -> None:
    ((_group, name),) = norfolk.rows(NORFOLK_GROUP)
    ((_child, _given, family),) = norfolk.rows(CHILD_RUNNER)
    ((_address, line1),) = norfolk.rows(CUCKOOED)
    page = open_page(norfolk, **DESKTOP)
    sign_in(page, "partner@norfolk-cads", norfolk.password, axe=axe)
    assert re.search(r"You have \d+ unread alerts?\.", page.locator(".tl-waiting").inner_text())

    # Item 6: notices about a crime group and a cuckooed address reach CADS.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Notices").click()
    page.wait_for_load_state()
    listed = page.inner_text("main")
    assert GROUP_NOTICE.format(group=name) in listed and ADDRESS_NOTICE in listed
    _look(page, axe, artifacts, "6-cads-notices")
    page.get_by_role("link", name=GROUP_NOTICE.format(group=name)).click()
    page.wait_for_load_state()
    assert "Children are used to run drugs from here" in page.inner_text("main")
    _look(page, axe, artifacts, "6-cads-reads-a-notice-about-a-group")

    # Item 7: an alert of each notice and of the police response, in words, not codes.
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name=re.compile("Alerts")
    ).click()
    page.wait_for_load_state()
    told = page.inner_text("main")
    assert f"A threat notice about {name} has been published to your organisation" in told
    assert f"A threat notice about {line1}" in told
    assert (
        "The police have responded to your organisation's concern about" in told
        and family.upper() in told
    )
    assert "checked" not in told.lower()  # never a police read
    _look(page, axe, artifacts, "7-cads-alerts")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Your concerns").click()
    page.wait_for_load_state()
    card = page.locator(".govuk-summary-card", has_text=family.upper()).first
    assert RESPONSE in card.inner_text()
    _look(page, axe, artifacts, "7-cads-reads-the-police-response")


def test_11_an_lro_drafts_a_notice_from_a_group_edits_it_and_publishes_it_now(
    norfolk: DemoSite, open_page: Callable[..., Page], axe: AxeAudit, artifacts: Path
) -> None:
    ((group, name),) = norfolk.rows(NORFOLK_GROUP)
    title = f"{name} supplying crack cocaine at Anglia Square"
    page = open_page(norfolk, **DESKTOP)
    sign_in(page, "lro@norfolk", norfolk.password, axe=axe)
    page.goto(f"/groups/{group}")
    page.get_by_role("link", name="Create a threat notice about this group").click()
    page.wait_for_load_state()
    assert page.locator(".tl-notice-subject").inner_text().startswith(name)
    page.get_by_label("Title").fill("Draft title")
    page.get_by_label("What is the threat?").fill(
        "The group supplies crack cocaine at Anglia Square using children as runners."
    )
    page.get_by_label("What should the reader do?").fill("Safeguard any child found with drugs.")
    areas = page.get_by_role("group", name="Areas it concerns (optional)")
    areas.get_by_label("Norwich", exact=True).check()
    page.get_by_label("Review date").fill((date.today() + timedelta(days=60)).isoformat())
    page.get_by_text("Grade it yourself (when there is no sanitised report)").click()
    page.get_by_label("2 – Untested").check()
    page.get_by_label("B – Known indirectly to the source but corroborated").check()
    page.get_by_label("P – Lawful sharing permitted").check()
    # Audiences are ticked by name: no area or organisation codes to type.
    page.get_by_label("Norfolk Children's Advice and Duty Service (CADS)").check()
    frontline = page.get_by_role("group", name="Frontline of these areas (optional)")
    frontline.get_by_label("Norwich", exact=True).check()
    _look(page, axe, artifacts, "11-lro-notice-form-from-a-group")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Draft title").is_visible()
    ref = page.url.split("/notices/")[1].split("?")[0]

    page.get_by_role("link", name="Change this draft").click()
    page.wait_for_load_state()
    assert page.get_by_label("Title").input_value() == "Draft title"
    page.get_by_label("Title").fill(title)
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=title).is_visible()
    checks = page.locator("table").first.inner_text()
    assert "Frontline of Norwich" in checks and "Children's Advice and Duty Service" in checks
    assert "Refused" not in checks
    _look(page, axe, artifacts, "11-lro-edited-draft")

    page.get_by_label("Immediate: the officers on duty must know now").check()
    page.get_by_role("button", name="Publish notice").click()
    page.wait_for_load_state()
    assert "added to this shift's briefing" in page.inner_text("main")
    _look(page, axe, artifacts, "11-lro-published-immediately")

    # A Norwich officer, on a phone, has an alert about it now, not at the next shift.
    officer = open_page(norfolk, **PHONE)
    sign_in(officer, "officer@norfolk", norfolk.password, axe=axe)
    officer.locator(".tl-waiting").get_by_role("link", name="Read your alerts").click()
    officer.wait_for_load_state()
    assert f"Immediate threat notice {ref}, “{title}”" in officer.inner_text("main")
    assert fits_the_screen(officer)
    _look(officer, axe, artifacts, "11-officer-alerted-phone")


def test_13_a_supervisor_sees_who_read_a_notice_and_partners_never_told(
    norfolk: DemoSite, open_page: Callable[..., Page], axe: AxeAudit, artifacts: Path
) -> None:
    ((_group, name),) = norfolk.rows(NORFOLK_GROUP)
    notice = REGION_NOTICE.format(group=name)
    reader = norfolk.scalar(
        "SELECT display_name FROM user_account WHERE username = 'officer@norfolk'"
    )
    officer = open_page(norfolk, **PHONE)
    sign_in(officer, "officer@norfolk", norfolk.password, axe=axe)
    officer.goto("/notices")
    officer.get_by_role("link", name=notice).click()
    officer.wait_for_load_state()
    officer.get_by_role("button", name="I have read this notice").click()
    officer.wait_for_load_state()
    assert officer.locator(".govuk-tag", has_text="Acknowledged").is_visible()
    _look(officer, axe, artifacts, "13-officer-read-the-notice-phone")

    page = open_page(norfolk, **DESKTOP)
    sign_in(page, "supervisor@norfolk", norfolk.password, axe=axe)
    page.goto("/notices")
    page.get_by_role("link", name=notice).click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Who was told about this notice").click()
    page.wait_for_load_state()
    register = page.inner_text("main")
    read = register.split("Who read it")[1].split("never told")[0]
    assert f"{reader} (officer@norfolk)" in read
    never = page.locator("main").get_by_text(re.compile(r"could have been told and (was|were) not"))
    assert never.is_visible()
    assert re.search(
        r"Norfolk Children's Advice and Duty Service \(CADS\): never told of TN-\S+ "
        r"\(their agreement \S+ allows it\)",
        register,
    ), register
    _look(page, axe, artifacts, "13-supervisor-register")


def test_17_a_supervisor_is_offered_only_links_that_open(
    demo_site: DemoSite, open_page: Callable[..., Page], axe: AxeAudit, artifacts: Path
) -> None:
    page = open_page(demo_site, **DESKTOP)
    sign_in(page, "supervisor@norfolk", demo_site.password, axe=axe)
    menu = page.get_by_role("navigation", name="Menu").get_by_role("link")
    offered = menu.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert "/admin" in offered
    page.goto("/admin")
    hub = page.locator("main a[href^='/admin/']")
    offered += hub.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert "/admin/users" not in offered  # issue #14: offered, then refused
    failed = []
    for href in dict.fromkeys(offered):
        reply = page.goto(href)
        assert reply is not None
        if reply.status != 200:
            failed.append(f"{href}: {reply.status}")
            continue
        axe.check(page, f"supervisor {href}")
        slug = re.sub(r"[^a-z0-9]+", "-", href.lower()).strip("-")
        page.screenshot(path=artifacts / f"found-17-supervisor-{slug}.png", full_page=True)
    assert not failed, f"the supervisor is offered links that do not open: {failed}"
    refused = page.goto("/admin/users")  # not offered, and refused if typed
    assert refused is not None and refused.status == 403
