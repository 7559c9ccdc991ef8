"""The product page: price in the local format with the region's tax display (included in the
UK, EU and Southeast Asia, added at checkout in the US), the EU's prior price on a reduction,
variants with the sold-out ones disabled, delivery options with dates, the return policy, and
an add-to-cart form. And the video page: the player, its products, likes and product taps."""
from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from pasar.testing.catalog_factories import tenant_context
from pasar.testing.pages_factories import MakeWebClient


def html(response: Any) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:800]
    return str(response.get_data(as_text=True))


def change_price(app: Any, code: str, variant_id: int, price: str) -> None:
    from pasar.catalog import service
    from pasar.catalog.models import Variant

    tenant = tenant_context(app, code)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        service.update_variant(session, tenant, session.get(Variant, variant_id), price=price)
        session.commit()


def test_a_uk_price_is_shown_with_vat_included(web: MakeWebClient, make_seller: Any, make_product: Any) -> None:
    product = make_product(make_seller("uk"), price="24.99")
    page = html(web("uk").get(f"/p/{product.id}"))
    assert re.search(r'data-test="price">£24.99<', page)
    assert re.search(r'data-test="tax-display">incl. VAT<', page)  # the plugin names the tax
    assert "UK VAT standard rate 20%" in page
    assert 'data-test="prior-price"' not in page  # no reduction, and no Omnibus rule in the UK


def test_a_reduced_price_in_the_eu_shows_the_lowest_price_of_the_prior_30_days(
    app: Any, web: MakeWebClient, make_seller: Any, make_product: Any,
) -> None:
    product = make_product(make_seller("ie"), price="40.00")
    change_price(app, "ie", product.variant_id, "30.00")
    page = html(web("ie").get(f"/p/{product.id}"))
    assert re.search(r'data-test="price">€30.00<', page)
    prior = re.search(r'data-test="prior-price"[^>]*>([^<]*)<', page)
    assert prior is not None and "hidden" not in prior.group(0)
    assert "Lowest price in the 30 days before this reduction: €40.00" in prior.group(1)


def test_a_raised_price_in_the_eu_shows_no_prior_price(
    app: Any, web: MakeWebClient, make_seller: Any, make_product: Any,
) -> None:
    product = make_product(make_seller("ie"), price="20.00")
    change_price(app, "ie", product.variant_id, "25.00")
    page = html(web("ie").get(f"/p/{product.id}"))
    assert "before this reduction: €" not in page


def test_a_us_price_says_tax_is_added_at_checkout(web: MakeWebClient, make_seller: Any, make_product: Any) -> None:
    product = make_product(make_seller("us"), price="19.99")
    page = html(web("us").get(f"/p/{product.id}"))
    assert re.search(r'data-test="price">\$19.99<', page)
    assert re.search(r'data-test="tax-display">plus sales tax<', page)
    assert "Sales tax is added at checkout" in page


def test_a_german_price_says_vat_the_german_way(web: MakeWebClient, make_seller: Any, make_product: Any) -> None:
    product = make_product(make_seller("de"), price="24.99")
    page = html(web("de").get(f"/p/{product.id}"))
    assert re.search(r'data-test="tax-display">inkl\. MwSt\.<', page)


def test_an_indonesian_price_names_ppn(web: MakeWebClient, make_seller: Any, make_product: Any) -> None:
    product = make_product(make_seller("id"), price="125000")
    page = html(web("id").get(f"/p/{product.id}"))
    assert re.search(r'data-test="tax-display">termasuk PPN<', page)
    english = html(web("id").get(f"/p/{product.id}?lang=en_ID"))
    assert re.search(r'data-test="tax-display">incl\. VAT<', english)  # the same tax, in English


def test_a_us_price_in_spanish_says_plus_sales_tax_in_spanish(
    web: MakeWebClient, make_seller: Any, make_product: Any,
) -> None:
    product = make_product(make_seller("us"), price="19.99")
    page = html(web("us").get(f"/p/{product.id}?lang=es_US"))
    assert re.search(r'data-test="tax-display">más impuesto sobre las ventas<', page)


def test_rupiah_are_shown_without_decimals(web: MakeWebClient, make_seller: Any, make_product: Any) -> None:
    product = make_product(make_seller("id"), price="1250000")
    page = html(web("id").get(f"/p/{product.id}"))
    assert re.search(r'data-test="price">Rp\xa01.250.000<', page)
    assert "Rp\xa01.250.000,00" not in page


def test_delivery_options_come_with_their_cost_and_dates(web: MakeWebClient, make_seller: Any, make_product: Any) -> None:
    product = make_product(make_seller("th"), price="590")
    page = html(web("th").get(f"/p/{product.id}"))
    delivery = page[page.index('data-test="delivery"'):page.index('id="returns"')]
    options = re.findall(r'data-test="delivery-option">(.*?)</li>', delivery, re.S)
    assert options, delivery
    assert all("฿" in option for option in options)
    cheapest = re.search(r'data-test="delivery-cheapest">(.*?)</p>', delivery, re.S)
    assert cheapest is not None and "฿" in cheapest.group(1) and "ได้รับ" in cheapest.group(1)  # "arrives", in Thai
    assert 'data-test="cash-on-delivery"' in delivery  # Thailand has cash on delivery


def test_the_return_policy_is_the_regions(web: MakeWebClient, make_seller: Any, make_product: Any) -> None:
    uk = html(web("uk").get(f"/p/{make_product(make_seller('uk')).id}"))
    policy = uk[uk.index('data-test="return-policy"'):]
    assert "within 14 days of delivery" in policy and "legal right" in policy
    us = html(web("us").get(f"/p/{make_product(make_seller('us')).id}"))
    assert "Returns are accepted within 30 days of delivery." in us
    assert 'data-test="cash-on-delivery"' not in us


def test_variants_out_of_stock_cannot_be_chosen(app: Any, web: MakeWebClient, make_seller: Any, make_product: Any) -> None:
    from pasar.catalog.inventory import set_stock

    product = make_product(make_seller("sg"), variants=2, stock=3)
    tenant = tenant_context(app, "sg")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        set_stock(session, tenant, product.variant_ids[0], 0)
        session.commit()
    page = html(web("sg").get(f"/p/{product.id}"))
    sold_out = re.search(rf'<option value="{product.variant_ids[0]}"([^>]*)>', page, re.S)
    in_stock = re.search(rf'<option value="{product.variant_ids[1]}"([^>]*)>', page, re.S)
    assert sold_out and "disabled" in sold_out.group(1)
    assert in_stock and "disabled" not in in_stock.group(1) and "selected" in in_stock.group(1)
    form = page[page.index('data-test="add-to-cart"'):]
    assert 'action="/t/sg/cart/add"' in page and 'name="csrf_token"' in form and 'name="quantity"' in form


def test_a_product_not_for_sale_is_a_not_found_page(web: MakeWebClient, make_seller: Any, make_product: Any) -> None:
    draft = make_product(make_seller("uk"), status="draft")
    response = web("uk").get(f"/p/{draft.id}")
    assert response.status_code == 404 and 'data-test="error"' in response.get_data(as_text=True)


def test_another_marketplaces_product_is_not_found(web: MakeWebClient, make_seller: Any, make_product: Any) -> None:
    product = make_product(make_seller("uk"))
    assert web("ie").get(f"/p/{product.id}").status_code == 404


# --- the video page ---------------------------------------------------------------------------------
def test_the_video_page_plays_the_video_over_its_cover_and_lists_its_products(
    web: MakeWebClient, make_seller: Any, make_product: Any, make_video: Any,
) -> None:
    shop = make_seller("uk", name="Teapot Emporium")
    teapot = make_product(shop, price="35.00")
    video = make_video(shop, [teapot], caption="Brewing the perfect cup")
    page = html(web("uk").get(f"/v/{video.id}"))
    assert re.search(r'<video id="video-player"[^>]*src="https://media.example/v.mp4"', page)
    assert "Brewing the perfect cup" in page and "Teapot Emporium" in page
    assert f'href="/t/uk/p/{teapot.id}" data-test="anchor"' in page and "£35.00" in page  # signed out: a link


def test_liking_a_video_needs_sign_in_and_counts(
    web: MakeWebClient, make_user: Any, make_seller: Any, make_product: Any, make_video: Any,
) -> None:
    shop = make_seller("th")
    video = make_video(shop, [make_product(shop, price="99")])
    browser = web("th")
    refused = browser.post(f"/v/{video.id}/like")
    assert refused.status_code == 302 and "/t/th/signin" in refused.headers["Location"]
    browser.sign_in(make_user("th", "buyer").email)
    liked = browser.post(f"/v/{video.id}/like")
    assert liked.status_code == 302
    page = html(browser.get(f"/v/{video.id}"))
    assert re.search(r'data-test="like-count">1<', page) and 'aria-pressed="true"' in page
    token = browser.csrf(f"/v/{video.id}")
    headers = {"X-CSRF-Token": token, "Accept": "application/json"}
    # The button toggles: a buyer likes a video once, pressing again takes the like back.
    scripted = browser.client.post(f"/t/th/v/{video.id}/like", headers=headers)
    assert scripted.status_code == 200 and scripted.json == {"likes": 0, "liked": False}
    assert browser.client.post(f"/t/th/v/{video.id}/like", headers=headers).json == {"likes": 1, "liked": True}


def test_a_buyers_tap_on_a_video_product_is_recorded_then_opens_it(
    app: Any, web: MakeWebClient, make_user: Any, make_seller: Any, make_product: Any, make_video: Any,
) -> None:
    from pasar.content.models import Interaction

    shop = make_seller("vn")
    product = make_product(shop, price="150000")
    video = make_video(shop, [product])
    buyer = make_user("vn", "buyer")
    browser = web("vn")
    browser.sign_in(buyer.email)
    page = html(browser.get(f"/v/{video.id}"))
    assert f'action="/t/vn/v/{video.id}/open"' in page
    opened = browser.post(f"/v/{video.id}/open", {"product_id": product.id})
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/t/vn/p/{product.id}?src=video&sid={video.id}")
    tenant = tenant_context(app, "vn")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        clicks = session.scalars(select(Interaction.product_id).where(
            Interaction.video_id == video.id, Interaction.buyer_id == buyer.id, Interaction.kind == "product_click")).all()
    assert clicks == [product.id]


def test_a_video_pending_moderation_is_not_found(web: MakeWebClient, make_seller: Any, make_video: Any) -> None:
    video = make_video(make_seller("uk"), moderation="pending")
    assert web("uk").get(f"/v/{video.id}").status_code == 404


def test_videos_answer_404_where_the_feature_is_off(web: MakeWebClient) -> None:
    response = web("nl").get("/v/1")
    assert response.status_code == 404 and 'data-feature="short_video"' in response.get_data(as_text=True)
