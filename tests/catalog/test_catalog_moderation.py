"""Operators keep the category tree and take products off the marketplace (and back)."""
from __future__ import annotations

import uuid
from typing import Any

UK = {"X-Pasar-Tenant": "uk"}


def slug() -> str:
    return f"cat-{uuid.uuid4().hex[:10]}"


def test_an_operator_adds_categories_that_everyone_reads_in_their_language(client: Any, operator_login: Any) -> None:
    headers = operator_login(("us",)) | {"X-Pasar-Tenant": "us"}
    url = "/api/v1/operator/categories"
    root = client.post(url, json={"slug": slug(), "names": {"en_US": "Kitchen", "es_US": "Cocina"}}, headers=headers)
    assert root.status_code == 201, root.json
    child = client.post(
        url,
        json={"slug": slug(), "names": {"en_US": "Mugs"}, "parent_id": root.json["id"], "position": 2}, headers=headers,
    )
    assert child.status_code == 201 and child.json["parent_id"] == root.json["id"]

    spanish = client.get("/api/v1/categories?lang=es_US", headers={"X-Pasar-Tenant": "us"}).json
    by_id = {c["id"]: c for c in spanish}
    assert by_id[root.json["id"]]["name"] == "Cocina"
    assert by_id[child.json["id"]]["name"] == "Mugs"  # no Spanish name: the default language's
    assert root.json["id"] not in {c["id"] for c in client.get("/api/v1/categories", headers=UK).json}


def test_category_mistakes_are_refused_naming_the_field(client: Any, operator_login: Any) -> None:
    headers = operator_login(("uk",)) | UK
    taken = slug()
    url = "/api/v1/operator/categories"
    assert client.post(url, json={"slug": taken, "names": {"en_GB": "Garden"}}, headers=headers).status_code == 201
    cases = [
        ({"slug": taken, "names": {"en_GB": "Garden again"}}, 409, "slug"),
        ({"slug": "Not A Slug", "names": {"en_GB": "X"}}, 422, "slug"),
        ({"slug": slug(), "names": {"de_DE": "Garten"}}, 422, "names.de_DE"),
        ({"slug": slug(), "names": {}}, 422, "names.en_GB"),
        ({"slug": slug(), "names": {"en_GB": "Orphan"}, "parent_id": 987654}, 422, "parent_id"),
        ({"slug": slug(), "names": {"en_GB": "X"}, "tenant_id": 2}, 422, "tenant_id"),
    ]
    for body, status, field in cases:
        answer = client.post(url, json=body, headers=headers)
        assert (answer.status_code, field in answer.json.get("errors", {})) == (status, True), (body, answer.json)


def test_categories_are_for_operators_of_that_marketplace(client: Any, operator_login: Any, make_seller: Any) -> None:
    body = {"slug": slug(), "names": {"en_GB": "Tools"}}
    url = "/api/v1/operator/categories"
    assert client.post(url, json=body, headers=make_seller("uk").headers).status_code == 403
    assert client.post(url, json=body, headers=operator_login(("de",)) | UK).status_code == 401


def test_a_blocked_product_leaves_the_marketplace_until_unblocked(
    client: Any, operator_login: Any, make_seller: Any, make_product: Any
) -> None:
    seller = make_seller("uk")
    product = make_product(seller)
    operator = operator_login(("uk",)) | UK
    listed = {"seller": seller.id}

    moderate, own_url = f"/api/v1/operator/products/{product.id}", f"/api/v1/seller/products/{product.id}"
    blocked = client.post(f"{moderate}/block", json={"reason": "counterfeit brand"}, headers=operator)
    assert blocked.status_code == 200
    assert (blocked.json["moderation"], blocked.json["moderation_reason"]) == ("blocked", "counterfeit brand")
    assert client.get(f"/api/v1/products/{product.id}", headers=UK).status_code == 404
    assert client.get("/api/v1/products", query_string=listed, headers=UK).json["items"] == []
    own = client.get(own_url, headers=seller.headers).json
    assert (own["moderation"], own["moderation_reason"]) == ("blocked", "counterfeit brand")

    archived = client.patch(own_url, json={"status": "archived"}, headers=seller.headers)
    assert archived.status_code == 200
    back = client.patch(own_url, json={"status": "active"}, headers=seller.headers)
    assert back.status_code == 409 and "status" in back.json["errors"]

    assert client.post(f"{moderate}/unblock", headers=operator).json["moderation"] == "approved"
    assert client.patch(own_url, json={"status": "active"}, headers=seller.headers).status_code == 200
    items = client.get("/api/v1/products", query_string=listed, headers=UK).json["items"]
    assert [p["id"] for p in items] == [product.id]


def test_moderation_needs_a_reason_an_operator_and_the_right_marketplace(
    client: Any, operator_login: Any, make_seller: Any, make_product: Any
) -> None:
    seller = make_seller("uk")
    product = make_product(seller)
    url = f"/api/v1/operator/products/{product.id}/block"
    operator = operator_login(("uk", "de"))
    assert client.post(url, json={"reason": "spam"}, headers=seller.headers).status_code == 403
    assert "reason" in client.post(url, json={}, headers=operator | UK).json["errors"]
    assert client.post(url, json={"reason": "spam"}, headers=operator | {"X-Pasar-Tenant": "de"}).status_code == 404
    assert client.get(f"/api/v1/products/{product.id}", headers=UK).status_code == 200
