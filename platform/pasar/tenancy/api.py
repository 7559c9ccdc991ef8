"""Tenant endpoints: what the current tenant offers, and which plugins are installed."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask.views import MethodView
# Names come from plugins (their catalogs translate them); an alias keeps the extractor away.
from flask_babel import gettext as translate_name
from flask_smorest import Blueprint, abort
from sqlalchemy.orm import Session

from pasar.accounts.auth import require_auth, signed_in

from pasar import clock
from pasar.tenancy import service
from pasar.tenancy.models import TenantFeatureChange
from pasar.tenancy.schemas import (FeatureSwitchesInSchema, PluginSchema, TenantCapabilitiesSchema,
                                   TenantFeaturesSchema)
from pasar.web import current_tenant, database, plugin_host, tenant_optional
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


# --- operators: feature switches ---------------------------------------------------------------
@contextmanager
def operated_tenant(code: str, *, write: bool = False) -> Iterator[tuple[service.TenantContext, Session]]:
    """The tenant the path names, in a session of its own, if the signed-in operator may act
    there; any other tenant answers 404 as if it did not exist."""
    principal = signed_in()
    with database().session(all_tenants=True) as lookup:
        try:
            row = service.get_tenant(lookup, code)
        except service.TenantNotFound:
            row = None
        tenant = service.context_for(row, plugin_host()) if row is not None else None
    if tenant is None or not principal.operates(tenant.code):
        abort(404, message=f"unknown tenant {code!r}")
    with database().session(tenant.id, write=write) as session:
        yield tenant, session


def features_json(session: Session, tenant: service.TenantContext) -> dict[str, Any]:
    return {
        "tenant": tenant.code,
        "features": [vars(switch) for switch in service.feature_switches(tenant)],
        "changes": [change_json(change) for change in service.feature_changes(session, tenant)],
    }


def change_json(change: TenantFeatureChange) -> dict[str, Any]:
    return {"id": change.id, "feature": change.feature, "old_enabled": change.old_enabled,
            "new_enabled": change.new_enabled, "reason": change.reason, "operator_id": change.operator_id,
            "operator_email": change.operator_email, "at": change.at}


@blp.route("/operator/tenants/<string:tenant>/features", methods=["GET"], endpoint="features_get")
@tenant_optional
@require_auth("operator")
@blp.response(200, TenantFeaturesSchema)
@blp.alt_response(404, response="NOT_FOUND")
def features_get(tenant: str) -> dict[str, Any]:
    """A tenant's features: in force, allowed by its plugins, from its file or an operator's
    override, and the audit log of switches."""
    with operated_tenant(tenant) as (context, session):
        return features_json(session, context)


@blp.route("/operator/tenants/<string:tenant>/features", methods=["PUT"], endpoint="features_put")
@tenant_optional
@require_auth("operator")
@blp.arguments(FeatureSwitchesInSchema)
@blp.response(200, TenantFeaturesSchema)
@blp.alt_response(404, response="NOT_FOUND")
def features_put(body: dict[str, Any], tenant: str) -> dict[str, Any]:
    """Switch features on or off for a tenant, within what its plugins allow; every change is
    written to the audit log with the reason. All or nothing: one refused switch changes none."""
    principal = signed_in()
    with operated_tenant(tenant, write=True) as (context, session):
        errors = {f"features.{name}": [problem] for name in body["features"]
                  if (problem := service.feature_problem(context, name)) is not None}
        if errors:
            abort(422, message="some features cannot be switched here", errors=errors)
        now = clock.now()
        for name, enabled in body["features"].items():
            try:
                service.switch_feature(session, context, name, enabled, operator_id=principal.id,
                                       operator_email=principal.email, reason=body["reason"], at=now)
            except service.FeatureSwitchRefused as exc:
                abort(422, message=str(exc), errors={exc.field: [str(exc)]})
            context = service.with_current_overrides(session, context)
        return features_json(session, context)
