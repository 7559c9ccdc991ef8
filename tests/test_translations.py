"""Every user-facing string of the kernel is translated, in every language Pasar ships."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from pasar.config import PROJECT_ROOT

LOCALES = PROJECT_ROOT / "locales"
LANGUAGES = ("en", "id", "ms", "th", "vi", "fil", "de", "fr", "es", "it", "nl")


def msgids(path: Path) -> set[str]:
    with path.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def test_the_template_holds_every_string_of_the_source(tmp_path: Path) -> None:
    """Run `pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -o locales/messages.pot --no-location -w 100 .` and
    `pybabel update -i locales/messages.pot -d locales` when this fails."""
    fresh = tmp_path / "fresh.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "-k", "lazy_pgettext:1c,2", "-o", str(fresh),
                    "--no-location", "-w", "100", "."], cwd=PROJECT_ROOT, check=True, capture_output=True)
    assert msgids(fresh) == msgids(LOCALES / "messages.pot")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated_and_none_is_fuzzy(language: str) -> None:
    path = LOCALES / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    assert not catalog.fuzzy
    untranslated = [m.id for m in catalog if m.id and (m.fuzzy or not (
        m.string if isinstance(m.string, str) else all(m.string)))]
    assert untranslated == []
    assert msgids(path) == msgids(LOCALES / "messages.pot")
