"""Ship-from addresses, shipments (labels) and the carrier's tracking events.

A shipment is what the seller bought from the carrier for one order; the tracking events are
the carrier's scans as they arrived by webhook (or were read back with ``track``), kept once per
carrier event id so a redelivered webhook changes nothing.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKeyConstraint, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pasar.db import Base, TenantScoped, utcnow

#: A parcel's statuses, as ``pasar.contracts.TrackingEvent`` names them.
SHIPMENT_STATUSES: tuple[str, ...] = (
    "label_created",
    "picked_up",
    "in_transit",
    "out_for_delivery",
    "delivered",
    "failed_attempt",
    "returned",
)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class SellerAddress(TenantScoped, Base):
    """Where a seller's parcels leave from: the origin of every quote and label."""

    __tablename__ = "seller_addresses"
    __table_args__ = (
        UniqueConstraint("tenant_id", "seller_id"),  # one ship-from address per shop
        ForeignKeyConstraint(["tenant_id", "seller_id"], ["sellers.tenant_id", "sellers.id"], ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))  # the sender named on the label
    phone: Mapped[str] = mapped_column(String(40))
    line1: Mapped[str] = mapped_column(String(200))
    line2: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(100))
    region: Mapped[str] = mapped_column(String(100), default="")  # province / state / county
    postal_code: Mapped[str] = mapped_column(String(20), default="")
    country: Mapped[str] = mapped_column(String(2))  # always the tenant's country
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Shipment(TenantScoped, Base):
    """The label a seller bought for one order, and where the parcel is now."""

    __tablename__ = "shipments"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "order_id"),  # one label per order
        UniqueConstraint("tenant_id", "carrier", "tracking_number"),
        ForeignKeyConstraint(["tenant_id", "order_id"], ["orders.tenant_id", "orders.id"], ondelete="CASCADE"),
        CheckConstraint(_one_of("status", SHIPMENT_STATUSES), name="status"),
        Index("ix_shipments_open", "status", "last_event_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int]
    seller_id: Mapped[int]
    carrier: Mapped[str] = mapped_column(String(40))
    service: Mapped[str] = mapped_column(String(40))
    tracking_number: Mapped[str] = mapped_column(String(64))
    label_url: Mapped[str] = mapped_column(String(500))
    cost_minor: Mapped[int] = mapped_column(BigInteger)  # what the carrier charged for the label
    currency: Mapped[str] = mapped_column(String(3))
    cod_amount_minor: Mapped[int | None] = mapped_column(BigInteger)  # cash the courier collects
    status: Mapped[str] = mapped_column(String(20), default="label_created")
    # When the latest applied scan happened (carrier time): older events are kept, not applied.
    last_event_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    events: Mapped[list[TrackingEvent]] = relationship(
        back_populates="shipment", order_by="TrackingEvent.occurred_at, TrackingEvent.id", lazy="selectin"
    )


class TrackingEvent(TenantScoped, Base):
    """One scan of a parcel, stored once per carrier event id."""

    __tablename__ = "tracking_events"
    __table_args__ = (
        UniqueConstraint("tenant_id", "carrier", "event_id"),
        ForeignKeyConstraint(
            ["tenant_id", "shipment_id"], ["shipments.tenant_id", "shipments.id"], ondelete="CASCADE"
        ),
        CheckConstraint(_one_of("status", SHIPMENT_STATUSES), name="status"),
        Index("ix_tracking_events_shipment", "tenant_id", "shipment_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int]
    carrier: Mapped[str] = mapped_column(String(40))
    event_id: Mapped[str] = mapped_column(String(100))  # the carrier's id: dedupes redeliveries
    status: Mapped[str] = mapped_column(String(20))
    occurred_at: Mapped[datetime]  # the carrier's time of the scan
    location: Mapped[str] = mapped_column(String(200), default="")
    cod_collected_minor: Mapped[int | None] = mapped_column(BigInteger)
    # False when the event arrived after a newer one: kept for the timeline, not applied.
    applied: Mapped[bool] = mapped_column(default=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)

    shipment: Mapped[Shipment] = relationship(back_populates="events")
