"""The plugin's catalogs translate every string it marks, in every language it ships."""
from __future__ import annotations

import gettext
import io
from pathlib import Path

import pluggy
import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import pasar_sea
from pasar_sea.messages import LANGUAGES, LOCALE_DIR

PACKAGE = Path(pasar_sea.__file__).resolve().parent


def marked_strings() -> set[str]:
    """Every string the source marks with ``N_``, as ``pybabel extract -k N_`` finds it."""
    found = extract_from_dir(str(PACKAGE), keywords={"N_": None}, comment_tags=())
    return {message for _, _, message, _, _ in found if isinstance(message, str)}


def catalog(language: str) -> Catalog:
    with open(LOCALE_DIR / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=language)


def test_the_plugin_marks_the_strings_users_see() -> None:
    marked = marked_strings()
    assert {"Cash on delivery", "Standard delivery", "Tax code (MST)"} <= marked
    assert {"VAT", "SST", "GST"} <= marked  # the tax labels next to prices
    assert "GoPay" not in marked  # a brand stays a brand


def test_the_template_lists_exactly_the_marked_strings() -> None:
    with open(LOCALE_DIR / "messages.pot", "rb") as handle:
        template = read_po(handle)
    assert {message.id for message in template if message.id} == marked_strings()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_is_translated_and_not_fuzzy(language: str) -> None:
    messages = {message.id: message for message in catalog(language) if message.id}
    assert set(messages) == marked_strings()
    untranslated = [mid for mid, message in messages.items() if not message.string]
    fuzzy = [mid for mid, message in messages.items() if message.fuzzy]
    assert (untranslated, fuzzy) == ([], [])


@pytest.mark.parametrize(
    ("language", "translated"),
    [
        ("id", "Bayar di Tempat (COD)"),
        ("ms", "Tunai semasa penghantaran (COD)"),
        ("th", "เก็บเงินปลายทาง"),
        ("vi", "Thanh toán khi nhận hàng (COD)"),
        ("fil", "Bayad sa pagdating (COD)"),
    ],
)
def test_compiled_catalogs_translate_the_cod_method_name(language: str, translated: str) -> None:
    compiled = io.BytesIO()
    write_mo(compiled, catalog(language))
    compiled.seek(0)
    assert gettext.GNUTranslations(compiled).gettext("Cash on delivery") == translated


def test_indonesian_calls_vat_ppn() -> None:
    compiled = io.BytesIO()
    write_mo(compiled, catalog("id"))
    compiled.seek(0)
    assert gettext.GNUTranslations(compiled).gettext("VAT") == "PPN"


def test_locale_dirs_point_at_the_shipped_catalogs(pm: pluggy.PluginManager) -> None:
    (dirs,) = pm.hook.pasar_locale_dirs()
    assert dirs == [str(LOCALE_DIR)]
    assert {path.name for path in LOCALE_DIR.iterdir() if path.is_dir()} == set(LANGUAGES)
