"""Tenant endpoints: what the current tenant offers, and which plugins are installed."""
from __future__ import annotations

from typing import Any

from flask.views import MethodView
# Names come from plugins (their catalogs translate them); an alias keeps the extractor away.
from flask_babel import gettext as translate_name
from flask_smorest import Blueprint

from pasar.tenancy import service
from pasar.tenancy.schemas import PluginSchema, TenantCapabilitiesSchema
from pasar.web import current_tenant, plugin_host
from pasar.clock import today_in

blp = Blueprint("tenancy", __name__, url_prefix="/api/v1", description="Tenant and plugins")


@blp.route("/tenant")
class TenantView(MethodView):
    @blp.response(200, TenantCapabilitiesSchema)
    def get(self) -> dict[str, Any]:
        """What this marketplace offers: features, payment methods, carriers, tax display."""
        tenant = current_tenant()
        answer = service.capabilities(tenant, today_in(tenant.config.timezone))
        for method in answer["payment_methods"]:
            method["name"] = translate_name(method["name"])
        return answer


@blp.route("/plugins")
class PluginsView(MethodView):
    @blp.response(200, PluginSchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """Installed plugins with version and the hooks each implements."""
        return [d.as_dict() for d in plugin_host().installed()]
