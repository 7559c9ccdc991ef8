"""Operators: global accounts that act in the tenants their codes name ("*" = every tenant)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from pasar.accounts import service
from pasar.accounts.models import Operator
from pasar.cli import main
from pasar.testing.accounts_factories import OperatorLogin, unique_email

# The CLI builds apps of its own, which reconfigure Celery for the whole process.
pytestmark = pytest.mark.usefixtures("celery_restored")

PASSWORD = "operators need ten+"


def me(client: Any, headers: dict[str, str], tenant: str | None = None) -> Any:
    return client.get("/api/v1/me", headers=headers | ({"X-Pasar-Tenant": tenant} if tenant else {}))


def create(db: Any, codes: tuple[str, ...], email: str | None = None) -> Operator:
    with db.session(write=True) as session:
        return service.create_operator(session, email or unique_email("op"), PASSWORD, "Olu Ade", codes)


def test_an_operator_logs_in_without_naming_a_tenant(client: Any, db: Any, fresh_ip: Callable[[], dict[str, str]]) -> None:
    operator = create(db, ("uk", "de"))
    response = client.post("/api/v1/operator/login", json={"email": operator.email, "password": PASSWORD},
                           environ_base=fresh_ip())
    assert response.status_code == 200
    body = me(client, {"Authorization": f"Bearer {response.get_json()['token']}"}).get_json()
    assert body["kind"] == "operator" and body["roles"] == ["operator"]
    assert body["tenant_codes"] == ["de", "uk"] and body["name"] == "Olu Ade"


def test_operator_login_with_a_wrong_password_is_a_401(client: Any, db: Any, fresh_ip: Callable[[], dict[str, str]]) -> None:
    operator = create(db, ("*",))
    response = client.post("/api/v1/operator/login", json={"email": operator.email, "password": "wrong password"},
                           environ_base=fresh_ip())
    assert response.status_code == 401 and "WWW-Authenticate" in response.headers


def test_an_operator_of_every_tenant_is_valid_in_any_tenant(client: Any, operator_login: OperatorLogin) -> None:
    headers = operator_login(tenants=("*",))
    assert [me(client, headers, code).status_code for code in ("uk", "id", "us", "th")] == [200] * 4


def test_an_operator_restricted_to_some_tenants_is_refused_elsewhere(client: Any, operator_login: OperatorLogin) -> None:
    headers = operator_login(tenants=("uk", "ie"))
    assert me(client, headers, "uk").status_code == 200
    assert me(client, headers, "ie").status_code == 200
    assert me(client, headers, "de").status_code == 401


def test_a_users_login_endpoint_does_not_accept_operators(
    client: Any, db: Any, fresh_ip: Callable[[], dict[str, str]]
) -> None:
    operator = create(db, ("*",))
    response = client.post("/api/v1/auth/login", json={"email": operator.email, "password": PASSWORD},
                           headers={"X-Pasar-Tenant": "uk"}, environ_base=fresh_ip())
    assert response.status_code == 401


def test_an_operator_token_expires_after_twelve_hours(
    client: Any, operator_login: OperatorLogin, move_clock: Callable[[timedelta], datetime]
) -> None:
    headers = operator_login()
    move_clock(timedelta(hours=12) - timedelta(seconds=1))
    assert me(client, headers, "uk").status_code == 200
    move_clock(timedelta(seconds=1))
    assert me(client, headers, "uk").status_code == 401


@pytest.mark.parametrize(
    ("codes", "message"),
    [(("uk", "zz"), "no such tenant: zz"), (("*", "uk"), "either"), ((), "at least one")],
)
def test_operator_tenants_must_exist_and_star_stands_alone(db: Any, codes: tuple[str, ...], message: str) -> None:
    with pytest.raises(service.UnknownTenants, match=message):
        create(db, codes)


def test_operator_emails_are_unique_in_any_case(db: Any) -> None:
    email = unique_email("op")
    create(db, ("*",), email)
    with pytest.raises(service.EmailTaken):
        create(db, ("uk",), email.upper())


# --- pasar operators create ----------------------------------------------------------------------
@pytest.fixture()
def pasar(app: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[..., Any]:
    """Run `pasar ...` against the test app's database, with ``input`` on stdin."""
    monkeypatch.setenv("PASAR_DATABASE_URL", app.extensions["pasar.db"].url)
    monkeypatch.setenv("PASAR_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PASAR_BROKER_URL", "memory://")

    def run(*args: str, input: str = "") -> Any:
        return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)

    return run


def stored_operator(db: Any, email: str) -> Operator | None:
    with db.session() as session:
        found: Operator | None = session.scalar(select(Operator).where(Operator.email == email))
    return found


def test_cli_creates_an_operator_from_a_password_on_stdin(pasar: Callable[..., Any], db: Any) -> None:
    email = unique_email("cli")
    result = pasar("operators", "create", email, "--name", "Ops Team", "--tenants", "uk,de", "--password-stdin",
                   input=f"{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert f"created operator {email}" in result.output
    operator = stored_operator(db, email)
    assert operator is not None and operator.tenant_codes == ["de", "uk"] and operator.name == "Ops Team"
    with db.session() as session:
        _, issued = service.authenticate_operator(session, email, PASSWORD, "10.255.0.1")
    assert issued.token


def test_cli_prompts_for_the_password_twice(pasar: Callable[..., Any], db: Any) -> None:
    email = unique_email("cli")
    result = pasar("operators", "create", email, "--name", "Ops", "--tenants", "*", input=f"{PASSWORD}\n{PASSWORD}\n")
    operator = stored_operator(db, email)
    assert result.exit_code == 0, result.output
    assert operator is not None and operator.tenant_codes == ["*"]


def test_cli_with_an_unknown_tenant_fails_naming_the_option(pasar: Callable[..., Any], db: Any) -> None:
    email = unique_email("cli")
    result = pasar("operators", "create", email, "--name", "Ops", "--tenants", "uk,zz", "--password-stdin",
                   input=f"{PASSWORD}\n")
    assert result.exit_code == 2
    assert "--tenants" in result.output and "zz" in result.output
    assert stored_operator(db, email) is None


def test_cli_refuses_a_weak_password(pasar: Callable[..., Any], db: Any) -> None:
    email = unique_email("cli")
    result = pasar("operators", "create", email, "--name", "Ops", "--tenants", "*", "--password-stdin", input="short\n")
    assert result.exit_code == 2 and "at least 10 characters" in result.output
    assert stored_operator(db, email) is None
