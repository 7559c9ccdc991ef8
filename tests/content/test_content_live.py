"""Live sessions: scheduled → live → ended, showcase and pin, comments and their rate limit."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pasar.content.api import COMMENT_LIMIT

LATER = (datetime.now(UTC) + timedelta(hours=2)).isoformat()


def test_host_runs_a_live_from_schedule_to_replay(client, make_seller, make_product):
    shop = make_seller("uk")
    first, second = make_product(shop), make_product(shop)
    made = client.post("/api/v1/live", json={"title": "Friday deals", "scheduled_at": LATER,
                                             "product_ids": [first.id, second.id]}, headers=shop.headers)
    assert made.status_code == 201, made.json
    live = made.json
    assert live["status"] == "scheduled" and [i["product_id"] for i in live["showcase"]] == [first.id, second.id]
    url = f"/api/v1/live/{live['id']}"
    started = client.post(f"{url}/start", headers=shop.headers)
    assert started.json["status"] == "live" and started.json["started_at"]
    assert client.post(f"{url}/start", headers=shop.headers).status_code == 409
    assert client.post(f"{url}/pin", json={"product_id": second.id}, headers=shop.headers).json["pinned_product_id"] == second.id
    now_live = client.get("/api/v1/live", headers={"X-Pasar-Tenant": "uk"}).json
    assert live["id"] in [item["id"] for item in now_live]
    ended = client.post(f"{url}/end", json={"replay_url": "https://media.example/r.mp4"}, headers=shop.headers)
    assert ended.json["status"] == "ended" and ended.json["replay_url"] == "https://media.example/r.mp4"
    assert client.post(f"{url}/pin", json={"product_id": first.id}, headers=shop.headers).status_code == 409
    assert client.get(url, headers={"X-Pasar-Tenant": "uk"}).json["status"] == "ended"


def test_only_showcase_products_can_be_pinned_and_dropping_one_unpins_it(client, make_seller, make_product, make_live):
    shop = make_seller("uk")
    first, second, outside = make_product(shop), make_product(shop), make_product(shop)
    live = make_live(shop, [first, second])
    url = f"/api/v1/live/{live.id}"
    assert client.post(f"{url}/pin", json={"product_id": outside.id}, headers=shop.headers).json["errors"] == {
        "product_id": ["pin a product of the showcase"]}
    assert client.post(f"{url}/pin", json={"product_id": first.id}, headers=shop.headers).status_code == 200
    changed = client.put(f"{url}/showcase", json={"product_ids": [second.id, outside.id]}, headers=shop.headers)
    assert changed.status_code == 200, changed.json
    assert changed.json["pinned_product_id"] is None
    assert [i["product_id"] for i in changed.json["showcase"]] == [second.id, outside.id]
    assert client.post(f"{url}/pin", json={"product_id": None}, headers=shop.headers).json["pinned_product_id"] is None


def test_showcase_follows_the_product_rules(client, make_seller, make_product):
    shop = make_seller("uk")
    foreign = make_product(make_seller("uk"))
    answer = client.post("/api/v1/live", json={"title": "x", "scheduled_at": LATER, "product_ids": [foreign.id]},
                         headers=shop.headers)
    assert answer.status_code == 422 and "product_ids.0" in answer.json["errors"]


def test_another_hosts_live_is_not_found(client, login, make_seller, make_live):
    live = make_live(make_seller("uk"))
    stranger = make_seller("uk")
    assert client.post(f"/api/v1/live/{live.id}/start", headers=stranger.headers).status_code == 404
    _, buyer = login("uk", "buyer")  # hosts nothing: the session is not found for it either
    assert client.post(f"/api/v1/live/{live.id}/start", headers=buyer).status_code == 404
    assert client.get(f"/api/v1/live/{live.id}", headers={"X-Pasar-Tenant": "th"}).status_code == 404


def test_comments_open_only_while_live(client, login, make_seller, make_live):
    shop = make_seller("uk")
    _, buyer = login("uk", "buyer")
    scheduled = make_live(shop)
    answer = client.post(f"/api/v1/live/{scheduled.id}/comments", json={"text": "hi"}, headers=buyer)
    assert answer.status_code == 409 and answer.json["errors"] == {
        "status": ["the live session is scheduled: comments open when it is live"]}
    running = make_live(shop, status="live")
    sent = client.post(f"/api/v1/live/{running.id}/comments", json={"text": "hi", "kind": "question"}, headers=buyer)
    assert sent.status_code == 201 and sent.json["type"] == "question" and sent.json["data"]["text"] == "hi"
    reply = client.post(f"/api/v1/live/{running.id}/answers", json={"question_id": sent.json["id"], "text": "yes"},
                        headers=shop.headers)
    assert reply.status_code == 201 and reply.json["data"]["question_id"] == sent.json["id"]
    assert reply.json["id"] > sent.json["id"]


def test_a_buyer_commenting_too_fast_gets_429_with_retry_after(client, login, make_seller, make_live):
    live = make_live(make_seller("uk"), status="live")
    _, buyer = login("uk", "buyer")
    _, other = login("uk", "buyer")
    url = f"/api/v1/live/{live.id}/comments"
    statuses = [client.post(url, json={"text": f"n{i}"}, headers=buyer).status_code for i in range(COMMENT_LIMIT)]
    assert statuses == [201] * COMMENT_LIMIT
    limited = client.post(url, json={"text": "again"}, headers=buyer)
    assert limited.status_code == 429 and limited.mimetype == "application/problem+json"
    assert 1 <= int(limited.headers["Retry-After"]) <= 10 and limited.json["retry_after"] >= 1
    assert client.post(url, json={"text": "me too"}, headers=other).status_code == 201


def test_live_answers_404_where_live_shopping_is_off(client, make_seller):
    answer = client.get("/api/v1/live", headers={"X-Pasar-Tenant": "nl"})
    assert answer.status_code == 404 and answer.json["feature"] == "live_shopping"
    shop = make_seller("nl")
    made = client.post("/api/v1/live", json={"title": "x", "scheduled_at": LATER}, headers=shop.headers)
    assert made.status_code == 404


def test_live_interactions_are_stored_and_showcase_clicks_in_a_creators_room_attribute(
    client, db, login, make_seller, make_product, make_creator, collaborate,
):
    from sqlalchemy import select

    from pasar.content.models import Interaction
    from pasar.creators.models import PromotionClick

    shop = make_seller("uk")
    product, outside = make_product(shop), make_product(shop)
    creator = make_creator("uk")
    collaborate(shop, product, creator)
    made = client.post("/api/v1/live", json={"title": "Try-on", "scheduled_at": LATER, "product_ids": [product.id]},
                       headers=creator.headers)
    assert made.status_code == 201 and made.json["host_kind"] == "creator", made.json
    url = f"/api/v1/live/{made.json['id']}"
    buyer, headers = login("uk", "buyer")
    assert client.post(f"{url}/interactions", json={"kind": "like"}, headers=headers).status_code == 409
    assert client.post(f"{url}/start", headers=creator.headers).status_code == 200
    assert client.post(f"{url}/interactions", json={"kind": "view", "watch_seconds": 90}, headers=headers).status_code == 201
    assert client.post(f"{url}/interactions", json={"kind": "product_click", "product_id": outside.id},
                       headers=headers).json["errors"] == {"product_id": ["not a product of this live session's showcase"]}
    assert client.post(f"{url}/interactions", json={"kind": "comment"}, headers=headers).status_code == 422
    click = client.post(f"{url}/interactions", json={"kind": "product_click", "product_id": product.id}, headers=headers)
    assert click.status_code == 201 and click.json["live_session_id"] == made.json["id"]
    with db.session(all_tenants=True) as session:
        kinds = session.scalars(select(Interaction.kind).where(Interaction.buyer_id == buyer.id).order_by(Interaction.id))
        assert list(kinds) == ["view", "product_click"]
        clicks = session.scalars(select(PromotionClick).where(PromotionClick.buyer_id == buyer.id)).all()
        assert [(c.creator_id, c.source_kind, c.source_id) for c in clicks] == [(creator.id, "live", made.json["id"])]


def test_a_host_lists_its_own_sessions_of_every_status_and_no_one_elses(client, make_seller, make_creator, make_live):
    shop, other = make_seller("uk"), make_seller("uk")
    creator = make_creator("uk", owner=shop)  # the shop's owner is a creator too: two separate schedules
    scheduled, ended = make_live(shop), make_live(shop, status="ended")
    as_creator, elsewhere = make_live(creator), make_live(other)
    listed = client.get("/api/v1/seller/live-sessions", headers=shop.headers)
    assert listed.status_code == 200, listed.json
    assert sorted(item["id"] for item in listed.json) == sorted([scheduled.id, ended.id])
    only_ended = client.get("/api/v1/seller/live-sessions?status=ended", headers=shop.headers).json
    assert [item["id"] for item in only_ended] == [ended.id]
    hosted = client.get("/api/v1/creator/live-sessions", headers=creator.headers).json
    assert [(item["id"], item["host_kind"]) for item in hosted] == [(as_creator.id, "creator")]
    assert [item["id"] for item in client.get("/api/v1/seller/live-sessions", headers=other.headers).json] == [elsewhere.id]
    refused = client.get("/api/v1/seller/live-sessions?status=paused", headers=shop.headers)
    assert refused.status_code == 422 and "query.status" in refused.json["errors"], refused.json


def test_listing_a_hosts_sessions_names_exactly_one_host(app, make_seller):
    import pytest

    from pasar.content.errors import InvalidContent
    from pasar.content.live import list_host_sessions
    from pasar.testing.accounts_factories import tenant_context

    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        with pytest.raises(InvalidContent) as both:
            list_host_sessions(session, tenant, seller_id=1, creator_id=1)
        with pytest.raises(InvalidContent):
            list_host_sessions(session, tenant)
    assert both.value.errors == {"host": ["name exactly one host: a shop or a creator"]}


def test_host_session_lists_need_a_signed_in_host(client, login):
    _, buyer = login("uk", "buyer")
    assert client.get("/api/v1/seller/live-sessions", headers=buyer).status_code in (401, 403)
    assert client.get("/api/v1/seller/live-sessions", headers={"X-Pasar-Tenant": "uk"}).status_code == 401
