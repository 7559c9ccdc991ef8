"""``require_auth(*roles)``: 401 without a valid token, 403 without one of the roles."""
from __future__ import annotations

from typing import Any

import pytest

from pasar.accounts import service
from pasar.accounts.auth import current_principal, require_auth
from pasar.testing.accounts_factories import Login, OperatorLogin, tenant_context


@require_auth("seller", "creator")
def seller_or_creator_view() -> str:
    principal = current_principal()
    assert principal is not None
    return f"hello {principal.kind} {principal.id}"


@require_auth("operator")
def operator_view() -> str:
    return "console"


def call(app: Any, view: Any, headers: dict[str, str]) -> tuple[int, Any]:
    """Run ``view`` inside a request with these headers, as the app would (tenant resolved)."""
    with app.test_request_context("/api/v1/anything", headers=headers):
        app.preprocess_request()
        result = view()
    if isinstance(result, str):
        return 200, result
    return result.status_code, result.get_json()


def test_a_principal_with_one_of_the_roles_gets_in(app: Any, login: Login) -> None:
    principal, headers = login("uk", "creator", creator_id=5)
    assert call(app, seller_or_creator_view, headers) == (200, f"hello user {principal.id}")


def test_a_principal_without_any_of_the_roles_gets_a_403_problem(app: Any, login: Login) -> None:
    _, headers = login("uk", "buyer")
    status, body = call(app, seller_or_creator_view, headers)
    assert status == 403
    assert body["title"] == "Forbidden" and "seller or creator" in body["detail"]


def test_no_token_is_401_before_any_role_check(app: Any) -> None:
    status, _ = call(app, seller_or_creator_view, {"X-Pasar-Tenant": "uk"})
    assert status == 401


def test_a_buyer_is_forbidden_where_operators_work(app: Any, login: Login) -> None:
    _, headers = login("uk", "buyer")
    assert call(app, operator_view, headers)[0] == 403


def test_an_operator_passes_an_operator_check(app: Any, operator_login: OperatorLogin) -> None:
    headers = operator_login(tenants=("uk",)) | {"X-Pasar-Tenant": "uk"}
    assert call(app, operator_view, headers) == (200, "console")


def test_an_unknown_role_is_a_programming_error_caught_at_import() -> None:
    with pytest.raises(ValueError, match="unknown role"):
        require_auth("admin")


def test_protected_endpoints_document_the_bearer_requirement(client: Any) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    me = spec["paths"]["/api/v1/me"]["get"]
    assert me["security"] == [{"bearer": []}]
    assert "401" in me["responses"]
    assert "security" not in spec["paths"]["/api/v1/auth/login"]["post"]


def test_granting_the_seller_role_needs_the_shop(app: Any, login: Login) -> None:
    principal, _ = login("uk")
    tenant = tenant_context(app, "uk")
    with pytest.raises(service.InvalidRole, match="seller_id"):
        with app.extensions["pasar.db"].session(tenant.id) as session:
            service.grant_role(session, tenant, principal.id, "seller")


def test_granting_an_unknown_role_is_refused(app: Any, login: Login) -> None:
    principal, _ = login("uk")
    tenant = tenant_context(app, "uk")
    with pytest.raises(service.InvalidRole, match="unknown role"):
        with app.extensions["pasar.db"].session(tenant.id) as session:
            service.grant_role(session, tenant, principal.id, "operator")


def test_granting_a_role_to_another_tenants_user_finds_no_user(app: Any, login: Login) -> None:
    principal, _ = login("de")
    tenant = tenant_context(app, "uk")
    with pytest.raises(service.UserNotFound):
        with app.extensions["pasar.db"].session(tenant.id) as session:
            service.grant_role(session, tenant, principal.id, "creator", creator_id=1)
