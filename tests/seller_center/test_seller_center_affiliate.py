"""Seller center: affiliate offers for creators, applications approved, offers withdrawn."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from pasar.clock import today_in
from pasar.creators import service as creators
from pasar.testing.catalog_factories import tenant_context


def offers_of(app: Any, code: str, seller_id: int) -> list[Any]:
    tenant = tenant_context(app, code)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        found = creators.seller_offers(session, tenant, seller_id)
        session.expunge_all()
        return found


def test_an_open_offer_is_published_a_creator_applies_and_is_approved(
    app: Any, client: Any, make_seller: Any, make_product: Any, make_creator: Any, seller_web: Any,
) -> None:
    shop = make_seller("uk")
    product = make_product(shop)
    browser = seller_web(shop)
    page = browser.get("/seller/affiliate").get_data(as_text=True)
    assert 'id="offer-save"' in page and f'<option value="{product.id}">' in page
    last_day = today_in(tenant_context(app, "uk").config.timezone) + timedelta(days=14)
    published = browser.post("/seller/affiliate", {"product_id": str(product.id), "commission_rate": "12.5",
                                                   "ends_on": last_day.isoformat(), "note": "Show it outdoors"})
    assert published.status_code == 302, published.get_data(as_text=True)[:2000]
    [offer] = offers_of(app, "uk", shop.id)
    assert offer.rate_bp == 1250 and offer.creator_id is None and offer.note == "Show it outdoors"
    assert creators.rate_of(offer.rate_bp) == Decimal("0.1250")

    creator = make_creator("uk")
    applied = client.post(f"/api/v1/collaboration-offers/{offer.id}/apply", headers=creator.headers)
    assert applied.status_code in (200, 201), applied.get_json()
    collaboration_id = applied.get_json()["id"]
    listed = browser.get("/seller/affiliate").get_data(as_text=True)
    assert f'data-test="collaboration-approve-{collaboration_id}"' in listed and "12.5%" in listed
    assert browser.post(f"/seller/affiliate/collaborations/{collaboration_id}/approve").status_code == 302
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        [collaboration] = creators.seller_collaborations(session, tenant, shop.id)
        assert collaboration.status == "active"

    assert browser.post(f"/seller/affiliate/offers/{offer.id}/withdraw").status_code == 302
    assert offers_of(app, "uk", shop.id)[0].status == "withdrawn"


def test_a_commission_over_the_limit_is_refused_naming_the_field(
    app: Any, make_seller: Any, make_product: Any, seller_web: Any,
) -> None:
    shop = make_seller("uk")
    product = make_product(shop)
    last_day = today_in(tenant_context(app, "uk").config.timezone) + timedelta(days=3)
    response = seller_web(shop).post("/seller/affiliate", {"product_id": str(product.id), "commission_rate": "80",
                                                           "ends_on": last_day.isoformat()})
    assert response.status_code == 422
    assert 'id="commission_rate-error"' in response.get_data(as_text=True)
    assert offers_of(app, "uk", shop.id) == []


def test_another_shops_offer_cannot_be_withdrawn(
    app: Any, make_seller: Any, make_product: Any, seller_web: Any,
) -> None:
    owner = make_seller("uk")
    product = make_product(owner)
    last_day = today_in(tenant_context(app, "uk").config.timezone) + timedelta(days=3)
    seller_web(owner).post("/seller/affiliate", {"product_id": str(product.id), "commission_rate": "5",
                                                 "ends_on": last_day.isoformat()})
    [offer] = offers_of(app, "uk", owner.id)
    assert seller_web(make_seller("uk")).post(f"/seller/affiliate/offers/{offer.id}/withdraw").status_code == 404
    assert offers_of(app, "uk", owner.id)[0].status == "open"
