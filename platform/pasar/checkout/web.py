"""What the cart, checkout and payment views share: the caller as a buyer, write sessions,
providers, and problems that name the field (including marshmallow's refusals)."""
from __future__ import annotations

from typing import Any, NoReturn

from flask import Response, current_app
from flask_babel import get_locale
from flask_smorest import abort
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from pasar.accounts.auth import current_principal
from pasar.accounts.service import Principal
from pasar.api import http_problem
from pasar.checkout.errors import CheckoutError
from pasar.checkout.service import Buyer
from pasar.payments.gateways import Providers
from pasar.web import database, db_session


def input_problem(error: HTTPException) -> Response:
    """Name the refused fields: webargs hands marshmallow's messages over as ``messages``,
    which ``pasar.api.http_problem`` reads only as ``errors``."""
    data = getattr(error, "data", None) or {}
    if "messages" in data and "errors" not in data:
        error.data = {**data, "errors": data["messages"]}  # type: ignore[attr-defined]
    return http_problem(error)


def principal() -> Principal:
    found = current_principal()
    assert found is not None, "views calling principal() are decorated with require_auth"
    return found


def locale() -> str:
    return str(get_locale())


def buyer() -> Buyer:
    """The signed-in buyer, writing in the request's language."""
    who = principal()
    return Buyer(id=who.id, email=who.email, locale=locale())


def write_session() -> Session:
    """The request's session with its transaction begun as a writer (SQLite: BEGIN
    IMMEDIATE), so concurrent changes queue instead of failing halfway."""
    session = db_session()
    session.connection(execution_options={"pasar_write": True})
    return session


def providers() -> Providers:
    return Providers(database(), current_app.config["PASAR"])


def abort_for(error: CheckoutError) -> NoReturn:
    """Answer a checkout refusal as a problem naming its fields (and roll back)."""
    db_session().rollback()
    extra: dict[str, Any] = {"errors": error.errors} if error.errors else {}
    abort(error.status, message=error.message, **extra)
    raise AssertionError("abort returned")  # pragma: no cover - abort always raises
