"""The storefront's buying pages: cart, checkout, order confirmation, orders, returns, account.

Thin, server-rendered views over the services the REST API uses (``pasar.cart``,
``pasar.checkout``, ``pasar.payments``, ``pasar.orders``, ``pasar.shipping``,
``pasar.returns``): a view reads the form, calls a service, commits, and renders or redirects.
What the pages add is only presentation:

* the **address form in the country's own layout** (``ADDRESS_LAYOUTS``: postcode before or
  after the city, a state select where the region plugin lists subdivisions); the address is
  checked by the very schema the API uses (``DeliveryAddressSchema``) and by the checkout
  service, and each refusal is shown next to its field (``aria-invalid`` + message);
* **one checkout per click**: the checkout page carries an ``Idempotency-Key`` made when the
  page is rendered, and placing goes through ``checkout.placing.place_once`` like the API, so a
  double submit of one page makes one checkout; a refused placement re-renders the page with a
  fresh key (the old key remembers its refusal);
* after placing, the payment's next action (``presenting.payment_action``): the sandbox or
  provider page for redirect flows, the virtual account / QR instructions, or cash on delivery;
  the confirmation page refreshes itself while the payment is still open.
"""
from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _, lazy_gettext as _l, lazy_pgettext
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from pasar import clock
from pasar.cart import service as carts
from pasar.checkout import idempotency, placing
from pasar.checkout import service as checkouts
from pasar.checkout.amounts import Amounts
from pasar.checkout.errors import CheckoutError, InvalidCheckout
from pasar.checkout.pricing import Quote, QuoteRequest, method_refusal
from pasar.checkout.presenting import cash_total, payment_action
from pasar.checkout.schemas import DeliveryAddressSchema
from pasar.checkout.web import providers
from pasar.contracts import Address, PaymentMethod
from pasar.orders import service as orders
from pasar.orders.models import Order
from pasar.orders.state import InvalidTransition
from pasar.pages import login_required, protect, safe_next, web_principal
from pasar.payments import service as payments
from pasar.payments.state import OPEN
from pasar.returns import service as returns
from pasar.shipping import service as shipping
from pasar.tenancy.service import TenantContext
from pasar.web import current_tenant, db_session, write_session

blp = protect(Blueprint("storefront_buy", __name__, template_folder="../templates"))

def _state() -> Any:
    """"State" as an address's part (not a status: the catalogs tell them apart by context)."""
    return lazy_pgettext("address", "State")


#: Where a buyer's attention comes from when adding to the cart (creator links, videos, lives).
SOURCE_KINDS = ("live", "video", "creator_link", "link", "feed", "search", "shop")
#: Payment statuses still waiting for the buyer or the provider (an authorised card waits for
#: its capture, which the provider confirms by webhook a moment later).
OPEN_PAYMENT = OPEN
#: Seconds between two refreshes of a confirmation page waiting for its payment.
REFRESH_SECONDS = 5


# --- the address form in the country's layout ---------------------------------------------------
@dataclass(frozen=True)
class AddressLayout:
    """How a country writes an address: the fields in order and what they are called there."""

    fields: tuple[str, ...]
    region_label: Any = None  # None: no province/state line in this country
    postal_label: Any = _l("Postcode")


_POSTCODE_FIRST = ("name", "line1", "line2", "postal_code", "city", "phone")
_CITY_FIRST = ("name", "line1", "line2", "city", "postal_code", "phone")
_WITH_REGION = ("name", "line1", "line2", "city", "region", "postal_code", "phone")

#: Per country (ISO 3166): the order of the fields and the name of the region line.
ADDRESS_LAYOUTS: dict[str, AddressLayout] = {
    "US": AddressLayout(_WITH_REGION, _state(), _l("ZIP code")),
    "GB": AddressLayout(_CITY_FIRST),
    "IE": AddressLayout(("name", "line1", "line2", "city", "region", "postal_code", "phone"), _l("County"), _l("Eircode")),
    "DE": AddressLayout(_POSTCODE_FIRST, None, _l("Postal code")),
    "FR": AddressLayout(_POSTCODE_FIRST, None, _l("Postal code")),
    "NL": AddressLayout(_POSTCODE_FIRST, None, _l("Postal code")),
    "ES": AddressLayout(("name", "line1", "line2", "postal_code", "city", "region", "phone"), _l("Province"), _l("Postal code")),
    "IT": AddressLayout(("name", "line1", "line2", "postal_code", "city", "region", "phone"), _l("Province"), _l("Postal code")),
    "ID": AddressLayout(_WITH_REGION, _l("Province"), _l("Postal code")),
    "TH": AddressLayout(_WITH_REGION, _l("Province"), _l("Postal code")),
    "VN": AddressLayout(_WITH_REGION, _l("Province"), _l("Postal code")),
    "PH": AddressLayout(_WITH_REGION, _l("Province"), _l("ZIP code")),
    "MY": AddressLayout(_WITH_REGION, _state(), _l("Postcode")),
    "SG": AddressLayout(_CITY_FIRST, None, _l("Postal code")),
}
_DEFAULT_LAYOUT = AddressLayout(_WITH_REGION, _l("Region"), _l("Postal code"))

ADDRESS_LABELS: dict[str, Any] = {
    "name": _l("Full name"), "line1": _l("Street and number"), "line2": _l("Apartment, floor (optional)"),
    "city": _l("City"), "phone": _l("Phone"),
}
AUTOCOMPLETE = {"name": "shipping name", "line1": "shipping address-line1", "line2": "shipping address-line2",
                "city": "shipping address-level2", "region": "shipping address-level1",
                "postal_code": "shipping postal-code", "phone": "shipping tel"}
#: What to say next to a field the address schema or the checkout refused.
ADDRESS_MESSAGES: dict[str, Any] = {
    "name": _l("Enter the name of the person who receives the parcel."),
    "line1": _l("Enter the street and house number."),
    "city": _l("Enter the city."),
    "region": _l("Choose the state or province."),
    "postal_code": _l("Check the postal code."),
    "phone": _l("Check the phone number."),
}


@dataclass(frozen=True)
class AddressField:
    name: str
    label: Any
    required: bool
    choices: tuple[str, ...] = ()  # a select of these (US states), else a text input


def address_fields(tenant: TenantContext) -> list[AddressField]:
    """The checkout's address fields in the order the tenant's country writes them."""
    layout = ADDRESS_LAYOUTS.get(tenant.country, _DEFAULT_LAYOUT)
    info = tenant.hooks.country(tenant.country)
    states = tuple(info.subdivisions) if info is not None else ()
    found: list[AddressField] = []
    for name in layout.fields:
        if name == "region":
            if layout.region_label is None and not states:
                continue
            found.append(AddressField(name, layout.region_label or _state(), bool(states), states))
        elif name == "postal_code":
            found.append(AddressField(name, layout.postal_label, False))
        else:
            found.append(AddressField(name, ADDRESS_LABELS[name], name in ("name", "line1", "city")))
    return found


# --- small helpers ------------------------------------------------------------------------------
def locale() -> str:
    return str(get_locale())


def amounts() -> Amounts:
    return Amounts.of(current_tenant(), locale())


def buyer_id() -> int:
    principal = web_principal()
    assert principal is not None, "the view is decorated with login_required"
    return principal.id


def page(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    """Render one of the buying pages with what every one of them shows."""
    tenant = current_tenant()
    rules = tenant.consumer_rules(clock.today_in(tenant.config.timezone))
    return render_template(template, tenant=tenant, money_of=amounts().money,
                           prices_include_tax=rules is None or rules.price_display == "inclusive",
                           tax_label=rules.tax_label if rules else "",  # translated by the template
                           **context), status


def wants_json() -> bool:
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


def own_path(target: str | None) -> str | None:
    """A same-site path of ``target`` (an absolute Referer of this host, or a path)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.netloc and parts.netloc != request.host:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if path.startswith("/") and not path.startswith("//") else None


def method_names(tenant: TenantContext) -> dict[str, str]:
    return {method.code: _(method.name) for method in tenant.payment_methods()}


def carrier_names(tenant: TenantContext) -> dict[str, str]:
    return {info.code: _(info.name) for info in tenant.carriers()}


# --- cart ---------------------------------------------------------------------------------------
@blp.post("/cart/add")
def cart_add() -> Any:
    """Put a variant in the cart (the product page, the live room and the small scripts post
    here). Signed out: to sign-in, and back to the page the buyer was on."""
    principal = web_principal()
    back = safe_next(request.form.get("next") or own_path(request.referrer), url_for(".cart"))
    if principal is None:
        signin = url_for("pages.signin", next=back)
        if wants_json():
            return jsonify(error=_("Sign in to add to your cart."), signin=signin), 401
        return redirect(signin)
    variant_id = _int(request.form.get("variant_id"))
    quantity = _int(request.form.get("quantity") or "1")
    source = _source(request.form)
    error: str | None = None
    if variant_id is None or quantity is None:
        error = _("Choose a product and a quantity.")
    else:
        session = write_session()
        try:
            add_to_cart(session, variant_id, quantity, source)
        except carts.CartError as exc:
            session.rollback()
            error = cart_message(exc)
        else:
            session.commit()
    if wants_json():
        count = cart_count()
        return (jsonify(error=error, count=count), 422) if error else jsonify(count=count)
    if error:
        flash(error, "error")
        return redirect(back if request.form.get("next") else url_for(".cart"))
    flash(_("Added to your cart."), "success")
    return redirect(url_for(".cart"))


def add_to_cart(session: Any, variant_id: int, quantity: int, source: tuple[str, int] | None) -> None:
    """The cart service's add, with the place the buyer came from (a live room's line
    remembers its room; the service decides which sources it keeps)."""
    kind, number = source if source is not None else (None, None)
    carts.add_line(session, current_tenant(), buyer_id(), variant_id, quantity, source_kind=kind, source_id=number)


def _source(form: Mapping[str, str]) -> tuple[str, int] | None:
    kind, number = form.get("source_kind", "").strip(), _int(form.get("source_id"))
    if kind in SOURCE_KINDS and number is not None:
        return kind, number
    return None


def _int(text: str | None) -> int | None:
    try:
        return int(str(text).strip())
    except (TypeError, ValueError):
        return None


def cart_message(exc: carts.CartError) -> str:
    """The cart's refusal in the buyer's language."""
    if isinstance(exc, carts.NotEnoughStock):
        return _("Only %(count)d left in stock.", count=exc.available)
    if isinstance(exc, carts.NotForSale):
        return _("This product is not for sale right now.")
    if isinstance(exc, carts.CartLineNotFound):
        return _("That item is no longer in your cart.")
    if exc.field == "source_id":  # the live room is off air or no longer shows the product
        return _("This live room is not showing that product any more.")
    return _("Choose a quantity between 1 and %(most)d.", most=carts.MAX_QUANTITY)


def cart_count() -> int:
    lines = carts.cart_lines(db_session(), current_tenant(), buyer_id())
    return sum(line.quantity for line in lines)


@blp.get("/cart")
@login_required("buyer")
def cart() -> Any:
    """The cart per shop at today's prices, with what changed since (sold out, not for sale)."""
    baskets = carts.baskets(db_session(), current_tenant(), buyer_id(), locale())
    subtotals = {basket.seller_id: sum(item.sale.price_minor * item.line.quantity for item in basket.items
                                       if item.sale is not None) for basket in baskets}
    return page("storefront/cart.html", baskets=baskets, subtotals=subtotals, subtotal=sum(subtotals.values()),
                count=sum(item.line.quantity for basket in baskets for item in basket.items))


@blp.post("/cart/lines/<int:line_id>")
@login_required("buyer")
def cart_update(line_id: int) -> Response:
    """Change a line's quantity (0 removes it)."""
    quantity = _int(request.form.get("quantity"))
    session = write_session()
    try:
        if quantity == 0:
            carts.remove_line(session, current_tenant(), buyer_id(), line_id)
        else:
            carts.set_quantity(session, current_tenant(), buyer_id(), line_id, quantity if quantity is not None else -1)
    except carts.CartError as exc:
        session.rollback()
        flash(cart_message(exc), "error")
    else:
        session.commit()
        flash(_("Your cart was updated."), "success")
    return redirect(url_for(".cart"))


@blp.post("/cart/lines/<int:line_id>/remove")
@login_required("buyer")
def cart_remove(line_id: int) -> Response:
    session = write_session()
    try:
        carts.remove_line(session, current_tenant(), buyer_id(), line_id)
    except carts.CartError as exc:
        session.rollback()
        flash(cart_message(exc), "error")
    else:
        session.commit()
        flash(_("Removed from your cart."), "success")
    return redirect(url_for(".cart"))


# --- checkout -----------------------------------------------------------------------------------
@dataclass
class CheckoutForm:
    """What the checkout page's form says, and what is wrong with it (field → message)."""

    address: dict[str, str]
    shipping: dict[int, tuple[str, str]]
    voucher: str
    payment_method: str | None
    card_number: str
    errors: dict[str, str]

    @classmethod
    def read(cls, form: Mapping[str, str], tenant: TenantContext) -> CheckoutForm:
        address = {name: form.get(name, "").strip() for name in AUTOCOMPLETE}
        address["country"] = tenant.country
        choices: dict[int, tuple[str, str]] = {}
        for key, value in form.items():
            seller = _int(key.removeprefix("shipping-")) if key.startswith("shipping-") else None
            carrier, _slash, service = value.partition("/")
            if seller is not None and carrier and service:
                choices[seller] = (carrier, service)
        return cls(address, choices, form.get("voucher", "").strip().upper(), form.get("payment_method") or None,
                   form.get("card_number", "").replace(" ", ""), {})

    def checked_address(self) -> Address | None:
        """The address as the API's schema accepts it, or None with ``errors`` filled."""
        try:
            loaded = DeliveryAddressSchema().load(self.address)
        except ValidationError as exc:
            messages = exc.messages if isinstance(exc.messages, dict) else {}
            for name in messages:
                self.errors[name] = str(ADDRESS_MESSAGES.get(name, _("Check this field.")))
            return None
        return Address(**loaded)

    def request(self, address: Address) -> QuoteRequest:
        vouchers = (self.voucher,) if self.voucher else ()
        return QuoteRequest(address, dict(self.shipping), vouchers, self.payment_method)

    def details(self) -> dict[str, str]:
        return {"card_number": self.card_number} if self.card_number else {}

    def body(self) -> dict[str, Any]:
        """The placement as the API's body would say it: what the key's request hash covers."""
        return {"shipping_address": self.address, "payment_method": self.payment_method,
                "shipping": [{"seller_id": s, "carrier": c, "service": v} for s, (c, v) in sorted(self.shipping.items())],
                "vouchers": [self.voucher] if self.voucher else [], "payment_details": self.details()}


def remembered_address(tenant: TenantContext) -> dict[str, str]:
    """The address of the buyer's latest order, to start the form from (empty the first time)."""
    latest = orders.buyer_orders(db_session(), tenant, buyer_id(), limit=1)
    if not latest:
        return {"country": tenant.country}
    stored = dict(latest[0].shipping_address)
    return {name: str(stored.get(name) or "") for name in AUTOCOMPLETE} | {"country": tenant.country}


def quote_for(form: CheckoutForm) -> Quote | None:
    """Price the cart for the form. A refused voucher, carrier or payment method is shown next
    to its field and the quote is made without it; an address or cart refusal ends it."""
    tenant, session = current_tenant(), db_session()
    address = form.checked_address()
    if address is None:
        return None
    buyer = checkouts.Buyer(buyer_id(), "", locale())
    options = checkouts.shipping_options(session, tenant)
    for _attempt in range(4):
        try:
            return checkouts.quote_cart(session, tenant, buyer, form.request(address), options)
        except CheckoutError as error:
            field = next(iter(error.errors), "") if error.errors else ""
            form.errors.update(checkout_errors(error))
            if field == "payment_method" and form.payment_method is not None:
                form.payment_method = None
            elif field == "shipping" and form.shipping:
                form.shipping = {}
            elif field == "vouchers" and form.voucher:
                form.voucher = ""
            else:
                return None
    return None


def checkout_errors(error: CheckoutError) -> dict[str, str]:
    """The checkout's refusal per form field (``shipping_address.city`` → ``city``)."""
    found: dict[str, str] = {}
    if set(error.errors) == {"cart"}:
        return {"cart": _("Your cart is empty.")}
    for key, messages in (error.errors or {"checkout": [error.message]}).items():
        field = key.removeprefix("shipping_address.")
        text = ADDRESS_MESSAGES.get(field) if field in ADDRESS_MESSAGES else None
        found[field] = str(text) if text is not None and field != key else "; ".join(messages)
    return found


@dataclass(frozen=True)
class MethodChoice:
    method: PaymentMethod
    name: str
    refusal: str | None  # why this basket may not be paid so, shown instead of hiding it


def method_choices(tenant: TenantContext, quote: Quote | None) -> list[MethodChoice]:
    names = method_names(tenant)
    found = []
    for method in tenant.payment_methods():
        why = method_refusal(method, quote, amounts()) if quote is not None else None
        found.append(MethodChoice(method, names[method.code], why))
    return found


def render_checkout(form: CheckoutForm, quote: Quote | None, status: int = 200) -> tuple[str, int]:
    tenant = current_tenant()
    if form.errors and status == 200:
        status = 422
    return page(
        "storefront/checkout.html", status, form=form, quote=quote, fields=address_fields(tenant),
        methods=method_choices(tenant, quote), carriers=carrier_names(tenant),
        idempotency_key=uuid.uuid4().hex, country=tenant.country,
        major=lambda amount: amounts().money(amounts().minor(amount)),
        cash_total=(amounts().money(cash_total(quote.total_minor, amounts()))
                    if quote is not None and quote.method is not None and quote.method.flow == "on_delivery" else None),
    )


@blp.route("/checkout", methods=["GET", "POST"])
@login_required("buyer")
def checkout() -> Any:
    """Address, then carriers, payment method and voucher with the quote to review. A GET
    starts from the last order's address (quoted at once when it is complete)."""
    tenant = current_tenant()
    if request.method == "POST":
        form = CheckoutForm.read(request.form, tenant)
        return render_checkout(form, quote_for(form))
    if not carts.cart_lines(db_session(), tenant, buyer_id()):
        flash(_("Your cart is empty."), "error")
        return redirect(url_for(".cart"))
    form = CheckoutForm.read({**remembered_address(tenant), "voucher": request.args.get("voucher", "")}, tenant)
    quote = quote_for(form) if form.address.get("line1") else None
    if quote is None:  # a first visit: no errors shown before the buyer typed anything
        form.errors = {key: value for key, value in form.errors.items() if key == "vouchers"}
    return render_checkout(form, quote)


@blp.post("/checkout/place")
@login_required("buyer")
def checkout_place() -> Any:
    """Place the order once per page (Idempotency-Key), then follow the payment's next step."""
    tenant = current_tenant()
    form = CheckoutForm.read(request.form, tenant)
    key = request.form.get("idempotency_key", "").strip()
    address = form.checked_address()
    if form.payment_method is None:
        form.errors["payment_method"] = _("Choose how to pay.")
    if not key or len(key) > idempotency.MAX_KEY_LENGTH or address is None or form.errors:
        return render_checkout(form, quote_for(form) if address is not None else None)
    principal = web_principal()
    assert principal is not None
    placement = checkouts.Placement(checkouts.Buyer(principal.id, principal.email, locale()), form.request(address),
                                    key, idempotency.request_hash(form.body()))
    db_session().close()  # placing opens its own transactions; hold no read snapshot meanwhile
    try:
        outcome = placing.place_once(providers(), tenant, placement, details=form.details())
    except CheckoutError as error:
        if error.status == 409 and "Idempotency-Key" in error.errors:  # the first click is still at work
            return page("storefront/checkout_busy.html", 409)
        form.errors.update(checkout_errors(error))
        return render_checkout(form, quote_for(form))
    body = outcome.body
    checkout_id = body.get("checkout_id") or (body.get("checkout") or {}).get("checkout_id")
    if checkout_id is None:  # refused before anything was placed: the reasons go next to the fields
        form.errors.update(checkout_errors(InvalidCheckout(str(body.get("detail", "")), errors=body.get("errors"))))
        return render_checkout(form, quote_for(form))
    action = ((body.get("payment") or {}).get("action") or {}) if outcome.status == 201 else {}
    if action.get("type") == "redirect":
        return redirect(action["redirect_url"], code=303)
    return redirect(url_for(".checkout_done", checkout_id=checkout_id), code=303)


@blp.get("/checkout/<int:checkout_id>")
def checkout_done(checkout_id: int) -> Any:
    """The order confirmation: what was bought and how the payment stands, refreshed until it
    is settled. The payment page of another host sends the buyer back here with the payment's
    reference, which shows the status without a sign-in (as the API's return endpoint does)."""
    tenant, session = current_tenant(), db_session()
    principal = web_principal()
    try:
        found = checkouts.find_checkout(session, tenant, checkout_id)
    except CheckoutError:
        abort(404)
    payment = payments.payment_of(session, tenant, checkout_id)
    owner = principal is not None and principal.id == found.buyer_id
    by_reference = payment is not None and request.args.get("payment") == payment.reference
    if not owner and not by_reference:
        if principal is None:
            return redirect(url_for("pages.signin", next=request.full_path.rstrip("?")))
        abort(404)
    action = payment_action(payment, amounts()) if payment is not None else {"type": "none"}
    waiting = payment is not None and payment.status in OPEN_PAYMENT and payment.flow != "on_delivery"
    return page("storefront/checkout_done.html", checkout=found, payment=payment, action=action, owner=owner,
                refresh=REFRESH_SECONDS if waiting else None, methods=method_names(tenant),
                carriers=carrier_names(tenant))


# --- orders -------------------------------------------------------------------------------------
@blp.get("/orders", endpoint="orders")
@login_required("buyer")
def orders_list() -> Any:
    """The buyer's orders, newest first, 20 a page (``?before=<id>``)."""
    before = _int(request.args.get("before"))
    found = orders.buyer_orders(db_session(), current_tenant(), buyer_id(), before=before)
    more = found[-1].id if len(found) == orders.PAGE_SIZE else None
    names = carts.seller_names(db_session(), {order.seller_id for order in found})
    return page("storefront/orders.html", orders=found, more=more, shops=names)


def order_page(order_id: int, status: int = 200, **extra: Any) -> Any:
    """One order: lines, totals, the parcel's timeline, and what the buyer may do now."""
    tenant, session = current_tenant(), db_session()
    try:
        order = orders.buyer_order(session, tenant, buyer_id(), order_id)
    except orders.OrderNotFound:
        abort(404)
    shipment = orders.shipment_for(session, tenant, order.id)
    return page(
        "storefront/order.html", status, order=order, shipment=shipment,
        timeline=shipping.timeline(shipment) if shipment is not None else [],
        returns=returns.buyer_returns(session, tenant, order.buyer_id, order.id),
        may_cancel=order.status == "pending_payment",
        may_return=return_open(order), withdrawal=return_open(order) and returns.withdrawal_right(tenant, order),
        cash_refund=orders.payment_flow(tenant, order) == "on_delivery",
        shop=carts.seller_names(session, [order.seller_id]).get(order.seller_id, ""),
        methods=method_names(tenant), carriers=carrier_names(tenant), errors=extra.pop("errors", {}), **extra,
    )


def return_open(order: Order) -> bool:
    """The order is delivered and its return window still open."""
    deadline = order.return_deadline
    return order.status == "delivered" and deadline is not None and clock.now() <= deadline


@blp.get("/orders/<int:order_id>")
@login_required("buyer")
def order(order_id: int) -> Any:
    return order_page(order_id)


@blp.post("/orders/<int:order_id>/cancel")
@login_required("buyer")
def order_cancel(order_id: int) -> Any:
    """Cancel an unpaid order; its units go back on sale."""
    session = write_session()
    try:
        orders.buyer_cancel(session, current_tenant(), buyer_id(), order_id,
                            request.form.get("reason", "").strip() or "cancelled by the buyer")
    except orders.OrderNotFound:
        session.rollback()
        abort(404)
    except (orders.OrderError, InvalidTransition) as exc:
        session.rollback()
        return order_page(order_id, 409, errors={"status": str(getattr(exc, "message", exc))})
    session.commit()
    flash(_("Your order was cancelled."), "success")
    return redirect(url_for(".order", order_id=order_id), code=303)


def wanted_lines(form: Mapping[str, str]) -> list[returns.WantedLine]:
    """``qty-<line id>`` fields with a positive quantity."""
    found = []
    for key, value in form.items():
        line_id = _int(key.removeprefix("qty-")) if key.startswith("qty-") else None
        quantity = _int(value)
        if line_id is not None and quantity:
            found.append(returns.WantedLine(line_id, quantity))
    return found


def bank_account(form: Mapping[str, str]) -> Any:
    """The refund account a cash-on-delivery order needs (None when the form has none)."""
    data = {name: form.get(f"bank_{name}", "").strip() for name in ("holder", "number", "bank_code")}
    return returns.account_from(data) if data["holder"] or data["number"] else None


def return_problem(order_id: int, exc: Exception) -> Any:
    db_session().rollback()
    if isinstance(exc, returns.ReturnNotFound):
        abort(404)
    status = 422 if isinstance(exc, returns.InvalidReturn) else 409
    field = getattr(exc, "field", None) or "return"
    message = str(getattr(exc, "message", exc))
    if field == "return_window":
        message = _("The return window has closed.")
    return order_page(order_id, status, errors={field.split(".")[0]: message})


@blp.post("/orders/<int:order_id>/return")
@login_required("buyer")
def order_return(order_id: int) -> Any:
    """Ask to send units back, saying why (the seller decides)."""
    from pasar.returns.api import account_check

    check = account_check()
    session = write_session()
    try:
        returns.request_return(session, current_tenant(), buyer_id(), order_id, wanted_lines(request.form),
                               request.form.get("reason", ""), bank_account(request.form), check)
    except (returns.ReturnError, InvalidTransition) as exc:
        return return_problem(order_id, exc)
    session.commit()
    flash(_("Your return request was sent to the shop."), "success")
    return redirect(url_for(".order", order_id=order_id), code=303)


@blp.post("/orders/<int:order_id>/withdrawal")
@login_required("buyer")
def order_withdraw(order_id: int) -> Any:
    """Step one of the statutory withdrawal: nothing changes until the buyer confirms."""
    from pasar.returns.api import account_check

    check = account_check()
    session = write_session()
    try:
        declared = returns.declare_withdrawal(session, current_tenant(), buyer_id(), order_id,
                                              wanted_lines(request.form), None, bank_account(request.form), check)
    except (returns.ReturnError, InvalidTransition) as exc:
        return return_problem(order_id, exc)
    session.commit()
    order_row = orders.buyer_order(db_session(), current_tenant(), buyer_id(), order_id)
    return page("storefront/order_withdrawal.html", order=order_row, declared=declared,
                request_lines={line.order_line_id: line.quantity for line in declared.request.lines})


@blp.post("/orders/<int:order_id>/withdrawal/confirm")
@login_required("buyer")
def order_withdraw_confirm(order_id: int) -> Any:
    """Step two: the withdrawal takes effect; its time is the buyer's acknowledgement."""
    session = write_session()
    try:
        confirmed = returns.confirm_withdrawal(session, current_tenant(), buyer_id(), order_id,
                                               request.form.get("token", ""))
    except (returns.ReturnError, InvalidTransition) as exc:
        return return_problem(order_id, exc)
    session.commit()
    flash(_("You withdrew from the contract. Acknowledged on %(when)s.",
            when=_when(confirmed.requested_at)), "success")
    return redirect(url_for(".order", order_id=order_id), code=303)


def _when(moment: Any) -> str:
    from flask_babel import format_datetime

    return format_datetime(moment, "medium") if moment is not None else ""


# --- account ------------------------------------------------------------------------------------
@blp.get("/account")
@login_required()
def account() -> Any:
    """Who is signed in, the address last shipped to, and the way out."""
    tenant = current_tenant()
    latest = orders.buyer_orders(db_session(), tenant, buyer_id(), limit=1)
    address = dict(latest[0].shipping_address) if latest else None
    return page("storefront/account.html", address=address, fields=address_fields(tenant))
