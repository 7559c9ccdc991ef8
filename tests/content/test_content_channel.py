"""The live room channel: pub/sub brokers and the Server-Sent Events stream.

The end-to-end test runs once with the in-process broker and once with Redis (when a local
Redis answers: ``PASAR_TEST_BROKER_URL``'s server or 127.0.0.1:6379, in a test-only database
number under a unique key prefix that is deleted afterwards). The brokers of these tests
announce viewer counts at once (no coalescing) so a stream's frames are predictable; the
coalescing has tests of its own.
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
from pasar.content.pubsub import CountCoalescer, InProcessBroker, RedisBroker, RoomEvent, make_broker
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


def new_broker(kind: str, counts: CountCoalescer | None = None) -> Any:
    """A fresh broker: in-process, or Redis under a unique prefix (skips without Redis)."""
    counts = counts or CountCoalescer(interval=0)
    if kind == "in-process":
        return InProcessBroker(counts=counts)
    url = redis_url()
    if url is None:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return RedisBroker(url, prefix=f"pasar-test-{uuid.uuid4().hex[:8]}:", counts=counts)


def discard(made: Any) -> None:
    if isinstance(made, RedisBroker):
        for key in made.client.scan_iter(f"{made.prefix}*"):
            made.client.delete(key)
    made.close()


@pytest.fixture(params=["in-process", "redis"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def broker(kind: str, app: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The app's live broker for one test: a fresh in-process one, or Redis under a unique prefix."""
    made = new_broker(kind)
    monkeypatch.setitem(app.extensions, "pasar.pubsub", made)
    yield made
    discard(made)


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
    broker = InProcessBroker(counts=CountCoalescer(interval=0))
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
    broker = InProcessBroker(counts=CountCoalescer(interval=0))
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
    broker = InProcessBroker(counts=CountCoalescer(interval=0))
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


# --- one Redis subscription per process, fanned out to the viewers' queues -------------------------
def room_events(subscription: Any, wanted: int, timeout: float = 5.0) -> list[RoomEvent]:
    """The next ``wanted`` events of a subscription other than viewer counts (fewer if it goes quiet)."""
    found: list[RoomEvent] = []
    while len(found) < wanted:
        event = subscription.get(timeout)
        if event is None:
            break
        if event.type != "viewers":
            found.append(event)
    return found


def eventually(check: Any, tries: int = 100) -> bool:
    """``check()`` became true within a few seconds (Redis confirms asynchronously)."""
    import time

    for _ in range(tries):
        if check():
            return True
        time.sleep(0.05)
    return False


def redis_subscribers(broker: RedisBroker, room: str) -> int:
    """How many connections Redis has subscribed to the room's channel."""
    ((_, count),) = broker.client.pubsub_numsub(broker.key(room, "channel"))
    return int(count)


def test_many_viewers_of_a_room_share_one_redis_subscription():
    broker = new_broker("redis")
    try:
        viewers = [broker.subscribe("room") for _ in range(40)]
        other = broker.subscribe("another room")
        assert redis_subscribers(broker, "room") == 1 and redis_subscribers(broker, "another room") == 1
        assert broker.subscribers("room") == 40 and broker.viewers("room") == 40
        for viewer in [*viewers, other]:
            viewer.close()
    finally:
        discard(broker)


def test_an_event_reaches_every_local_viewer(kind):
    broker = new_broker(kind)
    try:
        viewers = [broker.subscribe("room") for _ in range(40)]
        bystander = broker.subscribe("another room")
        sent = broker.publish("room", "comment", {"text": "hello, everyone"})
        assert all(room_events(viewer, 1) == [sent] for viewer in viewers)
        assert room_events(bystander, 1, timeout=0.2) == []
        for viewer in [*viewers, bystander]:
            viewer.close()
    finally:
        discard(broker)


def test_a_viewer_leaving_frees_its_queue_and_the_last_one_the_subscription(kind):
    broker = new_broker(kind)
    try:
        staying, leaving = broker.subscribe("room"), broker.subscribe("room")
        leaving.close()
        assert broker.subscribers("room") == 1
        broker.publish("room", "comment", {"n": 1})
        assert [e.data for e in room_events(staying, 1)] == [{"n": 1}]
        assert all(event.type == "viewers" for event in list(leaving.events.queue))  # nothing after it left
        staying.close()
        assert broker.subscribers("room") == 0 and broker.viewers("room") == 0
        if isinstance(broker, RedisBroker):
            assert eventually(lambda: redis_subscribers(broker, "room") == 0)
            again = broker.subscribe("room")  # a room left and joined again is subscribed again
            broker.publish("room", "comment", {"n": 2})
            assert [e.data for e in room_events(again, 1)] == [{"n": 2}]
            again.close()
    finally:
        discard(broker)


def test_viewers_hear_again_after_the_redis_connection_drops():
    broker = new_broker("redis")
    try:
        viewer = broker.subscribe("room")
        before = broker.publish("room", "comment", {"n": 1})
        assert room_events(viewer, 1) == [before]
        local = broker._pubsub.connection._sock.getsockname()
        killed = broker.client.client_kill_filter(_type="pubsub", addr=f"{local[0]}:{local[1]}")
        assert killed == 1
        after = broker.publish("room", "comment", {"n": 2})  # maybe while reconnecting: from the history then
        assert eventually(lambda: redis_subscribers(broker, "room") == 1)
        later = broker.publish("room", "comment", {"n": 3})
        assert room_events(viewer, 2, timeout=10) == [after, later]  # each once, in order
        viewer.close()
    finally:
        discard(broker)


def test_a_hole_after_a_reconnect_deeper_than_the_history_is_a_resync(monkeypatch):
    monkeypatch.setattr("pasar.content.pubsub.ROOM_HISTORY", 2)
    broker = new_broker("redis")
    try:
        viewer, probe = broker.subscribe("room"), broker.subscribe("probe")
        first = broker.publish("room", "comment", {"n": 0})
        assert room_events(viewer, 1) == [first]
        # The room publishes three events while this process is not subscribed (as when its
        # connection is down): its history keeps only the last two.
        with broker._lock:
            state = broker._rooms.pop(broker.key("room", "channel"))
        lost = [broker.publish("room", "comment", {"n": n}) for n in (1, 2, 3)]
        marker = broker.publish("probe", "comment", {})  # one connection: read after the three
        assert room_events(probe, 1) == [marker]
        with broker._lock:
            broker._rooms[broker.key("room", "channel")] = state
        broker._confirmed(broker.key("room", "channel"))  # what a resubscription confirms
        got = [viewer.get(2.0) for _ in range(3)]
        assert [e.type for e in got] == ["resync", "comment", "comment"] and got[1:] == lost[1:]
        text = "".join(stream(viewer, max_events=1, timeout=0.5))
        assert "event: resync" not in text  # said once
    finally:
        discard(broker)


# --- viewer counts --------------------------------------------------------------------------------
class ManualTime:
    """A clock that moves when told and timers that fire when told: coalescing, step by step."""

    def __init__(self) -> None:
        self.now = 100.0
        self.timers: list[tuple[float, Any]] = []

    def clock(self) -> float:
        return self.now

    def schedule(self, delay: float, call: Any) -> None:
        self.timers.append((self.now + delay, call))

    def advance(self, seconds: float) -> None:
        self.now += seconds
        due = [call for at, call in self.timers if at <= self.now]
        self.timers = [(at, call) for at, call in self.timers if at > self.now]
        for call in due:
            call()


def counts_heard(subscription: Any) -> list[int]:
    heard = []
    while (event := subscription.get(0.3)) is not None:
        if event.type == "viewers":
            heard.append(event.data["count"])
    return heard


def test_viewer_counts_are_announced_at_most_once_a_second_and_the_last_count_wins(kind):
    time_ = ManualTime()
    broker = new_broker(kind, CountCoalescer(interval=1.0, clock=time_.clock, schedule=time_.schedule))
    try:
        first = broker.subscribe("room")  # a quiet room: announced at once
        crowd = [broker.subscribe("room") for _ in range(20)]
        crowd[0].close()
        assert counts_heard(first) == [1]
        assert len(time_.timers) == 1  # twenty-one changes, one announcement waiting
        time_.advance(1.0)
        assert counts_heard(first) == [20]
        assert all(counts_heard(viewer) == [20] for viewer in crowd[1:4])
        time_.advance(5.0)
        crowd[1].close()  # quiet for more than a second: at once again
        assert counts_heard(first) == [19] and time_.timers == []
        for viewer in [first, *crowd]:
            viewer.close()
    finally:
        discard(broker)


def test_a_new_viewer_hears_the_count_within_the_interval():
    time_ = ManualTime()
    broker = InProcessBroker(counts=CountCoalescer(interval=1.0, clock=time_.clock, schedule=time_.schedule))
    early = broker.subscribe("room")
    time_.advance(0.5)
    late = broker.subscribe("room")
    assert counts_heard(late) == []
    time_.advance(0.5)
    assert counts_heard(late) == [2] and counts_heard(early) == [1, 2]


# --- the event stream's view ----------------------------------------------------------------------
class WatchedBroker:
    """The app's broker, noting how many database connections are checked out at each join."""

    def __init__(self, inner: Any, engine: Any) -> None:
        self.inner, self.engine = inner, engine
        self.checked_out_at_join: list[int] = []

    def subscribe(self, room: str, last_event_id: int | None = None) -> Any:
        self.checked_out_at_join.append(self.engine.pool.checkedout())
        return self.inner.subscribe(room, last_event_id)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_the_event_stream_holds_no_database_connection_while_it_subscribes_or_streams(
    app, client, monkeypatch, make_seller, make_product, make_live,
):
    shop = make_seller("uk")
    live = make_live(shop, [make_product(shop)], status="live")
    engine = app.extensions["pasar.db"].engine
    watched = WatchedBroker(InProcessBroker(counts=CountCoalescer(interval=0)), engine)
    monkeypatch.setitem(app.extensions, "pasar.pubsub", watched)
    assert engine.pool.checkedout() == 0
    watching = [client.get(f"/api/v1/live/{live.id}/events?timeout=3", headers={"X-Pasar-Tenant": "uk"},
                           buffered=False) for _ in range(3)]
    assert [answer.status_code for answer in watching] == [200, 200, 200]
    assert watched.checked_out_at_join == [0, 0, 0]
    assert engine.pool.checkedout() == 0  # three streams open, no connection held
    readers = [read_in_background(answer) for answer in watching]
    watched.inner.publish(f"uk:live:{live.id}", "comment", {"text": "hi"})
    for reader, seen in readers:
        reader.join(timeout=30)
        assert "comment" in [e.type for e in seen]


GEVENT_VIEWERS = '''
from gevent import monkey
monkey.patch_all()
import json, sys, uuid
import gevent
from pasar.content.pubsub import CountCoalescer, RedisBroker

broker = RedisBroker(sys.argv[1], prefix=f"pasar-test-{uuid.uuid4().hex[:8]}:", counts=CountCoalescer(interval=0))
joined = []
def watch():
    viewer = broker.subscribe("room")
    joined.append(viewer)
    while (event := viewer.get(10.0)) is not None and event.type != "comment":
        pass
    viewer.close()
    return event.data if event is not None else None
viewers = [gevent.spawn(watch) for _ in range(200)]
while len(joined) < 200:  # every subscribe() returned: what is published now reaches them
    gevent.sleep(0.05)
(_, subscribed), = broker.client.pubsub_numsub(broker.key("room", "channel"))
broker.publish("room", "comment", {"text": "to everyone"})
gevent.joinall(viewers, timeout=30)
heard = [viewer.value for viewer in viewers]
for key in broker.client.scan_iter(f"{broker.prefix}*"):
    broker.client.delete(key)
broker.close()
print(json.dumps({"subscribed": subscribed, "heard": sum(h == {"text": "to everyone"} for h in heard)}))
'''


def test_under_gevent_one_greenlet_per_viewer_shares_the_subscription():
    """What ``gunicorn -k gevent`` runs: the module monkey-patched, a greenlet per viewer."""
    import subprocess
    import sys

    pytest.importorskip("gevent")
    url = redis_url()
    if url is None:
        pytest.skip("no Redis on 127.0.0.1:6379")
    ran = subprocess.run([sys.executable, "-c", GEVENT_VIEWERS, url], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert json.loads(ran.stdout.splitlines()[-1]) == {"subscribed": 1, "heard": 200}
