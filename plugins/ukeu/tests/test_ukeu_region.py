"""What the UK/EU plugin says about its countries: region, currency and cash rounding (§1),
features (§5), consumer rules (§6) and seller KYC formats."""
from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pluggy
import pytest

from pasar.contracts import FEATURES, ConsumerRules, CurrencyRules, FeatureSet, KycRequirements

SERVED = ("GB", "DE", "FR", "ES", "IT", "IE", "NL")
EU = ("DE", "FR", "ES", "IT", "IE", "NL")
SOCIAL = {
    "short_video", "live_shopping", "shopping_tab", "affiliate", "ads", "social_checkout",
    "flash_sales",
}


def test_region_info_lists_the_seven_markets_with_their_locales(
    ukeu_pm: pluggy.PluginManager,
) -> None:
    (info,) = ukeu_pm.hook.pasar_region_info()
    assert info.plugin == "ukeu"
    assert {c.code: (c.currency, c.locales[0]) for c in info.countries} == {
        "GB": ("GBP", "en_GB"), "DE": ("EUR", "de_DE"), "FR": ("EUR", "fr_FR"),
        "ES": ("EUR", "es_ES"), "IT": ("EUR", "it_IT"), "IE": ("EUR", "en_IE"),
        "NL": ("EUR", "nl_NL"),
    }


# -- currency ------------------------------------------------------------------------------


def rules(pm: pluggy.PluginManager, currency: str, country: str) -> CurrencyRules:
    answer = pm.hook.pasar_currency_rules(currency=currency, country=country)
    assert isinstance(answer, CurrencyRules)
    return answer


@pytest.mark.parametrize(
    ("currency", "country", "increment"),
    [("GBP", "GB", 0), ("EUR", "DE", 0), ("EUR", "FR", 0), ("EUR", "ES", 0),
     ("EUR", "NL", 5), ("EUR", "IE", 5), ("EUR", "IT", 5)],
)
def test_cents_everywhere_and_five_cent_cash_rounding_only_in_nl_ie_it(
    ukeu_pm: pluggy.PluginManager, currency: str, country: str, increment: int
) -> None:
    answer = rules(ukeu_pm, currency, country)
    assert (answer.iso_minor_units, answer.display_minor_units) == (2, 2)
    assert answer.cash_increment == increment and answer.rounding == "ROUND_HALF_UP"


@pytest.mark.parametrize(
    ("total", "cash"),
    [("10.01", "10.00"), ("10.02", "10.00"), ("10.03", "10.05"), ("10.04", "10.05"),
     ("10.06", "10.05"), ("10.07", "10.05"), ("10.08", "10.10"), ("10.09", "10.10")],
)
def test_dutch_cash_rounding_is_swedish_rounding(
    ukeu_pm: pluggy.PluginManager, total: str, cash: str
) -> None:
    """1, 2, 6, 7 round down and 3, 4, 8, 9 up [S9], applying the rule as the kernel does."""
    answer = rules(ukeu_pm, "EUR", "NL")
    cents = Decimal(total) * 100 / answer.cash_increment
    steps = cents.quantize(Decimal(1), rounding=answer.cash_rounding)
    assert answer.cash_rounding == ROUND_HALF_UP
    assert steps * answer.cash_increment / 100 == Decimal(cash)


@pytest.mark.parametrize(("currency", "country"), [("EUR", "GB"), ("GBP", "DE"), ("USD", "US")])
def test_currency_pairs_not_served_get_no_answer(
    ukeu_pm: pluggy.PluginManager, currency: str, country: str
) -> None:
    assert ukeu_pm.hook.pasar_currency_rules(currency=currency, country=country) is None


# -- features ------------------------------------------------------------------------------


def features(pm: pluggy.PluginManager, country: str) -> FeatureSet:
    answer = pm.hook.pasar_features(country=country)
    assert isinstance(answer, FeatureSet)
    return answer


@pytest.mark.parametrize("country", ["GB", "DE", "FR", "IE"])
def test_social_commerce_is_on_without_cash_on_delivery(
    ukeu_pm: pluggy.PluginManager, country: str
) -> None:
    answer = features(ukeu_pm, country)
    assert answer.enabled == SOCIAL
    assert "cash_on_delivery" in answer.notes and answer.source


@pytest.mark.parametrize("country", ["ES", "IT"])
def test_spain_and_italy_also_offer_cash_on_delivery(
    ukeu_pm: pluggy.PluginManager, country: str
) -> None:
    assert features(ukeu_pm, country).enabled == SOCIAL | {"cash_on_delivery"}


def test_the_netherlands_has_every_feature_off_and_says_why(ukeu_pm: pluggy.PluginManager) -> None:
    answer = features(ukeu_pm, "NL")
    assert answer.enabled == frozenset()
    assert set(answer.notes) == set(FEATURES)
    why = "no TikTok Shop was found in the Netherlands"
    assert all(why in note for note in answer.notes.values())


def test_unverified_launch_details_are_noted(ukeu_pm: pluggy.PluginManager) -> None:
    assert "live_shopping" not in features(ukeu_pm, "GB").notes
    assert "not been verified" in features(ukeu_pm, "DE").notes["live_shopping"]


# -- consumer rules ------------------------------------------------------------------------


def consumer(pm: pluggy.PluginManager, country: str, on: date) -> ConsumerRules:
    answer = pm.hook.pasar_consumer_rules(country=country, on=on)
    assert isinstance(answer, ConsumerRules)
    return answer


@pytest.mark.parametrize("country", EU)
def test_eu_withdrawal_refund_prior_price_and_button(
    ukeu_pm: pluggy.PluginManager, country: str
) -> None:
    answer = consumer(ukeu_pm, country, date(2026, 3, 1))
    assert (answer.return_window_days, answer.return_window_basis) == (14, "statutory")
    assert (answer.refund_deadline_days, answer.prior_price_days) == (14, 30)
    assert answer.withdrawal_button_from == date(2026, 6, 19)
    assert answer.price_display == "inclusive"
    assert {"S111", "S115"} <= set(answer.source)


@pytest.mark.parametrize("country", ("GB", *EU))
def test_prices_name_the_tax_vat(ukeu_pm: pluggy.PluginManager, country: str) -> None:
    assert consumer(ukeu_pm, country, date(2026, 3, 1)).tax_label == "VAT"


def test_the_prior_price_rule_applies_from_28_may_2022(ukeu_pm: pluggy.PluginManager) -> None:
    assert consumer(ukeu_pm, "NL", date(2022, 5, 27)).prior_price_days is None
    assert consumer(ukeu_pm, "NL", date(2022, 5, 28)).prior_price_days == 30


def test_the_uk_has_14_days_and_no_prior_price_rule(ukeu_pm: pluggy.PluginManager) -> None:
    answer = consumer(ukeu_pm, "GB", date(2026, 7, 1))
    assert (answer.return_window_days, answer.return_window_basis) == (14, "statutory")
    assert answer.refund_deadline_days == 14
    assert answer.prior_price_days is None and answer.withdrawal_button_from is None


def test_consumer_rules_of_a_country_not_served_are_none(ukeu_pm: pluggy.PluginManager) -> None:
    assert ukeu_pm.hook.pasar_consumer_rules(country="US", on=date(2026, 3, 1)) is None


# -- KYC -----------------------------------------------------------------------------------

KYC_VALUES = [
    # country, field, valid values, invalid values
    ("GB", "companies_house_number", ["01234567", "SC123456", "OC301234"],
     ["1234567", "SC1234567", "sc123456", "AB12345X"]),
    ("GB", "vat_number", ["GB123456789"], ["123456789", "GB12345678", "GB1234567890"]),
    ("DE", "handelsregister_number", ["HRB 123456", "HRA12345", "HRB 98765 B"],
     ["123456", "HRX 1234", "HRB"]),
    ("DE", "ust_idnr", ["DE123456789"], ["DE12345678", "AT123456789"]),
    ("FR", "siren_siret", ["732829320", "73282932000074"], ["7328293200", "ABCDEFGHI"]),
    ("FR", "tva_number", ["FR44732829320", "FRXA732829320"], ["FR4473282932", "FRIO732829320"]),
    ("ES", "nif", ["12345678Z", "X1234567L", "B12345678", "A5814857J"],
     ["1234567Z", "I1234567A", "B1234567"]),
    ("IT", "partita_iva", ["12345678901"], ["1234567890", "IT12345678901"]),
    ("IT", "sdi_code", ["M5UXCR1"], ["M5UXCR", "m5uxcr1"]),
    ("IE", "cro_number", ["123456", "98"], ["1234567", "A12345"]),
    ("IE", "vat_number", ["IE1234567T", "IE1234567FA", "IE1A23456B"], ["IE12345678", "1234567T"]),
    ("NL", "kvk_number", ["12345678"], ["1234567", "123456789"]),
    ("NL", "btw_id", ["NL123456789B01"], ["NL123456789", "NL123456789X01", "NL12345678B01"]),
]


@pytest.mark.parametrize(("country", "name", "valid", "invalid"), KYC_VALUES)
def test_kyc_patterns_accept_real_formats_and_refuse_near_misses(
    ukeu_pm: pluggy.PluginManager, country: str, name: str, valid: list[str], invalid: list[str]
) -> None:
    kyc = ukeu_pm.hook.pasar_kyc_requirements(country=country)
    assert isinstance(kyc, KycRequirements)
    field = next(f for f in kyc.fields if f.name == name)
    assert all(re.fullmatch(field.pattern, value) for value in valid)
    assert not any(re.fullmatch(field.pattern, value) for value in invalid)


@pytest.mark.parametrize(
    ("country", "required"),
    [("GB", {"companies_house_number"}), ("DE", {"handelsregister_number", "register_court"}),
     ("FR", {"siren_siret"}), ("ES", {"nif"}), ("IT", {"partita_iva"}), ("IE", {"cro_number"}),
     ("NL", {"kvk_number", "btw_id"})],
)
def test_the_register_number_is_required_and_vat_numbers_only_where_everyone_has_one(
    ukeu_pm: pluggy.PluginManager, country: str, required: set[str]
) -> None:
    kyc = ukeu_pm.hook.pasar_kyc_requirements(country=country)
    assert {f.name for f in kyc.fields if f.required} == required
    assert all(f.label and f.help for f in kyc.fields)
    assert "representative_id" in kyc.documents


@pytest.mark.parametrize("hook", ["pasar_features", "pasar_kyc_requirements"])
def test_countries_not_served_get_no_answer(ukeu_pm: pluggy.PluginManager, hook: str) -> None:
    assert getattr(ukeu_pm.hook, hook)(country="SG") is None


def test_every_served_country_has_kyc_and_features(ukeu_pm: pluggy.PluginManager) -> None:
    for country in SERVED:
        assert ukeu_pm.hook.pasar_kyc_requirements(country=country).country == country
        assert features(ukeu_pm, country).country == country
