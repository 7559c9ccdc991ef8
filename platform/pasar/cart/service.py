"""Cart services: add, change and remove lines, and show the cart with today's prices.

Plain functions over ``(session, tenant, ...)``; no Flask. They flush, the caller commits.
A line of another buyer is not found, like a line that does not exist. Adding checks what a
buyer may buy (``catalog.service.sale_item``: product active and not blocked, variant
active, seller approved) and that the wanted quantity is on the shelf and not held by other
orders. The cart never holds stock: checkout reserves it, atomically, when the order is placed.

Reading is one statement whatever the cart's size (``read``): the lines joined with the
catalogue's sale columns (``catalog.service.sale_select``), their stock, the deal each gets
(``deals.service.deal_applying``) and the buyer's count on it. Adding a line is one read of the
same kind for the variant and one write.

A variant added in a live room (``source_kind="live"``, ``source_id``) is checked against the room
(``pasar.content.live.room_purchase``: on air, showing the product) and its line remembers the
room; adding it again elsewhere keeps that, adding it from another room moves it there. Only
such a line sees the room's live deals (in ``available`` here, and at checkout).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, case, delete, null, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pasar.cart.models import Cart, CartLine
from pasar.catalog.models import Inventory, Variant
from pasar.catalog.service import SALE_WIDTH, SaleItem, sale_item, sale_params, sale_select
from pasar.clock import now
from pasar.deals import service as deals
from pasar.deals.models import Deal, DealBuyer
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
    seller_name: str = ""
    deal: Deal | None = None  # the running deal a purchase of this line gets (a live one: only in its room)
    deal_bought: int = 0  # units of that deal the buyer already holds or bought


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
    query = select(CartLine).join(Cart, and_(Cart.tenant_id == CartLine.tenant_id, Cart.id == CartLine.cart_id))
    return list(session.scalars(query.where(Cart.buyer_id == buyer_id).order_by(CartLine.id)))


def live_session_of(line: CartLine) -> int | None:
    """The live session the line was added in, if any."""
    return line.source_id if line.source_kind == "live" else None


def available(session: Session, tenant: TenantContext, variant_id: int, live_session_id: int | None = None) -> int:
    """Units a buyer may put in the cart: on the shelf and not held by orders, plus what a
    running deal still holds for buyers — a live deal only for a line of its live session
    (0 for an unknown variant)."""
    from pasar.deals.service import active_deal

    stock = session.scalar(select(Inventory).where(Inventory.variant_id == variant_id))
    shelf = stock.available if stock is not None else 0
    deal = active_deal(session, tenant, variant_id, now(), live_session_id)
    return shelf + (deal.quota - deal.claimed if deal is not None else 0)


def _line_room() -> ColumnElement[Any]:
    """The live session a stored line was added in (NULL: none), as SQL."""
    return case((CartLine.source_kind == "live", CartLine.source_id), else_=null())


def _with_stock_and_deal(query: Select[Any], room: ColumnElement[Any], *, deals_on: bool, lock: bool) -> Select[Any]:
    """``query`` (a ``sale_select``) with the shelf stock, the running deal the purchase gets
    (in ``room``) at ``:cart_at`` and the buyer's (``:cart_buyer``) row of that deal added as
    columns. ``lock`` joins the stock rows FOR UPDATE, in variant order — PostgreSQL then takes
    those row locks in one order for every checkout, before the deal rows, as ``pasar.deals``
    requires."""
    stock = and_(Inventory.tenant_id == Variant.tenant_id, Inventory.variant_id == Variant.id)
    query = query.join(Inventory, stock) if lock else query.outerjoin(Inventory, stock)
    query = query.add_columns(Inventory.on_hand - Inventory.reserved)
    if deals_on:
        applying = deals.deal_applying(Variant.id, room, bindparam("cart_at", type_=Deal.starts_at.type))
        query = (
            query.add_columns(Deal, DealBuyer.bought)
            .outerjoin(Deal, and_(Deal.tenant_id == Variant.tenant_id, Deal.id == applying))
            .outerjoin(DealBuyer, and_(DealBuyer.tenant_id == Deal.tenant_id, DealBuyer.deal_id == Deal.id,
                                       DealBuyer.buyer_id == bindparam("cart_buyer")))
        )
    else:
        query = query.add_columns(null(), null())
    return query.with_for_update(of=Inventory) if lock else query


def _params(tenant: TenantContext, buyer_id: int, locale: str | None, at: datetime, **more: Any) -> dict[str, Any]:
    return {**sale_params(tenant, locale), "cart_buyer": buyer_id, "cart_at": at, **more}


def _item(tenant: TenantContext, row: Sequence[Any], line: CartLine) -> CartItem:
    """A cart item from a row of ``sale_select`` + line + ``_with_stock_and_deal`` columns."""
    shelf, deal, bought = row[-3], row[-2], row[-1]
    sale = sale_item(tenant, row)
    seller_id, seller_name, sku = row[6], row[15], row[1]
    if sale is None:
        return CartItem(line, None, seller_id, sku, 0, seller_name)
    held_for_deal = deal.quota - deal.claimed if deal is not None else 0
    return CartItem(line, sale, seller_id, sale.title, (shelf or 0) + held_for_deal, seller_name, deal, bought or 0)


@lru_cache(maxsize=4)
def _cart_statement(deals_on: bool, lock: bool) -> Select[Any]:
    """The buyer's (``:cart_buyer``) lines as ``read`` reads them; built once per shape."""
    query = (
        sale_select()
        .join(CartLine, and_(CartLine.tenant_id == Variant.tenant_id, CartLine.variant_id == Variant.id))
        .join(Cart, and_(Cart.tenant_id == CartLine.tenant_id, Cart.id == CartLine.cart_id))
        .where(Cart.buyer_id == bindparam("cart_buyer"))
        .add_columns(CartLine)
        .order_by(Variant.id if lock else CartLine.id)
    )
    return _with_stock_and_deal(query, _line_room(), deals_on=deals_on, lock=lock)


def read(session: Session, tenant: TenantContext, buyer_id: int, locale: str, *, at: datetime | None = None,
         lock: bool = False) -> list[CartItem]:
    """The buyer's lines, oldest first, each with what is true at ``at`` (now): price, title in
    ``locale``, stock, the deal it gets, still for sale — in ONE statement whatever the number
    of lines. ``lock`` (placing an order) holds the lines' stock rows until the transaction
    ends (a line whose variant has no stock row cannot be bought and is left out then)."""
    statement = _cart_statement(tenant.has_feature(deals.FEATURE), lock)
    rows = session.execute(statement, _params(tenant, buyer_id, locale, at or now())).all()
    found = [_item(tenant, row, row[SALE_WIDTH]) for row in rows]
    return sorted(found, key=lambda item: item.line.id)


def baskets(session: Session, tenant: TenantContext, buyer_id: int, locale: str) -> list[SellerBasket]:
    """The cart grouped per shop (in the order shops were first added), lines oldest first."""
    grouped: dict[int, list[CartItem]] = {}
    for item in read(session, tenant, buyer_id, locale):
        grouped.setdefault(item.seller_id, []).append(item)
    return [SellerBasket(seller_id, group[0].seller_name, group) for seller_id, group in grouped.items()]


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
    ``source_kind="live"`` and ``source_id``, from that live room.

    One read answers everything the checks need — the variant for sale, the buyer's cart and
    line of it, the stock and the deal the line gets — then one write of the line."""
    _check_quantity(quantity, "quantity")
    live_session_id = source_id if source_kind == "live" else None
    found = _variant_in_cart(session, tenant, buyer_id, variant_id, live_session_id)
    if found is None:
        raise NotForSale("this variant is not for sale", "variant_id")
    cart_id, line, item = found
    if source_kind == "live" and source_id is None:
        raise CartError("a live room source names its live session", "source_id")
    if live_session_id is not None:
        _in_room(session, tenant, buyer_id, live_session_id, item.sale.product_id if item.sale else 0)
    wanted = quantity + (line.quantity if line is not None else 0)
    _check_quantity(wanted, "quantity")
    if wanted > item.available:
        raise NotEnoughStock(f"only {item.available} available", "quantity", item.available)
    if line is None:
        line = CartLine(cart_id=cart_id if cart_id is not None else _new_cart(session, tenant, buyer_id),
                        variant_id=variant_id, quantity=wanted)
        session.add(line)
    else:
        line.quantity = wanted
    if live_session_id is not None:
        line.source_kind, line.source_id = "live", live_session_id
    session.flush()
    return line


def _variant_in_cart(
    session: Session, tenant: TenantContext, buyer_id: int, variant_id: int, live_session_id: int | None,
) -> tuple[int | None, CartLine | None, CartItem] | None:
    """``(cart id, the cart's line of the variant, the variant as sold now)`` in one statement;
    None when the variant is not for sale. The stock counts the deal of ``live_session_id``'s
    room, or of the room the line was added in."""
    statement = _variant_statement(tenant.has_feature(deals.FEATURE), live_session_id is not None)
    params = _params(tenant, buyer_id, None, now(), cart_variant=variant_id, cart_room=live_session_id)
    row = session.execute(statement, params).first()
    if row is None:
        return None
    cart_id, line = row[SALE_WIDTH], row[SALE_WIDTH + 1]
    item = _item(tenant, row, line)
    return (cart_id, line, item) if item.sale is not None else None


@lru_cache(maxsize=4)
def _variant_statement(deals_on: bool, in_room: bool) -> Select[Any]:
    """The variant ``:cart_variant`` with the buyer's cart and line of it; built once per shape."""
    query = (
        sale_select()
        .where(Variant.id == bindparam("cart_variant"))
        .outerjoin(Cart, and_(Cart.tenant_id == Variant.tenant_id, Cart.buyer_id == bindparam("cart_buyer")))
        .outerjoin(CartLine, and_(CartLine.tenant_id == Cart.tenant_id, CartLine.cart_id == Cart.id,
                                  CartLine.variant_id == Variant.id))
        .add_columns(Cart.id, CartLine)
    )
    room = bindparam("cart_room", type_=CartLine.source_id.type) if in_room else _line_room()
    return _with_stock_and_deal(query, room, deals_on=deals_on, lock=False)


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
    found = _variant_in_cart(session, tenant, buyer_id, line.variant_id, None)
    if found is None:
        raise NotForSale("this variant is not for sale", "variant_id")
    left = found[2].available
    if quantity > left:
        raise NotEnoughStock(f"only {left} available", "quantity", left)
    line.quantity = quantity
    session.flush()
    return line


def remove_line(session: Session, tenant: TenantContext, buyer_id: int, line_id: int) -> None:
    session.delete(get_line(session, tenant, buyer_id, line_id))
    session.flush()


def remove_variants(session: Session, tenant: TenantContext, buyer_id: int, variant_ids: Iterable[int]) -> None:
    """Take bought variants out of the buyer's cart (in the transaction that placed the order),
    in one statement."""
    wanted = sorted(set(variant_ids))
    if not wanted:
        return
    cart = select(Cart.id).where(Cart.tenant_id == tenant.id, Cart.buyer_id == buyer_id).scalar_subquery()
    session.execute(
        delete(CartLine).where(CartLine.tenant_id == tenant.id, CartLine.cart_id == cart, CartLine.variant_id.in_(wanted))
        .execution_options(synchronize_session=False)
    )


def get_line(session: Session, tenant: TenantContext, buyer_id: int, line_id: int) -> CartLine:
    """The line if it is in this buyer's cart; anyone else's answers as not found."""
    line = session.scalar(
        select(CartLine).join(Cart, Cart.id == CartLine.cart_id)
        .where(CartLine.id == line_id, Cart.buyer_id == buyer_id)
    )
    if line is None:
        raise CartLineNotFound("no such line in your cart", "line_id")
    return line


def _new_cart(session: Session, tenant: TenantContext, buyer_id: int) -> int:
    """Make the buyer's cart (its first add found none) and answer its id. Two first adds at
    once: the unique constraint lets one insert win; the other re-reads the winner's cart
    inside its savepoint."""
    try:
        with session.begin_nested():
            cart = Cart(buyer_id=buyer_id)
            session.add(cart)
    except IntegrityError:
        found = find_cart(session, tenant, buyer_id)
        assert found is not None, "the concurrent insert that won is committed"
        return found.id
    return cart.id


def _check_quantity(quantity: int, field: str) -> None:
    if not 1 <= quantity <= MAX_QUANTITY:
        raise CartError(f"must be between 1 and {MAX_QUANTITY}", field)
