"""Who is calling: the request's bearer token turned into a ``Principal``, and ``require_auth``.

The token is read once per request and the answer kept in ``flask.g``: one statement (the token
joined with its user or operator) on a plain pooled connection given back at once, as the
tenant lookup's, so the view's own transaction begins after it. ``last_used_at`` is refreshed in a separate tiny write transaction, and only when the loaded
value is older than ``service.TOUCH_INTERVAL`` (5 minutes), so a busy client's requests stay
reads.

    @blp.route("/orders")
    class Orders(MethodView):
        @require_auth("buyer")
        @blp.response(200, OrderSchema(many=True))
        def get(self):
            principal = current_principal()
"""
from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from functools import wraps
from typing import Any, TypeVar

from flask import Response, g, has_request_context, request

from pasar.accounts import service
from pasar.accounts.models import USER_ROLES
from pasar.accounts.service import Principal
from pasar.api import problem
from pasar.web import database

__all__ = ["ROLES", "Principal", "bearer_token", "current_principal", "require_auth", "unauthorized"]

#: Every role ``require_auth`` understands.
ROLES = USER_ROLES | {"operator"}
REALM = "pasar"
_G_KEY = "pasar_principal"

View = TypeVar("View", bound=Callable[..., Any])


def bearer_token() -> str | None:
    """The raw token of ``Authorization: Bearer <token>``, or None."""
    if not has_request_context():
        return None
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    value = value.strip()
    return value if scheme.lower() == "bearer" and value else None


def current_principal() -> Principal | None:
    """The request's principal, or None (no token, or one that is not valid here)."""
    if not has_request_context():
        return None
    if _G_KEY not in g:
        setattr(g, _G_KEY, _resolve(bearer_token()))
    principal: Principal | None = g.get(_G_KEY)
    return principal


def _resolve(raw: str | None) -> Principal | None:
    if raw is None:
        return None
    tenant = g.get("tenant")
    # A plain pooled connection, given back at once, as the tenant lookup's: the view's own
    # transaction starts after this (and after the touch below), never holding this one while
    # waiting for another (see ``pasar.web.release_connection``).
    with database().engine.connect() as connection:
        found = service.lookup_token(connection, raw, tenant.id if tenant is not None else None,
                                     tenant_code=tenant.code if tenant is not None else None)
    if found is None:
        return None
    if found.needs_touch:
        with database().session(write=True) as session:
            service.touch_token(session, raw)
    return found.principal


def require_auth(*roles: str) -> Callable[[View], View]:
    """Let the view run only for a valid token (401 otherwise) whose principal holds at least
    one of ``roles`` (403 otherwise; no roles = any signed-in principal)."""
    unknown = set(roles) - ROLES
    if unknown:
        raise ValueError(f"unknown role(s) {sorted(unknown)}; roles are {sorted(ROLES)}")

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            principal = current_principal()
            if principal is None:
                return unauthorized()
            if roles and not any(principal.has(role) for role in roles):
                return problem(403, "Forbidden", f"this needs the role {' or '.join(roles)}")
            return view(*args, **kwargs)

        _document(wrapper, bool(roles))
        return wrapper  # type: ignore[return-value]

    return decorate


def unauthorized(detail: str | None = None) -> Response:
    """A 401 problem with the ``WWW-Authenticate`` challenge RFC 9110 asks for."""
    presented = bearer_token() is not None
    if detail is None:
        detail = "the bearer token is not valid here" if presented else "sign in: send Authorization: Bearer <token>"
    response = problem(401, "Unauthorized", detail)
    challenge = f'Bearer realm="{REALM}"'
    if presented:
        challenge += ', error="invalid_token"'
    response.headers["WWW-Authenticate"] = challenge
    return response


def _document(wrapper: Any, with_roles: bool) -> None:
    """Add the bearer requirement and the 401/403 answers to the view's OpenAPI document, the
    way flask-smorest's own decorators do (a copy, never the wrapped function's dict)."""
    doc = deepcopy(getattr(wrapper, "_apidoc", {}))
    responses = doc.setdefault("response", {}).setdefault("responses", {})
    responses.setdefault(401, []).append("UNAUTHORIZED")
    if with_roles:
        responses.setdefault(403, []).append("FORBIDDEN")
    doc.setdefault("manual_doc", {})["security"] = [{"bearer": []}]
    wrapper._apidoc = doc


def signed_in() -> Principal:
    """The caller of a view decorated with ``require_auth`` (which guarantees there is one)."""
    found = current_principal()
    assert found is not None, "views calling signed_in() are decorated with require_auth"
    return found


def own_seller_id() -> int:
    """The shop the signed-in seller staffs; a seller role without a shop may not act for one."""
    seller_id = signed_in().seller_id
    if seller_id is None:
        from flask_smorest import abort

        abort(403, message="this account staffs no shop")
    return seller_id
