"""Tripwires: any new event touching a watched record alerts its watchers.

Watches are kept automatically for each OCG's lead responsible officer
(`sync_ocg_watches`) or added by hand (`add_watch`); `threadline tick` matches new audit
events against them (`job.run`), raises alerts in the app, records them in the
dissemination register and announces them by email (a count and a link, nothing more).
"""

from threadline.tripwires.alerts import Alert, list_alerts, mark_read, unread_count
from threadline.tripwires.ocg_watches import SyncResult, sync_ocg_watches
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
    "SyncResult",
    "Watch",
    "WatchStatus",
    "add_watch",
    "end_watch",
    "list_alerts",
    "list_watches",
    "mark_read",
    "sync_ocg_watches",
    "unread_count",
    "watch_status",
]
