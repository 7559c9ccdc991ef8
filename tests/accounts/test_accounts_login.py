"""POST /api/v1/auth/login: tokens for the right password, one answer for every wrong one,
and a limiter that slows password guessing per email and per client address."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from pasar.accounts.models import LoginAttempt
from pasar.testing.accounts_factories import DEFAULT_PASSWORD, MakeUser, unique_email

Ip = Callable[[], dict[str, str]]


def login(client: Any, email: str, password: str, ip: dict[str, str], tenant: str = "uk") -> Any:
    return client.post("/api/v1/auth/login", json={"email": email, "password": password},
                       headers={"X-Pasar-Tenant": tenant}, environ_base=ip)


def test_the_right_password_gives_a_thirty_day_token_that_works(client: Any, make_user: MakeUser, fresh_ip: Ip) -> None:
    user = make_user("uk", "buyer")
    response = login(client, user.email.upper(), DEFAULT_PASSWORD, fresh_ip())
    body = response.get_json()
    assert response.status_code == 200 and body["token_type"] == "Bearer"
    expires = datetime.fromisoformat(body["expires_at"]) - datetime.now(tz=datetime.fromisoformat(body["expires_at"]).tzinfo)
    assert timedelta(days=29, hours=23) < expires <= timedelta(days=30)
    me = client.get("/api/v1/me", headers={"X-Pasar-Tenant": "uk", "Authorization": f"Bearer {body['token']}"})
    assert me.get_json()["email"] == user.email


def test_every_login_issues_a_new_token(client: Any, make_user: MakeUser, fresh_ip: Ip) -> None:
    user = make_user("uk")
    ip = fresh_ip()
    first = login(client, user.email, DEFAULT_PASSWORD, ip).get_json()["token"]
    second = login(client, user.email, DEFAULT_PASSWORD, ip).get_json()["token"]
    assert first != second


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(client: Any, make_user: MakeUser, fresh_ip: Ip) -> None:
    user = make_user("uk")
    wrong_password = login(client, user.email, "not the password", fresh_ip())
    unknown_email = login(client, unique_email("nobody"), DEFAULT_PASSWORD, fresh_ip())
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.get_json() == unknown_email.get_json()
    assert "errors" not in wrong_password.get_json()  # no hint which field was wrong
    assert wrong_password.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_user_of_another_tenant_cannot_log_in_here(client: Any, make_user: MakeUser, fresh_ip: Ip) -> None:
    user = make_user("de")
    assert login(client, user.email, DEFAULT_PASSWORD, fresh_ip(), tenant="uk").status_code == 401


def test_a_disabled_account_cannot_log_in(client: Any, db: Any, make_user: MakeUser, fresh_ip: Ip) -> None:
    user = make_user("uk")
    _disable(db, user.tenant_id, user.id)
    assert login(client, user.email, DEFAULT_PASSWORD, fresh_ip()).status_code == 401


def test_both_successes_and_failures_are_recorded(client: Any, db: Any, make_user: MakeUser, fresh_ip: Ip) -> None:
    user = make_user("uk")
    ip = fresh_ip()
    login(client, user.email, "not the password", ip)
    login(client, user.email, DEFAULT_PASSWORD, ip)
    with db.session() as session:
        rows = session.execute(select(LoginAttempt.succeeded, LoginAttempt.ip).where(LoginAttempt.email == user.email)
                               .order_by(LoginAttempt.id)).all()
    assert [tuple(row) for row in rows] == [(False, ip["REMOTE_ADDR"]), (True, ip["REMOTE_ADDR"])]


def test_after_five_failures_even_the_right_password_waits(
    client: Any, make_user: MakeUser, fresh_ip: Ip, move_clock: Callable[[timedelta], datetime]
) -> None:
    user = make_user("uk")
    ip = fresh_ip()
    failures = [login(client, user.email, f"guess number {n}", ip).status_code for n in range(5)]
    limited = login(client, user.email, DEFAULT_PASSWORD, ip)
    assert failures == [401] * 5
    assert limited.status_code == 429
    assert limited.mimetype == "application/problem+json"
    assert limited.headers["Retry-After"] == "900"
    assert limited.get_json()["retry_after"] == 900


def test_the_wait_shrinks_as_time_passes_and_then_login_works(
    client: Any, make_user: MakeUser, fresh_ip: Ip, move_clock: Callable[[timedelta], datetime]
) -> None:
    user = make_user("uk")
    ip = fresh_ip()
    for n in range(5):
        login(client, user.email, f"guess number {n}", ip)
    move_clock(timedelta(minutes=10))
    assert login(client, user.email, DEFAULT_PASSWORD, ip).headers["Retry-After"] == "300"
    move_clock(timedelta(seconds=299))
    assert login(client, user.email, DEFAULT_PASSWORD, ip).headers["Retry-After"] == "1"
    move_clock(timedelta(seconds=1))
    assert login(client, user.email, DEFAULT_PASSWORD, ip).status_code == 200


def test_the_limit_per_email_comes_from_any_address(client: Any, make_user: MakeUser, fresh_ip: Ip) -> None:
    user = make_user("uk")
    for n in range(5):
        login(client, user.email, f"guess number {n}", fresh_ip())
    assert login(client, user.email, DEFAULT_PASSWORD, fresh_ip()).status_code == 429


def test_the_limit_for_one_email_does_not_lock_the_same_email_in_another_tenant(
    client: Any, make_user: MakeUser, fresh_ip: Ip
) -> None:
    email = unique_email("twin")
    make_user("uk", email=email)
    make_user("nl", email=email)
    for n in range(5):
        login(client, email, f"guess number {n}", fresh_ip(), tenant="uk")
    assert login(client, email, DEFAULT_PASSWORD, fresh_ip(), tenant="uk").status_code == 429
    assert login(client, email, DEFAULT_PASSWORD, fresh_ip(), tenant="nl").status_code == 200


def test_twenty_failures_from_one_address_block_that_address_for_every_email(
    client: Any, make_user: MakeUser, fresh_ip: Ip
) -> None:
    user = make_user("uk")
    ip = fresh_ip()
    statuses = [login(client, unique_email("spray"), "password123", ip).status_code for _ in range(20)]
    assert statuses == [401] * 20
    assert login(client, user.email, DEFAULT_PASSWORD, ip).status_code == 429
    assert login(client, user.email, DEFAULT_PASSWORD, fresh_ip()).status_code == 200


def test_a_success_does_not_reset_the_failure_count(client: Any, make_user: MakeUser, fresh_ip: Ip) -> None:
    user = make_user("uk")
    ip = fresh_ip()
    for n in range(4):
        login(client, user.email, f"guess number {n}", ip)
    assert login(client, user.email, DEFAULT_PASSWORD, ip).status_code == 200
    assert login(client, user.email, "guess number 5", ip).status_code == 401
    assert login(client, user.email, DEFAULT_PASSWORD, ip).status_code == 429


@pytest.mark.parametrize("body", [{"email": "someone@example.test"}, {"password": "x" * 12}, {}])
def test_a_login_body_missing_a_field_is_refused(client: Any, body: dict[str, str]) -> None:
    response = client.post("/api/v1/auth/login", json=body, headers={"X-Pasar-Tenant": "uk"})
    assert response.status_code == 422


def _disable(db: Any, tenant_id: int, user_id: int) -> None:
    from pasar import clock
    from pasar.accounts.models import User

    with db.session(tenant_id) as session:
        session.get(User, user_id).disabled_at = clock.now()
