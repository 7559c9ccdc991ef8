"""Order completion: the beat task that closes orders whose return window has passed.

``pasar.orders.complete_due`` (every few minutes, see ``pasar.worker``) completes each
delivered (or return-rejected) order past its ``return_deadline`` and settles it in the ledger,
one order per transaction so one bad order never holds up the rest. It is idempotent: an order
completed already is no longer due, and the ledger posting is keyed by the order.
"""
from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app

from pasar import clock
from pasar.db import Database
from pasar.ledger.service import LedgerError
from pasar.orders import service
from pasar.orders.state import InvalidTransition
from pasar.tenancy.service import TenantContext, context_for, list_tenants
from pasar.worker import AppTask, celery_app

logger = logging.getLogger(__name__)


@celery_app.task(name="pasar.orders.complete_due", base=AppTask)
def complete_due(at: str | None = None) -> dict[str, int]:
    """Complete every due order of every tenant; returns how many per tenant.
    ``at`` (ISO time) lets an operator or a test settle as of another moment."""
    moment = datetime.fromisoformat(at) if at else clock.now()
    db: Database = current_app.extensions["pasar.db"]
    with db.session(all_tenants=True) as session:
        tenants = [context_for(row, current_app.extensions["pasar.plugins"]) for row in list_tenants(session)]
    return {tenant.code: complete_tenant(db, tenant, moment) for tenant in tenants}


def complete_tenant(db: Database, tenant: TenantContext, moment: datetime) -> int:
    with db.session(tenant.id) as session:
        due = service.due_for_completion(session, tenant, moment)
    done = 0
    for order_id in due:
        try:
            with db.session(tenant.id, write=True) as session:
                service.complete(session, tenant, order_id, moment)
            done += 1
        except (service.OrderError, InvalidTransition, LedgerError) as exc:
            logger.warning("order %s of %s not completed: %s", order_id, tenant.code, exc)
    return done
