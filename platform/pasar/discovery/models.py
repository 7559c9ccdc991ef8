"""The search index, and the feed's popularity rollup.

**Search**: one row per product text (product × locale), kept in step with the
catalog by ``pasar.discovery.indexing``.

Each row holds the title as typed (case-folded) and accent-folded copies of the title and the
description. Matching runs on the folded copies (diacritic-insensitive); the as-typed title only
ranks an exact match first. The database's own text index sits on top of this table and is
created by the migration: an FTS5 ``trigram`` table (``search_fts``, external content, kept by
triggers) on SQLite, GIN ``gin_trgm_ops`` indexes on PostgreSQL. Trigrams need no word breaks,
which Thai does not write.

**Popularity rollup** (``pasar.discovery.rollup``): one row per product, video or live session
with any purchase or interaction in the popularity window — its time-decayed popularity,
summed so far — and one state row per tenant saying up to when. The feed reads its top rows
instead of every order line and interaction of the window.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKeyConstraint, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pasar.db import Base, TenantScoped


class SearchDocument(TenantScoped, Base):
    """The searchable text of one product in one locale."""

    __tablename__ = "search_documents"
    __table_args__ = (
        UniqueConstraint("tenant_id", "product_id", "locale"),
        ForeignKeyConstraint(
            ["tenant_id", "product_id"], ["products.tenant_id", "products.id"], ondelete="CASCADE"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(index=True)
    locale: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))  # text.plain(): case-folded, accents kept
    title_folded: Mapped[str] = mapped_column(String(200))  # text.fold(): accents removed
    body_folded: Mapped[str] = mapped_column(Text, default="")  # the folded description



class FeedPopularity(TenantScoped, Base):
    """One thing's popularity: ``bought`` (units ordered, recounted at every refresh, since an
    order counts only once paid) plus ``engaged`` (clicks, views, likes... added as they come),
    both decayed to the tenant's ``FeedPopularityState.reference`` moment. Scores of one tenant
    share that moment, so they compare directly; no foreign keys (a deleted thing's row is
    harmless and goes at the next rebuild)."""

    __tablename__ = "feed_popularity"
    __table_args__ = (
        UniqueConstraint("tenant_id", "target", "ident"),
        # The feed's "most popular N of a kind".
        Index("ix_feed_popularity_top", "tenant_id", "target", "score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target: Mapped[str] = mapped_column(String(8))  # "product" | "video" | "live"
    ident: Mapped[int]
    bought: Mapped[float] = mapped_column(Float, default=0.0)
    engaged: Mapped[float] = mapped_column(Float, default=0.0)
    score: Mapped[float] = mapped_column(Float, default=0.0)  # bought + engaged


class FeedPopularityState(TenantScoped, Base):
    """How far a tenant's rollup goes: the moment its scores are decayed to (``reference``, the
    last full rebuild), the last refresh, and the highest interaction id counted."""

    __tablename__ = "feed_popularity_state"
    __table_args__ = (UniqueConstraint("tenant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[datetime]
    refreshed_at: Mapped[datetime]
    interactions_through: Mapped[int] = mapped_column(default=0)


from pasar.discovery import indexing  # noqa: E402, F401  (registers the catalog listeners)
