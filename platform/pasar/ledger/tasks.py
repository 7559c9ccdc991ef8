"""Scheduled ledger work: the daily payout batch of every tenant (beat, see ``pasar.worker``).

Idempotent like every task here: a batch's reference is the tenant's local date, so a task
that runs twice on one day (a redelivered message, a manual run) resumes that day's batch and
never pays twice. Bank accounts come from the domains that keep them, named in
``BANK_ACCOUNT_SOURCES`` as ``module:function(session, tenant, owner_type, owner_id)``; the
ledger imports them lazily so it never depends on those domains at import time.
"""
from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from flask import current_app
from moneyed import Money
from sqlalchemy.orm import Session

from pasar.contracts import BankAccount
from pasar.db import Database, bind_tenant
from pasar.ledger.payouts import BankAccountFor, run_payout_batch
from pasar.plugins import PluginError
from pasar.providers import provider_context
from pasar.tenancy.service import TenantContext, context_for, list_tenants
from pasar.worker import AppTask, celery_app

logger = logging.getLogger(__name__)

#: Where payees' bank accounts live; the first source that knows the owner answers.
BANK_ACCOUNT_SOURCES: tuple[str, ...] = (
    "pasar.sellers.service:bank_account_for",
    "pasar.creators.service:bank_account_for",
)
#: Tenant file ``settings`` key: the smallest balance worth a transfer (default: any).
MINIMUM_SETTING = "payout_minimum"

Source = Callable[[Session, TenantContext, str, int], BankAccount | None]


@celery_app.task(name="pasar.ledger.run_payouts", base=AppTask)
def run_payouts(reference: str | None = None) -> dict[str, str]:
    """Run the payout batch of every tenant; one tenant's failure does not stop the others."""
    db: Database = current_app.extensions["pasar.db"]
    with db.session(all_tenants=True) as session:
        tenants = [context_for(row, current_app.extensions["pasar.plugins"]) for row in list_tenants(session)]
    results: dict[str, str] = {}
    for tenant in tenants:
        try:
            results[tenant.code] = _run_for(db, tenant, reference)
        except PluginError as exc:
            results[tenant.code] = f"skipped: {exc}"
        except Exception as exc:  # logged and reported; the next run resumes the batch
            logger.exception("payout batch of tenant %s failed", tenant.code)
            results[tenant.code] = f"error: {type(exc).__name__}: {exc}"
    return results


def _run_for(db: Database, tenant: TenantContext, reference: str | None) -> str:
    provider = tenant.hooks.payout_provider(
        tenant.country, provider_context(db, current_app.config["PASAR"], tenant)
    )
    with db.sessions() as session:
        bind_tenant(session, tenant.id)
        batch = run_payout_batch(
            session, tenant, provider, bank_accounts(session, tenant),
            minimum=minimum_payout(tenant), reference=reference,
        )
        counts: dict[str, int] = {}
        for payout in batch.payouts:
            counts[payout.status] = counts.get(payout.status, 0) + 1
        session.commit()
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nobody owed"
    return f"{batch.reference} {batch.status}: {summary}"


def minimum_payout(tenant: TenantContext) -> Money | None:
    """The tenant's ``payout_minimum`` setting as money, or None (pay any positive balance)."""
    raw = tenant.config.settings.get(MINIMUM_SETTING)
    return Money(Decimal(raw), tenant.currency) if raw else None


def bank_accounts(session: Session, tenant: TenantContext) -> BankAccountFor:
    """``bank_account_for(owner_type, owner_id)`` over every installed source."""
    sources = [source for source in map(_load, BANK_ACCOUNT_SOURCES) if source is not None]

    def lookup(owner_type: str, owner_id: int) -> BankAccount | None:
        for source in sources:
            account = source(session, tenant, owner_type, owner_id)
            if account is not None:
                return account
        return None

    return lookup


def _load(path: str) -> Source | None:
    """The function ``module:name``, or None when that domain is not part of this build."""
    module_name, _, name = path.partition(":")
    try:
        module: Any = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and module_name.startswith(exc.name):
            return None
        raise
    return getattr(module, name, None)
