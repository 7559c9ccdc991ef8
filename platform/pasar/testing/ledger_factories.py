"""Factory fixtures for the ledger domain's tests (and for tests of domains built on it).

``ledger_app`` is an app on its own fresh database, because a payout batch pays *everyone*
owed in a tenant: sharing the session-wide ``app`` with other domains' tests would pay (or
fail to find) their balances. ``books`` hands a test that app's ``uk`` tenant with empty books.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from moneyed import Money
from sqlalchemy import delete
from sqlalchemy.orm import Session

from pasar.contracts import BankAccount
from pasar.ledger.models import LedgerAccount, LedgerEntry, LedgerTransaction, Payout, PayoutBatch

#: The ledger's models, children before parents: the order their rows are deleted in.
LEDGER_MODELS = (Payout, PayoutBatch, LedgerEntry, LedgerTransaction, LedgerAccount)
_counter = itertools.count(1)


def tenant_context(app: Any, code: str) -> Any:
    """The ``TenantContext`` of a stored tenant of ``app``."""
    from pasar.tenancy import service as tenancy

    db = app.extensions["pasar.db"]
    with db.session(all_tenants=True) as session:
        row = tenancy.get_tenant(session, code)
        return tenancy.context_for(row, app.extensions["pasar.plugins"])


def unique_ref(prefix: str) -> str:
    """A reference no other test of this run uses (the ledger is idempotent on references)."""
    return f"{prefix}-{next(_counter)}"


def unique_owner_id() -> int:
    """A seller or creator id no other test of this run uses."""
    return 100_000 + next(_counter)


def wipe_ledger(app: Any, tenant_id: int) -> None:
    """Delete a tenant's ledger rows (children first) so a test starts with empty books."""
    db = app.extensions["pasar.db"]
    with db.session(all_tenants=True, write=True) as session:
        for model in LEDGER_MODELS:
            session.execute(delete(model).where(model.tenant_id == tenant_id))


@dataclass
class Books:
    """One tenant's ledger for a test: sessions bound to it, money in its currency."""

    app: Any
    tenant: Any
    opened: list[Session] = field(default_factory=list)

    @property
    def db(self) -> Any:
        return self.app.extensions["pasar.db"]

    @contextmanager
    def session(self, *, write: bool = True) -> Iterator[Session]:
        """A session bound to the tenant that commits on success."""
        with self.db.session(self.tenant.id, write=write) as session:
            yield session

    def open(self) -> Session:
        """A session bound to the tenant that the test drives by hand (closed at teardown)."""
        from pasar.db import bind_tenant

        session: Session = self.db.sessions()
        bind_tenant(session, self.tenant.id)
        self.opened.append(session)
        return session

    def money(self, amount: str | int | Decimal) -> Money:
        return Money(Decimal(amount), self.tenant.currency)

    def close(self) -> None:
        for session in self.opened:
            session.close()


@pytest.fixture(scope="module")
def ledger_app(make_app: Callable[..., Any]) -> Any:
    """An app with the reference tenants on a database no other module touches."""
    return make_app()


@pytest.fixture()
def books(ledger_app: Any) -> Iterator[Books]:
    """The ``uk`` tenant of ``ledger_app`` with empty books."""
    from pasar import worker

    tenant = tenant_context(ledger_app, "uk")
    wipe_ledger(ledger_app, tenant.id)
    previous = worker._app_cache.get("app")  # the app eager tasks ran against before
    worker.use_app(ledger_app)  # eager tasks (outbox relay, webhook delivery) use this app
    found = Books(ledger_app, tenant)
    yield found
    found.close()
    if previous is not None:
        worker.use_app(previous)


def bank_account(number: str = "12345678", *, holder: str = "Toko Maju") -> BankAccount:
    """A UK account as the sandbox payout provider of ``sandbox_payouts`` expects it: a
    six-digit sort code and an eight-digit number (one ending in 0000 is a closed account)."""
    return BankAccount(holder=holder, number=number, bank_code="123456", country="GB")


@dataclass
class SandboxPayouts:
    provider: Any  # pasar.sandbox.SandboxPayoutProvider
    webhooks: Any  # pasar.sandbox.testing.WebhookRecorder
    clock: Any  # pasar.sandbox.testing.FakeClock

    def events(self) -> list[Any]:
        """Every webhook sent so far, verified and parsed as the kernel's endpoint would."""
        return [self.provider.verify_webhook(w.headers, w.body) for w in self.webhooks.sent]


@pytest.fixture()
def sandbox_payouts() -> SandboxPayouts:
    """A sandbox Faster Payments provider on an in-memory provider context."""
    from pasar.sandbox import SandboxPayoutProvider
    from pasar.sandbox.testing import memory_context

    context, webhooks, clock = memory_context("uk")
    provider = SandboxPayoutProvider(
        code="sandbox_faster_payments",
        country="GB",
        currency="GBP",
        context=context,
        account_pattern=r"\d{8}",
        bank_code_pattern=r"\d{6}",
        account_label="account number",
    )
    return SandboxPayouts(provider, webhooks, clock)
