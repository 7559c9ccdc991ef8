"""The order state machine: which status may follow which, and who may move it.

Every move goes through ``transition`` so it is checked and recorded (actor, time, reason) in
one place, and the lifecycle events plugins hear about are written to the outbox in the same
transaction as the move.

Cash on delivery skips ``paid``: the seller ships an unpaid order (``pending_payment →
ready_to_ship``) and the payment is captured when the carrier reports the cash collected.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from pasar.clock import now
from pasar.events.service import record
from pasar.orders.models import Order, OrderTransition
from pasar.tenancy.service import TenantContext

#: (from, to) → the actors who may make that move.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    ("pending_payment", "paid"): frozenset({"gateway", "system"}),
    ("pending_payment", "cancelled"): frozenset({"buyer", "system", "operator"}),
    ("pending_payment", "ready_to_ship"): frozenset({"seller"}),  # cash on delivery only
    ("paid", "ready_to_ship"): frozenset({"seller"}),
    ("paid", "cancelled"): frozenset({"seller", "operator", "buyer"}),  # refunded in full
    ("ready_to_ship", "shipped"): frozenset({"seller", "carrier"}),
    ("ready_to_ship", "cancelled"): frozenset({"seller", "operator"}),
    ("shipped", "delivered"): frozenset({"carrier"}),
    ("shipped", "cancelled"): frozenset({"carrier", "operator"}),  # returned to sender
    ("delivered", "completed"): frozenset({"system"}),
    ("delivered", "return_requested"): frozenset({"buyer"}),
    ("return_requested", "return_approved"): frozenset({"seller", "operator"}),
    ("return_requested", "return_rejected"): frozenset({"seller", "operator"}),
    ("return_rejected", "completed"): frozenset({"system"}),
    ("return_approved", "returned"): frozenset({"seller", "carrier"}),
    ("returned", "refunded"): frozenset({"seller", "system", "operator"}),
}

#: Moves plugins hear about (``pasar_order_<name>``), recorded to the outbox with the move.
EVENTS: dict[str, str] = {
    "paid": "order.paid",
    "shipped": "order.shipped",
    "delivered": "order.delivered",
    "refunded": "order.refunded",
}

TIMESTAMPS: dict[str, str] = {
    "paid": "paid_at",
    "shipped": "shipped_at",
    "delivered": "delivered_at",
    "completed": "completed_at",
}


class InvalidTransition(ValueError):
    """The move is not allowed from the order's status, or not for this actor."""

    def __init__(self, order: Order, to: str, actor_kind: str, why: str) -> None:
        self.order_id, self.from_status, self.to_status, self.actor_kind = order.id, order.status, to, actor_kind
        super().__init__(f"order {order.id}: cannot go from {order.status!r} to {to!r} as {actor_kind}: {why}")


@dataclass(frozen=True)
class Actor:
    kind: str  # one of models.ACTOR_KINDS
    id: int | None = None


def allowed(order: Order, to: str, actor: Actor) -> str | None:
    """Why the move is refused, or None when it is allowed."""
    actors = TRANSITIONS.get((order.status, to))
    if actors is None:
        return "no such move"
    if actor.kind not in actors:
        return f"only {', '.join(sorted(actors))} may"
    return None


def transition(
    session: Session, tenant: TenantContext, order: Order, to: str, actor: Actor,
    *, reason: str | None = None, at: datetime | None = None,
) -> OrderTransition:
    """Move ``order`` to ``to`` or raise ``InvalidTransition``; records who, when and why."""
    why = allowed(order, to, actor)
    if why is not None:
        raise InvalidTransition(order, to, actor.kind, why)
    moment = at or now()
    change = OrderTransition(
        order_id=order.id, from_status=order.status, to_status=to,
        actor_kind=actor.kind, actor_id=actor.id, reason=reason, at=moment,
    )
    order.transitions.append(change)  # keeps the loaded history current in this session
    order.status = to
    if to in TIMESTAMPS:
        setattr(order, TIMESTAMPS[to], moment)
    if to in EVENTS:
        record(session, tenant, EVENTS[to], order.id, {"order_id": order.id, "seller_id": order.seller_id,
                                                       "buyer_id": order.buyer_id, "reason": reason})
    return change
