"""Account endpoints: register, log in and out, who am I, operator login.

Login failures answer one 401 for a wrong email and a wrong password alike (no account
discovery); too many failures answer 429 with ``Retry-After``.
"""
from __future__ import annotations

from typing import Any

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from sqlalchemy.orm import Session

from pasar.accounts import service
from pasar.accounts.auth import bearer_token, current_principal, require_auth, unauthorized
from pasar.accounts.passwords import WeakPassword
from pasar.accounts.schemas import LoginSchema, PrincipalSchema, RegisteredSchema, RegisterSchema, TokenSchema
from pasar.accounts.service import IssuedToken, Principal
from pasar.api import problem
from pasar.web import current_tenant, db_session, tenant_optional

blp = Blueprint("accounts", __name__, url_prefix="/api/v1", description="Accounts: registration, login, tokens")


@blp.route("/auth/register")
class RegisterView(MethodView):
    @blp.arguments(RegisterSchema)
    @blp.response(201, RegisteredSchema)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Create a buyer account in this marketplace and sign it in."""
        session = _write_session()
        try:
            user = service.register_user(session, current_tenant(), data["email"], data["password"],
                                         data["name"], phone=data["phone"])
        except service.EmailTaken as exc:
            abort(409, message=str(exc), errors={"email": [str(exc)]})
        except WeakPassword as exc:
            abort(422, message=f"password {exc}", errors={"password": [f"password {exc}"]})
        issued = service.issue_token(session, user)
        session.commit()
        return {"user": user, "token": issued.token, "expires_at": issued.expires_at}


@blp.route("/auth/login")
class LoginView(MethodView):
    @blp.arguments(LoginSchema)
    @blp.response(200, TokenSchema)
    @blp.alt_response(401, response="UNAUTHORIZED")
    @blp.alt_response(429, response="TOO_MANY_REQUESTS")
    def post(self, data: dict[str, Any]) -> IssuedToken | Response:
        """Exchange email and password for a bearer token valid 30 days."""
        session = _write_session()
        try:
            _, issued = service.authenticate(session, current_tenant(), data["email"], data["password"], _client_ip())
        except service.RateLimited as exc:
            return too_many_attempts(exc)
        except service.InvalidCredentials as exc:
            session.commit()  # keep the recorded failure: it is what slows the next guess down
            return unauthorized(str(exc))
        session.commit()
        return issued


@blp.route("/auth/logout")
class LogoutView(MethodView):
    decorators = [tenant_optional]  # operators sign out of tenant-spanning sessions too

    @require_auth()
    @blp.response(204)
    def post(self) -> None:
        """Revoke the bearer token this request was made with."""
        session = _write_session()
        service.revoke_token(session, bearer_token() or "")
        session.commit()


@blp.route("/me")
class MeView(MethodView):
    decorators = [tenant_optional]  # an operator may ask without naming a tenant

    @require_auth()
    @blp.response(200, PrincipalSchema)
    def get(self) -> Principal | None:
        """Who is signed in: roles, and the shop or creator profile they act for."""
        return current_principal()


@blp.route("/operator/login")
class OperatorLoginView(MethodView):
    decorators = [tenant_optional]  # operators are global: no tenant is needed to sign in

    @blp.arguments(LoginSchema)
    @blp.response(200, TokenSchema)
    @blp.alt_response(401, response="UNAUTHORIZED")
    @blp.alt_response(429, response="TOO_MANY_REQUESTS")
    def post(self, data: dict[str, Any]) -> IssuedToken | Response:
        """Exchange an operator's email and password for a bearer token valid 12 hours."""
        session = _write_session()
        try:
            _, issued = service.authenticate_operator(session, data["email"], data["password"], _client_ip())
        except service.RateLimited as exc:
            return too_many_attempts(exc)
        except service.InvalidCredentials as exc:
            session.commit()
            return unauthorized(str(exc))
        session.commit()
        return issued


def too_many_attempts(exc: service.RateLimited) -> Response:
    response = problem(429, "Too Many Requests", str(exc), retry_after=exc.retry_after)
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


def _write_session() -> Session:
    """The request's session, starting a write transaction (``BEGIN IMMEDIATE`` on SQLite):
    these views read, then write, and must not fail halfway on a lock."""
    session = db_session()
    session.connection(execution_options={"pasar_write": True})
    return session


def _client_ip() -> str:
    # Behind a proxy, the deployment wraps the app in werkzeug's ProxyFix so this is the client.
    return request.remote_addr or "unknown"
