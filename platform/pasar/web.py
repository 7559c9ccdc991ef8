"""Request plumbing: which tenant a request is for, and its database session.

A request names its tenant by, in this order: the ``/t/<code>/`` path prefix (development; the
prefix becomes part of ``SCRIPT_NAME`` so ``url_for`` keeps it), the ``X-Pasar-Tenant`` header
(API clients), or the host name (``uk.localhost``). An unknown tenant is a 404 problem.
Views read ``current_tenant()`` and ``db_session()`` and hand them to services.

Finding the tenant is one small statement on the request's own session (its id, revision and
config hash); the parsed ``TenantContext`` is kept per process (``tenancy.ContextCache``) and
rebuilt only when the revision moved. The statement opens the request's read transaction, which
a read-only view simply goes on using; ``write_session`` restarts it as a writer on SQLite.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, current_app, g, request
from flask_smorest import abort
from sqlalchemy.orm import Session

from pasar.db import Database, bind_tenant, wrote_in_transaction
from pasar.plugins import PluginHost
from pasar.tenancy import service as tenancy
from pasar.tenancy.service import TenantContext

TENANT_HEADER = "X-Pasar-Tenant"
_PREFIX_RE = re.compile(r"^/t/([a-z][a-z0-9-]{1,15})(/.*)?$")
#: Endpoints that answer without a tenant (docs, health, static files).
TENANTLESS_ENDPOINTS = {
    "static",
    "health",
    "api-docs.openapi_json",
    "api-docs.openapi_swagger_ui",
    "api_docs_assets.static",
    "tenancy.PluginsView",
}


class TenantPrefixMiddleware:
    """Moves ``/t/<code>`` from the path into ``SCRIPT_NAME`` and remembers the code."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        match = _PREFIX_RE.match(environ.get("PATH_INFO", ""))
        if match:
            code, rest = match.group(1), match.group(2) or "/"
            environ["pasar.tenant_code"] = code
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + f"/t/{code}"
            environ["PATH_INFO"] = rest
        return self.wsgi_app(environ, start_response)


def database() -> Database:
    return current_app.extensions["pasar.db"]


def plugin_host() -> PluginHost:
    return current_app.extensions["pasar.plugins"]


def db_session() -> Session:
    """The request's session, bound to the request's tenant. Services flush; the view that
    called a writing service commits; teardown closes (and so rolls back anything left)."""
    if "db_session" not in g:
        g.db_session = database().sessions()
        bind_tenant(g.db_session, g.tenant.id if g.get("tenant") else None)
    return g.db_session


def tenant_contexts() -> tenancy.ContextCache:
    """This app's per-process cache of parsed tenant contexts."""
    cache: tenancy.ContextCache = current_app.extensions["pasar.tenant_contexts"]
    return cache


def current_tenant() -> TenantContext:
    tenant = g.get("tenant")
    if tenant is None:
        abort(404, message="this endpoint needs a tenant")
    return tenant


def _requested_code_or_host() -> tuple[str | None, str]:
    code = request.environ.get("pasar.tenant_code") or request.headers.get(TENANT_HEADER)
    return (code.strip().lower() if code else None), request.host


def resolve_tenant() -> None:
    """Set ``g.tenant``: one statement on the request's session, the context from the cache."""
    if request.endpoint in TENANTLESS_ENDPOINTS:
        return
    code, host = _requested_code_or_host()
    # A pooled connection of its own, not the request's session: the lookup is one statement,
    # and giving a plain connection back is much cheaper than ending a session's transaction.
    with database().engine.connect() as connection:
        try:
            stamp = (tenancy.tenant_stamp(connection, code=code) if code
                     else tenancy.tenant_stamp(connection, host=host))
        except tenancy.TenantNotFound:
            stamp = None
    if stamp is None:
        if code is None and request.endpoint is not None and _tenant_optional():
            return
        abort(404, message=f"unknown tenant {code or host!r}")
    g.tenant_stamp = stamp
    contexts = tenant_contexts()
    context = contexts.cached(stamp)
    if context is None:  # first request for this tenant (or its revision) in this process
        session = db_session()  # no tenant bound yet: the context reads global tables
        bind_tenant(session, stamp.id)
        context = contexts.context(session, stamp, plugin_host())
        release_connection(session)
    # The request's session is made when a view first asks for it (``db_session``), bound to
    # this tenant then: an answer from a cache never makes one.
    g.tenant = context


_UNREAD = object()


def stamp_value(name: str, default: Any = None) -> Any:
    """A value a domain asked to read with the tenant lookup (``tenancy.read_with_stamp``);
    ``default`` when the lookup did not read it (registered later, or no tenant)."""
    stamp = g.get("tenant_stamp")
    if stamp is None:
        return default
    found = stamp.extras.get(name, _UNREAD)
    return default if found is _UNREAD else found


def release_connection(session: Session) -> None:
    """End the plumbing's read transaction, giving its pooled connection back before the view.

    Views open short transactions of their own beside the request's (a checkout claims its
    Idempotency-Key and records its answer in their own commits; sign-in reads the cookie's
    token apart). A request that kept its plumbing connection while waiting for a second one
    deadlocks a busy pool — 200 concurrent checkouts against a pool of 15 all held one and
    waited for another. Only a transaction that wrote nothing is ended; the next statement
    checks a connection out again (a few microseconds)."""
    if session.in_transaction() and not wrote_in_transaction(session):
        session.rollback()


def _tenant_optional() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "tenant_optional", False))


def tenant_optional(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view that also answers with no tenant (e.g. the index of tenants)."""
    view.tenant_optional = True  # type: ignore[attr-defined]
    return view


def close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def configure_requests(app: Flask) -> None:
    app.wsgi_app = TenantPrefixMiddleware(app.wsgi_app)  # type: ignore[method-assign]
    app.extensions["pasar.tenant_contexts"] = tenancy.ContextCache()
    app.before_request(resolve_tenant)
    app.teardown_appcontext(close_session)


def require_feature(feature: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Let a view answer only where the tenant has ``feature`` switched on; elsewhere the route
    does not exist for that market: a 404 problem naming the feature."""
    from functools import wraps

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_tenant().has_feature(feature):
                abort(404, message=f"the {feature!r} feature is not available in this marketplace",
                      feature=feature)
            return view(*args, **kwargs)

        return guarded

    return decorate


def write_session() -> Session:
    """The request's session with its transaction begun as a writer (SQLite: ``BEGIN
    IMMEDIATE``), so concurrent changes of one object queue instead of failing halfway. The
    request's read transaction (tenant lookup, bearer token) is restarted as a writer by
    ``pasar.db.PasarSession``."""
    session = db_session()
    session.connection(execution_options={"pasar_write": True})
    return session
