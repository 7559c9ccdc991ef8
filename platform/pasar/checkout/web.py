"""What the cart, checkout and payment views share: the caller as a buyer, write sessions,
providers, and problems that name the field (including marshmallow's refusals)."""
from __future__ import annotations

from typing import Any, NoReturn

from flask import Response, current_app
from flask_babel import get_locale
from flask_smorest import abort
from werkzeug.exceptions import HTTPException

from pasar.api import http_problem
from pasar.checkout.errors import CheckoutError
from pasar.checkout.service import Buyer
from pasar.payments.gateways import Providers
from pasar.web import database, db_session
from pasar.accounts.auth import signed_in as principal


def input_problem(error: HTTPException) -> Response:
    """Name the refused fields: webargs hands marshmallow's messages over as ``messages``,
    which ``pasar.api.http_problem`` reads only as ``errors``."""
    data = getattr(error, "data", None) or {}
    if "messages" in data and "errors" not in data:
        error.data = {**data, "errors": data["messages"]}  # type: ignore[attr-defined]
    return http_problem(error)


def locale() -> str:
    return str(get_locale())


def buyer() -> Buyer:
    """The signed-in buyer, writing in the request's language."""
    who = principal()
    return Buyer(id=who.id, email=who.email, locale=locale())


def providers() -> Providers:
    return Providers(database(), current_app.config["PASAR"])


def abort_for(error: CheckoutError) -> NoReturn:
    """Answer a checkout refusal as a problem naming its fields (and roll back)."""
    db_session().rollback()
    extra: dict[str, Any] = {"errors": error.errors} if error.errors else {}
    abort(error.status, message=error.message, **extra)
    raise AssertionError("abort returned")  # pragma: no cover - abort always raises
