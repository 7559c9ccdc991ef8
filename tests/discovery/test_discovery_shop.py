"""The shopping tab answers only where the marketplace has the ``shopping_tab`` feature."""
from __future__ import annotations


def test_the_shopping_tab_lists_categories_search_and_recommendations(client, make_seller, make_titled, make_category) -> None:
    category = make_category("th", "kitchen")
    product = make_titled(make_seller("th"), {"th_TH": ("หม้อหุงข้าว", "หม้อหุงข้าวไฟฟ้า")}, category_id=category)
    answer = client.get("/api/v1/shop", headers={"X-Pasar-Tenant": "th"})
    assert answer.status_code == 200, answer.json
    assert category in [c["id"] for c in answer.json["categories"]]
    assert answer.json["search"] == {"endpoint": "/api/v1/search", "parameter": "q"}
    assert product.id in [p["id"] for p in answer.json["recommendations"]]
    assert isinstance(answer.json["deals"], list)


def test_without_the_feature_the_tab_is_a_problem_naming_it(client) -> None:
    capabilities = client.get("/api/v1/tenant", headers={"X-Pasar-Tenant": "nl"}).json
    answer = client.get("/api/v1/shop", headers={"X-Pasar-Tenant": "nl"})
    assert capabilities["features"]["shopping_tab"] is False
    assert answer.status_code == 404
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    assert answer.json["feature"] == "shopping_tab" and "shopping_tab" in answer.json["detail"]


def test_the_shopping_tab_shows_the_deals_running_now(client, make_seller, make_product, make_deal) -> None:
    product = make_product(make_seller("th"), price="100.00", stock=20)
    deal = make_deal(product, price="79.00", quota=5, per_buyer_limit=1)

    tab = client.get("/api/v1/shop", headers={"X-Pasar-Tenant": "th"}).json

    shown = {d["id"]: d for d in tab["deals"]}
    assert deal["id"] in shown and shown[deal["id"]]["price"] == "79.00" and shown[deal["id"]]["left"] == 5
