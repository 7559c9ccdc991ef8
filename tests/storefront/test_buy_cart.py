"""The storefront cart: adding needs a signed-in buyer and the form's CSRF token; the cart shows
today's prices per shop in the buyer's locale and says whether tax is inside or added."""
from __future__ import annotations

from typing import Any

from pasar.testing.buying_factories import MakeShopper
from pasar.testing.pages_factories import MakeWebClient


def test_adding_to_the_cart_signed_out_goes_to_sign_in_and_back(web: MakeWebClient, make_seller: Any,
                                                                make_product: Any) -> None:
    product = make_product(make_seller("th"), price="199")
    browser = web("th")
    answer = browser.post("/cart/add", {"variant_id": product.variant_id, "next": "/t/th/products/1"})
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/t/th/signin?next=")
    assert "products" in answer.headers["Location"]
    scripted = browser.post("/cart/add", {"variant_id": product.variant_id}, headers={"Accept": "application/json"})
    assert scripted.status_code == 401 and "/signin" in scripted.get_json()["signin"]


def test_adding_without_the_csrf_token_is_refused_and_adds_nothing(shopper: MakeShopper, make_seller: Any,
                                                                    make_product: Any) -> None:
    buyer = shopper("uk")
    product = make_product(make_seller("uk"), price="12.50")
    refused = buyer.browser.post("/cart/add", {"variant_id": product.variant_id}, csrf=False)
    assert refused.status_code == 400
    assert 'data-test="cart-empty"' in buyer.browser.get("/cart").get_data(as_text=True)


def test_the_cart_shows_formatted_money_per_shop_and_inclusive_tax(shopper: MakeShopper, make_seller: Any,
                                                                    make_product: Any) -> None:
    buyer = shopper("id")
    first, second = make_product(make_seller("id"), price="150000"), make_product(make_seller("id"), price="25000")
    buyer.add(first, 2)
    buyer.add(second)
    page = buyer.browser.get("/cart?lang=en_ID").get_data(as_text=True)
    assert f'data-test="cart-shop-{first.seller.id}"' in page and f'data-test="cart-shop-{second.seller.id}"' in page
    assert "Rp\xa0300.000" in page  # the id_ID pattern: no sen, dot thousands
    assert 'data-test="cart-subtotal">Rp\xa0325.000<' in page
    assert "Prices include VAT." in page  # Indonesia's PPN, named in English


def test_the_us_cart_says_tax_is_added_and_a_script_gets_the_count(shopper: MakeShopper, make_seller: Any,
                                                                   make_product: Any) -> None:
    buyer = shopper("us")
    product = make_product(make_seller("us"), price="19.99")
    answer = buyer.browser.post("/cart/add", {"variant_id": product.variant_id, "quantity": 3},
                                headers={"Accept": "application/json"})
    assert answer.get_json() == {"count": 3}
    page = buyer.browser.get("/cart").get_data(as_text=True)
    assert "$59.97" in page and "Sales tax is added at checkout" in page


def test_quantities_change_and_lines_go_and_too_many_is_refused_by_name(shopper: MakeShopper, make_seller: Any,
                                                                        make_product: Any) -> None:
    buyer = shopper("uk")
    product = make_product(make_seller("uk"), price="5.00", stock=4)
    buyer.add(product)
    page = buyer.browser.get("/cart").get_data(as_text=True)
    line_id = int(page.split('data-test="cart-line-')[1].split('"')[0])
    buyer.browser.post(f"/cart/lines/{line_id}", {"quantity": 9})
    assert "Only 4 left in stock." in buyer.browser.get("/cart").get_data(as_text=True)
    buyer.browser.post(f"/cart/lines/{line_id}", {"quantity": 3})
    assert "£15.00" in buyer.browser.get("/cart").get_data(as_text=True)
    buyer.browser.post(f"/cart/lines/{line_id}/remove")
    assert 'data-test="cart-empty"' in buyer.browser.get("/cart").get_data(as_text=True)


def test_a_line_added_in_a_live_room_remembers_the_room(app: Any, shopper: MakeShopper, make_seller: Any,
                                                        make_product: Any, make_live: Any) -> None:
    from pasar.cart.service import cart_lines
    from pasar.testing.catalog_factories import tenant_context

    shop = make_seller("th")
    shown, hidden = make_product(shop, price="99"), make_product(shop, price="49")
    room = make_live(shop, [shown], status="live")
    buyer = shopper("th")
    buyer.add(shown, source_kind="live", source_id=room.id)
    refused = buyer.browser.post("/cart/add", {"variant_id": hidden.variant_id, "source_kind": "live",
                                               "source_id": room.id}, headers={"Accept": "application/json"})
    assert refused.status_code == 422 and refused.get_json()["count"] == 1
    tenant = tenant_context(app, "th")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        lines = cart_lines(session, tenant, buyer.user.id)
        assert [(line.variant_id, line.source_kind, line.source_id) for line in lines] == [(shown.variant_id, "live", room.id)]
