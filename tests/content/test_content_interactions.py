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


def likes_of(db, video_id):
    with db.session(all_tenants=True) as session:
        return session.scalars(select(Interaction.buyer_id).where(
            Interaction.video_id == video_id, Interaction.kind == "like")).all()


def test_a_buyer_likes_a_video_once_and_a_second_like_answers_the_same(client, db, login, make_seller, make_video):
    video = make_video(make_seller("uk"))
    buyer, headers = login("uk", "buyer")
    first = interact(client, video.id, headers, kind="like")
    again = interact(client, video.id, headers, kind="like")
    assert first.status_code == again.status_code == 201 and again.json == first.json
    liked = client.put(f"/api/v1/videos/{video.id}/like", headers=headers)
    assert liked.status_code == 200 and liked.json == {"video_id": video.id, "liked": True, "likes": 1}
    assert likes_of(db, video.id) == [buyer.id]
    assert client.get(f"/api/v1/videos/{video.id}", headers=headers).json["counts"]["like"] == 1
    _, other = login("uk", "buyer")
    assert client.put(f"/api/v1/videos/{video.id}/like", headers=other).json == {
        "video_id": video.id, "liked": True, "likes": 2}


def test_unliking_takes_the_like_back_and_unliking_again_changes_nothing(client, db, login, make_seller, make_video):
    video = make_video(make_seller("uk"))
    buyer, headers = login("uk", "buyer")
    assert client.put(f"/api/v1/videos/{video.id}/like", headers=headers).json["liked"] is True
    for _ in range(2):
        gone = client.delete(f"/api/v1/videos/{video.id}/like", headers=headers)
        assert gone.status_code == 200 and gone.json == {"video_id": video.id, "liked": False, "likes": 0}
    assert likes_of(db, video.id) == []
    assert client.put(f"/api/v1/videos/{video.id}/like", headers=headers).json["likes"] == 1


def test_liking_follows_the_video_rules(client, login, make_seller, make_video, make_creator):
    pending = make_video(make_seller("uk"), moderation="pending")
    _, buyer = login("uk", "buyer")
    assert client.put(f"/api/v1/videos/{pending.id}/like", headers=buyer).status_code == 404
    assert client.delete(f"/api/v1/videos/{pending.id}/like", headers=buyer).status_code == 404
    shown = make_video(make_seller("uk"))
    assert client.put(f"/api/v1/videos/{shown.id}/like", headers={"X-Pasar-Tenant": "uk"}).status_code == 401
    _, th_buyer = login("th", "buyer")
    assert client.put(f"/api/v1/videos/{shown.id}/like", headers=th_buyer).status_code == 404


def test_the_feeds_affinity_counts_a_like_once_and_forgets_it_when_taken_back(
    app, client, login, make_seller, make_product, make_video,
):
    from pasar.clock import now
    from pasar.discovery.signals import affinities
    from pasar.testing.accounts_factories import tenant_context

    shop = make_seller("uk")
    liked_video, watched_video = make_video(shop, [make_product(shop)]), make_video(make_seller("uk"))
    buyer, headers = login("uk", "buyer")
    for _ in range(3):
        interact(client, liked_video.id, headers, kind="like")
    # A like weighs 2, a full view 1: two views of another shop outweigh one like, never three.
    for _ in range(3):
        interact(client, watched_video.id, headers, kind="view", watch_seconds=30)
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        sellers = affinities(session, buyer.id, now()).sellers
    assert sellers[shop.id] < 1.0
    client.delete(f"/api/v1/videos/{liked_video.id}/like", headers=headers)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        assert shop.id not in affinities(session, buyer.id, now()).sellers
