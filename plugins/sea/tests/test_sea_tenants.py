"""The repository's reference tenants for the six markets name only what this plugin offers.

The kernel's ``pasar tenants apply`` validates any tenant file; this checks the SEA reference
files against the plugin itself, so a renamed method or carrier fails here first.
"""
from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pluggy
import pytest

from pasar.contracts import CarrierInfo, PaymentMethod

TENANTS = Path(__file__).resolve().parents[3] / "tenants"
CODES = ("id", "my", "th", "vn", "ph", "sg")
KEYS = {
    "code", "name", "plugins", "country", "currency", "locales", "timezone", "hosts",
    "features", "payment_methods", "shipping_partners", "platform_commission",
}


def tenant(code: str) -> dict[str, Any]:
    with open(TENANTS / f"{code}.toml", "rb") as handle:
        return tomllib.load(handle)


@pytest.mark.parametrize("code", CODES)
def test_tenant_file_has_the_schema_and_names_the_sea_plugin(code: str) -> None:
    data = tenant(code)
    assert set(data) == KEYS
    assert (data["code"], data["plugins"], data["hosts"]) == (code, ["sea"], [f"{code}.localhost"])
    assert data["country"] == code.upper()
    assert Decimal(0) <= Decimal(data["platform_commission"]) < 1


@pytest.mark.parametrize("code", CODES)
def test_tenant_uses_the_country_currency_locales_and_time_zone(
    pm: pluggy.PluginManager, code: str
) -> None:
    data = tenant(code)
    (region,) = pm.hook.pasar_region_info()
    country = region.country(data["country"])
    assert country is not None
    assert data["currency"] == country.currency
    assert data["locales"][0] == country.locales[0]
    assert set(data["locales"]) <= set(country.locales)
    assert data["timezone"] in country.timezones


@pytest.mark.parametrize("code", CODES)
def test_tenant_names_only_offered_features_methods_and_carriers(
    pm: pluggy.PluginManager, code: str
) -> None:
    data = tenant(code)
    country = data["country"]
    methods: list[PaymentMethod] = []
    carriers: list[CarrierInfo] = []
    pm.hook.pasar_register_payment_methods(register=methods.append, country=country)
    pm.hook.pasar_register_carriers(register=carriers.append, country=country)
    assert set(data["features"]) <= pm.hook.pasar_features(country=country).enabled
    assert set(data["payment_methods"]) <= {method.code for method in methods}
    assert set(data["shipping_partners"]) <= {info.code for info in carriers}


def test_reference_indonesia_tenant_leaves_social_checkout_off() -> None:
    assert "social_checkout" not in tenant("id")["features"]


def test_reference_singapore_tenant_has_no_cash_on_delivery() -> None:
    data = tenant("sg")
    assert "cash_on_delivery" not in data["features"]
    assert "cod" not in data["payment_methods"]
