"""The search index: one row per product text (product × locale), kept in step with the
catalog by ``pasar.discovery.indexing``.

Each row holds the title as typed (case-folded) and accent-folded copies of the title and the
description. Matching runs on the folded copies (diacritic-insensitive); the as-typed title only
ranks an exact match first. The database's own text index sits on top of this table and is
created by the migration: an FTS5 ``trigram`` table (``search_fts``, external content, kept by
triggers) on SQLite, GIN ``gin_trgm_ops`` indexes on PostgreSQL. Trigrams need no word breaks,
which Thai does not write.
"""
from __future__ import annotations

from sqlalchemy import ForeignKeyConstraint, String, Text, UniqueConstraint
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


from pasar.discovery import indexing  # noqa: E402, F401  (registers the catalog listeners)
