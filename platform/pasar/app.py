"""The application factory: a readable list of steps.

Plugins are loaded before anything that may call them (tenant routing, translations); a tenant
whose plugins are missing or broken stops the start with a clear error instead of serving a
marketplace with half its payment methods.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, jsonify

from pasar import config as settings_module
from pasar.api import configure_api
from pasar.config import Settings
from pasar.db import Database
from pasar.i18n import configure_babel
from pasar.plugins import PluginError, PluginHost
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


def register_blueprints(app: Flask, api: Any, host: PluginHost) -> None:
    from pasar.storefront.views import blp as storefront
    from pasar.cart.api import blp as cart
    from pasar.checkout.api import blp as checkout
    from pasar.payments.api import blp as payments
    from pasar.payments.sandbox_pages import blp as payments_sandbox
    from pasar.orders.api import blp as orders
    from pasar.shipping.api import blp as shipping, sandbox_blp as shipping_sandbox
    from pasar.returns.api import blp as returns
    from pasar.tenancy.api import blp as tenancy
    from pasar.accounts.api import blp as accounts
    from pasar.sellers.api import blp as sellers
    from pasar.catalog.api import blp as catalog, media_blp as catalog_media
    from pasar.ledger.api import blp as ledger

    api.register_blueprint(tenancy)
    api.register_blueprint(accounts)
    api.register_blueprint(sellers)
    api.register_blueprint(catalog)
    api.register_blueprint(catalog_media)
    api.register_blueprint(ledger)
    api.register_blueprint(orders)
    api.register_blueprint(shipping)
    api.register_blueprint(shipping_sandbox)
    api.register_blueprint(returns)
    api.register_blueprint(cart)
    api.register_blueprint(checkout)
    api.register_blueprint(payments)
    from pasar.discovery.api import blp as discovery; api.register_blueprint(discovery)  # noqa: E702
    from pasar.content.api import blp as content; api.register_blueprint(content)  # noqa: E702
    from pasar.creators.api import blp as creators; api.register_blueprint(creators)  # noqa: E702
    app.register_blueprint(payments_sandbox)
    app.register_blueprint(storefront)
    from pasar.deals.api import blp as deals; api.register_blueprint(deals)  # noqa: E702
    app.add_url_rule("/healthz", "health", lambda: jsonify(status="ok"))

    def register(blueprint: Any) -> None:
        if hasattr(blueprint, "_docs"):  # a flask-smorest blueprint: document it
            api.register_blueprint(blueprint)
        else:
            app.register_blueprint(blueprint)

    host.register_blueprints(register)


def configure_worker(app: Flask, settings: Settings) -> None:
    from pasar.worker import configure_celery

    app.extensions["pasar.celery"] = configure_celery(settings)
