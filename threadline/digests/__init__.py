"""Partner digests: each day, what a partner's sharing agreements allow it to receive.

`send_digests` (the tick job) compiles a digest per partner organisation with an active
agreement (notices addressed to it, new sanitised intelligence it may read, each cut to
the agreement's fields, code C conditions carried) and emails its users a link; the
partner reads it with `get_digest` and acknowledges receipt with `acknowledge_digest`.
"""

from threadline.digests.compile import Sent, period_start, send_digests
from threadline.digests.reading import (
    acknowledge_digest,
    digest_of_day,
    get_digest,
    list_digests,
)
from threadline.digests.types import DigestItemView, DigestSummary, DigestView

__all__ = [
    "DigestItemView",
    "DigestSummary",
    "DigestView",
    "Sent",
    "acknowledge_digest",
    "digest_of_day",
    "get_digest",
    "list_digests",
    "period_start",
    "send_digests",
]
