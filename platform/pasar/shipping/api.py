"""Shipping endpoints: a seller's ship-from address, buying a label, the carriers' tracking
webhooks, and the sandbox controls (a printable label page and "the courier scans the parcel").

No view holds a write transaction open while it calls a carrier: the sandbox carriers write
their own records and deliver their webhooks to this application while they answer, and on
SQLite a held write lock would make them wait for the view that waits for them. So a label is
planned in one transaction, bought with none open, and recorded in another. A tracking event
that means money (cash collected on delivery, a prepaid parcel back to the sender) asks
payments to capture or refund; payments records that in the event's transaction and calls the
provider after the commit.
"""
from __future__ import annotations

from typing import Any

from flask import current_app, g, render_template, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from sqlalchemy.orm import Session

from pasar.accounts.auth import current_principal, require_auth
from pasar.contracts import ProviderUnavailable, WebhookError
from pasar.orders.api import problems, shipment_json
from pasar.web import write_session
from pasar.orders.service import get_order
from pasar.payments.refunds import RefundError
from pasar.payments.service import confirm_cash_collected, refund_order
from pasar.shipping import service
from pasar.shipping.models import Shipment
from pasar.shipping.providers import app_carriers
from pasar.shipping.schemas import (
    AdvanceAnswerSchema,
    AdvanceSchema,
    LabelRequestSchema,
    LabelSchema,
    SellerAddressInSchema,
    SellerAddressSchema,
    TrackingWebhookAnswerSchema,
)
from pasar.tenancy import service as tenancy
from pasar.tenancy.service import TenantContext
from pasar.web import current_tenant, database, db_session, plugin_host, tenant_optional
from pasar.accounts.auth import own_seller_id

blp = Blueprint("shipping", __name__, url_prefix="/api/v1", description="Ship-from addresses, labels, tracking")
sandbox_blp = Blueprint("shipping_sandbox", __name__, url_prefix="/sandbox",
                        description="Sandbox carriers: printable labels and courier scans (not in production)")


# --- ship-from address --------------------------------------------------------------------------
@blp.route("/seller/address")
class SellerAddressView(MethodView):
    @require_auth("seller")
    @blp.response(200, SellerAddressSchema)
    def get(self) -> Any:
        """Where the shop's parcels leave from (404 until it is set)."""
        found = service.seller_address(db_session(), current_tenant(), own_seller_id())
        if found is None:
            abort(404, message="no ship-from address yet: quotes use the marketplace's country")
        return found

    @require_auth("seller")
    @blp.arguments(SellerAddressInSchema)
    @blp.response(200, SellerAddressSchema)
    def put(self, body: dict[str, Any]) -> Any:
        """Set the shop's ship-from address: the origin of quotes and labels."""
        session = write_session()
        with problems():
            address = service.set_seller_address(session, current_tenant(), own_seller_id(), body)
            session.commit()
        return address


# --- labels -------------------------------------------------------------------------------------
@blp.route("/seller/orders/<int:order_id>/shipment")
class LabelView(MethodView):
    @require_auth("seller")
    @blp.response(200, LabelSchema)
    def get(self, order_id: int) -> dict[str, Any]:
        """The order's label and the parcel's tracking timeline."""
        tenant, session = current_tenant(), db_session()
        with problems():
            service.seller_order(session, tenant, own_seller_id(), order_id)
        shipment = service.shipment_of(session, tenant, order_id)
        if shipment is None:
            abort(404, message="no label was bought for this order yet")
        return label_json(shipment)

    @require_auth("seller")
    @blp.arguments(LabelRequestSchema)
    @blp.response(201, LabelSchema)
    def post(self, body: dict[str, Any], order_id: int) -> Any:
        """Buy the label for an order ready to ship (carrier and service default to the
        buyer's choice; a cash-on-delivery parcel carries the order total to collect)."""
        tenant, session = current_tenant(), db_session()
        with problems():
            plan = service.plan_label(session, tenant, own_seller_id(), order_id, body.get("carrier"), body.get("service"))
        if isinstance(plan, Shipment):
            return label_json(plan), 200
        session.commit()
        with problems():
            bought = service.buy_label(tenant, plan)
            session = write_session()
            shipment = service.record_label(session, tenant, plan, bought)
            session.commit()
            session = write_session()  # tracking events are written too: a writer again (SQLite)
            service.sync_tracking(session, tenant, shipment)
            session.commit()
        return label_json(shipment)


def label_json(shipment: Shipment) -> dict[str, Any]:
    return {**shipment_json(shipment), "order_id": shipment.order_id}


# --- tracking webhooks --------------------------------------------------------------------------
@blp.route("/webhooks/shipping/<string:carrier>")
class TrackingWebhookView(MethodView):
    @blp.response(200, TrackingWebhookAnswerSchema)
    def post(self, carrier: str) -> dict[str, Any]:
        """A carrier's signed scan: moves the parcel and its order (once per event id)."""
        tenant = current_tenant()
        if service.carrier_info(tenant, carrier) is None:
            abort(404, message=f"{carrier!r} is not a carrier of this marketplace")
        try:
            event = app_carriers()(tenant, carrier).verify_webhook(dict(request.headers), request.get_data())
        except WebhookError as exc:
            abort(400, message=str(exc))
        session = write_session()
        try:
            outcome = service.apply_tracking_event(session, tenant, carrier, event)
            follow_up(session, tenant, outcome)
        except service.UnknownShipment as exc:
            session.rollback()
            abort(404, message=exc.message, errors={"tracking_number": [exc.message]})
        except RefundError as exc:  # payments refused the money the scan means: keep nothing
            session.rollback()
            abort(409, message=str(exc))
        session.commit()
        return {"outcome": outcome.status, "order_id": outcome.order_id}


def follow_up(session: Session, tenant: TenantContext, outcome: service.TrackingOutcome) -> None:
    """Capture the cash the courier collected, or refund a prepaid parcel that came back.
    Both only record what to do in this transaction (the last writes in it: the payment
    provider is called after the commit) and are idempotent, so a redelivery repeats nothing."""
    if outcome.cash_collected_minor is not None and outcome.checkout_id is not None:
        confirm_cash_collected(session, tenant, outcome.checkout_id, outcome.cash_collected_minor, order_id=outcome.order_id)
    if outcome.refund_minor and outcome.order_id is not None:
        refund_order(session, tenant, outcome.order_id, outcome.refund_minor, reason="returned to sender",
                     idempotency_key=f"{tenant.code}:order:{outcome.order_id}:returned")


# --- sandbox: labels and courier scans ----------------------------------------------------------
def tenant_for_path(code: str) -> TenantContext:
    """The tenant the sandbox URL names; it must agree with the one the request resolved to."""
    tenant = g.get("tenant")
    if tenant is None:
        with database().session(all_tenants=True) as session:
            try:
                tenant = tenancy.context_for(tenancy.get_tenant(session, code), plugin_host())
            except tenancy.TenantNotFound:
                abort(404, message=f"unknown tenant {code!r}")
        g.tenant = tenant
    if tenant.code != code:
        abort(404, message="no such label in this marketplace")
    return tenant


@sandbox_blp.route("/<string:tenant_code>/labels/<string:carrier>/<string:tracking>")
@sandbox_blp.response(200, content_type="text/html", description="A printable shipping label")
@tenant_optional
def label_page(tenant_code: str, carrier: str, tracking: str) -> Any:
    """The printable label of a sandbox parcel (opened from the label URL)."""
    tenant = tenant_for_path(tenant_code)
    if service.carrier_info(tenant, carrier) is None:
        abort(404, message="no such carrier here")
    provider = app_carriers()(tenant, carrier)
    label_data = getattr(provider, "label_data", None)
    if label_data is None:
        abort(404, message=f"{carrier} is not a sandbox carrier: its labels come from the carrier")
    try:
        data = label_data(tracking)
    except KeyError:
        abort(404, message="no such label")
    html = render_template("shipping/label.html", label=data, tenant=tenant)
    return current_app.response_class(html, mimetype="text/html")


@sandbox_blp.route("/<string:tenant_code>/shipments/<string:tracking>/advance")
class AdvanceView(MethodView):
    @require_auth("operator", "seller")
    @sandbox_blp.arguments(AdvanceSchema)
    @sandbox_blp.response(200, AdvanceAnswerSchema)
    def post(self, body: dict[str, Any], tenant_code: str, tracking: str) -> dict[str, Any]:
        """Play the courier: the parcel's next scan (its webhook comes back to the API)."""
        tenant = tenant_for_path(tenant_code)
        session = db_session()
        shipment = shipment_for_caller(session, tenant, tracking)
        carrier, order_id = shipment.carrier, shipment.order_id
        session.commit()
        advance = getattr(app_carriers()(tenant, carrier), "advance", None)
        if advance is None:
            abort(404, message=f"{carrier} is not a sandbox carrier")
        try:
            event = advance(tracking, fail=body["fail"])
        except ValueError as exc:
            abort(409, message=str(exc), errors={"status": [str(exc)]})
        except ProviderUnavailable:
            abort(503, message="the carrier did not answer; try again")
        session.expire_all()
        order = get_order(session, tenant, order_id)
        return {"tracking_number": tracking, "status": event.status, "order_status": order.status}


def shipment_for_caller(session: Session, tenant: TenantContext, tracking: str) -> Shipment:
    """The shipment, if the caller may move it: an operator of this tenant or the seller of
    its order. Anyone else learns nothing (404)."""
    shipment = session.scalar(service.select_by_tracking(tracking))
    caller = current_principal()
    allowed = caller is not None and shipment is not None and (
        caller.operates(tenant.code) or (caller.seller_id is not None and caller.seller_id == shipment.seller_id)
    )
    if not allowed or shipment is None:
        abort(404, message="no such shipment")
    return shipment

