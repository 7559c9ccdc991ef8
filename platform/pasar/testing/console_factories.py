"""Helpers for tests of the operator console (loaded with ``-p``): operators with the known
test password, and a browser-like client on the tenant-less ``/console/`` pages.

    def test_queue(console):
        ops = console(tenants=("th",))          # signed in through /console/signin
        assert ops.get("/console/tenants/th/kyc").status_code == 200
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol

import pytest

from pasar.accounts import service
from pasar.accounts.models import Operator
from pasar.testing.accounts_factories import DEFAULT_PASSWORD, default_password_hash, unique_email

_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def operators_for(app: Any) -> Any:
    """A factory of operators of ``app`` (password ``DEFAULT_PASSWORD``)."""
    db = app.extensions["pasar.db"]

    def make(tenants: Sequence[str] = ("*",), *, email: str | None = None, name: str = "Test Operator") -> Operator:
        with db.session(write=True) as session:
            return service.add_operator(session, email=email or unique_email("operator"), name=name,
                                        password_hash=default_password_hash(), tenant_codes=tenants)

    return make


class ConsoleClient:
    """A Flask test client used like a browser on the console (no tenant in the URL)."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.operator: Operator | None = None

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, **kwargs)

    def csrf(self, path: str = "/console/signin") -> str:
        """The CSRF token the session's pages carry (what a browser form sends back)."""
        found = _CSRF_META.search(self.get(path).get_data(as_text=True))
        assert found, f"no CSRF token on {path}"
        return found.group(1)

    def post(self, path: str, data: dict[str, Any] | None = None, *, csrf: bool = True, **kwargs: Any) -> Any:
        form = dict(data or {})
        if csrf:
            form["csrf_token"] = self.csrf()
        return self.client.post(path, data=form, **kwargs)

    def sign_in(self, email: str, password: str = DEFAULT_PASSWORD) -> Any:
        response = self.post("/console/signin", {"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response


class MakeConsole(Protocol):
    def __call__(self, tenants: Sequence[str] = ("*",), *, email: str | None = None) -> ConsoleClient: ...


def consoles_for(app: Any) -> MakeConsole:
    """Signed-in console clients of ``app``: a new operator for ``tenants`` each time."""
    make_operator = operators_for(app)

    def make(tenants: Sequence[str] = ("*",), *, email: str | None = None) -> ConsoleClient:
        operator = make_operator(tenants, email=email)
        client = ConsoleClient(app.test_client())
        client.sign_in(operator.email)
        client.operator = operator
        return client

    return make


@pytest.fixture()
def make_operator(app: Any) -> Any:
    return operators_for(app)


@pytest.fixture()
def console(app: Any) -> MakeConsole:
    """``console(tenants=("th",))``: a fresh browser-like session of a new operator, signed in."""
    return consoles_for(app)
