"""The demo courier: a beat task that moves sandbox parcels along.

``pasar.shipping.advance_demo_shipments`` (scheduled every 30 s in the demo, see
``pasar.worker``) gives every open sandbox parcel whose last scan is more than a minute old its
next scan: label created → picked up → in transit → out for delivery → delivered, so an order
placed in ``make run`` reaches "delivered" in about five minutes with nobody clicking. Each
scan's webhook comes back through ``/api/v1/webhooks/shipping/<carrier>`` like a real one.
Real carriers have no ``advance``: their parcels are skipped, they report on their own.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app

from pasar.db import Database
from pasar.shipping import service
from pasar.shipping.providers import app_carriers
from pasar.tenancy.service import TenantContext, context_for, list_tenants
from pasar.worker import AppTask, celery_app

logger = logging.getLogger(__name__)
DEMO_STEP_AFTER = timedelta(minutes=1)


@celery_app.task(name="pasar.shipping.advance_demo_shipments", base=AppTask)
def advance_demo_shipments(older_than_seconds: int = int(DEMO_STEP_AFTER.total_seconds())) -> int:
    """Advance each idle sandbox parcel one scan; returns how many moved."""
    db: Database = current_app.extensions["pasar.db"]
    with db.session(all_tenants=True) as session:
        tenants = {row.id: context_for(row, current_app.extensions["pasar.plugins"]) for row in list_tenants(session)}
        due = [(s.tenant_id, s.carrier, s.tracking_number)
               for s in service.due_for_demo(session, timedelta(seconds=older_than_seconds))]
    moved = 0
    for tenant_id, carrier, tracking in due:
        moved += _advance(tenants[tenant_id], carrier, tracking)
    return moved


def _advance(tenant: TenantContext, carrier: str, tracking: str) -> int:
    """One scan of one parcel, with no transaction open (its webhook writes the change)."""
    advance = getattr(app_carriers()(tenant, carrier), "advance", None)
    if advance is None:
        return 0
    try:
        advance(tracking)
    except (ValueError, KeyError) as exc:  # delivered meanwhile, or not this sandbox's parcel
        logger.info("demo courier skipped %s %s: %s", carrier, tracking, exc)
        return 0
    return 1
