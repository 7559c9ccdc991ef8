"""The conformance kit (``pasar.testing.conformance``) passes a correct plugin and catches
broken ones.

``ExamplePlugin`` is a small, correct region plugin written in the test. Its rates and limits
are fictional on purpose: the kit checks that answers are consistent with the contract, not
that they are the law. Each broken plugin below changes exactly one answer of it, and the test
asserts that the check responsible fails with a message naming what is wrong.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from pasar import hookimpl
from pasar.contracts import (
    TAX_CATEGORIES,
    CarrierInfo,
    ConsumerRules,
    CountryInfo,
    CurrencyRules,
    FeatureSet,
    KycField,
    KycRequirements,
    LineTax,
    PaymentMethod,
    ProviderContext,
    RegionInfo,
    TaxComponent,
    TaxContext,
    TaxLineInput,
    TaxQuote,
    WebhookEvent,
    Withholding,
    WithholdingContext,
)
from pasar.sandbox import (
    RateTable,
    SandboxCarrier,
    SandboxGateway,
    SandboxPayoutProvider,
    ServiceLevel,
    ZoneRate,
    signing,
)
from pasar.testing import conformance
from pasar.testing.conformance import ConformanceFailure, RegionPluginConformance, TaxCase

CENT = Decimal("0.01")
KENYA = CountryInfo("KE", "Kenya", "KES", ("en_KE", "sw_KE"), ("Africa/Nairobi",))
CANADA = CountryInfo(
    "CA", "Canada", "CAD", ("en_CA", "fr_CA"), ("America/Toronto",), subdivisions=("ON", "QC")
)
COUNTRIES = {country.code: country for country in (KENYA, CANADA)}
# Fictional rates: Kenya shows tax-inclusive prices, Canada adds a federal and a provincial
# component at checkout.
KENYA_RATES = {category: Decimal("0.10") for category in TAX_CATEGORIES} | {"food": Decimal(0)}
CANADA_FEDERAL = Decimal("0.05")
CANADA_PROVINCIAL = {"ON": Decimal("0.08"), "QC": Decimal("0.0975")}


def _methods(country: CountryInfo) -> tuple[PaymentMethod, ...]:
    where = {"countries": (country.code,), "currencies": (country.currency,)}
    return (
        PaymentMethod("card", "Card", "card", "direct", **where),
        PaymentMethod("wallet", "Example wallet", "wallet", "redirect", **where),
        PaymentMethod("bank_va", "Virtual account", "virtual_account", "async", **where),
        PaymentMethod(
            "cod",
            "Cash on delivery",
            "cod",
            "on_delivery",
            max_amount=Decimal(500),
            excluded_categories=("digital", "luxury"),
            requires_features=("cash_on_delivery",),
            **where,
        ),
    )


def _carrier_info(country: CountryInfo) -> CarrierInfo:
    return CarrierInfo(f"post_{country.code.lower()}", "Example Post", (country.code,),
                       ("standard", "express"), cod=True)


def _rates(currency: str) -> RateTable:
    zones = {
        zone: ZoneRate(zone, 1000, Decimal(first), 500, Decimal(2), low, high)
        for zone, first, low, high in (("local", 4, 1, 2), ("regional", 6, 2, 3),
                                      ("national", 8, 2, 5), ("international", 30, 5, 12))
    }
    services = (ServiceLevel("standard", Decimal(1)), ServiceLevel("express", Decimal("1.5"), 1))
    return RateTable(currency, zones, services)


def _inclusive_line(line: TaxLineInput, rate: Decimal) -> LineTax:
    total = line.unit_price * line.quantity
    tax = (total * rate / (1 + rate)).quantize(CENT, rounding=ROUND_HALF_UP)
    rule = f"Example VAT {rate * 100}% ({line.category})"
    return LineTax(line.ref, tax, rate, total - tax, rule, ())


def _exclusive_line(line: TaxLineInput, province: str) -> LineTax:
    total = line.unit_price * line.quantity
    parts = (("federal", CANADA_FEDERAL), (province, CANADA_PROVINCIAL[province]))
    components = tuple(
        TaxComponent(name, rate, (total * rate).quantize(CENT, rounding=ROUND_HALF_UP))
        for name, rate in parts
    )
    tax = sum((component.amount for component in components), Decimal(0))
    rate = CANADA_FEDERAL + CANADA_PROVINCIAL[province]
    return LineTax(line.ref, tax, rate, total, f"Example sales tax ({line.category})", (),
                   components)


class ExamplePlugin:
    """A correct two-country region plugin, built from the sandbox providers."""

    @hookimpl
    def pasar_region_info(self) -> RegionInfo:
        return RegionInfo("example", "Example region", (KENYA, CANADA))

    @hookimpl
    def pasar_currency_rules(self, currency: str, country: str) -> CurrencyRules | None:
        served = COUNTRIES.get(country)
        if served is None or served.currency != currency:
            return None
        return CurrencyRules(currency, 2, 2, cash_increment=5 if country == "CA" else 0)

    @hookimpl
    def pasar_features(self, country: str) -> FeatureSet | None:
        if country not in COUNTRIES:
            return None
        return FeatureSet(country, frozenset({"short_video", "cash_on_delivery"}),
                          notes={"ads": "not offered in the example"})

    @hookimpl
    def pasar_consumer_rules(self, country: str, on: date) -> ConsumerRules | None:
        if country not in COUNTRIES:
            return None
        display = "inclusive" if country == "KE" else "exclusive"
        return ConsumerRules(country, 14, "platform", display)

    @hookimpl
    def pasar_kyc_requirements(self, country: str) -> KycRequirements | None:
        if country not in COUNTRIES:
            return None
        fields = (KycField("registration_number", "Registration number", r"[A-Z0-9]{6,12}"),)
        return KycRequirements(country, fields, ("business_licence",))

    @hookimpl
    def pasar_locale_dirs(self) -> list[str]:
        return [str(Path(__file__).parent)]

    @hookimpl
    def pasar_tax_quote(self, context: TaxContext) -> TaxQuote | None:
        if context.country == "KE":
            lines = tuple(_inclusive_line(line, KENYA_RATES[line.category])
                          for line in context.lines)
            return TaxQuote(context.currency, True, lines)
        if context.country == "CA" and context.subdivision in CANADA_PROVINCIAL:
            lines = tuple(_exclusive_line(line, context.subdivision) for line in context.lines)
            return TaxQuote(context.currency, False, lines)
        return None

    @hookimpl
    def pasar_marketplace_withholding(self, context: WithholdingContext) -> list[Withholding]:
        if context.country != "KE" or context.seller_kind == "business":
            return []
        rate = Decimal("0.015")
        amount = (context.gross * rate).quantize(CENT, rounding=ROUND_HALF_UP)
        return [Withholding("Example withholding", rate, amount, "example 1.5%", ())]

    @hookimpl
    def pasar_register_payment_methods(
        self, register: Callable[[PaymentMethod], None], country: str
    ) -> None:
        if country in COUNTRIES:
            for method in _methods(COUNTRIES[country]):
                register(method)

    @hookimpl
    def pasar_payment_gateway(self, method: str, context: ProviderContext) -> Any:
        methods = {m.code: m for m in _methods(KENYA)}
        if method not in methods:
            return None
        merged = {code: _merged(m) for code, m in methods.items()}
        return SandboxGateway(code="example_psp", provider_name="Example PSP", methods=merged,
                              context=context)

    @hookimpl
    def pasar_payout_provider(self, country: str, context: ProviderContext) -> Any:
        served = COUNTRIES.get(country)
        if served is None:
            return None
        return SandboxPayoutProvider(code=f"payouts_{country.lower()}", country=country,
                                     currency=served.currency, context=context,
                                     account_pattern=r"[0-9]{8,14}")

    @hookimpl
    def pasar_register_carriers(
        self, register: Callable[[CarrierInfo], None], country: str
    ) -> None:
        if country in COUNTRIES:
            register(_carrier_info(COUNTRIES[country]))

    @hookimpl
    def pasar_carrier(self, code: str, context: ProviderContext) -> Any:
        for country in COUNTRIES.values():
            info = _carrier_info(country)
            if info.code == code:
                return SandboxCarrier(info=info, rates=_rates(country.currency), context=context,
                                      tracking_prefix=country.code)
        return None


def _merged(method: PaymentMethod) -> PaymentMethod:
    """The gateway serves the method in both countries."""
    return PaymentMethod(
        method.code, method.name, method.kind, method.flow, tuple(COUNTRIES),
        tuple(c.currency for c in COUNTRIES.values()), method.min_amount, method.max_amount,
        method.excluded_categories, method.requires_features,
    )


class TestExamplePluginConformance(RegionPluginConformance):
    """The whole suite, collected from a subclass exactly as a plugin's tests would."""

    plugin = ExamplePlugin()
    name = "example"


# ---------------------------------------------------------------------------------------------
# How the suite is collected
# ---------------------------------------------------------------------------------------------


def test_the_base_class_is_not_collected_but_subclasses_are() -> None:
    assert RegionPluginConformance.__test__ is False
    assert TestExamplePluginConformance.__test__ is True


def test_tax_cases_cover_every_category_subdivision_and_date() -> None:
    cases = conformance.tax_cases([KENYA, CANADA])
    per_place = len(TAX_CATEGORIES) * len(conformance.TAX_DATES)
    assert len(cases) == per_place * (1 + 2)
    ids = {case.id for case in cases}
    assert {"KE-food-2024-01-01", "CA-QC-luxury-today", "CA-ON-books-2030-12-31"} <= ids


def test_foreign_seller_cases_use_a_country_the_plugin_does_not_serve() -> None:
    china = CountryInfo("CN", "China", "CNY", ("zh_Hans_CN",), ("Asia/Shanghai",))

    assert [case.id for case in conformance.foreign_seller_cases([KENYA, CANADA])] == [
        "KE-standard-today-from-CN", "CA-ON-standard-today-from-CN", "CA-QC-standard-today-from-CN"
    ]
    assert {case.seller_country for case in conformance.foreign_seller_cases([china])} == {"JP"}


# ---------------------------------------------------------------------------------------------
# Broken plugins and the check that catches each
# ---------------------------------------------------------------------------------------------


def manager(plugin: object) -> Any:
    return conformance.build_manager(plugin, "example")


class MisspelledHook(ExamplePlugin):
    @hookimpl
    def pasar_tax_qoute(self, context: TaxContext) -> None:
        return None


class WrongArgumentName(ExamplePlugin):
    @hookimpl
    def pasar_features(self, country_code: str) -> None:
        return None


class UnmarkedHook(ExamplePlugin):
    def pasar_kyc_requirements(self, country: str) -> None:
        return None


def test_a_misspelled_hook_fails_the_contract_check() -> None:
    with pytest.raises(ConformanceFailure, match="pasar_tax_qoute"):
        manager(MisspelledHook())


def test_a_hook_with_a_wrong_argument_name_fails_the_contract_check() -> None:
    with pytest.raises(ConformanceFailure, match="country_code"):
        manager(WrongArgumentName())


def test_a_hook_without_hookimpl_is_reported() -> None:
    with pytest.raises(ConformanceFailure, match="pasar_kyc_requirements"):
        conformance.check_hooks_marked(UnmarkedHook())


class WrongPluginName(ExamplePlugin):
    @hookimpl
    def pasar_region_info(self) -> RegionInfo:
        return RegionInfo("other", "Example region", (KENYA,))


def test_region_info_must_name_the_entry_point() -> None:
    with pytest.raises(ConformanceFailure, match="'other'"):
        conformance.region_info(manager(WrongPluginName()), "example")


@pytest.mark.parametrize(
    ("country", "message"),
    [
        (CountryInfo("XX", "Nowhere", "KES", ("en_KE",), ("Africa/Nairobi",)), "XX"),
        (CountryInfo("KE", "Kenya", "KSH", ("en_KE",), ("Africa/Nairobi",)), "KSH"),
        (CountryInfo("KE", "Kenya", "EUR", ("en_KE",), ("Africa/Nairobi",)), "not in use"),
        (CountryInfo("TH", "Thailand", "THB", ("en_TH",), ("Asia/Bangkok",)), "en_TH"),
        (CountryInfo("KE", "Kenya", "KES", ("en_KE",), ("Africa/Nairobbi",)), "Nairobbi"),
        (CountryInfo("KE", "Kenya", "KES", (), ("Africa/Nairobi",)), "locales is empty"),
    ],
    ids=["unknown-country", "unknown-currency", "foreign-currency", "unknown-locale",
         "bad-time-zone", "no-locale"],
)
def test_bad_country_info_is_reported(country: CountryInfo, message: str) -> None:
    with pytest.raises(ConformanceFailure, match=message):
        conformance.check_country_info(country)


class WrongMinorUnits(ExamplePlugin):
    @hookimpl
    def pasar_currency_rules(self, currency: str, country: str) -> CurrencyRules | None:
        return CurrencyRules(currency, 0, 0) if country in COUNTRIES else None


class BadRoundingName(ExamplePlugin):
    @hookimpl
    def pasar_currency_rules(self, currency: str, country: str) -> CurrencyRules | None:
        return CurrencyRules(currency, 2, 2, rounding="HALF_UP") if country in COUNTRIES else None


def test_iso_minor_units_must_match_babel() -> None:
    with pytest.raises(ConformanceFailure, match="ISO 4217 says 2"):
        conformance.check_currency_rules(manager(WrongMinorUnits()), KENYA)


def test_rounding_must_name_a_decimal_mode() -> None:
    with pytest.raises(ConformanceFailure, match="HALF_UP"):
        conformance.check_currency_rules(manager(BadRoundingName()), KENYA)


class UnknownFeature(ExamplePlugin):
    @hookimpl
    def pasar_features(self, country: str) -> FeatureSet | None:
        if country not in COUNTRIES:
            return None
        return FeatureSet(country, frozenset({"short_video", "teleport"}))


def test_an_unknown_feature_is_reported() -> None:
    with pytest.raises(ConformanceFailure, match="teleport"):
        conformance.check_features(manager(UnknownFeature()), KENYA)


class BadKycPattern(ExamplePlugin):
    @hookimpl
    def pasar_kyc_requirements(self, country: str) -> KycRequirements | None:
        fields = (KycField("tax_pin", "Tax PIN", "[A-Z0-9"),)
        return KycRequirements(country, fields, ()) if country in COUNTRIES else None


def test_a_kyc_pattern_that_does_not_compile_is_reported() -> None:
    with pytest.raises(ConformanceFailure, match="tax_pin"):
        conformance.check_kyc(manager(BadKycPattern()), KENYA)


class ConsumerRulesOnlyToday(ExamplePlugin):
    @hookimpl
    def pasar_consumer_rules(self, country: str, on: date) -> ConsumerRules | None:
        if on != date.today():
            return None
        return super().pasar_consumer_rules(country, on)


def test_consumer_rules_must_answer_for_past_and_future_dates() -> None:
    with pytest.raises(ConformanceFailure, match="2030-12-31"):
        conformance.check_consumer_rules(manager(ConsumerRulesOnlyToday()), KENYA,
                                         date(2030, 12, 31))


class LabelledTax(ExamplePlugin):
    """Kenya names its tax, Canada (as the example) does not."""

    def __init__(self, label: object = "VAT") -> None:
        self.label = label

    @hookimpl
    def pasar_consumer_rules(self, country: str, on: date) -> ConsumerRules | None:
        rules = super().pasar_consumer_rules(country, on)
        if rules is None or country != "KE":
            return rules
        return replace(rules, tax_label=self.label)


def test_a_plugin_that_names_no_tax_label_conforms() -> None:
    rules = ExamplePlugin().pasar_consumer_rules("KE", date.today())
    assert rules is not None and rules.tax_label == ""
    conformance.check_consumer_rules(manager(ExamplePlugin()), KENYA, date.today())


def test_a_short_tax_label_conforms() -> None:
    conformance.check_consumer_rules(manager(LabelledTax("VAT")), KENYA, date.today())
    conformance.check_consumer_rules(manager(LabelledTax("VAT")), CANADA, date.today())


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("incl. %s", "placeholder"),
        ("{tax}", "placeholder"),
        (" VAT", "one trimmed line"),
        ("VAT\nincluded", "one trimmed line"),
        ("Value added tax as charged by the Kenya Revenue Authority", "longer than"),
        (None, "not a string"),
    ],
)
def test_a_tax_label_that_is_not_a_short_name_is_reported(label: object, message: str) -> None:
    with pytest.raises(ConformanceFailure, match=message):
        conformance.check_consumer_rules(manager(LabelledTax(label)), KENYA, date.today())


class TooManyDecimals(ExamplePlugin):
    @hookimpl
    def pasar_tax_quote(self, context: TaxContext) -> TaxQuote | None:
        lines = tuple(
            LineTax(line.ref, line.unit_price * line.quantity * Decimal("0.1") / Decimal("1.1"),
                    Decimal("0.1"), line.unit_price, "unrounded VAT", ())
            for line in context.lines
        )
        return TaxQuote(context.currency, True, lines) if context.country == "KE" else None


class ExclusiveTaxOffItsRate(ExamplePlugin):
    @hookimpl
    def pasar_tax_quote(self, context: TaxContext) -> TaxQuote | None:
        quote = super().pasar_tax_quote(context)
        if quote is None or context.country != "CA":
            return quote
        lines = tuple(
            LineTax(line.ref, line.tax, line.rate / 2, line.taxable_base, line.rule, ())
            for line in quote.lines
        )
        return TaxQuote(quote.currency, False, lines)


class FirstCategoryOnly(ExamplePlugin):
    @hookimpl
    def pasar_tax_quote(self, context: TaxContext) -> TaxQuote | None:
        if any(line.category != "standard" for line in context.lines):
            return None
        return super().pasar_tax_quote(context)


class ExclusiveWhereDisplayIsInclusive(ExamplePlugin):
    @hookimpl
    def pasar_tax_quote(self, context: TaxContext) -> TaxQuote | None:
        quote = super().pasar_tax_quote(context)
        if quote is None or context.country != "KE":
            return quote
        lines = tuple(
            LineTax(line.ref, ((line.taxable_base + line.tax) * line.rate).quantize(CENT),
                    line.rate, line.taxable_base + line.tax, line.rule, ())
            for line in quote.lines
        )
        return TaxQuote(quote.currency, False, lines)


def test_tax_with_more_decimals_than_the_display_precision_is_reported() -> None:
    case = TaxCase(KENYA, None, "standard", date(2024, 1, 1))
    with pytest.raises(ConformanceFailure, match="more decimals than display_minor_units=2"):
        conformance.check_tax_quote(manager(TooManyDecimals()), case)


def test_exclusive_tax_must_equal_price_times_rate() -> None:
    case = TaxCase(CANADA, "QC", "books", None)
    with pytest.raises(ConformanceFailure, match="CA-QC books"):
        conformance.check_tax_quote(manager(ExclusiveTaxOffItsRate()), case)


def test_a_category_without_an_answer_is_reported() -> None:
    case = TaxCase(KENYA, None, "childrens_clothing", date(2030, 12, 31))
    with pytest.raises(ConformanceFailure, match="KE childrens_clothing on 2030-12-31"):
        conformance.check_tax_quote(manager(FirstCategoryOnly()), case)


def test_quote_display_must_agree_with_consumer_rules() -> None:
    case = TaxCase(KENYA, None, "standard", None)
    with pytest.raises(ConformanceFailure, match="prices display inclusive"):
        conformance.check_tax_quote(manager(ExclusiveWhereDisplayIsInclusive()), case)


class WithholdingNone(ExamplePlugin):
    @hookimpl
    def pasar_marketplace_withholding(self, context: WithholdingContext) -> None:
        return None


def test_withholding_must_be_a_list_even_when_empty() -> None:
    with pytest.raises(ConformanceFailure, match="never None"):
        conformance.check_withholding(manager(WithholdingNone()), KENYA)


class CashOnDeliveryWithoutFeature(ExamplePlugin):
    @hookimpl
    def pasar_features(self, country: str) -> FeatureSet | None:
        return FeatureSet(country, frozenset({"short_video"})) if country in COUNTRIES else None


class UnknownPaymentKind(ExamplePlugin):
    @hookimpl
    def pasar_register_payment_methods(
        self, register: Callable[[PaymentMethod], None], country: str
    ) -> None:
        if country in COUNTRIES:
            register(PaymentMethod("crypto", "Crypto", "crypto", "async", (country,),
                                   (COUNTRIES[country].currency,)))


def test_a_method_needing_a_feature_the_country_lacks_is_reported() -> None:
    with pytest.raises(ConformanceFailure, match="'cod'.*cash_on_delivery"):
        conformance.check_payment_methods(manager(CashOnDeliveryWithoutFeature()), KENYA)


def test_an_unknown_payment_kind_is_reported() -> None:
    with pytest.raises(ConformanceFailure, match="kind 'crypto'"):
        conformance.check_payment_methods(manager(UnknownPaymentKind()), KENYA)


class TrustingGateway(SandboxGateway):
    """Signs whatever body arrives before checking it: it trusts every webhook."""

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> WebhookEvent:
        now = int(self.context.clock().timestamp())
        forged = {**headers, signing.SIGNATURE_HEADER: signing.sign(self.context.secret, body, now)}
        return super().verify_webhook(forged, body)


class TrustsForgedWebhooks(ExamplePlugin):
    @hookimpl
    def pasar_payment_gateway(self, method: str, context: ProviderContext) -> Any:
        gateway = super().pasar_payment_gateway(method, context)
        if gateway is None:
            return None
        return TrustingGateway(code=gateway.code, provider_name="Trusting",
                               methods=gateway.methods, context=context)


def test_a_gateway_that_accepts_forged_webhooks_is_reported() -> None:
    with pytest.raises(ConformanceFailure, match="'card'"):
        conformance.check_payment_gateway(manager(TrustsForgedWebhooks()), KENYA, "card")


def test_every_flow_of_the_example_gateway_conforms() -> None:
    pm = manager(ExamplePlugin())
    for method in _methods(KENYA):
        conformance.check_payment_gateway(pm, KENYA, method.code)


class CarrierWithoutProvider(ExamplePlugin):
    @hookimpl
    def pasar_carrier(self, code: str, context: ProviderContext) -> None:
        return None


def test_a_registered_carrier_without_a_provider_is_reported() -> None:
    with pytest.raises(ConformanceFailure, match="post_ke"):
        conformance.check_carrier(manager(CarrierWithoutProvider()), KENYA, "post_ke")


class MissingLocaleDir(ExamplePlugin):
    @hookimpl
    def pasar_locale_dirs(self) -> list[str]:
        return [str(Path(__file__).parent / "no-such-locales")]


def test_a_missing_locale_dir_is_reported() -> None:
    with pytest.raises(ConformanceFailure, match="no-such-locales"):
        conformance.check_locale_dirs(manager(MissingLocaleDir()))


class AnswersForEveryCountry(ExamplePlugin):
    @hookimpl
    def pasar_features(self, country: str) -> FeatureSet:
        return FeatureSet(country, frozenset({"short_video"}))

    @hookimpl
    def pasar_register_carriers(
        self, register: Callable[[CarrierInfo], None], country: str
    ) -> None:
        register(_carrier_info(KENYA))


def test_answers_for_a_country_the_plugin_does_not_serve_are_reported() -> None:
    with pytest.raises(ConformanceFailure, match="pasar_features"):
        conformance.check_unserved_country(manager(AnswersForEveryCountry()), (KENYA, CANADA))
