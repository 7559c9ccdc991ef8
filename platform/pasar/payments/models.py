"""Payments, the provider notifications about them, and refunds.

A ``Payment`` row exists before the gateway is called (its random ``reference`` travels in the
request and comes back in every webhook), so a notification that overtakes the gateway's own
answer still finds its payment. Statuses only move forward (``pasar.payments.state``);
``outcome_unknown`` marks a call that timed out, settled later by reconciliation.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKeyConstraint, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pasar.db import Base, TenantScoped, utcnow

PAYMENT_STATUSES: tuple[str, ...] = (
    "requires_action",
    "pending",
    "authorized",
    "captured",
    "failed",
    "cancelled",
    "expired",
    "refunded",
    "partially_refunded",
)
REFUND_STATUSES: tuple[str, ...] = ("pending", "succeeded", "failed")
REFUND_CHANNELS: tuple[str, ...] = ("gateway", "payout")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Payment(TenantScoped, Base):
    """The buyer's payment for one checkout, as the provider reports it."""

    __tablename__ = "payments"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "checkout_id"),  # one payment per checkout
        UniqueConstraint("tenant_id", "reference"),
        UniqueConstraint("tenant_id", "provider_ref"),
        ForeignKeyConstraint(["tenant_id", "checkout_id"], ["checkouts.tenant_id", "checkouts.id"], ondelete="CASCADE"),
        CheckConstraint(_one_of("status", PAYMENT_STATUSES), name="status"),
        Index("ix_payments_unsettled", "outcome_unknown", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    checkout_id: Mapped[int]
    # Our public id of the payment, sent as PaymentRequest.reference and echoed in webhooks;
    # random so the buyer's return URL does not let anyone enumerate payments.
    reference: Mapped[str] = mapped_column(String(40))
    method: Mapped[str] = mapped_column(String(40))  # payment-method code, e.g. "gopay"
    flow: Mapped[str] = mapped_column(String(12))  # the method's flow when it was chosen
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    # The gateway call timed out (ProviderUnavailable): not failed, settled by reconciliation.
    outcome_unknown: Mapped[bool] = mapped_column(default=False)
    provider_ref: Mapped[str | None] = mapped_column(String(100))
    idempotency_key: Mapped[str] = mapped_column(String(128))  # sent to the provider: never charge twice
    redirect_url: Mapped[str | None] = mapped_column(String(500))
    instructions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # VA number, QR, code
    sandbox_url: Mapped[str | None] = mapped_column(String(500))  # sandbox page to "pay" a VA/QR
    page_token: Mapped[str] = mapped_column(String(64))  # CSRF token of the sandbox payment page
    expires_at: Mapped[datetime | None]
    failure_reason: Mapped[str | None] = mapped_column(String(300))
    captured_minor: Mapped[int] = mapped_column(BigInteger, default=0)  # COD: the cash collected
    refunded_minor: Mapped[int] = mapped_column(BigInteger, default=0)  # refunds confirmed
    # COD: the cash couriers reported so far, the sum of the orders' ``CashCollection`` rows.
    cash_collected_minor: Mapped[int | None] = mapped_column(BigInteger)
    last_event_at: Mapped[datetime | None]  # provider time of the newest notification applied
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    captured_at: Mapped[datetime | None]


class PaymentEvent(TenantScoped, Base):
    """A verified provider notification, stored once per ``(provider, event_id)``."""

    __tablename__ = "payment_events"
    __table_args__ = (
        UniqueConstraint("tenant_id", "provider", "event_id"),
        ForeignKeyConstraint(["tenant_id", "payment_id"], ["payments.tenant_id", "payments.id"], ondelete="CASCADE"),
        Index("ix_payment_events_subject", "tenant_id", "subject_ref"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(40))  # the method code of the webhook URL
    event_id: Mapped[str] = mapped_column(String(100))
    type: Mapped[str] = mapped_column(String(60))
    payment_id: Mapped[int | None]
    # What the event is about at the provider: a payment's or a refund's reference.
    subject_ref: Mapped[str] = mapped_column(String(100))
    occurred_at: Mapped[datetime]
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # False until it changed our records (a refund notice may arrive before we know its ref).
    applied: Mapped[bool] = mapped_column(default=False)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class Refund(TenantScoped, Base):
    """Money going back to a buyer for one order: through the gateway, or for cash on delivery
    as a payout to the buyer's bank account or wallet."""

    __tablename__ = "refunds"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "idempotency_key"),
        UniqueConstraint("tenant_id", "provider_refund_ref"),
        ForeignKeyConstraint(["tenant_id", "payment_id"], ["payments.tenant_id", "payments.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(["tenant_id", "order_id"], ["orders.tenant_id", "orders.id"], ondelete="CASCADE"),
        CheckConstraint(_one_of("status", REFUND_STATUSES), name="status"),
        CheckConstraint(_one_of("channel", REFUND_CHANNELS), name="channel"),
        CheckConstraint("amount_minor > 0", name="amount"),
        Index("ix_refunds_open", "status", "provider_refund_ref"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int]
    order_id: Mapped[int] = mapped_column(index=True)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    channel: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(300))
    idempotency_key: Mapped[str] = mapped_column(String(128))  # the caller's; sent to the provider
    provider_refund_ref: Mapped[str | None] = mapped_column(String(100))  # or the payout's ref
    # Cash on delivery: where the money goes (holder, number, bank_code, country).
    payout_account: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    failure_reason: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    settled_at: Mapped[datetime | None]


class CashCollection(TenantScoped, Base):
    """Cash a courier collected at the door for one order of a cash-on-delivery checkout.

    Each shop's parcel is delivered, and paid, on its own: a checkout of several shops is
    captured in parts, one per order, and its payment is captured once every order is either
    collected or cancelled (refused at the door), for the sum of the parts.
    """

    __tablename__ = "cash_collections"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "order_id"),  # one collection per parcel
        ForeignKeyConstraint(["tenant_id", "payment_id"], ["payments.tenant_id", "payments.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(["tenant_id", "order_id"], ["orders.tenant_id", "orders.id"], ondelete="CASCADE"),
        CheckConstraint("amount_minor > 0", name="amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(index=True)
    order_id: Mapped[int]
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    collected_at: Mapped[datetime] = mapped_column(default=utcnow)
