"""Cart endpoints (role buyer): the cart grouped per shop at today's prices, and its lines.

A line id of another buyer's cart answers 404 like one that does not exist. Each change answers
the whole cart as it is now, so a client never shows a stale total.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from pasar.accounts.auth import require_auth
from pasar.cart import service
from pasar.cart.schemas import CartLineInSchema, CartLineUpdateSchema, CartSchema
from pasar.checkout.amounts import Amounts
from pasar.checkout.presenting import cart_json
from pasar.accounts.auth import signed_in as principal
from pasar.checkout.web import input_problem, locale
from pasar.web import write_session
from pasar.web import current_tenant, db_session

blp = Blueprint("cart", __name__, url_prefix="/api/v1", description="The buyer's cart")
blp.errorhandler(400)(input_problem)
blp.errorhandler(422)(input_problem)


@contextmanager
def cart_errors() -> Iterator[None]:
    """The cart's refusals as problems naming the field (the change is rolled back)."""
    try:
        yield
    except service.CartError as exc:
        db_session().rollback()
        status = 404 if isinstance(exc, service.CartLineNotFound) else 409 if isinstance(exc, service.NotEnoughStock) else 422
        abort(status, message=exc.message, errors={exc.field: [exc.message]})


def current_cart() -> dict[str, Any]:
    tenant = current_tenant()
    baskets = service.baskets(db_session(), tenant, principal().id, locale())
    return cart_json(baskets, Amounts.of(tenant, locale()))


@blp.route("/cart")
class CartView(MethodView):
    @require_auth("buyer")
    @blp.response(200, CartSchema)
    def get(self) -> dict[str, Any]:
        """The cart per shop, with today's prices and stock."""
        return current_cart()


@blp.route("/cart/lines")
class CartLinesView(MethodView):
    @require_auth("buyer")
    @blp.arguments(CartLineInSchema)
    @blp.response(201, CartSchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Add a variant (again: its quantity grows); checks it is for sale and in stock."""
        session = write_session()
        with cart_errors():
            service.add_line(session, current_tenant(), principal().id, body["variant_id"], body["quantity"],
                             source_kind=body.get("source_kind"), source_id=body.get("source_id"))
        session.commit()
        return current_cart()


@blp.route("/cart/lines/<int:line_id>")
class CartLineView(MethodView):
    @require_auth("buyer")
    @blp.arguments(CartLineUpdateSchema)
    @blp.response(200, CartSchema)
    def patch(self, body: dict[str, Any], line_id: int) -> dict[str, Any]:
        """Change a line's quantity (checked against the stock available)."""
        session = write_session()
        with cart_errors():
            service.set_quantity(session, current_tenant(), principal().id, line_id, body["quantity"])
        session.commit()
        return current_cart()

    @require_auth("buyer")
    @blp.response(200, CartSchema)
    def delete(self, line_id: int) -> dict[str, Any]:
        """Remove a line from the cart."""
        session = write_session()
        with cart_errors():
            service.remove_line(session, current_tenant(), principal().id, line_id)
        session.commit()
        return current_cart()
