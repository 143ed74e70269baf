"""Turning a loaded notice into what one actor may see of it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from threadline.model.security import Actor
from threadline.notices.records import LoadedNotice, notice_record
from threadline.notices.types import NoticeView
from threadline.policy import Action, Decision, PolicyContext, ResourceKind, decide, redact


def decide_read(actor: Actor, ctx: PolicyContext, loaded: LoadedNotice) -> Decision:
    """Policy's answer for reading the notice, plus what notices add to it.

    Drafts are seen only in their own organisation. A partner sees a notice only when it
    is addressed to that partner by name (and its agreement allows it, which policy
    decides); a partner never sees a draft.
    """
    decision = decide(actor=actor, action=Action.READ, resource=loaded.resource, ctx=ctx)
    if not decision.allowed:
        return decision
    ref = loaded.row.ref
    if loaded.row.status == "draft" and actor.agency_code != loaded.owner:
        return Decision(False, "notice-draft", f"{ref} is a draft of {loaded.owner}")
    if not actor.is_police and actor.agency_code != loaded.owner:
        addressed = any(
            a.kind == "agency" and a.code == actor.agency_code for a in loaded.audiences
        )
        if not addressed:
            return Decision(
                False,
                "notice-audience",
                f"{ref} is not addressed to {actor.agency_code}; partners see only notices "
                "sent to them",
            )
    return decision


def view_of(session: Session, actor: Actor, ctx: PolicyContext, loaded: LoadedNotice) -> NoticeView:
    """The notice redacted for `actor` (raises `Forbidden` if they may not read it)."""
    decision = decide_read(actor, ctx, loaded)
    view = redact(
        ResourceKind.THREAT_NOTICE, notice_record(loaded, on=ctx.on), decision, view=NoticeView
    )
    view.audiences = loaded.audiences if actor.is_police else ()
    return view
