"""Placing a checkout: one order per shop, stock reserved then sold on capture, a snapshot of
each line; the Idempotency-Key contract; failed payments and short stock undo everything;
bodies cannot set prices, statuses, shops or tenants."""
from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import func, select

from pasar.catalog.models import ProductText
from pasar.checkout.models import Voucher
from pasar.orders.models import Checkout, Order
from pasar.testing.commerce_factories import DECLINED_CARD, address_for


def orders_of(commerce: Any, tenant: str, buyer_id: int) -> list[Order]:
    with commerce.session(tenant) as session:
        return list(session.scalars(select(Order).where(Order.buyer_id == buyer_id).order_by(Order.id)))


def checkouts_of(commerce: Any, tenant: str, buyer_id: int) -> int:
    with commerce.session(tenant) as session:
        return int(session.scalar(select(func.count()).select_from(Checkout).where(Checkout.buyer_id == buyer_id)) or 0)


def test_a_card_checkout_makes_one_paid_order_per_shop_and_sells_the_stock(
    client: Any, login: Any, make_seller: Any, make_product: Any, commerce: Any, stock_of: Any,
) -> None:
    principal, buyer = login("uk", "buyer")
    mug, sock = make_product(make_seller("uk"), price="8.00", stock=5), make_product(make_seller("uk"), price="3.00", stock=5)

    placed = commerce.place_order(buyer, (mug, 2), sock)
    body = placed.body
    assert (body["status"], body["payment"]["status"], body["payment"]["action"]) == ("paid", "captured", {"type": "none"})
    assert [(o["seller_id"], o["status"]) for o in body["orders"]] == [(mug.seller.id, "paid"), (sock.seller.id, "paid")]
    assert sum(o["total"]["minor"] for o in body["orders"]) == body["totals"]["total"]["minor"] == body["payment"]["amount"]["minor"]
    assert stock_of("uk", mug.variant_id) == (3, 0) and stock_of("uk", sock.variant_id) == (4, 0)
    assert client.get("/api/v1/cart", headers=buyer).json["groups"] == []
    assert commerce.postings("uk", "payment_captured", body["payment"]["reference"]) == 1
    stored = orders_of(commerce, "uk", principal.id)
    assert [(line.sku, line.quantity, line.unit_price_minor) for line in stored[0].lines] == [
        (body["orders"][0]["lines"][0]["sku"], 2, 800)]


def test_an_unpaid_checkout_holds_the_stock(login: Any, make_seller: Any, make_product: Any, commerce: Any,
                                            stock_of: Any) -> None:
    _, buyer = login("uk", "buyer")
    product = make_product(make_seller("uk"), stock=4)
    placed = commerce.place_order(buyer, (product, 3), method="paypal")
    assert placed.payment["action"]["type"] == "redirect"
    assert (placed.body["status"], placed.body["orders"][0]["status"]) == ("pending_payment", "pending_payment")
    assert stock_of("uk", product.variant_id) == (4, 3)


def test_lines_keep_the_title_in_the_buyers_language(app: Any, client: Any, login: Any, make_seller: Any,
                                                     make_product: Any, commerce: Any) -> None:
    _, buyer = login("us", "buyer")
    product = make_product(make_seller("us"))
    with commerce.session("us") as session:
        session.add(ProductText(product_id=product.id, locale="es_US", title="Taza azul", description=""))
    commerce.add_to_cart(buyer, product.variant_id)
    body = commerce.checkout_body(buyer)
    answer = client.post("/api/v1/checkout?lang=es_US", json=body, headers={**buyer, "Idempotency-Key": "spanish-1"})
    assert answer.status_code == 201, answer.json
    assert answer.json["orders"][0]["lines"][0]["title"] == "Taza azul"


def test_placing_needs_an_idempotency_key(app: Any, client: Any, login: Any, make_seller: Any, make_product: Any,
                                          commerce: Any) -> None:
    principal, buyer = login("uk", "buyer")
    commerce.add_to_cart(buyer, make_product(make_seller("uk")).variant_id)
    answer = client.post("/api/v1/checkout", json=commerce.checkout_body(buyer), headers=buyer)
    assert answer.status_code == 400
    assert answer.mimetype == "application/problem+json"
    assert list(answer.json["errors"]) == ["Idempotency-Key"]
    too_long = client.post("/api/v1/checkout", json=commerce.checkout_body(buyer), headers={**buyer, "Idempotency-Key": "k" * 129})
    assert (too_long.status_code, list(too_long.json["errors"])) == (400, ["Idempotency-Key"])
    assert checkouts_of(commerce, "uk", principal.id) == 0


def test_a_retry_with_the_same_key_and_body_gets_the_same_answer_and_no_second_charge(
    client: Any, login: Any, make_seller: Any, make_product: Any, commerce: Any, stock_of: Any,
) -> None:
    principal, buyer = login("uk", "buyer")
    product = make_product(make_seller("uk"), stock=5)
    first = commerce.place_order(buyer, product, key="retry-me")
    commerce.add_to_cart(buyer, product.variant_id)  # the cart is full again: a replay must not care

    again = client.post("/api/v1/checkout", json=first.request, headers={**buyer, "Idempotency-Key": "retry-me"})
    assert (again.status_code, again.json) == (201, first.body)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert checkouts_of(commerce, "uk", principal.id) == 1
    assert commerce.charges("uk", first.payment["reference"]) == 1
    assert stock_of("uk", product.variant_id) == (4, 0)


def test_the_same_key_with_another_body_is_refused(client: Any, login: Any, make_seller: Any, make_product: Any,
                                                   commerce: Any) -> None:
    principal, buyer = login("uk", "buyer")
    first = commerce.place_order(buyer, make_product(make_seller("uk")), key="one-key")
    other = {**first.request, "vouchers": ["SOMETHING"]}
    answer = client.post("/api/v1/checkout", json=other, headers={**buyer, "Idempotency-Key": "one-key"})
    assert (answer.status_code, list(answer.json["errors"])) == (422, ["Idempotency-Key"])
    assert checkouts_of(commerce, "uk", principal.id) == 1


def test_one_key_is_one_buyers_own(client: Any, login: Any, make_seller: Any, make_product: Any, commerce: Any) -> None:
    product = make_product(make_seller("uk"), stock=5)
    _, first = login("uk", "buyer")
    _, second = login("uk", "buyer")
    one = commerce.place_order(first, product, key="shared-key")
    two = commerce.place_order(second, product, key="shared-key")
    assert one.checkout_id != two.checkout_id


def test_twenty_concurrent_requests_with_one_key_make_one_order_and_one_charge(
    app: Any, login: Any, make_seller: Any, make_product: Any, commerce: Any, stock_of: Any,
) -> None:
    principal, buyer = login("uk", "buyer")
    product = make_product(make_seller("uk"), stock=50)
    commerce.add_to_cart(buyer, product.variant_id, 2)
    body = commerce.checkout_body(buyer)
    start = threading.Barrier(20)
    answers: list[tuple[int, Any]] = []

    def send() -> None:
        client = app.test_client()
        start.wait()
        answer = client.post("/api/v1/checkout", json=body, headers={**buyer, "Idempotency-Key": "double-click"})
        answers.append((answer.status_code, answer.json))

    threads = [threading.Thread(target=send) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(status for status, _ in answers)
    assert set(statuses) <= {201, 409} and 201 in statuses, statuses
    placed = [json for status, json in answers if status == 201]
    assert all(json == placed[0] for json in placed)
    assert all(list(json["errors"]) == ["Idempotency-Key"] for status, json in answers if status == 409)
    assert checkouts_of(commerce, "uk", principal.id) == 1
    assert commerce.charges("uk", placed[0]["payment"]["reference"]) == 1
    assert stock_of("uk", product.variant_id) == (48, 0)


def test_a_declined_card_fails_the_checkout_and_gives_everything_back(
    client: Any, login: Any, make_seller: Any, make_product: Any, commerce: Any, stock_of: Any, operator_login: Any,
) -> None:
    principal, buyer = login("uk", "buyer")
    product = make_product(make_seller("uk"), price="20.00", stock=3)
    headers = operator_login(tenants=("uk",)) | {"X-Pasar-Tenant": "uk"}
    client.post("/api/v1/operator/vouchers", json={"code": "ONCEONLY", "kind": "fixed", "value": "2.00", "usage_limit": 1},
                headers=headers)

    failed = commerce.place_order(buyer, (product, 2), vouchers=["ONCEONLY"], details={"card_number": DECLINED_CARD},
                                  expect=402)
    assert failed.body["errors"] == {"payment_method": ["card_declined"]}
    assert failed.body["checkout"]["status"] == "failed"
    assert stock_of("uk", product.variant_id) == (3, 0)
    [order] = orders_of(commerce, "uk", principal.id)
    assert order.status == "cancelled"
    assert [(t.to_status, t.actor_kind) for t in order.transitions] == [("cancelled", "system")]
    with commerce.session("uk") as session:
        assert session.scalar(select(Voucher.used_count).where(Voucher.code == "ONCEONLY")) == 0
    retry = client.post("/api/v1/checkout", json=failed.request, headers={**buyer, "Idempotency-Key": failed.key})
    assert (retry.status_code, retry.json) == (402, failed.body)


def test_a_line_short_of_stock_is_refused_by_name_and_nothing_stays_held(
    login: Any, make_seller: Any, make_product: Any, commerce: Any, stock_of: Any,
) -> None:
    seller = make_seller("uk")
    plenty, scarce = make_product(seller, stock=10), make_product(seller, stock=2)
    _, early = login("uk", "buyer")
    principal, late = login("uk", "buyer")
    commerce.add_to_cart(late, plenty.variant_id, 3)
    commerce.add_to_cart(late, scarce.variant_id, 2)
    commerce.place_order(early, (scarce, 2), method="paypal")  # takes the last two, unpaid

    refused = commerce.submit(late, commerce.checkout_body(late), expect=409)
    cart_lines = {line["variant_id"]: line["id"] for g in commerce.client.get("/api/v1/cart", headers=late).json["groups"]
                  for line in g["lines"]}
    assert list(refused.body["errors"]) == [f"lines.{cart_lines[scarce.variant_id]}"]
    assert refused.body["variant_id"] == scarce.variant_id and refused.body["available"] == 0
    assert stock_of("uk", plenty.variant_id) == (10, 0)
    assert orders_of(commerce, "uk", principal.id) == []


def test_a_checkout_body_cannot_set_prices_statuses_shops_or_tenants(
    app: Any, client: Any, login: Any, make_seller: Any, make_product: Any, commerce: Any, stock_of: Any,
) -> None:
    principal, buyer = login("uk", "buyer")
    product = make_product(make_seller("uk"), price="10.00", stock=5)
    commerce.add_to_cart(buyer, product.variant_id)
    body = commerce.checkout_body(buyer)
    for extra in ({"price": "0.01"}, {"total": {"minor": 1}}, {"status": "paid"}, {"seller_id": 1}, {"tenant_id": 1},
                  {"lines": [{"variant_id": product.variant_id, "unit_price": "0.01"}]}):
        answer = client.post("/api/v1/checkout", json={**body, **extra}, headers={**buyer, "Idempotency-Key": f"mass-{extra}"})
        assert answer.status_code == 422, answer.json
        assert set(answer.json["errors"]) == set(extra)
    assert checkouts_of(commerce, "uk", principal.id) == 0
    assert stock_of("uk", product.variant_id) == (5, 0)
    placed = commerce.submit(buyer, body)
    assert placed.body["orders"][0]["lines"][0]["unit_price"]["amount"] == "10.00"


def test_bad_checkout_input_names_the_field(app: Any, client: Any, login: Any, make_seller: Any, make_product: Any,
                                            commerce: Any) -> None:
    _, buyer = login("uk", "buyer")
    commerce.add_to_cart(buyer, make_product(make_seller("uk")).variant_id)
    address = address_for(app, "uk")
    for body, field in (
        ({"shipping_address": {**address, "line1": ""}, "payment_method": "card"}, "shipping_address.line1"),
        ({"shipping_address": {k: v for k, v in address.items() if k != "city"}, "payment_method": "card"},
         "shipping_address.city"),
        ({"shipping_address": address}, "payment_method"),
        ({"shipping_address": address, "payment_method": "card", "payment_details": {"card_number": 4242}},
         "payment_details.card_number.value"),
    ):
        answer = client.post("/api/v1/checkout", json=body, headers={**buyer, "Idempotency-Key": f"bad-{field}"})
        assert answer.status_code == 422, (body, answer.json)
        assert field in answer.json["errors"], (body, answer.json)
    missing = client.post("/api/v1/checkout", json={"shipping_address": address, "payment_method": "card"},
                          headers={**buyer, "Idempotency-Key": "no-card"})
    assert missing.status_code == 402
    assert "card_number" in missing.json["errors"]["payment_method"][0]


def test_another_buyers_checkout_is_not_found(client: Any, login: Any, make_seller: Any, make_product: Any,
                                              commerce: Any) -> None:
    _, owner = login("uk", "buyer")
    placed = commerce.place_order(owner, make_product(make_seller("uk")))
    _, other = login("uk", "buyer")
    assert client.get(f"/api/v1/checkout/{placed.checkout_id}", headers=other).status_code == 404
    assert client.get(f"/api/v1/checkout/{placed.checkout_id}", headers=owner).json == placed.body
    assert client.get(f"/api/v1/checkout/{placed.checkout_id}/return", headers={"X-Pasar-Tenant": "uk"}).status_code == 404


def test_idempotency_keys_are_purged_after_a_day_and_never_make_a_second_order(
    login: Any, make_seller: Any, make_product: Any, commerce: Any, time_travel: Any,
) -> None:
    from datetime import timedelta

    from pasar.checkout.models import IdempotencyRecord
    from pasar.checkout.tasks import purge_idempotency_keys

    principal, buyer = login("uk", "buyer")
    product = make_product(make_seller("uk"), stock=5)
    first = commerce.place_order(buyer, product, key="daily")
    time_travel(timedelta(hours=23))
    purge_idempotency_keys.delay().get()
    assert commerce.submit(buyer, first.request, key="daily").body == first.body  # still kept

    time_travel(timedelta(hours=2))
    assert purge_idempotency_keys.delay().get() >= 1
    with commerce.session("uk") as session:
        assert session.scalar(select(func.count()).select_from(IdempotencyRecord)
                              .where(IdempotencyRecord.buyer_id == principal.id)) == 0
    commerce.add_to_cart(buyer, product.variant_id)
    late = commerce.submit(buyer, first.request, key="daily", expect=422)
    assert list(late.body["errors"]) == ["Idempotency-Key"]
    assert checkouts_of(commerce, "uk", principal.id) == 1


def test_a_key_left_in_flight_by_a_dead_request_is_answered_from_what_it_stored(
    login: Any, make_seller: Any, make_product: Any, commerce: Any, stock_of: Any,
) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from pasar import clock
    from pasar.checkout.idempotency import request_hash
    from pasar.checkout.models import IdempotencyRecord

    principal, buyer = login("uk", "buyer")
    product = make_product(make_seller("uk"), stock=5)
    placed = commerce.place_order(buyer, product, key="crashed-after-commit")
    with commerce.session("uk") as session:  # as if the process died before storing the answer
        session.execute(update(IdempotencyRecord).where(IdempotencyRecord.key == "crashed-after-commit").values(
            status="in_flight", response_status=None, response_body=None, created_at=clock.now() - timedelta(minutes=6)))
    retried = commerce.submit(buyer, placed.request, key="crashed-after-commit")
    assert retried.body == commerce.checkout(placed)
    assert checkouts_of(commerce, "uk", principal.id) == 1

    commerce.add_to_cart(buyer, product.variant_id)
    body = commerce.checkout_body(buyer)
    with commerce.session("uk") as session:  # died before placing anything
        session.add(IdempotencyRecord(buyer_id=principal.id, key="crashed-before", request_hash=request_hash(body),
                                      status="in_flight", created_at=clock.now() - timedelta(minutes=6)))
    assert commerce.submit(buyer, body, key="crashed-before").status == 201
    assert checkouts_of(commerce, "uk", principal.id) == 2
    assert stock_of("uk", product.variant_id) == (3, 0)


def test_a_crash_after_the_orders_are_committed_leaves_the_payment_to_reconciliation(
    login: Any, make_seller: Any, make_product: Any, commerce: Any, monkeypatch: Any,
) -> None:
    from pasar.payments.tasks import reconcile
    from pasar.sandbox.payments import SandboxGateway

    _, buyer = login("uk", "buyer")
    real_create = SandboxGateway.create_payment

    def crash(self: Any, request: Any) -> Any:
        raise RuntimeError("the plugin fell over")

    monkeypatch.setattr(SandboxGateway, "create_payment", crash)
    placed = commerce.place_order(buyer, make_product(make_seller("uk")), method="paypal")
    assert (placed.payment["status"], placed.payment["outcome_unknown"], placed.payment["action"]) == (
        "pending", True, {"type": "wait"})
    assert placed.body["orders"][0]["status"] == "pending_payment"

    monkeypatch.setattr(SandboxGateway, "create_payment", real_create)
    reconcile()
    after = commerce.checkout(placed)
    assert (after["payment"]["status"], after["payment"]["action"]["type"]) == ("requires_action", "redirect")
    assert commerce.charges("uk", placed.payment["reference"]) == 1


def test_voucher_uses_are_limited_and_come_back_when_a_checkout_is_never_paid(
    client: Any, login: Any, make_seller: Any, make_product: Any, commerce: Any, operator_login: Any, time_travel: Any,
) -> None:
    from datetime import timedelta

    from pasar.payments.tasks import expire_unpaid

    headers = operator_login(tenants=("uk",)) | {"X-Pasar-Tenant": "uk"}
    client.post("/api/v1/operator/vouchers", headers=headers,
                json={"code": "LASTONE", "kind": "fixed", "value": "1.00", "usage_limit": 1})
    client.post("/api/v1/operator/vouchers", headers=headers,
                json={"code": "ONEEACH", "kind": "percent", "value": "10", "per_buyer_limit": 1})
    product = make_product(make_seller("uk"), price="10.00", stock=10)
    _, first = login("uk", "buyer")
    _, second = login("uk", "buyer")

    unpaid = commerce.place_order(first, product, method="paypal", vouchers=["LASTONE"])
    assert unpaid.body["totals"]["discount"]["minor"] == 100
    taken = commerce.place_order(second, product, vouchers=["LASTONE"], expect=422)
    assert taken.body["errors"] == {"vouchers": ["LASTONE: fully used"]}

    commerce.place_order(first, product, vouchers=["ONEEACH"])
    again = commerce.place_order(first, product, vouchers=["ONEEACH"], expect=422)
    assert again.body["errors"] == {"vouchers": ["ONEEACH: you have used it as often as allowed"]}
    assert commerce.place_order(second, product, vouchers=["ONEEACH"]).status == 201

    time_travel(timedelta(minutes=31))
    expire_unpaid()  # the first buyer never paid: the last use is free again
    commerce.add_to_cart(second, product.variant_id)
    assert commerce.submit(second, taken.request).body["totals"]["discount"]["minor"] == 100


def test_a_shop_lists_only_its_own_vouchers(client: Any, make_seller: Any) -> None:
    mine, theirs = make_seller("uk"), make_seller("uk")
    for shop, code in ((mine, "MINE-5"), (theirs, "THEIRS-5")):
        created = client.post("/api/v1/seller/vouchers", json={"code": code, "kind": "percent", "value": "5"},
                              headers=shop.headers)
        assert (created.status_code, created.json["scope"], created.json["seller_id"]) == (201, "seller", shop.id)
    listed = client.get("/api/v1/seller/vouchers", headers=mine.headers).json
    assert [v["code"] for v in listed] == ["MINE-5"]
    pending = make_seller("uk", status="pending")
    refused = client.post("/api/v1/seller/vouchers", json={"code": "EARLY", "kind": "percent", "value": "5"},
                          headers=pending.headers)
    assert refused.status_code == 403


def test_cash_on_delivery_over_its_cap_cannot_be_placed(app: Any, login: Any, make_seller: Any, make_product: Any,
                                                        commerce: Any, stock_of: Any) -> None:
    principal, buyer = login("id", "buyer")
    product = make_product(make_seller("id"), price="6000000", stock=2)
    refused = commerce.place_order(buyer, product, method="cod", expect=422)
    assert list(refused.body["errors"]) == ["payment_method"]
    assert stock_of("id", product.variant_id) == (2, 0)
    assert checkouts_of(commerce, "id", principal.id) == 0
    placed = commerce.submit(buyer, {**refused.request, "payment_method": "va_bca"})
    assert placed.payment["action"]["type"] == "instructions"


def test_cash_on_delivery_is_offered_for_several_shops_one_order_each(
    app: Any, client: Any, login: Any, make_seller: Any, make_product: Any, commerce: Any, stock_of: Any,
) -> None:
    """Each shop's parcel is collected at its own door; payments captures the checkout per order."""
    _, buyer = login("vn", "buyer")
    first, second = make_product(make_seller("vn"), price="150000"), make_product(make_seller("vn"), price="90000")
    for product in (first, second):
        commerce.add_to_cart(buyer, product.variant_id)
    quoted = client.post("/api/v1/checkout/quote", json={"shipping_address": address_for(app, "vn")}, headers=buyer)
    assert quoted.status_code == 200, quoted.json
    assert "cod" in {m["code"] for m in quoted.json["payment_methods"]}
    placed = commerce.submit(buyer, commerce.checkout_body(buyer, method="cod"))
    assert len(placed.order_ids) == 2
    assert placed.payment["action"]["type"] == "cash_on_delivery" and placed.payment["status"] == "pending"
    assert stock_of("vn", first.variant_id) == (10, 1) and stock_of("vn", second.variant_id) == (10, 1)


def test_the_cash_on_delivery_cap_applies_to_the_whole_checkout_of_several_shops(
    app: Any, login: Any, make_seller: Any, make_product: Any, commerce: Any, stock_of: Any,
) -> None:
    """Two parcels each under the cap are refused together when their sum is above it."""
    _, buyer = login("id", "buyer")
    first, second = make_product(make_seller("id"), price="3000000"), make_product(make_seller("id"), price="3000000")
    refused = commerce.place_order(buyer, first, second, method="cod", expect=422)
    assert list(refused.body["errors"]) == ["payment_method"]
    assert "only for totals up to" in refused.body["errors"]["payment_method"][0]
    assert stock_of("id", first.variant_id) == (10, 0)


def test_a_refusal_is_kept_with_its_key_and_a_retry_gets_it_again_without_placing_anything(
    client: Any, login: Any, make_seller: Any, make_product: Any, commerce: Any, stock_of: Any,
) -> None:
    seller = make_seller("uk")
    scarce = make_product(seller, stock=2)
    _, early = login("uk", "buyer")
    principal, late = login("uk", "buyer")
    commerce.add_to_cart(late, scarce.variant_id, 2)
    body = commerce.checkout_body(late)
    commerce.place_order(early, (scarce, 2), method="paypal")  # takes the last two, unpaid

    refused = commerce.submit(late, body, key="short-of-stock", expect=409)
    # Everything the refused placement wrote was rolled back, its key's record too; the
    # refusal is then kept with the key on its own, and the same request is answered from it.
    again = client.post("/api/v1/checkout", json=body, headers={**late, "Idempotency-Key": "short-of-stock"})
    assert (again.status_code, again.json) == (409, refused.body)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert orders_of(commerce, "uk", principal.id) == []
    assert checkouts_of(commerce, "uk", principal.id) == 0
    assert stock_of("uk", scarce.variant_id) == (2, 2)
