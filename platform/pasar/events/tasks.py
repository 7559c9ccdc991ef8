"""The outbox relay, run by beat every few seconds and kicked after commits."""
from __future__ import annotations

from flask import current_app

from pasar.events import service
from pasar.tenancy import service as tenancy
from pasar.tenancy.models import Tenant
from pasar.worker import AppTask, celery_app


@celery_app.task(name="pasar.events.relay", base=AppTask)
def relay(limit: int = 200) -> int:
    db = current_app.extensions["pasar.db"]
    host = current_app.extensions["pasar.plugins"]
    cache: dict[int, tenancy.TenantContext] = {}
    with db.session(all_tenants=True, write=True) as session:

        def tenant_for(tenant_id: int) -> tenancy.TenantContext:
            if tenant_id not in cache:
                cache[tenant_id] = tenancy.context_for(session.get(Tenant, tenant_id), host)
            return cache[tenant_id]

        return service.publish(session, tenant_for, limit)
