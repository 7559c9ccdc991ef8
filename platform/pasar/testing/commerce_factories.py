"""Factory fixtures for carts, checkouts and payments, driving the real endpoints.

    def test_paid_order_ships(place_order, pay, make_seller, make_product, login):
        _, buyer = login("uk", "buyer")
        product = make_product(make_seller("uk"))
        placed = place_order(buyer, product, method="paypal")   # cart → POST /api/v1/checkout
        paid = pay(placed)                                      # the sandbox page: Approve

``place_order`` fills the buyer's cart and places it with an Idempotency-Key, an address the
tenant's carriers and tax rules accept, and a sandbox card for card payments. ``pay`` plays the
buyer on the sandbox payment page (approve a redirect, "pay" a virtual account or QR) and
follows the return URL; card payments are captured at placement, cash on delivery is paid to
the courier (``payments.service.confirm_cash_collected``). ``held_webhooks`` keeps the sandbox
providers' webhooks instead of delivering them, so a test can lose, repeat or reorder them.
"""
from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from pasar.contracts import OutgoingWebhook

TEST_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"
TIMEOUT_CARD = "4000000000003063"

#: A delivery address per country that the region plugins' tax rules and carriers accept.
EXAMPLE_ADDRESSES: dict[str, dict[str, str]] = {
    "ID": {"name": "Budi Santoso", "line1": "Jl. Sudirman No. 1", "city": "Jakarta", "region": "DKI Jakarta", "postal_code": "10220"},
    "MY": {"name": "Aminah binti Ali", "line1": "1 Jalan Ampang", "city": "Kuala Lumpur", "region": "Wilayah Persekutuan", "postal_code": "50450"},
    "TH": {"name": "Somchai Jaidee", "line1": "1 Sukhumvit Road", "city": "Bangkok", "region": "Bangkok", "postal_code": "10110"},
    "VN": {"name": "Nguyen Van An", "line1": "1 Le Loi", "city": "Ho Chi Minh City", "region": "Ho Chi Minh", "postal_code": "700000"},
    "PH": {"name": "Juan dela Cruz", "line1": "1 Ayala Avenue", "city": "Makati", "region": "Metro Manila", "postal_code": "1226"},
    "SG": {"name": "Tan Wei Ming", "line1": "1 Orchard Road", "city": "Singapore", "postal_code": "238824"},
    "GB": {"name": "Alex Smith", "line1": "1 High Street", "city": "London", "postal_code": "SW1A 1AA"},
    "DE": {"name": "Max Mustermann", "line1": "Hauptstraße 1", "city": "Berlin", "postal_code": "10115"},
    "FR": {"name": "Marie Dupont", "line1": "1 rue de Rivoli", "city": "Paris", "postal_code": "75001"},
    "ES": {"name": "Lucía García", "line1": "Calle Mayor 1", "city": "Madrid", "postal_code": "28013"},
    "IT": {"name": "Mario Rossi", "line1": "Via Roma 1", "city": "Roma", "postal_code": "00184"},
    "IE": {"name": "Seán Murphy", "line1": "1 O'Connell Street", "city": "Dublin", "postal_code": "D01 F5P2"},
    "NL": {"name": "Jan de Vries", "line1": "Damrak 1", "city": "Amsterdam", "postal_code": "1012 LG"},
    "US": {"name": "Sam Lee", "line1": "1 Broadway", "city": "New York City", "region": "NY", "postal_code": "10004"},
}

_TOKEN = re.compile(r'name="token" value="([^"]+)"')


def address_for(app: Any, tenant_code: str, **overrides: str) -> dict[str, str]:
    """A delivery address in the tenant's country (``shipping_address`` of a checkout body)."""
    from pasar.testing.accounts_factories import tenant_context

    country = tenant_context(app, tenant_code).country
    return {"country": country, **EXAMPLE_ADDRESSES[country], **overrides}


@dataclass
class Placed:
    """A ``POST /api/v1/checkout`` answer and what made it."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str]  # the buyer's
    key: str
    request: dict[str, Any]

    @property
    def checkout_id(self) -> int:
        return int(self.body["checkout_id"] if "checkout_id" in self.body else self.body["checkout"]["checkout_id"])

    @property
    def payment(self) -> dict[str, Any]:
        return dict(self.body["payment"])

    @property
    def order_ids(self) -> list[int]:
        return [order["id"] for order in self.body["orders"]]


class Commerce:
    """Cart, checkout and sandbox payment steps of one app, through its real endpoints."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.client = app.test_client()

    def add_to_cart(self, headers: dict[str, str], variant_id: int, quantity: int = 1) -> Any:
        answer = self.client.post("/api/v1/cart/lines", json={"variant_id": variant_id, "quantity": quantity}, headers=headers)
        assert answer.status_code == 201, answer.json
        return answer

    def checkout_body(self, headers: dict[str, str], *, method: str = "card", vouchers: Sequence[str] = (),
                      address: dict[str, str] | None = None, shipping: Sequence[dict[str, Any]] = (),
                      details: dict[str, str] | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "shipping_address": address or address_for(self.app, headers["X-Pasar-Tenant"]),
            "payment_method": method, "vouchers": list(vouchers), "shipping": list(shipping),
        }
        if details is not None or method == "card":
            body["payment_details"] = details if details is not None else {"card_number": TEST_CARD}
        return body

    def place_order(self, headers: dict[str, str], *items: Any, method: str = "card", quantity: int = 1,
                    vouchers: Sequence[str] = (), address: dict[str, str] | None = None,
                    shipping: Sequence[dict[str, Any]] = (), details: dict[str, str] | None = None,
                    key: str | None = None, expect: int | None = 201) -> Placed:
        """Put each item (a ``ProductHandle``, a variant id, or ``(item, quantity)``) in the
        cart and place it; ``expect`` is the status asserted (None: anything)."""
        for item in items:
            thing, count = item if isinstance(item, tuple) else (item, quantity)
            variant_id = thing if isinstance(thing, int) else thing.variant_id
            self.add_to_cart(headers, variant_id, count)
        body = self.checkout_body(headers, method=method, vouchers=vouchers, address=address, shipping=shipping, details=details)
        return self.submit(headers, body, key=key, expect=expect)

    def submit(self, headers: dict[str, str], body: dict[str, Any], *, key: str | None = None,
               expect: int | None = 201) -> Placed:
        key = key or f"test-{uuid.uuid4().hex}"
        answer = self.client.post("/api/v1/checkout", json=body, headers={**headers, "Idempotency-Key": key})
        if expect is not None:
            assert answer.status_code == expect, answer.json
        return Placed(answer.status_code, answer.json, headers, key, body)

    def checkout(self, placed: Placed) -> dict[str, Any]:
        answer = self.client.get(f"/api/v1/checkout/{placed.checkout_id}", headers=placed.headers)
        assert answer.status_code == 200, answer.json
        return dict(answer.json)

    def pay(self, placed: Placed, *, action: str | None = None) -> dict[str, Any]:
        """Act on the sandbox payment page as the buyer (``approve``/``decline`` a redirect,
        ``pay`` a virtual account or QR code), follow the return URL, and answer the checkout
        as it is then. Payments without a page (card, cash on delivery) are left as they are."""
        payment_action = placed.payment["action"]
        page = payment_action.get("redirect_url") or payment_action.get("sandbox_url")
        if not page:
            return self.checkout(placed)
        chosen = action or ("approve" if payment_action["type"] == "redirect" else "pay")
        shown = self.client.get(page)
        assert shown.status_code == 200, shown.data[:500]
        match = _TOKEN.search(shown.get_data(as_text=True))
        assert match is not None, "the sandbox page has no form"
        pressed = self.client.post(page, data={"token": match.group(1), "action": chosen})
        assert pressed.status_code == 303, pressed.data[:500]
        back = self.client.get(pressed.headers["Location"])
        assert back.status_code == 200, back.json
        return dict(back.json)

    # -- looking at what was stored ----------------------------------------------------------
    @contextmanager
    def session(self, tenant_code: str) -> Iterator[Any]:
        """A session bound to the tenant (committed on success)."""
        from pasar.testing.accounts_factories import tenant_context

        tenant = tenant_context(self.app, tenant_code)
        with self.app.extensions["pasar.db"].session(tenant.id) as session:
            yield session

    def payment_row(self, tenant_code: str, checkout_id: int) -> Any:
        from sqlalchemy import select

        from pasar.payments.models import Payment

        with self.session(tenant_code) as session:
            return session.scalar(select(Payment).where(Payment.checkout_id == checkout_id))

    def charges(self, tenant_code: str, reference: str) -> int:
        """Payments the sandbox providers hold for our payment ``reference``: each one is a
        charge at the provider, so a retry must never make a second."""
        from sqlalchemy import select

        from pasar.tenancy.models import ProviderState

        with self.session(tenant_code) as session:
            rows = session.scalars(select(ProviderState).where(ProviderState.key.like(f"sandbox:{tenant_code}:payments:%:payment:%")))
            return sum(1 for row in rows if row.value.get("reference") == reference)

    def postings(self, tenant_code: str, kind: str, reference: str | None = None) -> int:
        """Ledger transactions of ``kind`` (and ``reference``) in the tenant's books."""
        from sqlalchemy import func, select

        from pasar.ledger.models import LedgerTransaction

        query = select(func.count()).select_from(LedgerTransaction).where(LedgerTransaction.kind == kind)
        if reference is not None:
            query = query.where(LedgerTransaction.reference == reference)
        with self.session(tenant_code) as session:
            return int(session.scalar(query) or 0)


@pytest.fixture()
def commerce(app: Any) -> Commerce:
    """Cart/checkout/payment steps on the shared ``app`` (webhooks are delivered to it)."""
    from pasar.worker import use_app

    use_app(app)
    return Commerce(app)


@pytest.fixture()
def place_order(commerce: Commerce) -> Any:
    """``place_order(buyer_headers, *products, method="card", quantity=1, vouchers=(),
    address=None, shipping=(), details=None, key=None, expect=201) -> Placed``."""
    return commerce.place_order


@pytest.fixture()
def pay(commerce: Commerce) -> Any:
    """``pay(placed, action=None) -> checkout JSON`` through the sandbox payment page."""
    return commerce.pay


@pytest.fixture()
def time_travel(monkeypatch: pytest.MonkeyPatch) -> Callable[[timedelta], datetime]:
    """``time_travel(delta)`` moves the kernel's clock and the sandbox providers' clock
    forward by ``delta`` (cumulative) and returns the new now."""
    import pasar.clock as clock
    import pasar.providers as providers

    offset = [timedelta(0)]

    def now() -> datetime:
        return datetime.now(UTC) + offset[0]

    monkeypatch.setattr(clock, "now", now)
    monkeypatch.setattr(providers, "now", now)

    def travel(delta: timedelta) -> datetime:
        offset[0] += delta
        return now()

    return travel


@dataclass
class HeldWebhooks:
    """Sandbox webhooks kept instead of delivered: lose them, repeat them, reorder them."""

    app: Any
    sent: list[tuple[str, OutgoingWebhook]] = field(default_factory=list)

    def of(self, endpoint: str = "payments") -> list[tuple[str, OutgoingWebhook]]:
        return [(tenant, hook) for tenant, hook in self.sent if hook.endpoint == endpoint]

    def deliver(self, tenant: str, webhook: OutgoingWebhook) -> Any:
        """POST one webhook to the kernel's endpoint, as ``deliver_webhook`` does."""
        from pasar.providers import WEBHOOK_PATH

        return self.app.test_client().post(
            WEBHOOK_PATH.format(endpoint=webhook.endpoint, provider=webhook.provider), data=webhook.body,
            headers={**dict(webhook.headers), "X-Pasar-Tenant": tenant},
        )


@pytest.fixture()
def held_webhooks(app: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldWebhooks]:
    """While active, every sandbox provider of every tenant keeps its webhooks here."""
    import pasar.providers as providers

    held = HeldWebhooks(app)

    def queue(tenant_code: str) -> Any:
        def send(webhook: OutgoingWebhook) -> None:
            held.sent.append((tenant_code, webhook))

        return send

    monkeypatch.setattr(providers, "queue_webhook", queue)
    yield held
