"""How the kernel hands providers (gateways, carriers, payout providers) their context.

``provider_context`` gives a provider the tenant's webhook signing secret (derived per tenant
from ``PASAR_WEBHOOK_SECRET``, so one leaked tenant secret cannot forge another tenant's
webhooks), the public base URL, a durable store and a ``send`` that delivers webhooks.

Sandbox webhooks are delivered like a real provider's: a Celery task POSTs the signed body to
the kernel's own webhook endpoint (``/api/v1/webhooks/<endpoint>/<provider>``), so signature
checking, idempotency and ordering are exercised exactly as in production.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from pasar.clock import now
from pasar.config import Settings
from pasar.contracts import OutgoingWebhook, ProviderContext
from pasar.db import Database
from pasar.tenancy.models import ProviderState
from pasar.tenancy.service import TenantContext
from pasar.worker import AppTask, celery_app

WEBHOOK_PATH = "/api/v1/webhooks/{endpoint}/{provider}"


def tenant_secret(master: str, tenant_code: str) -> bytes:
    return hmac.new(master.encode(), f"webhooks:{tenant_code}".encode(), hashlib.sha256).digest()


class DatabaseStore:
    """The sandbox provider's "own database": committed on its own, like a remote service,
    so it never depends on (or rolls back with) the kernel's transaction.

    Each call is one statement: ``put``/``put_many`` an upsert on ``(tenant_id, key)``, ``add``
    a plain insert of records that must be new (all or none), which is how a provider keeps an
    idempotency key unique without reading it first."""

    def __init__(self, db: Database, tenant_id: int) -> None:
        self.db, self.tenant_id = db, tenant_id

    def get(self, key: str) -> dict[str, Any] | None:
        with self.db.session(self.tenant_id) as session:
            value = session.scalar(select(ProviderState.value).where(ProviderState.key == key))
            return dict(value) if value is not None else None

    def put(self, key: str, value: dict[str, Any]) -> None:
        self.put_many({key: value})

    def put_many(self, records: Mapping[str, dict[str, Any]]) -> None:
        """Store several records at once (created or replaced)."""
        with self.db.session(self.tenant_id, write=True) as session:
            insert = _dialect_insert(session)(ProviderState).values(self._rows(records))
            session.execute(insert.on_conflict_do_update(
                index_elements=["tenant_id", "key"],
                set_={"value": insert.excluded.value, "updated_at": insert.excluded.updated_at},
            ))

    def add(self, records: Mapping[str, dict[str, Any]]) -> bool:
        """Store records whose keys must be new: all of them, or none and ``False`` when a key
        is taken (a concurrent request with the same idempotency key won)."""
        try:
            with self.db.session(self.tenant_id, write=True) as session:
                session.execute(_dialect_insert(session)(ProviderState).values(self._rows(records)))
        except IntegrityError:
            return False
        return True

    def _rows(self, records: Mapping[str, dict[str, Any]]) -> list[dict[str, Any]]:
        moment = now()
        return [{"tenant_id": self.tenant_id, "key": key, "value": value, "updated_at": moment}
                for key, value in records.items()]


def _dialect_insert(session: Any) -> Any:
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def base_url(settings: Settings, tenant: TenantContext) -> str:
    return f"{settings.public_scheme}://{tenant.config.hosts[0]}:{settings.public_port}"


def provider_context(
    db: Database, settings: Settings, tenant: TenantContext, *,
    send: Callable[[OutgoingWebhook], None] | None = None,
) -> ProviderContext:
    return ProviderContext(
        tenant=tenant.code,
        secret=tenant_secret(settings.webhook_secret, tenant.code),
        base_url=base_url(settings, tenant),
        store=DatabaseStore(db, tenant.id),
        send=send or queue_webhook(tenant.code),
        clock=now,
        settings=dict(tenant.config.settings),
        country=tenant.country,
    )


def queue_webhook(tenant_code: str) -> Callable[[OutgoingWebhook], None]:
    def send(webhook: OutgoingWebhook) -> None:
        deliver_webhook.delay(
            tenant_code, webhook.endpoint, webhook.provider, dict(webhook.headers),
            base64.b64encode(webhook.body).decode(),
        )

    return send


@celery_app.task(name="pasar.providers.deliver_webhook", base=AppTask, bind=True, max_retries=8)
def deliver_webhook(self: Any, tenant_code: str, endpoint: str, provider: str, headers: dict[str, str], body: str) -> int:
    """POST a sandbox webhook to the kernel's endpoint; retry with backoff on a 5xx, as
    providers do. A 4xx (bad signature, unknown payment) is final."""
    from pasar.worker import flask_app

    client = flask_app().test_client()
    response = client.post(
        WEBHOOK_PATH.format(endpoint=endpoint, provider=provider),
        data=base64.b64decode(body),
        headers={**headers, "X-Pasar-Tenant": tenant_code},
    )
    if response.status_code >= 500:
        raise self.retry(countdown=min(2 ** self.request.retries, 60))
    return response.status_code
