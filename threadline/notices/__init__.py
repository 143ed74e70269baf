"""Threat notices: sanitised notices of a threat, published to the frontline of areas,
to named partners under their agreements, or to the whole region's police.

`create_notice` drafts one about a record (an OCG, a nominal, a county line or deal
line phone, a vehicle or an address); `publish_notice` checks every audience against
policy and the agreements before anything goes, then logs one DISCLOSURE and writes the
dissemination register; `withdraw_notice` takes it back; `get_notice` and
`list_notices` are the read paths; `acknowledge_notice` records that a reader has
read one.
"""

from threadline.notices.drafting import (
    create_notice,
    edit_notice,
    may_write_notices,
    notice_for_editing,
    notice_form,
    withdraw_notice,
)
from threadline.notices.publishing import (
    AudienceCheck,
    check_audiences,
    preview_audiences,
    publish_notice,
)
from threadline.notices.reading import get_notice, list_notices
from threadline.notices.receipt import (
    Acknowledgement,
    acknowledge_notice,
    acknowledged_at,
    acknowledgement,
)
from threadline.notices.records import Audience, AudienceKind, Status
from threadline.notices.register import (
    RegisterEntry,
    RegisterPage,
    list_register,
    register_allowed,
)
from threadline.notices.types import NoticePage, NoticeView
from threadline.notices.validation import parse_audience

__all__ = [
    "Acknowledgement",
    "Audience",
    "AudienceCheck",
    "AudienceKind",
    "NoticePage",
    "NoticeView",
    "RegisterEntry",
    "RegisterPage",
    "Status",
    "acknowledge_notice",
    "acknowledged_at",
    "acknowledgement",
    "check_audiences",
    "create_notice",
    "edit_notice",
    "get_notice",
    "list_notices",
    "list_register",
    "may_write_notices",
    "notice_for_editing",
    "notice_form",
    "parse_audience",
    "preview_audiences",
    "publish_notice",
    "register_allowed",
    "withdraw_notice",
]
