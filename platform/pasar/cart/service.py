"""Cart services: add, change and remove lines, and show the cart with today's prices.

Plain functions over ``(session, tenant, ...)``; no Flask. They flush, the caller commits.
A line of another buyer is not found, like a line that does not exist. Adding checks what a
buyer may buy (``catalog.service.variant_for_sale``: product active and not blocked, variant
active, seller approved) and that the wanted quantity is on the shelf and not held by other
orders. The cart never holds stock: checkout reserves it, atomically, when the order is placed.

A variant added in a live room (``source_kind="live"``, ``source_id``) is checked against the room
(``pasar.content.live.room_purchase``: on air, showing the product) and its line remembers the
room; adding it again elsewhere keeps that, adding it from another room moves it there. Only
such a line sees the room's live deals (in ``available`` here, and at checkout).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pasar.cart.models import Cart, CartLine
from pasar.catalog.models import Inventory, Variant
from pasar.catalog.service import CatalogNotFound, SaleItem, variant_for_sale
from pasar.sellers.models import Seller
from pasar.tenancy.service import TenantContext

#: Most of one variant a cart may hold; a typo of 1000000 is not an order.
MAX_QUANTITY = 999


class CartError(Exception):
    """Something the cart refuses; ``field`` names the input it is about."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message, self.field = message, field


class CartLineNotFound(CartError, LookupError):
    """No such line in this buyer's cart (another buyer's line is not found either)."""


class NotForSale(CartError):
    """The variant cannot be bought now (unknown, inactive, blocked, seller not approved)."""


class NotInRoom(CartError):
    """The live room named is not on air, unknown, or does not show this product."""


class NotEnoughStock(CartError):
    """Fewer units are available than the quantity asked for."""

    def __init__(self, message: str, field: str, available: int) -> None:
        super().__init__(message, field)
        self.available = available


@dataclass(frozen=True)
class CartItem:
    """A line as the buyer sees it now: current price and stock, or why it cannot be bought."""

    line: CartLine
    sale: SaleItem | None  # None: no longer for sale
    seller_id: int
    title: str
    available: int


@dataclass(frozen=True)
class SellerBasket:
    seller_id: int
    seller_name: str
    items: list[CartItem]


# --- reading -----------------------------------------------------------------------------------
def find_cart(session: Session, tenant: TenantContext, buyer_id: int) -> Cart | None:
    return session.scalar(select(Cart).where(Cart.buyer_id == buyer_id))


def cart_lines(session: Session, tenant: TenantContext, buyer_id: int) -> list[CartLine]:
    """The buyer's lines, oldest first (empty when the buyer has no cart yet)."""
    cart = find_cart(session, tenant, buyer_id)
    return list(cart.lines) if cart is not None else []


def live_session_of(line: CartLine) -> int | None:
    """The live session the line was added in, if any."""
    return line.source_id if line.source_kind == "live" else None


def available(session: Session, tenant: TenantContext, variant_id: int, live_session_id: int | None = None) -> int:
    """Units a buyer may put in the cart: on the shelf and not held by orders, plus what a
    running deal still holds for buyers — a live deal only for a line of its live session
    (0 for an unknown variant)."""
    from pasar.clock import now
    from pasar.deals.service import active_deal

    stock = session.scalar(select(Inventory).where(Inventory.variant_id == variant_id))
    shelf = stock.available if stock is not None else 0
    deal = active_deal(session, tenant, variant_id, now(), live_session_id)
    return shelf + (deal.quota - deal.claimed if deal is not None else 0)


def items(session: Session, tenant: TenantContext, lines: Iterable[CartLine], locale: str) -> list[CartItem]:
    """Each line with what is true now: price, title in ``locale``, stock, still for sale."""
    return [_item(session, tenant, line, locale) for line in lines]


def _item(session: Session, tenant: TenantContext, line: CartLine, locale: str) -> CartItem:
    try:
        sale = variant_for_sale(session, tenant, line.variant_id, locale)
    except CatalogNotFound:
        variant = session.get(Variant, line.variant_id)
        seller_id = variant.product.seller_id if variant is not None else 0
        title = variant.sku if variant is not None else str(line.variant_id)
        return CartItem(line, None, seller_id, title, 0)
    return CartItem(line, sale, sale.seller_id, sale.title, available(session, tenant, line.variant_id, live_session_of(line)))


def baskets(session: Session, tenant: TenantContext, buyer_id: int, locale: str) -> list[SellerBasket]:
    """The cart grouped per shop (in the order shops were first added), lines oldest first."""
    found = items(session, tenant, cart_lines(session, tenant, buyer_id), locale)
    names = seller_names(session, {item.seller_id for item in found})
    grouped: dict[int, list[CartItem]] = {}
    for item in found:
        grouped.setdefault(item.seller_id, []).append(item)
    return [SellerBasket(seller_id, names.get(seller_id, ""), group) for seller_id, group in grouped.items()]


def seller_names(session: Session, seller_ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(seller_ids))
    if not wanted:
        return {}
    return {seller_id: name for seller_id, name in session.execute(select(Seller.id, Seller.name).where(Seller.id.in_(wanted)))}


# --- writing -----------------------------------------------------------------------------------
#: The places a cart line remembers it was added from (others are accepted and not kept: a
#: video's or a link's part is the creators domain's click attribution).
LINE_SOURCES: tuple[str, ...] = ("live",)


def add_line(
    session: Session, tenant: TenantContext, buyer_id: int, variant_id: int, quantity: int,
    *, source_kind: str | None = None, source_id: int | None = None,
) -> CartLine:
    """Put ``quantity`` more of a variant in the cart (one line per variant); with
    ``source_kind="live"`` and ``source_id``, from that live room."""
    _check_quantity(quantity, "quantity")
    sale = _for_sale(session, tenant, variant_id)
    live_session_id = source_id if source_kind == "live" else None
    if source_kind == "live" and source_id is None:
        raise CartError("a live room source names its live session", "source_id")
    if live_session_id is not None:
        _in_room(session, tenant, buyer_id, live_session_id, sale.product_id)
    cart = _cart(session, tenant, buyer_id)
    line = next((line for line in cart.lines if line.variant_id == variant_id), None)
    wanted = quantity + (line.quantity if line is not None else 0)
    room = live_session_id if live_session_id is not None else (live_session_of(line) if line is not None else None)
    _check_quantity(wanted, "quantity")
    _check_stock(session, tenant, variant_id, wanted, "quantity", room)
    if line is None:
        line = CartLine(variant_id=variant_id, quantity=wanted)
        cart.lines.append(line)
    else:
        line.quantity = wanted
    if live_session_id is not None:
        line.source_kind, line.source_id = "live", live_session_id
    session.flush()
    return line


def _in_room(session: Session, tenant: TenantContext, buyer_id: int, live_session_id: int, product_id: int) -> None:
    """Refuse a room that is not on air or does not show the product (422/409 as the cart's)."""
    from pasar.clock import now
    from pasar.content.errors import ContentError
    from pasar.content.live import room_purchase

    try:
        room_purchase(session, tenant, buyer_id, live_session_id, product_id, now())
    except ContentError as exc:
        raise NotInRoom(exc.message, "source_id") from None


def set_quantity(session: Session, tenant: TenantContext, buyer_id: int, line_id: int, quantity: int) -> CartLine:
    """Change how many of a line's variant the buyer wants."""
    _check_quantity(quantity, "quantity")
    line = get_line(session, tenant, buyer_id, line_id)
    _for_sale(session, tenant, line.variant_id)
    _check_stock(session, tenant, line.variant_id, quantity, "quantity", live_session_of(line))
    line.quantity = quantity
    session.flush()
    return line


def remove_line(session: Session, tenant: TenantContext, buyer_id: int, line_id: int) -> None:
    line = get_line(session, tenant, buyer_id, line_id)
    line.cart.lines.remove(line)
    session.flush()


def remove_variants(session: Session, tenant: TenantContext, buyer_id: int, variant_ids: Iterable[int]) -> None:
    """Take bought variants out of the buyer's cart (in the transaction that placed the order)."""
    cart = find_cart(session, tenant, buyer_id)
    wanted = sorted(set(variant_ids))
    if cart is None or not wanted:
        return
    session.execute(
        delete(CartLine).where(CartLine.cart_id == cart.id, CartLine.variant_id.in_(wanted))
        .execution_options(synchronize_session="fetch")
    )
    session.expire(cart, ["lines"])


def get_line(session: Session, tenant: TenantContext, buyer_id: int, line_id: int) -> CartLine:
    """The line if it is in this buyer's cart; anyone else's answers as not found."""
    line = session.scalar(
        select(CartLine).join(Cart, Cart.id == CartLine.cart_id)
        .where(CartLine.id == line_id, Cart.buyer_id == buyer_id)
    )
    if line is None:
        raise CartLineNotFound("no such line in your cart", "line_id")
    return line


def _cart(session: Session, tenant: TenantContext, buyer_id: int) -> Cart:
    """The buyer's cart, created on first use. Two first adds at once: the unique constraint
    lets one insert win; the other re-reads the winner's cart inside its savepoint."""
    cart = find_cart(session, tenant, buyer_id)
    if cart is not None:
        return cart
    try:
        with session.begin_nested():
            cart = Cart(buyer_id=buyer_id)
            session.add(cart)
    except IntegrityError:
        cart = find_cart(session, tenant, buyer_id)
        assert cart is not None, "the concurrent insert that won is committed"
    return cart


def _for_sale(session: Session, tenant: TenantContext, variant_id: int) -> SaleItem:
    try:
        return variant_for_sale(session, tenant, variant_id)
    except CatalogNotFound:
        raise NotForSale("this variant is not for sale", "variant_id") from None


def _check_quantity(quantity: int, field: str) -> None:
    if not 1 <= quantity <= MAX_QUANTITY:
        raise CartError(f"must be between 1 and {MAX_QUANTITY}", field)


def _check_stock(
    session: Session, tenant: TenantContext, variant_id: int, quantity: int, field: str, live_session_id: int | None,
) -> None:
    left = available(session, tenant, variant_id, live_session_id)
    if quantity > left:
        raise NotEnoughStock(f"only {left} available", field, left)
