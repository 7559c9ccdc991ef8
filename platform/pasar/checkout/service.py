"""Checkout services: quote the buyer's cart, and turn it into one order per shop.

Plain functions over ``(session, tenant, ...)``; no Flask. ``place_orders`` runs inside the
caller's write transaction: it prices the cart again (prices are never taken from the cart or
the quote) from one read that locks the lines' stock rows in variant order — so two checkouts
never wait for each other crosswise — then holds every line's stock with one guarded UPDATE
(each row only if its own units are there), redeems the vouchers, writes the checkout, its
orders and their lines, and empties the bought lines from the cart. A line priced at a running
deal claims its units from the deal (``pasar.deals``) before they are held. An order with a
line added in a live room is stamped with that room as its source; otherwise with the source of
the latest creator click credited on its lines (``pasar.creators``). Any refusal raises, and
the caller's rollback undoes every reservation made before it. The statements sent do not
grow with the number of lines or shops (``tests/perf``).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pasar import clock
from pasar.cart import service as carts
from pasar.catalog.service import reserve_stocks
from pasar.checkout import vouchers
from pasar.checkout.errors import Conflict, InvalidCheckout, NotFound, OutOfStock
from pasar.checkout.pricing import (
    CartPick, PricedGroup, PricedLine, Quote, QuoteRequest, ShippingOptions, deal_prices, deal_refusal, price,
)
from pasar.contracts import Address, Parcel, ShippingQuote
from pasar.deals import service as deals
from pasar.deals.models import DealClaim
from pasar.creators.service import Attribution, attributions
from pasar.orders.models import Checkout, Order, OrderLine
from pasar.orders.service import write_placed
from pasar.tenancy.service import TenantContext

#: How long a buyer has to finish a payment that names no deadline of its own (redirect and
#: card flows); a virtual account or QR code brings its own ``expires_at``.
PAYMENT_WINDOW = timedelta(minutes=30)


@dataclass(frozen=True)
class Buyer:
    id: int
    email: str
    locale: str  # the language order lines are written in


class CarrierQuotes:
    """The tenant's carriers' quotes from a shop's ship-from address (``pasar.shipping``): a
    ``ShippingOptions``. ``for_shops`` reads the ship-from addresses of every shop of a cart
    in one statement before the shops are quoted one by one."""

    def __init__(self, session: Session, tenant: TenantContext) -> None:
        self.session, self.tenant = session, tenant
        self.origins: dict[int, Address] = {}

    def for_shops(self, shops: Mapping[int, str]) -> None:
        """Read the ship-from addresses of ``shops`` (id → name) at once."""
        from pasar.shipping.service import ship_from_many

        self.origins.update(ship_from_many(self.session, self.tenant, shops))

    def __call__(self, seller_id: int, destination: Address, parcel: Parcel) -> list[ShippingQuote]:
        from pasar.shipping.service import quote_options

        return quote_options(self.session, self.tenant, seller_id, destination, parcel, origin=self.origins.get(seller_id))


def shipping_options(session: Session, tenant: TenantContext) -> CarrierQuotes:
    """The tenant's carriers' quotes from a shop's ship-from address (``pasar.shipping``)."""
    return CarrierQuotes(session, tenant)


def check_address(tenant: TenantContext, address: Address) -> Address:
    """The address if orders can ship there: in this marketplace's country, with the
    subdivision (US state) where tax depends on it."""
    if address.country.upper() != tenant.country:
        raise InvalidCheckout(f"this marketplace delivers in {tenant.country} only", "shipping_address.country")
    info = tenant.hooks.country(tenant.country)
    if info is not None and info.subdivisions and not address.region.strip():
        raise InvalidCheckout("the state is required here", "shipping_address.region")
    return Address(**{**asdict(address), "country": address.country.upper()})


def cart_picks(session: Session, tenant: TenantContext, buyer_id: int, locale: str, *, at: datetime | None = None,
               lock: bool = False) -> list[CartPick]:
    """The buyer's cart as sold at ``at`` (now), read in one statement with each line's stock
    and deal; a line no longer for sale is refused by name. ``lock`` holds the lines' stock
    rows (placing)."""
    found = carts.read(session, tenant, buyer_id, locale, at=at, lock=lock)
    gone = [item for item in found if item.sale is None]
    if gone:
        errors = {f"lines.{item.line.id}": [f"{item.title} is no longer for sale; remove it"] for item in gone}
        raise InvalidCheckout("some lines are no longer for sale", errors=errors, status=409)
    return [CartPick(item.line.id, item.sale, item.line.quantity, live_session_id=carts.live_session_of(item.line),
                     deal=item.deal, deal_bought=item.deal_bought)
            for item in found if item.sale is not None]


def quote_cart(
    session: Session, tenant: TenantContext, buyer: Buyer, request: QuoteRequest, shipping_options: ShippingOptions,
    at: datetime | None = None, *, lock: bool = False,
) -> Quote:
    """What the cart costs at ``at`` (now), shipped to ``request.address``, and how it may be paid."""
    request = QuoteRequest(check_address(tenant, request.address), request.shipping, request.voucher_codes, request.payment_method)
    picks = deal_prices(tenant, cart_picks(session, tenant, buyer.id, buyer.locale, at=at or clock.now(), lock=lock))
    names = {pick.sale.seller_id: pick.sale.seller_name for pick in picks}
    if isinstance(shipping_options, CarrierQuotes):
        shipping_options.for_shops(names)
    return price(session, tenant, buyer.id, picks, names, request, shipping_options, clock.today_in(tenant.config.timezone))


@dataclass(frozen=True)
class Placement:
    """Who places, with which key, and the hash of the request body that key stands for."""

    buyer: Buyer
    request: QuoteRequest
    idempotency_key: str
    request_hash: str


def place_orders(
    session: Session, tenant: TenantContext, placement: Placement, shipping_options: ShippingOptions,
) -> tuple[Checkout, Quote, list[Order]]:
    """Reserve, record and commit-ready: the checkout with one ``pending_payment`` order per
    shop (the orders are a snapshot outside the session, see ``orders.service.write_placed``).

    The statements do not grow with the cart: one read of the lines (stock rows locked, deals
    and titles joined), the shops' ship-from addresses, one guarded UPDATE for all the stock,
    the buyers' clicks for attribution, then one INSERT each for the checkout, the orders, their
    lines and their events, and one DELETE of the bought lines. Deal lines and vouchers add
    their own guarded writes."""
    if placement.request.payment_method is None:
        raise InvalidCheckout("choose a payment method", "payment_method")
    at = clock.now()
    quote = quote_cart(session, tenant, placement.buyer, placement.request, shipping_options, at, lock=True)
    claims = reserve_lines(session, tenant, quote, buyer_id=placement.buyer.id, at=at)
    credits = attributions(session, tenant, placement.buyer.id,
                           [line.sale.product_id for group in quote.groups for line in group.lines], at)
    checkout = _checkout(quote, placement, tenant)
    _add_checkout(session, checkout, placement)
    orders = [_order(tenant, checkout, group, quote, credits) for group in quote.groups]
    write_placed(session, tenant, orders)
    if claims:
        deals.attach(session, tenant, claims, checkout.id, {line.variant_id: order.id for order in orders for line in order.lines})
    for applied in quote.vouchers:
        vouchers.redeem(session, tenant, applied.voucher, placement.buyer.id, checkout.id, applied.amount_minor)
    carts.remove_variants(session, tenant, placement.buyer.id, [line.sale.variant_id for g in quote.groups for line in g.lines])
    return checkout, quote, orders


def _add_checkout(session: Session, checkout: Checkout, placement: Placement) -> None:
    """Insert the checkout. A key whose record was purged (after 24 hours) still names its
    checkout — the unique ``(buyer, key)`` refuses a second one: reusing it is refused rather
    than risking a second order for what may be a very late retry. (Found by the INSERT, in
    a savepoint, rather than by a read every placement would pay for.)"""
    try:
        with session.begin_nested():
            session.add(checkout)
    except IntegrityError:
        used = session.scalar(select(Checkout.id).where(
            Checkout.buyer_id == placement.buyer.id, Checkout.idempotency_key == placement.idempotency_key))
        if used is None:
            raise
        raise InvalidCheckout(f"this key placed checkout {used} before; send a new key for a new order", "Idempotency-Key") from None


def reserve_lines(
    session: Session, tenant: TenantContext, quote: Quote, *, buyer_id: int | None = None, at: datetime | None = None,
) -> list[DealClaim]:
    """Hold every line's units in one guarded UPDATE — a deal line first claims its units
    from the deal, smallest variant id first — and answer the claims; if any line cannot be
    held the placement stops, naming the first such line (the caller's rollback gives back
    what was held)."""
    lines = sorted((line for group in quote.groups for line in group.lines), key=lambda line: line.sale.variant_id)
    claims: list[DealClaim] = []
    for line in lines:
        if line.deal_id is not None:
            assert buyer_id is not None, "a deal line is claimed for its buyer"
            claims.append(_claim_line(session, tenant, line, buyer_id, at or clock.now()))
    short = set(reserve_stocks(session, tenant, {line.sale.variant_id: line.quantity for line in lines}))
    for line in lines:
        if line.sale.variant_id in short:
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


def _order(tenant: TenantContext, checkout: Checkout, group: PricedGroup, quote: Quote,
           credits: Mapping[int, Attribution]) -> Order:
    """The shop's new order with its lines (not added to the session: ``write_placed`` writes
    them). Each line is credited to the creator whose click led the buyer to it; the order's
    source is its live room, else the most recent of those clicks."""
    assert group.shipping is not None and quote.method is not None
    lines = [
        OrderLine(
            product_id=line.sale.product_id, variant_id=line.sale.variant_id, sku=line.sale.sku,
            title=line.sale.title[:300], tax_category=line.sale.tax_category, unit_price_minor=line.sale.price_minor,
            quantity=line.quantity, discount_minor=line.discount_minor, tax_minor=line.tax_minor,
            tax_rate=format(line.tax_rate, "f"), weight_grams=line.sale.weight_grams, refunded_quantity=0,
            creator_id=credits[line.sale.product_id].creator_id if line.sale.product_id in credits else None,
        )
        for line in group.lines
    ]
    return Order(
        checkout_id=checkout.id, seller_id=group.seller_id, buyer_id=checkout.buyer_id, status="pending_payment",
        currency=tenant.currency, subtotal_minor=group.subtotal_minor,
        seller_discount_minor=group.seller_discount_minor, platform_discount_minor=group.platform_discount_minor,
        shipping_minor=group.shipping_minor, tax_minor=group.tax_minor, tax_included=group.tax_inclusive,
        tax_collected_by=group.tax_collected_by, total_minor=group.total_minor, payment_method=quote.method.code,
        carrier=group.shipping.carrier, shipping_service=group.shipping.service,
        shipping_address=dict(checkout.shipping_address), lines=lines,
        **(_room_source(group) or _click_source(group, credits)),
    )


def _click_source(group: PricedGroup, credits: Mapping[int, Attribution]) -> dict[str, object]:
    """The source (link, video, live) of the most recent click credited in the order."""
    latest: Attribution | None = None
    for line in group.lines:
        found = credits.get(line.sale.product_id)
        if found is not None and (latest is None or found.clicked_at > latest.clicked_at):
            latest = found
    return {"source_kind": latest.source_kind, "source_id": latest.source_id} if latest is not None else {}


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
