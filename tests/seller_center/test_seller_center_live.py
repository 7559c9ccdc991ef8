"""Seller center: live selling — schedule, go live, pin a product (viewers' event stream hears
it), answer a question, end."""
from __future__ import annotations

import re
from typing import Any

from pasar.content import live as lives
from pasar.content.pubsub import VIEWERS, RoomEvent, Subscription, broker_of
from pasar.testing.catalog_factories import tenant_context


def room_events(subscription: Subscription) -> list[RoomEvent]:
    """What a viewer subscribed to the room has received so far (viewer counts left out)."""
    found = []
    while (event := subscription.get(0.2)) is not None:
        if event.type != VIEWERS:
            found.append(event)
    return found


def live_state(app: Any, code: str, live_id: int) -> tuple[str, int | None]:
    tenant = tenant_context(app, code)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        live = lives.get_live(session, tenant, live_id)
        return live.status, live.pinned_product_id


def test_a_live_is_scheduled_started_and_a_pin_reaches_the_viewers(
    app: Any, make_seller: Any, make_product: Any, seller_web: Any,
) -> None:
    shop = make_seller("uk")
    first, second = make_product(shop), make_product(shop)
    browser = seller_web(shop)
    form = browser.get("/seller/live").get_data(as_text=True)
    assert f'id="showcase-{second.id}"' in form
    scheduled = browser.client.post("/t/uk/seller/live", data={
        "csrf_token": browser.csrf(), "title": "Summer drop", "scheduled_at": "2030-06-01T19:30",
        "product_ids": [str(first.id), str(second.id)]})
    assert scheduled.status_code == 302, scheduled.get_data(as_text=True)[:2000]
    live_id = int(re.search(r"/seller/live/(\d+)$", scheduled.headers["Location"]).group(1))  # type: ignore[union-attr]
    page = browser.get(f"/seller/live/{live_id}").get_data(as_text=True)
    assert 'data-test="live-start"' in page and f'data-test="pin-{second.id}"' in page

    tenant = tenant_context(app, "uk")
    viewer = broker_of(app).subscribe(lives.room_name(tenant, live_id))
    try:
        assert browser.post(f"/seller/live/{live_id}/start").status_code == 302
        assert browser.post(f"/seller/live/{live_id}/pin", {"product_id": str(second.id)}).status_code == 302
        heard = [(event.type, event.data) for event in room_events(viewer)]
    finally:
        viewer.close()
    assert heard == [("status", {"status": "live"}), ("pin", {"product_id": second.id})]
    assert live_state(app, "uk", live_id) == ("live", second.id)
    assert f'data-test="unpin-{second.id}"' in browser.get(f"/seller/live/{live_id}").get_data(as_text=True)


def test_a_question_is_answered_for_the_room_and_the_live_ends(
    app: Any, make_seller: Any, make_product: Any, make_live: Any, seller_web: Any,
) -> None:
    shop = make_seller("uk")
    made = make_live(shop, [make_product(shop)], status="live")
    browser = seller_web(shop)
    page = browser.get(f"/seller/live/{made.id}").get_data(as_text=True)
    events = re.search(r'data-live-events="([^"]+)"', page)
    assert events and events.group(1).endswith(f"/api/v1/live/{made.id}/events?last_event_id=0")
    tenant = tenant_context(app, "uk")
    room = lives.room_name(tenant, made.id)
    question = broker_of(app).publish(room, "question", {"text": "Does it come in blue?", "author": "Sam"})
    viewer = broker_of(app).subscribe(room)
    try:
        answered = browser.post(f"/seller/live/{made.id}/answer", {"question_id": str(question.id), "text": "Yes!"})
        assert answered.status_code == 302
        assert browser.post(f"/seller/live/{made.id}/end", {"replay_url": ""}).status_code == 302
        heard = [(event.type, event.data) for event in room_events(viewer)]
    finally:
        viewer.close()
    assert heard[0] == ("answer", {"question_id": question.id, "text": "Yes!", "host_kind": "seller"})
    assert heard[1][0] == "status" and heard[1][1]["status"] == "ended"
    assert live_state(app, "uk", made.id)[0] == "ended"


def test_pinning_a_product_outside_the_showcase_is_refused_and_not_announced(
    app: Any, make_seller: Any, make_product: Any, make_live: Any, seller_web: Any,
) -> None:
    shop = make_seller("uk")
    made = make_live(shop, [make_product(shop)], status="live")
    stranger = make_product(shop)
    viewer = broker_of(app).subscribe(lives.room_name(tenant_context(app, "uk"), made.id))
    try:
        refused = seller_web(shop).post(f"/seller/live/{made.id}/pin", {"product_id": str(stranger.id)})
        heard = room_events(viewer)
    finally:
        viewer.close()
    assert refused.status_code == 422
    assert 'role="alert"' in refused.get_data(as_text=True)
    assert heard == []


def test_another_hosts_live_is_not_found(make_seller: Any, make_product: Any, make_live: Any, seller_web: Any) -> None:
    owner = make_seller("uk")
    made = make_live(owner, [make_product(owner)])
    browser = seller_web(make_seller("uk"))
    assert browser.get(f"/seller/live/{made.id}").status_code == 404
    assert browser.post(f"/seller/live/{made.id}/start").status_code == 404


def test_live_pages_exist_only_where_the_marketplace_has_live_shopping(
    app: Any, make_seller: Any, seller_web: Any,
) -> None:
    assert not tenant_context(app, "nl").has_feature("live_shopping")
    browser = seller_web(make_seller("nl"))
    assert browser.get("/seller/live").status_code == 404
    assert 'data-test="nav-live"' not in browser.get("/seller/money").get_data(as_text=True)
    assert 'data-test="nav-live"' in seller_web(make_seller("uk")).get("/seller/money").get_data(as_text=True)
