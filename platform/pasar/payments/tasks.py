"""Payment work in the worker: expiry of unpaid checkouts, reconciliation of payments whose
outcome is unknown, and the provider calls queued after another domain's commit.

Every task is idempotent (tasks are acknowledged late and may run twice): each ends in
``state.move`` or a refund's conditional close, which do nothing the second time.
"""
from __future__ import annotations

import logging
from typing import Any

from flask import current_app

from pasar import clock
from pasar.checkout import service as checkouts
from pasar.payments import refunds, service
from pasar.payments.gateways import Providers, tenant_by_id
from pasar.tenancy.service import TenantContext, list_tenants
from pasar.worker import AppTask, celery_app

_log = logging.getLogger(__name__)


def _providers() -> Providers:
    return Providers(current_app.extensions["pasar.db"], current_app.config["PASAR"])


def _tenant(providers: Providers, tenant_id: int) -> TenantContext:
    with providers.db.session(all_tenants=True) as session:
        return tenant_by_id(session, tenant_id, current_app.extensions["pasar.plugins"])


@celery_app.task(name="pasar.payments.expire_unpaid", base=AppTask)
def expire_unpaid(limit: int = 200) -> dict[str, int]:
    """Checkouts past their payment deadline: a payment that succeeded is kept; the others are
    cancelled at the gateway, their orders cancelled, their stock and vouchers given back."""
    providers = _providers()
    outcome: dict[str, int] = {}
    with providers.db.session(all_tenants=True) as session:
        tenants = [t.id for t in list_tenants(session)]
    for tenant_id in tenants:
        tenant = _tenant(providers, tenant_id)
        with providers.db.session(tenant.id) as session:
            due = checkouts.unpaid_past_deadline(session, tenant, clock.now(), limit)
        for checkout_id in due:
            status = _safely(service.expire_checkout, providers, tenant, checkout_id)
            outcome[status] = outcome.get(status, 0) + 1
    return outcome


@celery_app.task(name="pasar.payments.reconcile", base=AppTask)
def reconcile(limit: int = 200) -> dict[str, int]:
    """Settle payments whose outcome is unknown, confirm cash collected on delivery that the
    gateway has not heard of, and resend refunds still pending."""
    providers = _providers()
    with providers.db.session(all_tenants=True) as session:
        payments = service.unsettled_payment_ids(session, limit)
        cash = service.uncollected_cash_ids(session, limit)
        pending_refunds = refunds.open_refund_ids(session, limit=limit)
    outcome: dict[str, int] = {}
    for tenant_id, payment_id in payments:
        status = _safely(service.reconcile_payment, providers, _tenant(providers, tenant_id), payment_id)
        outcome[status] = outcome.get(status, 0) + 1
    for tenant_id, payment_id in cash:
        status = _safely(refunds.collect_cash, providers, _tenant(providers, tenant_id), payment_id)
        outcome[f"cash_{status}"] = outcome.get(f"cash_{status}", 0) + 1
    for tenant_id, refund_id in pending_refunds:
        status = _safely(refunds.submit_refund, providers, _tenant(providers, tenant_id), refund_id)
        outcome[f"refund_{status}"] = outcome.get(f"refund_{status}", 0) + 1
    return outcome


@celery_app.task(name="pasar.payments.submit_refund", base=AppTask)
def submit_refund(tenant_id: int, refund_id: int) -> str:
    """Send a refund recorded by ``refund_order`` to its provider (queued after commit)."""
    providers = _providers()
    return refunds.submit_refund(providers, _tenant(providers, tenant_id), refund_id)


@celery_app.task(name="pasar.payments.collect_cash", base=AppTask)
def collect_cash(tenant_id: int, payment_id: int) -> str:
    """Tell the gateway a carrier collected cash on delivery (queued after commit)."""
    providers = _providers()
    return refunds.collect_cash(providers, _tenant(providers, tenant_id), payment_id)


def _safely(work: Any, providers: Providers, tenant: TenantContext, item_id: int) -> str:
    """One failing item must not stop the batch; the next run tries it again."""
    try:
        return str(work(providers, tenant, item_id))
    except Exception:
        _log.exception("%s(%s, %s) failed", getattr(work, "__name__", work), tenant.code, item_id)
        return "error"
