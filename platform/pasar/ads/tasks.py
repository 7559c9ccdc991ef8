"""Scheduled ads work (beat, see ``pasar.worker``): post spend to the ledger and end
campaigns whose schedule is over.

``pasar.ads.roll_up`` posts each shop's spend counted since the last run as one ``ad_spend``
ledger transaction (seller ad balance → platform ad revenue), one shop per transaction so one
failure never holds up the rest. It is idempotent: the posting's reference is the counter range
it covers, so a redelivered or repeated task posts nothing twice. Counting in hot rows and
posting in batches keeps the ledger out of every feed request while the books still balance:
after a run, each shop's ``ad_balance`` equals its top-ups minus its spend.
"""
from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app

from pasar import clock
from pasar.ads import budget, service
from pasar.db import Database
from pasar.ledger.service import LedgerError
from pasar.tenancy.service import TenantContext, context_for, list_tenants
from pasar.worker import AppTask, celery_app

logger = logging.getLogger(__name__)


@celery_app.task(name="pasar.ads.roll_up", base=AppTask)
def roll_up(at: str | None = None) -> dict[str, dict[str, int]]:
    """End due campaigns and post unposted spend, for every tenant; per tenant, how many
    campaigns ended and how many micros were posted. ``at`` (ISO time) lets an operator or a
    test run it as of another moment."""
    moment = datetime.fromisoformat(at) if at else clock.now()
    db: Database = current_app.extensions["pasar.db"]
    with db.session(all_tenants=True) as session:
        tenants = [context_for(row, current_app.extensions["pasar.plugins"]) for row in list_tenants(session)]
    return {tenant.code: roll_up_tenant(db, tenant, moment) for tenant in tenants}


def roll_up_tenant(db: Database, tenant: TenantContext, moment: datetime) -> dict[str, int]:
    with db.session(tenant.id, write=True) as session:
        ended = service.end_due(session, tenant, moment)
    with db.session(tenant.id) as session:
        sellers = budget.sellers_with_unposted_spend(session, tenant)
    posted = 0
    for seller_id in sellers:
        try:
            with db.session(tenant.id, write=True) as session:
                posted += budget.roll_up(session, tenant, seller_id, moment)
        except (LedgerError, RuntimeError) as exc:  # the next run retries the same range
            logger.warning("ad spend of seller %s of %s not posted: %s", seller_id, tenant.code, exc)
    return {"ended": ended, "posted_micros": posted}
