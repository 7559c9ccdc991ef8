"""Buyers' interactions with videos: the rows the feed learns from."""
from __future__ import annotations

from sqlalchemy import select

from pasar.content.models import Interaction


def interact(client, video_id, headers, **body):
    return client.post(f"/api/v1/videos/{video_id}/interactions", json=body, headers=headers)


def test_each_kind_is_stored_with_what_it_carries(client, db, login, make_seller, make_product, make_video):
    shop = make_seller("uk")
    product = make_product(shop)
    video = make_video(shop, [product])
    buyer, headers = login("uk", "buyer")
    assert interact(client, video.id, headers, kind="view", watch_seconds=42).status_code == 201
    assert interact(client, video.id, headers, kind="like").status_code == 201
    assert interact(client, video.id, headers, kind="share").status_code == 201
    assert interact(client, video.id, headers, kind="comment", text=" so nice ").status_code == 201
    click = interact(client, video.id, headers, kind="product_click", product_id=product.id)
    assert click.status_code == 201 and click.json["product_id"] == product.id
    with db.session(all_tenants=True) as session:
        rows = session.scalars(select(Interaction).where(Interaction.buyer_id == buyer.id).order_by(Interaction.id)).all()
        assert [(r.kind, r.watch_seconds, r.text, r.product_id, r.video_id) for r in rows] == [
            ("view", 42, None, None, video.id), ("like", 0, None, None, video.id),
            ("share", 0, None, None, video.id), ("comment", 0, "so nice", None, video.id),
            ("product_click", 0, None, product.id, video.id),
        ]
    counts = client.get(f"/api/v1/videos/{video.id}", headers={"X-Pasar-Tenant": "uk"}).json["counts"]
    assert counts == {"view": 1, "like": 1, "share": 1, "comment": 1, "product_click": 1}


def test_each_kind_refuses_a_missing_field(client, login, make_seller, make_product, make_video):
    shop = make_seller("uk")
    video = make_video(shop, [make_product(shop)])
    _, headers = login("uk", "buyer")
    assert interact(client, video.id, headers, kind="view").json["errors"] == {
        "watch_seconds": ["a view needs the seconds watched"]}
    assert interact(client, video.id, headers, kind="comment").json["errors"] == {"text": ["a comment needs text"]}
    other = make_product(shop)
    assert interact(client, video.id, headers, kind="product_click", product_id=other.id).json["errors"] == {
        "product_id": ["not a product linked under this video"]}
    assert interact(client, video.id, headers, kind="poke").status_code == 422
    assert interact(client, video.id, headers, kind="view", watch_seconds=-1).status_code == 422


def test_only_buyers_interact_and_only_with_visible_videos(client, login, make_seller, make_video):
    shop = make_seller("uk")
    pending = make_video(shop, moderation="pending")
    _, buyer = login("uk", "buyer")
    assert interact(client, pending.id, buyer, kind="like").status_code == 404
    shown = make_video(shop)
    _, creator = login("uk", "creator", creator_id=77)
    assert interact(client, shown.id, creator, kind="like").status_code == 403
    assert interact(client, shown.id, {"X-Pasar-Tenant": "uk"}, kind="like").status_code == 401
    _, th_buyer = login("th", "buyer")
    assert interact(client, shown.id, th_buyer, kind="like").status_code == 404


def test_product_click_on_a_creators_video_is_kept_for_attribution(
    client, db, login, make_seller, make_product, make_creator, collaborate, make_video,
):
    from pasar.creators.models import PromotionClick

    shop = make_seller("uk")
    product = make_product(shop)
    creator = make_creator("uk")
    collaborate(shop, product, creator)
    video = make_video(creator, [product])
    own_video = make_video(shop, [product])
    buyer, headers = login("uk", "buyer")
    assert interact(client, video.id, headers, kind="product_click", product_id=product.id).status_code == 201
    assert interact(client, own_video.id, headers, kind="product_click", product_id=product.id).status_code == 201
    with db.session(all_tenants=True) as session:
        clicks = session.scalars(select(PromotionClick).where(PromotionClick.buyer_id == buyer.id)).all()
        assert [(c.creator_id, c.product_id, c.source_kind, c.source_id) for c in clicks] == [
            (creator.id, product.id, "video", video.id)]
