"""Return endpoints: a buyer returns or withdraws, the seller decides and receives the goods.

A refusal names the field at fault: ``return_window`` when the window has closed (409),
``lines.0.quantity`` for a bad quantity (422), ``token`` for a wrong confirmation (422). The
refund is recorded with the receipt and sent to the provider when that transaction commits (the
return's own idempotency key: repeating ``received`` refunds once); the order is marked
refunded and what the buyer kept is settled in a second transaction.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from pasar.api import committed, fetched
from pasar.contracts import BankAccount
from pasar.orders.api import money_json, principal, refund_problems, write_session
from pasar.orders.state import InvalidTransition
from pasar.payments.service import refund_order
from pasar.providers import provider_context
from pasar.returns import service
from pasar.returns.models import ReturnRequest
from pasar.returns.schemas import (
    AcknowledgedSchema,
    ConfirmInSchema,
    DeclaredSchema,
    RejectInSchema,
    ReturnInSchema,
    ReturnSchema,
    SellerReturnArgsSchema,
    WithdrawalInSchema,
)
from pasar.accounts.auth import require_auth
from pasar.web import current_tenant, database, db_session
from pasar.accounts.auth import own_seller_id

blp = Blueprint("returns", __name__, url_prefix="/api/v1", description="Returns, withdrawals and refunds")


@contextmanager
def problems() -> Iterator[None]:
    """The returns domain's refusals as problems naming the field (a refund's as the orders'
    domain answers them)."""
    try:
        with refund_problems():
            yield
    except service.ReturnNotFound as exc:
        db_session().rollback()
        abort(404, message=exc.message)
    except service.InvalidReturn as exc:
        db_session().rollback()
        abort(422, message=exc.message, errors={exc.field or "return": [exc.message]})
    except service.ReturnConflict as exc:
        db_session().rollback()
        abort(409, message=exc.message, errors={exc.field or "return": [exc.message]})
    except InvalidTransition as exc:
        db_session().rollback()
        abort(409, message=str(exc), errors={"status": [str(exc)]})


def return_json(request: ReturnRequest) -> dict[str, Any]:
    cur = request.currency
    return {
        "id": request.id, "order_id": request.order_id, "kind": request.kind, "status": request.status,
        "reason": request.reason, "rejection_reason": request.rejection_reason,
        "refund": money_json(request.refund_minor, cur),
        "shipping_refund": money_json(request.shipping_refund_minor, cur),
        "lines": [{"line_id": line.order_line_id, "variant_id": line.variant_id, "quantity": line.quantity,
                   "refund": money_json(line.refund_minor, cur)} for line in request.lines],
        "requested_at": request.requested_at, "decided_at": request.decided_at,
        "received_at": request.received_at, "refunded_at": request.refunded_at,
    }


def wanted(body: dict[str, Any]) -> list[service.WantedLine]:
    return [service.WantedLine(item["line_id"], item["quantity"]) for item in body.get("lines") or []]


def account_check() -> service.AccountCheck:
    """The tenant payout provider's opinion of a refund account (its problems name fields)."""
    tenant = current_tenant()
    payouts = tenant.hooks.payout_provider(tenant.country,
                                           provider_context(database(), current_app.config["PASAR"], tenant))
    return payouts.validate_account


def account(body: dict[str, Any]) -> BankAccount | None:
    return service.account_from(body.get("bank_account"))


# --- buyers -------------------------------------------------------------------------------------
@blp.route("/orders/<int:order_id>/returns")
class BuyerReturnsView(MethodView):
    @require_auth("buyer")
    @blp.response(200, ReturnSchema(many=True))
    def get(self, order_id: int) -> list[dict[str, Any]]:
        """The order's returns and withdrawals."""
        return [return_json(r) for r in fetched(problems, service.buyer_returns, current_tenant(), principal().id,
                                                order_id)]

    @require_auth("buyer")
    @blp.arguments(ReturnInSchema)
    @blp.response(201, ReturnSchema)
    def post(self, body: dict[str, Any], order_id: int) -> dict[str, Any]:
        """Ask to send units back within the return window, saying why."""
        check = account_check()
        return return_json(committed(problems, service.request_return, current_tenant(), principal().id, order_id,
                                     wanted(body), body["reason"], account(body), check))


@blp.route("/orders/<int:order_id>/withdrawal")
class WithdrawalView(MethodView):
    @require_auth("buyer")
    @blp.arguments(WithdrawalInSchema)
    @blp.response(200, DeclaredSchema)
    def post(self, body: dict[str, Any], order_id: int) -> dict[str, Any]:
        """Withdraw from the contract here (statutory right, no reason needed); confirm next."""
        check = account_check()
        declared = committed(problems, service.declare_withdrawal, current_tenant(), principal().id, order_id,
                             wanted(body), body.get("reason"), account(body), check)
        return {"confirmation_token": declared.token, "expires_at": declared.expires_at,
                "withdrawal": return_json(declared.request)}


@blp.route("/orders/<int:order_id>/withdrawal/confirm")
class ConfirmWithdrawalView(MethodView):
    @require_auth("buyer")
    @blp.arguments(ConfirmInSchema)
    @blp.response(200, AcknowledgedSchema)
    def post(self, body: dict[str, Any], order_id: int) -> dict[str, Any]:
        """Confirm the withdrawal; the answer's time is its acknowledgement."""
        request = committed(problems, service.confirm_withdrawal, current_tenant(), principal().id, order_id,
                            body["token"])
        return {"acknowledged_at": request.requested_at, "withdrawal": return_json(request)}


# --- sellers ------------------------------------------------------------------------------------
@blp.route("/seller/returns")
class SellerReturnsView(MethodView):
    @require_auth("seller")
    @blp.arguments(SellerReturnArgsSchema, location="query")
    @blp.response(200, ReturnSchema(many=True))
    def get(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """The shop's returns, newest first; ``?status=requested`` awaits a decision."""
        found = service.seller_returns(db_session(), current_tenant(), own_seller_id(), args.get("status"))
        return [return_json(r) for r in found]


@blp.route("/seller/returns/<int:return_id>")
class SellerReturnView(MethodView):
    @require_auth("seller")
    @blp.response(200, ReturnSchema)
    def get(self, return_id: int) -> dict[str, Any]:
        """One of the shop's returns."""
        return return_json(fetched(problems, service.seller_return, current_tenant(), own_seller_id(), return_id))


@blp.route("/seller/returns/<int:return_id>/approve")
class ApproveView(MethodView):
    @require_auth("seller")
    @blp.response(200, ReturnSchema)
    def post(self, return_id: int) -> dict[str, Any]:
        """Accept the return: the buyer sends the goods back."""
        return return_json(committed(problems, service.approve, current_tenant(), own_seller_id(), return_id,
                                     principal().id))


@blp.route("/seller/returns/<int:return_id>/reject")
class RejectView(MethodView):
    @require_auth("seller")
    @blp.arguments(RejectInSchema)
    @blp.response(200, ReturnSchema)
    def post(self, body: dict[str, Any], return_id: int) -> dict[str, Any]:
        """Refuse the return, saying why."""
        return return_json(committed(problems, service.reject, current_tenant(), own_seller_id(), return_id,
                                     principal().id, body["reason"]))


@blp.route("/seller/returns/<int:return_id>/received")
class ReceivedView(MethodView):
    @require_auth("seller")
    @blp.response(200, ReturnSchema)
    def post(self, return_id: int) -> dict[str, Any]:
        """The goods are back: restock them and refund the buyer."""
        tenant, seller_id, user_id = current_tenant(), own_seller_id(), principal().id
        session = write_session()
        with problems():
            receipt = service.receive(session, tenant, seller_id, return_id, user_id)
            if receipt.refund_minor > 0:
                refund_order(session, tenant, receipt.request.order_id, receipt.refund_minor,
                             reason=f"{receipt.request.kind} {return_id}", idempotency_key=receipt.idempotency_key,
                             bank_account=receipt.bank_account)
            session.commit()  # the refund goes to the provider now, before anything else is written
            session = write_session()
            request = service.mark_refunded(session, tenant, seller_id, return_id, user_id)
            session.commit()
        return return_json(request)
