"""Deals: create, list and end a seller's deals; claim units at the deal price, race-safe.

Plain functions over ``(session, tenant, ...)``; no Flask. Every counter moves by ONE
conditional UPDATE whose row count is checked — never a read followed by a write — so any
number of concurrent buyers sell exactly the quota, and one buyer's rapid attempts never pass
the per-buyer limit.

A flash deal's price is for every buyer; a live deal's only for a cart line added in its live
session (``cart_lines.source_*``) while that session is on air — the callers hand the line's
session to ``active_deal``/``claim``.

Locks are always taken in the order *inventory row → deal row → buyer row*, the order in
which a claim, a cancellation (whose order's stock is released first) and the end of a deal
touch them, so none of them waits for another crosswise (PostgreSQL would abort one as a
deadlock).
"""
from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, and_, exists, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, aliased

from pasar.catalog.errors import CatalogError
from pasar.catalog.models import Inventory
from pasar.catalog.prices import price_to_minor
from pasar.catalog.service import release_stock, reserve_stock, seller_variant
from pasar.content.models import LiveSession, LiveShowcaseItem
from pasar.deals.errors import DealConflict, DealError, DealLimitReached, DealNotFound, DealSoldOut, InvalidDeal
from pasar.deals.models import Deal, DealBuyer, DealClaim
from pasar.sellers.service import get_approved_seller
from pasar.tenancy.service import TenantContext

__all__ = [
    "DealConflict", "DealError", "DealLimitReached", "DealNotFound", "DealSoldOut", "InvalidDeal",
    "active_deal", "active_deals", "applies_to", "attach", "check_claimable", "claim", "claim_refusal", "claim_deal", "create_deal",
    "deal_applying", "end_deal", "end_due", "release_orders", "seller_deal", "seller_deals", "use_orders",
]

FEATURE = "flash_sales"
SELLER_PAGE = 100
_log = logging.getLogger(__name__)


# --- sellers ------------------------------------------------------------------------------------
def create_deal(
    session: Session, tenant: TenantContext, seller_id: int, *, variant_id: int, kind: str, price: str,
    starts_at: datetime, ends_at: datetime, quota: int, per_buyer_limit: int, at: datetime,
    live_session_id: int | None = None,
) -> Deal:
    """A deal on one of the seller's variants, its quota taken from stock at once (so those
    units cannot also be sold at the normal price)."""
    get_approved_seller(session, tenant, seller_id)
    try:
        variant = seller_variant(session, tenant, seller_id, variant_id)
        price_minor = price_to_minor(tenant, price)
    except CatalogError as exc:
        raise (DealNotFound if isinstance(exc, LookupError) else InvalidDeal)(exc.message, exc.field or "variant_id") from None
    _check_terms(kind, live_session_id, starts_at, ends_at, quota, per_buyer_limit, at)
    if kind == "live" and not _room_shows(session, live_session_id, variant.product_id):
        raise InvalidDeal("no scheduled or running live session of that id shows this product", "live_session_id")
    if price_minor >= variant.price_minor:
        raise InvalidDeal("a deal price must be below the variant's price", "price")
    if not reserve_stock(session, tenant, variant_id, quota):
        raise DealConflict(f"not enough unreserved stock of variant {variant_id} to hold {quota} units", "quota")
    deal = Deal(
        seller_id=seller_id, variant_id=variant_id, kind=kind, live_session_id=live_session_id,
        price_minor=price_minor, currency=tenant.currency, starts_at=starts_at, ends_at=ends_at,
        quota=quota, per_buyer_limit=per_buyer_limit, claimed=0, status="active",
    )
    session.add(deal)
    session.flush()
    return deal


def _check_terms(kind: str, live_session_id: int | None, starts_at: datetime, ends_at: datetime,
                 quota: int, per_buyer_limit: int, at: datetime) -> None:
    """Refuse terms a deal cannot run with, naming the field."""
    if kind == "live" and live_session_id is None:
        raise InvalidDeal("a live deal names its live session", "live_session_id")
    if ends_at <= starts_at:
        raise InvalidDeal("the deal must end after it starts", "ends_at")
    if ends_at <= at:
        raise InvalidDeal("the deal would already be over", "ends_at")
    if per_buyer_limit > quota:
        raise InvalidDeal("the per-buyer limit cannot be above the quota", "per_buyer_limit")


def _room_shows(session: Session, live_session_id: int | None, product_id: int) -> bool:
    """Whether the live session is still to come or on air and has the product in its showcase
    (a shop may run a live deal in its own room or in a creator's room that shows its product)."""
    found = session.scalar(
        select(LiveSession.id)
        .join(LiveShowcaseItem, and_(LiveShowcaseItem.tenant_id == LiveSession.tenant_id,
                                     LiveShowcaseItem.live_session_id == LiveSession.id))
        .where(LiveSession.id == live_session_id, LiveSession.status.in_(("scheduled", "live")),
               LiveShowcaseItem.product_id == product_id)
    )
    return found is not None


def seller_deals(session: Session, tenant: TenantContext, seller_id: int) -> list[Deal]:
    """The seller's latest deals, newest first."""
    query = select(Deal).where(Deal.seller_id == seller_id).order_by(Deal.id.desc()).limit(SELLER_PAGE)
    return list(session.scalars(query))


def seller_deal(session: Session, tenant: TenantContext, seller_id: int, deal_id: int) -> Deal:
    """The deal if this seller owns it; anyone else's is not found."""
    deal = session.get(Deal, deal_id)
    if deal is None or deal.seller_id != seller_id:
        raise DealNotFound("no such deal", "deal_id")
    return deal


def end_deal(session: Session, tenant: TenantContext, deal: Deal, at: datetime) -> Deal:
    """End the deal now and give the units no one claimed back to the shelf. Claims still held
    by unpaid orders stay with them; if such an order is cancelled later its units go to the
    shelf, not back to the ended deal."""
    _lock_inventory(session, tenant, deal.variant_id)
    ended = session.execute(
        update(Deal).where(Deal.tenant_id == tenant.id, Deal.id == deal.id, Deal.status == "active")
        .values(status="ended", ended_at=at, released=Deal.quota - Deal.claimed)
        .execution_options(synchronize_session=False)
    )
    if ended.rowcount != 1:  # type: ignore[attr-defined]
        raise DealConflict("the deal has already ended", "status", deal_id=deal.id)
    session.refresh(deal)
    if deal.released and not release_stock(session, tenant, deal.variant_id, deal.released):
        _log.error("deal %s: %s units were not held for it", deal.id, deal.released)
    return deal


def end_due(session: Session, tenant: TenantContext, at: datetime) -> int:
    """End every deal whose window is over (their unclaimed units go back); how many ended."""
    due = session.scalars(select(Deal).where(Deal.status == "active", Deal.ends_at <= at).order_by(Deal.id))
    count = 0
    for deal in list(due):
        try:
            end_deal(session, tenant, deal, at)
            count += 1
        except DealConflict:  # ended by its seller meanwhile
            continue
    return count


def _lock_inventory(session: Session, tenant: TenantContext, variant_id: int) -> None:
    """Take the variant's stock row lock first (see the module docstring: lock order)."""
    session.execute(
        select(Inventory.variant_id).where(Inventory.tenant_id == tenant.id, Inventory.variant_id == variant_id)
        .with_for_update()
    )


# --- buyers -------------------------------------------------------------------------------------
def active_deals(session: Session, tenant: TenantContext, at: datetime) -> list[Deal]:
    """Deals running at ``at``, ending soonest first (an empty list where the feature is off)."""
    if not tenant.has_feature(FEATURE):
        return []
    query = select(Deal).where(Deal.status == "active", Deal.starts_at <= at, Deal.ends_at > at)
    return list(session.scalars(query.order_by(Deal.ends_at, Deal.id)))


def applies_to(deal: type[Deal] | Any, live_session_id: ColumnElement[Any] | int | None, room: type[LiveSession] | Any = LiveSession) -> ColumnElement[bool]:
    """Whether ``deal`` applies to a purchase made in the live session ``live_session_id``
    (None, or a NULL column: made elsewhere): a flash deal always, a live deal only from its
    own session while that session is on air."""
    flash = deal.kind == "flash"
    if live_session_id is None:
        return flash
    on_air = exists(select(room.id).where(room.tenant_id == deal.tenant_id, room.id == live_session_id, room.status == "live"))
    return or_(flash, and_(deal.kind == "live", deal.live_session_id == live_session_id, on_air))


def deal_applying(variant_id: ColumnElement[Any], live_session_id: ColumnElement[Any] | int | None,
                  at: ColumnElement[Any] | datetime) -> ScalarSelect[Any]:
    """``active_deal``'s rule as a correlated subquery on the caller's columns — the id of the
    deal a purchase of ``variant_id`` made in ``live_session_id`` gets at ``at`` (a value, or a
    bound parameter of a statement built once) — so a cart joins every line's deal in the
    statement that reads the lines."""
    deal, room = aliased(Deal, name="applying_deal"), aliased(LiveSession, name="applying_room")
    return (
        select(deal.id).where(
            deal.variant_id == variant_id, deal.status == "active", deal.starts_at <= at, deal.ends_at > at,
            applies_to(deal, live_session_id, room),
        ).order_by(deal.price_minor, deal.id).limit(1).correlate_except(deal, room).scalar_subquery()
    )


def active_deal(
    session: Session, tenant: TenantContext, variant_id: int, at: datetime, live_session_id: int | None = None,
) -> Deal | None:
    """The deal a purchase of the variant at ``at`` gets: the lowest price among those
    running (a sold-out one included: its buyers are told so, not charged the normal price).
    Flash deals apply to everyone; a live deal only when the purchase comes from its live
    session (``live_session_id``) and that session is on air."""
    if not tenant.has_feature(FEATURE):
        return None
    query = select(Deal).where(
        Deal.variant_id == variant_id, Deal.status == "active", Deal.starts_at <= at, Deal.ends_at > at,
        applies_to(Deal, live_session_id),
    ).order_by(Deal.price_minor, Deal.id).limit(1)
    return session.scalar(query)


def claim_refusal(deal: Deal, bought: int, quantity: int) -> DealError | None:
    """What ``claim`` would refuse now for a buyer who holds ``bought`` of the deal, or None —
    only a hint for a quote (``claim`` decides, with guarded writes); read nothing, the caller
    read the deal and the buyer's row with its cart."""
    if deal.claimed + quantity > deal.quota:
        return DealSoldOut("the deal sold out", deal_id=deal.id)
    if bought + quantity > deal.per_buyer_limit:
        return DealLimitReached(_limit_message(deal), deal_id=deal.id)
    return None


def check_claimable(session: Session, tenant: TenantContext, deal: Deal, buyer_id: int, quantity: int) -> None:
    """What a quote shows: raise as ``claim`` would now. Only a hint — ``claim`` decides."""
    bought = session.scalar(select(DealBuyer.bought).where(DealBuyer.deal_id == deal.id, DealBuyer.buyer_id == buyer_id)) or 0
    refusal = claim_refusal(deal, bought, quantity)
    if refusal is not None:
        raise refusal


def _limit_message(deal: Deal) -> str:
    return f"this deal allows at most {deal.per_buyer_limit} per buyer"


def claim(session: Session, tenant: TenantContext, buyer_id: int, variant_id: int, quantity: int,
          at: datetime, live_session_id: int | None = None) -> DealClaim | None:
    """Claim ``quantity`` units of the variant's running deal for the buyer (bought in the live
    session ``live_session_id``, if any); None if no deal applies at ``at``. Raises
    ``DealSoldOut`` or ``DealLimitReached`` having changed nothing."""
    deal = active_deal(session, tenant, variant_id, at, live_session_id)
    if deal is None:
        return None
    return claim_deal(session, tenant, deal, buyer_id, quantity, at)


def claim_deal(session: Session, tenant: TenantContext, deal: Deal, buyer_id: int, quantity: int,
               at: datetime) -> DealClaim:
    """Move ``quantity`` units from the deal's hold to the caller (who reserves them for its
    order in the same transaction), within the quota and the buyer's limit."""
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity <= 0:
        raise ValueError(f"quantity must be a positive integer, got {quantity!r}")
    if not release_stock(session, tenant, deal.variant_id, quantity):  # locks the stock row first
        raise DealSoldOut("the deal sold out", deal_id=deal.id)
    if not _count_claim(session, tenant, deal, quantity, at):
        reserve_stock(session, tenant, deal.variant_id, quantity)
        raise DealSoldOut("the deal sold out", deal_id=deal.id)
    if not _count_buyer(session, tenant, deal, buyer_id, quantity):
        _uncount_claim(session, tenant, deal.id, quantity)
        reserve_stock(session, tenant, deal.variant_id, quantity)
        raise DealLimitReached(_limit_message(deal), deal_id=deal.id)
    held = DealClaim(deal_id=deal.id, buyer_id=buyer_id, variant_id=deal.variant_id, quantity=quantity,
                     price_minor=deal.price_minor, status="held", created_at=at)
    session.add(held)
    session.flush()
    session.expire(deal)
    return held


def _count_claim(session: Session, tenant: TenantContext, deal: Deal, quantity: int, at: datetime) -> bool:
    """claimed += q only while the deal runs and the quota allows it."""
    counted = session.execute(
        update(Deal).where(
            Deal.tenant_id == tenant.id, Deal.id == deal.id, Deal.status == "active",
            Deal.starts_at <= at, Deal.ends_at > at, Deal.claimed + quantity <= Deal.quota,
        ).values(claimed=Deal.claimed + quantity).execution_options(synchronize_session=False)
    )
    return counted.rowcount == 1  # type: ignore[attr-defined]


def _uncount_claim(session: Session, tenant: TenantContext, deal_id: int, quantity: int, *, running: bool = False) -> bool:
    """claimed -= q (only on a deal still running with ``running``)."""
    query = update(Deal).where(Deal.tenant_id == tenant.id, Deal.id == deal_id, Deal.claimed >= quantity)
    if running:
        query = query.where(Deal.status == "active")
    done = session.execute(query.values(claimed=Deal.claimed - quantity).execution_options(synchronize_session=False))
    return done.rowcount == 1  # type: ignore[attr-defined]


def _count_buyer(session: Session, tenant: TenantContext, deal: Deal, buyer_id: int, quantity: int) -> bool:
    """The buyer's row (created if missing, a concurrent creation is not an error), then
    bought += q only within the limit."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        insert(DealBuyer).values(tenant_id=tenant.id, deal_id=deal.id, buyer_id=buyer_id, bought=0)
        .on_conflict_do_nothing(index_elements=["tenant_id", "deal_id", "buyer_id"])
    )
    counted = session.execute(
        update(DealBuyer).where(
            DealBuyer.tenant_id == tenant.id, DealBuyer.deal_id == deal.id, DealBuyer.buyer_id == buyer_id,
            DealBuyer.bought + quantity <= deal.per_buyer_limit,
        ).values(bought=DealBuyer.bought + quantity).execution_options(synchronize_session=False)
    )
    return counted.rowcount == 1  # type: ignore[attr-defined]


# --- the claim's life with its order ------------------------------------------------------------
def attach(session: Session, tenant: TenantContext, claims: Sequence[DealClaim], checkout_id: int,
           order_of_variant: Mapping[int, int]) -> None:
    """Name the checkout and order each claim was made for (same transaction as the claim)."""
    for held in claims:
        held.checkout_id, held.order_id = checkout_id, order_of_variant[held.variant_id]
    session.flush()


def use_orders(session: Session, tenant: TenantContext, order_ids: Sequence[int]) -> None:
    """The orders were paid: their held claims are used for good."""
    if order_ids:
        session.execute(
            update(DealClaim).where(DealClaim.tenant_id == tenant.id, DealClaim.order_id.in_(order_ids), DealClaim.status == "held")
            .values(status="used").execution_options(synchronize_session=False)
        )


def release_orders(session: Session, tenant: TenantContext, order_ids: Sequence[int], at: datetime) -> None:
    """The orders will never be paid (cancelled, payment failed or expired) and their stock
    was just released: their claims' units go back to their deals — held again for the deal
    if it still runs — and count no more against the buyer's limit."""
    if not order_ids:
        return
    held = session.scalars(
        select(DealClaim).where(DealClaim.order_id.in_(order_ids), DealClaim.status == "held")
        .order_by(DealClaim.variant_id, DealClaim.id)
    )
    for one in list(held):
        _release(session, tenant, one, at)


def _release(session: Session, tenant: TenantContext, held: DealClaim, at: datetime) -> None:
    released = session.execute(
        update(DealClaim).where(DealClaim.tenant_id == tenant.id, DealClaim.id == held.id, DealClaim.status == "held")
        .values(status="released", released_at=at).execution_options(synchronize_session=False)
    )
    if released.rowcount != 1:  # type: ignore[attr-defined]
        return  # released by a concurrent cancellation
    if _uncount_claim(session, tenant, held.deal_id, held.quantity, running=True):
        if not reserve_stock(session, tenant, held.variant_id, held.quantity):
            _shrink_quota(session, tenant, held.deal_id, held.quantity)
    else:  # the deal is over: the units stay on the shelf
        _uncount_claim(session, tenant, held.deal_id, held.quantity)
    session.execute(
        update(DealBuyer).where(
            DealBuyer.tenant_id == tenant.id, DealBuyer.deal_id == held.deal_id, DealBuyer.buyer_id == held.buyer_id,
            DealBuyer.bought >= held.quantity,
        ).values(bought=DealBuyer.bought - held.quantity).execution_options(synchronize_session=False)
    )
    session.expire(held)


def _shrink_quota(session: Session, tenant: TenantContext, deal_id: int, quantity: int) -> None:
    """The units could not be held again (sold at the normal price meanwhile): the deal stops
    promising them rather than selling stock it does not hold."""
    _log.warning("deal %s: %s released units could not be held again; quota lowered", deal_id, quantity)
    session.execute(
        update(Deal).where(Deal.tenant_id == tenant.id, Deal.id == deal_id).values(quota=Deal.quota - quantity)
        .execution_options(synchronize_session=False)
    )
