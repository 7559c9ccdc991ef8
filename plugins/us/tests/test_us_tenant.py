"""The reference tenant ``tenants/us.toml`` only names what this plugin offers."""
from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pluggy
import pytest

TENANT = Path(__file__).resolve().parents[3] / "tenants" / "us.toml"


@pytest.fixture(scope="module")
def tenant() -> dict[str, Any]:
    if not TENANT.is_file():  # the plugin installed on its own, outside the Pasar repository
        pytest.skip(f"{TENANT} is not part of this checkout")
    return tomllib.loads(TENANT.read_text(encoding="utf-8"))


def test_tenant_names_the_us_market(tenant: dict[str, Any]) -> None:
    assert {key: tenant[key] for key in ("code", "plugins", "country", "currency", "timezone")} == {
        "code": "us", "plugins": ["us"], "country": "US", "currency": "USD",
        "timezone": "America/New_York",
    }  # fmt: skip
    assert tenant["hosts"] == ["us.localhost"]
    assert tenant["locales"] == ["en_US", "es_US"]
    assert 0 < float(tenant["platform_commission"]) < 1


def test_tenant_uses_only_what_the_plugin_offers(
    tenant: dict[str, Any], pm: pluggy.PluginManager
) -> None:
    methods: list = []
    carriers: list = []
    pm.hook.pasar_register_payment_methods(register=methods.append, country="US")
    pm.hook.pasar_register_carriers(register=carriers.append, country="US")
    features = pm.hook.pasar_features(country="US")
    assert set(tenant["payment_methods"]) == {m.code for m in methods}
    assert set(tenant["shipping_partners"]) == {c.code for c in carriers}
    assert set(tenant["features"]) == set(features.enabled)
