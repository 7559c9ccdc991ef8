"""Applying tenants/*.toml: every kind of mistake is named (file, key, value, allowed values)
and a run with any mistake stores nothing."""
from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pasar.tenancy.config import ConfigError
from pasar.tenancy.models import Tenant
from pasar.tenancy.service import apply_tenants, list_tenants
from pasar.testing.fixtures import REFERENCE_TENANTS


def to_toml(data: dict[str, Any]) -> str:
    """Enough TOML for tenant files: strings, lists of strings, one level of tables."""

    def value(v: Any) -> str:
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'

    plain = [f"{k} = {value(v)}" for k, v in data.items() if not isinstance(v, dict)]
    tables = [f"\n[{k}]\n" + "\n".join(f"{kk} = {value(vv)}" for kk, vv in v.items())
              for k, v in data.items() if isinstance(v, dict)]
    return "\n".join(plain) + "\n" + "".join(tables) + "\n"


def reference(code: str) -> dict[str, Any]:
    return tomllib.loads((REFERENCE_TENANTS / f"{code}.toml").read_text())


@pytest.fixture()
def write_tenant(tmp_path: Path) -> Callable[..., Path]:
    """Write a tenant file: a reference tenant with ``changes`` (None deletes a key)."""

    def write(base: str = "us", *, name: str | None = None, folder: str = "t", **changes: Any) -> Path:
        data = reference(base)
        for key, val in changes.items():
            if val is None:
                data.pop(key, None)
            else:
                data[key] = val
        code = name or data.get("code", base)
        path = tmp_path / folder / f"{code}.toml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(to_toml(data))
        return path

    return write


@pytest.fixture()
def fresh(make_app: Callable[..., Any]) -> Any:
    return make_app(tenants=False)


def problems_of(app: Any, *paths: Path) -> list[str]:
    db = app.extensions["pasar.db"]
    host = app.extensions["pasar.plugins"]
    with pytest.raises(ConfigError) as caught:
        with db.session(all_tenants=True) as session:
            apply_tenants(session, paths, host)
    with db.session(all_tenants=True) as session:
        assert list_tenants(session) == [], "a failed run must store nothing"
    return [str(p) for p in caught.value.problems]


def one(problems: list[str]) -> str:
    assert len(problems) == 1, problems
    return problems[0]


def test_the_reference_tenants_apply_cleanly(fresh: Any) -> None:
    db, host = fresh.extensions["pasar.db"], fresh.extensions["pasar.plugins"]
    with db.session(all_tenants=True) as session:
        result = apply_tenants(session, [REFERENCE_TENANTS], host)
    codes = {"id", "my", "th", "vn", "ph", "sg", "uk", "de", "fr", "es", "it", "ie", "nl", "us"}
    assert codes <= set(result.created)
    with db.session(all_tenants=True) as session:
        again = apply_tenants(session, [REFERENCE_TENANTS], host)
    assert again.created == [] and again.updated == [] and codes <= set(again.unchanged)


def test_a_changed_file_updates_its_tenant(fresh: Any, write_tenant: Callable[..., Path]) -> None:
    db, host = fresh.extensions["pasar.db"], fresh.extensions["pasar.plugins"]
    with db.session(all_tenants=True) as session:
        apply_tenants(session, [write_tenant()], host)
    with db.session(all_tenants=True) as session:
        result = apply_tenants(session, [write_tenant(folder="u", name="us", platform_commission="0.07")], host)
        stored = session.scalar(select(Tenant).where(Tenant.code == "us"))
    assert result.updated == ["us"] and stored is not None
    assert stored.config["platform_commission"] == "0.07"


def test_invalid_toml_names_the_file(fresh: Any, tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('code = "bad"\nname = \n')
    assert one(problems_of(fresh, path)).startswith(f"{path}: (syntax): not valid TOML")


def test_an_unknown_key_lists_the_allowed_keys(fresh: Any, write_tenant: Callable[..., Path]) -> None:
    path = write_tenant(colour="blue")
    message = one(problems_of(fresh, path))
    assert message.startswith(f"{path}: colour: unknown key") and "allowed: code, country," in message


def test_a_missing_key_is_named(fresh: Any, write_tenant: Callable[..., Path]) -> None:
    path = write_tenant(timezone=None)
    assert one(problems_of(fresh, path)) == f"{path}: timezone: missing required key"


def test_a_value_of_the_wrong_type_is_named(fresh: Any, write_tenant: Callable[..., Path]) -> None:
    path = write_tenant(locales="en_US")
    assert one(problems_of(fresh, path)) == f"{path}: locales: must be a list (got 'en_US')"


def test_the_code_must_match_the_file_name(fresh: Any, write_tenant: Callable[..., Path]) -> None:
    path = write_tenant(name="usa")
    assert one(problems_of(fresh, path)) == f"{path}: code: must match the file name (usa.toml) (got 'us'); allowed: usa"


def test_a_plugin_that_is_not_installed_is_named_with_what_is_installed(
    fresh: Any, write_tenant: Callable[..., Path]
) -> None:
    path = write_tenant(plugins=["us", "loyalty"])
    message = one(problems_of(fresh, path))
    assert message.startswith(f"{path}: plugins: plugin 'loyalty' is not installed (installed: ")
    assert "allowed: sea, ukeu, us" in message


def test_a_country_the_plugins_do_not_serve_lists_the_served_ones(
    fresh: Any, write_tenant: Callable[..., Path]
) -> None:
    path = write_tenant(country="CA")
    assert one(problems_of(fresh, path)) == (
        f"{path}: country: not served by the tenant's plugins (got 'CA'); allowed: US"
    )


def test_a_currency_other_than_the_countrys_is_refused(fresh: Any, write_tenant: Callable[..., Path]) -> None:
    path = write_tenant(currency="EUR")
    assert one(problems_of(fresh, path)).endswith("currency: not offered for this country by the tenant's plugins (got 'EUR'); allowed: USD")


def test_a_locale_the_plugin_does_not_offer_is_refused(fresh: Any, write_tenant: Callable[..., Path]) -> None:
    path = write_tenant(locales=["en_US", "th_TH"])
    message = one(problems_of(fresh, path))
    assert "locales: not offered" in message and "(got 'th_TH')" in message and "en_US" in message


def test_an_unknown_time_zone_is_refused(fresh: Any, write_tenant: Callable[..., Path]) -> None:
    path = write_tenant(timezone="Mars/Olympus")
    assert "timezone: not an IANA time zone (got 'Mars/Olympus')" in one(problems_of(fresh, path))


def test_a_feature_the_plugin_leaves_off_cannot_be_switched_on(
    fresh: Any, write_tenant: Callable[..., Path]
) -> None:
    features = reference("us")["features"] + ["cash_on_delivery"]
    message = one(problems_of(fresh, write_tenant(features=features)))
    assert "features: not offered for this country by the tenant's plugins (got 'cash_on_delivery')" in message


def test_a_payment_method_of_another_region_is_refused_with_the_offered_ones(
    fresh: Any, write_tenant: Callable[..., Path]
) -> None:
    methods = reference("us")["payment_methods"] + ["gopay"]
    message = one(problems_of(fresh, write_tenant(payment_methods=methods)))
    assert "payment_methods: not offered for this country by the tenant's plugins (got 'gopay'); allowed: " in message
    assert "paypal" in message


def test_cash_on_delivery_needs_its_feature(fresh: Any, write_tenant: Callable[..., Path]) -> None:
    base = reference("vn")
    features = [f for f in base["features"] if f != "cash_on_delivery"]
    path = write_tenant("vn", features=features)
    assert "payment_methods: 'cod' needs the feature(s) cash_on_delivery" in one(problems_of(fresh, path))


def test_a_carrier_of_another_region_is_refused(fresh: Any, write_tenant: Callable[..., Path]) -> None:
    message = one(problems_of(fresh, write_tenant(shipping_partners=["usps", "royal_mail"])))
    assert "shipping_partners: not offered for this country by the tenant's plugins (got 'royal_mail')" in message


@pytest.mark.parametrize("value", ["5%", "1.5", "-0.1", "NaN"])
def test_a_commission_must_be_a_fraction(fresh: Any, write_tenant: Callable[..., Path], value: str) -> None:
    assert "platform_commission: must be" in one(problems_of(fresh, write_tenant(platform_commission=value)))


def test_a_bad_host_name_is_refused(fresh: Any, write_tenant: Callable[..., Path]) -> None:
    assert "hosts: not a valid lower-case host name (got 'Shop_US')" in one(problems_of(fresh, write_tenant(hosts=["Shop_US"])))


def test_two_files_with_one_host_are_refused_and_neither_is_applied(
    fresh: Any, write_tenant: Callable[..., Path]
) -> None:
    us = write_tenant()
    uk = write_tenant("uk", hosts=["us.localhost"])
    assert one(problems_of(fresh, us, uk)) == f"{uk}: hosts: also used by {us} (got 'us.localhost')"


def test_a_host_owned_by_a_stored_tenant_is_refused(fresh: Any, write_tenant: Callable[..., Path]) -> None:
    db, host = fresh.extensions["pasar.db"], fresh.extensions["pasar.plugins"]
    with db.session(all_tenants=True) as session:
        apply_tenants(session, [write_tenant()], host)
    uk = write_tenant("uk", folder="u", hosts=["us.localhost"])
    with pytest.raises(ConfigError, match="hosts: already used by tenant 'us'"):
        with db.session(all_tenants=True) as session:
            apply_tenants(session, [uk], host)
    with db.session(all_tenants=True) as session:
        assert [t.code for t in list_tenants(session)] == ["us"]


def test_one_bad_file_stops_the_whole_run(fresh: Any, write_tenant: Callable[..., Path]) -> None:
    good = write_tenant("uk")
    bad = write_tenant(currency="GBP")
    problems = problems_of(fresh, good, bad)
    assert [p.split(":")[0] for p in problems] == [str(bad)]


def test_every_problem_of_a_file_is_reported_at_once(fresh: Any, write_tenant: Callable[..., Path]) -> None:
    path = write_tenant(currency="EUR", timezone="Mars/Olympus", payment_methods=["gopay"], platform_commission="2")
    keys = sorted(p.split(": ")[1] for p in problems_of(fresh, path))
    assert keys == ["currency", "payment_methods", "platform_commission", "timezone"]
