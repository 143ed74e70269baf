"""Turning a loaded notice into what one actor may see of it, and may do with it."""

from __future__ import annotations

from threadline.model.security import Actor
from threadline.notices.records import LoadedNotice, notice_record
from threadline.notices.types import NoticeView
from threadline.policy import (
    Action,
    Decision,
    PolicyContext,
    ResourceKind,
    allowed_actions,
    decide,
    redact,
)

# What a notice page may offer besides reading it.
NOTICE_ACTIONS = (Action.PUBLISH, Action.ACKNOWLEDGE)


def decide_read(actor: Actor, ctx: PolicyContext, loaded: LoadedNotice) -> Decision:
    """Policy's answer for reading the notice (drafts, audiences and agreements included:
    see `threadline.policy.sharing`)."""
    return decide(actor=actor, action=Action.READ, resource=loaded.resource, ctx=ctx)


def view_of(actor: Actor, ctx: PolicyContext, loaded: LoadedNotice) -> NoticeView:
    """The notice redacted for `actor`, with what they may do with it (`allowed`).

    Only a reader who sees the whole notice (not an agreement's fields of it) is told its
    audiences: a partner is not told who else received it.
    """
    decision = decide_read(actor, ctx, loaded)
    view = redact(
        ResourceKind.THREAT_NOTICE, notice_record(loaded, on=ctx.on), decision, view=NoticeView
    )
    view.audiences = loaded.audiences if decision.fields is None else ()
    view.allowed = allowed_actions(
        actor=actor, resource=loaded.resource, ctx=ctx, actions=NOTICE_ACTIONS
    )
    return view
