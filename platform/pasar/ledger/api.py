"""Ledger endpoints: sellers' and creators' statements and payouts, the operator's trial
balance, and the payout providers' webhooks.

A seller or creator only ever sees their own books: the owner comes from the token, never from
the request, so there is no parameter to point at someone else's statement.
"""
from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from sqlalchemy.orm import Session

from pasar.accounts.auth import current_principal, require_auth
from pasar.clock import today_in
from pasar.contracts import WebhookError
from pasar.ledger import payouts, statements
from pasar.ledger.models import Payout
from pasar.ledger.schemas import (
    PayoutQuerySchema,
    PayoutSchema,
    StatementQuerySchema,
    StatementSchema,
    TrialBalanceSchema,
    PayoutWebhookAnswerSchema,
)
from pasar.ledger.service import LedgerError
from pasar.providers import provider_context
from pasar.tenancy.service import TenantContext
from pasar.web import current_tenant, database, db_session

_log = logging.getLogger(__name__)

blp = Blueprint("ledger", __name__, url_prefix="/api/v1", description="Statements, payouts and the books")

DEFAULT_DAYS = 30
MAX_DAYS = 366


@blp.route("/seller/statement")
class SellerStatementView(MethodView):
    @require_auth("seller")
    @blp.arguments(StatementQuerySchema, location="query")
    @blp.response(200, StatementSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Your shop's statement: sales, refunds and payouts with the running balance."""
        return statement_json("seller", own_id("seller"), query)


@blp.route("/seller/payouts")
class SellerPayoutsView(MethodView):
    @require_auth("seller")
    @blp.arguments(PayoutQuerySchema, location="query")
    @blp.response(200, PayoutSchema(many=True))
    def get(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        """Your shop's payouts, newest first."""
        return payouts_json("seller", own_id("seller"), query)


@blp.route("/creator/statement")
class CreatorStatementView(MethodView):
    @require_auth("creator")
    @blp.arguments(StatementQuerySchema, location="query")
    @blp.response(200, StatementSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Your affiliate commission, clawbacks and payouts with the running balance."""
        return statement_json("creator", own_id("creator"), query)


@blp.route("/creator/payouts")
class CreatorPayoutsView(MethodView):
    @require_auth("creator")
    @blp.arguments(PayoutQuerySchema, location="query")
    @blp.response(200, PayoutSchema(many=True))
    def get(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        """Your commission payouts, newest first."""
        return payouts_json("creator", own_id("creator"), query)


@blp.route("/operator/ledger/trial-balance")
class TrialBalanceView(MethodView):
    @require_auth("operator")
    @blp.response(200, TrialBalanceSchema)
    def get(self) -> dict[str, Any]:
        """Debits and credits per account and per currency; each currency nets to zero."""
        books = statements.trial_balance(db_session(), current_tenant())
        return {
            "balanced": books.balanced,
            "accounts": [_amounts(row.__dict__, "debit", "credit", "balance") for row in books.rows],
            "currencies": [_amounts(total.__dict__, "debit", "credit", "net") for total in books.totals],
        }


@blp.route("/webhooks/payouts/<string:provider>")
class PayoutWebhookView(MethodView):
    @blp.response(200, PayoutWebhookAnswerSchema)
    @blp.alt_response(400, description="Bad signature, stale timestamp or body: nothing was written")
    @blp.alt_response(404, description="Unknown provider, or a reference that is not a payout of this ledger")
    @blp.alt_response(409, description="The event contradicts the payout (another amount)")
    def post(self, provider: str) -> dict[str, Any]:
        """A payout provider's signed notification: payout.paid or payout.failed."""
        tenant = current_tenant()
        payout_provider = tenant.hooks.payout_provider(tenant.country, _context(tenant))
        if payout_provider.code != provider:
            abort(404, message=f"this marketplace pays out through {payout_provider.code}, not {provider}")
        try:
            event = payout_provider.verify_webhook(dict(request.headers), request.get_data())
        except WebhookError as exc:
            abort(400, message=str(exc))
        session = _write_session()
        try:
            payout = payouts.apply_payout_event(session, tenant, event)
        except payouts.UnknownPayout:
            # Not a seller or creator payout: a cash-on-delivery refund paid out to a buyer
            # (payments settles it from the provider's answer and reconciliation), or a
            # reference this marketplace never sent. Nothing is written; a 4xx is final for
            # the provider, and the log says what was refused.
            session.rollback()
            reference = str(event.data.get("reference") or event.provider_ref)
            _log.warning("payout webhook %s from %s names no payout of %s: %r (provider ref %r)",
                         event.event_id, provider, tenant.code, reference, event.provider_ref)
            abort(404, message=f"no payout {reference!r} in this marketplace's ledger",
                  errors={"reference": [f"unknown payout {reference!r}"]})
        except LedgerError as exc:
            abort(409, message=str(exc))
        session.commit()
        return {"payout": payout.reference, "status": payout.status}


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def own_id(owner_type: str) -> int:
    """The caller's shop or creator id; a token without one has no books to show (404)."""
    principal = current_principal()
    assert principal is not None, "views calling own_id() are decorated with require_auth"
    owner_id = principal.seller_id if owner_type == "seller" else principal.creator_id
    if owner_id is not None:
        return owner_id
    abort(404, message="you have no shop" if owner_type == "seller" else "you have no creator profile")
    raise AssertionError("abort() raises")


def period(tenant: TenantContext, start: date | None, end: date | None) -> tuple[datetime, datetime]:
    """Local days ``start``..``end`` (inclusive) as a UTC [start, end) range."""
    end = end or today_in(tenant.config.timezone)
    start = start or end - timedelta(days=DEFAULT_DAYS)
    if start > end:
        abort(422, message="the period is empty", errors={"query": {"from": ["must not be after to"]}})
    if (end - start).days >= MAX_DAYS:
        abort(422, message="the period is too long",
              errors={"query": {"from": [f"a statement covers at most {MAX_DAYS} days"]}})
    zone = ZoneInfo(tenant.config.timezone)
    begin = datetime.combine(start, time.min, zone).astimezone(UTC)
    finish = datetime.combine(end + timedelta(days=1), time.min, zone).astimezone(UTC)
    return begin, finish


def statement_json(owner_type: str, owner_id: int, query: dict[str, Any]) -> dict[str, Any]:
    tenant = current_tenant()
    start, end = period(tenant, query["start"], query["end"])
    found = statements.statement(db_session(), tenant, owner_type, owner_id, start, end)
    zone = ZoneInfo(tenant.config.timezone)
    return {
        "owner_type": owner_type,
        "owner_id": owner_id,
        "currency": found.currency,
        "start": start.astimezone(zone).date(),
        "end": (end.astimezone(zone) - timedelta(days=1)).date(),
        "opening": found.opening.amount,
        "closing": found.closing.amount,
        "lines": [_amounts(line.__dict__, "amount", "balance") for line in found.lines],
    }


def payouts_json(owner_type: str, owner_id: int, query: dict[str, Any]) -> list[dict[str, Any]]:
    tenant = current_tenant()
    found = payouts.payouts_of(db_session(), tenant, owner_type, owner_id, query["limit"], query["offset"])
    return [_payout_json(tenant, payout) for payout in found]


def _payout_json(tenant: TenantContext, payout: Payout) -> dict[str, Any]:
    return {
        "id": payout.id,
        "batch": payout.batch.reference,
        "reference": payout.reference,
        "status": payout.status,
        "amount": payouts.amount_of(tenant, payout).amount,
        "currency": payout.currency,
        "provider": payout.provider,
        "provider_ref": payout.provider_ref,
        "failure_reason": payout.failure_reason,
        "created_at": payout.created_at,
        "settled_at": payout.settled_at,
    }


def _amounts(values: dict[str, Any], *names: str) -> dict[str, Any]:
    """A copy of ``values`` with the named ``Money`` values as their decimal amounts."""
    return {key: value.amount if key in names else value for key, value in values.items()}


def _context(tenant: TenantContext) -> Any:
    return provider_context(database(), current_app.config["PASAR"], tenant)


def _write_session() -> Session:
    """The request's session, its transaction begun as a writer (SQLite: BEGIN IMMEDIATE)."""
    session = db_session()
    session.connection(execution_options={"pasar_write": True})
    return session
