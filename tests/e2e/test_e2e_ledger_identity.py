"""The books add up, exactly, over many random orders.

A seeded random loop of ``ORDERS`` orders (300 by default, about 22 s on SQLite; CI's
``.ci/run`` sets ``PASAR_IDENTITY_ORDERS=1200``, about 90 s) places multi-seller
checkouts in three marketplaces — the UK (tax inside the prices, collected by the seller), the
US (tax added on top, collected by the marketplace as facilitator) and Indonesia (IDR shown
without decimals, PPh 22 withheld) — with seller and platform vouchers, shipping and tax, and
sends each order down a random path through the services: cancelled and refunded before it
ships; delivered then completed; partly or wholly returned and refunded; returned but refused;
refunded after completion (a clawback once the seller was paid out). Payout batches run along
the way. Then, per marketplace:

* every ledger transaction sums to zero;
* each completed order's split is what an independent model of the rules says;
* captured + platform vouchers = paid out + payouts in flight + commission + payment fees
  + marketplace tax + withholding + still owed to sellers + refunds + held for open orders,
  to the minor unit — where "captured" and "refunds" come from the payments tables, "paid out"
  from the payout rows, and "held" from the orders, not from the ledger.
"""
from __future__ import annotations

import os
import random
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pasar import contracts as c
from pasar.clock import today_in
from pasar.ledger import service as ledger
from pasar.ledger.models import LedgerEntry, LedgerTransaction, Payout
from pasar.ledger.tasks import run_payouts
from pasar.money import allocate, from_minor
from pasar.orders import service as orders
from pasar.orders.models import Checkout, Order, OrderLine
from pasar.orders.state import Actor, transition
from pasar.payments import state as payment_state
from pasar.payments.models import Payment, Refund
from pasar.payments.refunds import refund_order
from pasar.payments.service import open_payment
from pasar.returns import service as returns
from pasar.returns.models import ReturnRequest
from pasar.shipping.service import return_window_days
from pasar.testing.catalog_factories import products_for, tenant_context
from pasar.testing.fulfilment_factories import address_for
from pasar.testing.sellers_factories import sellers_for

ORDERS = int(os.environ.get("PASAR_IDENTITY_ORDERS", "300"))
SEED = 20260219
TENANTS = ("uk", "us", "id")
#: prices in display units per tenant (IDR has no decimals in practice)
PRICES = {"uk": ("4.99", "12.50", "19.99", "37.25"), "us": ("9.99", "24.00", "59.95", "120.00"),
          "id": ("15000", "87500", "149900", "420000")}
SHIPPING = {"uk": ("0", "2.99", "3.49"), "us": ("0", "5.99", "7.25"), "id": ("0", "9000", "15000")}
CATEGORIES = ("standard", "books", "clothing", "food")


@dataclass
class World:
    """What the random loop made, per tenant."""

    sellers: dict[str, list[Any]] = field(default_factory=dict)
    products: dict[int, list[Any]] = field(default_factory=dict)  # seller id → products
    prices: dict[int, int] = field(default_factory=dict)  # product id → price in display units
    buyers: dict[str, int] = field(default_factory=dict)


@pytest.fixture()
def world(e2e_app: Any, tmp_path_factory: pytest.TempPathFactory) -> World:
    from pasar.testing.accounts_factories import logins_for
    from pasar.worker import use_app

    use_app(e2e_app)
    make_seller = sellers_for(e2e_app, tmp_path_factory.mktemp("identity-uploads"))
    make_product = products_for(e2e_app)
    login = logins_for(e2e_app)
    found = World()
    for code in TENANTS:
        found.sellers[code] = [make_seller(code) for _ in range(4)]
        found.buyers[code] = login(code, "buyer")[0].id
        for seller in found.sellers[code]:
            found.products[seller.id] = []
            for n, price in enumerate(PRICES[code]):
                product = make_product(seller, price=price, stock=100_000, category=CATEGORIES[n % len(CATEGORIES)])
                found.products[seller.id].append(product)
                found.prices[product.id] = display_units(code, price)
    return found


# --- placing and paying through the services ----------------------------------------------------
def place_and_capture(session: Session, tenant: Any, buyer_id: int, baskets: list[dict[str, Any]]) -> list[int]:
    """One checkout with an order per basket, its payment opened and captured (payments'
    state machine: ledger capture, orders paid, stock sold)."""
    from pasar.catalog.service import reserve_stock, variant_for_sale

    rules = tenant.currency_rules()
    address = address_for(tenant.country)
    built = []
    for basket in baskets:
        sale = [(variant_for_sale(session, tenant, p.variant_id), q) for p, q in basket["items"]]
        for item, q in sale:
            assert reserve_stock(session, tenant, item.variant_id, q)
        built.append((basket, sale, _order(tenant, basket, sale, address, rules)))
    checkout = Checkout(
        buyer_id=buyer_id, idempotency_key=f"identity-{uuid4().hex}", request_hash="0" * 64,
        currency=tenant.currency, subtotal_minor=sum(o.subtotal_minor for *_, o in built),
        discount_minor=sum(o.seller_discount_minor + o.platform_discount_minor for *_, o in built),
        shipping_minor=sum(o.shipping_minor for *_, o in built),
        tax_added_minor=sum(0 if o.tax_included else o.tax_minor for *_, o in built),
        total_minor=sum(o.total_minor for *_, o in built), payment_method="card", shipping_address=asdict(address),
    )
    session.add(checkout)
    session.flush()
    for *_, order in built:
        order.checkout_id = checkout.id
        session.add(order)
    session.flush()
    method = next(m for m in tenant.payment_methods() if m.code == "card")
    payment = open_payment(session, tenant, checkout, method)
    assert payment_state.move(session, tenant, payment, "captured", amount_minor=checkout.total_minor)
    return [order.id for *_, order in built]


def _order(tenant: Any, basket: dict[str, Any], sale: list[Any], address: c.Address, rules: Any) -> Order:
    step = 10 ** (rules.iso_minor_units - rules.display_minor_units)
    subtotal = sum(item.price_minor * q for item, q in sale)
    seller_discount = basket["seller_discount"] * step
    platform_discount = basket["platform_discount"] * step
    weights = [item.price_minor * q for item, q in sale]
    shares = [part * step for part in allocate((seller_discount + platform_discount) // step, weights)]
    quote = tenant.hooks.tax_quote(c.TaxContext(
        country=tenant.country, currency=tenant.currency, on=today_in(tenant.config.timezone),
        subdivision=address.region or None, city=address.city or None,
        lines=tuple(c.TaxLineInput(str(n), i.tax_category, i.unit_price, q) for n, (i, q) in enumerate(sale)),
    ))
    taxes = [int(line.tax.scaleb(rules.iso_minor_units)) for line in quote.lines]
    added = 0 if quote.inclusive else sum(taxes)
    shipping = basket["shipping"] * step
    order = Order(
        seller_id=basket["seller"].id, buyer_id=basket["buyer_id"], currency=tenant.currency, subtotal_minor=subtotal,
        seller_discount_minor=seller_discount, platform_discount_minor=platform_discount, shipping_minor=shipping,
        tax_minor=sum(taxes), tax_included=quote.inclusive, tax_collected_by=quote.collected_by,
        total_minor=subtotal - seller_discount - platform_discount + shipping + added, payment_method="card",
        carrier=tenant.carriers()[0].code, shipping_service=tenant.carriers()[0].services[0],
        shipping_address=asdict(address),
    )
    order.lines = [
        OrderLine(product_id=i.product_id, variant_id=i.variant_id, sku=i.sku, title=i.title, tax_category=i.tax_category,
                  unit_price_minor=i.price_minor, quantity=q, discount_minor=d, tax_minor=t, tax_rate=str(line.rate),
                  weight_grams=i.weight_grams)
        for (i, q), d, t, line in zip(sale, shares, taxes, quote.lines)
    ]
    return order


def random_baskets(rng: random.Random, world: World, code: str) -> list[dict[str, Any]]:
    """One to three shops, one or two products each, with random vouchers and shipping."""
    baskets = []
    for seller in rng.sample(world.sellers[code], rng.randint(1, 3)):
        items = [(product, rng.randint(1, 3)) for product in rng.sample(world.products[seller.id], rng.randint(1, 2))]
        units = sum(world.prices[product.id] * quantity for product, quantity in items)
        baskets.append({
            "seller": seller, "buyer_id": world.buyers[code], "items": items,
            "seller_discount": rng.choice((0, 0, units // 20)),
            "platform_discount": rng.choice((0, 0, units // 10)),
            "shipping": display_units(code, rng.choice(SHIPPING[code])),
        })
    return baskets


def display_units(code: str, text: str) -> int:
    """An amount in display units: pennies and cents, whole rupiah."""
    return int(Decimal(text)) if code == "id" else int(Decimal(text) * 100)


# --- the orders' random paths -----------------------------------------------------------------
class Paths:
    """Sends orders down random paths, one short transaction per step (as the API does)."""

    def __init__(self, app: Any, rng: random.Random) -> None:
        self.db, self.rng = app.extensions["pasar.db"], rng

    def session(self, tenant: Any) -> Any:
        return self.db.session(tenant.id, write=True)

    def follow(self, tenant: Any, order_id: int, seller: Any) -> None:
        roll = self.rng.random()
        if roll < 0.08:
            self.cancel(tenant, order_id, seller)
            return
        self.deliver(tenant, order_id, seller)
        if roll < 0.26:
            self.give_back(tenant, order_id, seller)
            return
        if roll < 0.31:
            self.refuse_return(tenant, order_id, seller)
        self.complete(tenant, order_id)
        if self.rng.random() < 0.12:
            self.claw_back(tenant, order_id)

    def cancel(self, tenant: Any, order_id: int, seller: Any) -> None:
        with self.session(tenant) as session:
            order = orders.cancel(session, tenant, order_id, Actor("seller", seller.user_id), "out of stock")
            refund_order(session, tenant, order_id, order.total_minor, reason="cancelled",
                         idempotency_key=f"identity:{tenant.code}:{order_id}:cancel")

    def deliver(self, tenant: Any, order_id: int, seller: Any) -> None:
        with self.session(tenant) as session:
            order = orders.get_order(session, tenant, order_id, lock=True)
            transition(session, tenant, order, "ready_to_ship", Actor("seller", seller.user_id))
            transition(session, tenant, order, "shipped", Actor("carrier"))
            transition(session, tenant, order, "delivered", Actor("carrier"))
            assert order.delivered_at is not None
            order.return_deadline = order.delivered_at + timedelta(days=return_window_days(tenant, order.delivered_at))

    def give_back(self, tenant: Any, order_id: int, seller: Any) -> None:
        """A return of some units (or all of them), refunded when they arrive."""
        with self.session(tenant) as session:
            order = orders.get_order(session, tenant, order_id)
            lines = self.rng.sample(order.lines, self.rng.randint(1, len(order.lines)))
            wanted = [returns.WantedLine(line.id, self.rng.randint(1, line.quantity)) for line in lines]
            request = returns.request_return(session, tenant, order.buyer_id, order_id, wanted, "does not fit")
            return_id = request.id
        with self.session(tenant) as session:
            returns.approve(session, tenant, seller.id, return_id, seller.user_id)
        with self.session(tenant) as session:
            receipt = returns.receive(session, tenant, seller.id, return_id, seller.user_id)
            refund_order(session, tenant, order_id, receipt.refund_minor, reason="returned",
                         idempotency_key=receipt.idempotency_key)
        with self.session(tenant) as session:
            returns.mark_refunded(session, tenant, seller.id, return_id, seller.user_id)

    def refuse_return(self, tenant: Any, order_id: int, seller: Any) -> None:
        with self.session(tenant) as session:
            order = orders.get_order(session, tenant, order_id)
            line = order.lines[0]
            request = returns.request_return(session, tenant, order.buyer_id, order_id,
                                             [returns.WantedLine(line.id, 1)], "changed my mind")
            return_id = request.id
        with self.session(tenant) as session:
            returns.reject(session, tenant, seller.id, return_id, seller.user_id, "worn")

    def complete(self, tenant: Any, order_id: int) -> None:
        with self.session(tenant) as session:
            order = orders.get_order(session, tenant, order_id)
            assert order.return_deadline is not None
            orders.complete(session, tenant, order_id, order.return_deadline + timedelta(seconds=1))

    def claw_back(self, tenant: Any, order_id: int) -> None:
        """A refund after completion (often after the seller was paid out)."""
        with self.session(tenant) as session:
            order = orders.get_order(session, tenant, order_id)
            step = orders.display_step(tenant)
            amount = self.rng.randint(1, order.total_minor // step) * step
            refund_order(session, tenant, order_id, amount, reason="goodwill",
                         idempotency_key=f"identity:{tenant.code}:{order_id}:goodwill")


# --- the model the books are checked against ---------------------------------------------------
def display_round(tenant: Any, value: Fraction) -> int:
    """An exact amount of minor units rounded to the display precision (named mode)."""
    rules = tenant.currency_rules()
    step = orders.display_step(tenant)
    share = value / step
    return int((Decimal(share.numerator) / Decimal(share.denominator)).quantize(Decimal(1), rules.rounding)) * step


def model_split(tenant: Any, order: Order, back_goods: int, back_shipping: int) -> dict[str, int]:
    """The completion split the rules give for an order whose returns gave back
    ``back_goods`` (+ ``back_shipping``) before it settled."""
    paid, shipping = order.total_minor, order.shipping_minor
    goods_paid = paid - shipping
    kept = Fraction(goods_paid - back_goods, goods_paid) if goods_paid else Fraction(1)
    goods = Fraction(order.subtotal_minor - order.seller_discount_minor) * kept
    tax = Fraction(order.tax_minor) * kept
    split = {
        "gross": display_round(tenant, (goods_paid + order.platform_discount_minor) * kept + shipping - back_shipping),
        "commission": display_round(tenant, goods * Fraction(tenant.config.platform_commission)),
        "fee": display_round(tenant, Fraction(paid - back_goods - back_shipping) * Fraction("0.02")),
        "tax": display_round(tenant, tax) if order.tax_collected_by == "marketplace" else 0,
        "withholding": 0,
    }
    if tenant.country == "ID":  # PMK 37/2025: PPh 22 0.5% of the turnover without VAT [S14][S15]
        base = display_round(tenant, goods - (tax if order.tax_included else 0))
        rules = tenant.currency_rules()
        amount = (from_minor(base, order.currency, rules).amount * Decimal("0.005")).quantize(Decimal(1), ROUND_HALF_UP)
        split["withholding"] = int(amount.scaleb(rules.iso_minor_units))
    return split


def posted_split(transaction: LedgerTransaction) -> dict[str, int]:
    legs = {code: amount for (code, _cur), amount in ledger.stored_legs(transaction).items()}
    return {"gross": legs.get("buyer_clearing", 0), "commission": -legs.get("platform_revenue", 0),
            "fee": -legs.get("payment_fees", 0), "tax": -legs.get("tax_payable", 0),
            "withholding": -legs.get("withholding_payable", 0)}


# --- the test ------------------------------------------------------------------------------------
def test_every_money_movement_balances_and_the_books_explain_every_captured_unit(e2e_app: Any, world: World) -> None:
    rng = random.Random(SEED)
    paths = Paths(e2e_app, rng)
    db = e2e_app.extensions["pasar.db"]
    tenants = {code: tenant_context(e2e_app, code) for code in TENANTS}
    for number in range(1, ORDERS + 1):
        code = rng.choice(TENANTS)
        tenant = tenants[code]
        baskets = random_baskets(rng, world, code)
        with db.session(tenant.id, write=True) as session:
            order_ids = place_and_capture(session, tenant, world.buyers[code], baskets)
        for order_id, basket in zip(order_ids, baskets):
            paths.follow(tenant, order_id, basket["seller"])
        if number % 150 == 0:
            run_payouts.delay(f"identity-{number}")
    run_payouts.delay("identity-final")
    for code, tenant in tenants.items():
        with db.session(tenant.id) as session:
            check_books(session, tenant)


def check_books(session: Session, tenant: Any) -> None:
    """The three checks of the module docstring for one marketplace's books."""
    assert unbalanced_transactions(session) == []
    refunds_of = refunds_by_order(session)
    held, subsidy, settled = check_completions(session, tenant, refunds_of)
    captured = session.scalar(select(func.sum(Payment.captured_minor)).where(
        Payment.status.in_(sorted(payment_state.CAPTURED)))) or 0
    payouts = dict(session.execute(select(Payout.status, func.sum(Payout.amount_minor)).group_by(Payout.status)).all())

    def owed(code: str) -> int:
        return -ledger.balance_minor(session, tenant, code, tenant.currency)

    sellers_owed = -sum(total for _account, total in
                        ledger.balances_by_prefix(session, tenant, ["seller_payable"], tenant.currency))
    explained = (
        payouts.get("paid", 0) + payouts.get("pending", 0) + payouts.get("processing", 0)
        + owed("platform_revenue") + owed("payment_fees") + owed("tax_payable") + owed("withholding_payable")
        + sellers_owed + sum(refunds_of.values()) + held
    )
    assert settled >= ORDERS // 10 and payouts.get("paid", 0) > 0
    assert captured + subsidy == explained


def unbalanced_transactions(session: Session) -> list[Any]:
    return list(session.execute(
        select(LedgerEntry.transaction_id, LedgerEntry.currency)
        .group_by(LedgerEntry.transaction_id, LedgerEntry.currency)
        .having(func.sum(LedgerEntry.amount_minor) != 0)
    ).all())


def refunds_by_order(session: Session) -> dict[int, int]:
    """Every refund owed or paid to buyers, per order (payments' own table)."""
    found: dict[int, int] = defaultdict(int)
    for order_id, amount in session.execute(select(Refund.order_id, Refund.amount_minor).where(Refund.status != "failed")):
        found[order_id] += amount
    return found


def returned_by_order(session: Session) -> dict[int, tuple[int, int]]:
    """(goods, shipping) that refunded returns gave back, per order."""
    found: dict[int, tuple[int, int]] = defaultdict(lambda: (0, 0))
    query = select(ReturnRequest.order_id, ReturnRequest.refund_minor, ReturnRequest.shipping_refund_minor)
    for row in session.execute(query.where(ReturnRequest.status == "refunded")):
        goods, shipping = found[row.order_id]
        found[row.order_id] = (goods + row.refund_minor - row.shipping_refund_minor, shipping + row.shipping_refund_minor)
    return found


def check_completions(session: Session, tenant: Any, refunds_of: dict[int, int]) -> tuple[int, int, int]:
    """Check each settled order's split against the model; returns what open orders still
    hold, the platform vouchers the settlements added, and how many orders settled."""
    returned = returned_by_order(session)
    completions = {t.reference: t for t in session.scalars(
        select(LedgerTransaction).where(LedgerTransaction.kind == "order_completed"))}
    held = subsidy = settled = 0
    for order in session.scalars(select(Order)):
        posting = completions.get(orders.ledger_ref(order.id))
        if posting is None:
            held += order.total_minor - refunds_of[order.id]
            continue
        back_goods, back_shipping = returned[order.id]
        expected = model_split(tenant, order, back_goods, back_shipping)
        assert posted_split(posting) == expected, f"order {order.id}"
        subsidy += expected["gross"] - (order.total_minor - back_goods - back_shipping)
        settled += 1
    return held, subsidy, settled
