"""GET /api/v1/tenant: a tenant's capabilities, found by host, header or path prefix."""
from __future__ import annotations

from typing import Any

import pytest


def capabilities(client: Any, code: str, **headers: str) -> dict[str, Any]:
    response = client.get("/api/v1/tenant", headers={"X-Pasar-Tenant": code, **headers})
    assert response.status_code == 200, response.json
    return response.json


def method_codes(data: dict[str, Any]) -> set[str]:
    return {m["code"] for m in data["payment_methods"]}


def test_the_tenant_is_found_by_host_name(client: Any) -> None:
    response = client.get("/api/v1/tenant", headers={"Host": "uk.localhost:5000"})
    assert response.json["code"] == "uk"


def test_the_tenant_is_found_by_header(client: Any) -> None:
    assert capabilities(client, "de")["currency"] == "EUR"


def test_the_tenant_is_found_by_path_prefix(client: Any) -> None:
    response = client.get("/t/th/api/v1/tenant")
    assert response.status_code == 200 and response.json["country"] == "TH"


def test_the_path_prefix_wins_over_the_host(client: Any) -> None:
    response = client.get("/t/vn/api/v1/tenant", headers={"Host": "uk.localhost"})
    assert response.json["code"] == "vn"


@pytest.mark.parametrize("request_kwargs", [
    {"path": "/api/v1/tenant", "headers": {"X-Pasar-Tenant": "xx"}},
    {"path": "/api/v1/tenant", "headers": {"Host": "nowhere.localhost"}},
    {"path": "/t/xx/api/v1/tenant", "headers": {}},
])
def test_an_unknown_tenant_is_a_404_problem(client: Any, request_kwargs: dict[str, Any]) -> None:
    response = client.get(request_kwargs["path"], headers=request_kwargs["headers"])
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json["title"] == "Not Found" and "unknown tenant" in response.json["detail"]


def test_the_uk_is_offered_no_indonesian_wallet(client: Any) -> None:
    uk = method_codes(capabilities(client, "uk"))
    assert "card" in uk and not uk & {"gopay", "ovo", "dana", "qris"}


def test_indonesia_is_offered_no_ideal(client: Any) -> None:
    indonesia = method_codes(capabilities(client, "id"))
    assert {"gopay", "qris", "cod"} <= indonesia and "ideal_wero" not in indonesia


def test_the_netherlands_is_offered_ideal_and_no_social_features(client: Any) -> None:
    nl = capabilities(client, "nl")
    assert "ideal_wero" in method_codes(nl)
    assert not any(nl["features"].values())


def test_tax_display_and_return_window_come_from_the_region_plugin(client: Any) -> None:
    us, de = capabilities(client, "us"), capabilities(client, "de")
    assert (us["tax_display"], de["tax_display"]) == ("exclusive", "inclusive")
    assert de["return_window_days"] == 14 and de["prior_price_days"] == 30


def test_cash_on_delivery_shows_its_cap(client: Any) -> None:
    cod = next(m for m in capabilities(client, "vn")["payment_methods"] if m["code"] == "cod")
    assert cod["flow"] == "on_delivery" and cod["max_amount"] is not None


def test_payment_method_names_follow_the_buyers_language(client: Any) -> None:
    def cod_name(code: str, language: str) -> str:
        methods = capabilities(client, code, **{"Accept-Language": language})["payment_methods"]
        return next(m["name"] for m in methods if m["code"] == "cod")

    assert cod_name("my", "en") == "Cash on delivery"
    assert cod_name("my", "ms") == "Tunai semasa penghantaran (COD)"
    assert cod_name("th", "en") == "เก็บเงินปลายทาง", "th offers only Thai"


def test_the_openapi_document_lists_the_tenant_endpoint(client: Any) -> None:
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.") and "/api/v1/tenant" in spec["paths"]
    assert "TenantCapabilities" in spec["components"]["schemas"]


def test_the_plugins_endpoint_needs_no_tenant_and_lists_hooks(client: Any) -> None:
    plugins = {p["name"]: p for p in client.get("/api/v1/plugins").json}
    assert {"sea", "ukeu", "us"} <= set(plugins)
    assert "pasar_tax_quote" in plugins["sea"]["hooks"]


def test_an_unknown_route_is_a_problem_too(client: Any) -> None:
    response = client.get("/api/v1/nothing-here", headers={"X-Pasar-Tenant": "uk"})
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
