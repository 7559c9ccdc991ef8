"""Attribution: promotion links, clicks from links, videos and lives, and last click wins
within the tenant's attribution window."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from pasar import clock
from pasar.creators import service
from pasar.creators.models import PromotionClick
from pasar.testing.catalog_factories import tenant_context


def attributed(app: Any, code: str, buyer_id: int, product_id: int, tenant: Any = None) -> service.Attribution | None:
    tenant = tenant or tenant_context(app, code)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        return service.attribute(session, tenant, buyer_id, product_id, clock.now())


def click(app: Any, buyer_id: int, creator: Any, product: Any, ago: timedelta, kind: str = "video",
          source_id: int = 7) -> PromotionClick | None:
    tenant = tenant_context(app, creator.tenant)
    with app.extensions["pasar.db"].session(tenant.id, write=True) as session:
        return service.record_click(session, tenant, buyer_id, creator.id, product.id, kind, source_id,
                                    clock.now() - ago)


def test_a_link_needs_the_right_to_promote_and_is_made_once(client: Any, make_seller: Any, make_product: Any,
                                                            make_creator: Any, collaborate: Any) -> None:
    seller = make_seller("uk")
    product, creator = make_product(seller), make_creator("uk")
    refused = client.post("/api/v1/creator/links", json={"product_id": product.id}, headers=creator.headers)
    assert refused.status_code == 403 and "product_id" in refused.get_json()["errors"]
    collaborate(seller, product, creator)
    made = client.post("/api/v1/creator/links", json={"product_id": product.id}, headers=creator.headers)
    assert made.status_code == 201 and made.get_json()["url"].endswith(f"/api/v1/r/{made.get_json()['code']}")
    again = client.post("/api/v1/creator/links", json={"product_id": product.id}, headers=creator.headers)
    assert again.get_json()["code"] == made.get_json()["code"]


def test_following_a_link_credits_the_signed_in_buyer_and_opens_the_product(
    app: Any, client: Any, make_seller: Any, make_product: Any, make_creator: Any, collaborate: Any, login: Any,
) -> None:
    seller = make_seller("uk")
    product, creator = make_product(seller), make_creator("uk")
    collaborate(seller, product, creator)
    code = client.post("/api/v1/creator/links", json={"product_id": product.id}, headers=creator.headers).get_json()["code"]
    buyer, headers = login("uk", "buyer")
    followed = client.get(f"/api/v1/r/{code}", headers=headers)
    assert followed.status_code == 302 and followed.headers["Location"].endswith(f"/api/v1/products/{product.id}")
    anonymous = client.get(f"/api/v1/r/{code}", headers={"X-Pasar-Tenant": "uk"})
    assert anonymous.status_code == 302
    found = attributed(app, "uk", buyer.id, product.id)
    assert found is not None and (found.creator_id, found.source_kind) == (creator.id, "link")
    links = client.get("/api/v1/creator/links", headers=creator.headers).get_json()
    assert links[0]["clicks"] == 2
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        recorded = session.scalar(select(func.count()).select_from(PromotionClick).where(
            PromotionClick.product_id == product.id))
    assert recorded == 1  # the anonymous click is counted, but there is nobody to credit
    assert client.get("/api/v1/r/nosuchcode", headers=headers).status_code == 404


def test_the_last_click_within_the_window_wins(app: Any, make_seller: Any, make_product: Any, make_creator: Any,
                                               collaborate: Any, login: Any, time_travel: Any) -> None:
    seller = make_seller("uk")
    product = make_product(seller)
    first, last = make_creator("uk"), make_creator("uk")
    for creator in (first, last):
        collaborate(seller, product, creator)
    buyer, _ = login("uk", "buyer")
    time_travel(timedelta(hours=1))
    assert click(app, buyer.id, first, product, timedelta(0), "live", 11) is not None
    time_travel(timedelta(hours=1))
    assert click(app, buyer.id, last, product, timedelta(0), "video", 12) is not None
    time_travel(timedelta(hours=1))
    found = attributed(app, "uk", buyer.id, product.id)
    assert found is not None and (found.creator_id, found.source_kind, found.source_id) == (last.id, "video", 12)


def test_a_click_older_than_the_attribution_window_counts_for_nothing(
    app: Any, make_seller: Any, make_product: Any, make_creator: Any, login: Any,
) -> None:
    seller = make_seller("uk")
    product = make_product(seller)
    creator = make_creator("uk", owner=seller)  # its own shop: no collaboration needed
    old_buyer, recent_buyer = login("uk", "buyer")[0], login("uk", "buyer")[0]
    click(app, old_buyer.id, creator, product, timedelta(days=8))
    click(app, recent_buyer.id, creator, product, timedelta(days=6))
    assert attributed(app, "uk", old_buyer.id, product.id) is None
    assert attributed(app, "uk", recent_buyer.id, product.id) is not None
    tenant = tenant_context(app, "uk")
    shorter = replace(tenant, config=replace(tenant.config, settings={**tenant.config.settings, "attribution_days": "5"}))
    assert service.attribution_window(shorter) == timedelta(days=5)
    assert attributed(app, "uk", recent_buyer.id, product.id, shorter) is None


def test_clicks_without_the_right_to_promote_or_on_oneself_are_not_recorded(
    app: Any, make_seller: Any, make_product: Any, make_creator: Any, collaborate: Any, login: Any,
) -> None:
    seller = make_seller("uk")
    product, creator = make_product(seller), make_creator("uk")
    buyer, _ = login("uk", "buyer")
    assert click(app, buyer.id, creator, product, timedelta(0)) is None
    collaborate(seller, product, creator)
    assert click(app, creator.user_id, creator, product, timedelta(0)) is None
    assert click(app, buyer.id, creator, product, timedelta(0)) is not None
