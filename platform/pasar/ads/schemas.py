"""Schemas of the ads endpoints. A seller sets only a campaign's terms: ``status`` beyond
draft/active, ``seller_id``, spend or counters in a body are refused (422, unknown field).
Amounts are decimal strings in the tenant's currency; times are ISO 8601 with an offset."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from pasar.ads.models import BILLINGS, CAMPAIGN_KINDS

DECIMAL = {"type": "string", "format": "decimal"}
_ID = validate.Range(min=1)
_TARGETING = validate.Length(max=50)
DELIVERY_STATES = ("draft", "paused", "ended", "scheduled", "target_unavailable", "no_balance", "budget_exhausted",
                   "delivering")


class AdCampaignCreateSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    kind = fields.String(required=True, validate=validate.OneOf(CAMPAIGN_KINDS))
    video_id = fields.Integer(allow_none=True, load_default=None, validate=_ID,
                              metadata={"description": "In-Feed: one of your shop's videos"})
    product_id = fields.Integer(allow_none=True, load_default=None, validate=_ID,
                                metadata={"description": "In-Feed: one of your products"})
    spark_code = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=24),
                               metadata={"description": "Spark: the code the creator issued for a video"})
    billing = fields.String(required=True, validate=validate.OneOf(BILLINGS))
    bid = fields.String(required=True, metadata={**DECIMAL, "description": "Per 1000 impressions (cpm) or per click (cpc)"})
    daily_budget = fields.String(required=True, metadata={**DECIMAL, "description": "Most spent per local day"})
    starts_at = fields.AwareDateTime(allow_none=True, load_default=None, metadata={"description": "Default: now"})
    ends_at = fields.AwareDateTime(allow_none=True, load_default=None, metadata={"description": "Default: no end"})
    categories = fields.List(fields.Integer(validate=_ID), load_default=list, validate=_TARGETING,
                             metadata={"description": "Buyers interested in these categories; empty: everyone"})
    countries = fields.List(fields.String(validate=validate.Length(equal=2)), load_default=list, validate=_TARGETING,
                            metadata={"description": "ISO 3166 codes of viewers' countries; empty: everywhere"})
    status = fields.String(load_default="active", validate=validate.OneOf(("draft", "active")))


class AdCampaignPatchSchema(Schema):
    name = fields.String(validate=validate.Length(min=1, max=120))
    bid = fields.String(metadata=DECIMAL)
    daily_budget = fields.String(metadata=DECIMAL)
    ends_at = fields.AwareDateTime(allow_none=True)
    categories = fields.List(fields.Integer(validate=_ID), validate=_TARGETING)
    countries = fields.List(fields.String(validate=validate.Length(equal=2)), validate=_TARGETING)


class AdTodaySchema(Schema):
    spent = fields.String(required=True, metadata=DECIMAL)
    impressions = fields.Integer(required=True)
    clicks = fields.Integer(required=True)


class AdCampaignSchema(Schema):
    id = fields.Integer(required=True)
    seller_id = fields.Integer(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(CAMPAIGN_KINDS))
    video_id = fields.Integer(allow_none=True)
    product_id = fields.Integer(allow_none=True)
    spark_code_id = fields.Integer(allow_none=True)
    creator_id = fields.Integer(allow_none=True)
    billing = fields.String(required=True, validate=validate.OneOf(BILLINGS))
    bid = fields.String(required=True, metadata=DECIMAL)
    daily_budget = fields.String(required=True, metadata=DECIMAL)
    currency = fields.String(required=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(allow_none=True)
    categories = fields.List(fields.Integer(), required=True)
    countries = fields.List(fields.String(), required=True)
    status = fields.String(required=True, metadata={"description": "Stored: draft, active, paused or ended"})
    delivery = fields.String(required=True, validate=validate.OneOf(DELIVERY_STATES),
                             metadata={"description": "Whether it delivers now, and if not why"})
    today = fields.Nested(AdTodaySchema, required=True)
    created_at = fields.DateTime(required=True)


class AdAccountSchema(Schema):
    seller_id = fields.Integer(required=True)
    currency = fields.String(required=True)
    balance = fields.String(required=True, metadata={**DECIMAL, "description": "Prepaid budget left to spend"})
    balance_formatted = fields.String(required=True)
    funded = fields.String(required=True, metadata={**DECIMAL, "description": "Every top-up"})
    spent = fields.String(required=True, metadata={**DECIMAL, "description": "Every charge"})
    available_earnings = fields.String(required=True, metadata={**DECIMAL, "description": "What a top-up may take"})


class AdTopUpInSchema(Schema):
    amount = fields.String(required=True, metadata={**DECIMAL, "description": "Taken from your earnings"})


class AdTopUpSchema(Schema):
    id = fields.Integer(required=True)
    amount = fields.String(required=True, metadata=DECIMAL)
    currency = fields.String(required=True)
    source = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    account = fields.Nested(AdAccountSchema, required=True)


class AdReportQuerySchema(Schema):
    from_ = fields.Date(data_key="from", load_default=None, metadata={"description": "First local day (default: 6 days ago)"})
    to = fields.Date(load_default=None, metadata={"description": "Last local day (default: today)"})


class AdReportDaySchema(Schema):
    day = fields.Date(required=True)
    impressions = fields.Integer(required=True)
    clicks = fields.Integer(required=True)
    ctr = fields.String(required=True, metadata={**DECIMAL, "description": "Clicks per impression"})
    spend = fields.String(required=True, metadata=DECIMAL)
    orders = fields.Integer(required=True, metadata={"description": "Paid orders the ad's clicks led to"})
    gmv = fields.String(required=True, metadata={**DECIMAL, "description": "Their value"})


class AdReportTotalsSchema(Schema):
    impressions = fields.Integer(required=True)
    clicks = fields.Integer(required=True)
    ctr = fields.String(required=True, metadata=DECIMAL)
    spend = fields.String(required=True, metadata=DECIMAL)
    orders = fields.Integer(required=True)
    gmv = fields.String(required=True, metadata=DECIMAL)


class AdReportSchema(Schema):
    campaign_id = fields.Integer(allow_none=True)
    currency = fields.String(required=True)
    days = fields.List(fields.Nested(AdReportDaySchema), required=True)
    totals = fields.Nested(AdReportTotalsSchema, required=True)


class AdSparkCodeInSchema(Schema):
    video_id = fields.Integer(required=True, validate=_ID)
    days = fields.Integer(load_default=30, validate=validate.Range(min=1, max=365),
                          metadata={"description": "How long shops may boost the video"})
    reusable = fields.Boolean(load_default=False, metadata={"description": "False: one campaign only"})


class AdSparkCodeSchema(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    video_id = fields.Integer(required=True)
    reusable = fields.Boolean(required=True)
    uses = fields.Integer(required=True)
    expires_at = fields.DateTime(required=True)
    revoked_at = fields.DateTime(allow_none=True)
    state = fields.String(required=True, validate=validate.OneOf(("active", "revoked", "expired", "used")))
    created_at = fields.DateTime(required=True)


class AdClickInSchema(Schema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=64))


class AdClickSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(("video", "product")))
    target_id = fields.Integer(required=True)
    product_id = fields.Integer(allow_none=True)
    location = fields.String(required=True, metadata={"description": "Where the click leads (API path)"})
