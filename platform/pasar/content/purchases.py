""""Someone in Bandung just bought …": a paid order that came from a live room is announced in
that room.

This listens to the outbox rather than asking the payments code to call in: when an
``order.paid`` event row is inserted, the order's source is read on the same connection; if it
is a live session, the announcement waits in ``session.info`` and is published only after the
transaction commits (a rolled-back payment announces nothing). Buyers are never named: the room
hears the city from the shipping address and what was bought.
"""
from __future__ import annotations

from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper, Session, object_session

from pasar.events.models import OutboxEvent
from pasar.orders.models import Order, OrderLine
from pasar.tenancy.models import Tenant

_PENDING = "pasar_live_purchases"
PURCHASE = "purchase"


def announcement(connection: Connection, tenant_id: int, order_id: int) -> tuple[str, dict[str, Any]] | None:
    """(room, event data) for a paid order placed in a live session, else None."""
    order = connection.execute(
        select(Order.source_kind, Order.source_id, Order.shipping_address)
        .where(Order.tenant_id == tenant_id, Order.id == order_id)
    ).first()
    if order is None or order.source_kind != "live" or order.source_id is None:
        return None
    code = connection.execute(select(Tenant.code).where(Tenant.id == tenant_id)).scalar_one()
    lines = connection.execute(
        select(OrderLine.product_id, OrderLine.title, OrderLine.quantity)
        .where(OrderLine.tenant_id == tenant_id, OrderLine.order_id == order_id).order_by(OrderLine.id)
    ).all()
    city = (order.shipping_address or {}).get("city")
    items = [{"product_id": line.product_id, "title": line.title, "quantity": line.quantity} for line in lines]
    return f"{code}:live:{order.source_id}", {"city": city, "items": items}


def _on_outbox_insert(_mapper: Mapper[Any], connection: Connection, target: OutboxEvent) -> None:
    if target.kind != "order.paid":
        return
    session = object_session(target)
    order_id = (target.data or {}).get("order_id")
    if session is None or order_id is None:
        return
    found = announcement(connection, target.tenant_id, int(order_id))
    if found is not None:
        session.info.setdefault(_PENDING, []).append(found)


def _publish_after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    pending = session.info.pop(_PENDING, None)
    if not pending or not has_app_context():
        return
    from pasar.content.pubsub import broker_of

    broker = broker_of(current_app)
    for room, data in pending:
        try:
            broker.publish(room, PURCHASE, data)
        except Exception:  # the order is paid whatever the room hears; never fail the commit
            import logging

            logging.getLogger(__name__).warning("could not announce a purchase in %s", room, exc_info=True)


def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)


event.listen(OutboxEvent, "after_insert", _on_outbox_insert)
event.listen(Session, "after_commit", _publish_after_commit)
event.listen(Session, "after_rollback", _forget)
