"""Cash on delivery for a checkout of several shops: each shop's parcel is delivered and paid at
its own door, so the payment is captured order by order (the carrier's delivered scan with the
cash collected), and closed at the gateway once no order waits for its cash; a parcel refused
at the door is simply not part of the capture. A refund the payout provider rejects gives the
money back where it was (``refund_failed``) so it can be made again."""
from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, select

from pasar.contracts import BankAccount
from pasar.ledger import service as ledger
from pasar.ledger.statements import trial_balance
from pasar.orders import service as orders
from pasar.orders.models import Order
from pasar.orders.state import Actor
from pasar.payments.models import CashCollection, Refund
from pasar.payments.tasks import reconcile
from pasar.payments.service import refund_order
from pasar.testing.accounts_factories import tenant_context
from pasar.testing.fulfilment_factories import deliver
from pasar.testing.sellers_factories import EXAMPLE_BANK_ACCOUNTS

CLOSED_ACCOUNT = BankAccount("Budi Santoso", "5271000000", "014")  # the sandbox's closed account


def two_shop_checkout(login: Any, make_seller: Any, make_product: Any, commerce: Any) -> tuple[Any, dict[int, Any]]:
    """An Indonesian buyer pays cash for two shops' products: one checkout, one order per shop."""
    _, buyer = login("id", "buyer")
    shops = [make_seller("id"), make_seller("id")]
    products = [make_product(shops[0], price="150000", stock=3), make_product(shops[1], price="90000", stock=3)]
    placed = commerce.place_order(buyer, *products, method="cod")
    with commerce.session("id") as session:
        seller_of = {o.id: o.seller_id for o in session.scalars(select(Order).where(Order.id.in_(placed.order_ids)))}
    by_id = {shop.id: shop for shop in shops}
    return placed, {order_id: by_id[seller_id] for order_id, seller_id in seller_of.items()}


def ship(client: Any, order_id: int, shop: Any, *, until: str = "delivered") -> dict[str, Any]:
    """The shop accepts the order and the sandbox courier scans the parcel up to ``until``."""
    ready = client.post(f"/api/v1/seller/orders/{order_id}/ready", headers=shop.headers)
    assert ready.status_code == 200, ready.get_json()
    return deliver(client, SimpleNamespace(id=order_id, tenant="id", seller=shop), until=until)  # type: ignore[arg-type]


def refuse_at_the_door(commerce: Any, order_id: int) -> None:
    with commerce.session("id") as session:
        orders.cancel(session, tenant_context(commerce.app, "id"), order_id, Actor("carrier"), "refused at the door")


def collections(commerce: Any, checkout_id: int) -> dict[int, int]:
    payment = commerce.payment_row("id", checkout_id)
    with commerce.session("id") as session:
        rows = session.scalars(select(CashCollection).where(CashCollection.payment_id == payment.id))
        return {row.order_id: row.amount_minor for row in rows}


def books(commerce: Any) -> Any:
    with commerce.session("id") as session:
        return trial_balance(session, tenant_context(commerce.app, "id"))


def balance(commerce: Any, code: str) -> int:
    with commerce.session("id") as session:
        return ledger.balance_minor(session, tenant_context(commerce.app, "id"), code, "IDR")


def test_two_shops_paid_in_cash_are_captured_parcel_by_parcel(
    app: Any, client: Any, login: Any, make_seller: Any, make_product: Any, commerce: Any,
) -> None:
    placed, shop_of = two_shop_checkout(login, make_seller, make_product, commerce)
    first, second = sorted(shop_of)
    reference = placed.payment["reference"]
    gateway_before = balance(commerce, "gateway")  # the books are shared with earlier tests

    label = ship(client, first, shop_of[first])
    assert label["cash_on_delivery"] is not None
    assert commerce.payment_row("id", placed.checkout_id).status == "pending"  # the other parcel is on its way
    assert list(collections(commerce, placed.checkout_id)) == [first]
    assert commerce.checkout(placed)["status"] == "pending_payment"

    ship(client, second, shop_of[second])
    collected = collections(commerce, placed.checkout_id)
    assert sorted(collected) == [first, second]
    payment = commerce.payment_row("id", placed.checkout_id)
    assert (payment.status, payment.captured_minor) == ("captured", sum(collected.values()))
    assert payment.cash_collected_minor == sum(collected.values())
    assert commerce.checkout(placed)["status"] == "paid"
    with commerce.session("id") as session:
        assert all(o.paid_at is not None for o in session.scalars(select(Order).where(Order.checkout_id == placed.checkout_id)))
    for order_id in (first, second):
        assert commerce.postings("id", "payment_captured", f"{reference}:order-{order_id}") == 1
    assert commerce.postings("id", "payment_captured", reference) == 0
    assert balance(commerce, "gateway") - gateway_before == sum(collected.values())
    assert books(commerce).balanced


def test_a_parcel_refused_at_the_door_is_left_out_of_the_capture(
    app: Any, client: Any, login: Any, make_seller: Any, make_product: Any, commerce: Any, stock_of: Any,
) -> None:
    placed, shop_of = two_shop_checkout(login, make_seller, make_product, commerce)
    first, second = sorted(shop_of)
    gateway_before = balance(commerce, "gateway")  # the books are shared with earlier tests
    ship(client, second, shop_of[second], until="in_transit")
    refuse_at_the_door(commerce, second)
    ship(client, first, shop_of[first])

    collected = collections(commerce, placed.checkout_id)
    assert list(collected) == [first]
    payment = commerce.payment_row("id", placed.checkout_id)
    assert (payment.status, payment.captured_minor) == ("captured", collected[first])
    with commerce.session("id") as session:
        refused = session.get(Order, second)
        assert (refused.status, refused.paid_at) == ("cancelled", None)
    assert commerce.postings("id", "payment_captured", f"{placed.payment['reference']}:order-{second}") == 0
    assert balance(commerce, "gateway") - gateway_before == collected[first]
    assert books(commerce).balanced


def test_a_parcel_refused_after_the_other_was_paid_closes_the_payment_at_once(
    app: Any, client: Any, login: Any, make_seller: Any, make_product: Any, commerce: Any,
) -> None:
    placed, shop_of = two_shop_checkout(login, make_seller, make_product, commerce)
    first, second = sorted(shop_of)
    gateway_before = balance(commerce, "gateway")  # the books are shared with earlier tests
    ship(client, first, shop_of[first])
    ship(client, second, shop_of[second], until="in_transit")
    assert commerce.payment_row("id", placed.checkout_id).status == "pending"  # the second parcel travels

    refuse_at_the_door(commerce, second)
    payment = commerce.payment_row("id", placed.checkout_id)
    collected = collections(commerce, placed.checkout_id)
    assert list(collected) == [first]
    assert (payment.status, payment.captured_minor) == ("captured", collected[first])
    assert commerce.checkout(placed)["status"] == "paid"
    assert commerce.postings("id", "payment_captured", f"{placed.payment['reference']}:order-{second}") == 0
    assert balance(commerce, "gateway") - gateway_before == collected[first]
    assert books(commerce).balanced


def test_a_single_parcel_refused_at_the_door_cancels_its_payment_at_once(
    app: Any, client: Any, login: Any, make_seller: Any, make_product: Any, commerce: Any, stock_of: Any,
) -> None:
    _, buyer = login("id", "buyer")
    shop = make_seller("id")
    product = make_product(shop, price="150000", stock=3)
    placed = commerce.place_order(buyer, product, method="cod")
    [order_id] = placed.order_ids
    ship(client, order_id, shop, until="in_transit")

    refuse_at_the_door(commerce, order_id)
    payment = commerce.payment_row("id", placed.checkout_id)
    assert (payment.status, payment.captured_minor) == ("cancelled", 0)
    assert commerce.checkout(placed)["status"] == "cancelled"
    assert stock_of("id", product.variant_id) == (3, 0)  # the refused unit is back on the shelf, once
    assert commerce.postings("id", "payment_captured", f"{placed.payment['reference']}:order-{order_id}") == 0


def test_a_refused_parcel_whose_notice_to_the_gateway_was_lost_is_closed_by_reconciliation(
    app: Any, client: Any, login: Any, make_seller: Any, make_product: Any, commerce: Any, time_travel: Any,
    monkeypatch: Any,
) -> None:
    from pasar.worker import celery_app

    placed, shop_of = two_shop_checkout(login, make_seller, make_product, commerce)
    first, second = sorted(shop_of)
    ship(client, first, shop_of[first])
    ship(client, second, shop_of[second], until="in_transit")

    def broker_down(*_args: Any) -> None:
        raise ConnectionError("broker unavailable")

    with monkeypatch.context() as patched:
        patched.setattr(celery_app.tasks["pasar.payments.collect_cash"], "delay", broker_down)
        refuse_at_the_door(commerce, second)  # committed all the same; the gateway was not told
    assert commerce.payment_row("id", placed.checkout_id).status == "pending"

    time_travel(timedelta(minutes=11))
    reconcile.delay().get()
    payment = commerce.payment_row("id", placed.checkout_id)
    assert (payment.status, payment.captured_minor) == ("captured", collections(commerce, placed.checkout_id)[first])
    assert books(commerce).balanced


def test_one_orders_cash_can_be_refunded_while_the_other_parcel_travels(
    app: Any, client: Any, login: Any, make_seller: Any, make_product: Any, commerce: Any,
) -> None:
    placed, shop_of = two_shop_checkout(login, make_seller, make_product, commerce)
    first, second = sorted(shop_of)
    ship(client, first, shop_of[first])
    tenant = tenant_context(app, "id")
    with commerce.session("id") as session:
        refund = refund_order(session, tenant, first, 5_000_00, reason="scratched", idempotency_key="cod-part",
                              bank_account=EXAMPLE_BANK_ACCOUNTS["ID"])
    with commerce.session("id") as session:
        assert session.get(Refund, refund.id).status == "succeeded"
    assert commerce.payment_row("id", placed.checkout_id).refunded_minor == 5_000_00
    assert commerce.postings("id", "refund_settled", f"refund-{refund.id}") == 1

    ship(client, second, shop_of[second])
    payment = commerce.payment_row("id", placed.checkout_id)
    assert (payment.status, payment.refunded_minor) == ("partially_refunded", 5_000_00)
    assert books(commerce).balanced


def test_a_refund_the_provider_rejects_gives_the_money_back_and_can_be_made_again(
    app: Any, client: Any, login: Any, make_seller: Any, make_product: Any, commerce: Any,
) -> None:
    placed, shop_of = two_shop_checkout(login, make_seller, make_product, commerce)
    for order_id in sorted(shop_of):
        ship(client, order_id, shop_of[order_id])
    first = min(shop_of)
    tenant = tenant_context(app, "id")
    clearing_before = balance(commerce, "buyer_clearing")
    refunds_owed_before = balance(commerce, "refund_clearing")
    with commerce.session("id") as session:
        failed = refund_order(session, tenant, first, 5_000_00, reason="broken", idempotency_key="cod-closed",
                              bank_account=CLOSED_ACCOUNT)
    with commerce.session("id") as session:
        stored = session.get(Refund, failed.id)
        assert stored.status == "failed" and stored.failure_reason
    ref = f"refund-{failed.id}"
    assert commerce.postings("id", "refund_failed", ref) == 1
    assert commerce.postings("id", "refund_settled", ref) == 0
    assert balance(commerce, "refund_clearing") == refunds_owed_before
    assert balance(commerce, "buyer_clearing") == clearing_before
    payment = commerce.payment_row("id", placed.checkout_id)
    assert (payment.status, payment.refunded_minor) == ("captured", 0)

    with commerce.session("id") as session:
        again = refund_order(session, tenant, first, 5_000_00, reason="broken", idempotency_key="cod-good",
                             bank_account=EXAMPLE_BANK_ACCOUNTS["ID"])
    with commerce.session("id") as session:
        assert session.get(Refund, again.id).status == "succeeded"
        assert session.scalar(select(func.count()).select_from(Refund).where(Refund.order_id == first)) == 2
    assert commerce.payment_row("id", placed.checkout_id).refunded_minor == 5_000_00
    assert books(commerce).balanced
