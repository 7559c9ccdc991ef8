"""Carts, quotes and checkouts as the API answers them: every amount in minor units, as a
decimal string and formatted for the reader's locale (``Amounts.json``).

Plain dicts, so the answer of a placed checkout can be stored with its Idempotency-Key and
sent again byte for byte.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from pasar.cart.service import SellerBasket, live_session_of
from pasar.checkout.amounts import Amounts
from pasar.checkout.pricing import PricedGroup, PricedLine, Quote
from pasar.money import cash_round
from pasar.orders.models import Checkout, Order
from pasar.payments.models import Payment

Translate = Callable[[str], str]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


# --- cart ----------------------------------------------------------------------------------------
def cart_json(baskets: list[SellerBasket], amounts: Amounts) -> dict[str, Any]:
    groups = [_basket_json(basket, amounts) for basket in baskets]
    subtotal = sum(group["subtotal"]["minor"] for group in groups)
    return {
        "currency": amounts.currency,
        "groups": groups,
        "item_count": sum(line["quantity"] for group in groups for line in group["lines"]),
        "subtotal": amounts.json(subtotal),
    }


def _basket_json(basket: SellerBasket, amounts: Amounts) -> dict[str, Any]:
    lines = []
    for item in basket.items:
        price = item.sale.price_minor if item.sale is not None else None
        lines.append({
            "id": item.line.id, "variant_id": item.line.variant_id,
            "product_id": item.sale.product_id if item.sale else None, "sku": item.sale.sku if item.sale else None,
            "title": item.title, "quantity": item.line.quantity, "available": item.available,
            "for_sale": item.sale is not None, "live_session_id": live_session_of(item.line),
            "unit_price": amounts.json(price) if price is not None else None,
            "line_total": amounts.json(price * item.line.quantity) if price is not None else None,
        })
    subtotal = sum(line["line_total"]["minor"] for line in lines if line["line_total"] is not None)
    return {"seller_id": basket.seller_id, "seller_name": basket.seller_name, "lines": lines,
            "subtotal": amounts.json(subtotal)}


# --- quote ---------------------------------------------------------------------------------------
def quote_json(quote: Quote, amounts: Amounts, translate: Translate) -> dict[str, Any]:
    totals = {
        "subtotal": amounts.json(quote.subtotal_minor),
        "discount": amounts.json(quote.discount_minor),
        "shipping": amounts.json(quote.shipping_minor),
        "tax": amounts.json(quote.tax_minor),
        "tax_added": amounts.json(quote.tax_added_minor),
        "total": amounts.json(quote.total_minor),
    }
    on_delivery = quote.method is not None and quote.method.flow == "on_delivery"
    return {
        "currency": amounts.currency,
        "groups": [_group_json(group, amounts) for group in quote.groups],
        "vouchers": [
            {"code": a.voucher.code, "scope": a.voucher.scope, "seller_id": a.voucher.seller_id,
             "discount": amounts.json(a.amount_minor)}
            for a in quote.vouchers
        ],
        "totals": totals,
        "payment_methods": [
            {"code": m.code, "name": translate(m.name), "kind": m.kind, "flow": m.flow} for m in quote.methods
        ],
        "payment_method": quote.method.code if quote.method is not None else None,
        "cash_total": amounts.json(cash_total(quote.total_minor, amounts)) if on_delivery else None,
    }


def cash_total(total_minor: int, amounts: Amounts) -> int:
    """What a courier collects in cash: the total rounded to the country's cash increment."""
    return amounts.minor_exact(cash_round(amounts.money(total_minor), amounts.rules).amount)


def _group_json(group: PricedGroup, amounts: Amounts) -> dict[str, Any]:
    shipping = group.shipping
    return {
        "seller_id": group.seller_id,
        "seller_name": group.seller_name,
        "lines": [_line_json(line, amounts, group.tax_inclusive) for line in group.lines],
        "shipping_options": [
            {"carrier": o.carrier, "service": o.service, "amount": amounts.json(amounts.minor(o.amount)),
             "min_days": o.min_days, "max_days": o.max_days,
             "selected": shipping is not None and (o.carrier, o.service) == (shipping.carrier, shipping.service)}
            for o in group.options
        ],
        "shipping": None if shipping is None else {
            "carrier": shipping.carrier, "service": shipping.service, "amount": amounts.json(shipping.amount_minor),
            "min_days": shipping.min_days, "max_days": shipping.max_days,
        },
        "tax_included": group.tax_inclusive,
        "tax_collected_by": group.tax_collected_by,
        "totals": {
            "subtotal": amounts.json(group.subtotal_minor),
            "seller_discount": amounts.json(group.seller_discount_minor),
            "platform_discount": amounts.json(group.platform_discount_minor),
            "shipping": amounts.json(group.shipping_minor),
            "tax": amounts.json(group.tax_minor),
            "tax_added": amounts.json(group.tax_added_minor),
            "total": amounts.json(group.total_minor),
        },
    }


def _line_json(line: PricedLine, amounts: Amounts, inclusive: bool) -> dict[str, Any]:
    total = line.net_minor + (0 if inclusive else line.tax_minor)
    return {
        "cart_line_id": line.line_id, "variant_id": line.sale.variant_id, "product_id": line.sale.product_id,
        "sku": line.sale.sku, "title": line.sale.title, "quantity": line.quantity,
        "tax_category": line.sale.tax_category,
        "unit_price": amounts.json(line.sale.price_minor), "subtotal": amounts.json(line.subtotal_minor),
        "discount": amounts.json(line.discount_minor), "tax": amounts.json(line.tax_minor),
        "tax_rate": format(line.tax_rate, "f"), "total": amounts.json(total),
    }


# --- placed checkout -----------------------------------------------------------------------------
def checkout_json(checkout: Checkout, payment: Payment | None, amounts: Amounts,
                  orders: Sequence[Order] | None = None) -> dict[str, Any]:
    """The checkout with its orders (``orders``: the ones in hand, else ``checkout.orders``)."""
    return {
        "checkout_id": checkout.id,
        "status": checkout.status,
        "currency": checkout.currency,
        "created_at": _iso(checkout.created_at),
        "expires_at": _iso(checkout.expires_at),
        "vouchers": list(checkout.vouchers),
        "orders": [_order_json(order, amounts) for order in (checkout.orders if orders is None else orders)],
        "totals": {
            "subtotal": amounts.json(checkout.subtotal_minor),
            "discount": amounts.json(checkout.discount_minor),
            "shipping": amounts.json(checkout.shipping_minor),
            "tax_added": amounts.json(checkout.tax_added_minor),
            "total": amounts.json(checkout.total_minor),
        },
        "payment": payment_json(payment, amounts) if payment is not None else None,
    }


def _order_json(order: Order, amounts: Amounts) -> dict[str, Any]:
    return {
        "id": order.id, "seller_id": order.seller_id, "status": order.status,
        "carrier": order.carrier, "shipping_service": order.shipping_service,
        "tax_included": order.tax_included,
        "lines": [
            {"variant_id": line.variant_id, "sku": line.sku, "title": line.title, "quantity": line.quantity,
             "unit_price": amounts.json(line.unit_price_minor), "discount": amounts.json(line.discount_minor),
             "tax": amounts.json(line.tax_minor), "tax_rate": line.tax_rate}
            for line in order.lines
        ],
        "subtotal": amounts.json(order.subtotal_minor),
        "discount": amounts.json(order.seller_discount_minor + order.platform_discount_minor),
        "shipping": amounts.json(order.shipping_minor),
        "tax": amounts.json(order.tax_minor),
        "total": amounts.json(order.total_minor),
    }


def payment_json(payment: Payment, amounts: Amounts) -> dict[str, Any]:
    return {
        "id": payment.id, "reference": payment.reference, "method": payment.method, "status": payment.status,
        "outcome_unknown": payment.outcome_unknown, "amount": amounts.json(payment.amount_minor),
        "failure_reason": payment.failure_reason, "action": payment_action(payment, amounts),
    }


def payment_action(payment: Payment, amounts: Amounts) -> dict[str, Any]:
    """What the buyer has to do now: follow a redirect, pay a VA / QR / code by a deadline,
    have cash ready — or nothing."""
    if payment.status not in ("requires_action", "pending"):
        return {"type": "none"}
    if payment.flow == "on_delivery":
        return {"type": "cash_on_delivery", "amount": amounts.json(cash_total(payment.amount_minor, amounts))}
    if payment.redirect_url:
        return {"type": "redirect", "redirect_url": payment.redirect_url}
    if payment.instructions:
        return {"type": "instructions", "instructions": dict(payment.instructions),
                "expires_at": _iso(payment.expires_at), "sandbox_url": payment.sandbox_url}
    return {"type": "wait"}
