"""Order endpoints: buyers read and cancel their orders, sellers accept, cancel and read
theirs.

Views are thin: services do the work, views commit and turn refusals into problems naming the
field. Another buyer's or seller's order answers 404, like an unknown id. A state-machine
refusal (``InvalidTransition``) is a 409 naming ``status``.

A seller's cancellation of a paid order owes the buyer a refund: ``refund_order`` records it in
the same transaction and the payment provider is called after the commit, with a key derived
from the order, so a retried request refunds once.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from flask import g
from flask.views import MethodView
from flask_babel import get_locale
from flask_smorest import Blueprint, abort
from sqlalchemy.orm import Session

from pasar.accounts.auth import require_auth
from pasar import clock
from pasar.api import committed, fetched
from pasar.contracts import CurrencyRules, ProviderUnavailable
from pasar.money import format_money, from_minor
from pasar.orders import service
from pasar.orders.models import Order
from pasar.orders.schemas import (
    CancelSchema,
    OrderPageSchema,
    OrderSchema,
    PageArgsSchema,
    SellerCancelSchema,
    SellerPageArgsSchema,
)
from pasar.orders.state import Actor, InvalidTransition
from pasar.payments.refunds import RefundError
from pasar.payments.service import refund_order
from pasar.shipping import service as shipping
from pasar.shipping.models import Shipment
from pasar.tenancy.service import TenantContext
from pasar.web import current_tenant, db_session
from pasar.accounts.auth import own_seller_id
from pasar.accounts.auth import signed_in as principal
from pasar.web import write_session

#: Fields a caller chose: a refusal about them is bad input (422), not a conflict (409).
INPUT_FIELDS = frozenset({"carrier", "service", "country", "lines", "quantity", "kind", "bank_account"})

blp = Blueprint("orders", __name__, url_prefix="/api/v1", description="Orders of buyers and sellers")


# --- plumbing -----------------------------------------------------------------------------------
@contextmanager
def problems() -> Iterator[None]:
    """Turn the domain's refusals into problems (and roll back what they left)."""
    try:
        with refund_problems():
            yield
    except service.OrderNotFound:
        db_session().rollback()
        abort(404, message="no such order")
    except service.OrderError as exc:
        db_session().rollback()
        abort(409, message=exc.message, errors={exc.field or "order": [exc.message]})
    except InvalidTransition as exc:
        db_session().rollback()
        abort(409, message=str(exc), errors={"status": [f"is {exc.from_status}; {exc}"]})
    except shipping.ShippingError as exc:
        db_session().rollback()
        status = 404 if isinstance(exc, LookupError) else 422 if exc.field in INPUT_FIELDS else 409
        abort(status, message=exc.message, errors={exc.field or "shipment": [exc.message]})


@contextmanager
def refund_problems() -> Iterator[None]:
    """A refund refused as asked (409, naming ``refund``) or a payment provider that did not
    answer (503: safe to retry, the refund's key is derived from what it refunds), rolled back.
    Every domain that refunds (orders here, returns) answers them alike."""
    try:
        yield
    except RefundError as exc:
        db_session().rollback()
        abort(409, message=str(exc), errors={"refund": [str(exc)]})
    except ProviderUnavailable:
        db_session().rollback()
        abort(503, message="the payment provider did not answer; the request is safe to retry")


def money_json(minor: int, currency: str) -> dict[str, str]:
    """``{"amount", "currency", "formatted"}`` in the request's language."""
    rules = _currency_rules(currency)
    value = from_minor(minor, currency, rules)
    return {"amount": format(value.amount, "f"), "currency": currency,
            "formatted": format_money(value, str(get_locale()), rules)}


def _currency_rules(currency: str) -> CurrencyRules:
    """The region plugin's rules for ``currency``, asked once per request: a page of 100
    orders formats each total, and each answer was a hook call of its own."""
    known: dict[str, CurrencyRules] = g.setdefault("pasar_currency_rules", {})
    if currency not in known:
        tenant = current_tenant()
        known[currency] = (tenant.currency_rules() if currency == tenant.currency
                           else tenant.hooks.currency_rules(currency, tenant.country))
    return known[currency]


def summary_json(order: Order) -> dict[str, Any]:
    return {
        "id": order.id, "checkout_id": order.checkout_id, "seller_id": order.seller_id, "status": order.status,
        "total": money_json(order.total_minor, order.currency), "items": sum(line.quantity for line in order.lines),
        "payment_method": order.payment_method, "created_at": order.created_at,
    }


def order_json(order: Order, shipment: Shipment | None) -> dict[str, Any]:
    """The whole order: lines, totals, history, the parcel's timeline and the return window."""
    cur = order.currency
    return {
        **summary_json(order),
        "buyer_id": order.buyer_id,
        "lines": [_line_json(line, cur) for line in order.lines],
        "totals": {
            "subtotal": money_json(order.subtotal_minor, cur),
            "seller_discount": money_json(order.seller_discount_minor, cur),
            "platform_discount": money_json(order.platform_discount_minor, cur),
            "shipping": money_json(order.shipping_minor, cur),
            "tax": money_json(order.tax_minor, cur),
            "tax_included": order.tax_included,
            "tax_collected_by": order.tax_collected_by,
            "total": money_json(order.total_minor, cur),
        },
        "carrier": order.carrier, "shipping_service": order.shipping_service,
        "shipping_address": dict(order.shipping_address),
        "history": list(order.transitions),
        "shipment": shipment_json(shipment) if shipment is not None else None,
        "return_window": return_window_json(order),
        "paid_at": order.paid_at, "shipped_at": order.shipped_at,
        "delivered_at": order.delivered_at, "completed_at": order.completed_at,
    }


def _line_json(line: Any, currency: str) -> dict[str, Any]:
    return {
        "id": line.id, "product_id": line.product_id, "variant_id": line.variant_id, "sku": line.sku,
        "title": line.title, "quantity": line.quantity, "refunded_quantity": line.refunded_quantity,
        "unit_price": money_json(line.unit_price_minor, currency),
        "discount": money_json(line.discount_minor, currency),
        "tax": money_json(line.tax_minor, currency), "tax_rate": line.tax_rate,
        "total": money_json(line.unit_price_minor * line.quantity - line.discount_minor, currency),
    }


def shipment_json(shipment: Shipment) -> dict[str, Any]:
    cod = shipment.cod_amount_minor
    return {
        "id": shipment.id, "carrier": shipment.carrier, "service": shipment.service,
        "tracking_number": shipment.tracking_number, "label_url": shipment.label_url,
        "status": shipment.status, "cost": money_json(shipment.cost_minor, shipment.currency),
        "cash_on_delivery": money_json(cod, shipment.currency) if cod is not None else None,
        "timeline": shipping.timeline(shipment),
    }


def return_window_json(order: Order) -> dict[str, Any]:
    tenant = current_tenant()
    days = shipping.return_window_days(tenant, order.delivered_at) if order.delivered_at else None
    deadline: datetime | None = order.return_deadline
    is_open = order.status == "delivered" and deadline is not None and clock.now() <= deadline
    return {"deadline": deadline, "days": days, "open": is_open}


def page_json(orders: list[Order], limit: int) -> dict[str, Any]:
    return {"items": [summary_json(o) for o in orders],
            "next_before": orders[-1].id if len(orders) == limit else None}


def detail(order: Order) -> dict[str, Any]:
    """The order as stored now: moves made in this request reach its history too."""
    session = db_session()
    session.expire(order, ["transitions", "lines"])
    return order_json(order, service.shipment_for(session, current_tenant(), order.id))


# --- buyers -------------------------------------------------------------------------------------
@blp.route("/orders")
class BuyerOrdersView(MethodView):
    @require_auth("buyer")
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, OrderPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The signed-in buyer's orders, newest first; page with ``before``."""
        orders = service.buyer_orders(db_session(), current_tenant(), principal().id,
                                      before=args.get("before"), limit=args["limit"])
        return page_json(orders, args["limit"])


@blp.route("/orders/<int:order_id>")
class BuyerOrderView(MethodView):
    @require_auth("buyer")
    @blp.response(200, OrderSchema)
    def get(self, order_id: int) -> dict[str, Any]:
        """One of the buyer's orders: lines, totals, history, tracking and return window."""
        return detail(fetched(problems, service.buyer_order, current_tenant(), principal().id, order_id))


@blp.route("/orders/<int:order_id>/cancel")
class BuyerCancelView(MethodView):
    @require_auth("buyer")
    @blp.arguments(CancelSchema)
    @blp.response(200, OrderSchema)
    def post(self, body: dict[str, Any], order_id: int) -> dict[str, Any]:
        """Cancel an order that is not paid yet; its units go back on sale."""
        return detail(committed(problems, service.buyer_cancel, current_tenant(), principal().id, order_id,
                                body["reason"]))


# --- sellers ------------------------------------------------------------------------------------
@blp.route("/seller/orders")
class SellerOrdersView(MethodView):
    @require_auth("seller")
    @blp.arguments(SellerPageArgsSchema, location="query")
    @blp.response(200, OrderPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The shop's orders, newest first; ``?status=paid`` is the to-do list."""
        orders = service.seller_orders(db_session(), current_tenant(), own_seller_id(), status=args.get("status"),
                                       before=args.get("before"), limit=args["limit"])
        return page_json(orders, args["limit"])


@blp.route("/seller/orders/<int:order_id>")
class SellerOrderView(MethodView):
    @require_auth("seller")
    @blp.response(200, OrderSchema)
    def get(self, order_id: int) -> dict[str, Any]:
        """One of the shop's orders with the address to ship to and the parcel's timeline."""
        return detail(fetched(problems, service.seller_order, current_tenant(), own_seller_id(), order_id))


@blp.route("/seller/orders/<int:order_id>/ready")
class SellerReadyView(MethodView):
    @require_auth("seller")
    @blp.response(200, OrderSchema)
    def post(self, order_id: int) -> dict[str, Any]:
        """Accept the order for shipping (paid, or cash on delivery); a label may be bought next."""
        return detail(committed(problems, service.mark_ready, current_tenant(), own_seller_id(), order_id,
                                principal().id))


@blp.route("/seller/orders/<int:order_id>/cancel")
class SellerCancelView(MethodView):
    @require_auth("seller")
    @blp.arguments(SellerCancelSchema)
    @blp.response(200, OrderSchema)
    def post(self, body: dict[str, Any], order_id: int) -> dict[str, Any]:
        """Cancel an order not shipped yet; a paid order is refunded in full."""
        tenant, session, seller_id = current_tenant(), write_session(), own_seller_id()
        with problems():
            order = service.seller_order(session, tenant, seller_id, order_id, lock=True)
            if order.status != "cancelled":  # a repeat only retries a refund still owed
                service.cancel(session, tenant, order.id, Actor("seller", principal().id), body["reason"])
            refund_if_due(session, tenant, order, body["reason"])
            session.commit()
        return detail(order)


def refund_if_due(session: Session, tenant: TenantContext, order: Order, reason: str) -> None:
    """Owe the buyer of a cancelled paid order what was not refunded yet. ``refund_order``
    only records the refund; the provider is called after the commit (idempotent per order)."""
    due = service.refunded_due(session, tenant, order)
    if due > 0:
        refund_order(session, tenant, order.id, due, reason=reason,
                     idempotency_key=f"{tenant.code}:order:{order.id}:cancel")
