"""Languages: flask-babel set up with the kernel's and every plugin's catalogs.

The locale of a request is, in order: an explicit choice (``?lang=`` or the ``pasar_locale``
cookie), the best match of ``Accept-Language`` among the tenant's locales, the tenant's default.
A buyer can only get a locale the tenant offers, so a German tenant never renders half in Thai.
"""
from __future__ import annotations

from collections.abc import Sequence

from babel import Locale, UnknownLocaleError
from flask import Flask, g, request
from flask_babel import Babel

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


def configure_babel(app: Flask, plugins: PluginHost) -> Babel:
    """After plugins are loaded, so their catalogs merge behind the kernel's."""
    directories = [str(KERNEL_LOCALES), *plugins.locale_dirs()]
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(directories)
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en_US")
    return Babel(app, locale_selector=select_locale, timezone_selector=select_timezone)


def locale_name(locale: str) -> str:
    """A locale's own name for itself, for a language switcher ("ไทย", "Deutsch")."""
    try:
        return Locale.parse(locale).get_display_name(locale) or locale
    except (UnknownLocaleError, ValueError):
        return locale
