"""What the plugin says about the US: country, currency, features, consumer rules, KYC,
withholding."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pluggy
import pytest

from pasar.contracts import FEATURES, WithholdingContext


def test_region_serves_the_us_with_its_tax_states(pm: pluggy.PluginManager) -> None:
    (info,) = pm.hook.pasar_region_info()
    (country,) = info.countries
    assert (info.plugin, country.code, country.currency) == ("us", "US", "USD")
    assert country.locales == ("en_US", "es_US")
    assert country.timezones[0] == "America/New_York"
    assert {"CA", "NY", "TX", "WA", "FL", "PA", "NJ", "MN", "OR", "DE", "MT", "NH", "AK"} == set(
        country.subdivisions
    )


def test_usd_is_in_cents_rounded_half_up_without_cash_rounding(pm: pluggy.PluginManager) -> None:
    rules = pm.hook.pasar_currency_rules(currency="USD", country="US")
    assert (rules.iso_minor_units, rules.display_minor_units) == (2, 2)
    assert (rules.rounding, rules.cash_increment) == ("ROUND_HALF_UP", 0)
    assert pm.hook.pasar_currency_rules(currency="USD", country="EC") is None
    assert pm.hook.pasar_currency_rules(currency="CAD", country="US") is None


def test_social_commerce_features_are_on_and_cash_on_delivery_is_off(
    pm: pluggy.PluginManager,
) -> None:
    features = pm.hook.pasar_features(country="US")
    assert features.enabled == frozenset(FEATURES) - {"cash_on_delivery"}
    assert "cash_on_delivery" not in features
    assert "Cash on delivery" in features.notes["cash_on_delivery"]
    assert {"S104", "S107"} <= set(features.source)


@pytest.mark.parametrize("on", [date(2019, 1, 1), date(2026, 6, 19), date(2035, 1, 1)])
def test_returns_follow_a_30_day_platform_window_with_exclusive_prices(
    pm: pluggy.PluginManager, on: date
) -> None:
    rules = pm.hook.pasar_consumer_rules(country="US", on=on)
    assert (rules.return_window_days, rules.return_window_basis) == (30, "platform")
    assert rules.price_display == "exclusive"
    assert rules.tax_label == "sales tax"  # "plus sales tax" next to a price
    assert (rules.prior_price_days, rules.withdrawal_button_from) == (None, None)


def kyc_pattern(pm: pluggy.PluginManager, name: str) -> str:
    kyc = pm.hook.pasar_kyc_requirements(country="US")
    return next(field.pattern for field in kyc.fields if field.name == name)


@pytest.mark.parametrize(
    ("value", "valid"),
    [("12-3456789", True), ("123456789", False), ("12-345678", False), ("AB-3456789", False),
     ("12-34567890", False)],
)  # fmt: skip
def test_ein_is_two_digits_dash_seven_digits(
    pm: pluggy.PluginManager, value: str, valid: bool
) -> None:
    assert bool(re.fullmatch(kyc_pattern(pm, "ein"), value)) is valid


@pytest.mark.parametrize(
    ("value", "valid"), [("DE", True), ("CA", True), ("DC", True), ("ZZ", False), ("de", False),
                         ("Delaware", False)]
)  # fmt: skip
def test_state_of_incorporation_is_a_state_code(
    pm: pluggy.PluginManager, value: str, valid: bool
) -> None:
    assert bool(re.fullmatch(kyc_pattern(pm, "state_of_incorporation"), value)) is valid


def test_sales_tax_permit_is_optional(pm: pluggy.PluginManager) -> None:
    kyc = pm.hook.pasar_kyc_requirements(country="US")
    required = {field.name: field.required for field in kyc.fields}
    assert required == {"ein": True, "state_of_incorporation": True, "sales_tax_permit": False}
    assert re.fullmatch(kyc_pattern(pm, "sales_tax_permit"), "102-345678")
    assert "form_w9" in kyc.documents


@pytest.mark.parametrize("kind", ["business", "household", "individual"])
def test_no_income_tax_is_withheld_from_us_sellers(pm: pluggy.PluginManager, kind: str) -> None:
    context = WithholdingContext(
        country="US", currency="USD", on=date(2026, 2, 1), gross=Decimal("50000.00"),
        seller_kind=kind,  # type: ignore[arg-type]
    )
    assert pm.hook.pasar_marketplace_withholding(context=context) == [[]]


def test_other_countries_get_no_region_answers(pm: pluggy.PluginManager) -> None:
    assert pm.hook.pasar_features(country="CA") is None
    assert pm.hook.pasar_consumer_rules(country="MX", on=date(2026, 1, 1)) is None
    assert pm.hook.pasar_kyc_requirements(country="GB") is None
