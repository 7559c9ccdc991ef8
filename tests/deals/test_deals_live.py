"""Live deals are for the room: the deal price (and the units the deal holds) only for a cart
line added in the deal's live session, and only while that session is on air. Everyone else —
and the same line once the stream has ended — pays the normal price."""
from __future__ import annotations

from typing import Any

from pasar.deals.models import Deal


def in_room(client: Any, buyer: dict[str, str], variant_id: int, live_id: int, quantity: int = 1) -> Any:
    """Add to the cart from the live room (what the room's buy button sends)."""
    body = {"variant_id": variant_id, "quantity": quantity, "source_kind": "live", "source_id": live_id}
    return client.post("/api/v1/cart/lines", json=body, headers=buyer)


def quoted_price(client: Any, app: Any, buyer: dict[str, str]) -> str:
    from pasar.testing.commerce_factories import address_for

    answer = client.post("/api/v1/checkout/quote", json={"shipping_address": address_for(app, "uk")}, headers=buyer)
    assert answer.status_code == 200, answer.json
    return str(answer.json["groups"][0]["lines"][0]["unit_price"]["amount"])


def claimed(commerce: Any, deal_id: int) -> int:
    with commerce.session("uk") as session:
        return session.get_one(Deal, deal_id).claimed


def test_a_live_deal_prices_only_the_lines_added_in_its_room(
    app: Any, client: Any, login: Any, make_seller: Any, make_product: Any, make_live: Any, make_deal: Any,
    commerce: Any,
) -> None:
    shop = make_seller("uk")
    product = make_product(shop, price="10.00", stock=20)
    room = make_live(shop, [product], status="live")
    deal = make_deal(product, kind="live", live_session_id=room.id, price="6.00", quota=5, per_buyer_limit=2)
    _, watching = login("uk", "buyer")
    _, elsewhere = login("uk", "buyer")
    added = in_room(client, watching, product.variant_id, room.id)
    commerce.add_to_cart(elsewhere, product.variant_id)

    prices = quoted_price(client, app, watching), quoted_price(client, app, elsewhere)
    bought = [commerce.submit(b, commerce.checkout_body(b)).body["orders"][0]["lines"][0]["unit_price"]["amount"]
              for b in (watching, elsewhere)]

    assert added.status_code == 201 and added.json["groups"][0]["lines"][0]["live_session_id"] == room.id
    assert prices == ("6.00", "10.00") and bought == ["6.00", "10.00"]
    assert claimed(commerce, deal["id"]) == 1


def test_a_line_from_the_room_pays_the_normal_price_once_the_stream_ended(
    app: Any, client: Any, login: Any, make_seller: Any, make_product: Any, make_live: Any, make_deal: Any,
    commerce: Any,
) -> None:
    shop = make_seller("uk")
    product = make_product(shop, price="10.00", stock=20)
    room = make_live(shop, [product], status="live")
    deal = make_deal(product, kind="live", live_session_id=room.id, price="6.00", quota=5, per_buyer_limit=2)
    _, buyer = login("uk", "buyer")
    assert in_room(client, buyer, product.variant_id, room.id).status_code == 201
    assert quoted_price(client, app, buyer) == "6.00"

    ended = client.post(f"/api/v1/live/{room.id}/end", json={"replay_url": "https://media.example/r.mp4"},
                        headers=shop.headers)
    placed = commerce.submit(buyer, commerce.checkout_body(buyer))

    assert ended.status_code == 200, ended.json
    assert placed.body["orders"][0]["lines"][0]["unit_price"]["amount"] == "10.00"
    assert claimed(commerce, deal["id"]) == 0


def test_units_a_live_deal_holds_are_for_the_room_only(
    client: Any, login: Any, make_seller: Any, make_product: Any, make_live: Any, make_deal: Any,
) -> None:
    shop = make_seller("uk")
    product = make_product(shop, price="10.00", stock=4)
    room = make_live(shop, [product], status="live")
    make_deal(product, kind="live", live_session_id=room.id, price="6.00", quota=4, per_buyer_limit=2)
    _, watching = login("uk", "buyer")
    _, elsewhere = login("uk", "buyer")

    outside = client.post("/api/v1/cart/lines", json={"variant_id": product.variant_id}, headers=elsewhere)
    inside = in_room(client, watching, product.variant_id, room.id, quantity=2)

    assert outside.status_code == 409 and "quantity" in outside.json["errors"]
    assert inside.status_code == 201, inside.json


def test_buying_from_a_room_off_air_or_not_showing_the_product_is_refused(
    client: Any, login: Any, make_seller: Any, make_product: Any, make_live: Any,
) -> None:
    shop = make_seller("uk")
    product, other = make_product(shop), make_product(shop)
    coming = make_live(shop, [product])
    on_air = make_live(shop, [other], status="live")
    _, buyer = login("uk", "buyer")

    answers = [in_room(client, buyer, product.variant_id, live_id) for live_id in (coming.id, on_air.id, 999999)]
    half = client.post("/api/v1/cart/lines", json={"variant_id": product.variant_id, "source_kind": "live"},
                       headers=buyer)

    assert [(a.status_code, list(a.json["errors"])) for a in answers] == [(422, ["source_id"])] * 3
    assert half.status_code == 422 and "source_id" in half.json["errors"]
    assert client.get("/api/v1/cart", headers=buyer).json["item_count"] == 0
