"""Languages: flask-babel set up with the kernel's and every plugin's catalogs.

The locale of a request is, in order: an explicit choice (``?lang=`` or the ``pasar_locale``
cookie), the best match of ``Accept-Language`` among the tenant's locales, the tenant's default.
A buyer can only get a locale the tenant offers, so a German tenant never renders half in Thai.
"""
from __future__ import annotations

from collections.abc import Sequence

from typing import Any

from babel import Locale, UnknownLocaleError, support
from flask import Flask, g, request
from flask_babel import Babel, Domain, get_locale
from flask_babel import _get_current_context  # the request/app context flask-babel caches in

from pasar.config import PROJECT_ROOT
from pasar.plugins import PluginHost

KERNEL_LOCALES = PROJECT_ROOT / "locales"
LOCALE_COOKIE = "pasar_locale"


def _normal(tag: str) -> str:
    return tag.replace("-", "_")


def best_locale(offered: Sequence[str], choice: str | None, accept: Sequence[tuple[str, float]]) -> str:
    """Pick among ``offered`` (babel ids, default first) for an explicit ``choice`` and an
    ``Accept-Language`` list of ``(tag, quality)``."""
    if choice and _normal(choice) in offered:
        return _normal(choice)
    for tag, _quality in sorted(accept, key=lambda item: -item[1]):
        wanted = _normal(tag)
        if wanted in offered:
            return wanted
        language = wanted.split("_")[0].lower()
        for locale in offered:
            if locale.split("_")[0].lower() == language:
                return locale
    return offered[0]


def select_locale() -> str:
    tenant = g.get("tenant")
    if tenant is None:
        return "en_US"
    choice = request.args.get("lang") or request.cookies.get(LOCALE_COOKIE)
    return best_locale(tenant.config.locales, choice, list(request.accept_languages))


def select_timezone() -> str | None:
    tenant = g.get("tenant")
    return tenant.config.timezone if tenant is not None else None


class MergedCatalogs(Domain):
    """The kernel's catalog with every plugin's merged behind it, keeping the right plural rule.

    flask-babel takes the plural rule from the *last* directory, even one with no catalog for
    the locale — whose empty stand-in has English's ``n != 1``. A Thai page (one plural form)
    then asked for form 1 of "Returns within 7 days", found none and fell back to English. Here
    the rule comes from the last catalog actually found.
    """

    def get_translations(self) -> Any:
        ctx = _get_current_context()
        if ctx is None:
            return support.NullTranslations()
        cache = self.get_translations_cache(ctx)
        locale = get_locale()
        key = (str(locale), self.domain[0])
        if key not in cache:
            merged = support.Translations()
            for directory in self.translation_directories:
                catalog = support.Translations.load(directory, [locale], self.domain[0])
                merged.merge(catalog)
                if isinstance(catalog, support.Translations):  # a catalog file was found
                    merged.plural = catalog.plural
            cache[key] = merged
        return cache[key]


def configure_babel(app: Flask, plugins: PluginHost) -> Babel:
    """After plugins are loaded, so their catalogs merge behind the kernel's."""
    directories = [str(KERNEL_LOCALES), *plugins.locale_dirs()]
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(directories)
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en_US")
    babel = Babel(app, locale_selector=select_locale, timezone_selector=select_timezone)
    babel.domain_instance = MergedCatalogs(domain=app.config.get("BABEL_DOMAIN", "messages"))  # type: ignore[misc]
    return babel


def locale_name(locale: str) -> str:
    """A locale's own name for itself, for a language switcher ("ไทย", "Deutsch")."""
    try:
        return Locale.parse(locale).get_display_name(locale) or locale
    except (UnknownLocaleError, ValueError):
        return locale
