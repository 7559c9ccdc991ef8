"""Factory fixtures for the accounts domain's tests (and for tests of domains built on it).

    def test_buyer_sees_own_orders(client, login):
        principal, headers = login("uk", "buyer")
        client.get("/api/v1/orders", headers=headers)

    def test_console(client, operator_login):
        headers = operator_login(tenants=("uk",)) | {"X-Pasar-Tenant": "uk"}

The fixtures work on the shared ``app``; a test with its own ``make_app()`` app uses
``logins_for(app)`` / ``operator_logins_for(app)`` / ``users_for(app)`` instead. Users get one
known password (``DEFAULT_PASSWORD``) hashed once per process, because scrypt is deliberately
slow and suites create hundreds of users.
"""
from __future__ import annotations

import uuid
from collections.abc import Sequence
from functools import cache
from typing import Any, Protocol

import pytest

from pasar.accounts import service
from pasar.accounts.models import User
from pasar.accounts.passwords import hash_password
from pasar.accounts.service import Principal
from pasar.tenancy.service import TenantContext, context_for, get_tenant

DEFAULT_PASSWORD = "correct horse battery staple"
TENANT_HEADER = "X-Pasar-Tenant"


class MakeUser(Protocol):
    def __call__(self, tenant_code: str, *roles: str, email: str | None = None, name: str | None = None,
                 seller_id: int | None = None, creator_id: int | None = None, phone: str | None = None) -> User: ...


class Login(Protocol):
    def __call__(self, tenant_code: str, *roles: str, email: str | None = None, name: str | None = None,
                 seller_id: int | None = None, creator_id: int | None = None
                 ) -> tuple[Principal, dict[str, str]]: ...


class OperatorLogin(Protocol):
    def __call__(self, tenants: Sequence[str] = ("*",), *, email: str | None = None) -> dict[str, str]: ...


@cache
def default_password_hash() -> str:
    return hash_password(DEFAULT_PASSWORD)


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.test"


def tenant_context(app: Any, code: str) -> TenantContext:
    """The ``TenantContext`` of a stored tenant, as a request for it would see it."""
    with app.extensions["pasar.db"].session(all_tenants=True) as session:
        return context_for(get_tenant(session, code), app.extensions["pasar.plugins"])


def users_for(app: Any) -> MakeUser:
    """A factory of users of ``app`` (password ``DEFAULT_PASSWORD``; default role buyer)."""
    db = app.extensions["pasar.db"]

    def make(tenant_code: str, *roles: str, email: str | None = None, name: str | None = None,
             seller_id: int | None = None, creator_id: int | None = None, phone: str | None = None) -> User:
        if "operator" in roles:
            raise ValueError("operators are not users: use the operator_login fixture")
        tenant = tenant_context(app, tenant_code)
        wanted = roles or ("buyer",)
        with db.session(tenant.id, write=True) as session:
            user = service.add_user(session, tenant, email=email or unique_email("-".join(wanted)),
                                    name=name or "Test User", password_hash=default_password_hash(),
                                    roles=wanted, phone=phone)
            user.seller_id, user.creator_id = seller_id, creator_id
        return user

    return make


def logins_for(app: Any) -> Login:
    """A ``login`` function for ``app``: a new user holding ``roles`` and its auth headers."""
    db = app.extensions["pasar.db"]
    make_user = users_for(app)

    def login(tenant_code: str, *roles: str, email: str | None = None, name: str | None = None,
              seller_id: int | None = None, creator_id: int | None = None) -> tuple[Principal, dict[str, str]]:
        user = make_user(tenant_code, *roles, email=email, name=name, seller_id=seller_id, creator_id=creator_id)
        with db.session(user.tenant_id, write=True) as session:
            issued = service.issue_token(session, user)
        headers = {"Authorization": f"Bearer {issued.token}", TENANT_HEADER: tenant_code}
        return service.user_principal(user), headers

    return login


def operator_logins_for(app: Any) -> OperatorLogin:
    """An ``operator_login`` function for ``app``: headers of a new operator (no tenant header)."""
    db = app.extensions["pasar.db"]

    def operator_login(tenants: Sequence[str] = ("*",), *, email: str | None = None) -> dict[str, str]:
        with db.session(write=True) as session:
            operator = service.add_operator(session, email=email or unique_email("operator"), name="Test Operator",
                                            password_hash=default_password_hash(), tenant_codes=tenants)
            issued = service.issue_token(session, operator)
        return {"Authorization": f"Bearer {issued.token}"}

    return operator_login


@pytest.fixture()
def make_user(app: Any) -> MakeUser:
    return users_for(app)


@pytest.fixture()
def login(app: Any) -> Login:
    return logins_for(app)


@pytest.fixture()
def operator_login(app: Any) -> OperatorLogin:
    return operator_logins_for(app)
