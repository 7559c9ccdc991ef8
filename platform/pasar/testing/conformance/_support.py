"""What every conformance check shares: the failure type, the plugin manager it asks, and
small helpers for amounts, sandbox contexts and forged webhooks."""
from __future__ import annotations

import decimal
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pluggy

from pasar import hookspecs
from pasar.contracts import (
    CountryInfo,
    CurrencyRules,
    OutgoingWebhook,
    ProviderContext,
    RegionInfo,
    WebhookError,
)
from pasar.sandbox.testing import WebhookRecorder, memory_context

#: Payment-method and carrier codes: stable lower-case snake_case identifiers.
CODE_PATTERN = re.compile(r"[a-z][a-z0-9_]*")


class ConformanceFailure(AssertionError):
    """A plugin answered something the hook contract does not allow."""


def expect(condition: bool, message: str) -> None:
    """Fail with ``message`` unless ``condition`` holds (plain ``assert`` is not rewritten
    by pytest in this module, and would vanish under ``python -O``)."""
    if not condition:
        raise ConformanceFailure(message)


def resolve(on: date | None) -> date:
    """``None`` stands for today, so parametrize ids stay stable from day to day."""
    return on if on is not None else date.today()


def build_manager(plugin: object, name: str) -> pluggy.PluginManager:
    """A fresh manager with the kernel's hookspecs and only ``plugin``, as a tenant's caller
    sees it; a misspelled hook or a wrong argument name fails here."""
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    try:
        pm.register(plugin, name=name)
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        message = f"plugin {name!r} does not match the hook contract: {exc}"
        raise ConformanceFailure(message) from exc
    return pm


def check_hooks_marked(plugin: object) -> None:
    """Every ``pasar_*`` function carries ``@hookimpl``: pluggy silently ignores one that
    does not, so the kernel would never call it."""
    unmarked = [
        attribute
        for attribute in dir(plugin)
        if attribute.startswith("pasar_")
        and callable(getattr(plugin, attribute))
        and getattr(getattr(plugin, attribute), f"{hookspecs.PROJECT}_impl", None) is None
    ]
    expect(not unmarked, f"functions named like hooks but not decorated with @hookimpl: {unmarked}")


def region_info(pm: pluggy.PluginManager, name: str) -> RegionInfo:
    """The plugin's one ``RegionInfo``, checked for shape."""
    answers = pm.hook.pasar_region_info()
    expect(len(answers) == 1, f"pasar_region_info gave {len(answers)} answers, expected 1")
    info = answers[0]
    expect(isinstance(info, RegionInfo), f"pasar_region_info answered {info!r}, not a RegionInfo")
    expect(info.plugin == name, f"RegionInfo.plugin is {info.plugin!r}, the entry point {name!r}")
    expect(bool(info.title), "RegionInfo.title is empty")
    expect(bool(info.countries), "RegionInfo.countries is empty: the plugin serves nothing")
    codes = [country.code for country in info.countries]
    expect(len(codes) == len(set(codes)), f"RegionInfo lists a country twice: {codes}")
    return info


def served_countries(plugin: object, name: str) -> tuple[CountryInfo, ...]:
    """The countries to parametrize over; empty when the plugin cannot even describe itself
    (the contract and region-info tests then report why)."""
    try:
        return region_info(build_manager(plugin, name), name).countries
    except Exception:  # noqa: BLE001 - any error is reported by the tests that build the manager
        return ()


def registered(hook: Callable[..., Any], country: str) -> list[Any]:
    """What a ``pasar_register_*`` hook registers for ``country``."""
    found: list[Any] = []
    hook(register=found.append, country=country)
    return found


def unit(digits: int) -> Decimal:
    """The smallest amount shown with ``digits`` decimals (``Decimal("0.01")`` for 2)."""
    return Decimal(1).scaleb(-digits)


def is_whole_units(amount: Decimal, digits: int) -> bool:
    """Whether ``amount`` is a whole number of the smallest unit shown (``1100.00`` is fine
    for IDR, ``1100.50`` is not)."""
    return amount == amount.quantize(unit(digits), rounding=decimal.ROUND_DOWN)


def currency_rules(pm: pluggy.PluginManager, country: CountryInfo) -> CurrencyRules:
    """The plugin's currency rules for the country's own currency."""
    rules = pm.hook.pasar_currency_rules(currency=country.currency, country=country.code)
    expect(
        isinstance(rules, CurrencyRules),
        f"pasar_currency_rules({country.currency}, {country.code}) answered {rules!r}",
    )
    return rules


def sandbox_context() -> tuple[ProviderContext, WebhookRecorder]:
    """A ``ProviderContext`` in memory and the recorder of the webhooks sent through it: no
    database, no worker, no network."""
    context, recorder, _clock = memory_context("conformance")
    return context, recorder


def sent_webhooks(recorder: WebhookRecorder, endpoint: str) -> list[OutgoingWebhook]:
    """The webhooks a provider sent to the kernel's ``endpoint`` (payments, payouts, shipping)."""
    return [webhook for webhook in recorder.sent if webhook.endpoint == endpoint]


def tampered(body: bytes) -> bytes:
    """The body with one digit changed (an amount, a time, an id), as a forger would do it.
    The body stays well-formed, so only the signature can tell."""
    for index, byte in enumerate(body):
        if 0x30 <= byte <= 0x39:
            replacement = 0x38 if byte == 0x39 else byte + 1  # never creates a leading zero
            return body[:index] + bytes([replacement]) + body[index + 1 :]
    return body + b" "


def expect_refused(
    verify: Callable[[dict[str, str], bytes], Any], headers: Any, body: bytes, where: str
) -> None:
    """``verify`` must raise ``WebhookError`` (the kernel answers 400 for exactly that) for
    these headers and body."""
    try:
        verify(dict(headers), body)
    except WebhookError:
        return
    except Exception as exc:  # noqa: BLE001 - any other error is the failure being reported
        message = f"{where}: verify_webhook raised {type(exc).__name__} instead of WebhookError"
        raise ConformanceFailure(f"{message}: {exc}") from exc
    raise ConformanceFailure(f"{where}: verify_webhook accepted a forged or broken webhook")
