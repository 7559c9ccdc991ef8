"""Affiliate offers: commission for creators who promote the shop's products.

An offer is open to every creator or an invitation to one; creators apply to open offers and
the shop approves or rejects each application. Withdrawing an offer ends its collaborations
now (commission already earned stays earned). Only where the marketplace has the ``affiliate``
feature.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from pasar.clock import now, today_in
from pasar.creators import service as creators
from pasar.creators.models import Collaboration, CollaborationOffer
from pasar.seller_center.blueprint import (
    AFFILIATE_FEATURE, Form, blp, commit_or_refuse, page, seller_page, shop_id, writer,
)
from pasar.seller_center.live import showable_products
from pasar.seller_center.products import title_of
from pasar.catalog import service as catalog
from pasar.web import current_tenant, db_session, require_feature

affiliate_feature = require_feature(AFFILIATE_FEATURE)
#: Creators offered in the invitation list (the most followed first).
CREATOR_CHOICES = 50
OFFER_FIELDS = ("product_id", "commission_rate", "starts_on", "ends_on", "creator_id", "note")


def percent(text: str) -> Decimal:
    """``12.5`` (per cent, as typed) → ``0.125``; refused naming ``commission_rate``."""
    try:
        value = Decimal(text.strip().replace(",", ".").rstrip("%").strip())
    except InvalidOperation:
        raise creators.InvalidCreatorInput({"commission_rate": [_("Enter a percentage, e.g. 10.")]}) from None
    if not value.is_finite():
        raise creators.InvalidCreatorInput({"commission_rate": [_("Enter a percentage, e.g. 10.")]})
    return value / 100


def local_day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise creators.InvalidCreatorInput({field: [_("Enter a date.")]}) from None


def day_start(day: date) -> datetime:
    """Midnight at the start of ``day`` where the marketplace is."""
    return datetime.combine(day, time.min, ZoneInfo(current_tenant().config.timezone))


def whole(text: str, field: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise creators.InvalidCreatorInput({field: [_("Choose from the list.")]}) from None


# --- page ---------------------------------------------------------------------------------------
@blp.route("/affiliate", methods=["GET", "POST"], endpoint="affiliate")
@affiliate_feature
@seller_page
def affiliate_page() -> Any:
    """The shop's offers, creators on them, and the form for a new offer."""
    form = Form.posted() if request.method == "POST" else Form()
    if request.method == "POST":
        session = writer()
        with commit_or_refuse(session, form) as done:
            creators.publish_offer(session, current_tenant(), shop_id(), _offer(form), now())
        if done.ok:
            flash(_("Offer published."), "success")
            return redirect(url_for("seller_center.affiliate"))
        form.errors = {_form_field(k): v for k, v in form.errors.items()}
    return _page(form)


def _form_field(service_field: str) -> str:
    """The service names the window ``starts_at``/``ends_at``; the form asks for days."""
    return {"starts_at": "starts_on", "ends_at": "ends_on"}.get(service_field, service_field)


def _offer(form: Form) -> creators.Offer:
    product = form.get("product_id")
    if not product:
        raise creators.InvalidCreatorInput({"product_id": [_("Choose a product.")]})
    starts = day_start(local_day(form.get("starts_on"), "starts_on")) if form.get("starts_on") else now()
    ends_on = form.get("ends_on")
    if not ends_on:
        raise creators.InvalidCreatorInput({"ends_on": [_("Choose the last day of the offer.")]})
    creator = form.get("creator_id")
    return creators.Offer(
        product_id=whole(product, "product_id"), rate=percent(form.get("commission_rate")), starts_at=starts,
        ends_at=day_start(local_day(ends_on, "ends_on") + timedelta(days=1)),
        creator_id=whole(creator, "creator_id") if creator else None, note=form.get("note")[:1000],
    )


def _page(form: Form) -> Any:
    tenant, session, seller_id = current_tenant(), db_session(), shop_id()
    offers = creators.seller_offers(session, tenant, seller_id)
    collaborations = creators.seller_collaborations(session, tenant, seller_id)
    handles = _handles({o.creator_id for o in offers} | {c.creator_id for c in collaborations})
    titles = _titles({o.product_id for o in offers} | {c.product_id for c in collaborations})
    choices = [(c.id, f"@{c.handle} · {c.display_name}") for c in creators.list_creators(session, tenant,
                                                                                           limit=CREATOR_CHOICES)]
    today = today_in(tenant.config.timezone)
    if not form.values:
        form.values = {"commission_rate": "10", "starts_on": today.isoformat(),
                       "ends_on": (today + timedelta(days=30)).isoformat()}
    return page("seller_center/affiliate.html", 422 if form.errors else 200, area="affiliate", form=form,
                offers=[_offer_row(o, handles, titles) for o in offers],
                collaborations=[_collaboration_row(c, handles, titles) for c in collaborations],
                products=showable_products(), creators=choices, fields=OFFER_FIELDS)


def _handles(ids: set[int | None]) -> dict[int, str]:
    found: dict[int, str] = {}
    for creator_id in (i for i in ids if i is not None):
        try:
            found[creator_id] = "@" + creators.get_creator(db_session(), current_tenant(), creator_id).handle
        except creators.CreatorNotFound:
            found[creator_id] = f"#{creator_id}"
    return found


def _titles(ids: set[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for product_id in ids:
        try:
            found[product_id] = title_of(catalog.get_product(db_session(), current_tenant(), product_id))
        except catalog.CatalogNotFound:
            found[product_id] = f"#{product_id}"
    return found


def _offer_row(offer: CollaborationOffer, handles: dict[int, str], titles: dict[int, str]) -> dict[str, Any]:
    return {"offer": offer, "rate": creators.rate_of(offer.rate_bp), "product": titles.get(offer.product_id),
            "creator": handles.get(offer.creator_id) if offer.creator_id else None,
            "open": offer.status == "open" and offer.ends_at > now()}


def _collaboration_row(c: Collaboration, handles: dict[int, str], titles: dict[int, str]) -> dict[str, Any]:
    return {"collaboration": c, "rate": creators.rate_of(c.rate_bp), "product": titles.get(c.product_id),
            "creator": handles.get(c.creator_id)}


# --- actions ------------------------------------------------------------------------------------
@blp.post("/affiliate/offers/<int:offer_id>/withdraw")
@affiliate_feature
@seller_page
def withdraw_offer(offer_id: int) -> Any:
    """Stop an offer now; commission already earned stays earned."""
    session = writer()
    with commit_or_refuse(session) as done:
        try:
            creators.withdraw_offer(session, current_tenant(), shop_id(), offer_id, now())
        except creators.CreatorNotFound:
            abort(404)
    if done.ok:
        flash(_("Offer withdrawn."), "success")
    return redirect(url_for("seller_center.affiliate"))


def _decide(decision: str, collaboration_id: int, message: str) -> Any:
    session = writer()
    with commit_or_refuse(session) as done:
        try:
            creators.decide(session, current_tenant(), decision, shop_id(), collaboration_id, now())
        except creators.CreatorNotFound:
            abort(404)
    if done.ok:
        flash(message, "success")
    return redirect(url_for("seller_center.affiliate") + "#collaborations")


@blp.post("/affiliate/collaborations/<int:collaboration_id>/approve")
@affiliate_feature
@seller_page
def approve_collaboration(collaboration_id: int) -> Any:
    return _decide("approve", collaboration_id, _("Creator approved."))


@blp.post("/affiliate/collaborations/<int:collaboration_id>/reject")
@affiliate_feature
@seller_page
def reject_collaboration(collaboration_id: int) -> Any:
    return _decide("reject", collaboration_id, _("Application rejected."))
