"""The outbox: an event is a row written in the same transaction as the change it reports,
so an event exists exactly when its change committed."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from pasar.db import Base, TenantScoped, utcnow


class OutboxEvent(TenantScoped, Base):
    __tablename__ = "outbox_events"
    __table_args__ = (Index("ix_outbox_events_unpublished", "published_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))  # "order.paid", "seller.approved", ...
    subject_id: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]]
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(default=None)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500), default=None)
