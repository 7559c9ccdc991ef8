"""Checks of what a plugin says about its countries: codes, currency rules, features,
consumer rules, KYC, catalogs, and silence about countries it does not serve."""
from __future__ import annotations

import decimal
import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import babel
import babel.numbers
import pluggy

from pasar.contracts import (
    FEATURES,
    ConsumerRules,
    CountryInfo,
    FeatureSet,
    KycRequirements,
    TaxContext,
    TaxLineInput,
    WithholdingContext,
)
from pasar.testing.conformance._support import (
    ConformanceFailure,
    currency_rules,
    expect,
    registered,
    sandbox_context,
)

#: The dates consumer rules are asked for (``None`` is today).
RULE_DATES: tuple[date | None, ...] = (date(2020, 1, 1), None, date(2030, 12, 31))
#: A country no region plugin serves: every pick-one hook must answer ``None`` for it.
UNSERVED_COUNTRY = "AQ"
#: The rounding modes ``decimal`` names (``ROUND_HALF_UP``, ``ROUND_HALF_EVEN``, ...).
_ROUNDING_MODES = frozenset(name for name in dir(decimal) if name.startswith("ROUND_"))


def check_country_info(country: CountryInfo) -> None:
    """ISO codes babel knows, a currency in use there, loadable locales and time zones."""
    code = country.code
    expect(re.fullmatch(r"[A-Z]{2}", code) is not None, f"{code!r} is not an ISO 3166 alpha-2 code")
    expect(code in babel.Locale("en").territories, f"{code}: babel does not know the country")
    expect(bool(country.name), f"{code}: CountryInfo.name is empty")
    expect(
        country.currency in babel.numbers.list_currencies(),
        f"{code}: {country.currency!r} is not an ISO 4217 currency babel knows",
    )
    in_use = babel.numbers.get_territory_currencies(code, date.today())
    expect(country.currency in in_use, f"{code}: {country.currency} is not in use there {in_use}")
    expect(bool(country.locales), f"{code}: CountryInfo.locales is empty")
    for identifier in country.locales:
        _check_locale(code, identifier)
    expect(bool(country.timezones), f"{code}: CountryInfo.timezones is empty")
    for zone in country.timezones:
        _check_timezone(code, zone)
    expect(
        len(set(country.subdivisions)) == len(country.subdivisions)
        and all(country.subdivisions),
        f"{code}: subdivisions must be unique and non-empty: {country.subdivisions}",
    )


def _check_locale(code: str, identifier: str) -> None:
    try:
        babel.Locale.parse(identifier)
    except (babel.UnknownLocaleError, ValueError, TypeError) as exc:
        raise ConformanceFailure(f"{code}: babel cannot load locale {identifier!r}: {exc}") from exc


def _check_timezone(code: str, zone: str) -> None:
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConformanceFailure(f"{code}: {zone!r} is not an IANA time zone") from exc


def check_currency_rules(pm: pluggy.PluginManager, country: CountryInfo) -> None:
    """ISO storage exponent, a display exponent no finer than ISO, named rounding modes."""
    rules = currency_rules(pm, country)
    where = f"{country.code}/{country.currency}"
    iso = babel.numbers.get_currency_precision(country.currency)
    expect(rules.currency == country.currency, f"{where}: rules are for {rules.currency}")
    expect(
        rules.iso_minor_units == iso,
        f"{where}: iso_minor_units is {rules.iso_minor_units}, ISO 4217 says {iso}",
    )
    expect(
        0 <= rules.display_minor_units <= rules.iso_minor_units,
        f"{where}: display_minor_units {rules.display_minor_units} is not within 0..{iso}",
    )
    for field_name in ("rounding", "cash_rounding"):
        mode = getattr(rules, field_name)
        expect(mode in _ROUNDING_MODES, f"{where}: {field_name} {mode!r} is not a decimal mode")
    expect(rules.cash_increment >= 0, f"{where}: cash_increment {rules.cash_increment} < 0")
    if rules.format_pattern is not None:
        _check_pattern(country, rules.format_pattern)


def _check_pattern(country: CountryInfo, pattern: str) -> None:
    try:
        babel.numbers.format_currency(
            Decimal("1234.5"), country.currency, format=pattern, locale=country.locales[0]
        )
    except Exception as exc:  # noqa: BLE001 - babel raises several types for a bad pattern
        raise ConformanceFailure(
            f"{country.code}: babel cannot format with pattern {pattern!r}: {exc}"
        ) from exc


def check_features(pm: pluggy.PluginManager, country: CountryInfo) -> None:
    """Feature defaults use only the kernel's vocabulary."""
    features = pm.hook.pasar_features(country=country.code)
    expect(
        isinstance(features, FeatureSet),
        f"pasar_features({country.code}) answered {features!r}",
    )
    expect(features.country == country.code, f"{country.code}: FeatureSet of {features.country}")
    unknown = sorted(set(features.enabled) - set(FEATURES))
    expect(not unknown, f"{country.code}: unknown features {unknown}; allowed: {FEATURES}")
    unknown_notes = sorted(set(features.notes) - set(FEATURES))
    expect(not unknown_notes, f"{country.code}: notes on unknown features {unknown_notes}")


def check_consumer_rules(pm: pluggy.PluginManager, country: CountryInfo, on: date) -> None:
    """Return window, its basis and the price display are valid on ``on``."""
    rules = pm.hook.pasar_consumer_rules(country=country.code, on=on)
    where = f"{country.code} on {on}"
    expect(isinstance(rules, ConsumerRules), f"pasar_consumer_rules({where}) answered {rules!r}")
    expect(rules.country == country.code, f"{where}: ConsumerRules is for {rules.country}")
    expect(rules.return_window_days >= 0, f"{where}: negative return window")
    expect(
        rules.return_window_basis in ("statutory", "platform"),
        f"{where}: return_window_basis {rules.return_window_basis!r}",
    )
    expect(
        rules.price_display in ("inclusive", "exclusive"),
        f"{where}: price_display {rules.price_display!r} is not inclusive/exclusive",
    )
    for field_name in ("refund_deadline_days", "prior_price_days"):
        days = getattr(rules, field_name)
        expect(days is None or days > 0, f"{where}: {field_name} is {days}")
    check_tax_label(rules.tax_label, where)


#: The longest tax label that still fits a price line ("Goods and Services Tax" is 22).
TAX_LABEL_MAX = 32


def check_tax_label(label: object, where: str) -> None:
    """Empty (the kernel says "tax") or a short name the storefront can put into "incl. %s":
    one trimmed line, no placeholder the kernel's formatting would trip over."""
    if not isinstance(label, str):
        raise ConformanceFailure(f"{where}: tax_label {label!r} is not a string")
    if not label:
        return
    expect(
        label == label.strip() and "\n" not in label,
        f"{where}: tax_label {label!r} is not one trimmed line",
    )
    expect(
        len(label) <= TAX_LABEL_MAX,
        f"{where}: tax_label {label!r} is longer than {TAX_LABEL_MAX} characters",
    )
    expect(
        re.search(r"[%{}]", label) is None,
        f"{where}: tax_label {label!r} holds a placeholder character",
    )


def check_kyc(pm: pluggy.PluginManager, country: CountryInfo) -> None:
    """At least one field, unique names, every pattern a regular expression that compiles."""
    kyc = pm.hook.pasar_kyc_requirements(country=country.code)
    code = country.code
    expect(isinstance(kyc, KycRequirements), f"pasar_kyc_requirements({code}) answered {kyc!r}")
    expect(kyc.country == code, f"{code}: KycRequirements is for {kyc.country}")
    expect(bool(kyc.fields), f"{code}: KYC asks for no field at all")
    names = [kyc_field.name for kyc_field in kyc.fields]
    expect(len(names) == len(set(names)), f"{code}: KYC field names repeat: {names}")
    for kyc_field in kyc.fields:
        expect(bool(kyc_field.label), f"{code}: KYC field {kyc_field.name!r} has no label")
        try:
            re.compile(kyc_field.pattern)
        except re.error as exc:
            raise ConformanceFailure(
                f"{code}: KYC field {kyc_field.name!r} pattern {kyc_field.pattern!r}: {exc}"
            ) from exc
    expect(all(isinstance(doc, str) and doc for doc in kyc.documents), f"{code}: bad documents")


def check_locale_dirs(pm: pluggy.PluginManager) -> None:
    """Every catalog directory the plugin names exists."""
    for answer in pm.hook.pasar_locale_dirs():
        expect(isinstance(answer, list), f"pasar_locale_dirs answered {answer!r}, not a list")
        for path in answer:
            expect(Path(path).is_absolute(), f"locale dir {path!r} is not an absolute path")
            expect(Path(path).is_dir(), f"locale dir {path!r} does not exist")


def unserved_answers(
    pm: pluggy.PluginManager, currencies: Sequence[str], country: str = UNSERVED_COUNTRY
) -> dict[str, Any]:
    """What each pick-one hook answers for a country the plugin does not serve."""
    context, _recorder = sandbox_context()
    today = date.today()
    answers: dict[str, Any] = {
        "pasar_features": pm.hook.pasar_features(country=country),
        "pasar_consumer_rules": pm.hook.pasar_consumer_rules(country=country, on=today),
        "pasar_kyc_requirements": pm.hook.pasar_kyc_requirements(country=country),
        "pasar_payout_provider": pm.hook.pasar_payout_provider(country=country, context=context),
        "pasar_payment_gateway": pm.hook.pasar_payment_gateway(
            method="nobody_s_method", context=context
        ),
        "pasar_carrier": pm.hook.pasar_carrier(code="nobody_s_carrier", context=context),
    }
    for currency in currencies:
        lines = (TaxLineInput("line-1", "standard", Decimal(100)),)
        tax = TaxContext(country=country, currency=currency, on=today, lines=lines)
        answers[f"pasar_currency_rules({currency})"] = pm.hook.pasar_currency_rules(
            currency=currency, country=country
        )
        answers[f"pasar_tax_quote({currency})"] = pm.hook.pasar_tax_quote(context=tax)
    return answers


def check_unserved_country(
    pm: pluggy.PluginManager, served: Sequence[CountryInfo], country: str = UNSERVED_COUNTRY
) -> None:
    """Pick-one hooks answer ``None`` and contribution hooks add nothing for ``country``, so
    a tenant enabling several plugins gets each country's answer from its own plugin."""
    expect(country not in {c.code for c in served}, f"the plugin claims to serve {country}")
    currencies = sorted({c.currency for c in served}) or ["USD"]
    answered = {
        hook: answer
        for hook, answer in unserved_answers(pm, currencies, country).items()
        if answer is not None
    }
    expect(not answered, f"for {country}, which the plugin does not serve, hooks said {answered}")
    methods = registered(pm.hook.pasar_register_payment_methods, country)
    expect(not methods, f"payment methods registered for {country}: {methods}")
    found = registered(pm.hook.pasar_register_carriers, country)
    expect(not found, f"carriers registered for {country}: {found}")
    context = WithholdingContext(
        country=country, currency=currencies[0], on=date.today(), gross=Decimal(1_000_000)
    )
    withheld = [item for answer in pm.hook.pasar_marketplace_withholding(context=context)
                for item in (answer or [])]
    expect(not withheld, f"withholding for {country}: {withheld}")
