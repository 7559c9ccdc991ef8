"""Checkout services: quote the buyer's cart, and turn it into one order per shop.

Plain functions over ``(session, tenant, ...)``; no Flask. ``place_orders`` runs inside the
caller's write transaction: it prices the cart again (prices are never taken from the cart or
the quote), reserves every line's stock with the catalogue's conditional UPDATE — in variant
order, so two checkouts never wait for each other crosswise — redeems the vouchers, writes the
checkout, its orders and their lines, and empties the bought lines from the cart. A line
priced at a running deal claims its units from the deal (``pasar.deals``) just before they are
reserved. An order with a line added in a live room is stamped with that room as its source. Any refusal raises, and the caller's rollback undoes every reservation made before it.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from pasar import clock
from pasar.cart import service as carts
from pasar.catalog.service import reserve_stock
from pasar.checkout import vouchers
from pasar.checkout.errors import Conflict, InvalidCheckout, NotFound, OutOfStock
from pasar.checkout.pricing import (
    CartPick, PricedGroup, PricedLine, Quote, QuoteRequest, ShippingOptions, deal_prices, deal_refusal, price,
)
from pasar.contracts import Address, Parcel, ShippingQuote
from pasar.deals import service as deals
from pasar.deals.models import DealClaim
from pasar.events.service import record
from pasar.orders.models import Checkout, Order, OrderLine
from pasar.tenancy.service import TenantContext

#: How long a buyer has to finish a payment that names no deadline of its own (redirect and
#: card flows); a virtual account or QR code brings its own ``expires_at``.
PAYMENT_WINDOW = timedelta(minutes=30)


@dataclass(frozen=True)
class Buyer:
    id: int
    email: str
    locale: str  # the language order lines are written in


def shipping_options(session: Session, tenant: TenantContext) -> ShippingOptions:
    """The tenant's carriers' quotes from a shop's ship-from address (``pasar.shipping``)."""
    from pasar.shipping.service import quote_options

    def options(seller_id: int, destination: Address, parcel: Parcel) -> list[ShippingQuote]:
        return quote_options(session, tenant, seller_id, destination, parcel)

    return options


def check_address(tenant: TenantContext, address: Address) -> Address:
    """The address if orders can ship there: in this marketplace's country, with the
    subdivision (US state) where tax depends on it."""
    if address.country.upper() != tenant.country:
        raise InvalidCheckout(f"this marketplace delivers in {tenant.country} only", "shipping_address.country")
    info = tenant.hooks.country(tenant.country)
    if info is not None and info.subdivisions and not address.region.strip():
        raise InvalidCheckout("the state is required here", "shipping_address.region")
    return Address(**{**asdict(address), "country": address.country.upper()})


def cart_picks(session: Session, tenant: TenantContext, buyer_id: int, locale: str) -> list[CartPick]:
    """The buyer's cart as sold now; a line no longer for sale is refused by name."""
    found = carts.items(session, tenant, carts.cart_lines(session, tenant, buyer_id), locale)
    gone = [item for item in found if item.sale is None]
    if gone:
        errors = {f"lines.{item.line.id}": [f"{item.title} is no longer for sale; remove it"] for item in gone}
        raise InvalidCheckout("some lines are no longer for sale", errors=errors, status=409)
    return [CartPick(item.line.id, item.sale, item.line.quantity, live_session_id=carts.live_session_of(item.line))
            for item in found if item.sale is not None]


def quote_cart(
    session: Session, tenant: TenantContext, buyer: Buyer, request: QuoteRequest, shipping_options: ShippingOptions,
    at: datetime | None = None,
) -> Quote:
    """What the cart costs at ``at`` (now), shipped to ``request.address``, and how it may be paid."""
    request = QuoteRequest(check_address(tenant, request.address), request.shipping, request.voucher_codes, request.payment_method)
    picks = deal_prices(session, tenant, buyer.id, cart_picks(session, tenant, buyer.id, buyer.locale), at or clock.now())
    names = carts.seller_names(session, {pick.sale.seller_id for pick in picks})
    return price(session, tenant, buyer.id, picks, names, request, shipping_options, clock.today_in(tenant.config.timezone))


@dataclass(frozen=True)
class Placement:
    """Who places, with which key, and the hash of the request body that key stands for."""

    buyer: Buyer
    request: QuoteRequest
    idempotency_key: str
    request_hash: str


def place_orders(session: Session, tenant: TenantContext, placement: Placement, shipping_options: ShippingOptions) -> tuple[Checkout, Quote]:
    """Reserve, record and commit-ready: the checkout with one ``pending_payment`` order per shop."""
    if placement.request.payment_method is None:
        raise InvalidCheckout("choose a payment method", "payment_method")
    _check_key_unused(session, placement)
    at = clock.now()
    quote = quote_cart(session, tenant, placement.buyer, placement.request, shipping_options, at)
    claims = reserve_lines(session, tenant, quote, buyer_id=placement.buyer.id, at=at)
    checkout = _checkout(quote, placement, tenant)
    session.add(checkout)
    session.flush()
    orders = [_order(session, tenant, checkout, group, quote) for group in quote.groups]
    deals.attach(session, tenant, claims, checkout.id, {line.variant_id: order.id for order in orders for line in order.lines})
    for applied in quote.vouchers:
        vouchers.redeem(session, tenant, applied.voucher, placement.buyer.id, checkout.id, applied.amount_minor)
    carts.remove_variants(session, tenant, placement.buyer.id, [line.sale.variant_id for g in quote.groups for line in g.lines])
    session.flush()
    return checkout, quote


def _check_key_unused(session: Session, placement: Placement) -> None:
    """A key whose record was purged (after 24 hours) still names its checkout: reusing it is
    refused rather than risking a second order for what may be a very late retry."""
    used = session.scalar(select(Checkout.id).where(
        Checkout.buyer_id == placement.buyer.id, Checkout.idempotency_key == placement.idempotency_key))
    if used is not None:
        raise InvalidCheckout(f"this key placed checkout {used} before; send a new key for a new order", "Idempotency-Key")


def reserve_lines(
    session: Session, tenant: TenantContext, quote: Quote, *, buyer_id: int | None = None, at: datetime | None = None,
) -> list[DealClaim]:
    """Hold every line's units, smallest variant id first — a deal line claims its units from
    the deal just before — and answer the claims; the first line that cannot be held stops
    the placement (the caller's rollback gives back what was held before it)."""
    lines = sorted((line for group in quote.groups for line in group.lines), key=lambda line: line.sale.variant_id)
    claims: list[DealClaim] = []
    for line in lines:
        if line.deal_id is not None:
            assert buyer_id is not None, "a deal line is claimed for its buyer"
            claims.append(_claim_line(session, tenant, line, buyer_id, at or clock.now()))
        if not reserve_stock(session, tenant, line.sale.variant_id, line.quantity):
            left = carts.available(session, tenant, line.sale.variant_id, line.live_session_id)
            message = f"variant {line.sale.variant_id} ({line.sale.sku}): only {left} left, not {line.quantity}"
            raise OutOfStock(message, f"lines.{line.line_id}", variant_id=line.sale.variant_id, available=left)
    return claims


def _claim_line(session: Session, tenant: TenantContext, line: PricedLine, buyer_id: int, at: datetime) -> DealClaim:
    """Claim the line's units from the deal it was priced at; a deal that sold out, ended or
    changed since the pricing is refused by line, never sold at another price."""
    try:
        claim = deals.claim(session, tenant, buyer_id, line.sale.variant_id, line.quantity, at, line.live_session_id)
    except deals.DealError as error:
        raise deal_refusal(error, line) from None
    if claim is None or claim.deal_id != line.deal_id or claim.price_minor != line.sale.price_minor:
        raise Conflict("the deal changed while you checked out; look at the price again", f"lines.{line.line_id}",
                       variant_id=line.sale.variant_id, deal_id=line.deal_id)
    return claim


def _checkout(quote: Quote, placement: Placement, tenant: TenantContext) -> Checkout:
    assert quote.method is not None
    on_delivery = quote.method.flow == "on_delivery"
    return Checkout(
        buyer_id=placement.buyer.id, idempotency_key=placement.idempotency_key, request_hash=placement.request_hash,
        status="pending_payment", currency=tenant.currency, subtotal_minor=quote.subtotal_minor,
        discount_minor=quote.discount_minor, shipping_minor=quote.shipping_minor,
        tax_added_minor=quote.tax_added_minor, total_minor=quote.total_minor, payment_method=quote.method.code,
        shipping_address=asdict(placement.request.address), vouchers=[a.voucher.code for a in quote.vouchers],
        expires_at=None if on_delivery else clock.now() + PAYMENT_WINDOW,
    )


def _order(session: Session, tenant: TenantContext, checkout: Checkout, group: PricedGroup, quote: Quote) -> Order:
    assert group.shipping is not None and quote.method is not None
    order = Order(
        checkout=checkout, seller_id=group.seller_id, buyer_id=checkout.buyer_id, status="pending_payment",
        currency=tenant.currency, subtotal_minor=group.subtotal_minor,
        seller_discount_minor=group.seller_discount_minor, platform_discount_minor=group.platform_discount_minor,
        shipping_minor=group.shipping_minor, tax_minor=group.tax_minor, tax_included=group.tax_inclusive,
        tax_collected_by=group.tax_collected_by, total_minor=group.total_minor, payment_method=quote.method.code,
        carrier=group.shipping.carrier, shipping_service=group.shipping.service,
        shipping_address=dict(checkout.shipping_address), **_room_source(group),
    )
    order.lines = [
        OrderLine(
            product_id=line.sale.product_id, variant_id=line.sale.variant_id, sku=line.sale.sku,
            title=line.sale.title[:300], tax_category=line.sale.tax_category, unit_price_minor=line.sale.price_minor,
            quantity=line.quantity, discount_minor=line.discount_minor, tax_minor=line.tax_minor,
            tax_rate=format(line.tax_rate, "f"), weight_grams=line.sale.weight_grams,
        )
        for line in group.lines
    ]
    session.add(order)
    session.flush()
    record(session, tenant, "order.placed", order.id, {
        "order_id": order.id, "checkout_id": checkout.id, "seller_id": order.seller_id,
        "buyer_id": order.buyer_id, "total_minor": order.total_minor, "currency": order.currency,
    })
    return order


def _room_source(group: PricedGroup) -> dict[str, object]:
    """An order with a line bought in a live room comes from that room (the most recently
    added such line's, should there be several): ``source_kind="live"``, ``source_id``. The
    host is the shop itself (a shop's room shows only its products) or the creator the line
    is credited to (``pasar.creators``)."""
    rooms = sorted((line.line_id, line.live_session_id) for line in group.lines if line.live_session_id is not None)
    return {"source_kind": "live", "source_id": rooms[-1][1]} if rooms else {}


def buyer_checkout(session: Session, tenant: TenantContext, buyer_id: int, checkout_id: int) -> Checkout:
    """The checkout if this buyer placed it; anyone else's answers as not found."""
    checkout = session.get(Checkout, checkout_id)
    if checkout is None or checkout.buyer_id != buyer_id:
        raise NotFound("no such checkout", "checkout_id")
    return checkout


def find_checkout(session: Session, tenant: TenantContext, checkout_id: int) -> Checkout:
    checkout = session.get(Checkout, checkout_id)
    if checkout is None:
        raise NotFound("no such checkout", "checkout_id")
    return checkout


def unpaid_past_deadline(session: Session, tenant: TenantContext, at: datetime, limit: int = 200) -> Sequence[int]:
    """Checkouts still waiting for their payment after their deadline, oldest first."""
    query = select(Checkout.id).where(
        Checkout.status == "pending_payment", Checkout.expires_at.is_not(None), Checkout.expires_at < at
    ).order_by(Checkout.expires_at, Checkout.id).limit(limit)
    return list(session.scalars(query))
