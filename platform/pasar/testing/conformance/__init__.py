"""The conformance suite a region plugin runs in its own tests.

A plugin proves it keeps the contract of ``pasar.hookspecs`` by subclassing one class::

    import pasar_kenya.plugin          # your plugin's hook module
    from pasar.testing.conformance import RegionPluginConformance

    class TestKenyaConformance(RegionPluginConformance):
        plugin = pasar_kenya.plugin
        name = "kenya"                 # its entry-point name

Every check is a plain ``check_*`` function that raises ``ConformanceFailure`` (an
``AssertionError``) with a message naming the country, category, method or carrier at fault,
so the kit itself is tested against deliberately broken plugins and a plugin author can call
one check directly while fixing it. The test class only parametrizes them: one test per
country, per tax case, per payment method and per carrier, with readable ids such as
``test_tax_quote[US-CA-clothing-2024-01-01]``.

The checks ask each hook what the kernel will ask it — through a fresh plugin manager holding
only the plugin under test, as a tenant's caller would — and compare the answers with what
babel, ``zoneinfo``, ``decimal`` and ``pasar.contracts`` say is valid. Providers are driven
through ``pasar.sandbox.testing.memory_context``, so no check touches a network or a database.
"""
from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

import pluggy
import pytest

from pasar.contracts import CountryInfo
from pasar.testing.conformance._support import (
    ConformanceFailure,
    build_manager,
    check_hooks_marked,
    expect,
    region_info,
    resolve,
    served_countries,
)
from pasar.testing.conformance.payments import (
    check_payment_gateway,
    check_payment_method,
    check_payment_methods,
    check_payout_provider,
    payment_methods,
)
from pasar.testing.conformance.region import (
    RULE_DATES,
    UNSERVED_COUNTRY,
    check_consumer_rules,
    check_country_info,
    check_currency_rules,
    check_features,
    check_kyc,
    check_locale_dirs,
    check_tax_label,
    check_unserved_country,
)
from pasar.testing.conformance.shipping import carriers, check_carrier, check_carriers
from pasar.testing.conformance.tax import (
    TAX_DATES,
    TaxCase,
    check_line_tax,
    check_tax_quote,
    check_withholding,
    foreign_seller_cases,
    tax_cases,
)

__all__ = [
    "RULE_DATES",
    "TAX_DATES",
    "UNSERVED_COUNTRY",
    "ConformanceFailure",
    "RegionPluginConformance",
    "TaxCase",
    "build_manager",
    "check_carrier",
    "check_carriers",
    "check_consumer_rules",
    "check_country_info",
    "check_currency_rules",
    "check_features",
    "check_hooks_marked",
    "check_kyc",
    "check_line_tax",
    "check_locale_dirs",
    "check_payment_gateway",
    "check_payment_method",
    "check_payment_methods",
    "check_payout_provider",
    "check_tax_label",
    "check_tax_quote",
    "check_unserved_country",
    "check_withholding",
    "foreign_seller_cases",
    "region_info",
    "tax_cases",
]


def _parameters(plugin: object, name: str, argname: str) -> tuple[list[Any], list[str]]:
    """The parameter values and ids a conformance test named by ``argname`` runs over."""
    countries = served_countries(plugin, name)
    if argname == "country":
        return list(countries), [country.code for country in countries]
    if argname in ("tax_case", "foreign_tax_case"):
        cases = tax_cases(countries) if argname == "tax_case" else foreign_seller_cases(countries)
        return cases, [case.id for case in cases]
    listing = payment_methods if argname == "payment_method" else carriers
    try:
        pm = build_manager(plugin, name)
        pairs = [
            (country, item.code)
            for country in countries
            for item in listing(pm, country)
            if isinstance(getattr(item, "code", None), str)
        ]
    except Exception:  # noqa: BLE001 - reported by test_payment_methods / test_carriers
        return [], []
    return pairs, [f"{country.code}-{code}" for country, code in pairs]


class RegionPluginConformance:
    """Subclass it in a plugin's tests and set ``plugin`` (the module with the
    ``@hookimpl`` functions) and ``name`` (its ``pasar.plugins`` entry-point name).

    The base class is not collected (``__test__ = False``); every subclass is.
    """

    __test__: ClassVar[bool] = False
    plugin: ClassVar[object] = None
    name: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "__test__" not in cls.__dict__:
            cls.__test__ = True

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        """Parametrize by country, tax case, payment method or carrier, with readable ids."""
        for argname in ("country", "tax_case", "foreign_tax_case", "payment_method", "carrier"):
            if argname in metafunc.fixturenames:
                values, ids = _parameters(self.plugin, self.name, argname)
                metafunc.parametrize(argname, values, ids=ids)

    @pytest.fixture
    def conformance_pm(self) -> pluggy.PluginManager:
        return build_manager(self.plugin, self.name)

    def test_hooks_match_the_contract(self) -> None:
        expect(
            self.plugin is not None and bool(self.name),
            f"{type(self).__name__} must set `plugin` (the hookimpl module) and `name`",
        )
        check_hooks_marked(self.plugin)
        build_manager(self.plugin, self.name)

    def test_region_info_describes_the_plugin(self, conformance_pm: pluggy.PluginManager) -> None:
        region_info(conformance_pm, self.name)

    def test_country_codes_locales_and_time_zones(self, country: CountryInfo) -> None:
        check_country_info(country)

    def test_currency_rules_follow_iso(
        self, conformance_pm: pluggy.PluginManager, country: CountryInfo
    ) -> None:
        check_currency_rules(conformance_pm, country)

    def test_features_are_known(
        self, conformance_pm: pluggy.PluginManager, country: CountryInfo
    ) -> None:
        check_features(conformance_pm, country)

    @pytest.mark.parametrize("on", RULE_DATES, ids=lambda on: str(on or "today"))
    def test_consumer_rules_on_any_date(
        self, conformance_pm: pluggy.PluginManager, country: CountryInfo, on: date | None
    ) -> None:
        check_consumer_rules(conformance_pm, country, resolve(on))

    def test_kyc_fields_validate(
        self, conformance_pm: pluggy.PluginManager, country: CountryInfo
    ) -> None:
        check_kyc(conformance_pm, country)

    def test_tax_quote(self, conformance_pm: pluggy.PluginManager, tax_case: TaxCase) -> None:
        check_tax_quote(conformance_pm, tax_case)

    def test_tax_quote_for_a_seller_abroad(
        self, conformance_pm: pluggy.PluginManager, foreign_tax_case: TaxCase
    ) -> None:
        check_tax_quote(conformance_pm, foreign_tax_case)

    def test_withholding_is_a_list(
        self, conformance_pm: pluggy.PluginManager, country: CountryInfo
    ) -> None:
        check_withholding(conformance_pm, country)

    def test_payment_methods_are_valid(
        self, conformance_pm: pluggy.PluginManager, country: CountryInfo
    ) -> None:
        check_payment_methods(conformance_pm, country)

    def test_payment_gateway(
        self, conformance_pm: pluggy.PluginManager, payment_method: tuple[CountryInfo, str]
    ) -> None:
        check_payment_gateway(conformance_pm, *payment_method)

    def test_payout_provider(
        self, conformance_pm: pluggy.PluginManager, country: CountryInfo
    ) -> None:
        check_payout_provider(conformance_pm, country)

    def test_carriers_are_valid(
        self, conformance_pm: pluggy.PluginManager, country: CountryInfo
    ) -> None:
        check_carriers(conformance_pm, country)

    def test_carrier_quotes_ships_and_tracks(
        self, conformance_pm: pluggy.PluginManager, carrier: tuple[CountryInfo, str]
    ) -> None:
        check_carrier(conformance_pm, *carrier)

    def test_locale_dirs_exist(self, conformance_pm: pluggy.PluginManager) -> None:
        check_locale_dirs(conformance_pm)

    def test_unserved_country_gets_no_answer(self, conformance_pm: pluggy.PluginManager) -> None:
        check_unserved_country(conformance_pm, region_info(conformance_pm, self.name).countries)
