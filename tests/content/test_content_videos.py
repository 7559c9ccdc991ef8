"""Posting videos with product anchors, moderation, and who sees what."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from pasar.content.models import VideoAnchor

MEDIA = "https://media.example/clip.mp4"


def post(client: Any, headers: dict[str, str], **body: Any) -> Any:
    return client.post("/api/v1/videos", json={"media_url": MEDIA, "language": "en_GB", **body}, headers=headers)


def test_seller_posts_video_with_anchors_in_order(client, db, make_seller, make_product):
    shop = make_seller("uk")
    first, second = make_product(shop), make_product(shop)
    answer = post(client, shop.headers, caption="New in", product_ids=[second.id, first.id])
    assert answer.status_code == 201, answer.json
    assert answer.json["moderation"] == "pending"
    assert answer.json["author_kind"] == "seller" and answer.json["seller_id"] == shop.id
    assert [a["product_id"] for a in answer.json["anchors"]] == [second.id, first.id]
    with db.session(all_tenants=True) as session:
        rows = session.scalars(select(VideoAnchor).where(VideoAnchor.video_id == answer.json["id"])).all()
        assert sorted((r.position, r.product_id) for r in rows) == [(0, second.id), (1, first.id)]


def test_more_than_six_anchors_is_refused(client, make_seller, make_product):
    shop = make_seller("uk")
    products = [make_product(shop).id for _ in range(7)]
    answer = post(client, shop.headers, product_ids=products)
    assert answer.status_code == 422
    assert "product_ids" in str(answer.json["errors"])


def test_seller_cannot_anchor_another_shops_product(client, make_seller, make_product):
    shop, other = make_seller("uk"), make_seller("uk")
    own, foreign = make_product(shop), make_product(other)
    answer = post(client, shop.headers, product_ids=[own.id, foreign.id])
    assert answer.status_code == 422
    assert "your shop" in answer.json["errors"]["product_ids.1"][0]


def test_inactive_products_and_unapproved_shops_cannot_be_anchored(client, make_seller, make_product):
    shop = make_seller("uk")
    draft = make_product(shop, status="draft")
    answer = post(client, shop.headers, product_ids=[draft.id])
    assert answer.status_code == 422
    assert "not for sale" in answer.json["errors"]["product_ids.0"][0]


def test_suspended_shops_products_are_not_for_sale(client, make_seller, make_product, operator_login):
    shop = make_seller("uk")
    product = make_product(shop)
    ops = operator_login(tenants=("uk",)) | {"X-Pasar-Tenant": "uk"}
    suspended = client.post(f"/api/v1/operator/sellers/{shop.id}/suspend", json={"reason": "audit"}, headers=ops)
    assert suspended.status_code == 200, suspended.json
    answer = post(client, shop.headers, product_ids=[product.id])
    assert answer.status_code == 422
    assert "not for sale" in answer.json["errors"]["product_ids.0"][0]


def test_creator_without_collaboration_cannot_anchor_a_shops_product(client, login, make_seller, make_product):
    product = make_product(make_seller("uk"))
    _, creator = login("uk", "creator", creator_id=9001)
    answer = post(client, creator, product_ids=[product.id])
    assert answer.status_code == 422
    assert "may promote" in answer.json["errors"]["product_ids.0"][0]
    plain = post(client, creator, caption="no products")
    assert plain.status_code == 201 and plain.json["author_kind"] == "creator"
    assert plain.json["creator_id"] == 9001 and plain.json["seller_id"] is None


def test_buyer_cannot_post_and_authors_cannot_set_moderation(client, login, make_seller):
    _, buyer = login("uk", "buyer")
    assert post(client, buyer).status_code == 403
    shop = make_seller("uk")
    sneaky = post(client, shop.headers, moderation="approved")
    assert sneaky.status_code == 422 and "moderation" in str(sneaky.json["errors"])
    assert post(client, shop.headers, language="th_TH").json["errors"] == {"language": ["must be one of en_GB"]}


def test_pending_video_is_seen_only_by_its_author_until_approved(client, make_seller, make_video, operator_login):
    shop = make_seller("uk")
    video = make_video(shop, moderation="pending")
    public = {"X-Pasar-Tenant": "uk"}
    assert client.get(f"/api/v1/videos/{video.id}", headers=public).status_code == 404
    assert client.get(f"/api/v1/videos/{video.id}", headers=make_seller("uk").headers).status_code == 404
    assert client.get(f"/api/v1/videos/{video.id}", headers=shop.headers).json["moderation"] == "pending"
    ops = operator_login(tenants=("uk",)) | public
    queue = client.get("/api/v1/operator/videos", headers=ops).json
    assert video.id in [v["id"] for v in queue]
    approved = client.post(f"/api/v1/operator/videos/{video.id}/moderation", json={"decision": "approve"}, headers=ops)
    assert approved.status_code == 200 and approved.json["moderation"] == "approved"
    shown = client.get(f"/api/v1/videos/{video.id}", headers=public)
    assert shown.status_code == 200 and shown.json["counts"]["view"] == 0


def test_rejection_needs_a_reason_and_takes_the_video_down(client, make_seller, make_video, operator_login):
    video = make_video(make_seller("uk"))
    ops = operator_login(tenants=("uk",)) | {"X-Pasar-Tenant": "uk"}
    url = f"/api/v1/operator/videos/{video.id}/moderation"
    assert client.post(url, json={"decision": "reject"}, headers=ops).json["errors"] == {
        "reason": ["a rejection needs a reason the author will see"]}
    rejected = client.post(url, json={"decision": "reject", "reason": "counterfeit"}, headers=ops)
    assert rejected.json["moderation_reason"] == "counterfeit"
    assert client.get(f"/api/v1/videos/{video.id}", headers={"X-Pasar-Tenant": "uk"}).status_code == 404


def test_listing_shows_approved_videos_newest_first_by_shop(client, make_seller, make_video):
    shop = make_seller("uk")
    older, newer = make_video(shop), make_video(shop)
    make_video(shop, moderation="pending")
    page = client.get(f"/api/v1/videos?seller_id={shop.id}", headers={"X-Pasar-Tenant": "uk"}).json
    assert [v["id"] for v in page] == [newer.id, older.id]
    rest = client.get(f"/api/v1/videos?seller_id={shop.id}&before_id={newer.id}", headers={"X-Pasar-Tenant": "uk"})
    assert [v["id"] for v in rest.json] == [older.id]


def test_another_tenants_video_is_not_found(client, make_seller, make_video):
    video = make_video(make_seller("uk"))
    assert client.get(f"/api/v1/videos/{video.id}", headers={"X-Pasar-Tenant": "th"}).status_code == 404


def test_videos_answer_404_where_short_video_is_off(client, make_seller):
    answer = client.get("/api/v1/videos", headers={"X-Pasar-Tenant": "nl"})
    assert answer.status_code == 404 and answer.json["feature"] == "short_video"
    shop = make_seller("nl")
    assert post(client, shop.headers, language="nl_NL").status_code == 404


def test_creator_anchors_products_it_collaborates_on(client, make_seller, make_product, make_creator, collaborate):
    shop = make_seller("uk")
    promoted, other = make_product(shop), make_product(shop)
    creator = make_creator("uk")
    collaborate(shop, promoted, creator)
    answer = post(client, creator.headers, product_ids=[promoted.id])
    assert answer.status_code == 201, answer.json
    assert answer.json["creator_id"] == creator.id and answer.json["seller_id"] is None
    refused = post(client, creator.headers, product_ids=[promoted.id, other.id])
    assert refused.status_code == 422 and "product_ids.1" in refused.json["errors"]


def test_shop_owner_who_is_a_creator_posts_as_either(client, make_seller, make_product, make_creator):
    shop = make_seller("uk")
    product = make_product(shop)
    creator = make_creator("uk", owner=shop)
    as_shop = post(client, creator.headers, product_ids=[product.id])
    assert as_shop.json["author_kind"] == "seller" and as_shop.json["seller_id"] == shop.id
    as_creator = post(client, creator.headers, product_ids=[product.id], author="creator")
    assert as_creator.status_code == 201, as_creator.json
    assert as_creator.json["author_kind"] == "creator" and as_creator.json["creator_id"] == creator.id


def test_a_creator_sees_its_own_pending_video(client, make_seller, make_creator, make_video):
    shop = make_seller("uk")
    creator = make_creator("uk", owner=shop)  # holds a shop too: both capacities are checked
    video = make_video(creator, moderation="pending")
    assert client.get(f"/api/v1/videos/{video.id}", headers=creator.headers).json["author_kind"] == "creator"
    assert client.get(f"/api/v1/videos/{video.id}", headers=make_creator("uk").headers).status_code == 404
