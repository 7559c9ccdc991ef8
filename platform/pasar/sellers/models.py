"""Shops, the documents behind their KYC, and every change of their review status.

A seller's KYC values are kept as the region plugin named them (``kyc`` JSON), because the
fields differ per country (an Indonesian NIB, a UK Companies House number, a US EIN). The bank
account number is stored in full — payouts need it — and only ever shown masked.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKeyConstraint, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pasar.db import Base, TenantScoped, utcnow

SELLER_STATUSES: tuple[str, ...] = ("pending", "approved", "rejected", "suspended")
BUSINESS_TYPES: tuple[str, ...] = ("company", "individual", "household")
ACTOR_KINDS: tuple[str, ...] = ("user", "operator")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Seller(TenantScoped, Base):
    """A shop in one marketplace, owned by one user and reviewed by an operator."""

    __tablename__ = "sellers"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),  # target of other tables' (tenant_id, seller_id) FKs
        UniqueConstraint("tenant_id", "owner_user_id"),  # one shop per user
        CheckConstraint(_one_of("status", SELLER_STATUSES), name="status"),
        CheckConstraint(_one_of("business_type", BUSINESS_TYPES), name="business_type"),
        Index("ix_sellers_review_queue", "tenant_id", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))  # the shop name buyers see
    legal_name: Mapped[str] = mapped_column(String(200))  # as in the business register
    business_type: Mapped[str] = mapped_column(String(16))
    country: Mapped[str] = mapped_column(String(2))  # the tenant's market when registered
    status: Mapped[str] = mapped_column(String(16), default="pending")
    rejection_reason: Mapped[str | None] = mapped_column(String(500))  # also the suspension reason
    # KYC field name → value, exactly the fields the region plugin asked for.
    kyc: Mapped[dict[str, Any]]
    bank_holder: Mapped[str] = mapped_column(String(200))
    # Full number (IBAN, account number): payouts need it; answers show it masked.
    bank_number: Mapped[str] = mapped_column(String(64))
    bank_code: Mapped[str | None] = mapped_column(String(32))  # sort code, routing number, BIC
    bank_country: Mapped[str] = mapped_column(String(2))
    # users.id of the shop's owner; no FK: accounts migrates on its own branch.
    owner_user_id: Mapped[int]
    # operators.id of the last reviewer; no FK for the same reason.
    reviewed_by: Mapped[int | None]
    reviewed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    documents: Mapped[list[SellerDocument]] = relationship(
        back_populates="seller", order_by="SellerDocument.id", lazy="selectin",
    )
    status_changes: Mapped[list[SellerStatusChange]] = relationship(
        back_populates="seller", order_by="SellerStatusChange.id", lazy="selectin",
    )


class SellerDocument(TenantScoped, Base):
    """An uploaded KYC document; the file lives under the uploads directory, named by its hash."""

    __tablename__ = "seller_documents"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "seller_id"], ["sellers.tenant_id", "sellers.id"], ondelete="CASCADE"
        ),
        Index("ix_seller_documents_seller", "tenant_id", "seller_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int]
    kind: Mapped[str] = mapped_column(String(64))  # one of KycRequirements.documents
    filename: Mapped[str] = mapped_column(String(255))  # as the client named it, for people only
    content_type: Mapped[str] = mapped_column(String(64))  # from the file's magic bytes
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    # Relative to the uploads directory: <tenant code>/<seller id>/<sha256>.
    path: Mapped[str] = mapped_column(String(300))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    seller: Mapped[Seller] = relationship(back_populates="documents")


class SellerStatusChange(TenantScoped, Base):
    """One transition of a seller's status, with who made it and why (the review's audit log)."""

    __tablename__ = "seller_status_changes"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "seller_id"], ["sellers.tenant_id", "sellers.id"], ondelete="CASCADE"
        ),
        CheckConstraint(_one_of("actor_kind", ACTOR_KINDS), name="actor_kind"),
        Index("ix_seller_status_changes_seller", "tenant_id", "seller_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int]
    from_status: Mapped[str | None] = mapped_column(String(16))  # None: the registration itself
    to_status: Mapped[str] = mapped_column(String(16))
    actor_kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int]
    reason: Mapped[str | None] = mapped_column(String(500))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    seller: Mapped[Seller] = relationship(back_populates="status_changes")
