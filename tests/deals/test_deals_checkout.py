"""Checkout with a deal: the deal price in the quote and the order, the per-buyer limit (429)
and the quota (409) refused by line — never the normal price instead — and the units handed
back to the deal when the order is cancelled or its payment fails."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from pasar import clock
from pasar.catalog.service import release_stock, reserve_stock
from pasar.deals import service as deals
from pasar.deals.models import Deal, DealClaim
from pasar.testing.accounts_factories import tenant_context
from pasar.testing.commerce_factories import DECLINED_CARD, address_for


def quote(client: Any, app: Any, buyer: dict[str, str]) -> Any:
    return client.post("/api/v1/checkout/quote", json={"shipping_address": address_for(app, "uk")}, headers=buyer)


def cart_line(answer: Any) -> int:
    """The id of the only line in the cart an add-to-cart answered."""
    return int(answer.json["groups"][0]["lines"][0]["id"])


def deal_state(commerce: Any, deal_id: int) -> tuple[int, int, list[str]]:
    """(quota, claimed, claim statuses) of a deal as stored."""
    with commerce.session("uk") as session:
        deal = session.get_one(Deal, deal_id)
        statuses = list(session.scalars(select(DealClaim.status).where(DealClaim.deal_id == deal_id).order_by(DealClaim.id)))
        return deal.quota, deal.claimed, statuses


def test_the_quote_and_the_order_use_the_deal_price(
    app: Any, client: Any, login: Any, make_seller: Any, make_product: Any, make_deal: Any, commerce: Any, stock_of: Any,
) -> None:
    product = make_product(make_seller("uk"), price="10.00", stock=20)
    deal = make_deal(product, price="6.00", quota=5, per_buyer_limit=2)
    _, buyer = login("uk", "buyer")
    commerce.add_to_cart(buyer, product.variant_id, 2)

    quoted = quote(client, app, buyer)
    placed = commerce.submit(buyer, commerce.checkout_body(buyer))

    line = quoted.json["groups"][0]["lines"][0]
    assert (line["unit_price"]["amount"], line["subtotal"]["amount"]) == ("6.00", "12.00")
    assert placed.body["orders"][0]["lines"][0]["unit_price"]["amount"] == "6.00"
    assert deal_state(commerce, deal["id"]) == (5, 2, ["used"])  # the card was captured at once
    assert stock_of("uk", product.variant_id) == (18, 3)  # two sold, three still held for the deal


def test_units_held_for_a_deal_can_be_put_in_the_cart_and_bought(
    app: Any, login: Any, make_seller: Any, make_product: Any, make_deal: Any, commerce: Any, stock_of: Any,
) -> None:
    """Every unit is held by the deal (nothing left on the open shelf): buyers still get them."""
    product = make_product(make_seller("uk"), price="10.00", stock=4)
    deal = make_deal(product, price="6.00", quota=4, per_buyer_limit=2)
    _, buyer = login("uk", "buyer")
    commerce.add_to_cart(buyer, product.variant_id, 2)

    placed = commerce.submit(buyer, commerce.checkout_body(buyer))

    assert placed.body["orders"][0]["lines"][0]["unit_price"]["amount"] == "6.00"
    assert deal_state(commerce, deal["id"]) == (4, 2, ["used"])
    assert stock_of("uk", product.variant_id) == (2, 2)


def test_a_deal_outside_its_window_is_not_applied(
    app: Any, client: Any, login: Any, make_seller: Any, make_product: Any, make_deal: Any, commerce: Any,
) -> None:
    product = make_product(make_seller("uk"), price="10.00", stock=20)
    deal = make_deal(product, price="6.00", quota=5, per_buyer_limit=2, starts_in=timedelta(hours=1))
    _, buyer = login("uk", "buyer")
    commerce.add_to_cart(buyer, product.variant_id)

    quoted = quote(client, app, buyer)
    placed = commerce.submit(buyer, commerce.checkout_body(buyer))

    assert quoted.json["groups"][0]["lines"][0]["unit_price"]["amount"] == "10.00"
    assert placed.body["orders"][0]["lines"][0]["unit_price"]["amount"] == "10.00"
    assert deal_state(commerce, deal["id"]) == (5, 0, [])


def test_over_the_per_buyer_limit_is_429_naming_the_line(
    app: Any, client: Any, login: Any, make_seller: Any, make_product: Any, make_deal: Any, commerce: Any,
) -> None:
    product = make_product(make_seller("uk"), stock=20)
    deal = make_deal(product, quota=10, per_buyer_limit=2)
    _, buyer = login("uk", "buyer")
    line_id = cart_line(commerce.add_to_cart(buyer, product.variant_id, 3))

    quoted = quote(client, app, buyer)
    placed = commerce.submit(buyer, commerce.checkout_body(buyer), expect=429)

    for answer in (quoted.json, placed.body):
        assert answer["status"] == 429 and list(answer["errors"]) == [f"lines.{line_id}"]
    assert (placed.body["deal_id"], placed.body["variant_id"]) == (deal["id"], product.variant_id)
    assert deal_state(commerce, deal["id"]) == (10, 0, [])


def test_a_sold_out_deal_is_409_and_never_the_normal_price(
    app: Any, client: Any, login: Any, make_seller: Any, make_product: Any, make_deal: Any, commerce: Any,
) -> None:
    product = make_product(make_seller("uk"), price="10.00", stock=20)
    deal = make_deal(product, price="6.00", quota=1, per_buyer_limit=1)
    _, first = login("uk", "buyer")
    _, second = login("uk", "buyer")
    commerce.place_order(first, product)
    line_id = cart_line(commerce.add_to_cart(second, product.variant_id))

    quoted = quote(client, app, second)
    placed = commerce.submit(second, commerce.checkout_body(second), expect=409)

    for answer in (quoted.json, placed.body):
        assert answer["status"] == 409 and answer["errors"] == {f"lines.{line_id}": ["the deal sold out"]}
    assert deal_state(commerce, deal["id"]) == (1, 1, ["used"])


def test_cancelling_an_unpaid_order_gives_its_units_back_to_the_deal(
    client: Any, login: Any, make_seller: Any, make_product: Any, make_deal: Any, commerce: Any, stock_of: Any,
) -> None:
    product = make_product(make_seller("uk"), stock=20)
    deal = make_deal(product, quota=5, per_buyer_limit=2)
    _, buyer = login("uk", "buyer")
    placed = commerce.place_order(buyer, product, quantity=2, method="paypal")  # waits for the buyer's approval
    assert deal_state(commerce, deal["id"]) == (5, 2, ["held"])

    cancelled = client.post(f"/api/v1/orders/{placed.order_ids[0]}/cancel", json={}, headers=buyer)

    assert cancelled.status_code == 200, cancelled.json
    assert deal_state(commerce, deal["id"]) == (5, 0, ["released"])
    assert stock_of("uk", product.variant_id) == (20, 5)  # all five held for the deal again
    commerce.place_order(buyer, product, quantity=2)  # the buyer's limit counts the released units no more


def test_a_failed_payment_releases_the_claim(
    login: Any, make_seller: Any, make_product: Any, make_deal: Any, commerce: Any, stock_of: Any,
) -> None:
    product = make_product(make_seller("uk"), stock=20)
    deal = make_deal(product, quota=5, per_buyer_limit=2)
    _, buyer = login("uk", "buyer")

    commerce.place_order(buyer, product, details={"card_number": DECLINED_CARD}, expect=402)

    assert deal_state(commerce, deal["id"]) == (5, 0, ["released"])
    assert stock_of("uk", product.variant_id) == (20, 5)


def test_a_claim_released_after_the_deal_ended_goes_back_to_the_shelf(
    client: Any, login: Any, make_seller: Any, make_product: Any, make_deal: Any, commerce: Any, stock_of: Any,
) -> None:
    product = make_product(make_seller("uk"), stock=20)
    deal = make_deal(product, quota=5, per_buyer_limit=2)
    _, buyer = login("uk", "buyer")
    placed = commerce.place_order(buyer, product, quantity=2, method="paypal")
    ended = client.post(f"/api/v1/seller/deals/{deal['id']}/end", headers=product.seller.headers)
    assert (ended.json["released"], stock_of("uk", product.variant_id)) == (3, (20, 2))

    client.post(f"/api/v1/orders/{placed.order_ids[0]}/cancel", json={}, headers=buyer)

    assert deal_state(commerce, deal["id"]) == (5, 0, ["released"])
    assert stock_of("uk", product.variant_id) == (20, 0)


def test_a_deal_that_cannot_hold_released_units_again_lowers_its_quota(
    app: Any, login: Any, make_seller: Any, make_product: Any, make_deal: Any, commerce: Any, stock_of: Any,
) -> None:
    product = make_product(make_seller("uk"), stock=8)
    deal = make_deal(product, quota=5, per_buyer_limit=2)
    _, buyer = login("uk", "buyer")
    placed = commerce.place_order(buyer, product, quantity=2, method="paypal")
    tenant = tenant_context(app, "uk")
    with commerce.session("uk") as session:
        # The order's hold is lost and every free unit sold elsewhere: nothing to hold again.
        assert release_stock(session, tenant, product.variant_id, 2)
        assert reserve_stock(session, tenant, product.variant_id, 5)
        deals.release_orders(session, tenant, placed.order_ids, clock.now())

    assert deal_state(commerce, deal["id"]) == (3, 0, ["released"])
    assert stock_of("uk", product.variant_id) == (8, 8)
