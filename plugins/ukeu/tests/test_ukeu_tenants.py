"""The reference tenants served by this plugin name only what the plugin offers for their
country, so ``pasar tenants apply`` accepts them."""
from __future__ import annotations

import tomllib
from collections.abc import Callable
from typing import Any

import pluggy
import pytest

from pasar.contracts import FeatureSet, RegionInfo
from pasar.testing.fixtures import REFERENCE_TENANTS

CODES = ("uk", "de", "fr", "es", "it", "ie", "nl")


def tenant(code: str) -> dict[str, Any]:
    return tomllib.loads((REFERENCE_TENANTS / f"{code}.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("code", CODES)
def test_the_tenant_names_only_what_the_plugin_offers(
    ukeu_pm: pluggy.PluginManager, registered: Callable[[str, str], list[Any]], code: str
) -> None:
    data = tenant(code)
    (region,) = ukeu_pm.hook.pasar_region_info()
    assert isinstance(region, RegionInfo)
    country = region.country(data["country"])
    assert country is not None and data["plugins"] == ["ukeu"]
    assert (data["code"], data["hosts"]) == (code, [f"{code}.localhost"])
    assert data["currency"] == country.currency and data["timezone"] == country.timezones[0]
    assert data["locales"] == list(country.locales)
    features = ukeu_pm.hook.pasar_features(country=country.code)
    assert isinstance(features, FeatureSet) and set(data["features"]) <= features.enabled
    methods = [m.code for m in registered("payment_methods", country.code)]
    carriers = [c.code for c in registered("carriers", country.code)]
    assert data["payment_methods"] == methods and data["shipping_partners"] == carriers
    assert 0 < float(data["platform_commission"]) < 1


def test_the_dutch_tenant_enables_no_feature() -> None:
    assert tenant("nl")["features"] == []


@pytest.mark.parametrize("code", ["es", "it"])
def test_cash_on_delivery_is_enabled_with_its_payment_method(code: str) -> None:
    data = tenant(code)
    assert "cash_on_delivery" in data["features"] and "cod" in data["payment_methods"]
