"""The session's automatic tenant criterion: a forgotten filter cannot leak another tenant."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import aliased

from pasar.db import Base, TenantScopeError, TenantScoped
from pasar.tenancy.models import ProviderState, Tenant


@pytest.fixture(scope="module")
def two_tenants(make_app: Callable[..., Any]) -> tuple[Any, int, int]:
    app = make_app(tenants=False)
    db = app.extensions["pasar.db"]
    with db.session(all_tenants=True) as session:
        ids = []
        for code in ("aa", "bb"):
            tenant = Tenant(code=code, name=code, country="GB", currency="GBP", default_locale="en_GB",
                            timezone="Europe/London", config={}, config_hash="")
            session.add(tenant)
            session.flush()
            ids.append(tenant.id)
    for tenant_id in ids:
        with db.session(tenant_id) as session:
            session.add_all([ProviderState(key=f"k{n}", value={"owner": tenant_id}) for n in range(3)])
    return db, ids[0], ids[1]


def test_a_bound_session_sees_only_its_tenants_rows(two_tenants: tuple[Any, int, int]) -> None:
    db, a, b = two_tenants
    with db.session(a) as session:
        owners = {row.value["owner"] for row in session.scalars(select(ProviderState))}
    assert owners == {a}


def test_get_by_primary_key_of_another_tenants_row_finds_nothing(two_tenants: tuple[Any, int, int]) -> None:
    db, a, b = two_tenants
    with db.session(all_tenants=True) as session:
        other_id = session.scalar(select(ProviderState.id).where(ProviderState.tenant_id == b))
    with db.session(a) as session:
        assert session.get(ProviderState, other_id) is None


def test_aliases_and_aggregates_are_filtered_too(two_tenants: tuple[Any, int, int]) -> None:
    db, a, _ = two_tenants
    alias = aliased(ProviderState)
    with db.session(a) as session:
        assert session.scalar(select(func.count()).select_from(alias)) == 3


def test_bulk_update_and_delete_touch_only_the_bound_tenant(two_tenants: tuple[Any, int, int]) -> None:
    db, a, b = two_tenants
    with db.session(a) as session:
        session.execute(update(ProviderState).where(ProviderState.key == "k0").values(value={"owner": a, "x": 1}))
        session.execute(delete(ProviderState).where(ProviderState.key == "k2"))
    with db.session(b) as session:
        keys = sorted(s.key for s in session.scalars(select(ProviderState)))
        untouched = session.scalar(select(ProviderState).where(ProviderState.key == "k0"))
    assert keys == ["k0", "k1", "k2"]
    assert untouched is not None and "x" not in untouched.value


def test_an_unbound_session_refuses_tenant_rows(two_tenants: tuple[Any, int, int]) -> None:
    db, _, _ = two_tenants
    with pytest.raises(TenantScopeError):
        with db.session() as session:
            session.scalars(select(ProviderState)).all()


def test_an_unbound_session_may_read_tables_that_are_not_tenant_owned(two_tenants: tuple[Any, int, int]) -> None:
    db, _, _ = two_tenants
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Tenant)) >= 2


def test_operators_see_every_tenant_only_when_they_ask_for_it(two_tenants: tuple[Any, int, int]) -> None:
    db, a, b = two_tenants
    with db.session(all_tenants=True) as session:
        owners = {row.tenant_id for row in session.scalars(select(ProviderState))}
    assert {a, b} <= owners


def test_new_rows_are_stamped_with_the_bound_tenant(two_tenants: tuple[Any, int, int]) -> None:
    db, a, _ = two_tenants
    with db.session(a) as session:
        row = ProviderState(key="stamped", value={})
        session.add(row)
        session.flush()
        assert row.tenant_id == a
        session.rollback()


def test_writing_a_row_for_another_tenant_is_refused(two_tenants: tuple[Any, int, int]) -> None:
    db, a, b = two_tenants
    with pytest.raises(TenantScopeError):
        with db.session(a) as session:
            session.add(ProviderState(key="intruder", value={}, tenant_id=b))


def test_foreign_keys_between_tenant_rows_include_the_tenant_id() -> None:
    """A child row can never point at a parent of another tenant: the FK carries tenant_id."""
    import pasar.models  # noqa: F401 - loads every model

    scoped = {m.class_.__table__.name for m in Base.registry.mappers if issubclass(m.class_, TenantScoped)}
    offenders = []
    for table in Base.metadata.sorted_tables:
        if table.name not in scoped:
            continue
        for fk in table.foreign_key_constraints:
            if fk.referred_table.name in scoped and "tenant_id" not in fk.column_keys:
                offenders.append(f"{table.name}.{fk.column_keys} -> {fk.referred_table.name}")
    assert offenders == []
