"""The plugin host: per-tenant hook callers, load errors, contributions from several plugins."""
from __future__ import annotations

import importlib.metadata as md
from datetime import date
from decimal import Decimal
from typing import Any

import pluggy
import pytest

from pasar import hookimpl
from pasar.contracts import (
    CountryInfo,
    PaymentMethod,
    RegionInfo,
    TaxContext,
    TaxLineInput,
    TaxQuote,
)
from pasar.plugins import PluginError, PluginHost, _load_entry_point


def region_plugin(name: str, country: str, rate: str, methods: tuple[str, ...]) -> Any:
    """A tiny in-process region plugin answering for every country it is asked about —
    exactly the kind of plugin a global firstresult call would let leak across tenants."""

    class Plugin:
        @hookimpl
        def pasar_region_info(self) -> RegionInfo:
            info = CountryInfo(country, country, "EUR", ("en_IE",), ("Europe/Dublin",))
            return RegionInfo(name, name, (info,))

        @hookimpl
        def pasar_tax_quote(self, context: TaxContext) -> TaxQuote:
            from pasar.contracts import LineTax

            line = context.lines[0]
            tax = (line.unit_price * Decimal(rate)).quantize(Decimal("0.01"))
            return TaxQuote("EUR", False, (LineTax(line.ref, tax, Decimal(rate), line.unit_price, name, ()),))

        @hookimpl
        def pasar_register_payment_methods(self, register: Any, country: str) -> None:
            for code in methods:
                register(PaymentMethod(code, code, "wallet", "redirect", (country,), ("EUR",)))

    return Plugin()


@pytest.fixture()
def host() -> PluginHost:
    return PluginHost.load(
        entry_points=False,
        extra={
            "alpha": region_plugin("alpha", "IE", "0.23", ("card", "alphapay")),
            "beta": region_plugin("beta", "DE", "0.19", ("betapay",)),
            "gamma": region_plugin("gamma", "DE", "0.05", ("card",)),
        },
    )


def _context() -> TaxContext:
    return TaxContext("IE", "EUR", date(2026, 1, 1), (TaxLineInput("x", "standard", Decimal("100")),))


def test_a_tenant_gets_only_its_own_plugins_first_answer(host: PluginHost) -> None:
    assert host.for_tenant(["alpha"]).tax_quote(_context()).total == Decimal("23.00")
    assert host.for_tenant(["beta"]).tax_quote(_context()).total == Decimal("19.00")


def test_a_tenant_sees_only_its_own_plugins_contributions(host: PluginHost) -> None:
    assert set(host.for_tenant(["alpha"]).payment_methods("IE")) == {"card", "alphapay"}
    assert set(host.for_tenant(["beta"]).payment_methods("DE")) == {"betapay"}


def test_one_code_from_two_plugins_of_a_tenant_is_an_error_naming_both(host: PluginHost) -> None:
    with pytest.raises(PluginError, match="'card'.*'alpha'.*'gamma'|'card'.*'gamma'.*'alpha'"):
        host.for_tenant(["alpha", "gamma"]).payment_methods("DE")


def test_region_answers_are_collected_from_every_plugin_of_a_tenant(host: PluginHost) -> None:
    hooks = host.for_tenant(["alpha", "beta"])
    assert sorted(c.code for c in hooks.countries()) == ["DE", "IE"]


def test_the_kernel_default_answers_currency_rules_when_no_plugin_does(host: PluginHost) -> None:
    rules = host.for_tenant(["alpha"]).currency_rules("JPY", "JP")
    assert (rules.iso_minor_units, rules.rounding) == (0, "ROUND_HALF_UP")


def test_a_tenant_naming_a_missing_plugin_is_refused_with_what_is_installed(host: PluginHost) -> None:
    with pytest.raises(PluginError, match=r"'omega' is not installed \(installed: alpha, beta, gamma\)"):
        host.for_tenant(["omega"])


def test_a_plugin_that_fails_to_import_is_reported_not_skipped() -> None:
    pm = pluggy.PluginManager("pasar")
    ep = md.EntryPoint(name="broken", value="pasar_no_such_module.plugin", group="pasar.plugins")
    desc = _load_entry_point(pm, ep)
    assert desc.error is not None and "ModuleNotFoundError" in desc.error
    host = PluginHost(pm, {"broken": desc})
    with pytest.raises(PluginError, match="'broken' failed to load: ModuleNotFoundError"):
        host.require(["broken"])


def test_a_misspelled_hook_stops_the_start() -> None:
    class Typo:
        @hookimpl
        def pasar_tax_qoute(self, context: Any) -> None:
            return None

    with pytest.raises(pluggy.PluginValidationError, match="pasar_tax_qoute"):
        PluginHost.load(entry_points=False, extra={"typo": Typo()})


def test_installed_lists_each_plugins_hooks(host: PluginHost) -> None:
    alpha = next(d for d in host.installed() if d.name == "alpha")
    assert alpha.hooks == ("pasar_region_info", "pasar_register_payment_methods", "pasar_tax_quote")


def test_lifecycle_events_reach_only_the_tenants_plugins() -> None:
    from pasar.contracts import LifecycleEvent
    from pasar.clock import now

    seen: list[tuple[str, str]] = []

    def listener(name: str) -> Any:
        class Listener:
            @hookimpl
            def pasar_order_paid(self, event: LifecycleEvent) -> None:
                seen.append((name, event.subject_id))

        return Listener()

    host = PluginHost.load(entry_points=False, extra={"one": listener("one"), "two": listener("two")})
    host.for_tenant(["two"]).emit(LifecycleEvent("t", "order.paid", "o-1", now()))
    assert seen == [("two", "o-1")]
