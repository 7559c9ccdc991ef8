"""Payment webhooks: verified by the method's gateway, stored once per event id, applied by
settling with the gateway — so repeats and stale notices never capture twice or move a
payment backwards, and a forged or stale notice writes nothing at all."""
from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from pasar import clock
from pasar.orders.models import OrderTransition
from pasar.payments.models import PaymentEvent
from pasar.providers import tenant_secret
from pasar.sandbox import signing
from pasar.sandbox._common import encode, iso

#: Every table a webhook could touch.
TABLES = ("payment_events", "payments", "refunds", "checkouts", "orders", "order_transitions", "inventory",
          "ledger_transactions", "ledger_entries", "outbox_events", "provider_state", "voucher_redemptions")


def row_counts(app: Any) -> dict[str, int]:
    from pasar.models import Base

    with app.extensions["pasar.db"].session(all_tenants=True) as session:
        return {name: int(session.scalar(select(func.count()).select_from(Base.metadata.tables[name])) or 0) for name in TABLES}


def signed(app: Any, tenant: str, payload: dict[str, Any], *, at: Any = None, secret: bytes | None = None) -> tuple[dict[str, str], bytes]:
    body = encode(payload)
    key = secret or tenant_secret(app.config["PASAR"].webhook_secret, tenant)
    return signing.signed_headers(key, body, payload["id"], at or clock.now()), body


def approve_without_returning(commerce: Any, placed: Any) -> None:
    """Press Approve on the sandbox page but never come back (the browser was closed)."""
    page = placed.payment["action"]["redirect_url"]
    token = commerce.client.get(page).get_data(as_text=True).split('name="token" value="')[1].split('"')[0]
    assert commerce.client.post(page, data={"token": token, "action": "approve"}).status_code == 303


def paid_moves(commerce: Any, order_id: int) -> int:
    with commerce.session("uk") as session:
        return int(session.scalar(select(func.count()).select_from(OrderTransition).where(
            OrderTransition.order_id == order_id, OrderTransition.to_status == "paid")) or 0)


def test_a_capture_delivered_five_times_among_stale_notices_captures_once(
    app: Any, login: Any, make_seller: Any, make_product: Any, commerce: Any, held_webhooks: Any, stock_of: Any,
) -> None:
    _, buyer = login("uk", "buyer")
    product = make_product(make_seller("uk"), stock=5)
    placed = commerce.place_order(buyer, (product, 2), method="paypal")
    approve_without_returning(commerce, placed)
    [(tenant, captured)] = held_webhooks.of("payments")
    data = json.loads(captured.body)["data"]
    stale_payload = {"id": "evt_stale_pending", "type": "payment.pending",
                     "created": iso(clock.now() - timedelta(minutes=2)), "data": {**data, "status": "pending"}}
    stale_headers, stale_body = signed(app, "uk", stale_payload)

    def deliver_captured() -> Any:
        return held_webhooks.deliver(tenant, captured)

    def deliver_stale() -> Any:
        return commerce.client.post("/api/v1/webhooks/payments/paypal", data=stale_body,
                                    headers={**stale_headers, "X-Pasar-Tenant": "uk"})

    answers = [send() for send in (deliver_stale, deliver_captured, deliver_captured, deliver_stale, deliver_captured,
                                   deliver_captured, deliver_captured)]
    assert [a.status_code for a in answers] == [200] * 7
    assert [a.json["duplicate"] for a in answers] == [False, False, True, True, True, True, True]
    payment = commerce.payment_row("uk", placed.checkout_id)
    assert (payment.status, payment.captured_minor) == ("captured", payment.amount_minor)
    assert commerce.postings("uk", "payment_captured", payment.reference) == 1
    assert paid_moves(commerce, placed.order_ids[0]) == 1
    assert stock_of("uk", product.variant_id) == (3, 0)
    with commerce.session("uk") as session:
        assert session.scalar(select(func.count()).select_from(PaymentEvent).where(PaymentEvent.payment_id == payment.id)) == 2


def test_an_older_notice_after_the_capture_changes_nothing(
    app: Any, login: Any, make_seller: Any, make_product: Any, commerce: Any, pay: Any,
) -> None:
    _, buyer = login("uk", "buyer")
    placed = commerce.place_order(buyer, make_product(make_seller("uk")), method="paypal")
    pay(placed)
    payment = commerce.payment_row("uk", placed.checkout_id)
    for kind in ("payment.authorized", "payment.pending", "payment.failed"):
        payload = {"id": f"evt_old_{kind}", "type": kind, "created": iso(clock.now() - timedelta(minutes=1)),
                   "data": {"provider_ref": payment.provider_ref, "reference": payment.reference,
                            "status": kind.split(".")[1], "currency": "GBP", "amount": "1.00", "method": "paypal"}}
        headers, body = signed(app, "uk", payload)
        answer = commerce.client.post("/api/v1/webhooks/payments/paypal", data=body, headers={**headers, "X-Pasar-Tenant": "uk"})
        assert (answer.status_code, answer.json["payment_status"]) == (200, "captured")
    assert commerce.checkout(placed)["status"] == "paid"
    assert commerce.postings("uk", "payment_captured", payment.reference) == 1


def test_a_forged_or_stale_webhook_is_refused_and_writes_nothing(
    app: Any, login: Any, make_seller: Any, make_product: Any, commerce: Any, held_webhooks: Any,
) -> None:
    _, buyer = login("uk", "buyer")
    placed = commerce.place_order(buyer, make_product(make_seller("uk")), method="paypal")
    approve_without_returning(commerce, placed)
    [(_, captured)] = held_webhooks.of("payments")
    payload = json.loads(captured.body)
    tampered = captured.body.replace(payload["data"]["amount"].encode(), b"0.01")
    stale_headers, stale_body = signed(app, "uk", {**payload, "id": "evt_late"}, at=clock.now() - timedelta(minutes=10))
    other_tenant, other_body = signed(app, "uk", {**payload, "id": "evt_other"}, secret=tenant_secret("test-webhook-secret", "de"))
    no_signature = {k: v for k, v in captured.headers.items() if k != signing.SIGNATURE_HEADER}
    before = row_counts(app)

    for headers, body in ((dict(captured.headers), tampered), (stale_headers, stale_body), (other_tenant, other_body),
                          (no_signature, captured.body), (dict(captured.headers), b"not json")):
        answer = commerce.client.post("/api/v1/webhooks/payments/paypal", data=body, headers={**headers, "X-Pasar-Tenant": "uk"})
        assert answer.status_code == 400, answer.json
        assert answer.mimetype == "application/problem+json" and "signature" in answer.json["errors"]
    assert row_counts(app) == before
    assert commerce.payment_row("uk", placed.checkout_id).status == "requires_action"


def test_a_webhook_for_an_unknown_method_or_payment_is_not_found(
    app: Any, login: Any, make_seller: Any, make_product: Any, commerce: Any,
) -> None:
    payload = {"id": "evt_nobody", "type": "payment.captured", "created": iso(clock.now()),
               "data": {"provider_ref": "sandbox_paypal_nobody", "reference": "pay_nobody", "status": "captured",
                        "currency": "GBP", "amount": "1.00", "method": "paypal"}}
    headers, body = signed(app, "uk", payload)
    before = row_counts(app)
    unknown_payment = commerce.client.post("/api/v1/webhooks/payments/paypal", data=body, headers={**headers, "X-Pasar-Tenant": "uk"})
    unknown_method = commerce.client.post("/api/v1/webhooks/payments/gopay", data=body, headers={**headers, "X-Pasar-Tenant": "uk"})
    assert (unknown_payment.status_code, unknown_method.status_code) == (404, 404)
    assert row_counts(app) == before
