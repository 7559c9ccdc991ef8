"""The running application's carriers, for callers that do not hand a ``CarrierFor`` in.

Requests, Celery tasks (``AppTask``) and CLI commands all run inside an application context,
so the database and settings the carriers' provider context needs come from there. Kept out of
``service.py`` so the services themselves never import Flask.
"""
from __future__ import annotations

from flask import current_app

from pasar.shipping.service import CarrierFor, carriers_from


def app_carriers() -> CarrierFor:
    """Carriers built with the current application's database and settings."""
    return carriers_from(current_app.extensions["pasar.db"], current_app.config["PASAR"])
