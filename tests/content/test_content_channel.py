"""The live room channel: pub/sub brokers and the Server-Sent Events stream.

The end-to-end test runs once with the in-process broker and once with Redis (when a local
Redis answers: ``PASAR_TEST_BROKER_URL``'s server or 127.0.0.1:6379, in a test-only database
number under a unique key prefix that is deleted afterwards).
"""
from __future__ import annotations

import json
import os
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select, update

from pasar.content.channel import stream
from pasar.content.pubsub import InProcessBroker, RedisBroker, RoomEvent, make_broker
from pasar.orders.models import Order

TEST_REDIS_DB = 14  # not the 15 the worker tests use as Celery's broker


def redis_url() -> str | None:
    """A test-only database on the local Redis, or None when no Redis answers."""
    import redis

    base = os.environ.get("PASAR_TEST_BROKER_URL", "")
    url = redis.connection.parse_url(base) if base.startswith("redis://") else {}
    host, port = url.get("host", "127.0.0.1"), url.get("port", 6379)
    candidate = f"redis://{host}:{port}/{TEST_REDIS_DB}"
    try:
        redis.Redis.from_url(candidate, socket_connect_timeout=0.5).ping()
    except (redis.RedisError, OSError):
        return None
    return candidate


@pytest.fixture(params=["in-process", "redis"])
def broker(request: pytest.FixtureRequest, app: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The app's live broker for one test: a fresh in-process one, or Redis under a unique prefix."""
    if request.param == "in-process":
        made: Any = InProcessBroker()
    else:
        url = redis_url()
        if url is None:
            pytest.skip("no Redis on 127.0.0.1:6379")
        made = RedisBroker(url, prefix=f"pasar-test-{uuid.uuid4().hex[:8]}:")
    monkeypatch.setitem(app.extensions, "pasar.pubsub", made)
    yield made
    if isinstance(made, RedisBroker):
        for key in made.client.scan_iter(f"{made.prefix}*"):
            made.client.delete(key)
    made.close()


def frames(response: Any) -> list[RoomEvent]:
    """The SSE frames of a finished stream as events (comments and retry lines skipped)."""
    text = b"".join(response.response).decode()
    response.close()
    events = []
    for block in text.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if line and not line.startswith(":"))
        if "id" in fields:
            events.append(RoomEvent(int(fields["id"]), fields["event"], json.loads(fields["data"])))
    return events


def read_in_background(response: Any) -> tuple[threading.Thread, list[RoomEvent]]:
    got: list[RoomEvent] = []
    reader = threading.Thread(target=lambda: got.extend(frames(response)), daemon=True)
    reader.start()
    return reader, got


def test_two_viewers_receive_comment_pin_and_purchase_in_order(
    broker, app, client, login, make_seller, make_product, make_live, place_order, pay, commerce,
):
    shop = make_seller("uk")
    product = make_product(shop)
    live = make_live(shop, [product], status="live")
    _, buyer = login("uk", "buyer")
    placed = place_order(buyer, product, method="paypal")
    with commerce.session("uk") as session:  # what attribution stamps on an order bought in the room
        session.execute(update(Order).where(Order.id.in_(placed.order_ids)).values(source_kind="live", source_id=live.id))
    url = f"/api/v1/live/{live.id}/events"
    first = client.get(f"{url}?max_events=5&timeout=20", headers={"X-Pasar-Tenant": "uk"}, buffered=False)
    second = client.get(f"{url}?max_events=4&timeout=20", headers={"X-Pasar-Tenant": "uk"}, buffered=False)
    assert first.status_code == 200 and first.mimetype == "text/event-stream"
    readers = [read_in_background(first), read_in_background(second)]

    said = client.post(f"/api/v1/live/{live.id}/comments", json={"text": "how big is it?"}, headers=buyer)
    assert said.status_code == 201, said.json
    assert client.post(f"/api/v1/live/{live.id}/pin", json={"product_id": product.id}, headers=shop.headers).status_code == 200
    assert pay(placed)["status"] == "paid"

    for reader, _ in readers:
        reader.join(timeout=30)
        assert not reader.is_alive()
    (_, seen_first), (_, seen_second) = readers
    assert [(e.type, e.data.get("count")) for e in seen_first[:2]] == [("viewers", 1), ("viewers", 2)]
    for seen in (seen_first, seen_second):
        room = [e for e in seen if e.type != "viewers"]
        assert [e.type for e in room] == ["comment", "pin", "purchase"]
        assert [e.id for e in seen] == sorted(e.id for e in seen)
        assert room[0].data["text"] == "how big is it?" and room[1].data == {"product_id": product.id}
        purchase = room[2].data
        assert purchase["city"] and purchase["items"][0]["product_id"] == product.id
        assert "buyer_id" not in purchase and "email" not in json.dumps(purchase)
    assert seen_first[2:] == seen_second[1:]  # the very same events, ids and all


def test_a_paid_order_from_elsewhere_is_not_announced(broker, client, login, make_seller, make_product, make_live,
                                                       place_order, pay):
    shop = make_seller("uk")
    product = make_product(shop)
    live = make_live(shop, [product], status="live")
    _, buyer = login("uk", "buyer")
    stream_answer = client.get(f"/api/v1/live/{live.id}/events?timeout=1", headers={"X-Pasar-Tenant": "uk"},
                               buffered=False)
    reader, seen = read_in_background(stream_answer)
    assert pay(place_order(buyer, product, method="paypal"))["status"] == "paid"
    reader.join(timeout=10)
    assert [e.type for e in seen] == ["viewers"]


def test_stream_of_an_unknown_live_is_404(client):
    assert client.get("/api/v1/live/999999/events", headers={"X-Pasar-Tenant": "uk"}).status_code == 404


# --- the brokers themselves -----------------------------------------------------------------------
def test_concurrent_publishers_reach_every_subscriber_in_one_order():
    broker = InProcessBroker()
    a, b = broker.subscribe("room"), broker.subscribe("room")
    workers = [threading.Thread(target=lambda n=n: [broker.publish("room", "comment", {"n": n}) for _ in range(50)])
               for n in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    got_a = [a.get(0.1) for _ in range(202)]
    got_b = [b.get(0.1) for _ in range(201)]
    assert got_a[1:] == got_b  # a also saw b join
    assert [e.id for e in got_b] == sorted(e.id for e in got_b) and len({e.id for e in got_b}) == 201


def test_a_slow_subscriber_keeps_only_the_newest_events(monkeypatch):
    monkeypatch.setattr("pasar.content.pubsub.SUBSCRIBER_BUFFER", 3)
    broker = InProcessBroker()
    slow = broker.subscribe("room")
    for n in range(10):
        broker.publish("room", "comment", {"n": n})
    assert [slow.get(0.01).data["n"] for _ in range(3)] == [7, 8, 9]
    assert slow.get(0.01) is None


def test_leaving_updates_the_viewer_count():
    broker = InProcessBroker()
    staying, leaving = broker.subscribe("room"), broker.subscribe("room")
    assert broker.viewers("room") == 2
    leaving.close()
    leaving.close()  # twice is harmless
    assert broker.viewers("room") == 1
    assert [staying.get(0.1).data["count"] for _ in range(3)] == [1, 2, 1]


def test_rate_window_slides():
    clock = iter([0.0, 1.0, 2.0, 10.5, 12.5]).__next__
    broker = InProcessBroker(clock=clock)
    assert [broker.hit("buyer", 2, 10) for _ in range(5)] == [0, 0, 8, 0, 0]  # 8 s until the attempt at 0.0 leaves the window


def test_stream_ends_after_max_events_or_timeout_and_leaves_the_room():
    broker = InProcessBroker()
    subscription = broker.subscribe("room")
    broker.publish("room", "pin", {"product_id": 3})
    text = "".join(stream(subscription, max_events=2))
    assert "event: viewers" in text and 'event: pin\ndata: {"product_id":3}' in text
    assert broker.viewers("room") == 0
    quiet = broker.subscribe("room")
    quiet.get(0.1)
    assert "".join(stream(quiet, timeout=0.2, heartbeat=0.05)).count(": keep-alive") >= 1


def test_settings_choose_the_broker():
    assert isinstance(make_broker(""), InProcessBroker)
    redis_broker = make_broker("redis://127.0.0.1:6379/14")
    assert isinstance(redis_broker, RedisBroker)
    redis_broker.close()
    with pytest.raises(ValueError, match="PASAR_PUBSUB_URL"):
        make_broker("amqp://elsewhere")


def test_buying_after_a_click_in_a_creators_room_is_announced_there(
    broker, client, login, make_seller, make_product, make_creator, collaborate, make_live, place_order,
):
    shop = make_seller("uk")
    product = make_product(shop)
    creator = make_creator("uk")
    collaborate(shop, product, creator)
    live = make_live(creator, [product], status="live")
    _, buyer = login("uk", "buyer")
    clicked = client.post(f"/api/v1/live/{live.id}/interactions", json={"kind": "product_click", "product_id": product.id},
                          headers=buyer)
    assert clicked.status_code == 201, clicked.json
    watching = client.get(f"/api/v1/live/{live.id}/events?max_events=2&timeout=20", headers={"X-Pasar-Tenant": "uk"},
                          buffered=False)
    reader, seen = read_in_background(watching)
    place_order(buyer, product, method="card")  # captured at once: paid in the same request
    reader.join(timeout=30)
    assert [e.type for e in seen] == ["viewers", "purchase"]
    (item,) = seen[1].data["items"]
    assert item["product_id"] == product.id and item["quantity"] == 1 and item["title"].startswith("Product ")


# --- reconnecting with Last-Event-ID --------------------------------------------------------------
def test_a_resumed_subscription_gets_what_it_missed_then_live_events_without_repeats(broker):
    first = broker.publish("room", "comment", {"n": 1})
    broker.publish("room", "pin", {"product_id": 7})
    broker.publish("room", "comment", {"n": 3})

    resumed = broker.subscribe("room", last_event_id=first.id)
    broker.publish("room", "comment", {"n": 4})
    got = [resumed.get(2.0) for _ in range(4)]
    resumed.close()

    assert [(e.type, e.data.get("n")) for e in got] == [("pin", None), ("comment", 3), ("viewers", None), ("comment", 4)]
    assert [e.id for e in got] == sorted({e.id for e in got}) and got[0].id > first.id
    assert not resumed.missed


def test_a_subscription_without_an_id_starts_from_now(broker):
    broker.publish("room", "comment", {"n": 1})
    fresh = broker.subscribe("room")
    assert fresh.get(2.0).type == "viewers"
    assert fresh.get(0.1) is None
    fresh.close()


def test_resuming_beyond_the_kept_history_says_events_were_missed(broker, monkeypatch):
    monkeypatch.setattr("pasar.content.pubsub.ROOM_HISTORY", 3)
    sent = [broker.publish("room", "comment", {"n": n}) for n in range(6)]

    late = broker.subscribe("room", last_event_id=sent[0].id)
    kept = [late.get(2.0).data.get("n") for _ in range(3)]
    text = "".join(stream(late, max_events=4, timeout=5))

    assert late.missed and kept == [3, 4, 5]
    assert text.index("event: resync") < text.index("event: viewers")


def test_a_viewer_reconnecting_with_last_event_id_receives_the_comments_it_missed(broker, client, login, make_seller,
                                                                                   make_product, make_live):
    shop = make_seller("uk")
    live = make_live(shop, [make_product(shop)], status="live")
    _, buyer = login("uk", "buyer")
    url, tenant = f"/api/v1/live/{live.id}/events", {"X-Pasar-Tenant": "uk"}
    before = client.get(f"{url}?max_events=2&timeout=20", headers=tenant, buffered=False)
    reader, seen = read_in_background(before)
    assert client.post(f"/api/v1/live/{live.id}/comments", json={"text": "first"}, headers=buyer).status_code == 201
    reader.join(timeout=30)
    last_seen = seen[-1]
    assert last_seen.type == "comment"
    for text in ("while you were away", "still away"):
        assert client.post(f"/api/v1/live/{live.id}/comments", json={"text": text}, headers=buyer).status_code == 201

    again = client.get(f"{url}?max_events=4&timeout=20", headers={**tenant, "Last-Event-ID": str(last_seen.id)},
                       buffered=False)
    reader, resumed = read_in_background(again)
    assert client.post(f"/api/v1/live/{live.id}/comments", json={"text": "back live"}, headers=buyer).status_code == 201
    reader.join(timeout=30)

    comments = [e.data["text"] for e in resumed if e.type == "comment"]
    assert comments == ["while you were away", "still away", "back live"]
    assert [e.id for e in resumed] == sorted({e.id for e in resumed}) and resumed[0].id > last_seen.id


def test_a_last_event_id_that_is_not_a_number_is_a_problem_naming_it(client, make_seller, make_product, make_live):
    shop = make_seller("uk")
    live = make_live(shop, [make_product(shop)], status="live")
    answer = client.get(f"/api/v1/live/{live.id}/events?timeout=1",
                        headers={"X-Pasar-Tenant": "uk", "Last-Event-ID": "yesterday"})
    assert answer.status_code == 422 and "Last-Event-ID" in answer.json["errors"]


# --- buying in a room ----------------------------------------------------------------------------
def add_in_room(client: Any, buyer: dict[str, str], product: Any, live_id: int) -> None:
    body = {"variant_id": product.variant_id, "source_kind": "live", "source_id": live_id}
    answer = client.post("/api/v1/cart/lines", json=body, headers=buyer)
    assert answer.status_code == 201, answer.json


def order_source(commerce: Any, order_id: int) -> tuple[str | None, int | None, list[int | None]]:
    """(source kind, source id, the creator of each line) of an order as stored."""
    from pasar.orders.models import OrderLine

    with commerce.session("uk") as session:
        order = session.get_one(Order, order_id)
        creators = list(session.scalars(select(OrderLine.creator_id).where(OrderLine.order_id == order_id)))
        return order.source_kind, order.source_id, creators


def test_buying_in_a_shops_room_attributes_the_order_to_it_and_is_announced_there(
    broker, client, login, make_seller, make_product, make_live, commerce,
):
    shop = make_seller("uk")
    product = make_product(shop)
    live = make_live(shop, [product], status="live")
    _, buyer = login("uk", "buyer")
    add_in_room(client, buyer, product, live.id)
    watching = client.get(f"/api/v1/live/{live.id}/events?max_events=2&timeout=20", headers={"X-Pasar-Tenant": "uk"},
                          buffered=False)
    reader, seen = read_in_background(watching)

    placed = commerce.submit(buyer, commerce.checkout_body(buyer))  # card: paid in the same request
    reader.join(timeout=30)

    assert order_source(commerce, placed.order_ids[0]) == ("live", live.id, [None])
    assert [e.type for e in seen] == ["viewers", "purchase"]
    assert seen[1].data["items"][0]["product_id"] == product.id


def test_buying_in_a_creators_room_credits_its_host_without_a_click(
    client, login, make_seller, make_product, make_creator, collaborate, make_live, commerce,
):
    shop = make_seller("uk")
    product = make_product(shop)
    creator = make_creator("uk")
    collaborate(shop, product, creator)
    live = make_live(creator, [product], status="live")
    _, buyer = login("uk", "buyer")
    add_in_room(client, buyer, product, live.id)

    placed = commerce.submit(buyer, commerce.checkout_body(buyer))

    assert order_source(commerce, placed.order_ids[0]) == ("live", live.id, [creator.id])


def test_an_order_bought_outside_any_room_has_no_live_source(client, login, make_seller, make_product, make_live,
                                                             place_order, commerce):
    shop = make_seller("uk")
    product = make_product(shop)
    make_live(shop, [product], status="live")
    _, buyer = login("uk", "buyer")

    placed = place_order(buyer, product)

    assert order_source(commerce, placed.order_ids[0]) == (None, None, [None])
