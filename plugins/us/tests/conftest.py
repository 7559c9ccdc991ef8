"""Fixtures for the US plugin's tests: a plugin manager holding only this plugin (as a tenant's
caller would), a tax-quote helper and an in-memory sandbox context."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pluggy
import pytest

import pasar.hookspecs
import pasar_us.plugin
from pasar.contracts import ProviderContext, TaxContext, TaxLineInput, TaxQuote
from pasar.sandbox.testing import FakeClock, WebhookRecorder, memory_context

#: An ordinary day inside the plugin's rate tables.
DAY = date(2026, 3, 2)


@pytest.fixture
def pm() -> pluggy.PluginManager:
    manager = pluggy.PluginManager(pasar.hookspecs.PROJECT)
    manager.add_hookspecs(pasar.hookspecs)
    manager.register(pasar_us.plugin, "us")
    manager.check_pending()
    return manager


@pytest.fixture
def quote(pm: pluggy.PluginManager) -> Callable[..., TaxQuote]:
    """``quote("NY", ("clothing", "50.00", 2), city="Brooklyn", on=...)``: one line per
    ``(category, unit price, quantity)`` tuple, refs ``line-1``, ``line-2``, ..."""

    def ask(
        state: str | None,
        *lines: tuple[str, str, int],
        city: str | None = None,
        on: date = DAY,
        **extra: object,
    ) -> TaxQuote:
        inputs = tuple(
            TaxLineInput(f"line-{n}", category, Decimal(price), quantity)
            for n, (category, price, quantity) in enumerate(lines, start=1)
        )
        context = TaxContext(
            country="US", currency="USD", on=on, lines=inputs, subdivision=state, city=city,
            **extra,  # type: ignore[arg-type]
        )
        return pm.hook.pasar_tax_quote(context=context)

    return ask


@pytest.fixture
def sandbox() -> tuple[ProviderContext, WebhookRecorder, FakeClock]:
    return memory_context("us")
