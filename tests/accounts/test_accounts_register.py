"""POST /api/v1/auth/register: a buyer account per tenant, signed in at once."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from pasar.accounts.models import User
from pasar.testing.accounts_factories import unique_email

UK = {"X-Pasar-Tenant": "uk"}
PASSWORD = "plenty of characters"


def register(client: Any, tenant: str = "uk", **body: Any) -> Any:
    payload = {"email": unique_email("new"), "password": PASSWORD, "name": "Ann Lee", **body}
    return client.post("/api/v1/auth/register", json=payload, headers={"X-Pasar-Tenant": tenant})


def users_with_email(db: Any, email: str) -> list[tuple[int, int]]:
    with db.session(all_tenants=True) as session:
        return [tuple(row) for row in session.execute(select(User.tenant_id, User.id).where(User.email == email))]


def test_registering_creates_a_buyer_and_returns_a_working_token(client: Any) -> None:
    email = unique_email("ann")
    response = register(client, email=email, phone="+447700900123")
    body = response.get_json()
    assert response.status_code == 201
    assert body["user"]["email"] == email and body["user"]["roles"] == ["buyer"]
    assert body["user"]["phone"] == "+447700900123" and body["token_type"] == "Bearer"
    assert "password" not in body["user"] and "password_hash" not in body["user"]
    me = client.get("/api/v1/me", headers={**UK, "Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200 and me.get_json()["id"] == body["user"]["id"]


def test_the_email_is_stored_lower_case(client: Any, db: Any) -> None:
    email = unique_email("Mixed.Case")
    response = register(client, email=email.upper())
    assert response.get_json()["user"]["email"] == email.lower()
    assert len(users_with_email(db, email.lower())) == 1


def test_the_password_is_stored_only_as_a_scrypt_hash(client: Any, db: Any) -> None:
    email = unique_email("hash")
    register(client, email=email)
    with db.session(all_tenants=True) as session:
        stored = session.scalar(select(User.password_hash).where(User.email == email))
    assert stored is not None and stored.startswith("scrypt$") and PASSWORD not in stored


def test_an_email_taken_in_the_tenant_is_a_conflict_naming_email(client: Any, db: Any) -> None:
    email = unique_email("twice")
    assert register(client, email=email).status_code == 201
    again = register(client, email=email.upper())
    assert again.status_code == 409
    assert again.mimetype == "application/problem+json"
    assert "email" in again.get_json()["errors"]
    assert len(users_with_email(db, email)) == 1


def test_the_same_email_in_two_tenants_is_two_users(client: Any, db: Any) -> None:
    email = unique_email("both")
    uk = register(client, "uk", email=email).get_json()["user"]
    de = register(client, "de", email=email).get_json()["user"]
    assert uk["id"] != de["id"]
    assert {tenant for tenant, _ in users_with_email(db, email)} == {_tenant_id(db, "uk"), _tenant_id(db, "de")}


@pytest.mark.parametrize("extra", [{"roles": ["seller"]}, {"seller_id": 1}, {"tenant_id": 2}, {"creator_id": 3}])
def test_fields_a_buyer_may_not_set_are_refused_and_nothing_is_created(client: Any, db: Any, extra: dict[str, Any]) -> None:
    email = unique_email("sneaky")
    response = register(client, email=email, **extra)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert users_with_email(db, email) == []


@pytest.mark.parametrize(
    ("password", "message"),
    [("short", "at least 10 characters"), ("{email}", "email")],
)
def test_a_weak_password_is_refused_naming_password(client: Any, db: Any, password: str, message: str) -> None:
    email = unique_email("weak")
    response = register(client, email=email, password=password.format(email=email))
    body = response.get_json()
    assert response.status_code == 422
    assert message in " ".join(body["errors"]["password"])
    assert users_with_email(db, email) == []


@pytest.mark.parametrize(
    "body",
    [{"email": "not-an-email"}, {"name": "   "}, {"phone": "0770090"}],
)
def test_malformed_input_is_refused(client: Any, db: Any, body: dict[str, Any]) -> None:
    response = register(client, **body)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


def test_registering_needs_a_tenant(client: Any) -> None:
    response = client.post("/api/v1/auth/register", json={"email": unique_email(), "password": PASSWORD, "name": "X"})
    assert response.status_code == 404


def test_counting_users_per_tenant_sees_only_that_tenant(client: Any, db: Any) -> None:
    email = unique_email("scoped")
    register(client, "fr", email=email)
    with db.session(_tenant_id(db, "it")) as session:
        assert session.scalar(select(func.count()).select_from(User).where(User.email == email)) == 0


def _tenant_id(db: Any, code: str) -> int:
    from pasar.tenancy.service import get_tenant

    with db.session(all_tenants=True) as session:
        return get_tenant(session, code).id
