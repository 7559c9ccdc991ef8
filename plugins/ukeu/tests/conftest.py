"""Fixtures for the UK/EU plugin's tests: a plugin manager holding only this plugin, as a
tenant's hook caller sees it, and a sandbox provider context in memory."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pluggy
import pytest

import pasar.hookspecs
import pasar_ukeu.plugin
from pasar.contracts import ProviderContext
from pasar.sandbox.testing import FakeClock, WebhookRecorder, memory_context


@pytest.fixture
def ukeu_pm() -> pluggy.PluginManager:
    pm = pluggy.PluginManager("pasar")
    pm.add_hookspecs(pasar.hookspecs)
    pm.register(pasar_ukeu.plugin, "ukeu")
    pm.check_pending()
    return pm


@pytest.fixture
def sandbox() -> tuple[ProviderContext, WebhookRecorder, FakeClock]:
    return memory_context("uk")


@pytest.fixture
def registered(ukeu_pm: pluggy.PluginManager) -> Callable[[str, str], list[Any]]:
    """What a ``pasar_register_*`` hook (``"payment_methods"`` or ``"carriers"``) registers
    for a country."""

    def collect(kind: str, country: str) -> list[Any]:
        found: list[Any] = []
        getattr(ukeu_pm.hook, f"pasar_register_{kind}")(register=found.append, country=country)
        return found

    return collect
