"""Factory fixtures for the fulfilment domains' tests (orders, shipping, returns).

``make_order(seller, product, quantity=1, method="card", paid=True, ready=False, ...)`` leaves
an order exactly as checkout and payments leave one — a checkout, its order and lines with the
tax the tenant's plugin computes, stock reserved (cash on delivery) or sold, and for a paid
order the ``gateway`` transition and the ledger's ``payment_captured`` — without going through
the checkout endpoints, so shipping, order and return tests do not depend on checkout's own
behaviour (the end-to-end tests in ``tests/e2e`` drive the real endpoints instead).

``deliver(client, order)`` buys the label through the API and plays the courier through the
sandbox endpoint until the parcel is delivered. Every flow here relies on eager Celery tasks
delivering sandbox webhooks to the app the test uses, so the fixtures point the worker at it.
"""
from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any, Protocol

import pytest
from moneyed import Money

from pasar import contracts as c
from pasar.testing.accounts_factories import logins_for
from pasar.testing.catalog_factories import ProductHandle, tenant_context

_keys = itertools.count(1)

#: A delivery address per country the reference tenants serve (US: a state with sales tax).
ADDRESSES: dict[str, c.Address] = {
    "US": c.Address(country="US", postal_code="10001", region="NY", city="New York City", line1="1 Main St",
                    name="Pat Buyer", phone="+12125550100"),
    "GB": c.Address(country="GB", postal_code="SW1A 1AA", region="London", city="London", line1="1 High St",
                    name="Sam Buyer", phone="+442071234567"),
}


def address_for(country: str) -> c.Address:
    return ADDRESSES.get(country) or c.Address(
        country=country, postal_code="10110", region="Central", city="Capital", line1="1 Market Road",
        name="Test Buyer", phone="+6620000000",
    )


@dataclass(frozen=True)
class OrderHandle:
    """An order made for a test, with who can act on it."""

    id: int
    checkout_id: int
    tenant: str
    buyer_id: int
    buyer_headers: dict[str, str]
    seller: Any  # SellerHandle
    line_ids: tuple[int, ...]


class MakeOrder(Protocol):
    def __call__(
        self, seller: Any, products: ProductHandle | Sequence[tuple[ProductHandle, int]], *, quantity: int = 1,
        method: str = "card", paid: bool = True, ready: bool = False, shipping: str = "0",
        seller_discount: str = "0", platform_discount: str = "0", buyer: tuple[Any, dict[str, str]] | None = None,
    ) -> OrderHandle: ...


def orders_for(app: Any) -> MakeOrder:
    """A ``make_order`` for ``app`` (tests with their own ``make_app()`` app use this)."""
    login = logins_for(app)

    def make(
        seller: Any, products: ProductHandle | Sequence[tuple[ProductHandle, int]], *, quantity: int = 1,
        method: str = "card", paid: bool = True, ready: bool = False, shipping: str = "0",
        seller_discount: str = "0", platform_discount: str = "0", buyer: tuple[Any, dict[str, str]] | None = None,
    ) -> OrderHandle:
        items = [(products, quantity)] if isinstance(products, ProductHandle) else list(products)
        principal, headers = buyer or login(seller.tenant, "buyer")
        ids = _create(app, seller, items, principal.id, method, paid, ready, shipping, seller_discount, platform_discount)
        return OrderHandle(ids[0], ids[1], seller.tenant, principal.id, dict(headers), seller, tuple(ids[2]))

    return make


def _create(
    app: Any, seller: Any, items: list[tuple[ProductHandle, int]], buyer_id: int, method: str, paid: bool,
    ready: bool, shipping: str, seller_discount: str, platform_discount: str,
) -> tuple[int, int, list[int]]:
    from pasar.catalog.service import commit_stock, reserve_stock, variant_for_sale
    from pasar.clock import today_in
    from pasar.ledger import postings
    from pasar.money import allocate, from_minor, money, to_minor
    from pasar.orders.models import Checkout, Order, OrderLine
    from pasar.orders.state import Actor, transition

    tenant = tenant_context(app, seller.tenant)
    rules = tenant.currency_rules()
    minor = lambda text: to_minor(money(text, tenant.currency), rules)  # noqa: E731
    address = address_for(tenant.country)
    with app.extensions["pasar.db"].session(tenant.id, write=True) as session:
        sale = [(variant_for_sale(session, tenant, p.variant_id), q) for p, q in items]
        for item, q in sale:
            assert reserve_stock(session, tenant, item.variant_id, q), "the test product has stock"
        subtotal = sum(item.price_minor * q for item, q in sale)
        discounts = allocate(minor(seller_discount) + minor(platform_discount), [i.price_minor * q for i, q in sale])
        quote = tenant.hooks.tax_quote(c.TaxContext(
            country=tenant.country, currency=tenant.currency, on=today_in(tenant.config.timezone),
            subdivision=address.region or None, city=address.city or None,
            lines=tuple(c.TaxLineInput(str(n), i.tax_category, i.unit_price, q) for n, (i, q) in enumerate(sale)),
        ))
        assert quote is not None
        taxes = [to_minor(Money(line.tax, tenant.currency), rules) for line in quote.lines]
        tax, added = sum(taxes), (0 if quote.inclusive else sum(taxes))
        total = subtotal - sum(discounts) + minor(shipping) + added
        carrier = _carrier(tenant, method)
        checkout = Checkout(
            buyer_id=buyer_id, idempotency_key=f"factory-{next(_keys)}", request_hash="0" * 64, currency=tenant.currency,
            subtotal_minor=subtotal, discount_minor=sum(discounts), shipping_minor=minor(shipping),
            tax_added_minor=added, total_minor=total, payment_method=method, shipping_address=asdict(address),
        )
        session.add(checkout)
        session.flush()
        order = Order(
            checkout_id=checkout.id, seller_id=seller.id, buyer_id=buyer_id, currency=tenant.currency,
            subtotal_minor=subtotal, seller_discount_minor=minor(seller_discount),
            platform_discount_minor=minor(platform_discount), shipping_minor=minor(shipping), tax_minor=tax,
            tax_included=quote.inclusive, tax_collected_by=quote.collected_by, total_minor=total,
            payment_method=method, carrier=carrier.code, shipping_service=carrier.services[0],
            shipping_address=asdict(address),
        )
        order.lines = [
            OrderLine(product_id=i.product_id, variant_id=i.variant_id, sku=i.sku, title=i.title,
                      tax_category=i.tax_category, unit_price_minor=i.price_minor, quantity=q, discount_minor=d,
                      tax_minor=t, tax_rate=str(line.rate), weight_grams=i.weight_grams)
            for (i, q), d, t, line in zip(sale, discounts, taxes, quote.lines)
        ]
        session.add(order)
        session.flush()
        if paid:
            postings.payment_captured(session, tenant, f"factory-capture:{checkout.id}",
                                      from_minor(total, tenant.currency, rules))
            transition(session, tenant, order, "paid", Actor("gateway"), reason="factory payment")
            checkout.status, checkout.paid_at = "paid", order.paid_at
            for item, q in sale:
                commit_stock(session, tenant, item.variant_id, q)
        if ready:
            transition(session, tenant, order, "ready_to_ship", Actor("seller", seller.user_id))
        return order.id, checkout.id, [line.id for line in order.lines]


def _carrier(tenant: Any, method: str) -> c.CarrierInfo:
    """The tenant's first carrier (one that collects cash for a cash-on-delivery order)."""
    cod = tenant.hooks.payment_methods(tenant.country)[method].flow == "on_delivery"
    return next(info for info in tenant.carriers() if info.cod or not cod)


def deliver(client: Any, order: OrderHandle, *, until: str = "delivered") -> dict[str, Any]:
    """Buy the order's label and scan the parcel until it reaches ``until``; returns the label."""
    label = client.post(f"/api/v1/seller/orders/{order.id}/shipment", json={}, headers=order.seller.headers)
    assert label.status_code in (200, 201), label.get_json()
    tracking = label.get_json()["tracking_number"]
    for _ in range(6):
        current = client.get(f"/api/v1/seller/orders/{order.id}/shipment", headers=order.seller.headers).get_json()
        if current["status"] == until:
            return current
        moved = client.post(f"/sandbox/{order.tenant}/shipments/{tracking}/advance", json={},
                            headers=order.seller.headers)
        assert moved.status_code == 200, moved.get_json()
    raise AssertionError(f"parcel {tracking} never reached {until}")


@pytest.fixture()
def make_order(app: Any) -> MakeOrder:
    """``make_order(seller, product, quantity=1, method="card", paid=True, ready=False, ...)``."""
    from pasar.worker import use_app

    use_app(app)
    return orders_for(app)


# --- end-to-end journeys through the real endpoints ------------------------------------------------
@dataclass(frozen=True)
class Shop:
    """A shop opened through the API: its id and its owner's headers."""

    id: int
    tenant: str
    headers: dict[str, str]


class Journey:
    """A marketplace driven only through its HTTP endpoints (plus the beat tasks), for the
    end-to-end tests: sellers register and are approved, list products, buyers pay, parcels
    travel, orders complete and sellers are paid out."""

    def __init__(self, app: Any) -> None:
        from pasar.testing.accounts_factories import operator_logins_for
        from pasar.testing.commerce_factories import Commerce

        self.app = app
        self.client = app.test_client()
        self.login = logins_for(app)
        self.commerce = Commerce(app)
        self.operator = operator_logins_for(app)(("*",))

    def open_shop(self, code: str, name: str, business_type: str = "company") -> Shop:
        """Register a shop, upload every document the region asks for, have an operator approve it."""
        from pasar.testing.sellers_factories import PNG_BYTES, registration_body

        _, headers = self.login(code, "buyer")
        country = tenant_context(self.app, code).country
        body = registration_body(country, name=name, business_type=business_type)
        opened = self.client.post("/api/v1/sellers", json=body, headers=headers)
        assert opened.status_code == 201, opened.get_json()
        for kind in opened.get_json()["missing_documents"]:
            self._upload(headers, kind, PNG_BYTES + kind.encode())
        shop_id = opened.get_json()["id"]
        approved = self.client.post(f"/api/v1/operator/sellers/{shop_id}/approve",
                                    headers={**self.operator, "X-Pasar-Tenant": code})
        assert approved.status_code == 200, approved.get_json()
        return Shop(shop_id, code, headers)

    def _upload(self, headers: dict[str, str], kind: str, data: bytes) -> None:
        import io

        from werkzeug.datastructures import FileStorage, MultiDict
        from werkzeug.test import encode_multipart

        file = FileStorage(io.BytesIO(data), filename=f"{kind}.png", content_type="image/png")
        boundary, body = encode_multipart(MultiDict({"kind": kind, "file": file}))
        answer = self.client.post("/api/v1/seller/documents", data=body, headers=headers,
                                  content_type=f"multipart/form-data; boundary={boundary}")
        assert answer.status_code == 201, answer.get_json()

    def list_product(self, shop: Shop, price: str, *, category: str = "standard", stock: int = 20) -> int:
        """Create, price and activate a product; returns its variant id."""
        tenant = tenant_context(self.app, shop.tenant)
        texts = {tenant.default_locale: {"title": f"Thing of shop {shop.id}", "description": "Made for a test"}}
        product = self.client.post("/api/v1/seller/products", headers=shop.headers, json={
            "texts": texts, "tax_category": category, "weight_grams": 700, "length_cm": 20, "width_cm": 15,
            "height_cm": 8})
        assert product.status_code == 201, product.get_json()
        product_id = product.get_json()["id"]
        variant = self.client.post(f"/api/v1/seller/products/{product_id}/variants", headers=shop.headers,
                                   json={"sku": f"E2E-{shop.tenant}-{shop.id}-{next(_keys)}", "price": price,
                                         "stock": stock})
        assert variant.status_code == 201, variant.get_json()
        active = self.client.patch(f"/api/v1/seller/products/{product_id}", headers=shop.headers,
                                   json={"status": "active"})
        assert active.status_code == 200, active.get_json()
        return int(variant.get_json()["id"])

    def buy(self, code: str, *variants: int | tuple[int, int], method: str, **options: Any) -> tuple[Any, Any]:
        """A buyer places one checkout of ``variants`` and pays on the sandbox page."""
        principal, buyer = self.login(code, "buyer")
        placed = self.commerce.place_order(buyer, *variants, method=method, **options)
        checkout = self.commerce.pay(placed)
        return placed, checkout

    def order(self, order_id: int, headers: dict[str, str], *, seller: bool = False) -> dict[str, Any]:
        path = f"/api/v1/seller/orders/{order_id}" if seller else f"/api/v1/orders/{order_id}"
        answer = self.client.get(path, headers=headers)
        assert answer.status_code == 200, answer.get_json()
        return dict(answer.get_json())

    def ship(self, order_id: int, shop: Shop) -> dict[str, Any]:
        """The seller accepts the order, buys the label and the courier delivers the parcel."""
        ready = self.client.post(f"/api/v1/seller/orders/{order_id}/ready", headers=shop.headers)
        assert ready.status_code == 200, ready.get_json()
        handle = OrderHandle(order_id, 0, shop.tenant, 0, {}, shop, ())
        return deliver(self.client, handle)

    def complete_all(self, code: str, order_ids: Sequence[int], headers: dict[str, str]) -> None:
        """Run the completion task as of just after the latest return deadline."""
        from datetime import datetime, timedelta

        from pasar.orders.tasks import complete_due

        deadlines = [datetime.fromisoformat(self.order(i, headers)["return_window"]["deadline"]) for i in order_ids]
        complete_due.delay((max(deadlines) + timedelta(seconds=1)).isoformat())

    def run_payouts(self, reference: str) -> dict[str, str]:
        from pasar.ledger.tasks import run_payouts

        return dict(run_payouts.delay(reference).get())

    def payouts(self, shop: Shop) -> list[dict[str, Any]]:
        answer = self.client.get("/api/v1/seller/payouts", headers=shop.headers)
        assert answer.status_code == 200, answer.get_json()
        return list(answer.get_json())

    def trial_balance(self, code: str) -> dict[str, Any]:
        answer = self.client.get("/api/v1/operator/ledger/trial-balance", headers={**self.operator, "X-Pasar-Tenant": code})
        assert answer.status_code == 200, answer.get_json()
        return dict(answer.get_json())


def expected_payable(tenant: Any, order: dict[str, Any]) -> Decimal:
    """What the seller is owed for a delivered order with no refunds, by the rule of
    ``pasar.orders.service``: the buyer's payment plus the platform voucher, less commission
    on the goods, the payment fee on the payment, tax the marketplace collects, withholding."""
    from decimal import ROUND_HALF_UP

    rules = tenant.currency_rules()
    step = Decimal(1).scaleb(-rules.display_minor_units)
    totals = order["totals"]
    paid = Decimal(totals["total"]["amount"])
    goods = Decimal(totals["subtotal"]["amount"]) - Decimal(totals["seller_discount"]["amount"])
    commission = (goods * tenant.config.platform_commission).quantize(step, ROUND_HALF_UP)
    fee = (paid * Decimal("0.02")).quantize(step, ROUND_HALF_UP)
    tax = Decimal(totals["tax"]["amount"]) if totals["tax_collected_by"] == "marketplace" else Decimal(0)
    return paid + Decimal(totals["platform_discount"]["amount"]) - commission - fee - tax
