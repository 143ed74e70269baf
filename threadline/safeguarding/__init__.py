"""Vulnerability and safeguarding: one screening tool for police and partners, partner
concerns shown to police as prompts to protect, referrals tracked to an outcome, and
suggested victims from the data.

`rules` is the pure screening tool (indicator sets, point scales, floor rules);
`screening`, `concerns` and `referrals` are the services; `access` loads what policy
(`threadline.policy.welfare`) decides on.
The charging safeguard that waits for a safeguarding record is `threadline.justice`.
"""

from threadline.safeguarding.concerns import list_concerns, raise_concern, respond_to_concern
from threadline.safeguarding.referrals import (
    ReferralOutcome,
    list_referrals,
    record_outcome,
    refer,
)
from threadline.safeguarding.referrals import recipients as referral_recipients
from threadline.safeguarding.rules import (
    DEFAULT_CONFIG,
    Answer,
    Assessment,
    Category,
    IndicatorAnswer,
    RiskLevel,
    ScreeningConfig,
    Subject,
    Window,
    assess,
)
from threadline.safeguarding.screening import list_screenings, parse_answers, record_screening
from threadline.safeguarding.subjects import get_subject, overview_actions, subject_actions
from threadline.safeguarding.suggestions import Suggestion, find_suggested_victims

__all__ = [
    "DEFAULT_CONFIG",
    "Answer",
    "Assessment",
    "Category",
    "IndicatorAnswer",
    "ReferralOutcome",
    "RiskLevel",
    "ScreeningConfig",
    "Subject",
    "Suggestion",
    "Window",
    "assess",
    "find_suggested_victims",
    "get_subject",
    "list_concerns",
    "list_referrals",
    "list_screenings",
    "overview_actions",
    "parse_answers",
    "raise_concern",
    "record_outcome",
    "record_screening",
    "refer",
    "referral_recipients",
    "respond_to_concern",
    "subject_actions",
]
