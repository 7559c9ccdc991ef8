"""The `pasar` command line, run as an operator would (through click's runner)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pasar.cli import main
from pasar.testing.fixtures import REFERENCE_TENANTS

# The CLI builds apps of its own, which reconfigure Celery for the whole process.
pytestmark = pytest.mark.usefixtures("celery_restored")


@pytest.fixture()
def pasar(app: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    """Run `pasar ...` against the test app's database."""
    monkeypatch.setenv("PASAR_DATABASE_URL", app.extensions["pasar.db"].url)
    monkeypatch.setenv("PASAR_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PASAR_BROKER_URL", "memory://")

    def run(*args: str) -> Any:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return run


def test_tenants_list_json_has_every_reference_tenant(pasar: Any) -> None:
    result = pasar("tenants", "list", "--json")
    rows = json.loads(result.output)
    assert result.exit_code == 0
    assert {r["code"] for r in rows} == {p.stem for p in REFERENCE_TENANTS.glob("*.toml")}
    uk = next(r for r in rows if r["code"] == "uk")
    assert (uk["country"], uk["currency"]) == ("GB", "GBP")


def test_tenants_show_names_what_the_plugin_offers(pasar: Any) -> None:
    result = pasar("tenants", "show", "id")
    assert result.exit_code == 0
    assert "gopay" in result.output and "IDR" in result.output


def test_tenants_show_of_an_unknown_code_fails_clearly(pasar: Any) -> None:
    result = pasar("tenants", "show", "zz")
    assert result.exit_code != 0 and "no tenant 'zz'" in result.output


def test_applying_the_reference_tenants_again_changes_nothing(pasar: Any) -> None:
    result = pasar("tenants", "apply", str(REFERENCE_TENANTS))
    assert result.exit_code == 0 and result.output.startswith("unchanged: ")


def test_a_bad_tenant_file_exits_non_zero_naming_file_key_and_allowed_values(pasar: Any, tmp_path: Path) -> None:
    bad = tmp_path / "uk.toml"
    bad.write_text((REFERENCE_TENANTS / "uk.toml").read_text().replace('currency = "GBP"', 'currency = "USD"'))
    result = pasar("tenants", "apply", str(bad))
    assert result.exit_code == 1
    assert f"{bad}: currency: not offered for this country by the tenant's plugins (got 'USD'); allowed: GBP" in result.output
    assert "nothing was applied" in result.output


def test_plugins_json_lists_name_version_and_hooks(pasar: Any) -> None:
    plugins = {p["name"]: p for p in json.loads(pasar("plugins", "--json").output)}
    assert {"sea", "ukeu", "us"} <= set(plugins)
    assert plugins["ukeu"]["version"] == "0.1.0" and "pasar_register_carriers" in plugins["ukeu"]["hooks"]


def test_tax_quote_json_for_uk_childrens_clothing(pasar: Any) -> None:
    result = pasar("tax", "quote", "--tenant", "uk", "--category", "childrens_clothing", "--price", "12.00",
                   "--date", "2026-03-01", "--json")
    data = json.loads(result.output)
    assert (data["tax"], data["currency"], data["rate"], data["inclusive"]) == ("0.00", "GBP", "0", True)


def test_tax_quote_json_for_new_york_clothing(pasar: Any) -> None:
    data = json.loads(pasar("tax", "quote", "--tenant", "us", "--category", "clothing", "--price", "80",
                            "--state", "NY", "--date", "2026-03-01", "--json").output)
    assert (data["tax"], data["inclusive"], data["total"]) == ("0.00", False, "80.00")


def test_tax_quote_text_names_the_rule_and_its_sources(pasar: Any) -> None:
    result = pasar("tax", "quote", "--tenant", "th", "--category", "standard", "--price", "107", "--date", "2026-09-30")
    assert result.exit_code == 0
    assert "tax    7.00 THB  (7%, included in the price)" in result.output and "S24" in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["--price", "12,50"], "--price"),
    (["--price", "1.999"], "--price"),
    (["--date", "2026-13-01"], "--date"),
    (["--tenant", "zz"], "--tenant"),
])
def test_tax_quote_bad_options_name_the_option(pasar: Any, args: list[str], message: str) -> None:
    base = {"--tenant": "uk", "--category": "standard", "--price": "10", "--date": "2026-03-01"}
    base.update(dict(zip(args[::2], args[1::2])))
    result = pasar("tax", "quote", *[x for kv in base.items() for x in kv])
    assert result.exit_code == 2 and message in result.output


def test_tax_quote_refuses_an_unknown_category_with_the_choices(pasar: Any) -> None:
    result = pasar("tax", "quote", "--tenant", "uk", "--category", "toys", "--price", "10")
    assert result.exit_code == 2 and "'standard'" in result.output
