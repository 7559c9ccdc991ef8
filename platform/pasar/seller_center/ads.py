"""Ad campaigns: the shop's ad balance and top-ups from its earnings, campaigns (In-Feed for a
product, Spark for a creator's video), pause/resume/end, and the daily report.

A top-up moves money the platform owes the shop into its ad balance. The form carries an
idempotency key made when the page was drawn, so a double click or a resubmitted form tops up
once (the ads service stores one top-up per key). Only where the marketplace has the ``ads``
feature.
"""
from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from pasar.ads import amounts, budget, reports
from pasar.ads import service as ads
from pasar.ads.errors import AdsNotFound, InvalidAds
from pasar.ads.models import BILLINGS, CAMPAIGN_KINDS, Campaign
from pasar.clock import now
from pasar.money import from_minor, money
from pasar.pages import safe_next
from pasar.seller_center.blueprint import (
    ADS_FEATURE, Form, blp, commit_or_refuse, page, seller_page, shop_id, writer,
)
from pasar.seller_center.labels import options
from pasar.seller_center.live import showable_products
from pasar.web import current_tenant, db_session, require_feature

ads_feature = require_feature(ADS_FEATURE)
CAMPAIGN_FIELDS = ("name", "kind", "product_id", "spark_code", "billing", "bid", "daily_budget", "starts_on",
                   "ends_on")


def own_campaign(campaign_id: int) -> Campaign:
    try:
        return ads.seller_campaign(db_session(), current_tenant(), shop_id(), campaign_id)
    except AdsNotFound:
        abort(404)


def micros_money(micros: int) -> Any:
    """Spend kept in micros as the seller reads it (display precision, rounded down)."""
    tenant = current_tenant()
    return money(amounts.shown(micros, tenant.currency_rules()), tenant.currency)


def minor_money(minor: int) -> Any:
    tenant = current_tenant()
    return from_minor(minor, tenant.currency, tenant.currency_rules())


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, ZoneInfo(current_tenant().config.timezone))


def form_day(form: Form, field: str) -> date | None:
    text = form.get(field).strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidAds(_("Enter a date."), field) from None


# --- the page -----------------------------------------------------------------------------------
@blp.route("/ads", methods=["GET", "POST"], endpoint="campaigns")
@ads_feature
@seller_page
def campaigns_page() -> Any:
    """Ad balance and top-up, the campaigns with what they do today, a new campaign, and the
    last days' report of all campaigns together."""
    form = Form.posted() if request.method == "POST" else Form()
    if request.method == "POST":
        session = writer()
        made = None
        with commit_or_refuse(session, form) as done:
            made = ads.create_campaign(session, current_tenant(), shop_id(), at=now(), **_campaign(form))
        if done.ok and made is not None:
            flash(_("Campaign %(name)s created.", name=made.name), "success")
            return redirect(url_for("seller_center.campaign", campaign_id=made.id))
        form.errors = {_form_field(k): v for k, v in form.errors.items()}
    return _page(form, Form())


def _form_field(service_field: str) -> str:
    """The service names the window ``starts_at``/``ends_at``; the form asks for days."""
    return {"starts_at": "starts_on", "ends_at": "ends_on", "video_id": "product_id"}.get(service_field, service_field)


def _campaign(form: Form) -> dict[str, Any]:
    kind = form.get("kind") or "in_feed"
    product = form.get("product_id").strip()
    starts, ends = form_day(form, "starts_on"), form_day(form, "ends_on")
    if kind == "in_feed" and not product:
        raise InvalidAds(_("Choose the product to advertise."), "product_id")
    if product and not product.isdigit():
        raise InvalidAds(_("Choose from the list."), "product_id")
    return {
        "name": form.get("name"), "kind": kind, "billing": form.get("billing"), "bid": form.get("bid").strip(),
        "daily_budget": form.get("daily_budget").strip(),
        "product_id": int(product) if kind == "in_feed" and product else None,
        "spark_code": (form.get("spark_code").strip() or None) if kind == "spark" else None,
        "starts_at": day_start(starts) if starts else None,
        "ends_at": day_start(ends + timedelta(days=1)) if ends else None,
    }


def _page(form: Form, topup: Form) -> Any:
    tenant, session, seller_id = current_tenant(), db_session(), shop_id()
    campaigns = ads.seller_campaigns(session, tenant, seller_id)
    states = ads.delivery(session, tenant, campaigns, now())
    row = budget.account(session, tenant, seller_id)
    funded, spent = (row.funded_micros, row.spent_micros) if row is not None else (0, 0)
    first, last = reports.check_range(tenant, None, None, now())
    days = reports.report(session, tenant, campaigns, first, last)
    if not form.values:
        form.values = {"kind": "in_feed", "billing": "cpc"}
    topup.values = topup.values or {"key": secrets.token_urlsafe(16)}
    status = 422 if form.errors or topup.errors else 200
    return page(
        "seller_center/ads.html", status, area="ads", form=form, topup=topup,
        balance=micros_money(funded - spent), earnings=budget.available_earnings(session, tenant, seller_id),
        campaigns=[_row(c, states[c.id]) for c in campaigns], report=[_day(d) for d in days],
        products=showable_products(), kinds=options("ad_kind", CAMPAIGN_KINDS),
        billings=options("billing", BILLINGS), fields=CAMPAIGN_FIELDS,
        reserve=money(ads.reserve_cpm(tenant), tenant.currency),
    )


def _row(campaign: Campaign, state: ads.Delivery) -> dict[str, Any]:
    return {"campaign": campaign, "state": state.state, "bid": minor_money(campaign.bid_minor),
            "budget": minor_money(campaign.daily_budget_minor), "spent": micros_money(state.spent_today_micros),
            "impressions": state.impressions_today, "clicks": state.clicks_today}


def _day(day: reports.ReportDay) -> dict[str, Any]:
    return {"day": day.day, "impressions": day.impressions, "clicks": day.clicks, "ctr": day.ctr,
            "spend": micros_money(day.spend_micros), "orders": day.orders, "gmv": minor_money(day.gmv_minor)}


@blp.post("/ads/topup")
@ads_feature
@seller_page
def top_up() -> Any:
    """Move money from the shop's earnings into its ad balance (once per form)."""
    form = Form.posted()
    session = writer()
    made = False
    with commit_or_refuse(session, form) as done:
        _row_made, made = budget.top_up(session, current_tenant(), shop_id(), amount=form.get("amount").strip(),
                                        key=form.get("key"), at=now())
    if done.ok:
        flash(_("Ad balance topped up.") if made else _("This top-up was made already."), "success")
        return redirect(url_for("seller_center.campaigns"))
    form.errors = {("amount" if k == "Idempotency-Key" else k): v for k, v in form.errors.items()}
    return _page(Form(), form)


# --- one campaign -------------------------------------------------------------------------------
@blp.get("/ads/<int:campaign_id>")
@ads_feature
@seller_page
def campaign(campaign_id: int) -> Any:
    """One campaign: its terms, today's delivery and the daily report of a period."""
    found = own_campaign(campaign_id)
    tenant, session = current_tenant(), db_session()
    form = Form(values=request.args)
    try:
        first, last = reports.check_range(tenant, form_day(form, "from"), form_day(form, "to"), now())
    except InvalidAds as exc:
        form.errors.update({key: " ".join(value) for key, value in exc.errors.items()})
        first, last = reports.check_range(tenant, None, None, now())
    state = ads.delivery(session, tenant, [found], now())[found.id]
    days = reports.report(session, tenant, [found], first, last)
    return page("seller_center/campaign.html", 422 if form.errors else 200, area="ads", row=_row(found, state),
                report=[_day(d) for d in days], form=form, first=first, last=last)


def _move(campaign_id: int, act: Any, message: str) -> Any:
    found = own_campaign(campaign_id)
    session = writer()
    with commit_or_refuse(session) as done:
        act(session, current_tenant(), found, now())
    if done.ok:
        flash(message, "success")
    default = url_for("seller_center.campaign", campaign_id=campaign_id)
    return redirect(safe_next(request.form.get("back"), default))


@blp.post("/ads/<int:campaign_id>/pause")
@ads_feature
@seller_page
def pause_campaign(campaign_id: int) -> Any:
    return _move(campaign_id, ads.pause_campaign, _("Campaign paused."))


@blp.post("/ads/<int:campaign_id>/resume")
@ads_feature
@seller_page
def resume_campaign(campaign_id: int) -> Any:
    return _move(campaign_id, ads.resume_campaign, _("Campaign delivering again."))


@blp.post("/ads/<int:campaign_id>/end")
@ads_feature
@seller_page
def end_campaign(campaign_id: int) -> Any:
    return _move(campaign_id, ads.end_campaign, _("Campaign ended."))
