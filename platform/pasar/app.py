"""The application factory: a readable list of steps.

Plugins are loaded before anything that may call them (tenant routing, translations); a tenant
whose plugins are missing or broken stops the start with a clear error instead of serving a
marketplace with half its payment methods.
"""
from __future__ import annotations

import importlib

from collections.abc import Mapping
from typing import Any

from flask import Flask, jsonify

from pasar import config as settings_module
from pasar.api import configure_api
from pasar.config import Settings
from pasar.db import Database
from pasar.i18n import configure_babel
from pasar.plugins import PluginError, PluginHost
from pasar.pages import configure_pages
from pasar.web import configure_requests


def create_app(config: Mapping[str, Any] | None = None, *, plugins: PluginHost | None = None) -> Flask:
    """Build the Pasar web application.

    Args:
        config: overrides of ``Settings`` fields (e.g. ``{"database_url": ...}``); the rest
            comes from ``PASAR_*`` environment variables and the embedded defaults.
        plugins: an already-loaded plugin host (tests pass one with in-process plugins).
    """
    settings = settings_module.from_env().with_overrides(config or {})
    app = Flask("pasar")
    configure_settings(app, settings)
    host = plugins or PluginHost.load()
    app.extensions["pasar.plugins"] = host
    app.extensions["pasar.db"] = Database(settings.database_url)
    check_tenant_plugins(app)
    configure_babel(app, host)
    configure_requests(app)
    configure_pages(app)
    api = configure_api(app)
    register_blueprints(app, api, host)
    configure_worker(app, settings)
    return app


def configure_settings(app: Flask, settings: Settings) -> None:
    app.config["PASAR"] = settings
    app.config["SECRET_KEY"] = settings.secret_key
    app.config["TESTING"] = settings.testing
    app.config["JSON_SORT_KEYS"] = False


def check_tenant_plugins(app: Flask) -> None:
    """Refuse to start when a stored tenant names a plugin this process cannot load."""
    from pasar.tenancy.service import list_tenants
    from pasar.db import table_names

    db: Database = app.extensions["pasar.db"]
    host: PluginHost = app.extensions["pasar.plugins"]
    if "tenants" not in table_names(db.engine):
        return  # not migrated yet: `pasar db upgrade` comes first
    with db.session(all_tenants=True) as session:
        for tenant in list_tenants(session):
            try:
                host.require(tenant.config["plugins"])
            except PluginError as exc:
                raise PluginError(f"tenant {tenant.code!r}: {exc}") from exc


#: Every domain's blueprints as "module:attribute", documented in the OpenAPI spec when they
#: are flask-smorest blueprints; a new domain adds its line here.
KERNEL_BLUEPRINTS: tuple[str, ...] = (
    "pasar.tenancy.api:blp",
    "pasar.accounts.api:blp",
    "pasar.sellers.api:blp",
    "pasar.catalog.api:blp",
    "pasar.catalog.api:media_blp",
    "pasar.ledger.api:blp",
    "pasar.orders.api:blp",
    "pasar.shipping.api:blp",
    "pasar.shipping.api:sandbox_blp",
    "pasar.returns.api:blp",
    "pasar.cart.api:blp",
    "pasar.checkout.api:blp",
    "pasar.payments.api:blp",
    "pasar.payments.sandbox_pages:blp",
    "pasar.discovery.api:blp",
    "pasar.content.api:blp",
    "pasar.creators.api:blp",
    "pasar.deals.api:blp",
    "pasar.ads.api:blp",
    "pasar.storefront.views:blp",
    "pasar.storefront.buy:blp",
    "pasar.pages:blp",
    "pasar.console.views:blp",
    "pasar.seller_center:blp",
)


def register_blueprints(app: Flask, api: Any, host: PluginHost) -> None:
    """The kernel's blueprints, then the installed plugins' (``pasar_register_blueprints``)."""

    def register(blueprint: Any) -> None:
        if hasattr(blueprint, "_docs"):  # a flask-smorest blueprint: document it
            api.register_blueprint(blueprint)
        else:
            app.register_blueprint(blueprint)

    for target in KERNEL_BLUEPRINTS:
        module, _, attribute = target.partition(":")
        register(getattr(importlib.import_module(module), attribute))
    app.add_url_rule("/healthz", "health", lambda: jsonify(status="ok"))
    host.register_blueprints(register)


def configure_worker(app: Flask, settings: Settings) -> None:
    from pasar.worker import configure_celery

    app.extensions["pasar.celery"] = configure_celery(settings)
