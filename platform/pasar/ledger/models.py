"""Ledger tables: accounts, transactions and their entries; payouts and their batches.

Amounts are signed integer minor units at the currency's ISO exponent beside an ISO 4217 code.
The sign convention (debit positive, credit negative) is described in ``pasar.ledger.postings``.
Foreign keys between these tables include ``tenant_id``, so a row can never point at another
tenant's account, transaction or batch.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKeyConstraint,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pasar.db import Base, TenantScoped, utcnow

ACCOUNT_KINDS = ("asset", "liability", "revenue", "expense")
PAYOUT_STATUSES = ("pending", "processing", "paid", "failed", "skipped")
BATCH_STATUSES = ("open", "completed")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class LedgerAccount(TenantScoped, Base):
    """One account of the tenant's chart, in one currency (created on first use)."""

    __tablename__ = "ledger_accounts"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code", "currency"),
        UniqueConstraint("tenant_id", "id"),
        Index("ix_ledger_accounts_owner", "tenant_id", "owner_type", "owner_id"),
        CheckConstraint(_one_of("kind", ACCOUNT_KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # e.g. "platform_revenue" or "seller_payable:12" (the owner's id after the colon).
    code: Mapped[str] = mapped_column(String(80))
    currency: Mapped[str] = mapped_column(String(3))
    kind: Mapped[str] = mapped_column(String(16))
    # Whose money a per-owner account holds ("seller", "creator"); None for platform accounts.
    owner_type: Mapped[str | None] = mapped_column(String(16), default=None)
    owner_id: Mapped[int | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LedgerTransaction(TenantScoped, Base):
    """A balanced set of entries; (kind, reference) is unique so every posting is idempotent."""

    __tablename__ = "ledger_transactions"
    __table_args__ = (
        UniqueConstraint("tenant_id", "kind", "reference"),
        UniqueConstraint("tenant_id", "id"),
        Index("ix_ledger_transactions_related", "tenant_id", "kind", "related_ref"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # "order_completed", "refund", "payout", ...
    reference: Mapped[str] = mapped_column(String(200))  # the business id, e.g. the order's
    # The reference this one depends on: the order a refund reverses, the payout a failure
    # reverses. Lets a recipe find earlier postings without parsing metadata.
    related_ref: Mapped[str | None] = mapped_column(String(200), default=None)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    memo: Mapped[str] = mapped_column(String(500), default="")
    # ``metadata`` is reserved on declarative classes, hence the attribute name.
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    entries: Mapped[list[LedgerEntry]] = relationship(
        back_populates="transaction", cascade="all, delete-orphan", order_by="LedgerEntry.id"
    )


class LedgerEntry(TenantScoped, Base):
    """One leg: a signed amount on one account (debit positive, credit negative)."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "transaction_id"],
            ["ledger_transactions.tenant_id", "ledger_transactions.id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["tenant_id", "account_id"], ["ledger_accounts.tenant_id", "ledger_accounts.id"]
        ),
        Index("ix_ledger_entries_account", "tenant_id", "account_id"),
        Index("ix_ledger_entries_transaction", "tenant_id", "transaction_id"),
        CheckConstraint("amount_minor <> 0", name="amount_not_zero"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[int]
    account_id: Mapped[int]
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    # The account's currency, repeated so per-currency sums need no join.
    currency: Mapped[str] = mapped_column(String(3))

    transaction: Mapped[LedgerTransaction] = relationship(back_populates="entries")
    # Both foreign keys carry tenant_id; it is the same value, so the overlap is intended.
    account: Mapped[LedgerAccount] = relationship(lazy="joined", overlaps="entries,transaction")


class PayoutBatch(TenantScoped, Base):
    """One payout run through one provider; its reference (default: the local date) makes a
    re-run of the same day resume the batch instead of paying twice."""

    __tablename__ = "payout_batches"
    __table_args__ = (
        UniqueConstraint("tenant_id", "reference"),
        UniqueConstraint("tenant_id", "id"),
        CheckConstraint(_one_of("status", BATCH_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(64))
    provider: Mapped[str] = mapped_column(String(64))  # the payout provider's code
    currency: Mapped[str] = mapped_column(String(3))
    minimum_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(default=None)

    payouts: Mapped[list[Payout]] = relationship(
        back_populates="batch", order_by="Payout.id"
    )


class Payout(TenantScoped, Base):
    """Money sent (or to be sent) to one seller or creator in one batch.

    ``pending``: recorded and reserved in the ledger, not yet accepted by the provider;
    ``processing``: the provider accepted it (``provider_ref``) and confirms by webhook;
    ``paid`` / ``failed``: final (a failure gave the money back to the owner's payable);
    ``skipped``: owed but not sent (no valid bank account), nothing posted.
    """

    __tablename__ = "payouts"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "batch_id"], ["payout_batches.tenant_id", "payout_batches.id"]
        ),
        UniqueConstraint("tenant_id", "batch_id", "owner_type", "owner_id"),
        UniqueConstraint("tenant_id", "reference"),
        UniqueConstraint("tenant_id", "provider_ref"),
        Index("ix_payouts_owner", "tenant_id", "owner_type", "owner_id"),
        CheckConstraint(_one_of("status", PAYOUT_STATUSES), name="status"),
        CheckConstraint("amount_minor > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int]
    owner_type: Mapped[str] = mapped_column(String(16))  # "seller" or "creator"
    owner_id: Mapped[int]
    # The ledger reference of the payout posting; also the provider request's reference.
    reference: Mapped[str] = mapped_column(String(200))
    # Deterministic, so a retried submission can never pay twice at the provider.
    idempotency_key: Mapped[str] = mapped_column(String(240))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    provider: Mapped[str] = mapped_column(String(64))
    provider_ref: Mapped[str | None] = mapped_column(String(200), default=None)
    failure_reason: Mapped[str | None] = mapped_column(String(500), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    settled_at: Mapped[datetime | None] = mapped_column(default=None)

    batch: Mapped[PayoutBatch] = relationship(back_populates="payouts")
