"""Deals endpoints: a seller creates, lists and ends deals; anyone sees the deals running now.

Every route answers only where the tenant has ``flash_sales`` on (404 problem naming the
feature elsewhere). A seller reaches only their own deals and variants: anyone else's is 404.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

from flask.views import MethodView
from flask_babel import get_locale
from flask_smorest import Blueprint, abort
from sqlalchemy import select

from pasar import clock
from pasar.accounts.auth import own_seller_id, require_auth
from pasar.catalog.models import Variant
from pasar.deals import service
from pasar.deals.models import Deal
from pasar.deals.schemas import DealCreateSchema, DealSchema
from pasar.money import format_money, from_minor
from pasar.sellers.service import SellerNotApproved, SellerNotFound
from pasar.web import current_tenant, db_session, require_feature, write_session

blp = Blueprint("deals", __name__, url_prefix="/api/v1", description="Flash sales and live deals")


@contextmanager
def problems() -> Iterator[None]:
    """The domain's refusals as problems naming the field (what they left is rolled back)."""
    try:
        yield
    except service.DealError as exc:
        db_session().rollback()
        _abort(_status_of(exc), exc.message, exc.field)
    except SellerNotApproved:
        db_session().rollback()
        abort(403, message="seller is not approved")
    except SellerNotFound:
        db_session().rollback()
        abort(403, message="this account staffs no shop")


def _status_of(exc: service.DealError) -> int:
    if isinstance(exc, service.DealNotFound):
        return 404
    if isinstance(exc, service.DealLimitReached):
        return 429
    return 422 if isinstance(exc, service.InvalidDeal) else 409


def _abort(status: int, message: str, field: str | None) -> NoReturn:
    if field:
        abort(status, message=message, errors={field: [message]})
    abort(status, message=message)


def deal_json(deal: Deal, regular_minor: int | None) -> dict[str, Any]:
    """The deal as the API shows it, prices as decimal strings in the tenant's currency."""
    rules = current_tenant().currency_rules()
    price = from_minor(deal.price_minor, deal.currency, rules)
    regular = from_minor(regular_minor, deal.currency, rules) if regular_minor is not None else None
    return {
        "id": deal.id, "seller_id": deal.seller_id, "variant_id": deal.variant_id, "kind": deal.kind,
        "live_session_id": deal.live_session_id, "price": format(price.amount, "f"),
        "price_formatted": format_money(price, str(get_locale()), rules),
        "regular_price": format(regular.amount, "f") if regular is not None else None, "currency": deal.currency,
        "starts_at": deal.starts_at, "ends_at": deal.ends_at, "quota": deal.quota,
        "per_buyer_limit": deal.per_buyer_limit, "claimed": deal.claimed, "left": deal.quota - deal.claimed,
        "status": deal.status, "released": deal.released,
    }


def deals_json(deals: list[Deal]) -> list[dict[str, Any]]:
    """Several deals with their variants' regular prices, read in one query."""
    ids = {deal.variant_id for deal in deals}
    rows = db_session().execute(select(Variant.id, Variant.price_minor).where(Variant.id.in_(ids))).all() if ids else []
    prices = {variant_id: price for variant_id, price in rows}
    return [deal_json(deal, prices.get(deal.variant_id)) for deal in deals]


@blp.route("/deals")
class DealsView(MethodView):
    @require_feature(service.FEATURE)
    @blp.response(200, DealSchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """The deals running now, ending soonest first."""
        return deals_json(service.active_deals(db_session(), current_tenant(), clock.now()))


@blp.route("/seller/deals")
class SellerDealsView(MethodView):
    @require_feature(service.FEATURE)
    @require_auth("seller")
    @blp.response(200, DealSchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """The signed-in seller's latest 100 deals, newest first."""
        return deals_json(service.seller_deals(db_session(), current_tenant(), own_seller_id()))

    @require_feature(service.FEATURE)
    @require_auth("seller")
    @blp.arguments(DealCreateSchema)
    @blp.response(201, DealSchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Create a deal on one of the seller's variants; its quota is held from stock at once."""
        seller_id = own_seller_id()
        with problems():
            deal = service.create_deal(write_session(), current_tenant(), seller_id, at=clock.now(), **body)
            db_session().commit()
        return deals_json([deal])[0]


@blp.route("/seller/deals/<int:deal_id>/end")
class SellerDealEndView(MethodView):
    @require_feature(service.FEATURE)
    @require_auth("seller")
    @blp.response(200, DealSchema)
    def post(self, deal_id: int) -> dict[str, Any]:
        """End the deal now; the units no one claimed go back to stock."""
        seller_id = own_seller_id()
        with problems():
            session = write_session()
            deal = service.seller_deal(session, current_tenant(), seller_id, deal_id)
            service.end_deal(session, current_tenant(), deal, clock.now())
            db_session().commit()
        return deals_json([deal])[0]
