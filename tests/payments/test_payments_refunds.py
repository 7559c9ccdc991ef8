"""What payments provides to fulfilment: ``refund_order`` (through the gateway, or paid out to
the buyer's account for cash on delivery) and ``confirm_cash_collected`` — recorded in the
caller's transaction, sent to the provider after it commits, each exactly once."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from pasar.events.models import OutboxEvent
from pasar.orders.models import Order
from pasar.orders.state import Actor, transition
from pasar.payments.models import Refund
from pasar.payments.refunds import RefundError
from pasar.payments.service import confirm_cash_collected, refund_order
from pasar.tenancy.models import ProviderState
from pasar.testing.accounts_factories import tenant_context
from pasar.testing.sellers_factories import EXAMPLE_BANK_ACCOUNTS


def gateway_refunds(commerce: Any, tenant: str) -> int:
    with commerce.session(tenant) as session:
        return int(session.scalar(select(func.count()).select_from(ProviderState)
                                  .where(ProviderState.key.like(f"sandbox:{tenant}:payments:%:refund:%"))) or 0)


def test_a_refund_goes_through_the_gateway_once_per_key(app: Any, login: Any, make_seller: Any, make_product: Any,
                                                        commerce: Any) -> None:
    _, buyer = login("uk", "buyer")
    placed = commerce.place_order(buyer, make_product(make_seller("uk"), price="20.00"))
    tenant, order_id = tenant_context(app, "uk"), placed.order_ids[0]
    before = gateway_refunds(commerce, "uk")

    for _ in range(2):
        with commerce.session("uk") as session:
            refund = refund_order(session, tenant, order_id, 500, reason="scratched", idempotency_key="refund-scratch")
    with commerce.session("uk") as session:
        stored = session.get(Refund, refund.id)
        assert (stored.status, stored.channel, stored.amount_minor) == ("succeeded", "gateway", 500)
        assert session.scalar(select(func.count()).select_from(Refund).where(Refund.order_id == order_id)) == 1
    assert gateway_refunds(commerce, "uk") == before + 1
    payment = commerce.payment_row("uk", placed.checkout_id)
    assert (payment.status, payment.refunded_minor) == ("partially_refunded", 500)
    assert commerce.postings("uk", "refund", f"refund-{refund.id}") == 1
    assert commerce.postings("uk", "refund_settled", f"refund-{refund.id}") == 1


def test_refunds_never_exceed_the_order_and_need_a_paid_order(app: Any, login: Any, make_seller: Any,
                                                             make_product: Any, commerce: Any) -> None:
    _, buyer = login("uk", "buyer")
    tenant = tenant_context(app, "uk")
    paid = commerce.place_order(buyer, make_product(make_seller("uk"), price="20.00"))
    total = paid.body["orders"][0]["total"]["minor"]
    with commerce.session("uk") as session:
        refund_order(session, tenant, paid.order_ids[0], total - 100, reason="most", idempotency_key="most-of-it")
    with pytest.raises(RefundError, match="at most 100"), commerce.session("uk") as session:
        refund_order(session, tenant, paid.order_ids[0], 101, reason="too much", idempotency_key="too-much")
    with pytest.raises(RefundError, match="another refund"), commerce.session("uk") as session:
        refund_order(session, tenant, paid.order_ids[0], 50, reason="reused", idempotency_key="most-of-it")

    _, other = login("uk", "buyer")
    unpaid = commerce.place_order(other, make_product(make_seller("uk")), method="paypal")
    with pytest.raises(RefundError, match="not paid"), commerce.session("uk") as session:
        refund_order(session, tenant, unpaid.order_ids[0], 100, reason="early", idempotency_key="too-early")


def move(commerce: Any, tenant_code: str, order_id: int, *steps: tuple[str, str]) -> None:
    tenant = tenant_context(commerce.app, tenant_code)
    with commerce.session(tenant_code) as session:
        order = session.get(Order, order_id)
        for to, actor in steps:
            transition(session, tenant, order, to, Actor(actor))


def test_cash_collected_on_delivery_records_the_payment_of_a_delivered_order(
    app: Any, login: Any, make_seller: Any, make_product: Any, commerce: Any, stock_of: Any,
) -> None:
    _, buyer = login("id", "buyer")
    product = make_product(make_seller("id"), price="150000", stock=3)
    placed = commerce.place_order(buyer, product, method="cod")
    action = placed.payment["action"]
    assert (action["type"], placed.body["expires_at"], placed.payment["status"]) == ("cash_on_delivery", None, "pending")
    order_id = placed.order_ids[0]
    move(commerce, "id", order_id, ("ready_to_ship", "seller"), ("shipped", "carrier"), ("delivered", "carrier"))
    assert stock_of("id", product.variant_id) == (3, 1)

    tenant = tenant_context(app, "id")
    for _ in range(2):  # the carrier's notice may arrive twice
        with commerce.session("id") as session:
            confirm_cash_collected(session, tenant, placed.checkout_id, action["amount"]["minor"])
    after = commerce.checkout(placed)
    assert (after["status"], after["payment"]["status"], after["orders"][0]["status"]) == ("paid", "captured", "delivered")
    assert commerce.postings("id", "payment_captured", f"{placed.payment['reference']}:order-{order_id}") == 1
    assert stock_of("id", product.variant_id) == (2, 0)
    with commerce.session("id") as session:
        assert session.get(Order, order_id).paid_at is not None
        assert session.scalar(select(func.count()).select_from(OutboxEvent).where(
            OutboxEvent.kind == "order.paid", OutboxEvent.subject_id == str(order_id))) == 1


def test_a_cash_on_delivery_refund_is_paid_out_to_the_buyers_account(
    app: Any, login: Any, make_seller: Any, make_product: Any, commerce: Any,
) -> None:
    _, buyer = login("id", "buyer")
    placed = commerce.place_order(buyer, make_product(make_seller("id"), price="150000"), method="cod")
    tenant = tenant_context(app, "id")
    with commerce.session("id") as session:
        confirm_cash_collected(session, tenant, placed.checkout_id, placed.payment["action"]["amount"]["minor"])
    with pytest.raises(RefundError, match="bank account"), commerce.session("id") as session:
        refund_order(session, tenant, placed.order_ids[0], 5_000_00, reason="broken", idempotency_key="cod-no-account")

    with commerce.session("id") as session:
        refund = refund_order(session, tenant, placed.order_ids[0], 5_000_00, reason="broken",
                              idempotency_key="cod-refund", bank_account=EXAMPLE_BANK_ACCOUNTS["ID"])
    with commerce.session("id") as session:
        stored = session.get(Refund, refund.id)
        assert (stored.channel, stored.status) == ("payout", "succeeded")
        assert stored.provider_refund_ref is not None
    assert commerce.payment_row("id", placed.checkout_id).refunded_minor == 5_000_00
    assert commerce.postings("id", "refund_settled", f"refund-{refund.id}") == 1


def test_cash_can_only_be_collected_for_cash_on_delivery(app: Any, login: Any, make_seller: Any,
                                                         make_product: Any, commerce: Any) -> None:
    _, buyer = login("uk", "buyer")
    placed = commerce.place_order(buyer, make_product(make_seller("uk")), method="paypal")
    with pytest.raises(RefundError, match="not paid on delivery"), commerce.session("uk") as session:
        confirm_cash_collected(session, tenant_context(app, "uk"), placed.checkout_id, 100)
