"""Quotes across a tenant's carriers, from the seller's ship-from address."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from pasar import contracts as c
from pasar.shipping import service
from pasar.testing.catalog_factories import tenant_context

UK_ADDRESS = {"name": "Example Shop", "phone": "+442070000000", "line1": "2 Dock Rd", "city": "Leeds",
              "region": "West Yorkshire", "postal_code": "LS1 1AA"}


def quotes(app: Any, code: str, seller_id: int, destination: c.Address, parcel: c.Parcel) -> list[c.ShippingQuote]:
    tenant = tenant_context(app, code)
    db = app.extensions["pasar.db"]
    carriers = service.carriers_from(db, app.config["PASAR"])
    with db.session(tenant.id) as session:
        return service.quote_options(session, tenant, seller_id, destination, parcel, carriers=carriers)


def test_quotes_cover_every_carrier_of_the_tenant_cheapest_first(app: Any, make_seller: Any) -> None:
    seller = make_seller("uk")
    found = quotes(app, "uk", seller.id, c.Address(country="GB", city="London"), c.Parcel(weight_grams=900))
    tenant = tenant_context(app, "uk")
    assert {q.carrier for q in found} == {info.code for info in tenant.carriers()}
    assert [q.amount for q in found] == sorted(q.amount for q in found)
    assert all(q.currency == "GBP" for q in found)


def test_a_seller_without_an_address_ships_from_the_tenant_country(app: Any, make_seller: Any) -> None:
    seller = make_seller("th")
    found = quotes(app, "th", seller.id, c.Address(country="TH", city="Chiang Mai"), c.Parcel(weight_grams=500))
    assert found and {q.zone for q in found} == {"national"}


def test_a_seller_in_the_buyers_city_gets_the_local_rate(app: Any, make_seller: Any, client: Any) -> None:
    seller = make_seller("uk")
    answer = client.put("/api/v1/seller/address", json=UK_ADDRESS, headers=seller.headers)
    assert answer.status_code == 200, answer.get_json()
    local = quotes(app, "uk", seller.id, c.Address(country="GB", city="Leeds"), c.Parcel(weight_grams=900))
    national = quotes(app, "uk", seller.id, c.Address(country="GB", city="London"), c.Parcel(weight_grams=900))
    assert {q.zone for q in local} == {"local"}
    assert min(q.amount for q in local) < min(q.amount for q in national)


def test_a_cash_on_delivery_parcel_is_quoted_only_by_carriers_that_collect_cash(app: Any, make_seller: Any) -> None:
    seller = make_seller("my")
    parcel = c.Parcel(weight_grams=500, cod_amount=Decimal("80.00"))
    found = quotes(app, "my", seller.id, c.Address(country="MY", city="Ipoh"), parcel)
    tenant = tenant_context(app, "my")
    collecting = {info.code for info in tenant.carriers() if info.cod}
    assert found and {q.carrier for q in found} <= collecting
    assert "citylink" not in {q.carrier for q in found}


def test_the_ship_from_address_must_be_in_the_tenant_country(client: Any, make_seller: Any) -> None:
    seller = make_seller("uk")
    answer = client.put("/api/v1/seller/address", json={**UK_ADDRESS, "country": "FR"}, headers=seller.headers)
    assert answer.status_code == 422
    assert "country" in answer.get_json()["errors"]


def test_the_ship_from_address_refuses_unknown_fields(client: Any, make_seller: Any) -> None:
    seller = make_seller("uk")
    answer = client.put("/api/v1/seller/address", json={**UK_ADDRESS, "seller_id": 1}, headers=seller.headers)
    assert answer.status_code == 422
    assert "seller_id" in answer.get_json()["errors"]


def test_a_seller_reads_back_the_address_it_set(client: Any, make_seller: Any) -> None:
    seller = make_seller("uk")
    assert client.get("/api/v1/seller/address", headers=seller.headers).status_code == 404
    client.put("/api/v1/seller/address", json=UK_ADDRESS, headers=seller.headers)
    answer = client.get("/api/v1/seller/address", headers=seller.headers).get_json()
    assert answer["city"] == "Leeds" and answer["country"] == "GB"
