"""Order services: what buyers and sellers read and do with orders, and completion.

Plain functions over ``(session, tenant, ...)``; no Flask. Every status change goes through
``pasar.orders.state.transition``, which refuses a move the actor may not make
(``InvalidTransition``; the API answers 409).

Completion settles an order in the ledger (``order_completed``). What the seller earns:

* **gross** = what the buyer paid for the order (``total_minor``: lines after both vouchers,
  plus shipping, plus tax added on top where prices exclude it) **plus the platform voucher**,
  which the platform pays in the buyer's place. So gross = subtotal − seller voucher +
  shipping (+ added tax). Shipping counts as the seller's revenue: the seller buys the label
  from the carrier, so the shipping fee the buyer paid is passed on to them.
* **commission** = tenant ``platform_commission`` × (subtotal − seller voucher): on the goods,
  never on shipping or added tax.
* **payment fee** = ``payment_fee_rate`` (tenant file ``settings``, default 0.02 — the
  operator's agreement with its payment provider) × what the buyer paid.
* **marketplace tax** = the order's tax when the marketplace collects it (deemed supplier /
  facilitator), otherwise 0.
* **withholding** = what the tenant's plugins withhold on the seller's turnover (goods, tax
  excluded), given the seller's kind and this calendar year's turnover.
* **affiliate** = each credited creator's commission on the lines it brought
  (``pasar.creators.commission``); it comes out of the seller's share.

Refunds made before completion came out of ``buyer_clearing`` already, so only what the buyer
kept is split: units sent back with a return leave with exactly their goods, tax and voucher
shares (and the shipping a full withdrawal refunds); any other earlier refund scales the whole
split by the share of the payment kept. After a return the rest of the order settles at once
(``settle``, from ``pasar.returns``). The platform voucher leaves a debit in
``buyer_clearing`` — money the platform added to the buyer's — so "captured + platform
vouchers = payouts + commission + fees + tax + withholding + still owed + refunds + held for
open orders" holds to the minor unit (``tests/e2e/test_e2e_ledger_identity.py``).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from moneyed import Money
from sqlalchemy import Select, func, insert, inspect, select
from sqlalchemy.orm import Session, lazyload

from pasar import clock
from pasar.catalog.service import release_stock, restock
from pasar.contracts import WithholdingContext
from pasar.deals.service import release_orders
from pasar.creators.commission import affiliate_shares
from pasar.ledger import postings
from pasar.ledger import service as ledger
from pasar.ledger.models import LedgerTransaction
from pasar.money import allocate, from_minor, quantize, to_minor
from pasar.events.service import record_many
from pasar.orders.models import Order, OrderLine
from pasar.orders.state import Actor, transition
from pasar.returns.models import ReturnRequest
from pasar.sellers.models import Seller
from pasar.shipping.models import Shipment
from pasar.tenancy.service import TenantContext

SYSTEM = Actor("system")
DEFAULT_PAYMENT_FEE_RATE = Decimal("0.02")
#: Statuses an order completes from once its return window has passed.
COMPLETABLE = ("delivered", "return_rejected")
SELLER_KINDS = {"company": "business", "individual": "individual", "household": "household"}
PAGE_SIZE = 20


class OrderError(Exception):
    """Something the orders domain refuses; ``field`` names the input at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field = message, field


class OrderNotFound(OrderError, LookupError):
    """No such order for this buyer or seller (another's order is not found either)."""


class OrderConflict(OrderError):
    """The order is not in a state where this can be done."""


# --- reading --------------------------------------------------------------------------------------
def write_placed(session: Session, tenant: TenantContext, orders: Sequence[Order]) -> None:
    """Write a new checkout's orders with their lines, and an ``order.placed`` event each, in
    three INSERTs whatever the number of orders and lines. The ORM's flush would send one
    INSERT per row on SQLite (it cannot match the rows a multi-row RETURNING sends back to its
    objects there); here the orders come back by shop, and a checkout has one order per shop.

    ``orders`` are new ``Order`` objects with their ``lines``, never added to the session: they
    come back with their ids (and defaults) filled in, a snapshot the caller answers from."""
    if not orders:
        return
    ids = dict(session.execute(insert(Order).returning(Order.seller_id, Order.id),
                               [_row(order, tenant) for order in orders]).all())
    assert len(ids) == len(orders), "a checkout places one order per shop"
    lines = []
    for order in orders:
        order.id = ids[order.seller_id]
        lines += [_row(line, tenant, order_id=order.id) for line in order.lines]
    session.execute(insert(OrderLine), lines)
    record_many(session, tenant, "order.placed", [(order.id, {
        "order_id": order.id, "checkout_id": order.checkout_id, "seller_id": order.seller_id,
        "buyer_id": order.buyer_id, "total_minor": order.total_minor, "currency": order.currency,
    }) for order in orders])


def _row(obj: Any, tenant: TenantContext, **values: Any) -> dict[str, Any]:
    """The INSERT values of a new mapped object: its attributes, the columns' defaults where
    it has none (kept on the object too), the tenant and ``values``."""
    for name, value in values.items():
        setattr(obj, name, value)
    obj.tenant_id = tenant.id
    row: dict[str, Any] = {}
    for attr in inspect(type(obj)).column_attrs:
        column = attr.columns[0]
        if column.primary_key:
            continue
        value = getattr(obj, attr.key)
        if value is None and column.default is not None:
            value = column.default.arg(None) if column.default.is_callable else column.default.arg  # type: ignore[attr-defined]
            setattr(obj, attr.key, value)
        row[attr.key] = value
    return row


def ledger_ref(order_id: int) -> str:
    """The order's reference in the ledger (completion and refunds use the same one)."""
    return f"order:{order_id}"


def buyer_order(session: Session, tenant: TenantContext, buyer_id: int, order_id: int, *, lock: bool = False) -> Order:
    return _one(session, select(Order).where(Order.id == order_id, Order.buyer_id == buyer_id), lock)


def seller_order(session: Session, tenant: TenantContext, seller_id: int, order_id: int, *, lock: bool = False) -> Order:
    return _one(session, select(Order).where(Order.id == order_id, Order.seller_id == seller_id), lock)


def get_order(session: Session, tenant: TenantContext, order_id: int, *, lock: bool = False) -> Order:
    return _one(session, select(Order).where(Order.id == order_id), lock)


def _one(session: Session, query: Select[tuple[Order]], lock: bool) -> Order:
    if lock:
        query = query.with_for_update()
    order = session.scalar(query)
    if order is None:
        raise OrderNotFound("no such order", "order_id")
    return order


def buyer_orders(
    session: Session, tenant: TenantContext, buyer_id: int, *, before: int | None = None, limit: int = PAGE_SIZE
) -> list[Order]:
    """A page of the buyer's orders, newest first; ``before`` is the last id of the previous
    page (keyset pagination: stable while new orders arrive)."""
    query = select(Order).where(Order.buyer_id == buyer_id)
    return _page(session, query, before, limit)


def seller_orders(
    session: Session, tenant: TenantContext, seller_id: int, *, status: str | None = None,
    before: int | None = None, limit: int = PAGE_SIZE,
) -> list[Order]:
    """A page of the shop's orders, newest first, optionally of one status."""
    query = select(Order).where(Order.seller_id == seller_id)
    if status is not None:
        query = query.where(Order.status == status)
    return _page(session, query, before, limit)


def _page(session: Session, query: Select[tuple[Order]], before: int | None, limit: int) -> list[Order]:
    """A list page shows summaries (lines counted, no history): the transitions are not loaded
    with it (one statement less per page; an order's own page still loads them)."""
    if before is not None:
        query = query.where(Order.id < before)
    query = query.options(lazyload(Order.transitions)).order_by(Order.id.desc()).limit(limit)
    return list(session.scalars(query))


def shipment_for(session: Session, tenant: TenantContext, order_id: int) -> Shipment | None:
    return session.scalar(select(Shipment).where(Shipment.order_id == order_id))


def daily_sales(session: Session, tenant: TenantContext, seller_id: int, first: date, last: date) -> list[tuple[date, int]]:
    """What buyers paid the shop on each day from ``first`` to ``last`` (both included; a day
    without sales is listed with 0), in minor units of the tenant's currency.

    Days are the marketplace's local days (a seller's "Tuesday" is the market's, not UTC's) and
    an order counts on the day its payment arrived; cancelled orders are left out because their
    money went back. The seller center's sales chart reads this."""
    zone = ZoneInfo(tenant.config.timezone)
    start = datetime.combine(first, time.min, zone)
    end = datetime.combine(last + timedelta(days=1), time.min, zone)
    rows = session.execute(select(Order.paid_at, Order.total_minor).where(
        Order.seller_id == seller_id, Order.paid_at >= start, Order.paid_at < end, Order.status != "cancelled"))
    totals = {first + timedelta(days=n): 0 for n in range((last - first).days + 1)}
    for paid_at, total in rows:
        totals[paid_at.astimezone(zone).date()] += total
    return list(totals.items())


# --- stock ----------------------------------------------------------------------------------------
def put_back_stock(session: Session, tenant: TenantContext, order: Order) -> None:
    """Return a cancelled order's units: a hold is released while the order was unpaid (the
    units never left the shelf); units of a paid order were sold, so they are restocked."""
    for line in order.lines:
        if order.paid_at is None:
            release_stock(session, tenant, line.variant_id, line.quantity)
        else:
            restock(session, tenant, line.variant_id, line.quantity)
    if order.paid_at is None:  # its deal units go back to their deals
        release_orders(session, tenant, [order.id], clock.now())


# --- seller and buyer actions --------------------------------------------------------------------
def payment_flow(tenant: TenantContext, order: Order) -> str | None:
    """The flow of the order's payment method (``on_delivery`` for cash on delivery)."""
    method = tenant.hooks.payment_methods(tenant.country).get(order.payment_method)
    return method.flow if method is not None else None


def mark_ready(session: Session, tenant: TenantContext, seller_id: int, order_id: int, user_id: int) -> Order:
    """The seller accepts the order and will ship it: a paid order, or an unpaid one whose
    buyer pays the courier in cash (cash on delivery)."""
    order = seller_order(session, tenant, seller_id, order_id, lock=True)
    if order.status == "pending_payment" and payment_flow(tenant, order) != "on_delivery":
        raise OrderConflict(f"order {order.id} is waiting for its payment", "status")
    transition(session, tenant, order, "ready_to_ship", Actor("seller", user_id), reason="accepted by the seller")
    return order


def refunded_due(session: Session, tenant: TenantContext, order: Order) -> int:
    """What is still to be refunded when a paid order is cancelled (0 when unpaid)."""
    if order.paid_at is None:
        return 0
    return max(order.total_minor - refunded_minor(session, tenant, order), 0)


def cancel(session: Session, tenant: TenantContext, order_id: int, actor: Actor, reason: str) -> Order:
    """Cancel the order (checked by the state machine) and put its units back."""
    order = get_order(session, tenant, order_id, lock=True)
    transition(session, tenant, order, "cancelled", actor, reason=reason)
    put_back_stock(session, tenant, order)
    return order


def buyer_cancel(session: Session, tenant: TenantContext, buyer_id: int, order_id: int, reason: str) -> Order:
    """The buyer cancels an order they have not paid yet."""
    order = buyer_order(session, tenant, buyer_id, order_id, lock=True)
    if order.status != "pending_payment":
        raise OrderConflict(f"order {order.id} is {order.status}: only an unpaid order can be cancelled", "status")
    return cancel(session, tenant, order.id, Actor("buyer", buyer_id), reason)


# --- completion and settlement ------------------------------------------------------------------
@dataclass(frozen=True)
class Settlement:
    """How an order's money splits at completion (minor units, tenant currency)."""

    gross: int
    commission: int
    payment_fee: int
    tax_marketplace: int
    withholding: int

    @property
    def seller_net(self) -> int:
        return self.gross - self.commission - self.payment_fee - self.tax_marketplace - self.withholding


def due_for_completion(session: Session, tenant: TenantContext, at: datetime, limit: int = 200) -> list[int]:
    """Ids of delivered (or return-rejected) orders whose return window has closed."""
    query = (
        select(Order.id)
        .where(Order.status.in_(COMPLETABLE), Order.return_deadline.is_not(None), Order.return_deadline < at)
        .order_by(Order.return_deadline, Order.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def complete(session: Session, tenant: TenantContext, order_id: int, at: datetime | None = None) -> Order:
    """Complete one order whose return window has closed and settle it in the ledger."""
    moment = at or clock.now()
    order = get_order(session, tenant, order_id, lock=True)
    if order.status not in COMPLETABLE or order.return_deadline is None or order.return_deadline >= moment:
        raise OrderConflict(f"order {order.id} is not due for completion", "status")
    if order.paid_at is None:
        raise OrderConflict(f"order {order.id} has no captured payment yet", "status")
    transition(session, tenant, order, "completed", SYSTEM, reason="return window closed", at=moment)
    settle(session, tenant, order, moment)
    return order


def settle(session: Session, tenant: TenantContext, order: Order, at: datetime | None = None) -> LedgerTransaction | None:
    """Post the order's split (once: the ledger is idempotent on the order's reference).
    Nothing is posted for an order refunded in full."""
    split = settlement(session, tenant, order, at or clock.now())
    if split.gross <= 0:
        return None
    money = _money_of(tenant, order.currency)
    affiliate = [(creator_id, money(minor)) for creator_id, minor in affiliate_shares(session, tenant, order, rounder(tenant))]
    return postings.order_completed(
        session, tenant, ledger_ref(order.id), order.seller_id, money(split.gross), money(split.commission),
        money(split.payment_fee), money(split.tax_marketplace), money(split.withholding), affiliate, occurred_at=at,
    )


def settlement(session: Session, tenant: TenantContext, order: Order, at: datetime) -> Settlement:
    """The split described in the module docstring, for what the buyer kept.

    Units sent back with a return are taken out exactly (their goods, tax and voucher shares;
    the shipping a full withdrawal refunded); any other refund made before completion scales
    the whole split by the share of the payment the buyer kept.
    """
    round_ = rounder(tenant)
    paid = order.total_minor
    back = returned(session, order)
    goods_paid = paid - order.shipping_minor  # what the buyer paid for the goods (+ added tax)
    kept_goods = Fraction(max(goods_paid - back.goods_minor, 0), goods_paid) if goods_paid > 0 else Fraction(1)
    kept_shipping = order.shipping_minor - back.shipping_minor
    other = max(refunded_minor(session, tenant, order) - back.goods_minor - back.shipping_minor, 0)
    left = paid - back.goods_minor - back.shipping_minor
    kept = Fraction(max(left - other, 0), left) if left > 0 else Fraction(0)
    goods = (order.subtotal_minor - order.seller_discount_minor) * kept_goods * kept
    tax = order.tax_minor * kept_goods * kept
    tax_inside = tax if order.tax_included else 0
    gross = round_(((goods_paid + order.platform_discount_minor) * kept_goods + kept_shipping) * kept)
    return Settlement(
        gross=gross,
        commission=round_(goods * Fraction(tenant.config.platform_commission)),
        payment_fee=round_(max(left - other, 0) * Fraction(payment_fee_rate(tenant))),
        tax_marketplace=round_(tax) if order.tax_collected_by == "marketplace" else 0,
        withholding=withholding(session, tenant, order, round_(goods - tax_inside), at),
    )


@dataclass(frozen=True)
class Returned:
    """What refunded returns gave back for an order (minor units)."""

    goods_minor: int = 0  # the buyer's payment for the units (with tax added on top)
    shipping_minor: int = 0  # outbound shipping refunded with a full withdrawal


def returned(session: Session, order: Order) -> Returned:
    """The order's refunded returns, added up."""
    rows = session.execute(
        select(ReturnRequest.refund_minor, ReturnRequest.shipping_refund_minor)
        .where(ReturnRequest.order_id == order.id, ReturnRequest.status == "refunded")
    ).all()
    shipping = sum(row.shipping_refund_minor for row in rows)
    return Returned(sum(row.refund_minor for row in rows) - shipping, shipping)


def payment_fee_rate(tenant: TenantContext) -> Decimal:
    """The operator's fee rate with its payment provider (tenant ``settings.payment_fee_rate``)."""
    return Decimal(str(tenant.config.settings.get("payment_fee_rate", DEFAULT_PAYMENT_FEE_RATE)))


def withholding(session: Session, tenant: TenantContext, order: Order, turnover_minor: int, at: datetime) -> int:
    """Income tax the plugins withhold on this settlement's turnover (goods, tax excluded)."""
    if turnover_minor <= 0:
        return 0
    kind = session.scalar(select(Seller.business_type).where(Seller.id == order.seller_id))
    rules = tenant.currency_rules()
    local_day = at.astimezone(ZoneInfo(tenant.config.timezone)).date()
    earlier = annual_turnover(session, tenant, order.seller_id, at, exclude=order.id)
    context = WithholdingContext(
        country=tenant.country,
        currency=order.currency,
        on=local_day,
        gross=from_minor(turnover_minor, order.currency, rules).amount,
        seller_kind=SELLER_KINDS.get(kind or "company", "business"),  # type: ignore[arg-type]
        annual_turnover=from_minor(earlier + turnover_minor, order.currency, rules).amount,
    )
    amount = sum((w.amount for w in tenant.hooks.withholding(context)), Decimal(0))
    return to_minor(Money(quantize(amount, rules.iso_minor_units, rules.rounding), order.currency), rules)


def annual_turnover(session: Session, tenant: TenantContext, seller_id: int, at: datetime, *, exclude: int | None = None) -> int:
    """The seller's goods sold in orders completed this calendar year (tenant's local year)."""
    zone = ZoneInfo(tenant.config.timezone)
    start = datetime(at.astimezone(zone).year, 1, 1, tzinfo=zone)
    query = select(func.coalesce(func.sum(Order.subtotal_minor - Order.seller_discount_minor), 0)).where(
        Order.seller_id == seller_id, Order.completed_at.is_not(None), Order.completed_at >= start,
        Order.completed_at <= at,
    )
    if exclude is not None:
        query = query.where(Order.id != exclude)
    return int(session.scalar(query) or 0)


def refunded_minor(session: Session, tenant: TenantContext, order: Order) -> int:
    """What the ledger shows refunded to the buyer for this order so far."""
    total = 0
    for refund in ledger.related(session, tenant, "refund", ledger_ref(order.id)):
        total -= ledger.stored_legs(refund).get(("refund_clearing", order.currency), 0)
    for failed in ledger.related(session, tenant, "refund_failed", ledger_ref(order.id)):  # nothing left
        total -= ledger.stored_legs(failed).get(("refund_clearing", order.currency), 0)
    return total


def _money_of(tenant: TenantContext, currency: str) -> Callable[[int], Money]:
    rules = ledger.rules_for(tenant, currency)
    return lambda minor: from_minor(minor, currency, rules)


def rounder(tenant: TenantContext) -> Callable[[Fraction | int], int]:
    """Round an exact share (a fraction of minor units) to the currency's display precision
    with its named rounding mode, back in minor units."""
    rules = tenant.currency_rules()
    step = 10 ** (rules.iso_minor_units - rules.display_minor_units)

    def round_(value: Fraction | int) -> int:
        share = Fraction(value) / step
        exact = Decimal(share.numerator) / Decimal(share.denominator)
        return int(quantize(exact, 0, rules.rounding)) * step

    return round_


def paid_by_line(tenant: TenantContext, order: Order) -> dict[int, int]:
    """What the buyer paid for each line: its goods after both vouchers, plus its tax where
    tax is added on top. The order's paid goods are split over the lines by what each line
    cost after its voucher share (largest remainder, display precision), so the parts add up
    to exactly what was paid."""
    step = display_step(tenant)
    tax_added = 0 if order.tax_included else order.tax_minor
    goods = order.total_minor - order.shipping_minor - tax_added
    lines = list(order.lines)
    weights = [max(line.unit_price_minor * line.quantity - line.discount_minor, 0) for line in lines]
    goods_parts = _split(goods, weights, step)
    tax_parts = _split(tax_added, [line.tax_minor for line in lines], step)
    return {line.id: g + t for line, g, t in zip(lines, goods_parts, tax_parts)}


def display_step(tenant: TenantContext) -> int:
    """Minor units per smallest displayed unit (IDR: 100 sen per rupiah)."""
    rules = tenant.currency_rules()
    return int(10 ** (rules.iso_minor_units - rules.display_minor_units))


def _split(total: int, weights: list[int], step: int) -> list[int]:
    if total <= 0 or not any(weights):
        return [0] * len(weights)
    return [part * step for part in allocate(total // step, weights)]
