"""Helpers for tests of the operator console (loaded with ``-p``): operators with the known
test password, and a browser-like client on the tenant-less ``/console/`` pages.

    def test_queue(console):
        ops = console(tenants=("th",))          # signed in through /console/signin
        assert ops.get("/console/tenants/th/kyc").status_code == 200
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import pytest

from pasar.accounts import service
from pasar.accounts.models import Operator
from pasar.testing.accounts_factories import default_password_hash, unique_email
from pasar.testing.pages_factories import WebClient


def operators_for(app: Any) -> Any:
    """A factory of operators of ``app`` (password ``DEFAULT_PASSWORD``)."""
    db = app.extensions["pasar.db"]

    def make(tenants: Sequence[str] = ("*",), *, email: str | None = None, name: str = "Test Operator") -> Operator:
        with db.session(write=True) as session:
            return service.add_operator(session, email=email or unique_email("operator"), name=name,
                                        password_hash=default_password_hash(), tenant_codes=tenants)

    return make


class ConsoleClient(WebClient):
    """A :class:`WebClient` on the console: no tenant in the URL, the console's sign-in page."""

    signin_path = "/console/signin"

    def __init__(self, client: Any) -> None:
        super().__init__(client, tenant="")
        self.operator: Operator | None = None

    def url(self, path: str) -> str:
        return path


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
