"""``pasar.scaffold.scaffold_plugin`` (``pasar plugins new``) writes a complete plugin
distribution that passes the conformance suite as generated, and refuses bad options."""
from __future__ import annotations

import configparser
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from pasar.scaffold import scaffold_plugin

KENYA_FILES = {
    "setup.cfg",
    "pyproject.toml",
    "README.md",
    "pasar_kenya/__init__.py",
    "pasar_kenya/facts.py",
    "pasar_kenya/plugin.py",
    "pasar_kenya/locales/en_KE/LC_MESSAGES/messages.po",
    "tests/test_kenya_conformance.py",
}


def run_generated_tests(plugin_dir: Path) -> subprocess.CompletedProcess[str]:
    """Run the generated tests the way its author would, in a fresh interpreter: the
    repository's pytest settings (``-c /dev/null``) and caches stay out of it."""
    inherited = [os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else []
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(plugin_dir), *inherited])}
    command = [
        sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", os.devnull,
        "--rootdir", str(plugin_dir), "--import-mode=importlib", "-W", "error",
        str(plugin_dir / "tests"),
    ]
    return subprocess.run(command, cwd=plugin_dir, env=env, capture_output=True, text=True,
                          timeout=300, check=False)


def test_the_new_plugin_has_the_files_of_a_distribution(tmp_path: Path) -> None:
    plugin_dir = scaffold_plugin("kenya", tmp_path)

    assert plugin_dir == tmp_path / "kenya"
    written = {path.relative_to(plugin_dir).as_posix() for path in plugin_dir.rglob("*")
               if path.is_file()}
    assert written == KENYA_FILES


def test_setup_cfg_declares_the_entry_point_and_the_catalogs(tmp_path: Path) -> None:
    plugin_dir = scaffold_plugin("kenya", tmp_path)

    config = configparser.ConfigParser()
    config.read(plugin_dir / "setup.cfg")
    assert config["metadata"]["name"] == "pasar-kenya"
    assert config["options.entry_points"]["pasar.plugins"].strip() == "kenya = pasar_kenya.plugin"
    assert "locales/*/LC_MESSAGES/*.po" in config["options.package_data"]["pasar_kenya"]
    assert "pasar" in config["options"]["install_requires"].split()


def test_the_generated_conformance_tests_pass(tmp_path: Path) -> None:
    plugin_dir = scaffold_plugin("kenya", tmp_path)

    result = run_generated_tests(plugin_dir)

    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout
    assert "failed" not in result.stdout


def test_a_zero_decimal_currency_plugin_passes_too(tmp_path: Path) -> None:
    plugin_dir = scaffold_plugin("viet_example", tmp_path, country="VN", currency="VND",
                                 locale="vi_VN", timezone="Asia/Ho_Chi_Minh")

    facts = (plugin_dir / "pasar_viet_example" / "facts.py").read_text(encoding="utf-8")
    assert "iso_minor_units=0" in facts
    assert "class TestVietExampleConformance" in (
        plugin_dir / "tests" / "test_viet_example_conformance.py"
    ).read_text(encoding="utf-8")
    result = run_generated_tests(plugin_dir)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_catalog_is_valid_and_lists_the_plugins_strings(tmp_path: Path) -> None:
    plugin_dir = scaffold_plugin("kenya", tmp_path, locale="sw_KE")

    po_path = plugin_dir / "pasar_kenya" / "locales" / "sw_KE" / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    write_mo(io.BytesIO(), catalog)  # compiles
    facts = (plugin_dir / "pasar_kenya" / "facts.py").read_text(encoding="utf-8")
    msgids = [message.id for message in catalog if message.id]
    assert "Cash on delivery" in msgids
    assert [msgid for msgid in msgids if f'"{msgid}"' not in facts] == []
    assert str(catalog.locale) == "sw_KE"


def test_example_facts_are_marked_as_examples(tmp_path: Path) -> None:
    plugin_dir = scaffold_plugin("kenya", tmp_path)

    facts = (plugin_dir / "pasar_kenya" / "facts.py").read_text(encoding="utf-8")
    assert 'EXAMPLE: tuple[str, ...] = ("EXAMPLE",)' in facts
    assert facts.count("source=EXAMPLE") >= 5
    assert 'code="KE"' in facts and 'currency="KES"' in facts


@pytest.mark.parametrize("name", ["K", "kenya-plugin", "Kenya", "1kenya", "k" * 32, ""])
def test_a_bad_name_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match="name"):
        scaffold_plugin(name, tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("country", "XX"),
        ("currency", "KSH"),
        ("currency", "EUR"),
        ("locale", "en_XX_bogus"),
        ("timezone", "Africa/Nairobbi"),
    ],
)
def test_a_bad_option_is_refused_naming_it(tmp_path: Path, option: str, value: str) -> None:
    with pytest.raises(ValueError, match=f"^{option} "):
        scaffold_plugin("kenya", tmp_path, **{option: value})
    assert not (tmp_path / "kenya").exists()


def test_an_existing_directory_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "kenya").mkdir()
    (tmp_path / "kenya" / "notes.txt").write_text("mine", encoding="utf-8")

    with pytest.raises(FileExistsError, match="already exists"):
        scaffold_plugin("kenya", tmp_path)
    assert [path.name for path in (tmp_path / "kenya").iterdir()] == ["notes.txt"]


def test_lower_case_codes_are_normalised(tmp_path: Path) -> None:
    plugin_dir = scaffold_plugin("kenya", tmp_path, country="ke", currency="kes")

    facts = (plugin_dir / "pasar_kenya" / "facts.py").read_text(encoding="utf-8")
    assert 'code="KE"' in facts and 'currency="KES"' in facts
