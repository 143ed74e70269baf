"""Resolution in the browser: what a partner sees of a child held by several forces, and
an analyst reviewing a pair (split, then joined again) with the decision on the profile.

The partner's check only reads the shared demo site. The analyst's review changes who is
one person, so it runs against its own copy of the demo region, served on its own port
(`review_site`): the other browser tests keep the demo's clusters as built.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tests.browser.accessibility import AxeAudit
from tests.browser.conftest import DemoSite, serve_demo
from tests.browser.flows import check_name, sign_in
from threadline.accounts.login import actor_for
from threadline.model.security import system_actor
from threadline.policy import Action, EntityFacts, decide, entity_facts, load_context
from threadline.resolve import queue, run_resolution

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Locator

pytestmark = pytest.mark.browser

PARTNER = "partner@norfolk-cads"
ISA = "ISA-NOR-CADS"
ANALYST = "analyst@ersou"

# Children (born 2009 or later) whose resolved person holds records of two or more
# forces, one of them a Norfolk record; with every record of the person, its owner's
# name, and whether any person outside the resolved person shares one of their names
# (a check by name then shows no one else).
CHILDREN_HELD_BY_SEVERAL_FORCES = """
    SELECT r.resolved_id, r.entity_id, p.given_names, p.family_name, a.code, a.name,
           EXISTS (
               SELECT 1 FROM person q JOIN resolved_person rq ON rq.entity_id = q.entity_id
               WHERE q.family_name = p.family_name AND q.given_names = p.given_names
                 AND rq.resolved_id != r.resolved_id
           ) AS shared_name
    FROM resolved_person r
    JOIN person p ON p.entity_id = r.entity_id
    JOIN entity e ON e.id = r.entity_id
    JOIN agency a ON a.id = e.owner_id
    WHERE r.resolved_id IN (
        SELECT r2.resolved_id
        FROM resolved_person r2
        JOIN person p2 ON p2.entity_id = r2.entity_id
        JOIN entity e2 ON e2.id = r2.entity_id
        JOIN agency a2 ON a2.id = e2.owner_id
        GROUP BY r2.resolved_id
        HAVING count(DISTINCT a2.code) >= 2
           AND sum(CASE WHEN a2.code = 'norfolk' THEN 1 ELSE 0 END) >= 1
           AND min(p2.dob_year) >= 2009
    )
    ORDER BY r.resolved_id, r.entity_id
"""
ISA_ITEMS = "SELECT data_items FROM isa WHERE ref = :ref"
# Fields a partner agreement never gives, as the check page labels them.
POLICE_ONLY_ROWS = ("PNC ID", "Recorded as")
PERSON_NAME = "SELECT given_names, family_name FROM person WHERE entity_id = :id"
DECIDED_EVENTS = """
    SELECT action, details FROM audit_event
    WHERE event = 'resolution.decided' AND records LIKE :first AND records LIKE :second
    ORDER BY id
"""


def _visible_to(site: DemoSite, username: str, ids: list[int]) -> set[int]:
    """The records of `ids` the user may see, as policy decides each for them."""
    with Session(site.engine) as session:
        actor = actor_for(session, username)
        ctx = load_context(session, actor)
        facts = entity_facts(session, ids, on=ctx.on)
        return {
            entity_id
            for entity_id, fact in facts.items()
            if decide(
                actor=actor, action=Action.READ, resource=EntityFacts.resource(fact), ctx=ctx
            ).allowed
        }


def _child_for_partner(site: DemoSite) -> tuple[list[tuple[int, str, str, str]], set[int]]:
    """A child held by several forces, some of whose records the partner may see and some
    not, named uniquely in the region: its records (id, given, family, force name) and
    those the partner may see."""
    people: dict[str, list[tuple[int, str, str, str, str, bool]]] = {}
    for resolved, entity_id, given, family, code, force, shared in site.rows(
        CHILDREN_HELD_BY_SEVERAL_FORCES
    ):
        people.setdefault(resolved, []).append((entity_id, given, family, code, force, shared))
    for records in people.values():
        if any(shared for *_, shared in records):
            continue
        visible = _visible_to(site, PARTNER, [r[0] for r in records])
        if visible and len(visible) < len(records):
            return [(r[0], r[1], r[2], r[4]) for r in records], visible
    pytest.fail("the demo has no child held by several forces that CADS sees only in part")


def test_partner_checking_a_child_held_by_several_forces_sees_no_trace_of_the_others(
    demo_site: DemoSite,
    new_context: Callable[..., BrowserContext],
    axe: AxeAudit,
    artifacts: Path,
) -> None:
    records, visible = _child_for_partner(demo_site)
    shown = [r for r in records if r[0] in visible]
    hidden = [r for r in records if r[0] not in visible]
    _, given, family, _ = shown[0]
    page = new_context().new_page()
    sign_in(page, PARTNER, demo_site.password, axe=axe)
    check_name(page, f"{given} {family}", axe=axe)

    main = page.locator("main")
    text = main.inner_text()
    # One card for each record the partner may see, and none for the others.
    names = {f"{f.upper()}, {g}" for _, g, f, _ in records}
    cards = page.locator(".govuk-summary-card")
    ours = [cards.nth(i) for i in range(cards.count()) if _names_in(cards.nth(i), names)]
    assert len(ours) == len(shown), text
    # No trace of the other records: no list of records, no other force, no count.
    assert page.locator(".tl-source-records").count() == 0
    assert "Records" not in [h.strip() for h in main.locator("h4").all_inner_texts()]
    for _, _, _, force in hidden:
        if force not in {f for *_, f in shown}:
            assert force not in text, f"{force} holds a record the partner may not see"
    html = page.content()
    for entity_id, *_ in hidden:
        assert f"/people/{entity_id}" not in html
    # Only the agreement's fields on each card.
    items = demo_site.scalar(ISA_ITEMS, ref=ISA).split(",")
    for card in ours:
        rows = _summary_rows(card)
        assert rows.get("Shared under") == ISA
        for label in POLICE_ONLY_ROWS:
            assert label not in rows, f"{ISA} does not give {label}"
        if "person.date_of_birth" not in items:
            assert "Date of birth" not in rows
    page.screenshot(path=artifacts / "partner-check-resolved-child.png", full_page=True)


# ------------------------------------------------------------------ the analyst's review


@pytest.fixture(scope="module")
def review_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    """A copy of the demo region of its own, served on a free port: decisions change it."""
    with serve_demo(tmp_path_factory.mktemp("browser-review"), _queue_pairs) as site:
        yield site


def _queue_pairs(engine: Engine) -> None:
    """Run resolution again with a wide review band, so the analyst has pairs to review
    whatever the model makes of this small region (its own band is 0.3 to the threshold)."""
    with pytest.MonkeyPatch.context() as patch, Session(engine) as session:
        patch.setattr(queue, "REVIEW_FLOOR", 0.01)
        run_resolution(session, actor=system_actor("ersou", "tests"))
        session.commit()


@pytest.fixture
def review_context(browser: Browser, review_site: DemoSite) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=review_site.url, locale="en-GB")
    context.set_default_timeout(10_000)
    yield context
    context.close()


def test_analyst_splits_and_rejoins_a_pair_and_the_profile_shows_who_linked_them(
    review_site: DemoSite, review_context: BrowserContext, axe: AxeAudit, artifacts: Path
) -> None:
    page = review_context.new_page()
    sign_in(page, ANALYST, review_site.password, axe=axe)
    page.get_by_role("link", name="Resolution review").first.click()
    page.wait_for_load_state()
    axe.check(page, "resolution review queue")
    pairs = page.locator("main table a[href^='/resolution/review/']")
    assert pairs.count() >= 1, page.locator("main").inner_text()
    href = pairs.first.get_attribute("href")
    assert href is not None
    first, second = (int(part) for part in href.rsplit("/", 1)[1].split("-"))
    pairs.first.click()
    page.wait_for_load_state()
    axe.check(page, "a pair to review")
    assert page.get_by_role("table", name="How the records compare").is_visible()
    page.screenshot(path=artifacts / "analyst-review-pair.png", full_page=True)

    for choice, reason, saved in (
        ("Different people", "Different mothers' names on the custody records", "different"),
        ("The same person", "Same PNC photograph; the other date of birth is a typo", "same"),
    ):
        page.get_by_label(choice).check()
        page.get_by_label("Reason").fill(reason)
        page.get_by_role("button", name="Save decision").click()
        page.wait_for_load_state()
        banner = page.locator(".govuk-notification-banner")
        expected = "the same person" if saved == "same" else "different people"
        assert f"Decision saved: {expected}" in banner.inner_text()
        axe.check(page, f"the pair decided {saved}")
    page.screenshot(path=artifacts / "analyst-review-decided.png", full_page=True)

    # The audit log holds both decisions as combination (DPA 2018 s62).
    events = review_site.rows(DECIDED_EVENTS, first=f"%{first}%", second=f"%{second}%")
    assert [action for action, _ in events] == ["combination", "combination"]
    assert ['"decision": "different"' in d for _, d in events] == [True, False]
    assert '"previous": "different"' in events[1][1]

    # Each record's profile shows who linked it to the other, when and why.
    _, family = review_site.rows(PERSON_NAME, id=second)[0]
    page.goto(f"/people/{first}")
    page.wait_for_load_state()
    axe.check(page, "the profile of a record linked by an analyst")
    section = page.locator("ul.tl-pair-decisions")
    assert page.get_by_role("heading", name="Same person as").is_visible()
    text = section.inner_text()
    assert family.upper() in text and section.locator(f"a[href='/people/{second}']").count()
    assert re.search(r"Linked by analyst .*\(analyst@ersou\) on \d{1,2} [A-Z][a-z]+ \d{4}", text)
    assert "Same PNC photograph; the other date of birth is a typo" in text
    assert "Decided not the same as" not in page.locator("main").inner_text()
    page.screenshot(path=artifacts / "profile-linked-by-analyst.png", full_page=True)


def _names_in(card: Locator, names: set[str]) -> bool:
    heading = card.locator(".govuk-summary-card__title").inner_text()
    return any(name in heading for name in names)


def _summary_rows(card: Locator) -> dict[str, str]:
    keys = card.locator(".govuk-summary-list__key").all_inner_texts()
    values = card.locator(".govuk-summary-list__value").all_inner_texts()
    return {k.strip(): v.strip() for k, v in zip(keys, values, strict=True)}
