"""Shipping services: ship-from addresses, quotes, labels and tracking.

Plain functions over ``(session, tenant, ...)``; no Flask. Carriers are resolved through a
``CarrierFor`` the caller hands in (``carriers_from(db, settings)``); when none is given the
running application's is used (``pasar.shipping.providers``), so the checkout helper can call
``quote_options`` with the signature the order chain agreed on.

Buying a label runs in three steps because the carrier is a remote service (and the sandbox
carrier writes its own records and sends a webhook while it answers): ``plan_label`` reads the
order in a short transaction, the caller commits and calls ``buy_label`` with no transaction
open, then ``record_label`` stores the answer. The carrier is idempotent on the order's
reference, so a retry after a crash gets the same label, never a second one.

A tracking event moves the shipment and, through ``pasar.orders.state.transition`` with the
actor ``carrier``, the order: a pick-up or transit scan ships it, a delivery delivers it and
starts the return window, a parcel returned to the sender cancels it (its units go back on the
shelf). Money the event means — cash collected on delivery to capture, a returned prepaid
parcel to refund — comes back as a ``TrackingOutcome``; the caller hands it to payments, which
records it in the event's transaction and calls the provider after the commit.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pasar import contracts as c
from pasar import clock
from pasar.config import Settings
from pasar.db import Database
from pasar.events.service import record
from pasar.money import cash_round, from_minor, money, to_minor
from pasar.orders.models import Order
from pasar.orders.service import payment_flow, put_back_stock
from pasar.orders.state import Actor, transition
from pasar.providers import provider_context
from pasar.sellers.service import get_seller
from pasar.shipping.models import SellerAddress, Shipment, TrackingEvent
from pasar.tenancy.service import TenantContext

CarrierFor = Callable[[TenantContext, str], c.Carrier]
CARRIER = Actor("carrier")
#: Scans that mean the parcel has left the seller.
MOVING = frozenset({"picked_up", "in_transit", "out_for_delivery", "failed_attempt"})
ADDRESS_FIELDS = ("name", "phone", "line1", "line2", "city", "region", "postal_code", "country")


class ShippingError(Exception):
    """Something the shipping domain refuses; ``field`` names the input at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field = message, field


class NotFound(ShippingError, LookupError):
    """No such order or shipment for this seller in this tenant."""


class LabelRefused(ShippingError):
    """A label cannot be bought for the order as it is (status, carrier, service)."""


class UnknownShipment(ShippingError, LookupError):
    """A tracking event names a parcel this tenant never shipped with that carrier."""


# --- carriers -----------------------------------------------------------------------------------
def carriers_from(db: Database, settings: Settings, *, send: Callable[[c.OutgoingWebhook], None] | None = None) -> CarrierFor:
    """Resolve a carrier code to the tenant's provider object, with the tenant's context."""

    def resolve(tenant: TenantContext, code: str) -> c.Carrier:
        return tenant.hooks.carrier(code, provider_context(db, settings, tenant, send=send))

    return resolve


def _resolver(carriers: CarrierFor | None) -> CarrierFor:
    if carriers is not None:
        return carriers
    from pasar.shipping.providers import app_carriers  # it imports this module


    return app_carriers()


def carrier_info(tenant: TenantContext, code: str) -> c.CarrierInfo | None:
    """The tenant's carrier with this code, or None when the tenant does not use it."""
    return next((info for info in tenant.carriers() if info.code == code), None)


# --- ship-from addresses ------------------------------------------------------------------------
def seller_address(session: Session, tenant: TenantContext, seller_id: int) -> SellerAddress | None:
    return session.scalar(select(SellerAddress).where(SellerAddress.seller_id == seller_id))


def ship_from(session: Session, tenant: TenantContext, seller_id: int) -> c.Address:
    """The seller's ship-from address; a shop with none yet ships from the tenant's country
    (the zone is then "national": the carriers' widest domestic price, never an underquote)."""
    found = seller_address(session, tenant, seller_id)
    if found is None:
        return c.Address(country=tenant.country, name=get_seller(session, tenant, seller_id).name)
    return c.Address(**{name: getattr(found, name) for name in ADDRESS_FIELDS})


def ship_from_many(session: Session, tenant: TenantContext, shops: Mapping[int, str]) -> dict[int, c.Address]:
    """``ship_from`` of several shops (id → name, which a shop with no address yet ships under)
    in one statement: a checkout quotes every shop of the cart."""
    if not shops:
        return {}
    found = session.scalars(select(SellerAddress).where(SellerAddress.seller_id.in_(sorted(shops))))
    origins = {address.seller_id: c.Address(**{name: getattr(address, name) for name in ADDRESS_FIELDS}) for address in found}
    return {seller_id: origins.get(seller_id) or c.Address(country=tenant.country, name=name) for seller_id, name in shops.items()}


def set_seller_address(session: Session, tenant: TenantContext, seller_id: int, values: Mapping[str, str]) -> SellerAddress:
    """Create or replace the seller's ship-from address; it is always in the tenant's country
    (carriers here deliver domestically)."""
    country = (values.get("country") or tenant.country).strip().upper()
    if country != tenant.country:
        raise ShippingError(f"a ship-from address must be in {tenant.country}", "country")
    get_seller(session, tenant, seller_id)
    address = seller_address(session, tenant, seller_id) or SellerAddress(seller_id=seller_id)
    for name in ADDRESS_FIELDS:
        if name != "country":
            setattr(address, name, (values.get(name) or "").strip())
    address.country = country
    session.add(address)
    session.flush()
    return address


# --- quotes ---------------------------------------------------------------------------------------
def quote_options(
    session: Session,
    tenant: TenantContext,
    seller_id: int,
    destination: c.Address,
    parcel: c.Parcel,
    *,
    carriers: CarrierFor | None = None,
    origin: c.Address | None = None,
) -> list[c.ShippingQuote]:
    """Every service of every carrier the tenant uses that can take this parcel from the
    seller to ``destination``, cheapest first. A COD parcel (``parcel.cod_amount``) only gets
    quotes from carriers that collect cash; their quote includes the collection fee.
    ``origin`` is the shop's ship-from address if the caller read it already (``ship_from_many``)."""
    resolve = _resolver(carriers)
    request = c.ShipmentRequest(
        reference=f"quote:{tenant.code}:{seller_id}",
        origin=origin if origin is not None else ship_from(session, tenant, seller_id),
        destination=destination,
        parcel=parcel,
        currency=tenant.currency,
    )
    quotes = [quote for info in tenant.carriers() for quote in resolve(tenant, info.code).quote(request)]
    return sorted(quotes, key=lambda q: (q.amount, q.max_days, q.carrier, q.service))


def address_of(data: Mapping[str, Any]) -> c.Address:
    """An ``Address`` from a stored address dict (unknown keys are ignored)."""
    names = {f.name for f in fields(c.Address)}
    return c.Address(**{k: str(v) for k, v in data.items() if k in names and v is not None})


# --- labels ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LabelPlan:
    """Everything needed to buy a label, read in one short transaction."""

    order_id: int
    seller_id: int
    carrier: str
    service: str
    request: c.ShipmentRequest
    cod_minor: int | None


def seller_order(session: Session, tenant: TenantContext, seller_id: int, order_id: int, *, lock: bool = False) -> Order:
    """The seller's order; another seller's (or tenant's) order is not found."""
    query = select(Order).where(Order.id == order_id, Order.seller_id == seller_id)
    if lock:
        query = query.with_for_update()
    order = session.scalar(query)
    if order is None:
        raise NotFound(f"no order {order_id}", "order_id")
    return order


def shipment_of(session: Session, tenant: TenantContext, order_id: int) -> Shipment | None:
    return session.scalar(select(Shipment).where(Shipment.order_id == order_id))


def cash_to_collect(tenant: TenantContext, order: Order) -> int:
    """The cash the courier collects: the order total, rounded to the coins in circulation
    where the country rounds cash bills (MYR to 5 sen); elsewhere exactly the total."""
    rules = tenant.currency_rules()
    return to_minor(cash_round(from_minor(order.total_minor, order.currency, rules), rules), rules)


def plan_label(
    session: Session, tenant: TenantContext, seller_id: int, order_id: int,
    carrier: str | None = None, service: str | None = None,
) -> LabelPlan | Shipment:
    """What to buy for the order, or its shipment when a label was bought already."""
    order = seller_order(session, tenant, seller_id, order_id)
    existing = shipment_of(session, tenant, order.id)
    if existing is not None:
        return existing
    if order.status != "ready_to_ship":
        raise LabelRefused(f"order {order.id} is {order.status}: only an order ready to ship gets a label", "status")
    code = carrier or order.carrier
    info = carrier_info(tenant, code)
    if info is None:
        raise LabelRefused(f"{code!r} is not a carrier of this marketplace", "carrier")
    level = service or (order.shipping_service if code == order.carrier else info.services[0])
    if level not in info.services:
        raise LabelRefused(f"{info.name} has no service {level!r}; it offers {', '.join(info.services)}", "service")
    cod = cash_to_collect(tenant, order) if payment_flow(tenant, order) == "on_delivery" else None
    if cod is not None and not info.cod:
        raise LabelRefused(f"{info.name} does not collect cash on delivery", "carrier")
    request = _shipment_request(session, tenant, order, cod)
    return LabelPlan(order.id, seller_id, code, level, request, cod)


def _shipment_request(session: Session, tenant: TenantContext, order: Order, cod_minor: int | None) -> c.ShipmentRequest:
    rules = tenant.currency_rules()
    parcel = c.Parcel(
        weight_grams=sum(line.weight_grams * line.quantity for line in order.lines),
        declared_value=from_minor(order.subtotal_minor, order.currency, rules).amount,
        cod_amount=None if cod_minor is None else from_minor(cod_minor, order.currency, rules).amount,
    )
    return c.ShipmentRequest(
        reference=f"{tenant.code}:order:{order.id}",
        origin=ship_from(session, tenant, order.seller_id),
        destination=address_of(order.shipping_address),
        parcel=parcel,
        currency=order.currency,
    )


def buy_label(tenant: TenantContext, plan: LabelPlan, carriers: CarrierFor | None = None) -> c.Shipment:
    """Call the carrier (with no transaction open): the same order reference always gets the
    same label. ``LabelRefused`` when the carrier cannot take the parcel."""
    carrier = _resolver(carriers)(tenant, plan.carrier)
    try:
        return carrier.create_shipment(plan.request, plan.service)
    except ValueError as exc:
        raise LabelRefused(str(exc), "carrier") from exc


def record_label(session: Session, tenant: TenantContext, plan: LabelPlan, bought: c.Shipment) -> Shipment:
    """Store the label (once: a concurrent purchase of the same order keeps the first row)."""
    shipment = Shipment(
        order_id=plan.order_id, seller_id=plan.seller_id, carrier=bought.carrier, service=bought.service,
        tracking_number=bought.tracking_number, label_url=bought.label_url,
        cost_minor=minor_of(tenant, bought.amount), currency=bought.currency,
        cod_amount_minor=plan.cod_minor, status="label_created",
    )
    try:
        with session.begin_nested():
            session.add(shipment)
    except IntegrityError:
        existing = shipment_of(session, tenant, plan.order_id)
        if existing is None:
            raise
        return existing
    record(session, tenant, "shipment.label_created", shipment.id,
           {"order_id": plan.order_id, "carrier": bought.carrier, "tracking_number": bought.tracking_number})
    return shipment


def minor_of(tenant: TenantContext, amount: Decimal) -> int:
    """A carrier's decimal amount in the tenant currency as stored minor units."""
    return to_minor(money(amount, tenant.currency), tenant.currency_rules())


def sync_tracking(session: Session, tenant: TenantContext, shipment: Shipment, carriers: CarrierFor | None = None) -> list[TrackingOutcome]:
    """Read the parcel's events back from the carrier and apply any not seen yet (a webhook
    that raced the label's own transaction is caught up here)."""
    events = _resolver(carriers)(tenant, shipment.carrier).track(shipment.tracking_number)
    return [apply_tracking_event(session, tenant, shipment.carrier, event) for event in events]


# --- tracking -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TrackingOutcome:
    """What a tracking event did, and the money it means for payments (cash to capture, a
    refund to make), which the caller hands on in the same transaction."""

    status: str  # "applied", "duplicate" or "stale"
    order_id: int | None = None
    checkout_id: int | None = None
    cash_collected_minor: int | None = None  # COD delivered: capture this much
    refund_minor: int | None = None  # a prepaid parcel came back: refund the buyer


def find_shipment(session: Session, tenant: TenantContext, carrier: str, tracking_number: str, *, lock: bool = False) -> Shipment | None:
    query = select(Shipment).where(Shipment.carrier == carrier, Shipment.tracking_number == tracking_number)
    if lock:
        query = query.with_for_update()
    return session.scalar(query)


def select_by_tracking(tracking_number: str) -> Select[tuple[Shipment]]:
    """The shipment with this tracking number (numbers carry the carrier's prefix)."""
    return select(Shipment).where(Shipment.tracking_number == tracking_number).order_by(Shipment.id).limit(1)


def event_key(event: c.TrackingEvent) -> str:
    """The carrier's event id, or one derived from the scan when a carrier sends none."""
    return event.event_id or f"{event.tracking_number}:{event.status}:{event.occurred_at.isoformat()}"


def apply_tracking_event(session: Session, tenant: TenantContext, carrier: str, event: c.TrackingEvent) -> TrackingOutcome:
    """Store a verified scan once and move the shipment and its order; an event older than
    the last one applied is kept for the timeline but moves nothing."""
    shipment = find_shipment(session, tenant, carrier, event.tracking_number, lock=True)
    if shipment is None:
        raise UnknownShipment(f"no {carrier} shipment with tracking number {event.tracking_number!r}", "tracking_number")
    stale = shipment.last_event_at is not None and event.occurred_at < shipment.last_event_at
    stored = _store_event(session, tenant, shipment, carrier, event, applied=not stale)
    if stored is None:
        return TrackingOutcome("duplicate", shipment.order_id)
    if stale:
        return TrackingOutcome("stale", shipment.order_id)
    shipment.status, shipment.last_event_at = event.status, event.occurred_at
    order = session.scalar(select(Order).where(Order.id == shipment.order_id).with_for_update())
    assert order is not None, "a shipment's order is kept by its foreign key"
    return _move_order(session, tenant, shipment, order, event)


def _store_event(
    session: Session, tenant: TenantContext, shipment: Shipment, carrier: str, event: c.TrackingEvent, *, applied: bool
) -> TrackingEvent | None:
    """Insert the event, or None when this carrier event id was stored before."""
    key = event_key(event)
    seen = session.scalar(select(TrackingEvent.id).where(TrackingEvent.carrier == carrier, TrackingEvent.event_id == key))
    if seen is not None:
        return None
    cod = event.cod_collected
    row = TrackingEvent(
        shipment_id=shipment.id, carrier=carrier, event_id=key, status=event.status,
        occurred_at=event.occurred_at, location=event.location[:200], applied=applied,
        cod_collected_minor=None if cod is None else minor_of(tenant, cod),
    )
    # No savepoint here: the shipment row is locked, so deliveries of one parcel's events
    # queue, and a savepoint after this transaction recorded outbox events would kick the relay
    # while the transaction still holds the write lock (see the report on pasar.events).
    shipment.events.append(row)
    session.flush()
    return row


def _move_order(session: Session, tenant: TenantContext, shipment: Shipment, order: Order, event: c.TrackingEvent) -> TrackingOutcome:
    outcome = TrackingOutcome("applied", order.id, order.checkout_id)
    if event.status in MOVING or event.status in ("delivered", "returned"):
        _ensure_shipped(session, tenant, order, event.occurred_at)
    if event.status == "failed_attempt":
        record(session, tenant, "shipment.failed_attempt", shipment.id,
               {"order_id": order.id, "tracking_number": shipment.tracking_number, "location": event.location})
    if event.status == "delivered":
        return _delivered(session, tenant, shipment, order, event, outcome)
    if event.status == "returned":
        return _returned(session, tenant, order, event, outcome)
    return outcome


def _ensure_shipped(session: Session, tenant: TenantContext, order: Order, at: datetime) -> None:
    """The first scan after the label ships the order (a parcel may skip scans)."""
    if order.status == "ready_to_ship":
        transition(session, tenant, order, "shipped", CARRIER, reason="carrier scan", at=at)


def return_window_days(tenant: TenantContext, delivered_at: datetime) -> int:
    """Days the buyer may return the goods, by the rules in force on the delivery day."""
    local_day = delivered_at.astimezone(ZoneInfo(tenant.config.timezone)).date()
    rules = tenant.consumer_rules(local_day)
    return rules.return_window_days if rules is not None else 0


def _delivered(
    session: Session, tenant: TenantContext, shipment: Shipment, order: Order, event: c.TrackingEvent, outcome: TrackingOutcome
) -> TrackingOutcome:
    if order.status == "shipped":
        transition(session, tenant, order, "delivered", CARRIER, reason="delivered", at=event.occurred_at)
        order.return_deadline = event.occurred_at + timedelta(days=return_window_days(tenant, event.occurred_at))
    if shipment.cod_amount_minor is None or event.cod_collected is None:
        return outcome
    collected = minor_of(tenant, event.cod_collected)
    return TrackingOutcome("applied", order.id, order.checkout_id, cash_collected_minor=collected)


def _returned(session: Session, tenant: TenantContext, order: Order, event: c.TrackingEvent, outcome: TrackingOutcome) -> TrackingOutcome:
    """Returned to the sender: the order is cancelled, the goods are back on the shelf, and a
    buyer who paid up front is refunded in full (a COD parcel was never paid)."""
    if order.status != "shipped":
        return outcome
    transition(session, tenant, order, "cancelled", CARRIER, reason="returned to sender", at=event.occurred_at)
    put_back_stock(session, tenant, order)
    refund = order.total_minor if order.paid_at is not None else None
    return TrackingOutcome("applied", order.id, order.checkout_id, refund_minor=refund)


# --- reading ----------------------------------------------------------------------------------------
def timeline(shipment: Shipment) -> list[TrackingEvent]:
    """The parcel's scans in the order they happened."""
    return sorted(shipment.events, key=lambda e: (e.occurred_at, e.id))


def due_for_demo(session: Session, older_than: timedelta) -> list[Shipment]:
    """Open sandbox parcels whose last scan is older than ``older_than`` (all tenants)."""
    cutoff = clock.now() - older_than
    query = (
        select(Shipment)
        .where(Shipment.status.in_(("label_created", "picked_up", "in_transit", "out_for_delivery", "failed_attempt")))
        .where(Shipment.last_event_at.is_not(None), Shipment.last_event_at < cutoff)
        .order_by(Shipment.tenant_id, Shipment.id)
    )
    return list(session.scalars(query))
