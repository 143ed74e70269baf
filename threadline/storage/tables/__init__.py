"""SQLAlchemy 2 typed mappings: the tables behind the domain model.

One module per room: `agencies` (organisations and policing areas), `pole` (the POLE
records and their links), `accounts`, `intel`, `agreements`, `audit`, `review` and `ocg`
(group profiles, scores, MoRiLE, 4P plans), `disruptions` (disruptions, their tactics
and court outcomes); the tables of routine sharing, prison
monitoring and safeguarding live beside this package
(`storage.sharing_tables`, `storage.prison_tables`, `storage.safeguarding_tables`).
Import every mapped class from here: importing this package registers every table in
`Base.metadata`, which migrations and tests build from.
"""

from __future__ import annotations

from threadline.storage.tables.accounts import (
    ApiTokenRow,
    SignInThrottleRow,
    UserRow,
    UserSessionRow,
)
from threadline.storage.tables.agencies import AgencyRow, AreaRow, PostcodeDistrictRow
from threadline.storage.tables.agreements import IsaPartyRow, IsaRow
from threadline.storage.tables.audit import AuditEventRow, AuditRecordRow
from threadline.storage.tables.base import Base
from threadline.storage.tables.county_line_status import CountyLineStatusRow
from threadline.storage.tables.disruptions import (
    CourtOutcomeRow,
    DisruptionRow,
    DisruptionTacticRow,
)
from threadline.storage.tables.improvement import ImprovementActionRow, ImprovementFindingRow
from threadline.storage.tables.intel import (
    IntelReportRow,
    IntelSourceRow,
    IntelSubjectRow,
    SanitisedReportRow,
)
from threadline.storage.tables.ocg import (
    MemberSuggestionRow,
    MorileAssessmentRow,
    OcgProfileRow,
    OcgScoreAdjustmentRow,
    OcgScoreRow,
    PlanActionRow,
    PlanReviewRow,
)
from threadline.storage.tables.pole import (
    CountyLineRow,
    EntityRow,
    GroundTruthRow,
    LinkRow,
    LocationRow,
    OrganisationRow,
    PersonNameRow,
    PersonRow,
    PhoneRow,
    VehicleRow,
)
from threadline.storage.tables.review import ReviewDecisionRow

__all__ = [
    "AgencyRow",
    "ApiTokenRow",
    "AreaRow",
    "AuditEventRow",
    "AuditRecordRow",
    "Base",
    "CountyLineRow",
    "CountyLineStatusRow",
    "CourtOutcomeRow",
    "DisruptionRow",
    "DisruptionTacticRow",
    "EntityRow",
    "GroundTruthRow",
    "ImprovementActionRow",
    "ImprovementFindingRow",
    "IntelReportRow",
    "IntelSourceRow",
    "IntelSubjectRow",
    "IsaPartyRow",
    "IsaRow",
    "LinkRow",
    "LocationRow",
    "MemberSuggestionRow",
    "MorileAssessmentRow",
    "OcgProfileRow",
    "OcgScoreAdjustmentRow",
    "OcgScoreRow",
    "OrganisationRow",
    "PersonNameRow",
    "PersonRow",
    "PhoneRow",
    "PlanActionRow",
    "PlanReviewRow",
    "PostcodeDistrictRow",
    "ReviewDecisionRow",
    "SanitisedReportRow",
    "SignInThrottleRow",
    "UserRow",
    "UserSessionRow",
    "VehicleRow",
]

# The sibling table modules import `Base` from this package, so they come after it is
# bound; importing them here puts their tables in `Base.metadata` wherever the tables are
# used (migrations, tests).
from threadline.storage import form_drafts as _form_drafts  # noqa: F401
from threadline.storage import prison_tables as _prison_tables  # noqa: F401
from threadline.storage import resolution_review_tables as _resolution_review_tables  # noqa: F401
from threadline.storage import resolution_tables as _resolution_tables  # noqa: F401
from threadline.storage import safeguarding_tables as _safeguarding_tables  # noqa: F401
from threadline.storage import sharing_tables as _sharing_tables  # noqa: F401
