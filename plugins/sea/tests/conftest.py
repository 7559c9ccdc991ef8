"""Fixtures for the Southeast Asia plugin's tests: a plugin manager holding only this plugin,
so every answer a test sees comes from ``pasar_sea`` and nowhere else."""
from __future__ import annotations

from collections.abc import Callable

import pluggy
import pytest

import pasar.hookspecs
import pasar_sea.plugin
from pasar.contracts import CarrierInfo, PaymentMethod, ProviderContext
from pasar.sandbox.testing import FakeClock, WebhookRecorder, memory_context


@pytest.fixture
def pm() -> pluggy.PluginManager:
    manager = pluggy.PluginManager("pasar")
    manager.add_hookspecs(pasar.hookspecs)
    manager.register(pasar_sea.plugin, "sea")
    manager.check_pending()
    return manager


@pytest.fixture
def provider_context() -> tuple[ProviderContext, WebhookRecorder, FakeClock]:
    return memory_context("sea-test")


@pytest.fixture
def methods_of(pm: pluggy.PluginManager) -> Callable[[str], dict[str, PaymentMethod]]:
    """The payment methods the plugin registers for a country, by code."""

    def collect(country: str) -> dict[str, PaymentMethod]:
        found: list[PaymentMethod] = []
        pm.hook.pasar_register_payment_methods(register=found.append, country=country)
        return {method.code: method for method in found}

    return collect


@pytest.fixture
def carriers_of(pm: pluggy.PluginManager) -> Callable[[str], dict[str, CarrierInfo]]:
    """The carriers the plugin registers for a country, by code."""

    def collect(country: str) -> dict[str, CarrierInfo]:
        found: list[CarrierInfo] = []
        pm.hook.pasar_register_carriers(register=found.append, country=country)
        return {info.code: info for info in found}

    return collect
