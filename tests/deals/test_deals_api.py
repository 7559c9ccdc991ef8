"""Sellers create, list and end deals; anyone lists the deals running now; markets without
``flash_sales`` have no such routes."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from pasar.testing.deals_factories import deal_body


def test_a_seller_creates_a_deal_that_holds_its_quota_from_stock(
    client: Any, make_seller: Any, make_product: Any, make_deal: Any, stock_of: Any,
) -> None:
    product = make_product(make_seller("uk"), price="10.00", stock=20)

    deal = make_deal(product, price="6.50", quota=8, per_buyer_limit=2)

    assert (deal["price"], deal["regular_price"], deal["quota"], deal["left"], deal["status"]) == ("6.50", "10.00", 8, 8, "active")
    assert stock_of("uk", product.variant_id) == (20, 8)
    listed = client.get("/api/v1/seller/deals", headers=product.seller.headers)
    assert [d["id"] for d in listed.json] == [deal["id"]]


def test_the_public_list_shows_only_deals_running_now(client: Any, make_seller: Any, make_product: Any, make_deal: Any) -> None:
    seller = make_seller("uk")
    running = make_deal(make_product(seller, stock=5), quota=2, per_buyer_limit=1)
    make_deal(make_product(seller, stock=5), quota=2, per_buyer_limit=1, starts_in=timedelta(hours=2))
    ended = make_deal(make_product(seller, stock=5), quota=2, per_buyer_limit=1)
    assert client.post(f"/api/v1/seller/deals/{ended['id']}/end", headers=seller.headers).status_code == 200

    shown = {d["id"] for d in client.get("/api/v1/deals", headers={"X-Pasar-Tenant": "uk"}).json if d["seller_id"] == seller.id}

    assert shown == {running["id"]}


def test_ending_a_deal_gives_the_unclaimed_units_back_once(
    client: Any, make_seller: Any, make_product: Any, make_deal: Any, stock_of: Any,
) -> None:
    product = make_product(make_seller("uk"), stock=10)
    deal = make_deal(product, quota=4, per_buyer_limit=1)

    ended = client.post(f"/api/v1/seller/deals/{deal['id']}/end", headers=product.seller.headers)
    again = client.post(f"/api/v1/seller/deals/{deal['id']}/end", headers=product.seller.headers)

    assert (ended.status_code, ended.json["status"], ended.json["released"]) == (200, "ended", 4)
    assert stock_of("uk", product.variant_id) == (10, 0)
    assert again.status_code == 409 and "status" in again.json["errors"]


def test_another_sellers_variant_or_deal_is_not_found(client: Any, make_seller: Any, make_product: Any, make_deal: Any) -> None:
    mine, theirs = make_seller("uk"), make_seller("uk")
    their_product = make_product(theirs, stock=5)
    their_deal = make_deal(their_product, quota=2, per_buyer_limit=1)

    created = client.post("/api/v1/seller/deals", json=deal_body(their_product.variant_id, quota=1, per_buyer_limit=1), headers=mine.headers)
    ended = client.post(f"/api/v1/seller/deals/{their_deal['id']}/end", headers=mine.headers)

    assert created.status_code == 404 and "variant_id" in created.json["errors"]
    assert ended.status_code == 404 and "deal_id" in ended.json["errors"]


def test_bad_terms_are_refused_naming_the_field(client: Any, make_seller: Any, make_product: Any, stock_of: Any) -> None:
    product = make_product(make_seller("uk"), price="10.00", stock=5)
    variant, headers = product.variant_id, product.seller.headers
    cases = [
        (deal_body(variant, price="10.00", quota=1, per_buyer_limit=1), 422, "price"),
        (deal_body(variant, kind="live", quota=1, per_buyer_limit=1), 422, "live_session_id"),
        (deal_body(variant, quota=2, per_buyer_limit=3), 422, "per_buyer_limit"),
        (deal_body(variant, starts_in=timedelta(hours=-3), lasts=timedelta(hours=1), quota=1, per_buyer_limit=1), 422, "ends_at"),
        (deal_body(variant, quota=6, per_buyer_limit=1), 409, "quota"),
        ({**deal_body(variant, quota=1, per_buyer_limit=1), "claimed": 0}, 422, "claimed"),
    ]
    for body, status, field in cases:
        answer = client.post("/api/v1/seller/deals", json=body, headers=headers)
        assert (answer.status_code, field in answer.json["errors"]) == (status, True), (field, answer.json)
    assert stock_of("uk", variant) == (5, 0)  # nothing was held by a refused deal


def test_a_live_deal_names_a_live_session_that_shows_the_product(
    client: Any, make_seller: Any, make_product: Any, make_deal: Any, make_live: Any,
) -> None:
    shop = make_seller("uk")
    product, other = make_product(shop, stock=5), make_product(shop, stock=5)
    room = make_live(shop, [product])
    over = make_live(shop, [other], status="ended")

    deal = make_deal(product, kind="live", live_session_id=room.id, quota=2, per_buyer_limit=1)
    refused = [
        client.post("/api/v1/seller/deals", json=deal_body(other.variant_id, kind="live", live_session_id=live_id,
                                                            quota=1, per_buyer_limit=1), headers=shop.headers)
        for live_id in (room.id, over.id, 999999)  # not in the showcase, ended, unknown
    ]

    assert (deal["kind"], deal["live_session_id"]) == ("live", room.id)
    assert [(r.status_code, list(r.json["errors"])) for r in refused] == [(422, ["live_session_id"])] * 3


def test_deals_do_not_exist_where_flash_sales_are_off(client: Any, login: Any) -> None:
    _, seller_headers = login("nl", "seller")

    public = client.get("/api/v1/deals", headers={"X-Pasar-Tenant": "nl"})
    seller = client.get("/api/v1/seller/deals", headers=seller_headers)

    assert public.status_code == 404 and public.json["feature"] == "flash_sales"
    assert seller.status_code == 404
