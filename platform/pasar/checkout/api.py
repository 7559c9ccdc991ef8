"""Checkout endpoints: quote the cart, place it (``Idempotency-Key`` required), read a
checkout, the buyer's return from a payment page, and vouchers for operators and shops.

Placing is safe to retry: the first request with a key does the work and its answer (success
or refusal, status and JSON) is kept 24 hours; the same key with the same body gets that answer
again and never a second order or charge; with another body 422; while the first is still
running 409.
"""
from __future__ import annotations

import hmac
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Response, jsonify, redirect, request, url_for
from flask.views import MethodView
from flask_babel import gettext as translate_name  # plugin names: their catalogs translate them
from flask_smorest import Blueprint, abort

from pasar.accounts.auth import current_principal, require_auth
from pasar.api import PROBLEM_MIME
from pasar.checkout import idempotency, placing, service, vouchers
from pasar.checkout.amounts import Amounts
from pasar.checkout.errors import CheckoutError
from pasar.checkout.models import Voucher
from pasar.checkout.pricing import QuoteRequest
from pasar.checkout.presenting import quote_json
from pasar.checkout.schemas import (
    CheckoutSchema,
    PlaceRequestSchema,
    QuoteRequestSchema,
    QuoteSchema,
    ReturnArgsSchema,
    VoucherInSchema,
    VoucherSchema,
)
from pasar.accounts.auth import signed_in as principal
from pasar.checkout.web import abort_for, buyer, input_problem, locale, providers
from pasar.web import write_session
from pasar.contracts import Address
from pasar.payments import service as payments
from pasar.sellers.service import SellerError, get_approved_seller
from pasar.web import current_tenant, database, db_session

blp = Blueprint("checkout", __name__, url_prefix="/api/v1", description="Checkout, orders placed, vouchers")
blp.errorhandler(400)(input_problem)
blp.errorhandler(422)(input_problem)

IDEMPOTENCY_HEADER = "Idempotency-Key"
_KEY_DOC = {"in": "header", "name": IDEMPOTENCY_HEADER, "required": True, "schema": {"type": "string", "maxLength": 128},
            "description": "A unique value per intended order; retries reuse it"}


@contextmanager
def checkout_errors() -> Iterator[None]:
    try:
        yield
    except CheckoutError as error:
        abort_for(error)


def quote_request(body: dict[str, Any]) -> QuoteRequest:
    """The validated body as the pricing's request (one shipping choice per shop)."""
    choices: dict[int, tuple[str, str]] = {}
    for choice in body["shipping"]:
        if choice["seller_id"] in choices:
            abort(422, message="one shipping choice per shop", errors={"shipping": [f"shop {choice['seller_id']} twice"]})
        choices[choice["seller_id"]] = (choice["carrier"], choice["service"])
    return QuoteRequest(Address(**body["shipping_address"]), choices, tuple(body["vouchers"]), body["payment_method"])


def answer(status: int, body: dict[str, Any], *, replayed: bool = False) -> Response:
    response = jsonify(body)
    response.status_code = status
    if status >= 400:
        response.mimetype = PROBLEM_MIME
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


def idempotency_key() -> str:
    key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
    problem = None if key else "required: a unique value per order, reused on retries"
    if key and (len(key) > idempotency.MAX_KEY_LENGTH or not key.isprintable()):
        problem = f"at most {idempotency.MAX_KEY_LENGTH} printable characters"
    if problem:
        abort(400, message=f"{IDEMPOTENCY_HEADER} header: {problem}", errors={IDEMPOTENCY_HEADER: [problem]})
    return key


# --- quote and place -----------------------------------------------------------------------------
@blp.route("/checkout/quote")
class QuoteView(MethodView):
    @require_auth("buyer")
    @blp.arguments(QuoteRequestSchema)
    @blp.response(200, QuoteSchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Price the cart: per shop lines, vouchers, tax, shipping options; allowed payment methods."""
        tenant, session = current_tenant(), db_session()
        with checkout_errors():
            quote = service.quote_cart(session, tenant, buyer(), quote_request(body), service.shipping_options(session, tenant))
        return quote_json(quote, Amounts.of(tenant, locale()), translate_name)


@blp.route("/checkout")
class PlaceView(MethodView):
    @require_auth("buyer")
    @blp.arguments(PlaceRequestSchema)
    @blp.doc(parameters=[_KEY_DOC])
    @blp.response(201, CheckoutSchema)
    @blp.alt_response(402, description="The payment failed; the orders are cancelled")
    @blp.alt_response(409, description="Out of stock, or the same key is still being processed")
    def post(self, body: dict[str, Any]) -> Response:
        """Place the cart: one order per shop, stock reserved, payment started."""
        key, tenant, who = idempotency_key(), current_tenant(), buyer()
        placement = service.Placement(who, quote_request(body), key, idempotency.request_hash(request.get_json()))
        with checkout_errors():
            outcome = placing.place_once(providers(), tenant, placement, details=body["payment_details"])
        return answer(outcome.status, outcome.body, replayed=outcome.replayed)


@blp.route("/checkout/<int:checkout_id>")
class CheckoutView(MethodView):
    @require_auth("buyer")
    @blp.response(200, CheckoutSchema)
    def get(self, checkout_id: int) -> dict[str, Any]:
        """One of the buyer's checkouts with its orders and payment."""
        tenant = current_tenant()
        with checkout_errors():
            service.buyer_checkout(db_session(), tenant, principal().id, checkout_id)
        return placing.present(providers(), tenant, checkout_id, locale())


@blp.route("/checkout/<int:checkout_id>/return")
class ReturnView(MethodView):
    @blp.arguments(ReturnArgsSchema, location="query")
    @blp.response(200, CheckoutSchema)
    def get(self, args: dict[str, Any], checkout_id: int) -> Any:
        """Where a payment page sends the buyer back: settles the payment with the gateway
        (a browser asking for HTML is sent on to the storefront's order confirmation)."""
        tenant, session = current_tenant(), db_session()
        with checkout_errors():
            checkout = service.find_checkout(session, tenant, checkout_id)
        payment = payments.payment_of(session, tenant, checkout_id)
        who = current_principal()
        owner = who is not None and who.tenant_id == tenant.id and who.id == checkout.buyer_id
        presented = str(args.get("payment", ""))
        if payment is None or not (owner or hmac.compare_digest(presented, payment.reference)):
            abort(404, message="no such checkout", errors={"checkout_id": ["no such checkout"]})
        payment_id, reference = payment.id, payment.reference
        session.close()
        payments.settle(providers(), tenant, payment_id)
        if request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html":
            # A browser back from the payment page: the storefront's confirmation page.
            return redirect(url_for("storefront_buy.checkout_done", checkout_id=checkout_id, payment=reference), 303)
        return placing.present(providers(), tenant, checkout_id, locale())


# --- vouchers ------------------------------------------------------------------------------------
def voucher_json(voucher: Voucher, amounts: Amounts) -> dict[str, Any]:
    def money(minor: int | None) -> dict[str, Any] | None:
        return amounts.json(minor) if minor is not None else None

    return {
        "id": voucher.id, "code": voucher.code, "scope": voucher.scope, "seller_id": voucher.seller_id,
        "kind": voucher.kind, "percent": voucher.percent, "amount": money(voucher.amount_minor),
        "min_spend": amounts.json(voucher.min_spend_minor), "max_discount": money(voucher.max_discount_minor),
        "valid_from": voucher.valid_from, "valid_to": voucher.valid_to, "usage_limit": voucher.usage_limit,
        "per_buyer_limit": voucher.per_buyer_limit, "used_count": voucher.used_count, "active": voucher.active,
    }


def create_voucher(body: dict[str, Any], seller_id: int | None) -> dict[str, Any]:
    """Checks ran in sessions of their own, so this one can begin as a writer."""
    tenant, session = current_tenant(), write_session()
    with checkout_errors():
        voucher = vouchers.create_voucher(session, tenant, vouchers.VoucherInput(**body), seller_id=seller_id,
                                          created_by=principal().id)
    session.commit()
    return voucher_json(voucher, Amounts.of(tenant, locale()))


def own_seller_id() -> int:
    """The signed-in seller's shop, if it may sell; a seller role without one cannot act."""
    seller_id = principal().seller_id
    if seller_id is None:
        abort(403, message="this account staffs no shop")
    with database().session(current_tenant().id) as session:
        try:
            get_approved_seller(session, current_tenant(), seller_id)
        except SellerError:
            abort(403, message="seller is not approved")
    return seller_id


@blp.route("/operator/vouchers")
class PlatformVouchersView(MethodView):
    @require_auth("operator")
    @blp.response(200, VoucherSchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """The platform's vouchers, newest first."""
        amounts = Amounts.of(current_tenant(), locale())
        return [voucher_json(v, amounts) for v in vouchers.list_vouchers(db_session(), current_tenant(), seller_id=None)]

    @require_auth("operator")
    @blp.arguments(VoucherInSchema)
    @blp.response(201, VoucherSchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Create a platform voucher (the platform pays its discount)."""
        return create_voucher(body, None)


@blp.route("/seller/vouchers")
class SellerVouchersView(MethodView):
    @require_auth("seller")
    @blp.response(200, VoucherSchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """The shop's own vouchers, newest first."""
        amounts = Amounts.of(current_tenant(), locale())
        return [voucher_json(v, amounts) for v in vouchers.list_vouchers(db_session(), current_tenant(), seller_id=own_seller_id())]

    @require_auth("seller")
    @blp.arguments(VoucherInSchema)
    @blp.response(201, VoucherSchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Create a voucher for the shop's own products (the shop pays its discount)."""
        return create_voucher(body, own_seller_id())
