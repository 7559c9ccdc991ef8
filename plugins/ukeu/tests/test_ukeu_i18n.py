"""The plugin's catalogs translate every user-facing string it marks, in every language it
ships, and every user-facing value is marked."""
from __future__ import annotations

import gettext
from io import BytesIO
from pathlib import Path

import pluggy
import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import pasar_ukeu
from pasar_ukeu.data.carriers import SERVICE_NAMES
from pasar_ukeu.data.consumer import TAX_LABEL
from pasar_ukeu.data.features import FEATURE_SETS
from pasar_ukeu.data.kyc import KYC
from pasar_ukeu.data.payments import METHODS
from pasar_ukeu.messages import LANGUAGES, LOCALE_DIR

#: Method names that are brands and stay as they are in every language.
BRANDS = {
    "PostePay", "PayPal", "Apple Pay", "Google Pay", "Satispay", "Bizum", "Wero", "iDEAL | Wero",
    "Klarna", "Clearpay", "Alma", "Oney", "Scalapay", "in3", "Riverty",
}


def marked() -> set[str]:
    """Every string the plugin marks with ``N_``, as ``pybabel extract -k N_`` finds them."""
    package = Path(pasar_ukeu.__file__).parent
    found = extract_from_dir(str(package), method_map=[("**.py", "python")], keywords={"N_": None})
    return {message for _file, _line, message, _comments, _context in found}


def catalog(language: str) -> Catalog:
    with open(LOCALE_DIR / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=language)


def translations(language: str) -> gettext.GNUTranslations:
    """The catalog compiled in memory, as ``pybabel compile`` would write it."""
    buffer = BytesIO()
    write_mo(buffer, catalog(language))
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def user_facing_values() -> set[str]:
    values = {m.name for m in METHODS.values()} - BRANDS
    values |= set(SERVICE_NAMES.values())
    values |= {note for features in FEATURE_SETS.values() for note in features.notes.values()}
    values |= {text for kyc in KYC.values() for f in kyc.fields for text in (f.label, f.help)}
    values.add(TAX_LABEL)
    return values


def test_every_user_facing_value_is_marked_for_translation() -> None:
    assert user_facing_values() - marked() == set()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_is_translated_and_nothing_is_stale(language: str) -> None:
    entries = {message.id: message for message in catalog(language) if message.id}
    assert set(entries) == marked()
    untranslated = [m.id for m in entries.values() if not m.string or m.fuzzy]
    assert untranslated == []


@pytest.mark.parametrize(
    ("language", "english", "translated"),
    [
        ("de", "Pay by invoice", "Kauf auf Rechnung"),
        ("de", "Cash on delivery", "Nachnahme"),
        ("es", "Cash on delivery", "Contra reembolso"),
        ("it", "Cash on delivery", "Contrassegno"),
        ("fr", "SEPA Direct Debit", "Prélèvement SEPA"),
        ("nl", "Chamber of Commerce (KvK) number", "KvK-nummer"),
        ("de", "VAT", "MwSt."),
        ("fr", "VAT", "TVA"),
        ("es", "VAT", "IVA"),
        ("it", "VAT", "IVA"),
        ("nl", "VAT", "btw"),
    ],
)
def test_compiled_catalogs_translate_in_the_local_words(
    language: str, english: str, translated: str
) -> None:
    assert translations(language).gettext(english) == translated


def test_the_locale_dir_holds_a_catalog_per_language(ukeu_pm: pluggy.PluginManager) -> None:
    (dirs,) = ukeu_pm.hook.pasar_locale_dirs()
    assert dirs == [str(LOCALE_DIR)] and LOCALE_DIR.is_absolute()
    assert sorted(p.name for p in LOCALE_DIR.iterdir() if p.is_dir()) == sorted(LANGUAGES)
