"""Housekeeping: login attempts older than the rate-limit window and long-expired tokens
serve no purpose and would grow without bound."""
from __future__ import annotations

from flask import current_app

from pasar.accounts import service
from pasar.worker import AppTask, celery_app


@celery_app.task(name="pasar.accounts.prune", base=AppTask)
def prune() -> int:
    """Delete stale login attempts and tokens; returns how many rows went."""
    db = current_app.extensions["pasar.db"]
    with db.session(write=True) as session:
        return service.prune(session)
