"""Vouchers, their redemptions, and the Idempotency-Key store of order placement.

Money is integer minor units at the ISO exponent in the tenant's currency (``pasar.money``).
A voucher's ``used_count`` is raised by one conditional ``UPDATE ... WHERE used_count <
usage_limit`` whose row count is checked, so two buyers racing for the last use never both get
it; the row lock that UPDATE takes also queues a buyer's concurrent checkouts for the
per-buyer limit.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKeyConstraint, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pasar.db import Base, TenantScoped, utcnow

VOUCHER_SCOPES: tuple[str, ...] = ("platform", "seller")
VOUCHER_KINDS: tuple[str, ...] = ("percent", "fixed")
REDEMPTION_STATUSES: tuple[str, ...] = ("active", "released")
IDEMPOTENCY_STATUSES: tuple[str, ...] = ("in_flight", "done")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Voucher(TenantScoped, Base):
    """A discount code: paid by the platform (``platform``) or by one shop (``seller``)."""

    __tablename__ = "vouchers"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "code"),
        ForeignKeyConstraint(["tenant_id", "seller_id"], ["sellers.tenant_id", "sellers.id"], ondelete="CASCADE"),
        CheckConstraint(_one_of("scope", VOUCHER_SCOPES), name="scope"),
        CheckConstraint(_one_of("kind", VOUCHER_KINDS), name="kind"),
        CheckConstraint("(scope = 'seller') = (seller_id IS NOT NULL)", name="seller_scope"),
        CheckConstraint(
            "(kind = 'percent' AND percent IS NOT NULL AND amount_minor IS NULL)"
            " OR (kind = 'fixed' AND amount_minor IS NOT NULL AND percent IS NULL)",
            name="value",
        ),
        CheckConstraint("usage_limit IS NULL OR used_count <= usage_limit", name="usage"),
        CheckConstraint("used_count >= 0", name="used_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))  # upper case; buyers type it in any case
    scope: Mapped[str] = mapped_column(String(10))
    seller_id: Mapped[int | None] = mapped_column(index=True)  # the shop paying a seller voucher
    kind: Mapped[str] = mapped_column(String(10))
    percent: Mapped[str | None] = mapped_column(String(12))  # decimal string, e.g. "12.5" (%)
    amount_minor: Mapped[int | None] = mapped_column(BigInteger)  # fixed amount off
    currency: Mapped[str] = mapped_column(String(3))
    min_spend_minor: Mapped[int] = mapped_column(BigInteger, default=0)  # on the lines it covers
    max_discount_minor: Mapped[int | None] = mapped_column(BigInteger)  # cap of a percent voucher
    valid_from: Mapped[datetime | None]
    valid_to: Mapped[datetime | None]
    usage_limit: Mapped[int | None]  # redemptions in total; None = unlimited
    per_buyer_limit: Mapped[int | None]  # redemptions per buyer; None = unlimited
    used_count: Mapped[int] = mapped_column(default=0)  # active redemptions
    active: Mapped[bool] = mapped_column(default=True)
    created_by: Mapped[int | None]  # operators.id or users.id of whoever created it
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class VoucherRedemption(TenantScoped, Base):
    """One use of a voucher by one checkout; released when the checkout is never paid."""

    __tablename__ = "voucher_redemptions"
    __table_args__ = (
        UniqueConstraint("tenant_id", "voucher_id", "checkout_id"),
        ForeignKeyConstraint(["tenant_id", "voucher_id"], ["vouchers.tenant_id", "vouchers.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(["tenant_id", "checkout_id"], ["checkouts.tenant_id", "checkouts.id"], ondelete="CASCADE"),
        CheckConstraint(_one_of("status", REDEMPTION_STATUSES), name="status"),
        Index("ix_voucher_redemptions_buyer", "tenant_id", "voucher_id", "buyer_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    voucher_id: Mapped[int]
    checkout_id: Mapped[int] = mapped_column(index=True)
    buyer_id: Mapped[int]
    amount_minor: Mapped[int] = mapped_column(BigInteger)  # the discount it gave
    status: Mapped[str] = mapped_column(String(10), default="active")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IdempotencyRecord(TenantScoped, Base):
    """The first request with an ``Idempotency-Key`` and, once it finished, its answer.

    Inserted in its own committed transaction before any work: the unique constraint decides
    which of two concurrent requests with one key does the work; the other reads this row
    (still ``in_flight``: 409; ``done``: the stored answer again). Kept 24 hours.
    """

    __tablename__ = "idempotency_records"
    __table_args__ = (
        UniqueConstraint("tenant_id", "buyer_id", "key"),
        CheckConstraint(_one_of("status", IDEMPOTENCY_STATUSES), name="status"),
        Index("ix_idempotency_records_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_id: Mapped[int]
    key: Mapped[str] = mapped_column(String(128))
    request_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the canonical JSON body
    status: Mapped[str] = mapped_column(String(10), default="in_flight")
    response_status: Mapped[int | None]
    response_body: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
