"""Reads the seller center needs that no domain service offers yet.

Kept apart from the views (which never query) and small on purpose: each function here belongs
in its domain's service module and moves there when that domain is next open for changes.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pasar.content.models import LiveSession
from pasar.tenancy.service import TenantContext

__all__ = ["shop_lives"]


def shop_lives(session: Session, tenant: TenantContext, seller_id: int, limit: int = 50) -> list[LiveSession]:
    """The live sessions a shop hosts (as the shop, not through a creator), latest schedule
    first. ``pasar.content.live`` lists sessions by status across the marketplace only; this
    belongs next to it (``content`` was being changed by another change when this was written)."""
    query = select(LiveSession).where(LiveSession.host_kind == "seller", LiveSession.seller_id == seller_id)
    order = (LiveSession.scheduled_at.desc(), LiveSession.id.desc())
    return list(session.scalars(query.order_by(*order).limit(limit)))
