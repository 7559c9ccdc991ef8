"""The sandbox payment page: ``/sandbox/<tenant>/pay/<provider_ref>``.

It plays the provider's hosted page. For a redirect flow (wallet, bank redirect, BNPL) the
buyer approves or declines; for a virtual account, QR code or counter payment "Simulate
payment" stands in for the bank transfer or the scan. Pressing a button calls the sandbox
gateway's control, which sends its signed webhook through ``pasar.providers.deliver_webhook``
like a real provider, then the buyer is sent to the return URL.

The form is CSRF-safe: it must carry the payment's own random page token, which only the page
itself shows, so another site cannot make a buyer's browser approve a payment.
"""
from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, g, redirect, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest, Conflict, NotFound

from pasar.checkout.web import locale, providers
from pasar.money import format_money, money
from pasar.payments import service
from pasar.payments.models import Payment
from pasar.tenancy import service as tenancy
from pasar.tenancy.service import TenantContext
from pasar.web import database, plugin_host, tenant_optional

blp = Blueprint("payments_sandbox", __name__, url_prefix="/sandbox", template_folder="../templates")

#: flow → the buttons the page offers (action, label).
ACTIONS: dict[str, list[tuple[str, Callable[[], str]]]] = {
    "redirect": [("approve", lambda: _("Approve")), ("decline", lambda: _("Decline"))],
    "async": [("pay", lambda: _("Simulate payment"))],
}
CONTROLS = {"approve": "approve", "decline": "decline", "pay": "simulate_paid"}


def tenant_for_path(code: str) -> TenantContext:
    """The tenant the URL names; it must agree with the one the request resolved to."""
    tenant = g.get("tenant")
    if tenant is None:
        with database().session(all_tenants=True) as session:
            try:
                tenant = tenancy.context_for(tenancy.get_tenant(session, code), plugin_host())
            except tenancy.TenantNotFound:
                raise NotFound(f"unknown tenant {code!r}") from None
        g.tenant = tenant
    if tenant.code != code:
        raise NotFound("no such payment in this marketplace")
    return tenant


def _payment(tenant: TenantContext, provider_ref: str) -> Payment:
    with database().session(tenant.id) as session:
        try:
            return service.payment_by_provider_ref(session, tenant, provider_ref)
        except service.PaymentNotFound:
            raise NotFound("no such payment") from None


def _gateway(tenant: TenantContext, payment: Payment) -> Any:
    gateway = providers().gateway(tenant, payment.method)
    if not hasattr(gateway, "page_data"):
        raise NotFound(f"{payment.method} is not a sandbox method: its page is the provider's")
    return gateway


def _page(tenant: TenantContext, payment: Payment, gateway: Any, *, message: str = "", status: int = 200) -> Response:
    page = gateway.page_data(payment.provider_ref)
    amount = format_money(money(page["amount"], page["currency"]), locale(), tenant.currency_rules())
    open_now = page["status"] in ("requires_action", "pending")
    actions = [(action, label()) for action, label in ACTIONS.get(payment.flow, [])] if open_now else []
    html = render_template("payments/sandbox_pay.html", page=page, amount=amount, actions=actions, token=payment.page_token,
                           instructions=payment.instructions, message=message, locale=locale())
    response = Response(html, status=status, mimetype="text/html")
    response.headers["X-Frame-Options"] = "DENY"  # no clickjacking of the approve button
    response.headers["Cache-Control"] = "no-store"
    return response


@blp.get("/<string:tenant_code>/pay/<string:provider_ref>")
@tenant_optional
def pay_page(tenant_code: str, provider_ref: str) -> Response:
    """The provider's page: amount, method, and the buttons of the payment's flow."""
    tenant = tenant_for_path(tenant_code)
    payment = _payment(tenant, provider_ref)
    return _page(tenant, payment, _gateway(tenant, payment))


@blp.post("/<string:tenant_code>/pay/<string:provider_ref>")
@tenant_optional
def pay_action(tenant_code: str, provider_ref: str) -> Response:
    """Approve, decline or simulate the payment, then send the buyer back to the shop."""
    tenant = tenant_for_path(tenant_code)
    payment = _payment(tenant, provider_ref)
    if not hmac.compare_digest(request.form.get("token", ""), payment.page_token):
        raise BadRequest("this form has expired; open the payment page again")
    action = request.form.get("action", "")
    if action not in dict(ACTIONS.get(payment.flow, [])):
        raise BadRequest(f"{action!r} is not possible for a {payment.flow} payment")
    gateway = _gateway(tenant, payment)
    try:
        getattr(gateway, CONTROLS[action])(provider_ref)
    except ValueError as exc:
        raise Conflict(str(exc)) from None
    return redirect(gateway.return_url_for(provider_ref), code=303)
