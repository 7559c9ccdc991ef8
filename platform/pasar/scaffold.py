"""``pasar plugins new``: write a new region plugin that passes the conformance suite on day one.

The plugin is a complete distribution — ``setup.cfg`` with its ``pasar.plugins`` entry point,
thin hooks over a facts module, sandbox providers, a gettext catalog and a test that runs
``pasar.testing.conformance`` — built from the ``string.Template`` files in
``pasar/plugin_template/``. Its facts are clearly marked examples (``source=("EXAMPLE",)``):
the author replaces them with the country's real ones, one at a time, with the suite green.

The options are checked against babel and ``zoneinfo`` before anything is written, so a typo
is a ``ValueError`` naming the option rather than a plugin that fails its own tests.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from pathlib import Path
from string import Template
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import babel
import babel.numbers
from babel.messages.plurals import get_plural

NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]{1,30}")

#: Template file (under ``pasar/plugin_template``) → path in the new distribution; both
#: sides are templates. The ``.tmpl`` suffix keeps pytest and byte-compilers off the sources.
TEMPLATES: tuple[tuple[str, str], ...] = (
    ("setup.cfg.tmpl", "setup.cfg"),
    ("pyproject.toml.tmpl", "pyproject.toml"),
    ("README.md.tmpl", "README.md"),
    ("package/__init__.py.tmpl", "${package}/__init__.py"),
    ("package/facts.py.tmpl", "${package}/facts.py"),
    ("package/plugin.py.tmpl", "${package}/plugin.py"),
    ("package/messages.po.tmpl", "${package}/locales/${locale}/LC_MESSAGES/messages.po"),
    ("tests/test_conformance.py.tmpl", "tests/test_${name}_conformance.py"),
)


@dataclass(frozen=True)
class PluginOptions:
    """The validated, normalised options of a new plugin."""

    name: str
    country: str
    currency: str
    locale: str
    timezone: str

    @classmethod
    def checked(
        cls, name: str, country: str, currency: str, locale: str, timezone: str
    ) -> PluginOptions:
        """Normalise case and refuse anything babel or ``zoneinfo`` does not know."""
        if not NAME_PATTERN.fullmatch(name):
            raise ValueError(
                f"name {name!r} is not a valid plugin name: use 2 to 31 lower-case letters, "
                "digits or underscores, starting with a letter (e.g. 'kenya')"
            )
        country, currency = country.upper(), currency.upper()
        _check_country(country)
        _check_currency(currency, country)
        return cls(name, country, currency, _checked_locale(locale), _checked_timezone(timezone))


def _check_country(country: str) -> None:
    if len(country) != 2 or country not in babel.Locale("en").territories:
        raise ValueError(f"country {country!r} is not an ISO 3166-1 alpha-2 code babel knows")


def _check_currency(currency: str, country: str) -> None:
    if currency not in babel.numbers.list_currencies():
        raise ValueError(f"currency {currency!r} is not an ISO 4217 code babel knows")
    in_use = babel.numbers.get_territory_currencies(country, date.today())
    if currency not in in_use:
        raise ValueError(
            f"currency {currency!r} is not in use in {country} (babel: {', '.join(in_use)})"
        )


def _checked_locale(locale: str) -> str:
    try:
        return str(babel.Locale.parse(locale))
    except (babel.UnknownLocaleError, ValueError, TypeError) as exc:
        raise ValueError(f"locale {locale!r} is not a locale babel can load: {exc}") from exc


def _checked_timezone(timezone: str) -> str:
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"timezone {timezone!r} is not an IANA time zone") from exc
    return timezone


def template_values(options: PluginOptions) -> dict[str, str]:
    """Everything the templates refer to, derived from the options."""
    english = babel.Locale("en")
    country_name = english.territories[options.country]
    digits = babel.numbers.get_currency_precision(options.currency)
    locale = babel.Locale.parse(options.locale)
    return {
        "name": options.name,
        "package": f"pasar_{options.name}",
        "distribution": f"pasar-{options.name}",
        "class_name": "".join(part.capitalize() for part in options.name.split("_")),
        "country": options.country,
        "country_name": country_name,
        "country_name_py": python_string(country_name),
        "title_py": python_string(f"{country_name} (example region plugin)"),
        "currency": options.currency,
        "iso_digits": str(digits),
        "locale": options.locale,
        "language_name": locale.get_display_name("en") or options.locale,
        "plural_forms": str(get_plural(locale)),
        "timezone": options.timezone,
        **example_amounts(digits),
    }


def python_string(text: str) -> str:
    """A double-quoted Python literal of ``text`` (JSON string syntax is valid Python)."""
    return json.dumps(text, ensure_ascii=False)


def example_amounts(digits: int) -> dict[str, str]:
    """Example tariff and cash-on-delivery cap, in thousands where the currency has no minor
    unit (so a parcel does not cost 4 đồng). They are placeholders all the same."""
    scale = 1000 if digits == 0 else 1
    base = {"cod_max": 500, "rate_local": 4, "rate_regional": 6, "rate_national": 8, "rate_step": 2}
    return {key: str(value * scale) for key, value in base.items()}


def render(values: dict[str, str]) -> dict[Path, str]:
    """Every file of the new distribution, relative path → text (nothing written yet)."""
    root = files("pasar").joinpath("plugin_template")
    rendered: dict[Path, str] = {}
    for source, target in TEMPLATES:
        text = root.joinpath(source).read_text(encoding="utf-8")
        rendered[Path(Template(target).substitute(values))] = Template(text).substitute(values)
    return rendered


def scaffold_plugin(
    name: str,
    dest: Path,
    *,
    country: str = "KE",
    currency: str = "KES",
    locale: str = "en_KE",
    timezone: str = "Africa/Nairobi",
) -> Path:
    """Create ``dest/<name>/``, a plugin distribution serving one country, and return it.

    Raises:
        ValueError: a bad name, country, currency, locale or time zone (the message names it).
        FileExistsError: ``dest/<name>`` already exists; nothing is overwritten.
    """
    options = PluginOptions.checked(name, country, currency, locale, timezone)
    target = Path(dest) / options.name
    if target.exists():
        raise FileExistsError(f"{target} already exists; choose another name or --path")
    rendered = render(template_values(options))
    for relative, text in rendered.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return target
