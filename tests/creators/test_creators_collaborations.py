"""Collaborations: shops' open offers and invitations, creators' applications and acceptances,
and ``may_promote`` — an active collaboration, or the creator's own shop."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pasar import clock
from pasar.creators import service
from pasar.testing.catalog_factories import tenant_context


def may_promote(app: Any, creator: Any, product: Any, at: datetime | None = None) -> bool:
    tenant = tenant_context(app, creator.tenant)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        return service.may_promote(session, tenant, creator.id, product.id, at or clock.now())


def in_days(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


def offer(client: Any, seller: Any, product: Any, expect: int = 201, **fields: Any) -> dict[str, Any]:
    body = {"product_id": product.id, "commission_rate": "0.15", "ends_at": in_days(30), **fields}
    answer = client.post("/api/v1/seller/collaboration-offers", json=body, headers=seller.headers)
    assert answer.status_code == expect, answer.get_json()
    return dict(answer.get_json())


def test_an_invited_creator_may_promote_once_it_accepts(app: Any, client: Any, make_seller: Any, make_product: Any,
                                                        make_creator: Any) -> None:
    seller = make_seller("uk")
    product = make_product(seller)
    creator, other = make_creator("uk"), make_creator("uk")
    made = offer(client, seller, product, creator_id=creator.id)
    assert made["commission_rate"] == "0.1500" and made["creator_id"] == creator.id
    invitation = client.get("/api/v1/creator/collaborations?status=invited", headers=creator.headers).get_json()[0]
    assert invitation["offer_id"] == made["id"] and not may_promote(app, creator, product)
    assert client.post(f"/api/v1/creator/collaborations/{invitation['id']}/accept",
                       headers=other.headers).status_code == 404
    accepted = client.post(f"/api/v1/creator/collaborations/{invitation['id']}/accept", headers=creator.headers)
    assert accepted.status_code == 200 and accepted.get_json()["status"] == "active"
    again = client.post(f"/api/v1/creator/collaborations/{invitation['id']}/accept", headers=creator.headers)
    assert again.status_code == 409
    assert may_promote(app, creator, product) and not may_promote(app, other, product)


def test_a_declined_invitation_gives_no_right_to_promote(app: Any, client: Any, make_seller: Any,
                                                         make_product: Any, make_creator: Any) -> None:
    seller = make_seller("uk")
    product, creator = make_product(seller), make_creator("uk")
    offer(client, seller, product, creator_id=creator.id)
    invitation = client.get("/api/v1/creator/collaborations", headers=creator.headers).get_json()[0]
    declined = client.post(f"/api/v1/creator/collaborations/{invitation['id']}/decline", headers=creator.headers)
    assert declined.get_json()["status"] == "declined" and not may_promote(app, creator, product)


def test_creators_apply_to_open_offers_and_the_shop_decides(app: Any, client: Any, make_seller: Any,
                                                            make_product: Any, make_creator: Any) -> None:
    seller, stranger = make_seller("uk"), make_seller("uk")
    product = make_product(seller)
    chosen, refused = make_creator("uk"), make_creator("uk")
    made = offer(client, seller, product, commission_rate="0.2")
    listed = client.get(f"/api/v1/collaboration-offers?product_id={product.id}", headers=chosen.headers).get_json()
    assert [o["id"] for o in listed] == [made["id"]]
    applications = [client.post(f"/api/v1/collaboration-offers/{made['id']}/apply", headers=c.headers)
                    for c in (chosen, refused)]
    assert [a.status_code for a in applications] == [201, 201]
    assert client.post(f"/api/v1/collaboration-offers/{made['id']}/apply", headers=chosen.headers).status_code == 409
    first, second = (a.get_json()["id"] for a in applications)
    assert client.post(f"/api/v1/seller/collaborations/{first}/approve", headers=stranger.headers).status_code == 404
    waiting = client.get("/api/v1/seller/collaborations?status=applied", headers=seller.headers).get_json()
    assert {c["id"] for c in waiting} == {first, second}
    assert client.post(f"/api/v1/seller/collaborations/{first}/approve", headers=seller.headers).status_code == 200
    assert client.post(f"/api/v1/seller/collaborations/{second}/reject", headers=seller.headers).status_code == 200
    assert may_promote(app, chosen, product) and not may_promote(app, refused, product)


def test_a_withdrawn_offer_ends_the_right_to_promote_but_not_the_past(app: Any, client: Any, make_seller: Any,
                                                                      make_product: Any, make_creator: Any,
                                                                      collaborate: Any) -> None:
    seller = make_seller("uk")
    product, creator = make_product(seller), make_creator("uk")
    collaborate(seller, product, creator)
    before = clock.now()
    offer_id = client.get("/api/v1/seller/collaboration-offers", headers=seller.headers).get_json()[0]["id"]
    withdrawn = client.post(f"/api/v1/seller/collaboration-offers/{offer_id}/withdraw", headers=seller.headers)
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"
    assert not may_promote(app, creator, product)
    assert may_promote(app, creator, product, before)
    assert client.post(f"/api/v1/seller/collaboration-offers/{offer_id}/withdraw",
                       headers=seller.headers).status_code == 409


def test_a_creator_may_promote_its_own_shops_products(app: Any, make_seller: Any, make_product: Any,
                                                      make_creator: Any) -> None:
    seller = make_seller("uk")
    product = make_product(seller)
    owner = make_creator("uk", owner=seller)
    assert may_promote(app, owner, product)
    assert not may_promote(app, make_creator("uk"), product)


def test_an_offer_names_only_the_shops_own_product_and_a_sane_rate(client: Any, make_seller: Any,
                                                                   make_product: Any, make_creator: Any) -> None:
    seller, other = make_seller("uk"), make_seller("uk")
    theirs = make_product(other)
    mine = make_product(seller)
    missing = offer(client, seller, theirs, expect=404)
    assert "product_id" in missing["errors"]
    greedy = offer(client, seller, mine, expect=422, commission_rate="0.6")
    assert "commission_rate" in greedy["errors"]
    backwards = offer(client, seller, mine, expect=422, starts_at=in_days(3), ends_at=in_days(2))
    assert "ends_at" in backwards["errors"]
    forged = offer(client, seller, mine, expect=422, seller_id=other.id)
    assert "seller_id" in forged["errors"]
    assert offer(client, seller, mine, expect=404, creator_id=10**9)["errors"].keys() == {"creator_id"}


def test_only_creators_browse_offers_and_only_shops_publish(client: Any, login: Any, make_creator: Any) -> None:
    _, buyer = login("uk", "buyer")
    assert client.get("/api/v1/collaboration-offers", headers=buyer).status_code == 403
    creator = make_creator("uk")
    answer = client.post("/api/v1/seller/collaboration-offers", headers=creator.headers,
                         json={"product_id": 1, "commission_rate": "0.1", "ends_at": in_days(1)})
    assert answer.status_code == 403
