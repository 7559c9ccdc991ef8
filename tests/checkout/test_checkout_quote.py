"""The checkout quote: per shop lines, vouchers split to the cent, tax from the region plugin
on discounted prices (inside UK prices, on top of US prices), shipping options, and the
payment methods this basket may use (cash on delivery only under its cap and never for
excluded categories)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from pasar.money import format_money, money
from pasar.testing.accounts_factories import tenant_context
from pasar.testing.commerce_factories import address_for


def quote(client: Any, headers: dict[str, str], address: dict[str, str], **extra: Any) -> Any:
    return client.post("/api/v1/checkout/quote", json={"shipping_address": address, **extra}, headers=headers)


def operator_voucher(client: Any, operator_login: Any, tenant: str, **body: Any) -> Any:
    headers = operator_login(tenants=(tenant,)) | {"X-Pasar-Tenant": tenant}
    answer = client.post("/api/v1/operator/vouchers", json=body, headers=headers)
    assert answer.status_code == 201, answer.json
    return answer.json


def shop_voucher(client: Any, seller: Any, **body: Any) -> Any:
    answer = client.post("/api/v1/seller/vouchers", json=body, headers=seller.headers)
    assert answer.status_code == 201, answer.json
    return answer.json


def minor(amount: dict[str, Any]) -> int:
    return int(amount["minor"])


def test_uk_vat_is_inside_the_displayed_price(app: Any, client: Any, login: Any, make_seller: Any,
                                              make_product: Any, commerce: Any) -> None:
    _, buyer = login("uk", "buyer")
    commerce.add_to_cart(buyer, make_product(make_seller("uk"), price="12.00").variant_id)

    answer = quote(client, buyer, address_for(app, "uk"))
    assert answer.status_code == 200, answer.json
    group = answer.json["groups"][0]
    line = group["lines"][0]
    assert (line["tax"]["amount"], line["tax_rate"], line["total"]["amount"]) == ("2.00", "0.2", "12.00")
    assert group["tax_included"] is True
    totals = answer.json["totals"]
    assert minor(totals["tax_added"]) == 0
    assert minor(totals["total"]) == 1200 + minor(totals["shipping"])


def test_us_sales_tax_is_added_on_top_by_state_and_city(app: Any, client: Any, login: Any, make_seller: Any,
                                                        make_product: Any, commerce: Any) -> None:
    _, buyer = login("us", "buyer")
    commerce.add_to_cart(buyer, make_product(make_seller("us"), price="100.00").variant_id)

    answer = quote(client, buyer, address_for(app, "us"))  # New York City, NY: 8.875 %
    assert answer.status_code == 200, answer.json
    group = answer.json["groups"][0]
    assert group["lines"][0]["tax"]["amount"] == "8.88"
    assert (group["tax_included"], group["tax_collected_by"]) == (False, "marketplace")
    totals = answer.json["totals"]
    assert minor(totals["tax_added"]) == 888
    assert minor(totals["total"]) == 10000 + 888 + minor(totals["shipping"])
    assert totals["total"]["formatted"] == f"${Decimal(minor(totals['total'])) / 100:,.2f}"


def test_a_us_address_without_its_state_is_refused_naming_the_region(app: Any, client: Any, login: Any,
                                                                      make_seller: Any, make_product: Any,
                                                                      commerce: Any) -> None:
    _, buyer = login("us", "buyer")
    commerce.add_to_cart(buyer, make_product(make_seller("us")).variant_id)

    answer = quote(client, buyer, address_for(app, "us", region=""))
    assert answer.status_code == 422
    assert list(answer.json["errors"]) == ["shipping_address.region"]
    unknown = quote(client, buyer, address_for(app, "us", region="ZZ"))
    assert (unknown.status_code, list(unknown.json["errors"])) == (422, ["shipping_address.region"])


def test_an_address_outside_the_marketplace_country_is_refused(app: Any, client: Any, login: Any, make_seller: Any,
                                                               make_product: Any, commerce: Any) -> None:
    _, buyer = login("uk", "buyer")
    commerce.add_to_cart(buyer, make_product(make_seller("uk")).variant_id)
    answer = quote(client, buyer, address_for(app, "de") | {"country": "DE"})
    assert (answer.status_code, list(answer.json["errors"])) == (422, ["shipping_address.country"])


def test_amounts_are_formatted_in_the_request_locale(app: Any, client: Any, login: Any, make_seller: Any,
                                                     make_product: Any, commerce: Any) -> None:
    _, buyer = login("de", "buyer")
    commerce.add_to_cart(buyer, make_product(make_seller("de"), price="19.25").variant_id)
    answer = quote(client, buyer, address_for(app, "de"))
    line = answer.json["groups"][0]["lines"][0]
    assert line["unit_price"]["formatted"] == "19,25\xa0€"
    rules = tenant_context(app, "de").currency_rules()
    total = answer.json["totals"]["total"]
    assert total["formatted"] == format_money(money(total["amount"], "EUR"), "de_DE", rules)


def test_every_shop_gets_its_shipping_options_and_the_buyers_choice(app: Any, client: Any, login: Any,
                                                                    make_seller: Any, make_product: Any,
                                                                    commerce: Any) -> None:
    _, buyer = login("uk", "buyer")
    first, second = make_seller("uk"), make_seller("uk")
    commerce.add_to_cart(buyer, make_product(first).variant_id)
    commerce.add_to_cart(buyer, make_product(second).variant_id)

    cheapest = quote(client, buyer, address_for(app, "uk")).json
    options = cheapest["groups"][0]["shipping_options"]
    assert [o["selected"] for o in options].index(True) == 0
    assert [minor(o["amount"]) for o in options] == sorted(minor(o["amount"]) for o in options)
    dearest = options[-1]
    choice = {"seller_id": first.id, "carrier": dearest["carrier"], "service": dearest["service"]}
    chosen = quote(client, buyer, address_for(app, "uk"), shipping=[choice]).json
    assert chosen["groups"][0]["shipping"]["carrier"] == dearest["carrier"]
    assert minor(chosen["totals"]["shipping"]) == minor(dearest["amount"]) + minor(chosen["groups"][1]["shipping"]["amount"])

    bad = quote(client, buyer, address_for(app, "uk"), shipping=[{**choice, "service": "teleport"}])
    assert (bad.status_code, list(bad.json["errors"])) == (422, ["shipping"])
    stranger = quote(client, buyer, address_for(app, "uk"), shipping=[{**choice, "seller_id": 999_999}])
    assert (stranger.status_code, list(stranger.json["errors"])) == (422, ["shipping"])


def test_a_shop_and_a_platform_voucher_are_split_over_their_lines_to_the_cent(
    app: Any, client: Any, login: Any, make_seller: Any, make_product: Any, commerce: Any, operator_login: Any,
) -> None:
    _, buyer = login("uk", "buyer")
    shop, other = make_seller("uk"), make_seller("uk")
    for _ in range(3):
        commerce.add_to_cart(buyer, make_product(shop, price="10.00").variant_id)
    commerce.add_to_cart(buyer, make_product(other, price="5.00").variant_id)
    shop_voucher(client, shop, code="SHOP10", kind="fixed", value="10.00")
    operator_voucher(client, operator_login, "uk", code="PASAR10PCT", kind="percent", value="10")

    answer = quote(client, buyer, address_for(app, "uk"), vouchers=["shop10", "PASAR10PCT"])
    assert answer.status_code == 200, answer.json
    lines = [line for group in answer.json["groups"] for line in group["lines"]]
    shop_group, other_group = answer.json["groups"]
    assert [minor(g["totals"]["seller_discount"]) for g in (shop_group, other_group)] == [1000, 0]
    assert [minor(line["discount"]) for line in shop_group["lines"]] == [334 + 66, 333 + 67, 333 + 67]
    applied = {v["code"]: minor(v["discount"]) for v in answer.json["vouchers"]}
    assert applied == {"SHOP10": 1000, "PASAR10PCT": 250}  # 10 % of (30.00 - 10.00 + 5.00)
    assert sum(minor(line["discount"]) for line in lines) == 1250 == minor(answer.json["totals"]["discount"])
    assert sum(minor(g["totals"]["platform_discount"]) for g in answer.json["groups"]) == 250
    assert minor(answer.json["totals"]["total"]) == 3500 - 1250 + minor(answer.json["totals"]["shipping"])


def test_tax_is_charged_on_the_discounted_price(app: Any, client: Any, login: Any, make_seller: Any,
                                                make_product: Any, commerce: Any) -> None:
    _, buyer = login("us", "buyer")
    seller = make_seller("us")
    commerce.add_to_cart(buyer, make_product(seller, price="10.00").variant_id, 3)
    shop_voucher(client, seller, code="THIRTY-OFF", kind="fixed", value="1.00")

    line = quote(client, buyer, address_for(app, "us"), vouchers=["THIRTY-OFF"]).json["groups"][0]["lines"][0]
    # The dollar does not divide by three: one unit at 9.66 (tax 0.86) and two at 9.67
    # (19.34, tax 1.72), each group rounded per line as the plugin rounds an invoice line.
    assert (minor(line["discount"]), minor(line["tax"])) == (100, 86 + 172)


def test_voucher_refusals_name_the_vouchers_field(app: Any, client: Any, login: Any, make_seller: Any,
                                                  make_product: Any, commerce: Any, operator_login: Any) -> None:
    _, buyer = login("uk", "buyer")
    seller = make_seller("uk")
    commerce.add_to_cart(buyer, make_product(seller, price="10.00").variant_id)
    operator_voucher(client, operator_login, "uk", code="BIGSPEND", kind="fixed", value="5.00", min_spend="50.00")
    operator_voucher(client, operator_login, "uk", code="OVER", kind="percent", value="5",
                     valid_from="2020-01-01T00:00:00Z", valid_to="2020-02-01T00:00:00Z")
    shop_voucher(client, make_seller("uk"), code="ELSEWHERE", kind="percent", value="5")

    for code, reason in (("NOPE", "no such voucher"), ("OVER", "expired"), ("BIGSPEND", "spend at least £50.00"),
                         ("ELSEWHERE", "applies to a shop that is not in your cart")):
        answer = quote(client, buyer, address_for(app, "uk"), vouchers=[code])
        assert answer.status_code == 422, answer.json
        assert list(answer.json["errors"]) == ["vouchers"]
        assert reason in answer.json["errors"]["vouchers"][0]


def test_voucher_input_problems_name_the_field(client: Any, operator_login: Any, make_seller: Any) -> None:
    headers = operator_login(tenants=("uk",)) | {"X-Pasar-Tenant": "uk"}
    for body, field in (
        ({"code": "A B", "kind": "fixed", "value": "1.00"}, "code"),
        ({"code": "PCT", "kind": "percent", "value": "150"}, "value"),
        ({"code": "FINE", "kind": "fixed", "value": "1.001"}, "value"),
        ({"code": "CAP", "kind": "fixed", "value": "1.00", "max_discount": "2.00"}, "max_discount"),
        ({"code": "WHEN", "kind": "fixed", "value": "1.00", "valid_from": "2030-01-02T00:00:00Z",
          "valid_to": "2030-01-01T00:00:00Z"}, "valid_to"),
        ({"code": "MINE", "kind": "fixed", "value": "1.00", "seller_id": 1}, "seller_id"),
    ):
        answer = client.post("/api/v1/operator/vouchers", json=body, headers=headers)
        assert answer.status_code == 422, (body, answer.json)
        assert field in answer.json["errors"], (body, answer.json)
    client.post("/api/v1/operator/vouchers", json={"code": "TWICE", "kind": "fixed", "value": "1.00"}, headers=headers)
    again = client.post("/api/v1/operator/vouchers", json={"code": "twice", "kind": "fixed", "value": "1.00"}, headers=headers)
    assert (again.status_code, list(again.json["errors"])) == (409, ["code"])
    seller = make_seller("uk")
    assert client.post("/api/v1/operator/vouchers", json={"code": "SELLERS", "kind": "fixed", "value": "1.00"},
                       headers=seller.headers).status_code == 403


def test_cash_on_delivery_is_offered_under_its_cap_only(app: Any, client: Any, login: Any, make_seller: Any,
                                                        make_product: Any, commerce: Any) -> None:
    seller = make_seller("id")
    _, small = login("id", "buyer")
    commerce.add_to_cart(small, make_product(seller, price="150000").variant_id)
    allowed = quote(client, small, address_for(app, "id"), payment_method="cod")
    assert allowed.status_code == 200, allowed.json
    assert "cod" in [m["code"] for m in allowed.json["payment_methods"]]
    assert allowed.json["cash_total"]["formatted"].startswith("Rp\xa0")
    carriers = {info.code for info in tenant_context(app, "id").carriers() if info.cod}
    assert allowed.json["groups"][0]["shipping"]["carrier"] in carriers

    _, big = login("id", "buyer")
    commerce.add_to_cart(big, make_product(seller, price="6000000").variant_id)
    listed = quote(client, big, address_for(app, "id"))
    assert "cod" not in [m["code"] for m in listed.json["payment_methods"]]
    refused = quote(client, big, address_for(app, "id"), payment_method="cod")
    assert refused.status_code == 422
    assert refused.json["errors"] == {"payment_method": ["cod: only for totals up to Rp\xa05.000.000"]}


def test_cash_on_delivery_is_refused_for_excluded_categories(app: Any, client: Any, login: Any, make_seller: Any,
                                                             make_product: Any, commerce: Any) -> None:
    _, buyer = login("id", "buyer")
    commerce.add_to_cart(buyer, make_product(make_seller("id"), price="50000", category="food").variant_id)
    refused = quote(client, buyer, address_for(app, "id"), payment_method="cod")
    assert refused.status_code == 422
    assert refused.json["errors"] == {"payment_method": ["cod: not for food products"]}
    assert client.post("/api/v1/checkout/quote", json={"shipping_address": address_for(app, "id"),
                                                       "payment_method": "cod"}, headers=buyer).status_code == 422


def test_a_method_the_marketplace_does_not_offer_is_refused(app: Any, client: Any, login: Any, make_seller: Any,
                                                            make_product: Any, commerce: Any) -> None:
    _, buyer = login("uk", "buyer")  # cash on delivery is off in the UK
    commerce.add_to_cart(buyer, make_product(make_seller("uk")).variant_id)
    for method in ("cod", "gopay"):
        answer = quote(client, buyer, address_for(app, "uk"), payment_method=method)
        assert answer.json["errors"] == {"payment_method": [f"{method} is not offered here"]}


def test_cash_on_delivery_totals_are_rounded_to_the_cash_increment(app: Any, client: Any, login: Any,
                                                                   make_seller: Any, make_product: Any,
                                                                   commerce: Any) -> None:
    _, buyer = login("my", "buyer")
    commerce.add_to_cart(buyer, make_product(make_seller("my"), price="10.03").variant_id)
    answer = quote(client, buyer, address_for(app, "my"), payment_method="cod")
    assert answer.status_code == 200, answer.json
    total, cash = minor(answer.json["totals"]["total"]), minor(answer.json["cash_total"])
    assert cash % 5 == 0 and abs(cash - total) <= 2


def test_quote_bodies_refuse_unknown_fields_and_name_bad_ones(app: Any, client: Any, login: Any) -> None:
    _, buyer = login("uk", "buyer")
    address = address_for(app, "uk")
    for body, field in (
        ({"shipping_address": address, "total": "0.01"}, "total"),
        ({"shipping_address": address, "tenant_id": 2}, "tenant_id"),
        ({"shipping_address": {**address, "price": "1"}}, "shipping_address.price"),
        ({"shipping_address": {**address, "country": "GBR"}}, "shipping_address.country"),
        ({}, "shipping_address"),
        ({"shipping_address": address, "vouchers": "SAVE"}, "vouchers"),
    ):
        answer = client.post("/api/v1/checkout/quote", json=body, headers=buyer)
        assert answer.status_code == 422, (body, answer.json)
        assert field in answer.json["errors"], (body, answer.json)


def test_an_empty_cart_has_nothing_to_quote(app: Any, client: Any, login: Any) -> None:
    _, buyer = login("uk", "buyer")
    answer = quote(client, buyer, address_for(app, "uk"))
    assert (answer.status_code, answer.json["errors"]) == (422, {"cart": ["your cart is empty"]})
