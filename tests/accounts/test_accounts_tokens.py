"""Bearer tokens: valid in their own tenant only, until they expire or are revoked."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from pasar.accounts.models import AuthToken, User
from pasar.accounts.service import token_digest
from pasar.testing.accounts_factories import Login

Move = Callable[[timedelta], datetime]


def me(client: Any, headers: dict[str, str]) -> Any:
    return client.get("/api/v1/me", headers=headers)


def raw_token(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


def test_me_describes_the_signed_in_user(client: Any, login: Login) -> None:
    principal, headers = login("uk", "buyer", "creator", creator_id=41, name="Ann Lee")
    body = me(client, headers).get_json()
    assert body == {"kind": "user", "id": principal.id, "email": principal.email, "name": "Ann Lee",
                    "roles": ["buyer", "creator"], "seller_id": None, "creator_id": 41, "tenant_codes": []}


def test_no_token_is_a_401_problem_with_a_bearer_challenge(client: Any) -> None:
    response = me(client, {"X-Pasar-Tenant": "uk"})
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="pasar"'


@pytest.mark.parametrize("authorization", ["Bearer", "Bearer    ", "Basic dXNlcjpwYXNz", "Bearer not-a-real-token"])
def test_a_malformed_or_unknown_token_is_a_401(client: Any, authorization: str) -> None:
    response = me(client, {"X-Pasar-Tenant": "uk", "Authorization": authorization})
    assert response.status_code == 401


def test_the_scheme_name_is_case_insensitive(client: Any, login: Login) -> None:
    _, headers = login("uk")
    headers["Authorization"] = "bearer " + raw_token(headers)
    assert me(client, headers).status_code == 200


def test_a_token_is_not_valid_in_another_tenant(client: Any, login: Login) -> None:
    _, headers = login("uk")
    response = me(client, {**headers, "X-Pasar-Tenant": "de"})
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_a_user_token_needs_a_tenant(client: Any, login: Login) -> None:
    _, headers = login("uk")
    headers.pop("X-Pasar-Tenant")
    assert me(client, headers).status_code == 401


def test_a_token_works_until_it_expires_after_thirty_days(client: Any, login: Login, move_clock: Move) -> None:
    _, headers = login("uk")
    move_clock(timedelta(days=30) - timedelta(seconds=1))
    assert me(client, headers).status_code == 200
    move_clock(timedelta(seconds=1))
    assert me(client, headers).status_code == 401


def test_logout_revokes_the_presented_token_only(client: Any, app: Any, login: Login) -> None:
    from pasar.accounts import service

    principal, headers = login("uk")
    db = app.extensions["pasar.db"]
    with db.session(principal.tenant_id) as session:
        other = service.issue_token(session, session.get(User, principal.id))
    response = client.post("/api/v1/auth/logout", headers=headers)
    assert response.status_code == 204 and response.data == b""
    assert me(client, headers).status_code == 401
    assert me(client, {**headers, "Authorization": f"Bearer {other.token}"}).status_code == 200


def test_logout_without_a_token_is_a_401(client: Any) -> None:
    assert client.post("/api/v1/auth/logout", headers={"X-Pasar-Tenant": "uk"}).status_code == 401


def test_a_disabled_users_tokens_stop_working(client: Any, db: Any, login: Login) -> None:
    from pasar import clock

    principal, headers = login("uk")
    with db.session(principal.tenant_id) as session:
        session.get(User, principal.id).disabled_at = clock.now()
    assert me(client, headers).status_code == 401


def test_roles_granted_later_apply_to_tokens_already_issued(client: Any, app: Any, login: Login) -> None:
    from pasar.accounts import service
    from pasar.testing.accounts_factories import tenant_context

    principal, headers = login("uk", "buyer")
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        service.grant_role(session, tenant, principal.id, "seller", seller_id=7)
    body = me(client, headers).get_json()
    assert body["roles"] == ["buyer", "seller"] and body["seller_id"] == 7


def test_tokens_are_stored_only_as_their_sha256(db: Any, login: Login) -> None:
    _, headers = login("uk")
    raw = raw_token(headers)
    with db.session() as session:
        stored = session.scalars(select(AuthToken.token_hash)).all()
    assert token_digest(raw) in stored and raw not in stored
    assert len(raw) >= 43  # 32 random bytes, url-safe base64


def test_last_use_is_recorded_at_most_once_every_five_minutes(
    client: Any, db: Any, login: Login, move_clock: Move
) -> None:
    _, headers = login("uk")
    digest = token_digest(raw_token(headers))

    def last_used() -> datetime | None:
        with db.session() as session:
            token = session.get(AuthToken, digest)
        assert token is not None
        return token.last_used_at

    first = move_clock(timedelta(0))
    me(client, headers)
    assert last_used() == first
    move_clock(timedelta(minutes=4, seconds=59))
    me(client, headers)
    assert last_used() == first
    later = move_clock(timedelta(seconds=1))
    me(client, headers)
    assert last_used() == later
