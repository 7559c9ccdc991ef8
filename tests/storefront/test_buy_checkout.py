"""The storefront checkout: the address in the country's layout with field-named errors, carriers
and payment methods from the quote (a refused one shown with its reason),
tax shown as each region shows it, one checkout per page key, and the payment's next step."""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from sqlalchemy import func, select

from pasar.orders.models import Checkout
from pasar.testing.buying_factories import MakeShopper
from pasar.testing.catalog_factories import tenant_context

_TOKEN = re.compile(r'name="token" value="([^"]+)"')


def checkouts_of(app: Any, code: str, buyer_id: int) -> int:
    tenant = tenant_context(app, code)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        return int(session.scalar(select(func.count()).select_from(Checkout).where(Checkout.buyer_id == buyer_id)) or 0)


def test_the_address_form_follows_the_country_and_names_the_field_at_fault(shopper: MakeShopper, make_seller: Any,
                                                                           make_product: Any) -> None:
    buyer = shopper("us")
    buyer.add(make_product(make_seller("us"), price="20.00"))
    first = buyer.browser.get("/checkout").get_data(as_text=True)
    assert first.index('id="address-city"') < first.index('id="address-region"') < first.index('id="address-postal_code"')
    assert '<select id="address-region"' in first and '<option value="NY"' in first
    refused = buyer.review("card", city="", region="")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert re.search(r'id="address-city"[^>]*aria-invalid="true" aria-describedby="city-error"', page, re.S)
    assert 'id="city-error"' in page and 'data-test="place-order"' not in page


def test_german_addresses_put_the_postcode_before_the_city(shopper: MakeShopper, make_seller: Any,
                                                           make_product: Any) -> None:
    buyer = shopper("de")
    buyer.add(make_product(make_seller("de"), price="20.00"))
    page = buyer.browser.get("/checkout").get_data(as_text=True)
    assert page.index('id="address-postal_code"') < page.index('id="address-city"')
    assert 'id="address-region"' not in page


def test_the_us_review_adds_sales_tax_on_top(shopper: MakeShopper, make_seller: Any, make_product: Any) -> None:
    buyer = shopper("us")
    buyer.add(make_product(make_seller("us"), price="100.00"))
    page = buyer.review("card").get_data(as_text=True)
    assert 'data-test="tax-added"' in page and 'data-test="tax-included"' not in page
    assert re.search(r'data-test="tax-added"><th scope="row">Sales tax</th><td class="num">\$\d+\.\d\d<', page)


def test_uk_totals_include_vat(shopper: MakeShopper, make_seller: Any, make_product: Any) -> None:
    buyer = shopper("uk")
    buyer.add(make_product(make_seller("uk"), price="24.00"))
    page = buyer.review("card").get_data(as_text=True)
    assert 'data-test="tax-added"' not in page
    assert "The total includes £4.00 VAT." in page  # 20% VAT inside £24.00
    shipping = re.search(r'data-test="shipping-total">£(\d+\.\d\d)<', page)
    total = re.search(r'data-test="order-total">£(\d+\.\d\d)<', page)
    assert shipping and total and float(total.group(1)) == 24.00 + float(shipping.group(1))


def test_promptpay_in_thailand_shows_the_qr_instructions_then_the_paid_order(app: Any, shopper: MakeShopper,
                                                                              make_seller: Any, make_product: Any) -> None:
    buyer = shopper("th")
    buyer.add(make_product(make_seller("th"), price="350"))
    confirmation = buyer.place("promptpay")
    page = confirmation.get_data(as_text=True)
    assert confirmation.status_code == 200, page[:2000]
    assert 'data-test="qr-payload">000201' in page and 'http-equiv="refresh"' in page
    sandbox = re.search(r'href="([^"]+)" data-test="sandbox-pay"', page)
    assert sandbox is not None
    client = buyer.browser.client
    shown = client.get(sandbox.group(1).replace("&amp;", "&"))
    token = _TOKEN.search(shown.get_data(as_text=True))
    assert token is not None
    pressed = client.post(sandbox.group(1), data={"token": token.group(1), "action": "pay"})
    back = client.get(pressed.headers["Location"], headers={"Accept": "text/html"})
    assert back.status_code == 303 and "/checkout/" in back.headers["Location"]
    done = client.get(urljoin(pressed.headers["Location"], back.headers["Location"])).get_data(as_text=True)
    assert 'data-status="captured"' in done and 'http-equiv="refresh"' not in done


def test_a_redirect_method_goes_to_the_payment_page_and_comes_back_to_the_confirmation(
        shopper: MakeShopper, make_seller: Any, make_product: Any) -> None:
    buyer = shopper("uk")
    buyer.add(make_product(make_seller("uk"), price="30.00"))
    placed = buyer.place("paypal")
    assert placed.status_code == 303 and "/sandbox/uk/pay/" in placed.headers["Location"]
    client = buyer.browser.client
    page = client.get(placed.headers["Location"])
    token = _TOKEN.search(page.get_data(as_text=True))
    assert token is not None
    pressed = client.post(placed.headers["Location"], data={"token": token.group(1), "action": "approve"})
    back = client.get(pressed.headers["Location"], headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert back.status_code == 303
    assert "payment=pay_" in back.headers["Location"]
    api = client.get(pressed.headers["Location"], headers={"Accept": "application/json"})
    assert api.status_code == 200 and api.get_json()["status"] == "paid"


def test_cash_on_delivery_in_indonesia_places_the_order_and_says_so(app: Any, shopper: MakeShopper,
                                                                     make_seller: Any, make_product: Any) -> None:
    buyer = shopper("id")
    buyer.add(make_product(make_seller("id"), price="150000"))
    confirmation = buyer.place("cod")
    page = confirmation.get_data(as_text=True)
    assert confirmation.status_code == 200, page[:2000]
    assert 'data-test="cash-on-delivery"' in page and 'http-equiv="refresh"' not in page
    assert checkouts_of(app, "id", buyer.user.id) == 1
    assert 'data-test="cart-empty"' in buyer.browser.get("/cart").get_data(as_text=True)


def test_cash_on_delivery_for_two_shops_is_offered(shopper: MakeShopper, make_seller: Any,
                                                   make_product: Any) -> None:
    """Each shop's parcel is paid at its own door: a cart of two shops may pay cash too."""
    buyer = shopper("th")
    buyer.add(make_product(make_seller("th"), price="100"))
    buyer.add(make_product(make_seller("th"), price="120"))
    page = buyer.review(None).get_data(as_text=True)
    assert 'id="pay-cod"' in page
    assert not re.search(r'id="pay-cod"[^>]*disabled', page, re.S)
    assert 'data-test="why-cod"' not in page


def test_the_same_page_submitted_twice_makes_one_checkout(app: Any, shopper: MakeShopper, make_seller: Any,
                                                          make_product: Any) -> None:
    buyer = shopper("uk")
    buyer.add(make_product(make_seller("uk"), price="10.00"))
    key = buyer.key_of(buyer.review("card"))
    first = buyer.submit("card", key)
    second = buyer.submit("card", key)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert checkouts_of(app, "uk", buyer.user.id) == 1
    done = buyer.browser.client.get(first.headers["Location"]).get_data(as_text=True)
    assert "Thank you! Your order is paid." in done


def test_a_refused_placement_shows_the_page_again_with_a_new_key(shopper: MakeShopper, make_seller: Any,
                                                                 make_product: Any) -> None:
    buyer = shopper("uk")
    buyer.add(make_product(make_seller("uk"), price="10.00"))
    key = buyer.key_of(buyer.review("card"))
    refused = buyer.submit("card", key, line1="")
    assert refused.status_code == 422
    assert buyer.key_of(refused) != key


def test_a_declined_card_ends_on_a_confirmation_that_says_the_payment_failed(shopper: MakeShopper, make_seller: Any,
                                                                             make_product: Any) -> None:
    from pasar.testing.commerce_factories import DECLINED_CARD

    buyer = shopper("uk")
    buyer.add(make_product(make_seller("uk"), price="10.00"))
    page = buyer.place("card", card_number=DECLINED_CARD).get_data(as_text=True)
    assert "Your payment did not go through." in page and 'data-test="payment-failure"' in page
    assert 'data-status="failed"' in page and 'http-equiv="refresh"' not in page


def test_an_authorised_card_waiting_for_its_capture_keeps_the_confirmation_refreshing(
        db: Any, shopper: MakeShopper, make_seller: Any, make_product: Any) -> None:
    from sqlalchemy import update

    from pasar.payments.models import Payment

    buyer = shopper("us")
    buyer.add(make_product(make_seller("us"), price="20.00"))
    placed = buyer.place("card", card_number="4242424242424242", follow=False)
    location = placed.headers["Location"]
    checkout_id = int(re.search(r"/checkout/(\d+)", location).group(1))  # type: ignore[union-attr]
    with db.session(all_tenants=True) as session:  # the capture's webhook has not come in yet
        session.execute(update(Payment).where(Payment.checkout_id == checkout_id).values(status="authorized"))
    page = buyer.browser.client.get(location).get_data(as_text=True)
    assert 'data-status="authorized"' in page and 'http-equiv="refresh"' in page
