"""The payment webhook: ``POST /api/v1/webhooks/payments/<method>``.

No bearer token: the signature is the authentication. The method's gateway verifies it; a bad
signature or a stale timestamp answers 400 and writes nothing. A duplicate event id answers 200
and changes nothing. Everything else settles the payment the way the buyer's return does (one
function, ``payments.service.settle``), so whichever arrives first decides and the other finds
nothing left to do.
"""
from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from pasar.checkout.web import input_problem, providers
from pasar.contracts import WebhookError
from pasar.payments import service
from pasar.payments.schemas import PaymentWebhookAnswerSchema
from pasar.web import current_tenant

blp = Blueprint("payments", __name__, url_prefix="/api/v1", description="Payment provider notifications")
blp.errorhandler(400)(input_problem)
blp.errorhandler(422)(input_problem)


@blp.route("/webhooks/payments/<string:method>")
class PaymentWebhookView(MethodView):
    @blp.response(200, PaymentWebhookAnswerSchema)
    @blp.alt_response(400, description="Bad signature, stale timestamp or body: nothing was written")
    @blp.alt_response(404, description="Unknown method or payment")
    def post(self, method: str) -> dict[str, Any]:
        """A signed notification from the provider of payment method ``method``."""
        tenant = current_tenant()
        try:
            outcome = service.handle_webhook(providers(), tenant, method, dict(request.headers), request.get_data())
        except service.UnknownMethod:
            abort(404, message=f"{method!r} is not a payment method here", errors={"method": ["unknown"]})
        except WebhookError as exc:
            abort(400, message=str(exc), errors={"signature": [str(exc)]})
        except service.PaymentNotFound as exc:
            abort(404, message=f"unknown payment: {exc}", errors={"provider_ref": ["unknown"]})
        return {"received": True, "duplicate": outcome.duplicate, "payment_status": outcome.status}
