"""The shopping tab where the marketplace has it (a 404 page naming the feature elsewhere),
search in Thai and Vietnamese with result pages, and category pages with their products."""
from __future__ import annotations

import re
from typing import Any

from pasar.testing.pages_factories import MakeWebClient

_CARDS = re.compile(r'data-test="product-card" data-product-id="(\d+)"')


def html(response: Any) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:800]
    return str(response.get_data(as_text=True))


def card_ids(page: str) -> list[int]:
    return [int(found) for found in _CARDS.findall(page)]


def test_the_shopping_tab_is_a_404_page_naming_the_feature_where_it_is_off(web: MakeWebClient) -> None:
    response = web("nl").get("/shop")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert 'data-feature="shopping_tab"' in page and "shopping_tab" in page
    assert 'data-test="nav-shop"' not in page


def test_the_shopping_tab_shows_categories_deals_and_picks_in_thailand(
    web: MakeWebClient, make_seller: Any, make_product: Any, make_category: Any, make_deal: Any,
) -> None:
    category_id = make_category("th", "kitchen")
    shop = make_seller("th")
    on_sale = make_product(shop, price="300", stock=20)
    deal = make_deal(on_sale, price="199", quota=8)
    page = html(web("th").get("/shop"))
    assert 'data-test="nav-shop"' in page
    assert f'href="/t/th/c/{category_id}"' in page and "Kitchen" in page
    assert f'data-deal-id="{deal["id"]}"' in page and "฿199.00" in page and "data-countdown" in page
    assert 'data-test="recommendations"' in page and 'data-test="product-card"' in page


def test_search_finds_a_thai_title_by_a_word_inside_it(web: MakeWebClient, make_seller: Any, make_titled: Any) -> None:
    shop = make_seller("th")
    shoes = make_titled(shop, {"th_TH": ("รองเท้าวิ่งผู้ชายน้ำหนักเบา", "รองเท้ากีฬาสำหรับวิ่งมาราธอน")})
    rice = make_titled(shop, {"th_TH": ("ข้าวหอมมะลิ", "ข้าวสารคุณภาพดีจากสุรินทร์")})
    page = html(web("th").get("/search?q=วิ่งผู้ชาย"))
    assert shoes.id in card_ids(page) and rice.id not in card_ids(page)
    assert 'value="วิ่งผู้ชาย"' in page


def test_search_finds_a_vietnamese_title_with_or_without_tones(web: MakeWebClient, make_seller: Any, make_titled: Any) -> None:
    shop = make_seller("vn")
    shoes = make_titled(shop, {"vi_VN": ("Giày thể thao nữ", "Giày chạy bộ siêu nhẹ")}, price="450000")
    browser = web("vn")
    assert shoes.id in card_ids(html(browser.get("/search?q=giày thể thao")))
    assert shoes.id in card_ids(html(browser.get("/search?q=giay the thao")))
    assert "450.000\xa0₫" in html(browser.get("/search?q=giay the thao"))


def test_search_results_come_in_pages(web: MakeWebClient, make_seller: Any, make_titled: Any) -> None:
    shop = make_seller("ph")
    made = {make_titled(shop, {"fil_PH": (f"Walis tambo {n}", "Gawa sa tambo")}).id for n in range(22)}
    browser = web("ph")
    first = html(browser.get("/search?q=walis tambo"))
    following = re.search(r'href="([^"]+)" data-test="search-next"', first)
    assert following is not None
    second = html(browser.get(following.group(1).replace("&amp;", "&").removeprefix("/t/ph")))
    assert 'data-test="search-prev"' in second
    assert made == set(card_ids(first)) | set(card_ids(second))
    assert not set(card_ids(first)) & set(card_ids(second))


def test_an_empty_result_says_so(web: MakeWebClient) -> None:
    page = html(web("uk").get("/search?q=zzqqxxnothing"))
    assert 'data-test="no-results"' in page


def test_a_category_page_lists_its_products_and_its_subcategories_products(
    app: Any, web: MakeWebClient, make_seller: Any, make_titled: Any, make_category: Any,
) -> None:
    from pasar.catalog import service
    from pasar.testing.catalog_factories import tenant_context

    parent = make_category("id", "dapur")
    tenant = tenant_context(app, "id")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        child = service.create_category(session, tenant, slug="panci-test", names={"id_ID": "Panci"}, parent_id=parent).id
        session.commit()
    shop = make_seller("id")
    pot = make_titled(shop, {"id_ID": ("Panci presto", "Panci 5 liter")}, price="250000", category_id=child)
    page = html(web("id").get(f"/c/{parent}"))
    assert pot.id in card_ids(page) and "Rp\xa0250.000" in page
    assert f'href="/t/id/c/{child}"' in page and "Panci" in page
    child_page = html(web("id").get(f"/c/{child}"))
    assert f'href="/t/id/c/{parent}"' in child_page  # the breadcrumb back up


def test_an_unknown_category_is_a_not_found_page(web: MakeWebClient) -> None:
    response = web("uk").get("/c/999999")
    assert response.status_code == 404 and 'data-test="error"' in response.get_data(as_text=True)
