"""Ads endpoints: a seller's campaigns, ad balance, top-ups and reports; a creator's Spark
codes; the click on a sponsored slot.

Every route answers only where the tenant has the ``ads`` feature (404 problem naming it
elsewhere). A seller or creator only ever acts for itself — its id comes from the token,
never from the URL — and another's campaign or code answers 404. Writing views begin their
transaction as writers (``write_session``) and commit after the service returned.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

from flask import request, url_for
from flask.views import MethodView
from flask_babel import get_locale
from flask_smorest import Blueprint, abort
from werkzeug.wrappers import Response

from pasar import clock
from pasar.accounts.auth import current_principal, own_seller_id, require_auth, signed_in
from pasar.ads import amounts, budget, reports, service
from pasar.ads.errors import AdsConflict, AdsError, AdsNotFound
from pasar.ads.models import Campaign, SparkCode
from pasar.ads.schemas import (
    AdAccountSchema,
    AdCampaignCreateSchema,
    AdCampaignPatchSchema,
    AdCampaignSchema,
    AdClickInSchema,
    AdClickSchema,
    AdReportQuerySchema,
    AdReportSchema,
    AdSparkCodeInSchema,
    AdSparkCodeSchema,
    AdTopUpInSchema,
    AdTopUpSchema,
)
from pasar.money import format_money, from_minor
from pasar.sellers.service import SellerNotApproved, SellerNotFound
from pasar.web import current_tenant, db_session, require_feature, write_session

blp = Blueprint("ads", __name__, url_prefix="/api/v1", description="Seller ads: campaigns, Spark codes, clicks")
ads_on = require_feature(service.FEATURE)
IDEMPOTENCY_HEADER = "Idempotency-Key"
_KEY_DOC = {"in": "header", "name": IDEMPOTENCY_HEADER, "required": True, "schema": {"type": "string", "maxLength": 128},
            "description": "A unique value per intended top-up; retries reuse it"}


# --- helpers ------------------------------------------------------------------------------------
@contextmanager
def problems() -> Iterator[None]:
    """The domain's refusals as problems naming the field (what they left is rolled back)."""
    try:
        yield
    except AdsError as exc:
        db_session().rollback()
        _abort(_status_of(exc), exc)
    except SellerNotApproved:
        db_session().rollback()
        abort(403, message="seller is not approved")
    except SellerNotFound:
        db_session().rollback()
        abort(403, message="this account staffs no shop")


def _status_of(exc: AdsError) -> int:
    if isinstance(exc, AdsNotFound):
        return 404
    if isinstance(exc, AdsConflict):
        return 409
    return 422  # InvalidAds, NotEnoughFunds


def _abort(status: int, exc: AdsError) -> NoReturn:
    if exc.errors:
        abort(status, message=exc.message, errors=exc.errors)
    abort(status, message=exc.message)


def own_creator_id() -> int:
    """The caller's creator profile; a token without one has none to act for (404)."""
    creator_id = signed_in().creator_id
    if creator_id is None:
        abort(404, message="you have no creator profile")
    return creator_id


def _decimal(minor: int) -> str:
    rules = current_tenant().currency_rules()
    return format(from_minor(minor, current_tenant().currency, rules).amount, "f")


def _shown(micros: int) -> str:
    return format(amounts.shown(micros, current_tenant().currency_rules()), "f")


def campaigns_json(campaigns: list[Campaign]) -> list[dict[str, Any]]:
    """Campaigns with what they do today (one query per kind of row for the whole list)."""
    states = service.delivery(db_session(), current_tenant(), campaigns, clock.now())
    return [_campaign_json(campaign, states[campaign.id]) for campaign in campaigns]


def _campaign_json(campaign: Campaign, state: service.Delivery) -> dict[str, Any]:
    return {
        "id": campaign.id, "seller_id": campaign.seller_id, "name": campaign.name, "kind": campaign.kind,
        "video_id": campaign.video_id, "product_id": campaign.product_id, "spark_code_id": campaign.spark_code_id,
        "creator_id": campaign.creator_id, "billing": campaign.billing, "bid": _decimal(campaign.bid_minor),
        "daily_budget": _decimal(campaign.daily_budget_minor), "currency": campaign.currency,
        "starts_at": campaign.starts_at, "ends_at": campaign.ends_at, "categories": list(campaign.categories),
        "countries": list(campaign.countries), "status": campaign.status, "delivery": state.state,
        "today": {"spent": _shown(state.spent_today_micros), "impressions": state.impressions_today,
                  "clicks": state.clicks_today},
        "created_at": campaign.created_at,
    }


def account_json(seller_id: int) -> dict[str, Any]:
    tenant, session = current_tenant(), db_session()
    row = budget.account(session, tenant, seller_id)
    funded, spent = (row.funded_micros, row.spent_micros) if row is not None else (0, 0)
    rules = tenant.currency_rules()
    balance = amounts.shown(funded - spent, rules)
    return {
        "seller_id": seller_id, "currency": tenant.currency, "balance": format(balance, "f"),
        "balance_formatted": format_money(amounts.to_money(amounts.postable(funded - spent, rules), tenant.currency),
                                          str(get_locale()), rules),
        "funded": _shown(funded), "spent": _shown(spent),
        "available_earnings": format(budget.available_earnings(session, tenant, seller_id).amount, "f"),
    }


def code_json(code: SparkCode) -> dict[str, Any]:
    return {"id": code.id, "code": code.code, "video_id": code.video_id, "reusable": code.reusable, "uses": code.uses,
            "expires_at": code.expires_at, "revoked_at": code.revoked_at,
            "state": service.spark_code_state(code, clock.now()), "created_at": code.created_at}


def report_json(campaign_id: int | None, days: list[reports.ReportDay]) -> dict[str, Any]:
    tenant = current_tenant()
    total = reports.ReportDay(days[0].day, sum(d.impressions for d in days), sum(d.clicks for d in days),
                              sum(d.spend_micros for d in days), sum(d.orders for d in days),
                              sum(d.gmv_minor for d in days))
    return {"campaign_id": campaign_id, "currency": tenant.currency,
            "days": [_day_json(day) for day in days], "totals": _day_json(total)}


def _day_json(day: reports.ReportDay) -> dict[str, Any]:
    return {"day": day.day, "impressions": day.impressions, "clicks": day.clicks, "ctr": format(day.ctr, "f"),
            "spend": format(reports.spend_shown(current_tenant(), day.spend_micros), "f"),
            "orders": day.orders, "gmv": _decimal(day.gmv_minor)}


def _own_campaign(campaign_id: int) -> Campaign:
    with problems():
        return service.seller_campaign(db_session(), current_tenant(), own_seller_id(), campaign_id)


def idempotency_key() -> str:
    key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
    problem = None if key else "required: a unique value per top-up, reused on retries"
    if key and (len(key) > budget.MAX_KEY_LENGTH or not key.isprintable()):
        problem = f"at most {budget.MAX_KEY_LENGTH} printable characters"
    if problem:
        abort(400, message=f"{IDEMPOTENCY_HEADER} header: {problem}", errors={IDEMPOTENCY_HEADER: [problem]})
    return key


# --- seller: account and top-ups ----------------------------------------------------------------
@blp.route("/seller/ads/account")
class AccountView(MethodView):
    @ads_on
    @require_auth("seller")
    @blp.response(200, AdAccountSchema)
    def get(self) -> dict[str, Any]:
        """The shop's ad balance and the earnings a top-up may take."""
        return account_json(own_seller_id())


@blp.route("/seller/ads/account/topups")
class TopUpsView(MethodView):
    @ads_on
    @require_auth("seller")
    @blp.arguments(AdTopUpInSchema)
    @blp.doc(parameters=[_KEY_DOC])
    @blp.response(201, AdTopUpSchema)
    @blp.alt_response(200, schema=AdTopUpSchema, description="A retry of a key already used: the same top-up")
    def post(self, body: dict[str, Any]) -> Response | dict[str, Any]:
        """Move money from your earnings into your ad balance (once per Idempotency-Key)."""
        seller_id, key = own_seller_id(), idempotency_key()
        with problems():
            row, made = budget.top_up(write_session(), current_tenant(), seller_id, amount=body["amount"], key=key,
                                      at=clock.now())
            db_session().commit()
        answer = {"id": row.id, "amount": _decimal(row.amount_minor), "currency": row.currency, "source": row.source,
                  "created_at": row.created_at, "account": account_json(seller_id)}
        return answer if made else (answer, 200, {"Idempotent-Replayed": "true"})  # type: ignore[return-value]


# --- seller: campaigns --------------------------------------------------------------------------
@blp.route("/seller/ads/campaigns")
class CampaignsView(MethodView):
    @ads_on
    @require_auth("seller")
    @blp.response(200, AdCampaignSchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """The shop's latest 100 campaigns, newest first, with today's delivery."""
        return campaigns_json(service.seller_campaigns(db_session(), current_tenant(), own_seller_id()))

    @ads_on
    @require_auth("seller")
    @blp.arguments(AdCampaignCreateSchema)
    @blp.response(201, AdCampaignSchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Create an In-Feed campaign (your video or product) or a Spark one (a creator's
        video, with the code the creator gave you)."""
        seller_id = own_seller_id()
        with problems():
            campaign = service.create_campaign(write_session(), current_tenant(), seller_id, at=clock.now(), **body)
            db_session().commit()
        return campaigns_json([campaign])[0]


@blp.route("/seller/ads/campaigns/<int:campaign_id>")
class CampaignView(MethodView):
    @ads_on
    @require_auth("seller")
    @blp.response(200, AdCampaignSchema)
    def get(self, campaign_id: int) -> dict[str, Any]:
        """One of the shop's campaigns."""
        return campaigns_json([_own_campaign(campaign_id)])[0]

    @ads_on
    @require_auth("seller")
    @blp.arguments(AdCampaignPatchSchema)
    @blp.response(200, AdCampaignSchema)
    def patch(self, body: dict[str, Any], campaign_id: int) -> dict[str, Any]:
        """Change the name, bid, daily budget, end or targeting."""
        seller_id = own_seller_id()
        with problems():
            session = write_session()
            campaign = service.seller_campaign(session, current_tenant(), seller_id, campaign_id)
            service.update_campaign(session, current_tenant(), campaign, body, clock.now())
            db_session().commit()
        return campaigns_json([campaign])[0]


def _transition(campaign_id: int, move: Any) -> dict[str, Any]:
    seller_id = own_seller_id()
    with problems():
        session = write_session()
        campaign = service.seller_campaign(session, current_tenant(), seller_id, campaign_id)
        move(session, current_tenant(), campaign, clock.now())
        db_session().commit()
    return campaigns_json([campaign])[0]


@blp.route("/seller/ads/campaigns/<int:campaign_id>/pause")
class PauseView(MethodView):
    @ads_on
    @require_auth("seller")
    @blp.response(200, AdCampaignSchema)
    def post(self, campaign_id: int) -> dict[str, Any]:
        """Stop delivering until resumed."""
        return _transition(campaign_id, service.pause_campaign)


@blp.route("/seller/ads/campaigns/<int:campaign_id>/resume")
class ResumeView(MethodView):
    @ads_on
    @require_auth("seller")
    @blp.response(200, AdCampaignSchema)
    def post(self, campaign_id: int) -> dict[str, Any]:
        """Deliver again (or launch a draft)."""
        return _transition(campaign_id, service.resume_campaign)


@blp.route("/seller/ads/campaigns/<int:campaign_id>/end")
class EndView(MethodView):
    @ads_on
    @require_auth("seller")
    @blp.response(200, AdCampaignSchema)
    def post(self, campaign_id: int) -> dict[str, Any]:
        """End the campaign for good."""
        return _transition(campaign_id, service.end_campaign)


# --- seller: reports ----------------------------------------------------------------------------
@blp.route("/seller/ads/campaigns/<int:campaign_id>/report")
class CampaignReportView(MethodView):
    @ads_on
    @require_auth("seller")
    @blp.arguments(AdReportQuerySchema, location="query")
    @blp.response(200, AdReportSchema)
    def get(self, query: dict[str, Any], campaign_id: int) -> dict[str, Any]:
        """Per local day: impressions, clicks, CTR, spend, attributed orders and GMV."""
        campaign = _own_campaign(campaign_id)
        with problems():
            first, last = reports.check_range(current_tenant(), query["from_"], query["to"], clock.now())
        return report_json(campaign.id, reports.report(db_session(), current_tenant(), [campaign], first, last))


@blp.route("/seller/ads/report")
class SellerReportView(MethodView):
    @ads_on
    @require_auth("seller")
    @blp.arguments(AdReportQuerySchema, location="query")
    @blp.response(200, AdReportSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """The shop's campaigns together, per local day."""
        seller_id = own_seller_id()
        with problems():
            first, last = reports.check_range(current_tenant(), query["from_"], query["to"], clock.now())
        campaigns = service.seller_campaigns(db_session(), current_tenant(), seller_id)
        return report_json(None, reports.report(db_session(), current_tenant(), campaigns, first, last))


# --- creators: Spark codes ----------------------------------------------------------------------
@blp.route("/creator/ads/spark-codes")
class SparkCodesView(MethodView):
    @ads_on
    @require_auth("creator")
    @blp.response(200, AdSparkCodeSchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """Your Spark codes, newest first."""
        codes = service.creator_spark_codes(db_session(), current_tenant(), own_creator_id())
        return [code_json(code) for code in codes]

    @ads_on
    @require_auth("creator")
    @blp.arguments(AdSparkCodeInSchema)
    @blp.response(201, AdSparkCodeSchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Let shops boost one of your videos: give the code to the shop you agreed with."""
        creator_id = own_creator_id()
        with problems():
            code = service.issue_spark_code(write_session(), current_tenant(), creator_id, at=clock.now(), **body)
            db_session().commit()
        return code_json(code)


@blp.route("/creator/ads/spark-codes/<int:spark_code_id>/revoke")
class SparkCodeRevokeView(MethodView):
    @ads_on
    @require_auth("creator")
    @blp.response(200, AdSparkCodeSchema)
    def post(self, spark_code_id: int) -> dict[str, Any]:
        """Withdraw the code: campaigns using it stop delivering."""
        creator_id = own_creator_id()
        with problems():
            code = service.revoke_spark_code(write_session(), current_tenant(), creator_id, spark_code_id, clock.now())
            db_session().commit()
        return code_json(code)


# --- anyone: the click --------------------------------------------------------------------------
@blp.route("/ads/clicks")
class ClickView(MethodView):
    @ads_on
    @blp.arguments(AdClickInSchema)
    @blp.response(200, AdClickSchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Follow a sponsored slot: counts the click once per token and says where it leads."""
        principal = current_principal()
        buyer_id = principal.id if principal is not None and principal.kind == "user" else None
        with problems():
            click = service.record_click(write_session(), current_tenant(), body["token"], buyer_id=buyer_id,
                                         at=clock.now())
            db_session().commit()
        if click.kind == "video":
            location = url_for("content.VideoView", video_id=click.target_id)
        else:
            location = url_for("catalog.ProductView", product_id=click.target_id)
        return {"kind": click.kind, "target_id": click.target_id, "product_id": click.product_id, "location": location}
