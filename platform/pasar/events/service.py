"""Record events in the caller's transaction; relay them after commit.

``record`` never publishes: the relay (a Celery task, also kicked after each commit that
recorded something) reads unpublished rows in order, calls the tenant's lifecycle hooks and
marks them published. Delivery is at least once — a crash between calling the hooks and
marking the row repeats the call — so every consumer must be idempotent on ``event_id``.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from pasar.clock import now
from pasar.contracts import LifecycleEvent
from pasar.events.models import OutboxEvent
from pasar.tenancy.service import TenantContext

#: Kinds that plugins hear about through a lifecycle hook (``order.paid`` → ``pasar_order_paid``).
LIFECYCLE_KINDS = frozenset(
    {"order.placed", "order.paid", "order.shipped", "order.delivered", "order.refunded", "seller.approved"}
)
MAX_ATTEMPTS = 10


def record(session: Session, tenant: TenantContext, kind: str, subject_id: Any, data: dict[str, Any] | None = None) -> OutboxEvent:
    """Add an event to the caller's transaction (it exists only if the change commits)."""
    event = OutboxEvent(tenant_id=tenant.id, kind=kind, subject_id=str(subject_id), data=dict(data or {}))
    session.add(event)
    session.info.setdefault("pasar_recorded_events", 0)
    session.info["pasar_recorded_events"] += 1
    return event


def record_many(session: Session, tenant: TenantContext, kind: str, subjects: Sequence[tuple[Any, dict[str, Any]]]) -> None:
    """``record`` of several events of one kind — ``(subject_id, data)`` each — in one INSERT
    (a checkout places an order per shop)."""
    if not subjects:
        return
    at = now()
    session.execute(insert(OutboxEvent), [
        {"tenant_id": tenant.id, "kind": kind, "subject_id": str(subject_id), "data": dict(data), "occurred_at": at,
         "published_at": None, "attempts": 0, "last_error": None}
        for subject_id, data in subjects
    ])
    session.info["pasar_recorded_events"] = session.info.get("pasar_recorded_events", 0) + len(subjects)


def pending(session: Session, limit: int = 100) -> list[OutboxEvent]:
    query = select(OutboxEvent).where(OutboxEvent.published_at.is_(None), OutboxEvent.attempts < MAX_ATTEMPTS)
    query = query.order_by(OutboxEvent.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)  # several relays never take one row
    return list(session.scalars(query))


def to_lifecycle(event: OutboxEvent, tenant_code: str) -> LifecycleEvent:
    data = {**event.data, "event_id": f"{tenant_code}:{event.id}"}
    return LifecycleEvent(tenant_code, event.kind, event.subject_id, event.occurred_at, data)


def publish(session: Session, tenant_for: Callable[[int], TenantContext], limit: int = 100) -> int:
    """Relay up to ``limit`` unpublished events; returns how many were published."""
    published = 0
    for event in pending(session, limit):
        tenant = tenant_for(event.tenant_id)
        event.attempts += 1
        try:
            if event.kind in LIFECYCLE_KINDS:
                tenant.hooks.emit(to_lifecycle(event, tenant.code))
        except Exception as exc:  # a failing plugin must not block the outbox
            event.last_error = f"{type(exc).__name__}: {exc}"[:500]
            continue
        event.published_at = now()
        event.last_error = None
        published += 1
    return published


def _kick_relay(session: Session) -> None:
    # after_commit also fires when a SAVEPOINT is released: only the real commit counts.
    if session.in_nested_transaction():
        return
    if not session.info.pop("pasar_recorded_events", 0):
        return
    from pasar.events.tasks import relay

    try:
        relay.delay()
    except Exception:  # the beat schedule relays it anyway; never fail a committed change
        import logging

        logging.getLogger(__name__).warning("could not queue the outbox relay", exc_info=True)


def _forget(session: Session) -> None:
    session.info.pop("pasar_recorded_events", None)


from sqlalchemy import event as _sa_event  # noqa: E402 - listeners sit next to what they serve

_sa_event.listen(Session, "after_commit", _kick_relay)
_sa_event.listen(Session, "after_rollback", _forget)
