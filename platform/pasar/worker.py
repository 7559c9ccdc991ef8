"""The Celery application and the worker's access to the kernel.

Broker and results default to SQLite through kombu's SQLAlchemy transport, so a fresh checkout
runs a real worker with no services; ``PASAR_BROKER_URL=redis://...`` switches to Redis.
Tasks are acknowledged late and rejected when the worker dies, so a killed worker's task runs
again instead of vanishing; every task must therefore be idempotent.
"""
from __future__ import annotations

import socket
from datetime import timedelta
from typing import Any

from celery import Celery, Task
from kombu.transport import sqlalchemy as kombu_sqla

from pasar.config import Settings

# The SQLAlchemy transport polls once a second by default (about 1 s a task). The option
# cannot go through broker_transport_options (it is forwarded to create_engine and crashes
# the worker), so set the class attribute: about 80 ms a task (PITFALLS.md).
kombu_sqla.Transport.polling_interval = 0.05

celery_app = Celery("pasar")
celery_app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    timezone="UTC",
    enable_utc=True,
    result_expires=timedelta(days=1),
    broker_connection_retry_on_startup=True,
    # Every domain's tasks module; the worker imports them at start.
    imports=("pasar.events.tasks", "pasar.providers", "pasar.accounts.tasks", "pasar.ledger.tasks",
             "pasar.checkout.tasks", "pasar.payments.tasks",
             "pasar.orders.tasks", "pasar.shipping.tasks",
             "pasar.ads.tasks", "pasar.discovery.tasks"),
)
_app_cache: dict[str, Any] = {}


def configure_celery(settings: Settings) -> Celery:
    """Point the Celery app at the configured broker; called by ``create_app``."""
    celery_app.conf.update(
        broker_url=settings.broker_url,
        result_backend=settings.result_backend,
        task_always_eager=settings.task_always_eager,
        task_eager_propagates=settings.task_always_eager,
        beat_schedule=beat_schedule(settings),
    )
    if settings.broker_url.startswith("redis"):
        # Unacknowledged tasks come back after the visibility timeout; one hour is too long
        # for checkout work (PITFALLS.md).
        celery_app.conf.broker_transport_options = {"visibility_timeout": 600}
    return celery_app


def beat_schedule(settings: Settings) -> dict[str, Any]:
    schedule: dict[str, Any] = {
        "cleanup-results": {"task": "celery.backend_cleanup", "schedule": timedelta(hours=1)},
        "relay-outbox": {"task": "pasar.events.relay", "schedule": timedelta(seconds=5)},
        "run-payouts": {"task": "pasar.ledger.run_payouts", "schedule": timedelta(days=1)},
        "prune-accounts": {"task": "pasar.accounts.prune", "schedule": timedelta(hours=1)},
        "complete-due-orders": {"task": "pasar.orders.complete_due", "schedule": timedelta(minutes=5)},
        # The demo's carriers: sandbox parcels move one tracking step every 30 s.
        "advance-demo-shipments": {"task": "pasar.shipping.advance_demo_shipments", "schedule": timedelta(seconds=30)},
        "expire-unpaid": {"task": "pasar.payments.expire_unpaid", "schedule": timedelta(minutes=1)},
        "reconcile-payments": {"task": "pasar.payments.reconcile", "schedule": timedelta(minutes=2)},
        "purge-idempotency-keys": {"task": "pasar.checkout.purge_idempotency_keys", "schedule": timedelta(hours=1)},
        "roll-up-ad-spend": {"task": "pasar.ads.roll_up", "schedule": timedelta(minutes=1)},
        "refresh-feed-popularity": {"task": "pasar.discovery.refresh_popularity", "schedule": timedelta(minutes=5)},  # discovery.rollup.REFRESH_MINUTES
    }
    if settings.broker_url.startswith("sqla+"):
        schedule["cleanup-broker"] = {"task": "pasar.cleanup_broker", "schedule": timedelta(minutes=10)}
    return schedule


def flask_app() -> Any:
    """The worker's Flask app (database, plugins), built once per worker process."""
    if "app" not in _app_cache:
        from pasar.app import create_app

        _app_cache["app"] = create_app()
    return _app_cache["app"]


def use_app(app: Any) -> None:
    """Let tasks run against an app built elsewhere (eager tests, the CLI)."""
    _app_cache["app"] = app


class AppTask(Task):  # type: ignore[misc]
    """A task that runs inside the kernel's application context."""

    abstract = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with flask_app().app_context():
            return super().__call__(*args, **kwargs)


@celery_app.task(name="pasar.ping", base=AppTask)
def ping() -> dict[str, Any]:
    """Answer from inside a worker: proves broker, worker, database and plugins all work."""
    from flask import current_app

    from pasar.tenancy.service import list_tenants

    db = current_app.extensions["pasar.db"]
    with db.session(all_tenants=True) as session:
        tenants = [t.code for t in list_tenants(session)]
    return {
        "worker": socket.gethostname(),
        "tenants": tenants,
        "plugins": list(current_app.extensions["pasar.plugins"].names),
        "database": db.engine.dialect.name,
    }


@celery_app.task(name="pasar.cleanup_broker", base=AppTask)
def cleanup_broker() -> int:
    """Delete consumed messages: kombu's SQLAlchemy transport never does (PITFALLS.md)."""
    from sqlalchemy import create_engine, text

    url = str(celery_app.conf.broker_url)
    if not url.startswith("sqla+"):
        return 0
    engine = create_engine(url.removeprefix("sqla+"))
    try:
        with engine.begin() as conn:
            result = conn.execute(text("DELETE FROM kombu_message WHERE visible = :v"), {"v": False})
            return int(result.rowcount or 0)
    finally:
        engine.dispose()
