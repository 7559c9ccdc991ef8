"""Operators switch a tenant's features within what its plugins allow; every switch is audited
and ``has_feature`` (so every feature-guarded route) honours it at once."""
from __future__ import annotations

from typing import Any

import pytest

from pasar import clock
from pasar.tenancy import service
from pasar.tenancy.models import TenantFeatureChange
from pasar.testing.accounts_factories import logins_for, operator_logins_for, tenant_context
from pasar.testing.fixtures import REFERENCE_TENANTS


@pytest.fixture(scope="module")
def feature_app(make_app: Any) -> Any:
    """An app of its own: switching features changes whole tenants for every test after."""
    return make_app()


def switch(app: Any, code: str, feature: str, enabled: bool, reason: str = "test") -> TenantFeatureChange | None:
    tenant = tenant_context(app, code)
    with app.extensions["pasar.db"].session(tenant.id, write=True) as session:
        change = service.switch_feature(session, tenant, feature, enabled, operator_id=7,
                                        operator_email="ops@example.test", reason=reason, at=clock.now())
        session.expunge_all()
        return change


def audit(app: Any, code: str) -> list[TenantFeatureChange]:
    tenant = tenant_context(app, code)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        return service.feature_changes(session, tenant)


def test_switching_a_feature_off_is_what_has_feature_and_the_routes_see(feature_app: Any) -> None:
    client = feature_app.test_client()
    assert tenant_context(feature_app, "th").has_feature("shopping_tab")
    assert client.get("/api/v1/shop", headers={"X-Pasar-Tenant": "th"}).status_code == 200

    change = switch(feature_app, "th", "shopping_tab", False, reason="tab under maintenance")

    assert change is not None and (change.old_enabled, change.new_enabled) == (True, False)
    assert not tenant_context(feature_app, "th").has_feature("shopping_tab")
    answer = client.get("/api/v1/shop", headers={"X-Pasar-Tenant": "th"})
    assert answer.status_code == 404 and answer.get_json()["feature"] == "shopping_tab"

    switch(feature_app, "th", "shopping_tab", True, reason="back")
    assert client.get("/api/v1/shop", headers={"X-Pasar-Tenant": "th"}).status_code == 200


def test_a_feature_the_plugin_allows_but_the_file_leaves_off_can_be_switched_on(feature_app: Any) -> None:
    before = tenant_context(feature_app, "id")
    assert "social_checkout" in before.allowed_features() and not before.has_feature("social_checkout")

    switch(feature_app, "id", "social_checkout", True, reason="licence granted")

    assert tenant_context(feature_app, "id").has_feature("social_checkout")
    [row] = [c for c in audit(feature_app, "id") if c.feature == "social_checkout"]
    assert (row.old_enabled, row.new_enabled, row.reason) == (False, True, "licence granted")
    assert (row.operator_id, row.operator_email) == (7, "ops@example.test") and row.at is not None


def test_a_feature_the_plugin_does_not_allow_is_refused_with_the_plugins_reason(feature_app: Any) -> None:
    with pytest.raises(service.FeatureSwitchRefused) as refused:
        switch(feature_app, "uk", "cash_on_delivery", True)

    assert refused.value.field == "feature"
    assert "cash_on_delivery" in str(refused.value) and "Cash on delivery is off" in str(refused.value)
    assert not tenant_context(feature_app, "uk").has_feature("cash_on_delivery")
    assert [c for c in audit(feature_app, "uk") if c.feature == "cash_on_delivery"] == []


@pytest.mark.parametrize(("feature", "reason", "field"), [
    ("teleport", "why not", "feature"),
    ("flash_sales", "   ", "reason"),
])
def test_unknown_features_and_missing_reasons_are_refused(feature_app: Any, feature: str, reason: str,
                                                          field: str) -> None:
    with pytest.raises(service.FeatureSwitchRefused) as refused:
        switch(feature_app, "vn", feature, False, reason=reason)
    assert refused.value.field == field
    assert audit(feature_app, "vn") == []


def test_switching_to_the_state_in_force_changes_and_logs_nothing(feature_app: Any) -> None:
    assert tenant_context(feature_app, "my").has_feature("live_shopping")
    assert switch(feature_app, "my", "live_shopping", True) is None
    assert audit(feature_app, "my") == []


def test_an_override_survives_reapplying_the_tenant_files(feature_app: Any) -> None:
    switch(feature_app, "ph", "ads", False, reason="no ads during the election")
    with feature_app.extensions["pasar.db"].session(all_tenants=True) as session:
        service.apply_tenants(session, [REFERENCE_TENANTS], feature_app.extensions["pasar.plugins"])
    assert not tenant_context(feature_app, "ph").has_feature("ads")


# --- REST API -----------------------------------------------------------------------------------
def test_an_operator_reads_a_tenants_switches_and_audit_log(feature_app: Any) -> None:
    client = feature_app.test_client()
    headers = operator_logins_for(feature_app)(tenants=("de",))

    answer = client.get("/api/v1/operator/tenants/de/features", headers=headers)

    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    switches = {f["name"]: f for f in body["features"]}
    assert body["tenant"] == "de" and body["changes"] == []
    assert {key: switches["shopping_tab"][key] for key in ("enabled", "allowed", "in_file", "override")} == {
        "enabled": True, "allowed": True, "in_file": True, "override": None}
    assert switches["cash_on_delivery"]["allowed"] is False and switches["cash_on_delivery"]["note"]


def test_an_operator_switches_features_through_the_api(feature_app: Any) -> None:
    client = feature_app.test_client()
    headers = operator_logins_for(feature_app)(tenants=("fr",), email="ops-fr@example.test")

    answer = client.put("/api/v1/operator/tenants/fr/features", headers=headers,
                        json={"features": {"flash_sales": False}, "reason": "fraud wave"})

    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert {f["name"]: f for f in body["features"]}["flash_sales"]["enabled"] is False
    [change] = body["changes"]
    assert change["feature"] == "flash_sales" and change["reason"] == "fraud wave"
    assert change["operator_email"] == "ops-fr@example.test"
    assert not tenant_context(feature_app, "fr").has_feature("flash_sales")


def test_a_refused_switch_is_a_problem_naming_the_feature_and_changes_nothing(feature_app: Any) -> None:
    client = feature_app.test_client()
    headers = operator_logins_for(feature_app)(tenants=("us",))

    answer = client.put("/api/v1/operator/tenants/us/features", headers=headers,
                        json={"features": {"ads": False, "cash_on_delivery": True}, "reason": "test"})

    assert answer.status_code == 422
    assert answer.content_type == "application/problem+json"
    assert list(answer.get_json()["errors"]) == ["features.cash_on_delivery"]
    assert tenant_context(feature_app, "us").has_feature("ads")  # all or nothing


def test_the_reason_is_required(feature_app: Any) -> None:
    client = feature_app.test_client()
    headers = operator_logins_for(feature_app)(tenants=("*",))
    answer = client.put("/api/v1/operator/tenants/es/features", headers=headers,
                        json={"features": {"ads": False}})
    assert answer.status_code == 422 and "reason" in answer.get_json()["errors"]


def test_only_operators_of_that_tenant_reach_its_switches(feature_app: Any) -> None:
    client = feature_app.test_client()
    elsewhere = operator_logins_for(feature_app)(tenants=("th",))
    _, buyer = logins_for(feature_app)("it", "buyer")
    url = "/api/v1/operator/tenants/it/features"

    assert client.get(url, headers=elsewhere).status_code == 404
    assert client.put(url, headers=elsewhere, json={"features": {"ads": False}, "reason": "x"}).status_code == 404
    assert client.get("/api/v1/operator/tenants/nosuch/features", headers=elsewhere).status_code == 404
    assert client.get(url, headers=buyer).status_code in (401, 403)
    assert client.get(url).status_code == 401
    assert tenant_context(feature_app, "it").has_feature("ads")
