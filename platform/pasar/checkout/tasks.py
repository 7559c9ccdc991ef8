"""Checkout housekeeping in the worker."""
from __future__ import annotations

from flask import current_app

from pasar.checkout import idempotency
from pasar.worker import AppTask, celery_app


@celery_app.task(name="pasar.checkout.purge_idempotency_keys", base=AppTask)
def purge_idempotency_keys() -> int:
    """Forget Idempotency-Keys older than 24 hours (a retry after that is a new request)."""
    return idempotency.purge(current_app.extensions["pasar.db"])
