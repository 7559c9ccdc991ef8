"""Content tables: videos and their product anchors, buyer interactions (what the feed learns
from), live sessions with their showcase.

Children point at their parents with composite ``(tenant_id, parent_id)`` foreign keys, so a row
can never hang under another marketplace's video or live session. ``creator_id`` has no foreign
key: creator profiles live in the ``creators`` branch, which may be migrated after this one.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKeyConstraint, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pasar.db import Base, TenantScoped, utcnow

AUTHOR_KINDS: tuple[str, ...] = ("seller", "creator")
MODERATION_STATES: tuple[str, ...] = ("pending", "approved", "rejected")
INTERACTION_KINDS: tuple[str, ...] = ("view", "like", "share", "comment", "product_click")
LIVE_STATUSES: tuple[str, ...] = ("scheduled", "live", "ended")
#: A video links at most this many products (the anchors under the player).
MAX_ANCHORS = 6


def _one_of(column: str, values: tuple[str, ...]) -> str:
    """SQL for ``column IN (...)``: the database refuses a state no code path knows."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


# The author is exactly one of a shop or a creator, matching ``author_kind``.
_AUTHOR_CHECK = (
    "(author_kind = 'seller' AND seller_id IS NOT NULL AND creator_id IS NULL) OR "
    "(author_kind = 'creator' AND creator_id IS NOT NULL)"
)


class Video(TenantScoped, Base):
    """A short video posted by a shop or a creator; buyers see it once an operator approved it."""

    __tablename__ = "videos"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        ForeignKeyConstraint(["tenant_id", "seller_id"], ["sellers.tenant_id", "sellers.id"]),
        CheckConstraint(_one_of("author_kind", AUTHOR_KINDS), name="author_kind"),
        CheckConstraint(_one_of("moderation", MODERATION_STATES), name="moderation"),
        CheckConstraint(_AUTHOR_CHECK, name="author"),
        # The feed's candidate query: approved videos, newest first.
        Index("ix_videos_feed", "tenant_id", "moderation", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_kind: Mapped[str] = mapped_column(String(12))
    # The shop that posted it; for a creator who also runs a shop, the shop is not the author.
    seller_id: Mapped[int | None] = mapped_column(index=True)
    creator_id: Mapped[int | None] = mapped_column(index=True)  # creators' profile id
    posted_by: Mapped[int]  # users.id of the person who posted it
    media_url: Mapped[str] = mapped_column(String(500))
    cover_url: Mapped[str | None] = mapped_column(String(500))
    caption: Mapped[str] = mapped_column(String(2200), default="")
    language: Mapped[str] = mapped_column(String(16))  # one of the tenant's locales
    moderation: Mapped[str] = mapped_column(String(12), default="pending")
    moderation_reason: Mapped[str | None] = mapped_column(String(500))
    moderated_by: Mapped[int | None]  # operators.id
    moderated_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    anchors: Mapped[list[VideoAnchor]] = relationship(
        back_populates="video", cascade="all, delete-orphan", order_by="VideoAnchor.position", lazy="selectin"
    )


class VideoAnchor(TenantScoped, Base):
    """A product linked under a video, in display order."""

    __tablename__ = "video_anchors"
    __table_args__ = (
        UniqueConstraint("tenant_id", "video_id", "product_id"),
        ForeignKeyConstraint(["tenant_id", "video_id"], ["videos.tenant_id", "videos.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(["tenant_id", "product_id"], ["products.tenant_id", "products.id"]),
        CheckConstraint(f"position >= 0 AND position < {MAX_ANCHORS}", name="position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    video_id: Mapped[int] = mapped_column(index=True)
    product_id: Mapped[int] = mapped_column(index=True)
    position: Mapped[int]

    video: Mapped[Video] = relationship(back_populates="anchors")


class LiveSession(TenantScoped, Base):
    """A live shopping stream: scheduled → live → ended, hosted by a shop or a creator."""

    __tablename__ = "live_sessions"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        ForeignKeyConstraint(["tenant_id", "seller_id"], ["sellers.tenant_id", "sellers.id"]),
        ForeignKeyConstraint(["tenant_id", "pinned_product_id"], ["products.tenant_id", "products.id"]),
        CheckConstraint(_one_of("host_kind", AUTHOR_KINDS), name="host_kind"),
        CheckConstraint(_one_of("status", LIVE_STATUSES), name="status"),
        CheckConstraint(_AUTHOR_CHECK.replace("author_kind", "host_kind"), name="host"),
        # "Lives now" for the feed, and a host's schedule.
        Index("ix_live_sessions_status", "tenant_id", "status", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    host_kind: Mapped[str] = mapped_column(String(12))
    seller_id: Mapped[int | None] = mapped_column(index=True)
    creator_id: Mapped[int | None] = mapped_column(index=True)
    hosted_by: Mapped[int]  # users.id of the person who created it
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12), default="scheduled")
    scheduled_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    replay_url: Mapped[str | None] = mapped_column(String(500))
    pinned_product_id: Mapped[int | None]  # one of the showcase products, or none
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    showcase: Mapped[list[LiveShowcaseItem]] = relationship(
        back_populates="live_session", cascade="all, delete-orphan",
        order_by="LiveShowcaseItem.position", lazy="selectin",
    )

    @property
    def author_kind(self) -> str:
        """The host's kind under the name the product rules share with videos."""
        return self.host_kind


class LiveShowcaseItem(TenantScoped, Base):
    """A product shown in a live session's shop bag, in display order."""

    __tablename__ = "live_showcase_items"
    __table_args__ = (
        UniqueConstraint("tenant_id", "live_session_id", "product_id"),
        ForeignKeyConstraint(
            ["tenant_id", "live_session_id"], ["live_sessions.tenant_id", "live_sessions.id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(["tenant_id", "product_id"], ["products.tenant_id", "products.id"]),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    live_session_id: Mapped[int] = mapped_column(index=True)
    product_id: Mapped[int] = mapped_column(index=True)
    position: Mapped[int]

    live_session: Mapped[LiveSession] = relationship(back_populates="showcase")


_ONE_LIKE = "kind = 'like' AND video_id IS NOT NULL"


class Interaction(TenantScoped, Base):
    """One thing a buyer did with a video or a live session: the raw signal the feed ranks on.

    Append-only and high volume, so it carries no foreign keys to products (a click on a
    product deleted later still counts for the affinity it showed). The one exception is a
    video's like: one row per buyer and video, which an unlike deletes.
    """

    __tablename__ = "interactions"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "video_id"], ["videos.tenant_id", "videos.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(
            ["tenant_id", "live_session_id"], ["live_sessions.tenant_id", "live_sessions.id"], ondelete="CASCADE"
        ),
        CheckConstraint(_one_of("kind", INTERACTION_KINDS), name="kind"),
        CheckConstraint("watch_seconds >= 0", name="watch_seconds"),
        CheckConstraint("video_id IS NOT NULL OR live_session_id IS NOT NULL", name="subject"),
        # A buyer's recent history (affinity), and a video's counts by kind (popularity).
        Index("ix_interactions_buyer", "tenant_id", "buyer_id", "at"),
        Index("ix_interactions_video", "tenant_id", "video_id", "kind", "at"),
        Index("ix_interactions_live", "tenant_id", "live_session_id", "kind"),
        # A buyer likes a video once (unliking deletes the row): the feed never counts a like twice.
        Index("uq_interactions_video_like", "tenant_id", "video_id", "buyer_id", unique=True,
              sqlite_where=text(_ONE_LIKE), postgresql_where=text(_ONE_LIKE)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_id: Mapped[int]  # users.id
    kind: Mapped[str] = mapped_column(String(16))
    video_id: Mapped[int | None]
    live_session_id: Mapped[int | None]
    product_id: Mapped[int | None]  # product clicks only
    watch_seconds: Mapped[int] = mapped_column(default=0)  # views only
    text: Mapped[str | None] = mapped_column(String(500))  # comments only
    at: Mapped[datetime] = mapped_column(default=utcnow)


# Wherever the models are loaded (web processes and the worker), paid orders placed in a live
# room are announced there: see ``purchases``.
from pasar.content import purchases as _purchases  # noqa: E402, F401
