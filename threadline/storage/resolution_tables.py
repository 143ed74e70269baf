"""Tables of entity resolution: trained models, each record's resolved person, and the links.

A `resolution_model` row is one trained Splink model: its version, the whole model as
Splink's JSON (settings with the trained m and u probabilities) and the figures of its
training. A `resolved_person` row says which resolved person one person record belongs
to; the resolved id is stable across reruns where the cluster is unchanged. A
`resolution_link` row is one accepted pairwise match of the last run: a cluster is the
connected component of its links, so a reader can be shown a cluster joined only
through the records they may see (`threadline.policy.resolution`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from threadline.storage.tables import Base


class ResolutionModelRow(Base):
    """One trained resolution model, kept with its version and training figures."""

    __tablename__ = "resolution_model"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    trained_at: Mapped[datetime] = mapped_column(DateTime)
    # Splink's model JSON (settings and trained parameters), enough to predict again.
    parameters: Mapped[str] = mapped_column(Text)
    # JSON: records, pairs, EM sessions, prior, timings: how the model came to be.
    figures: Mapped[str] = mapped_column(Text, default="{}")


class ResolvedPersonRow(Base):
    """Which resolved person one person record belongs to, as of the last run."""

    __tablename__ = "resolved_person"

    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entity.id", ondelete="CASCADE"), primary_key=True
    )
    resolved_id: Mapped[str] = mapped_column(String(32), index=True)
    model_version: Mapped[int] = mapped_column(Integer)
    resolved_at: Mapped[datetime] = mapped_column(DateTime)


class ResolutionLinkRow(Base):
    """One pair of person records matched at or above the threshold in the last run."""

    __tablename__ = "resolution_link"
    __table_args__ = (CheckConstraint("entity_a < entity_b", name="ck_resolution_link_order"),)

    # The pair, smaller entity id first, so each pair is stored once.
    entity_a: Mapped[int] = mapped_column(
        ForeignKey("entity.id", ondelete="CASCADE"), primary_key=True
    )
    entity_b: Mapped[int] = mapped_column(
        ForeignKey("entity.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    match_probability: Mapped[float] = mapped_column(Float)
    model_version: Mapped[int] = mapped_column(Integer)
