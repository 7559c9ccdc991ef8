"""The For You page: the feed's products, videos and lives as cards, sponsored items labelled,
an explanation on every item, more pages through the cursor link, the live rail on top, and the
marketplace's payment and delivery facts at the end, in the buyer's language."""
from __future__ import annotations

import re
from typing import Any

import pytest
from pasar.storefront import discover
from pasar.testing.pages_factories import MakeWebClient

_MORE = re.compile(r'href="([^"]+)"[^>]*data-test="feed-more"')
_PRODUCT_CARDS = re.compile(r'data-test="product-card" data-product-id="(\d+)"')


def html(response: Any) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:800]
    return str(response.get_data(as_text=True))


def whole_feed(browser: Any, code: str) -> str:
    """Every page of the For You feed, following the "Show more" links."""
    pages, path = [], "/"
    while path and len(pages) < 100:
        page = html(browser.get(path))
        pages.append(page)
        more = _MORE.search(page)
        path = more.group(1).replace("&amp;", "&").removeprefix(f"/t/{code}") if more else ""
    return "\n".join(pages)


def test_the_feed_shows_product_video_and_live_cards_with_explanations(
    web: MakeWebClient, make_seller: Any, make_product: Any, make_video: Any, make_live: Any,
) -> None:
    shop = make_seller("uk", name="Brick Lane Tees")
    tee, mug = make_product(shop, price="12.00"), make_product(shop, price="8.50")
    video = make_video(shop, [tee], caption="How our tees are printed")
    live = make_live(shop, [mug], status="live", title="Friday mugs live")
    feed = whole_feed(web("uk"), "uk")
    assert f'data-test="product-card" data-product-id="{tee.id}"' in feed and "£12.00" in feed
    video_card = feed[feed.index(f'data-test="video-card" data-video-id="{video.id}"'):]
    assert "How our tees are printed" in video_card.split("</article>")[0]
    assert f'data-test="anchor" data-product-id="{tee.id}"' in video_card.split("</article>")[0]
    in_feed = feed[feed.index('data-test="feed"'):]
    live_card = in_feed[in_feed.index(f'data-test="live-card" data-live-id="{live.id}"'):].split("</article>")[0]
    assert "Friday mugs live" in live_card and "£8.50" in live_card  # its product, with the price
    assert 'data-test="why"' in live_card and "Live now" in live_card
    first = feed[feed.index('data-test="feed"'):]
    items = re.findall(r'<article class="card [a-z]+-card".*?</article>', first.split("</section>")[0], re.S)
    assert items and all('data-test="why"' in item for item in items)  # every item says why


def test_a_sponsored_item_is_labelled_and_opening_it_counts_the_click(ads: Any) -> None:
    from pasar.testing.pages_factories import WebClient

    shop = ads.seller()
    promoted = ads.product(shop)
    ads.fund(shop, "50.00")
    campaign = ads.campaign(shop, billing="cpc", bid="0.50", product_id=promoted.id)
    others = [ads.seller(), ads.seller()]
    for number in range(discover.PAGE_SIZE + 5):  # newer things: the promoted one is not on page 1 by ranking
        ads.product(others[number % 2])
    browser = WebClient(ads.app.test_client(), "uk")
    page = html(browser.get("/"))
    cards = re.findall(r'<article class="card [a-z]+-card".*?</article>', page, re.S)
    sponsored = [card for card in cards if 'data-test="sponsored"' in card]
    assert len(sponsored) == 1 and f'data-product-id="{promoted.id}"' in sponsored[0]
    assert cards.index(sponsored[0]) == 2  # the feed's third place
    token = re.search(r'name="token" value="([^"]+)"', sponsored[0])
    assert token is not None and 'data-test="sponsored-open"' in sponsored[0]
    opened = browser.post("/sponsored", {"token": token.group(1)})
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/t/uk/p/{promoted.id}")
    assert ads.day(campaign["id"])[1:] == (1, 1)  # one impression, one click


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
