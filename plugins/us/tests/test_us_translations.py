"""The Spanish catalog (for es_US) translates every user-facing string the plugin defines."""
from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pluggy
import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

import pasar_us
from pasar_us.data.carriers import SERVICE_NAMES
from pasar_us.data.payments import ACCOUNT_LABEL
from pasar_us.data.tax_rates import LOCALITIES, STATES

PACKAGE = Path(pasar_us.__file__).parent


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    with (PACKAGE / "locales/es/LC_MESSAGES/messages.po").open("rb") as handle:
        return read_po(handle, locale="es")


@pytest.fixture(scope="module")
def spanish(catalog: Catalog) -> Translations:
    """The catalog compiled in memory, read back as gettext would read the .mo file."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer, domain="messages")


def marked_strings() -> set[str]:
    """Every string the source marks with ``N_``."""
    found = extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords={"N_": None}
    )
    return {message for _, _, message, _, _ in found}


def shown_strings(pm: pluggy.PluginManager) -> set[str]:
    """The English strings the plugin's answers put in front of people."""
    (region,) = pm.hook.pasar_region_info()
    kyc = pm.hook.pasar_kyc_requirements(country="US")
    methods: list = []
    pm.hook.pasar_register_payment_methods(register=methods.append, country="US")
    levies = [s.levy for s in STATES.values() if s.levy] + [
        levy for place in LOCALITIES.values() for levy in place.levies
    ]
    return {
        region.title,
        *(country.name for country in region.countries),
        *(text for field in kyc.fields for text in (field.label, field.help) if text),
        *pm.hook.pasar_features(country="US").notes.values(),
        *(method.name for method in methods if method.code == "card"),
        *SERVICE_NAMES.values(),
        *(levy.name for levy in levies),
        ACCOUNT_LABEL,
        pm.hook.pasar_consumer_rules(country="US", on=date(2026, 1, 1)).tax_label,
    }


def test_every_marked_string_has_a_spanish_translation(catalog: Catalog) -> None:
    untranslated = sorted(m for m in marked_strings() if not (catalog.get(m) and catalog[m].string))
    assert untranslated == []


def test_catalog_has_no_fuzzy_or_stale_entries(catalog: Catalog) -> None:
    entries = [message for message in catalog if message.id]
    assert not [m.id for m in entries if m.fuzzy]
    assert {m.id for m in entries} == marked_strings()


def test_every_string_the_answers_show_is_marked(pm: pluggy.PluginManager) -> None:
    assert shown_strings(pm) - marked_strings() == set()


@pytest.mark.parametrize(
    ("english", "spanish_text"),
    [
        ("Credit or debit card", "Tarjeta de crédito o débito"),
        ("Employer Identification Number (EIN)", "Número de Identificación del Empleador (EIN)"),
        ("New York City sales tax", "Impuesto sobre las ventas de la ciudad de Nueva York"),
        ("Standard shipping", "Envío estándar"),
        ("sales tax", "impuesto sobre las ventas"),
        ("United States", "Estados Unidos"),
    ],
)
def test_compiled_catalog_translates_for_es_us(
    spanish: Translations, english: str, spanish_text: str
) -> None:
    assert spanish.gettext(english) == spanish_text


def test_locale_dir_holds_the_spanish_catalog(pm: pluggy.PluginManager) -> None:
    (dirs,) = pm.hook.pasar_locale_dirs()
    assert [Path(d) for d in dirs] == [PACKAGE / "locales"]
    assert (Path(dirs[0]) / "es/LC_MESSAGES/messages.po").is_file()
