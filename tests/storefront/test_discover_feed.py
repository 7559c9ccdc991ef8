"""The For You page: the feed's products, videos and lives as cards, sponsored items labelled,
an explanation on every item, more pages through the cursor link, the live rail on top, and the
marketplace's payment and delivery facts at the end, in the buyer's language."""
from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy.orm import Session

from pasar.contracts import FeedCandidate, RankedItem
from pasar.discovery.feed import FeedPage, products_by_id
from pasar.storefront import discover
from pasar.testing.pages_factories import MakeWebClient

_MORE = re.compile(r'href="([^"]+)"[^>]*data-test="feed-more"')
_PRODUCT_CARDS = re.compile(r'data-test="product-card" data-product-id="(\d+)"')


def html(response: Any) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:800]
    return str(response.get_data(as_text=True))


def ranked(kind: str, id: int, product_id: int | None, *, sponsored: bool = False,
           explanation: str = "Popular right now") -> RankedItem:
    return RankedItem(FeedCandidate(kind=kind, id=id, product_id=product_id, sponsored=sponsored), 1.0, explanation)  # type: ignore[arg-type]


def serve_feed(monkeypatch: pytest.MonkeyPatch, items: list[RankedItem], next_cursor: str | None = None) -> list[Any]:
    """Make the feed service answer ``items`` (with their products loaded as it loads them);
    returns the list of (buyer_id, cursor) it was asked for."""
    asked: list[Any] = []

    def feed(session: Session, tenant: Any, buyer_id: int | None, *, cursor: str | None = None, limit: int = 20) -> FeedPage:
        asked.append((buyer_id, cursor))
        ids = [i.candidate.product_id for i in items if i.candidate.product_id is not None]
        return FeedPage(items, products_by_id(session, ids), next_cursor)

    monkeypatch.setattr(discover.discovery, "feed", feed)
    return asked


def test_the_feed_page_shows_product_video_and_live_cards_with_explanations(
    web: MakeWebClient, make_seller: Any, make_product: Any, make_video: Any, make_live: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    shop = make_seller("uk", name="Brick Lane Tees")
    tee, mug = make_product(shop, price="12.00"), make_product(shop, price="8.50")
    video = make_video(shop, [tee], caption="How our tees are printed")
    live = make_live(shop, [mug], status="live", title="Friday mugs live")
    serve_feed(monkeypatch, [
        ranked("product", tee.id, tee.id, explanation="New arrival"),
        ranked("video", video.id, tee.id),
        ranked("live", live.id, mug.id, explanation="Live now"),
    ])
    page = html(web("uk").get("/"))
    assert f'data-test="product-card" data-product-id="{tee.id}"' in page
    assert "£12.00" in page
    assert f'data-test="video-card" data-video-id="{video.id}"' in page and "How our tees are printed" in page
    assert f'data-test="anchor" data-product-id="{tee.id}"' in page  # the video's product, with its price
    assert f'data-test="live-card" data-live-id="{live.id}"' in page and "Friday mugs live" in page
    assert page.count('data-test="why"') == 3 and "New arrival" in page and "Popular right now" in page
    assert 'data-test="sponsored"' not in page


def test_a_sponsored_item_is_labelled_sponsored(
    web: MakeWebClient, make_seller: Any, make_product: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    shop = make_seller("ie")
    promoted, plain = make_product(shop), make_product(shop)
    serve_feed(monkeypatch, [ranked("product", promoted.id, promoted.id, sponsored=True, explanation="Sponsored"),
                             ranked("product", plain.id, plain.id)])
    page = html(web("ie").get("/"))
    promoted_card = page[page.index(f'data-product-id="{promoted.id}"'):page.index(f'data-product-id="{plain.id}"')]
    assert 'data-test="sponsored"' in promoted_card and "Sponsored" in promoted_card
    assert page.count('data-test="sponsored"') == 1


def test_more_of_the_feed_follows_the_cursor_without_repeats(
    web: MakeWebClient, make_seller: Any, make_product: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(discover, "PAGE_SIZE", 2)
    shops = [make_seller("sg"), make_seller("sg")]
    made = {make_product(shops[i % 2]).id for i in range(5)}
    browser, path, seen, pages = web("sg"), "/", [], 0
    while path and pages < 200:
        page = html(browser.get(path))
        seen += [int(pid) for pid in _PRODUCT_CARDS.findall(page)]
        more = _MORE.search(page)
        path = more.group(1).replace("&amp;", "&").removeprefix("/t/sg") if more else ""
        pages += 1
    assert pages > 1
    assert made <= set(seen)
    assert len(seen) == len(set(seen))


def test_a_cursor_the_feed_does_not_know_starts_a_fresh_page(web: MakeWebClient) -> None:
    response = web("my").get("/?cursor=not-a-cursor")
    assert response.status_code == 302 and response.headers["Location"].endswith("/t/my/")


def test_the_live_rail_shows_sessions_on_air_with_their_viewers(
    web: MakeWebClient, make_seller: Any, make_product: Any, make_live: Any,
) -> None:
    shop = make_seller("ph")
    live = make_live(shop, [make_product(shop)], status="live", title="Payday sale live")
    scheduled = make_live(shop, [make_product(shop)], title="Next week's live")
    page = html(web("ph").get("/"))
    rail = page[page.index('data-test="live-rail"'):page.index('data-test="feed"')]
    assert f'data-live-id="{live.id}"' in rail and "Payday sale live" in rail
    assert f'data-live-id="{scheduled.id}"' not in rail
    assert 'data-test="viewer-count"' in rail


def test_a_marketplace_without_lives_shows_no_live_rail_nor_live_link(web: MakeWebClient) -> None:
    page = html(web("nl").get("/"))
    assert 'data-test="live-rail"' not in page and 'data-test="nav-lives"' not in page
    assert 'data-test="nav-home"' in page and 'data-test="nav-search"' in page


def test_the_marketplace_facts_close_every_page_in_the_chosen_language(web: MakeWebClient) -> None:
    browser = web("id")
    assert "Metode pembayaran" in html(browser.get("/"))
    switched = html(browser.get("/?lang=en_ID"))
    assert "Payment methods" in switched and '<html lang="en-ID">' in switched
    assert "Payment methods" in html(browser.get("/search"))  # remembered
    assert "Metode pembayaran" in html(browser.get("/search?lang=id_ID"))


def test_the_about_page_shows_prices_as_locals_write_them(web: MakeWebClient) -> None:
    assert "Rp\xa01.234.567" in html(web("id").get("/about"))
    assert "1.234.567\xa0₫" in html(web("vn").get("/about"))


def test_without_a_tenant_the_home_page_lists_the_marketplaces(client: Any) -> None:
    page = html(client.get("/"))
    assert "/t/uk/" in page and "/t/th/" in page
