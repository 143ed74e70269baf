"""Routine sharing: threat notices and audiences, watches and alerts, briefings, digests,
the dissemination register and job cursors (see storage.sharing_tables).
Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 03:21:14.089309
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "job_cursor",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "digest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.DateTime(), nullable=False),
        sa.Column("compiled_at", sa.DateTime(), nullable=False),
        sa.Column("emailed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agency.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agency_id", "period_start", name="uq_digest_agency"),
    )
    with op.batch_alter_table("digest", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_digest_agency_id"), ["agency_id"], unique=False)

    op.create_table(
        "briefing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("shift_start", sa.DateTime(), nullable=False),
        sa.Column("compiled_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["area.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("area_id", "shift_start", name="uq_briefing_area_shift"),
    )
    with op.batch_alter_table("briefing", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_briefing_area_id"), ["area_id"], unique=False)

    op.create_table(
        "watch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["entity_id"], ["entity.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["group_id"], ["entity.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("entity_id", "user_id", name="uq_watch_entity_user"),
    )
    with op.batch_alter_table("watch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_watch_entity_id"), ["entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_watch_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_watch_user_id"), ["user_id"], unique=False)

    op.create_table(
        "alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("watch_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.Column("emailed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["entity_id"], ["entity.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["watch_id"], ["watch.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", "entity_id", "user_id", name="uq_alert_event_entity_user"),
    )
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_alert_entity_id"), ["entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_alert_user_id"), ["user_id"], unique=False)

    op.create_table(
        "threat_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=32), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("sanitised_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("threat", sa.Text(), nullable=False),
        sa.Column("place", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=False),
        sa.Column("areas", sa.Text(), nullable=False),
        sa.Column("source_eval", sa.String(length=1), nullable=True),
        sa.Column("intel_eval", sa.String(length=1), nullable=True),
        sa.Column("handling", sa.String(length=1), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=True),
        sa.Column("marking", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("review_date", sa.Date(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("published_by", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["agency.id"],
        ),
        sa.ForeignKeyConstraint(["published_by"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["sanitised_id"], ["intel_sanitised.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["subject_id"], ["entity.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ref"),
    )
    with op.batch_alter_table("threat_notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_threat_notice_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_threat_notice_published_at"), ["published_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_threat_notice_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_threat_notice_subject_id"), ["subject_id"], unique=False
        )

    op.create_table(
        "briefing_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("briefing_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("grading", sa.String(length=8), nullable=True),
        sa.Column("handling", sa.String(length=1), nullable=True),
        sa.Column("conditions", sa.Text(), nullable=True),
        sa.Column("marking", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["briefing_id"], ["briefing.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["entity_id"], ["entity.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["group_id"], ["entity.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["notice_id"], ["threat_notice.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("briefing_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_briefing_item_briefing_id"), ["briefing_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_briefing_item_entity_id"), ["entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_briefing_item_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_briefing_item_notice_id"), ["notice_id"], unique=False)

    op.create_table(
        "digest_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=32), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        sa.Column("sanitised_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("grading", sa.String(length=8), nullable=True),
        sa.Column("handling", sa.String(length=1), nullable=True),
        sa.Column("conditions", sa.Text(), nullable=True),
        sa.Column("isa_ref", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["digest_id"], ["digest.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["group_id"], ["entity.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["notice_id"], ["threat_notice.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["sanitised_id"], ["intel_sanitised.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("digest_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_digest_item_digest_id"), ["digest_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_digest_item_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_digest_item_notice_id"), ["notice_id"], unique=False)

    op.create_table(
        "dissemination",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_kind", sa.String(length=16), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("recipient_area_id", sa.Integer(), nullable=True),
        sa.Column("recipient_user_id", sa.Integer(), nullable=True),
        sa.Column("recipient_agency_id", sa.Integer(), nullable=True),
        sa.Column("form", sa.String(length=16), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=True),
        sa.Column("acknowledged_by", sa.Integer(), nullable=True),
        sa.Column("audit_event_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["acknowledged_by"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["notice_id"], ["threat_notice.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["recipient_agency_id"],
            ["agency.id"],
        ),
        sa.ForeignKeyConstraint(
            ["recipient_area_id"],
            ["area.id"],
        ),
        sa.ForeignKeyConstraint(["recipient_user_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "item_kind",
            "item_id",
            "recipient_user_id",
            "recipient_agency_id",
            "recipient_area_id",
            "form",
            name="uq_dissemination_item_recipient",
        ),
    )
    with op.batch_alter_table("dissemination", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dissemination_group_id"), ["group_id"], unique=False)
        batch_op.create_index("ix_dissemination_item", ["item_kind", "item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dissemination_notice_id"), ["notice_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_dissemination_recipient_agency_id"),
            ["recipient_agency_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_dissemination_recipient_area_id"), ["recipient_area_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_dissemination_recipient_user_id"), ["recipient_user_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_dissemination_sent_at"), ["sent_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_dissemination_subject_id"), ["subject_id"], unique=False
        )

    op.create_table(
        "notice_audience",
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["notice_id"], ["threat_notice.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("notice_id", "kind", "code"),
    )


def downgrade() -> None:

    op.drop_table("notice_audience")
    with op.batch_alter_table("dissemination", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dissemination_subject_id"))
        batch_op.drop_index(batch_op.f("ix_dissemination_sent_at"))
        batch_op.drop_index(batch_op.f("ix_dissemination_recipient_user_id"))
        batch_op.drop_index(batch_op.f("ix_dissemination_recipient_area_id"))
        batch_op.drop_index(batch_op.f("ix_dissemination_recipient_agency_id"))
        batch_op.drop_index(batch_op.f("ix_dissemination_notice_id"))
        batch_op.drop_index("ix_dissemination_item")
        batch_op.drop_index(batch_op.f("ix_dissemination_group_id"))

    op.drop_table("dissemination")
    with op.batch_alter_table("digest_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_digest_item_notice_id"))
        batch_op.drop_index(batch_op.f("ix_digest_item_group_id"))
        batch_op.drop_index(batch_op.f("ix_digest_item_digest_id"))

    op.drop_table("digest_item")
    with op.batch_alter_table("briefing_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_briefing_item_notice_id"))
        batch_op.drop_index(batch_op.f("ix_briefing_item_group_id"))
        batch_op.drop_index(batch_op.f("ix_briefing_item_entity_id"))
        batch_op.drop_index(batch_op.f("ix_briefing_item_briefing_id"))

    op.drop_table("briefing_item")
    with op.batch_alter_table("threat_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_threat_notice_subject_id"))
        batch_op.drop_index(batch_op.f("ix_threat_notice_status"))
        batch_op.drop_index(batch_op.f("ix_threat_notice_published_at"))
        batch_op.drop_index(batch_op.f("ix_threat_notice_owner_id"))

    op.drop_table("threat_notice")
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_user_id"))
        batch_op.drop_index(batch_op.f("ix_alert_entity_id"))
        batch_op.drop_index(batch_op.f("ix_alert_created_at"))

    op.drop_table("alert")
    with op.batch_alter_table("watch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_watch_user_id"))
        batch_op.drop_index(batch_op.f("ix_watch_group_id"))
        batch_op.drop_index(batch_op.f("ix_watch_entity_id"))

    op.drop_table("watch")
    with op.batch_alter_table("briefing", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_briefing_area_id"))

    op.drop_table("briefing")
    with op.batch_alter_table("digest", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_digest_agency_id"))

    op.drop_table("digest")
    op.drop_table("job_cursor")
