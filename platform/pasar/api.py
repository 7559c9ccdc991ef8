"""The REST API object: flask-smorest under ``/api/v1`` with RFC 9457 problem responses.

Every error — validation, not found, a feature that is off — answers
``application/problem+json`` with ``type``, ``title``, ``status``, ``detail`` and, for bad input,
``errors``: a mapping from the field's location and name to its messages, so a client can put
the message next to the field.
"""
from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, TypeVar

from flask import Blueprint, Flask, Response, jsonify
from flask_smorest import Api
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from pasar.web import db_session, write_session

PROBLEM_MIME = "application/problem+json"
# webargs adds "schema" and "headers" to a validation error's data: not problem members.
_RESERVED = frozenset({"message", "messages", "errors", "status", "code", "title", "type", "detail",
                       "schema", "headers", "exc"})
_PLAIN = (str, int, float, bool, list, dict, type(None))
T = TypeVar("T")


def problem(status: int, title: str, detail: str = "", **extra: Any) -> Response:
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_MIME
    return response


class PasarApi(Api):
    """flask-smorest's Api answering errors as problem JSON."""

    def handle_http_exception(self, error: HTTPException) -> Response:  # type: ignore[override]
        return http_problem(error)


def http_problem(error: HTTPException) -> Response:
    data = getattr(error, "data", None) or {}
    extra: dict[str, Any] = {}
    # flask-smorest puts schema validation messages under "messages", abort(errors=...) under
    # "errors": both become the field → messages map.
    errors = data.get("errors") or data.get("messages")
    if errors:
        extra["errors"] = _flatten_errors(errors)
    detail = data.get("message") or error.description or ""
    # Anything else a view put in the problem (feature, field, variant_id, available, ...)
    # is an RFC 9457 extension member: pass it through.
    for key, value in data.items():
        if key not in _RESERVED and key not in extra and isinstance(value, _PLAIN):
            extra[key] = value
    response = problem(error.code or 500, error.name, detail, **extra)
    for name, value in error.get_headers():
        if name.lower() == "allow":  # keep the Allow header of 405 answers
            response.headers[name] = value
    return response


def _flatten_errors(errors: Any) -> dict[str, list[str]]:
    """``{"json": {"price": ["Not a valid number."]}}`` → ``{"price": [...]}`` (json body) or
    ``{"query.limit": [...]}`` for other locations."""
    flat: dict[str, list[str]] = {}
    for location, fields in errors.items():
        prefix = "" if location in ("json", "form", "files") else f"{location}."
        _walk(fields, prefix, flat)
    return flat


def _walk(node: Any, prefix: str, out: dict[str, list[str]]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            _walk(value, f"{prefix}{key}." if not isinstance(value, list) else f"{prefix}{key}", out)
    elif isinstance(node, list):
        out[prefix.rstrip(".") or "_schema"] = [str(m) for m in node]
    else:
        out[prefix.rstrip(".") or "_schema"] = [str(node)]


# --- view plumbing -------------------------------------------------------------------------------
def fetched(problems: Callable[[], AbstractContextManager[object]], work: Callable[..., T], *args: Any,
            **kwargs: Any) -> T:
    """``work(session, *args, **kwargs)`` on the request's session for a view that only reads,
    its refusals (another shop's record answers like an unknown one) turned into problems by the
    domain's ``problems()``."""
    with problems():
        return work(db_session(), *args, **kwargs)


def committed(problems: Callable[[], AbstractContextManager[object]], work: Callable[..., T], *args: Any,
              **kwargs: Any) -> T:
    """``work(session, *args, **kwargs)`` on the request's writing session, committed; what it
    returns is the view's answer.

    Why it exists: every writing view did the same steps, in the same order, in each domain. The
    writer is taken before anything writes (``write_session``: on SQLite a reader cannot safely
    become a writer). The service runs inside the domain's ``problems()``, which turns its
    refusals into problem answers and rolls back what they left. The commit happens inside it
    too, so a refusal raised only when the session flushes is answered the same way."""
    session = write_session()
    with problems():
        done = work(session, *args, **kwargs)
        session.commit()
    return done


def configure_api(app: Flask) -> PasarApi:
    app.config.setdefault("API_TITLE", "Pasar")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_SPEC_OPTIONS", {
        "info": {"description": "Pasar marketplace API. Every request names its tenant by host, "
                 "the X-Pasar-Tenant header or the /t/<code>/ prefix."},
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    })
    configure_docs(app)
    api = PasarApi(app)
    app.register_error_handler(HTTPException, http_problem)
    return api


#: Where Swagger UI's files are served; relative to the docs page (``/api/v1/docs``), so the
#: page works at the root, under ``/t/<code>/`` and behind a path prefix alike.
DOCS_ASSETS_PATH = "/api/v1/docs/assets"
SWAGGER_UI_ASSETS = "docs/assets/"


def swagger_ui_dist() -> Path:
    """Swagger UI's built files, from the ``flask-swagger-ui`` package (installed from the
    package index like any dependency): the interactive docs never load anything from a CDN."""
    import flask_swagger_ui

    return Path(flask_swagger_ui.__file__).with_name("dist")


def configure_docs(app: Flask) -> None:
    """Interactive API docs at ``/api/v1/docs``: flask-smorest's Swagger UI page, its script and
    styles served by this app. The online validator badge is off (it would call out)."""
    app.config.setdefault("OPENAPI_SWAGGER_UI_PATH", "docs")
    app.config.setdefault("OPENAPI_SWAGGER_UI_URL", SWAGGER_UI_ASSETS)
    app.config.setdefault("OPENAPI_SWAGGER_UI_CONFIG", {
        "validatorUrl": None, "deepLinking": True, "persistAuthorization": True,
    })
    assets = Blueprint("api_docs_assets", __name__, static_folder=str(swagger_ui_dist()),
                       static_url_path=DOCS_ASSETS_PATH)
    app.register_blueprint(assets)
