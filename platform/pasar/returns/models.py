"""Return requests and the order lines (and quantities) they send back.

A withdrawal is the statutory right of a consumer in the UK and the EU to cancel within the
window without giving a reason; it is declared in two steps (declare, then confirm), and the
confirmation time is the acknowledgement the buyer keeps. A return is the platform's own
return-or-refund request and needs a reason. The refund amount is fixed when the request is
made, so what the buyer was promised is what the seller refunds.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKeyConstraint, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pasar.db import Base, TenantScoped, utcnow

RETURN_KINDS: tuple[str, ...] = ("withdrawal", "return")
#: ``pending_confirmation``: a withdrawal declared but not confirmed yet (nothing changed).
RETURN_STATUSES: tuple[str, ...] = (
    "pending_confirmation", "requested", "approved", "rejected", "received", "refunded",
)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class ReturnRequest(TenantScoped, Base):
    """A buyer sending (part of) an order back for a refund."""

    __tablename__ = "return_requests"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        ForeignKeyConstraint(["tenant_id", "order_id"], ["orders.tenant_id", "orders.id"], ondelete="CASCADE"),
        CheckConstraint(_one_of("kind", RETURN_KINDS), name="kind"),
        CheckConstraint(_one_of("status", RETURN_STATUSES), name="status"),
        CheckConstraint("refund_minor >= 0", name="refund_minor"),
        Index("ix_return_requests_seller", "tenant_id", "seller_id", "status"),
        Index("ix_return_requests_order", "tenant_id", "order_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int]
    buyer_id: Mapped[int]
    seller_id: Mapped[int]
    kind: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str | None] = mapped_column(String(500))  # required for a return, optional for a withdrawal
    rejection_reason: Mapped[str | None] = mapped_column(String(500))
    refund_minor: Mapped[int] = mapped_column(BigInteger)  # fixed at request: lines (+ shipping on full withdrawal)
    shipping_refund_minor: Mapped[int] = mapped_column(BigInteger, default=0)  # part of refund_minor
    currency: Mapped[str] = mapped_column(String(3))
    # sha256 of the withdrawal's confirmation token (the token itself is only shown once).
    token_hash: Mapped[str | None] = mapped_column(String(64))
    token_expires_at: Mapped[datetime | None]
    # Cash-on-delivery refunds are paid out to the buyer's account (there is no card to credit).
    refund_bank_holder: Mapped[str | None] = mapped_column(String(200))
    refund_bank_number: Mapped[str | None] = mapped_column(String(64))
    refund_bank_code: Mapped[str | None] = mapped_column(String(32))
    refund_bank_country: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    requested_at: Mapped[datetime | None]  # a withdrawal: when it was confirmed (the acknowledgement)
    decided_at: Mapped[datetime | None]
    received_at: Mapped[datetime | None]
    refunded_at: Mapped[datetime | None]

    lines: Mapped[list[ReturnLine]] = relationship(back_populates="request", order_by="ReturnLine.id", lazy="selectin")


class ReturnLine(TenantScoped, Base):
    """How many units of one order line go back, and what they refund."""

    __tablename__ = "return_lines"
    __table_args__ = (
        UniqueConstraint("tenant_id", "return_id", "order_line_id"),
        ForeignKeyConstraint(
            ["tenant_id", "return_id"], ["return_requests.tenant_id", "return_requests.id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(["tenant_id", "order_line_id"], ["order_lines.tenant_id", "order_lines.id"]),
        CheckConstraint("quantity > 0", name="quantity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int]
    order_line_id: Mapped[int]
    variant_id: Mapped[int]  # restocked when the goods arrive
    quantity: Mapped[int]
    refund_minor: Mapped[int] = mapped_column(BigInteger)

    request: Mapped[ReturnRequest] = relationship(back_populates="lines")
