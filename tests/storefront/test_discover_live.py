"""The live room page: the pinned product with a buy button attributed to the session, the
room's deals with their countdown, the event stream's URL for the page's script, and comments
and questions that only a signed-in buyer can post (with the page's CSRF token), announced to
the room like the API's."""
from __future__ import annotations

import re
from typing import Any

from pasar.content.pubsub import RoomEvent, broker_of
from pasar.testing.catalog_factories import tenant_context
from pasar.testing.pages_factories import MakeWebClient


def html(response: Any) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:800]
    return str(response.get_data(as_text=True))


def pin(client: Any, live: Any, product_id: int) -> None:
    answer = client.post(f"/api/v1/live/{live.id}/pin", json={"product_id": product_id}, headers=live.headers)
    assert answer.status_code == 200, answer.json


def card_of(page: str, product_id: int) -> str:
    """The pinned-area card of one product."""
    found = re.search(rf'<article class="card pinned-card" data-test="pinned-product" data-product-id="{product_id}"(.*?)</article>',
                      page, re.S)
    assert found, f"no pinned card for {product_id}"
    return found.group(0)


def next_of(subscription: Any, kind: str) -> RoomEvent | None:
    for _ in range(10):
        event = subscription.get(timeout=1.0)
        if event is None or event.type == kind:
            return event
    return None


def test_the_room_shows_the_pinned_product_with_a_buy_button_for_this_live(
    client: Any, web: MakeWebClient, make_seller: Any, make_product: Any, make_live: Any,
) -> None:
    shop = make_seller("th")
    first, second = make_product(shop, price="350"), make_product(shop, price="120")
    live = make_live(shop, [first, second], status="live", title="ไลฟ์สดวันศุกร์")
    pin(client, live, second.id)
    page = html(web("th").get(f"/live/{live.id}"))
    assert "ไลฟ์สดวันศุกร์" in page
    pinned = card_of(page, second.id)
    assert " hidden" not in pinned.split(">", 1)[0]
    assert " hidden" in card_of(page, first.id).split(">", 1)[0]
    assert 'action="/t/th/cart/add"' in pinned
    assert f'name="variant_id" value="{second.variant_id}"' in pinned
    assert 'name="source_kind" value="live"' in pinned and f'name="source_id" value="{live.id}"' in pinned
    assert 'data-test="viewer-count"' in page


def test_the_page_script_listens_to_the_rooms_event_stream(
    web: MakeWebClient, make_seller: Any, make_product: Any, make_live: Any,
) -> None:
    shop = make_seller("vn")
    live = make_live(shop, [make_product(shop, price="250000")], status="live")
    page = html(web("vn").get(f"/live/{live.id}"))
    assert f'data-events-url="/t/vn/api/v1/live/{live.id}/events"' in page
    assert "storefront/live.js" in page


def test_a_live_deal_on_a_showcased_product_shows_price_quota_and_end(
    client: Any, web: MakeWebClient, make_seller: Any, make_product: Any, make_live: Any, make_deal: Any,
) -> None:
    shop = make_seller("my")
    product = make_product(shop, price="50.00", stock=20)
    live = make_live(shop, [product], status="live")
    pin(client, live, product.id)
    deal = make_deal(product, price="39.00", quota=5, kind="live", live_session_id=live.id)
    pinned = card_of(html(web("my").get(f"/live/{live.id}")), product.id)
    assert f'data-deal-id="{deal["id"]}"' in pinned
    assert "RM39.00" in pinned and re.search(r'data-test="deal-left">[^<]*\b5\b', pinned)
    assert "data-countdown" in pinned and deal["ends_at"][:16] in pinned


def test_commenting_needs_a_signed_in_buyer(
    app: Any, web: MakeWebClient, make_seller: Any, make_product: Any, make_live: Any,
) -> None:
    shop = make_seller("uk")
    live = make_live(shop, [make_product(shop)], status="live")
    browser = web("uk")
    page = html(browser.get(f"/live/{live.id}"))
    assert 'data-test="comment-signin"' in page and 'data-test="comment-form"' not in page
    subscription = broker_of(app).subscribe(f"uk:live:{live.id}")
    try:
        refused = browser.post(f"/live/{live.id}/comments", {"text": "hello"})
        assert refused.status_code == 302 and "/t/uk/signin" in refused.headers["Location"]
        assert next_of(subscription, "comment") is None
    finally:
        subscription.close()


def test_a_signed_in_buyers_question_reaches_the_room(
    app: Any, web: MakeWebClient, make_user: Any, make_seller: Any, make_product: Any, make_live: Any,
) -> None:
    shop = make_seller("uk")
    live = make_live(shop, [make_product(shop)], status="live")
    buyer = make_user("uk", "buyer", name="Ada Lovelace")
    browser = web("uk")
    browser.sign_in(buyer.email)
    assert 'data-test="comment-form"' in html(browser.get(f"/live/{live.id}"))
    subscription = broker_of(app).subscribe(f"uk:live:{live.id}")
    try:
        sent = browser.post(f"/live/{live.id}/comments", {"text": "Does it come in blue?", "kind": "question"})
        assert sent.status_code == 302 and sent.headers["Location"].endswith(f"/t/uk/live/{live.id}")
        event = next_of(subscription, "question")
    finally:
        subscription.close()
    assert event is not None and event.data["text"] == "Does it come in blue?" and event.data["author"] == "Ada"


def test_a_comment_without_the_csrf_token_is_refused(
    app: Any, web: MakeWebClient, make_user: Any, make_seller: Any, make_product: Any, make_live: Any,
) -> None:
    shop = make_seller("uk")
    live = make_live(shop, [make_product(shop)], status="live")
    buyer = make_user("uk", "buyer")
    browser = web("uk")
    browser.sign_in(buyer.email)
    subscription = broker_of(app).subscribe(f"uk:live:{live.id}")
    try:
        forged = browser.post(f"/live/{live.id}/comments", {"text": "spam"}, csrf=False)
        assert forged.status_code == 400
        assert next_of(subscription, "comment") is None
    finally:
        subscription.close()


def test_a_script_posting_a_comment_gets_the_event_as_json(
    web: MakeWebClient, make_user: Any, make_seller: Any, make_product: Any, make_live: Any,
) -> None:
    shop = make_seller("sg")
    live = make_live(shop, [make_product(shop)], status="live")
    browser = web("sg")
    browser.sign_in(make_user("sg", "buyer").email)
    token = browser.csrf(f"/live/{live.id}")
    answer = browser.client.post(f"/t/sg/live/{live.id}/comments", data={"text": "Love it"},
                                 headers={"X-CSRF-Token": token, "Accept": "application/json"})
    assert answer.status_code == 201 and answer.json["type"] == "comment" and answer.json["data"]["text"] == "Love it"


def test_comments_wait_until_the_live_is_on_air(
    web: MakeWebClient, make_user: Any, make_seller: Any, make_product: Any, make_live: Any,
) -> None:
    shop = make_seller("ie")
    live = make_live(shop, [make_product(shop)])  # scheduled
    browser = web("ie")
    browser.sign_in(make_user("ie", "buyer").email)
    page = html(browser.get(f"/live/{live.id}"))
    assert 'data-test="comment-form"' not in page
    refused = browser.post(f"/live/{live.id}/comments", {"text": "early"})
    assert refused.status_code == 302
    assert "Comments are open while the live is on air." in html(browser.get(f"/live/{live.id}"))


def test_a_showcase_tap_records_the_click_then_opens_the_product(
    app: Any, web: MakeWebClient, make_user: Any, make_seller: Any, make_product: Any, make_live: Any,
) -> None:
    from sqlalchemy import select

    from pasar.content.models import Interaction

    shop = make_seller("de")
    product = make_product(shop)
    live = make_live(shop, [product], status="live")
    buyer = make_user("de", "buyer")
    browser = web("de")
    browser.sign_in(buyer.email)
    opened = browser.post(f"/live/{live.id}/open", {"product_id": product.id})
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/t/de/p/{product.id}?src=live&sid={live.id}")
    tenant = tenant_context(app, "de")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        kinds = session.scalars(select(Interaction.kind).where(Interaction.live_session_id == live.id,
                                                               Interaction.buyer_id == buyer.id)).all()
    assert kinds == ["product_click"]


def test_the_live_list_and_room_answer_404_where_live_shopping_is_off(web: MakeWebClient) -> None:
    browser = web("nl")
    for path in ("/live", "/live/1"):
        response = browser.get(path)
        assert response.status_code == 404
        assert 'data-feature="live_shopping"' in response.get_data(as_text=True)


def test_an_unknown_room_is_a_not_found_page(web: MakeWebClient) -> None:
    response = web("th").get("/live/999999")
    assert response.status_code == 404 and 'data-test="error"' in response.get_data(as_text=True)


def test_a_product_opened_from_the_room_keeps_the_rooms_deal_and_source(
    client: Any, web: MakeWebClient, make_seller: Any, make_product: Any, make_live: Any, make_deal: Any,
) -> None:
    shop = make_seller("ph")
    product = make_product(shop, price="500.00", stock=20)
    live = make_live(shop, [product], status="live")
    deal = make_deal(product, price="399.00", quota=5, kind="live", live_session_id=live.id)
    browser = web("ph")
    from_room = html(browser.get(f"/p/{product.id}?src=live&sid={live.id}"))
    form = from_room[from_room.index('data-test="add-to-cart"'):]
    assert f'data-deal-id="{deal["id"]}"' in from_room
    assert 'name="source_kind" value="live"' in form and f'name="source_id" value="{live.id}"' in form
    elsewhere = html(browser.get(f"/p/{product.id}"))
    assert f'data-deal-id="{deal["id"]}"' not in elsewhere and 'name="source_kind"' not in elsewhere
