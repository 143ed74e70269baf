"""Every intelligence id a partner may not read is answered alike (issue 11, finding 12).

Partners never read original reports. They were answered 403 for a report, but 404 for
one restricted to the police (refused by its handling restriction), which singled those
out; a missing id was 404 too. Through the real API with CADS's bearer token.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.intel.world import grading
from tests.web.conftest import PARTNER, Site
from threadline.accounts import create_token
from threadline.intel import submit_report
from threadline.intel.types import SourceDetails
from threadline.model.enums import Marking
from threadline.model.security import system_actor
from threadline.storage.db import session_scope


def _partner(site: Site) -> dict[str, str]:
    with session_scope(site.engine) as session:
        token = create_token(session, actor=system_actor(), username=PARTNER, label="tests")
    return {"Authorization": f"Bearer {token}"}


def _police_only(site: Site) -> int:
    with session_scope(site.engine) as session:
        view = submit_report(
            session,
            actor=site.world.analyst,
            fact="Ray Black is expecting a delivery at the flat.",
            assessment="",
            grading=grading("C", "Police only: do not share outside the police."),
            marking=Marking.OFFICIAL_SENSITIVE,
            subjects=[site.world.child],
            source=SourceDetails(source_ref="CHIS-NFK-0099", source_type="chis"),
            area_code="norwich",
            restricted_to=["police"],
        )
        return view.id


def test_a_partner_is_answered_alike_for_every_report_id(client: TestClient, site: Site) -> None:
    partner = _partner(site)
    restricted = _police_only(site)
    answers = {}
    for name, report_id in (
        ("report", site.world.report_p.id),
        ("restricted to police", restricted),
        ("missing", restricted + 1000),
    ):
        reply = client.get(f"/api/v1/intelligence/{report_id}", headers=partner)
        body = reply.json()
        answers[name] = (reply.status_code, body["detail"].replace(str(report_id), "N"))
    assert len(set(answers.values())) == 1, answers
