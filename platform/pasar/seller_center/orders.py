"""Orders and returns: what to accept, ship and take back.

An order moves here exactly as through the API: accept (ready to ship), buy the label from one
of the marketplace's carriers (planned in one transaction, bought with none open — the sandbox
carriers call back into this application while they answer — and recorded in another),
print it from the carrier's label page, or cancel with a reason (a paid order is refunded in
full). Returns are accepted or refused with a reason; receiving the goods restocks them and
refunds the buyer.
"""
from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from pasar.orders import service as orders
from pasar.orders.api import refund_if_due
from pasar.orders.models import Order
from pasar.orders.state import Actor
from pasar.payments.service import refund_order
from pasar.returns import service as returns
from pasar.returns.models import ReturnRequest
from pasar.seller_center.blueprint import Form, blp, commit_or_refuse, page, seller_page, shop_id, signed_in, writer
from pasar.shipping import service as shipping
from pasar.shipping.models import Shipment
from pasar.money import from_minor
from pasar.web import current_tenant, db_session

#: The order list's tabs: (status filter or None for all, tab text).
ORDER_TABS = ("paid", "ready_to_ship", "shipped", None)
RETURN_TABS = ("requested", "approved", None)
MAX_REASON = 500


def own_order(order_id: int) -> Order:
    """The signed-in shop's order; another shop's (or tenant's) is a 404 like an unknown id."""
    try:
        return orders.seller_order(db_session(), current_tenant(), shop_id(), order_id)
    except orders.OrderNotFound:
        abort(404)


def own_return(return_id: int) -> ReturnRequest:
    try:
        return returns.seller_return(db_session(), current_tenant(), shop_id(), return_id)
    except returns.ReturnNotFound:
        abort(404)


def money_of(minor: int, currency: str) -> Any:
    tenant = current_tenant()
    rules = tenant.currency_rules() if currency == tenant.currency else tenant.hooks.currency_rules(currency, tenant.country)
    return from_minor(minor, currency, rules)


def reason_of(form: Form, field: str = "reason") -> str:
    """The reason typed (the buyer reads it), or a refusal naming the field."""
    reason = form.get(field).strip()
    if not reason:
        form.refuse(field, _("Say why; the buyer reads it."))
    elif len(reason) > MAX_REASON:
        form.refuse(field, _("At most %(count)d characters.", count=MAX_REASON))
    return reason


# --- orders -------------------------------------------------------------------------------------
@blp.get("/orders", endpoint="orders")
@seller_page
def orders_page() -> Any:
    """The shop's orders, newest first; the tabs are the to-do lists (paid: accept them,
    ready to ship: buy their labels)."""
    status = request.args.get("status") or None
    before = request.args.get("before", type=int)
    found = orders.seller_orders(db_session(), current_tenant(), shop_id(), status=status, before=before,
                                 limit=orders.PAGE_SIZE)
    rows = [{"order": o, "total": money_of(o.total_minor, o.currency), "items": sum(l.quantity for l in o.lines)}
            for o in found]
    next_before = found[-1].id if len(found) == orders.PAGE_SIZE else None
    return page("seller_center/orders.html", area="orders", rows=rows, status=status, tabs=ORDER_TABS,
                next_before=next_before)


@blp.get("/orders/<int:order_id>")
@seller_page
def order_detail(order_id: int) -> Any:
    return _order_page(own_order(order_id), Form(), Form())


def _order_page(order: Order, label_form: Form, cancel_form: Form) -> Any:
    """One order: lines, totals, address, history, the parcel and what can be done next."""
    tenant, session = current_tenant(), db_session()
    session.expire(order, ["transitions", "lines"])
    shipment: Shipment | None = orders.shipment_for(session, tenant, order.id)
    cur = order.currency
    lines = [{"line": line, "unit": money_of(line.unit_price_minor, cur),
              "total": money_of(line.unit_price_minor * line.quantity - line.discount_minor, cur)}
             for line in order.lines]
    totals = [(text, money_of(minor, cur)) for text, minor in (
        (_("Subtotal"), order.subtotal_minor), (_("Shop voucher"), -order.seller_discount_minor),
        (_("Marketplace voucher"), -order.platform_discount_minor), (_("Shipping"), order.shipping_minor),
        (_("Tax"), order.tax_minor)) if minor or text == _("Subtotal")]
    can_accept = order.status == "paid" or (
        order.status == "pending_payment" and orders.payment_flow(tenant, order) == "on_delivery")
    shipping_options = [(f"{info.code}/{service}", f"{info.name} · {service}")
                        for info in tenant.carriers() for service in info.services]
    if not label_form.values:
        label_form.values = {"shipping_option": f"{order.carrier}/{order.shipping_service}"}
    status = 422 if label_form.errors or cancel_form.errors else 200
    return page(
        "seller_center/order.html", status, area="orders", order=order, lines=lines, totals=totals,
        total=money_of(order.total_minor, cur), shipment=shipment,
        shipment_cost=money_of(shipment.cost_minor, shipment.currency) if shipment else None,
        cod=money_of(shipment.cod_amount_minor, shipment.currency) if shipment and shipment.cod_amount_minor else None,
        timeline=shipping.timeline(shipment) if shipment else [], can_accept=can_accept,
        can_label=order.status == "ready_to_ship" and shipment is None,
        can_cancel=order.status in ("paid", "ready_to_ship") and shipment is None,
        shipping_options=shipping_options, label_form=label_form, cancel_form=cancel_form,
        address=dict(order.shipping_address),
    )


@blp.post("/orders/<int:order_id>/ready")
@seller_page
def accept_order(order_id: int) -> Any:
    """Accept the order for shipping (paid, or cash on delivery)."""
    own_order(order_id)
    session = writer()
    with commit_or_refuse(session) as done:
        orders.mark_ready(session, current_tenant(), shop_id(), order_id, signed_in().id)
    if done.ok:
        flash(_("Order %(id)d accepted. Buy its label next.", id=order_id), "success")
    return redirect(url_for("seller_center.order_detail", order_id=order_id))


@blp.post("/orders/<int:order_id>/label")
@seller_page
def buy_label(order_id: int) -> Any:
    """Buy the label with the chosen carrier and service (the buyer's choice by default)."""
    order = own_order(order_id)
    form = Form.posted()
    tenant, session, seller_id = current_tenant(), db_session(), shop_id()
    bought = None
    carrier, _sep, service = form.get("shipping_option").partition("/")
    with commit_or_refuse(session, form) as planned:
        plan = shipping.plan_label(session, tenant, seller_id, order.id, carrier or None, service or None)
    if planned.ok and isinstance(plan, shipping.LabelPlan):
        with commit_or_refuse(session, form) as done:  # no write is open while the carrier answers
            label = shipping.buy_label(tenant, plan)
            session = writer()
            shipment = shipping.record_label(session, tenant, plan, label)
            session.commit()
            session = writer()  # tracking events are written too: begin as a writer again (SQLite)
            shipping.sync_tracking(session, tenant, shipment)
            bought = shipment
        planned.ok = done.ok
    if not planned.ok:
        form.errors = {"shipping_option" if k in ("carrier", "service") else k: v for k, v in form.errors.items()}
        return _order_page(own_order(order_id), form, Form())
    flash(_("Label bought: tracking number %(number)s.", number=(bought or plan).tracking_number), "success")
    return redirect(url_for("seller_center.order_detail", order_id=order_id) + "#shipment")


@blp.post("/orders/<int:order_id>/cancel")
@seller_page
def cancel_order(order_id: int) -> Any:
    """Cancel an order not shipped yet, saying why; a paid order is refunded in full."""
    own_order(order_id)
    form = Form.posted()
    reason = reason_of(form)
    if form.errors:
        return _order_page(own_order(order_id), Form(), form)
    tenant, session = current_tenant(), writer()
    with commit_or_refuse(session, form) as done:
        order = orders.seller_order(session, tenant, shop_id(), order_id, lock=True)
        if order.status != "cancelled":
            orders.cancel(session, tenant, order.id, Actor("seller", signed_in().id), reason)
        refund_if_due(session, tenant, order, reason)
    if not done.ok:
        return _order_page(own_order(order_id), Form(), form)
    flash(_("Order %(id)d cancelled.", id=order_id), "success")
    return redirect(url_for("seller_center.order_detail", order_id=order_id))


# --- returns ------------------------------------------------------------------------------------
@blp.get("/returns", endpoint="returns")
@seller_page
def returns_page() -> Any:
    """Returns and withdrawals, newest first; "waiting" are the ones to decide."""
    status = request.args.get("status") or None
    found = returns.seller_returns(db_session(), current_tenant(), shop_id(), status)
    rows = [{"request": r, "refund": money_of(r.refund_minor, r.currency),
             "units": sum(line.quantity for line in r.lines)} for r in found]
    return page("seller_center/returns.html", area="returns", rows=rows, status=status, tabs=RETURN_TABS,
                form=Form(), refused=None)


@blp.post("/returns/<int:return_id>/approve")
@seller_page
def approve_return(return_id: int) -> Any:
    """Accept the return: the buyer sends the goods back."""
    own_return(return_id)
    session = writer()
    with commit_or_refuse(session) as done:
        returns.approve(session, current_tenant(), shop_id(), return_id, signed_in().id)
    if done.ok:
        flash(_("Return %(id)d accepted. Mark it received when the goods arrive.", id=return_id), "success")
    return redirect(url_for("seller_center.returns"))


@blp.post("/returns/<int:return_id>/reject")
@seller_page
def reject_return(return_id: int) -> Any:
    """Refuse the return, saying why (the buyer reads it)."""
    own_return(return_id)
    form = Form.posted()
    reason = reason_of(form)
    if not form.errors:
        session = writer()
        with commit_or_refuse(session, form) as done:
            returns.reject(session, current_tenant(), shop_id(), return_id, signed_in().id, reason)
        if done.ok:
            flash(_("Return %(id)d refused.", id=return_id), "success")
            return redirect(url_for("seller_center.returns"))
    found = returns.seller_returns(db_session(), current_tenant(), shop_id())
    rows = [{"request": r, "refund": money_of(r.refund_minor, r.currency),
             "units": sum(line.quantity for line in r.lines)} for r in found]
    return page("seller_center/returns.html", 422, area="returns", rows=rows, status=None, tabs=RETURN_TABS,
                form=form, refused=return_id)


@blp.post("/returns/<int:return_id>/received")
@seller_page
def receive_return(return_id: int) -> Any:
    """The goods are back: restock them and refund the buyer (the provider is called after
    the receipt is stored; the refund's key is the return's, so a retry refunds once)."""
    own_return(return_id)
    tenant, seller_id, user_id = current_tenant(), shop_id(), signed_in().id
    session = writer()
    with commit_or_refuse(session) as received:
        receipt = returns.receive(session, tenant, seller_id, return_id, user_id)
        if receipt.refund_minor > 0:
            refund_order(session, tenant, receipt.request.order_id, receipt.refund_minor,
                         reason=f"{receipt.request.kind} {return_id}", idempotency_key=receipt.idempotency_key,
                         bank_account=receipt.bank_account)
    if received.ok:
        session = writer()
        with commit_or_refuse(session) as done:
            returns.mark_refunded(session, tenant, seller_id, return_id, user_id)
        if done.ok:
            flash(_("Return %(id)d received and refunded.", id=return_id), "success")
    return redirect(url_for("seller_center.returns"))
