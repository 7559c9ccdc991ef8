"""Another tenant's, shop's or creator's collaboration objects answer 404 and stay unchanged
(the creators' part of ``tests/security/test_object_isolation.py``, whose ``World`` does not
make offers, collaborations, creators or links)."""
from __future__ import annotations

from typing import Any


def test_another_tenants_creator_offer_collaboration_and_link_are_not_found(
    client: Any, make_seller: Any, make_product: Any, make_creator: Any, collaborate: Any,
) -> None:
    seller = make_seller("de")
    product, creator = make_product(seller), make_creator("de")
    collaboration_id = collaborate(seller, product, creator)
    offer_id = client.get("/api/v1/seller/collaboration-offers", headers=seller.headers).get_json()[0]["id"]
    code = client.post("/api/v1/creator/links", json={"product_id": product.id},
                       headers=creator.headers).get_json()["code"]
    uk_seller, uk_creator = make_seller("uk"), make_creator("uk")
    answers = [
        client.get(f"/api/v1/creators/{creator.id}", headers=uk_creator.headers),
        client.post(f"/api/v1/creators/{creator.id}/follow", headers=uk_creator.headers),
        client.post(f"/api/v1/collaboration-offers/{offer_id}/apply", headers=uk_creator.headers),
        client.post(f"/api/v1/creator/collaborations/{collaboration_id}/decline", headers=uk_creator.headers),
        client.post(f"/api/v1/seller/collaborations/{collaboration_id}/reject", headers=uk_seller.headers),
        client.post(f"/api/v1/seller/collaboration-offers/{offer_id}/withdraw", headers=uk_seller.headers),
        client.get(f"/api/v1/r/{code}", headers=uk_creator.headers),
    ]
    assert [a.status_code for a in answers] == [404] * len(answers)
    still = client.get("/api/v1/creator/collaborations", headers=creator.headers).get_json()[0]
    assert still["id"] == collaboration_id and still["status"] == "active"
    assert client.get("/api/v1/creator/links", headers=creator.headers).get_json()[0]["clicks"] == 0


def test_another_shops_offer_and_another_creators_invitation_are_not_found(
    client: Any, make_seller: Any, make_product: Any, make_creator: Any, collaborate: Any,
) -> None:
    seller, stranger = make_seller("uk"), make_seller("uk")
    product, creator, other = make_product(seller), make_creator("uk"), make_creator("uk")
    collaboration_id = collaborate(seller, product, creator)
    offer_id = client.get("/api/v1/seller/collaboration-offers", headers=seller.headers).get_json()[0]["id"]
    assert client.post(f"/api/v1/seller/collaboration-offers/{offer_id}/withdraw",
                       headers=stranger.headers).status_code == 404
    assert client.post(f"/api/v1/creator/collaborations/{collaboration_id}/decline",
                       headers=other.headers).status_code == 404
    assert client.post(f"/api/v1/collaboration-offers/{offer_id}/apply", headers=other.headers).status_code == 404
