"""Tripwires: new events touching a watched record alert its watchers, as policy allows.

Watches are kept automatically for each OCG's lead responsible officer
(`sync_ocg_watches`) or added by hand (`add_watch`); `threadline tick` matches new audit
events against them (`job.run`), raises alerts in the app, records them in the
dissemination register and announces them by email (a count and a link, nothing more).
Who is told what is decided by `threadline.policy.alerts`: police watchers hear what
others did with the record; partners are told only what reached their organisation
under its agreements (`partners`), never what police did.
"""

from threadline.tripwires.alerts import Alert, list_alerts, mark_read, unread_count
from threadline.tripwires.ocg_watches import SyncResult, sync_ocg_watches
from threadline.tripwires.triage import (
    AlertGroup,
    Period,
    ReadState,
    Triage,
    mark_groups_read,
    triage_alerts,
)
from threadline.tripwires.watches import (
    Watch,
    WatchStatus,
    add_watch,
    end_watch,
    list_watches,
    watch_status,
)

__all__ = [
    "Alert",
    "AlertGroup",
    "Period",
    "ReadState",
    "SyncResult",
    "Triage",
    "Watch",
    "WatchStatus",
    "add_watch",
    "end_watch",
    "list_alerts",
    "list_watches",
    "mark_groups_read",
    "mark_read",
    "sync_ocg_watches",
    "triage_alerts",
    "unread_count",
    "watch_status",
]
