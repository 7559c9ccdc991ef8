"""Scheduled discovery work (beat, see ``pasar.worker``): keep the feed's popularity rollup
(``pasar.discovery.rollup``) up to date, every ``rollup.REFRESH_MINUTES``.

Idempotent: a refresh counts interactions above the highest id it counted before and recounts
purchases, so a repeated or redelivered run adds nothing twice.
"""
from __future__ import annotations

from datetime import datetime

from flask import current_app

from pasar.discovery import rollup
from pasar.worker import AppTask, celery_app


@celery_app.task(name="pasar.discovery.refresh_popularity", base=AppTask)
def refresh_popularity(at: str | None = None) -> dict[str, dict[str, object]]:
    """Refresh every tenant's rollup; per tenant, whether it was rebuilt and the rows written.
    ``at`` (ISO time) lets an operator or a test run it as of another moment."""
    moment = datetime.fromisoformat(at) if at else None
    done = rollup.refresh_all(current_app.extensions["pasar.db"], moment)
    return {code: {"rebuilt": r.rebuilt, "rows": r.rows} for code, r in done.items()}
