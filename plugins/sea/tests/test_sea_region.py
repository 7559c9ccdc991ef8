"""Region, currency, features, consumer rules and KYC for the six markets (REGIONS §1, §5-§7)."""
from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pluggy
import pytest
from babel.numbers import format_currency

from pasar.contracts import CurrencyRules, KycRequirements

SERVED = ("ID", "MY", "TH", "VN", "PH", "SG")


def test_region_info_lists_the_six_markets_with_cldr_locales(pm: pluggy.PluginManager) -> None:
    (region,) = pm.hook.pasar_region_info()
    assert region.plugin == "sea"
    assert tuple(c.code for c in region.countries) == SERVED
    locales = {c.code: c.locales for c in region.countries}
    assert locales == {
        "ID": ("id_ID", "en_ID"),
        "MY": ("ms_MY", "en_MY"),
        "TH": ("th_TH",),  # en_TH is not a CLDR locale
        "VN": ("vi_VN",),
        "PH": ("fil_PH", "en_PH"),
        "SG": ("en_SG",),
    }


def rules(pm: pluggy.PluginManager, currency: str, country: str) -> CurrencyRules:
    answer = pm.hook.pasar_currency_rules(currency=currency, country=country)
    assert isinstance(answer, CurrencyRules)
    return answer


def test_idr_is_stored_with_two_decimals_but_shown_in_whole_rupiah(
    pm: pluggy.PluginManager,
) -> None:
    idr = rules(pm, "IDR", "ID")
    assert (idr.iso_minor_units, idr.display_minor_units) == (2, 0)
    shown = format_currency(
        Decimal(1234567), "IDR", format=idr.format_pattern, locale="id_ID", currency_digits=False
    )
    assert shown == "Rp\xa01.234.567"


def test_vnd_has_no_minor_units(pm: pluggy.PluginManager) -> None:
    vnd = rules(pm, "VND", "VN")
    assert (vnd.iso_minor_units, vnd.display_minor_units, vnd.format_pattern) == (0, 0, None)
    assert format_currency(Decimal(1234567), "VND", locale="vi_VN") == "1.234.567\xa0₫"


def test_myr_cash_totals_round_to_five_sen(pm: pluggy.PluginManager) -> None:
    myr = rules(pm, "MYR", "MY")
    assert (myr.cash_increment, myr.cash_rounding) == (5, "ROUND_HALF_UP")
    # BNM: 1, 2, 6, 7 round down; 3, 4, 8, 9 round up.
    rounded = {
        sen: int((Decimal(sen) / myr.cash_increment).quantize(Decimal(1), ROUND_HALF_UP))
        * myr.cash_increment
        for sen in range(10)
    }
    assert rounded == {0: 0, 1: 0, 2: 0, 3: 5, 4: 5, 5: 5, 6: 5, 7: 5, 8: 10, 9: 10}


@pytest.mark.parametrize(("currency", "country"), [("THB", "TH"), ("PHP", "PH"), ("SGD", "SG")])
def test_other_currencies_use_two_decimals_and_no_cash_rounding(
    pm: pluggy.PluginManager, currency: str, country: str
) -> None:
    answer = rules(pm, currency, country)
    assert (answer.iso_minor_units, answer.display_minor_units, answer.cash_increment) == (2, 2, 0)


def test_currency_rules_only_for_served_pairs(pm: pluggy.PluginManager) -> None:
    assert pm.hook.pasar_currency_rules(currency="EUR", country="DE") is None
    assert pm.hook.pasar_currency_rules(currency="USD", country="SG") is None


@pytest.mark.parametrize("country", ["ID", "MY", "TH", "VN", "PH"])
def test_every_social_feature_is_on_where_cod_exists(
    pm: pluggy.PluginManager, country: str
) -> None:
    features = pm.hook.pasar_features(country=country)
    for feature in ("short_video", "live_shopping", "shopping_tab", "affiliate", "ads"):
        assert feature in features
    assert "cash_on_delivery" in features
    assert "social_checkout" in features


def test_indonesian_social_checkout_carries_the_permendag_note(pm: pluggy.PluginManager) -> None:
    features = pm.hook.pasar_features(country="ID")
    assert "Permendag 31/2023" in features.notes["social_checkout"]
    assert "S16" in features.source


def test_singapore_has_no_cash_on_delivery_feature(pm: pluggy.PluginManager) -> None:
    features = pm.hook.pasar_features(country="SG")
    assert "cash_on_delivery" not in features
    assert "live_shopping" in features
    assert "cash_on_delivery" in features.notes


@pytest.mark.parametrize(
    ("country", "days", "basis", "source"),
    [
        ("ID", 6, "platform", ("S118",)),
        ("TH", 7, "statutory", ("S119", "S120", "S121")),
        ("VN", 15, "platform", ("S122",)),
        ("MY", 7, "platform", ()),
        ("PH", 7, "platform", ()),
        ("SG", 7, "platform", ("S41", "S42")),
    ],
)
def test_return_windows_and_inclusive_prices(
    pm: pluggy.PluginManager, country: str, days: int, basis: str, source: tuple[str, ...]
) -> None:
    answer = pm.hook.pasar_consumer_rules(country=country, on=date(2026, 1, 1))
    assert (answer.return_window_days, answer.return_window_basis) == (days, basis)
    assert answer.price_display == "inclusive"
    assert answer.prior_price_days is None and answer.withdrawal_button_from is None
    assert answer.source == source


@pytest.mark.parametrize(
    ("country", "label"),
    [("ID", "VAT"), ("TH", "VAT"), ("VN", "VAT"), ("PH", "VAT"), ("MY", "SST"), ("SG", "GST")],
)
def test_prices_name_the_local_consumer_tax(
    pm: pluggy.PluginManager, country: str, label: str
) -> None:
    assert pm.hook.pasar_consumer_rules(country=country, on=date(2026, 1, 1)).tax_label == label


def test_thai_sellers_refund_within_15_days(pm: pluggy.PluginManager) -> None:
    answer = pm.hook.pasar_consumer_rules(country="TH", on=date(2026, 1, 1))
    assert answer.refund_deadline_days == 15


def kyc(pm: pluggy.PluginManager, country: str) -> dict[str, str]:
    answer = pm.hook.pasar_kyc_requirements(country=country)
    assert isinstance(answer, KycRequirements)
    return {field.name: field.pattern for field in answer.fields}


@pytest.mark.parametrize(
    ("country", "field", "valid", "invalid"),
    [
        ("ID", "nib", ["9120001234567"], ["912000123456", "91200012345678", "9120-00123456"]),
        ("ID", "npwp", ["012345678901234", "3171012345678901"], ["01234567890123", "01.234.567"]),
        ("MY", "ssm_registration_number", ["202001012345"], ["1234567-A", "20200101234"]),
        ("TH", "tax_id", ["0105536012345"], ["010553601234", "01055360123456"]),
        ("VN", "tax_code", ["0312345678", "0312345678001", "0312345678-001"], ["031234567"]),
        ("PH", "tin", ["123456789", "123456789000"], ["12345678", "1234567890123"]),
        ("PH", "business_registration", ["CS201912345", "3456789"], ["AB", "cs 2019"]),
        ("SG", "uen", ["53412345D", "201912345K", "T08LL1234A"], ["5341234D", "201912345"]),
    ],
)
def test_kyc_patterns_accept_real_shapes_and_refuse_typos(
    pm: pluggy.PluginManager, country: str, field: str, valid: list[str], invalid: list[str]
) -> None:
    pattern = kyc(pm, country)[field]
    assert all(re.fullmatch(pattern, value) for value in valid)
    assert not any(re.fullmatch(pattern, value) for value in invalid)


def test_indonesian_sellers_give_nib_and_npwp(pm: pluggy.PluginManager) -> None:
    assert set(kyc(pm, "ID")) == {"nib", "npwp"}


def test_philippine_sellers_give_tin_and_registration(pm: pluggy.PluginManager) -> None:
    assert set(kyc(pm, "PH")) == {"tin", "business_registration"}


@pytest.mark.parametrize("hook", ["pasar_features", "pasar_kyc_requirements"])
def test_unserved_countries_get_no_answer(pm: pluggy.PluginManager, hook: str) -> None:
    assert getattr(pm.hook, hook)(country="US") is None
