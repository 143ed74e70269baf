"""After `threadline tick`, each partner with an active agreement has its digest, holding
only what its agreements allow; its users are emailed a link, never the content."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from tests.briefings.region import PROBATION, Region
from tests.mail.inbox import running_inbox
from threadline.accounts import actor_for
from threadline.cli.main import app
from threadline.clock import utcnow
from threadline.demo.digests import NOTICE_FIELDS
from threadline.digests import acknowledge_digest, get_digest, list_digests
from threadline.errors import NotFound
from threadline.policy import ALWAYS_SHOWN
from threadline.policy.context import isas_of
from threadline.schedule import tick
from threadline.settings import Settings
from threadline.storage.db import session_scope
from threadline.storage.sharing_tables import DigestItemRow, DigestRow, DisseminationRow
from threadline.storage.tables import AgencyRow, AuditEventRow


def _digests(region: Region) -> dict[str, list[DigestItemRow]]:
    with session_scope(region.engine) as session:
        found: dict[str, list[DigestItemRow]] = {}
        for digest, code in session.execute(
            select(DigestRow, AgencyRow.code).join(AgencyRow, AgencyRow.id == DigestRow.agency_id)
        ):
            found[code] = list(
                session.scalars(select(DigestItemRow).where(DigestItemRow.digest_id == digest.id))
            )
            session.expunge_all()
        return found


def test_every_partner_with_an_active_agreement_has_a_digest(
    region: Region, settings: Settings
) -> None:
    tick(region.engine, settings=settings)
    digests = _digests(region)
    today = utcnow().date()
    with session_scope(region.engine) as session:
        for agency in session.scalars(select(AgencyRow)):
            if agency.kind in ("force", "regional_unit"):
                assert agency.code not in digests
                continue
            receiving = [
                t
                for t in isas_of(session, agency.code)
                if agency.code in t.recipients and t.is_active(today)
            ]
            assert (agency.code in digests) == bool(receiving), agency.code


def test_a_covered_partner_gets_the_notice_with_only_the_permitted_fields(
    region: Region, settings: Settings
) -> None:
    tick(region.engine, settings=settings)
    items = [i for i in _digests(region)[PROBATION] if i.notice_id == region.ocg_notice]
    assert len(items) == 1
    body = json.loads(items[0].body)
    assert set(body) == set(NOTICE_FIELDS) | ALWAYS_SHOWN
    assert "place" not in body and "contact" not in body and "subject" not in body
    assert items[0].isa_ref == "ISA-NOR-NOTICES"
    assert items[0].grading is None  # grading is not among the fields the agreement lists
    assert items[0].group_id == region.group_id


def test_partners_without_a_covering_agreement_get_nothing_about_it(
    region: Region, settings: Settings
) -> None:
    tick(region.engine, settings=settings)
    digests = _digests(region)
    # CADS's agreement does not list threat notices; the schools' agreement has lapsed.
    assert all(i.notice_id is None for i in digests["norfolk-cads"])
    assert "norfolk-schools" not in digests
    # Withdrawn and police-only notices reach no partner at all.
    sent = {i.notice_id for items in digests.values() for i in items}
    assert region.withdrawn_notice not in sent
    assert region.secret_notice not in sent
    with session_scope(region.engine) as session:
        schools = session.scalar(select(AgencyRow.id).where(AgencyRow.code == "norfolk-schools"))
        assert not session.scalars(
            select(DisseminationRow).where(DisseminationRow.recipient_agency_id == schools)
        ).all()


def test_each_digest_is_a_disclosure_with_register_rows(region: Region, settings: Settings) -> None:
    tick(region.engine, settings=settings)
    with session_scope(region.engine) as session:
        agency = session.scalars(select(AgencyRow).where(AgencyRow.code == PROBATION)).one()
        digest = session.scalars(select(DigestRow).where(DigestRow.agency_id == agency.id)).one()
        rows = session.scalars(
            select(DisseminationRow).where(DisseminationRow.recipient_agency_id == agency.id)
        ).all()
        kinds = sorted({r.item_kind for r in rows})
        assert kinds == ["digest", "digest_item"]
        assert any(r.notice_id == region.ocg_notice for r in rows)
        event = session.get(AuditEventRow, rows[0].audit_event_id)
        assert event is not None
        assert (event.action, event.event) == ("disclosure", "digest.sent")
        assert json.loads(event.recipients) == [PROBATION]
        assert json.loads(event.details)["digest_id"] == digest.id


def test_the_announcement_arrives_by_smtp_with_a_link_and_no_intelligence(
    region: Region, settings: Settings
) -> None:
    with running_inbox() as inbox:
        mailing = settings.model_copy(
            update={
                "smtp_host": "127.0.0.1",
                "smtp_port": inbox.port,
                "smtp_security": "none",
                "base_url": "https://threadline.example",
            }
        )
        results = {r.name: r for r in tick(region.engine, settings=mailing)}
        assert results["digests"].error is None
        assert results["digests"].counts["emails"] == len(inbox.messages) > 0
        again = {r.name: r for r in tick(region.engine, settings=mailing)}
        assert again["digests"].counts["emails"] == 0
    with session_scope(region.engine) as session:
        probation = session.scalar(select(AgencyRow.id).where(AgencyRow.code == PROBATION))
        digest = session.scalars(select(DigestRow).where(DigestRow.agency_id == probation)).one()
        assert digest.emailed_at is not None
        secrets = [i.body for i in session.scalars(select(DigestItemRow))]
    to_probation = [
        (m, r)
        for m, r in zip(inbox.messages, inbox.bodies(), strict=True)
        if m["To"] == f"partner@{PROBATION}.example"
    ]
    assert len(to_probation) == 1
    message, body = to_probation[0]
    assert f"https://threadline.example/digests/{digest.id}" in body
    assert "is ready" in message["Subject"]
    for text in ("class A", "knives", "Operation", region.group_name, "TN-NFK", "bus station"):
        assert text not in body and text not in message["Subject"]
    for stored in secrets:  # nothing of any item's wording went out
        for value in json.loads(stored).values():
            if isinstance(value, str) and len(value) > 12:
                assert value not in body


def test_without_smtp_the_digest_waits_in_the_app(region: Region, settings: Settings) -> None:
    results = {r.name: r for r in tick(region.engine, settings=settings)}
    assert any("SMTP" in note for note in results["digests"].notes)
    with session_scope(region.engine) as session:
        assert all(d.emailed_at is None for d in session.scalars(select(DigestRow)))


def test_partners_read_and_acknowledge_their_own_digest_only(
    region: Region, settings: Settings
) -> None:
    tick(region.engine, settings=settings)
    with session_scope(region.engine) as session:
        partner = actor_for(session, f"partner@{PROBATION}")
        listed = list_digests(session, actor=partner)
        assert len(listed) == 1
        view = get_digest(session, actor=partner, digest_id=listed[0].id)
        notice = next(i for i in view.items if i.section == "notice")
        labels = {label for label, _ in notice.rows}
        assert {"Threat", "What to do"} <= labels
        assert "Where" not in labels and "Contact" not in labels
        acknowledge_digest(session, actor=partner, digest_id=listed[0].id)
        other = actor_for(session, "partner@norfolk-cads")
        with pytest.raises(NotFound) as hidden:  # as if there were none: 404, not 403
            get_digest(session, actor=other, digest_id=listed[0].id)
        assert PROBATION not in hidden.value.detail
    with session_scope(region.engine) as session:
        row = session.scalars(
            select(DisseminationRow).where(
                DisseminationRow.item_kind == "digest",
                DisseminationRow.item_id == listed[0].id,
                DisseminationRow.recipient_agency_id.is_not(None),
            )
        ).one()
        assert row.acknowledged_at is not None
        assert row.acknowledged_by == partner.user_id


def test_digest_command_sends_one_partners_digest(region: Region) -> None:
    result = CliRunner().invoke(
        app, ["--db", str(region.path), "digest", "--org", PROBATION, "--json"]
    )
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["agency"] == PROBATION
    assert any(i["section"] == "notice" for i in shown["items"])
    refused = CliRunner().invoke(
        app, ["--db", str(region.path), "digest", "--org", "norfolk-schools"]
    )
    assert refused.exit_code != 0


def test_every_digest_item_holds_only_fields_its_agreement_lists(
    region: Region, settings: Settings
) -> None:
    from threadline.policy import FIELDS, ResourceKind
    from threadline.policy.vocabulary import fields_covered
    from threadline.storage.tables import IsaRow

    tick(region.engine, settings=settings)
    kinds = {"notice": ResourceKind.THREAT_NOTICE, "intelligence": ResourceKind.SANITISED_REPORT}
    with session_scope(region.engine) as session:
        items = session.scalars(select(DigestItemRow)).all()
        assert {i.section for i in items} == set(kinds)
        for item in items:
            isa = session.scalars(select(IsaRow).where(IsaRow.ref == item.isa_ref)).one()
            kind = kinds[item.section]
            listed = frozenset(w.strip() for w in isa.data_items.split(",") if w.strip())
            allowed = (fields_covered(listed, kind) or frozenset()) | (ALWAYS_SHOWN & FIELDS[kind])
            assert set(json.loads(item.body)) <= allowed, (item.isa_ref, item.title)
