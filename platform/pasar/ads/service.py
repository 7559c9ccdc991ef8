"""Ads: Spark codes, campaigns, the auction the feed calls, impressions and clicks.

Plain functions over ``(session, tenant, ...)``; no Flask. They flush, the caller commits.
Money moves through ``pasar.ads.budget`` (guarded counters; see there for the lock order) and
the auction's arithmetic is ``pasar.ads.auction`` (pure).

The feed calls, in one write transaction (SQLite: ``BEGIN IMMEDIATE``, e.g. ``write_session()``)::

    awards = run_auction(session, tenant, buyer_id=..., country=..., interests=..., at=now, slots=2)
    served = record_impressions(session, tenant, awards, buyer_id=..., at=now)  # [(award, token)]

and shows only ``served`` (labelled sponsored), each with its click token; a click comes back
through ``record_click``. ``run_auction`` reads; ``record_impressions`` charges, so an award
whose campaign spent its budget (or whose shop spent its balance) between the two is dropped
rather than shown for free or overcharged.
"""
from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from babel import Locale
from sqlalchemy import BigInteger, Date, Integer, and_, bindparam, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from pasar.ads import amounts, auction, budget
from pasar.ads.errors import AdsConflict, AdsError, AdsNotFound, InvalidAds, NotEnoughFunds, Problems
from pasar.ads.models import BILLINGS, CAMPAIGN_KINDS, AdAccount, AdClick, Campaign, CampaignDay, Impression, SparkCode
from pasar.catalog.errors import CatalogError
from pasar.catalog.models import Category, Product
from pasar.catalog.prices import price_to_minor
from pasar.money import from_minor
from pasar.content.models import Video, VideoAnchor
from pasar.db import UTCDateTime
from pasar.sellers.models import Seller
from pasar.sellers.service import get_approved_seller
from pasar.tenancy.service import TenantContext

__all__ = [
    "AdsConflict", "AdsError", "AdsNotFound", "Award", "Click", "InvalidAds", "NotEnoughFunds",
    "create_campaign", "creator_spark_codes", "delivery", "end_campaign", "end_due", "issue_spark_code",
    "pause_campaign", "record_click", "record_impressions", "resume_campaign", "revoke_spark_code",
    "run_auction", "seller_campaign", "seller_campaigns", "update_campaign",
]

FEATURE = "ads"
#: Tenant file ``settings`` key: the lowest value per 1000 impressions a slot sells for (a
#: decimal in the tenant's currency). Default: 100 display units (1.00 GBP, 100 IDR).
RESERVE_SETTING = "ads_reserve_cpm"
#: A click is counted (and charged) only this long after its impression was served.
CLICK_WINDOW = timedelta(days=1)
MAX_TARGETING = 50
MAX_SPARK_DAYS = 365
SELLER_PAGE = 100
SPARK_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are typed by hand
SPARK_LENGTH = 12
_COUNTRY = re.compile(r"[A-Z]{2}")
_TERRITORIES = frozenset(code for code in Locale("en").territories if _COUNTRY.fullmatch(code))


# --- values the feed gets -----------------------------------------------------------------------
@dataclass(frozen=True)
class Award:
    """A sponsored slot won in the auction: what to show and what it costs."""

    campaign_id: int
    kind: str  # "video" | "product"  (what the slot shows)
    target_id: int  # video id or product id
    seller_id: int
    creator_id: int | None
    product_id: int | None  # product shown, or the first anchored product of the video
    category_id: int | None
    billing: str  # "cpm" | "cpc"
    price: Decimal  # one impression (cpm) or one click (cpc), second-price, in major units


@dataclass(frozen=True)
class Click:
    """A click on a served ad: where it leads and what this request charged."""

    campaign_id: int
    kind: str  # "video" | "product"
    target_id: int
    product_id: int | None
    charged: Decimal  # 0 for CPM, a repeated token, a stale one or a spent budget
    repeated: bool  # the token was clicked before: nothing counted again
    counted: bool  # counted in the campaign's clicks (False: repeated or too late)


@dataclass(frozen=True)
class Target:
    """What a campaign shows right now, or why it cannot (see ``_targets``)."""

    kind: str
    target_id: int
    product_id: int | None
    category_id: int | None
    creator_id: int | None


def _insert(session: Session):  # type: ignore[no-untyped-def]
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def reserve_micros(tenant: TenantContext) -> int:
    """The reserve price of one impression, in micros."""
    rules = tenant.currency_rules()
    raw = tenant.config.settings.get(RESERVE_SETTING)
    cpm = Decimal(raw) if raw else Decimal(100).scaleb(-rules.display_minor_units)
    return amounts.ceil_micros(cpm * amounts.MICROS / auction.MILLE)


def reserve_cpm(tenant: TenantContext) -> Decimal:
    """The reserve per 1000 impressions, as a seller reads it."""
    return amounts.to_decimal(reserve_micros(tenant) * auction.MILLE).normalize()


# --- Spark codes (creators) ---------------------------------------------------------------------
def issue_spark_code(session: Session, tenant: TenantContext, creator_id: int, *, video_id: int, days: int,
                     reusable: bool, at: datetime) -> SparkCode:
    """A code that lets shops boost one of the creator's videos for ``days`` days: the
    creator's consent, which a Spark campaign needs and which the creator can revoke."""
    problems = Problems()
    video = session.get(Video, video_id)
    if video is None or video.author_kind != "creator" or video.creator_id != creator_id:
        problems.add("video_id", "no such video of yours")
    elif video.moderation == "rejected":
        problems.add("video_id", "a rejected video cannot be advertised")
    if not 1 <= days <= MAX_SPARK_DAYS:
        problems.add("days", f"between 1 and {MAX_SPARK_DAYS}")
    problems.raise_any()
    code = SparkCode(code=_new_code(), creator_id=creator_id, video_id=video_id, reusable=reusable, uses=0,
                     expires_at=at + timedelta(days=days), created_at=at)
    session.add(code)
    session.flush()
    return code


def _new_code() -> str:
    return "".join(secrets.choice(SPARK_ALPHABET) for _ in range(SPARK_LENGTH))


def creator_spark_codes(session: Session, tenant: TenantContext, creator_id: int) -> list[SparkCode]:
    """The creator's latest codes, newest first."""
    query = select(SparkCode).where(SparkCode.creator_id == creator_id).order_by(SparkCode.id.desc())
    return list(session.scalars(query.limit(SELLER_PAGE)))


def revoke_spark_code(session: Session, tenant: TenantContext, creator_id: int, code_id: int,
                      at: datetime) -> SparkCode:
    """Withdraw the consent: no new campaign may use the code, and the campaigns that did stop
    delivering (the auction checks the code every time)."""
    code = session.get(SparkCode, code_id)
    if code is None or code.creator_id != creator_id:
        raise AdsNotFound("no such Spark code", "spark_code_id")
    if code.revoked_at is None:
        code.revoked_at = at
        session.flush()
    return code


def spark_code_state(code: SparkCode, at: datetime) -> str:
    """``active``, ``revoked``, ``expired`` or ``used`` (a single-use code already taken)."""
    if code.revoked_at is not None:
        return "revoked"
    if code.expires_at <= at:
        return "expired"
    if not code.reusable and code.uses >= 1:
        return "used"
    return "active"


# --- campaigns (sellers) ------------------------------------------------------------------------
def create_campaign(
    session: Session, tenant: TenantContext, seller_id: int, *, name: str, kind: str, billing: str, bid: str,
    daily_budget: str, at: datetime, video_id: int | None = None, product_id: int | None = None,
    spark_code: str | None = None, starts_at: datetime | None = None, ends_at: datetime | None = None,
    categories: Sequence[int] = (), countries: Sequence[str] = (), status: str = "active",
) -> Campaign:
    """A campaign of the seller's, every field checked (all problems answered at once). A
    Spark campaign takes one use of its code, in the same transaction."""
    get_approved_seller(session, tenant, seller_id)
    problems = Problems()
    if kind not in CAMPAIGN_KINDS:
        problems.add("kind", f"must be one of {', '.join(CAMPAIGN_KINDS)}")
    if status not in ("draft", "active"):
        problems.add("status", "a new campaign is a draft or active")
    starts = starts_at or at
    terms = _terms(session, tenant, problems, name=name, billing=billing, bid=bid, daily_budget=daily_budget,
                   starts_at=starts, ends_at=ends_at, categories=categories, countries=countries, at=at)
    target = _new_target(session, tenant, problems, seller_id, kind, video_id, product_id, spark_code, at)
    problems.raise_any()
    code = target.get("spark")
    if code is not None:
        _use_spark_code(session, tenant, code, at)
    campaign = Campaign(
        seller_id=seller_id, kind=kind, video_id=target.get("video_id"), product_id=target.get("product_id"),
        spark_code_id=code.id if code is not None else None, creator_id=target.get("creator_id"),
        currency=tenant.currency, status=status, created_at=at, updated_at=at, **terms,
    )
    session.add(campaign)
    budget.ensure_account(session, tenant, seller_id)
    session.flush()
    return campaign


def _terms(session: Session, tenant: TenantContext, problems: Problems, *, name: str, billing: str, bid: str,
           daily_budget: str, starts_at: datetime, ends_at: datetime | None, categories: Sequence[int],
           countries: Sequence[str], at: datetime) -> dict[str, Any]:
    """The columns every campaign has, checked; problems are collected, not raised."""
    clean = (name or "").strip()
    if not 1 <= len(clean) <= 120:
        problems.add("name", "between 1 and 120 characters")
    if billing not in BILLINGS:
        problems.add("billing", f"must be one of {', '.join(BILLINGS)}")
    bid_minor = _amount(tenant, bid, "bid", problems)
    budget_minor = _amount(tenant, daily_budget, "daily_budget", problems)
    _check_bid(tenant, problems, billing, bid_minor, budget_minor)
    _check_window(problems, starts_at, ends_at, at)
    return {
        "name": clean, "billing": billing, "bid_minor": bid_minor or 0, "daily_budget_minor": budget_minor or 0,
        "starts_at": starts_at, "ends_at": ends_at,
        "categories": _check_categories(session, problems, categories),
        "countries": _check_countries(problems, countries),
    }


def _amount(tenant: TenantContext, text: str, field: str, problems: Problems) -> int | None:
    try:
        return price_to_minor(tenant, text, field)
    except CatalogError as exc:
        problems.add(field, exc.message)
        return None


def _check_bid(tenant: TenantContext, problems: Problems, billing: str, bid_minor: int | None,
               budget_minor: int | None) -> None:
    if bid_minor is None:
        return
    rules = tenant.currency_rules()
    if billing == "cpm" and amounts.from_minor(bid_minor, rules) < reserve_micros(tenant) * auction.MILLE:
        problems.add("bid", f"at least {reserve_cpm(tenant)} {tenant.currency} per 1000 impressions")
    if billing == "cpc" and budget_minor is not None and budget_minor < bid_minor:
        problems.add("daily_budget", "must pay for at least one click at your bid")


def _check_window(problems: Problems, starts_at: datetime, ends_at: datetime | None, at: datetime) -> None:
    if ends_at is None:
        return
    if ends_at <= starts_at:
        problems.add("ends_at", "must be after starts_at")
    elif ends_at <= at:
        problems.add("ends_at", "would already be over")


def _check_categories(session: Session, problems: Problems, categories: Sequence[int]) -> list[int]:
    ids = list(dict.fromkeys(categories))
    if len(ids) > MAX_TARGETING:
        problems.add("categories", f"at most {MAX_TARGETING}")
        return []
    known = set(session.scalars(select(Category.id).where(Category.id.in_(ids)))) if ids else set()
    for index, category_id in enumerate(categories):
        if category_id not in known:
            problems.add(f"categories.{index}", "no such category")
    return ids


def _check_countries(problems: Problems, countries: Sequence[str]) -> list[str]:
    codes = list(dict.fromkeys(code.strip().upper() for code in countries))
    if len(codes) > MAX_TARGETING:
        problems.add("countries", f"at most {MAX_TARGETING}")
        return []
    for index, code in enumerate(countries):
        if code.strip().upper() not in _TERRITORIES:
            problems.add(f"countries.{index}", "not an ISO 3166 country code")
    return codes


def _new_target(session: Session, tenant: TenantContext, problems: Problems, seller_id: int, kind: str,
                video_id: int | None, product_id: int | None, spark_code: str | None, at: datetime) -> dict[str, Any]:
    if kind == "spark":
        return _spark_target(session, problems, seller_id, video_id, product_id, spark_code, at)
    if spark_code:
        problems.add("spark_code", "only Spark campaigns take a code")
    if (video_id is None) == (product_id is None):
        problems.add("video_id" if video_id is not None else "product_id", "give either video_id or product_id")
        return {}
    if video_id is not None:
        video = session.get(Video, video_id)
        if video is None or video.author_kind != "seller" or video.seller_id != seller_id:
            problems.add("video_id", "no such video of your shop")
        elif video.moderation == "rejected":
            problems.add("video_id", "a rejected video cannot be advertised")
        return {"video_id": video_id}
    product = session.get(Product, product_id)
    if product is None or product.seller_id != seller_id:
        problems.add("product_id", "no such product of your shop")
    elif product.status != "active" or product.moderation != "approved":
        problems.add("product_id", "the product is not for sale")
    return {"product_id": product_id}


def _spark_target(session: Session, problems: Problems, seller_id: int, video_id: int | None,
                  product_id: int | None, spark_code: str | None, at: datetime) -> dict[str, Any]:
    """A Spark campaign boosts the video its code authorises, which must sell the shop's own
    products (a shop pays to sell its goods, not a stranger's)."""
    for field, value in (("video_id", video_id), ("product_id", product_id)):
        if value is not None:
            problems.add(field, "a Spark campaign boosts the video of its code")
    text = (spark_code or "").strip().upper()
    if not text:
        problems.add("spark_code", "a Spark campaign needs the code the creator issued")
        return {}
    code = session.scalar(select(SparkCode).where(SparkCode.code == text))
    if code is None:
        problems.add("spark_code", "no such Spark code")
        return {}
    state = spark_code_state(code, at)
    if state != "active":
        problems.add("spark_code", {"revoked": "the creator revoked this code", "expired": "this code has expired",
                                    "used": "this code was already used"}[state])
        return {}
    video = session.get(Video, code.video_id)
    if video is None or video.moderation == "rejected":
        problems.add("spark_code", "the creator's video was taken down")
        return {}
    if _sellers_anchor(session, video, seller_id) is None:
        problems.add("spark_code", "the video links none of your products")
        return {}
    return {"video_id": video.id, "creator_id": video.creator_id, "spark": code}


def _sellers_anchor(session: Session, video: Video, seller_id: int) -> int | None:
    """The first product under the video that the shop sells."""
    ids = [anchor.product_id for anchor in video.anchors]
    if not ids:
        return None
    own = set(session.scalars(select(Product.id).where(Product.id.in_(ids), Product.seller_id == seller_id)))
    return next((pid for pid in ids if pid in own), None)


def _use_spark_code(session: Session, tenant: TenantContext, code: SparkCode, at: datetime) -> None:
    """uses += 1 only while the code is valid and, if single-use, unused: two shops racing for
    one single-use code get one campaign between them."""
    taken = session.execute(
        update(SparkCode).where(
            SparkCode.tenant_id == tenant.id, SparkCode.id == code.id, SparkCode.revoked_at.is_(None),
            SparkCode.expires_at > at, or_(SparkCode.reusable.is_(True), SparkCode.uses == 0),
        ).values(uses=SparkCode.uses + 1).execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise InvalidAds("this code was already used", "spark_code")
    session.expire(code)


def seller_campaigns(session: Session, tenant: TenantContext, seller_id: int) -> list[Campaign]:
    """The seller's latest campaigns, newest first."""
    query = select(Campaign).where(Campaign.seller_id == seller_id).order_by(Campaign.id.desc())
    return list(session.scalars(query.limit(SELLER_PAGE)))


def seller_campaign(session: Session, tenant: TenantContext, seller_id: int, campaign_id: int) -> Campaign:
    """The campaign if this seller owns it; anyone else's is not found."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None or campaign.seller_id != seller_id:
        raise AdsNotFound("no such campaign", "campaign_id")
    return campaign


#: What a seller may change after creation; kind, target and billing make another campaign.
EDITABLE = ("name", "bid", "daily_budget", "ends_at", "categories", "countries")


def update_campaign(session: Session, tenant: TenantContext, campaign: Campaign, changes: Mapping[str, Any],
                    at: datetime) -> Campaign:
    """Change the editable terms (``changes`` holds only the fields sent; ``ends_at`` None
    clears the end). A lower budget takes effect at once: today's spend is checked against
    the budget as it is at each charge."""
    if campaign.status == "ended":
        raise AdsConflict("an ended campaign cannot change", "status")
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidAds("cannot be changed", sorted(unknown)[0])
    shown = {"name": campaign.name, "billing": campaign.billing,
             "bid": minor_text(tenant, campaign.bid_minor), "daily_budget": minor_text(tenant, campaign.daily_budget_minor),
             "starts_at": campaign.starts_at, "ends_at": campaign.ends_at,
             "categories": campaign.categories, "countries": campaign.countries}
    problems = Problems()
    terms = _terms(session, tenant, problems, at=at, **{**shown, **dict(changes)})
    problems.raise_any()
    for column in ("name", "bid_minor", "daily_budget_minor", "ends_at", "categories", "countries"):
        setattr(campaign, column, terms[column])
    campaign.updated_at = at
    session.flush()
    return campaign


def minor_text(tenant: TenantContext, minor: int) -> str:
    """Stored minor units as the plain decimal a seller typed ("12.50")."""
    return format(from_minor(minor, tenant.currency, tenant.currency_rules()).amount, "f")


def pause_campaign(session: Session, tenant: TenantContext, campaign: Campaign, at: datetime) -> Campaign:
    return _move(session, tenant, campaign, ("active",), "paused", at, "only an active campaign can be paused")


def resume_campaign(session: Session, tenant: TenantContext, campaign: Campaign, at: datetime) -> Campaign:
    """Deliver again (or for the first time, from a draft) — not past the schedule's end."""
    if campaign.ends_at is not None and campaign.ends_at <= at:
        raise AdsConflict("the campaign's schedule is over", "ends_at")
    return _move(session, tenant, campaign, ("paused", "draft"), "active", at, "only a paused or draft campaign can be resumed")


def end_campaign(session: Session, tenant: TenantContext, campaign: Campaign, at: datetime) -> Campaign:
    """Stop for good (the spend so far stays spent)."""
    return _move(session, tenant, campaign, ("draft", "active", "paused"), "ended", at, "the campaign has ended already")


def _move(session: Session, tenant: TenantContext, campaign: Campaign, sources: tuple[str, ...], target: str,
          at: datetime, refusal: str) -> Campaign:
    """One guarded status change (a double click moves once and answers 409 the second time)."""
    values: dict[str, Any] = {"status": target, "updated_at": at}
    if target == "ended":
        values["ended_at"] = at
    moved = session.execute(
        update(Campaign).where(Campaign.tenant_id == tenant.id, Campaign.id == campaign.id, Campaign.status.in_(sources))
        .values(**values).execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise AdsConflict(refusal, "status")
    session.refresh(campaign)
    return campaign


def end_due(session: Session, tenant: TenantContext, at: datetime) -> int:
    """Store ``ended`` on every campaign whose schedule is over; how many."""
    ended = session.execute(
        update(Campaign).where(Campaign.tenant_id == tenant.id, Campaign.status.in_(("draft", "active", "paused")),
                               Campaign.ends_at.is_not(None), Campaign.ends_at <= at)
        .values(status="ended", ended_at=at, updated_at=at).execution_options(synchronize_session=False)
    )
    return int(ended.rowcount or 0)  # type: ignore[attr-defined]


# --- what a campaign shows, and whether it delivers ---------------------------------------------
def _targets(session: Session, tenant: TenantContext, campaigns: Sequence[Any], at: datetime) -> dict[int, Target]:
    """The campaigns whose target may be shown now: an approved video (a Spark one under a
    valid code) or an active product; others are left out. ``campaigns`` are ``Campaign``
    objects or the auction's plain rows (the same attribute names). Reads plain columns with
    statements built once (``_showable_videos`` ...), the tenant bound on every table."""
    connection = session.connection()
    video_ids = {c.video_id for c in campaigns if c.video_id is not None}
    videos: dict[int, tuple[int | None, list[int]]] = {}  # id: (creator, anchored products in order)
    if video_ids:
        for video_id, creator_id, product_id in connection.execute(
                _showable_videos(), {"tenant": tenant.id, "ids": list(video_ids)}):
            anchors = videos.setdefault(video_id, (creator_id, []))[1]
            if product_id is not None:
                anchors.append(product_id)
    anchored = {pid for _creator, pids in videos.values() for pid in pids}
    product_ids = anchored | {c.product_id for c in campaigns if c.product_id is not None}
    products = {pid: (seller, category, bool(ok)) for pid, seller, category, ok in connection.execute(
        _product_states(), {"tenant": tenant.id, "ids": list(product_ids)})} if product_ids else {}
    code_ids = {c.spark_code_id for c in campaigns if c.spark_code_id is not None}
    valid_codes = set(connection.execute(_valid_codes(), {"tenant": tenant.id, "ids": list(code_ids), "at": at})
                      .scalars()) if code_ids else set()
    found: dict[int, Target] = {}
    for campaign in campaigns:
        if campaign.product_id is not None:
            seller, category, ok = products.get(campaign.product_id, (None, None, False))
            if ok:
                found[campaign.id] = Target("product", campaign.product_id, campaign.product_id, category, None)
            continue
        video = videos.get(campaign.video_id or 0)
        if video is None or (campaign.kind == "spark" and campaign.spark_code_id not in valid_codes):
            continue
        creator_id, anchors = video
        if campaign.kind == "spark":
            anchors = [pid for pid in anchors if products.get(pid, (None,))[0] == campaign.seller_id]
        product_id = anchors[0] if anchors else None
        category = products[product_id][1] if product_id is not None and product_id in products else None
        found[campaign.id] = Target("video", campaign.video_id, product_id, category,
                                    creator_id if campaign.kind == "spark" else None)
    return found


# Statements the auction runs on every feed request, built once per process (building one per
# request cost more than running it). They are Core over the mapped tables run on the session's
# connection, so the session's automatic tenant criterion does not apply: each names the tenant
# as a bound parameter on every table it reads, and every join also matches ``tenant_id``.
def _tenant() -> Any:
    return bindparam("tenant", type_=Integer)


def _ids() -> Any:
    return bindparam("ids", type_=Integer, expanding=True)


@cache
def _showable_videos() -> Any:
    """(video, creator, anchored product) of the approved videos among ``ids``, anchors in
    display order (a video without anchors is one row with no product)."""
    videos, anchors = Video.__table__, VideoAnchor.__table__
    return (
        select(videos.c.id, videos.c.creator_id, anchors.c.product_id)
        .select_from(videos.outerjoin(anchors, and_(anchors.c.tenant_id == videos.c.tenant_id,
                                                    anchors.c.video_id == videos.c.id)))
        .where(videos.c.tenant_id == _tenant(), videos.c.id.in_(_ids()), videos.c.moderation == "approved")
        .order_by(videos.c.id, anchors.c.position)
    )


@cache
def _product_states() -> Any:
    """(product, seller, category, for sale?) of the products among ``ids``."""
    products = Product.__table__.c
    return (
        select(products.id, products.seller_id, products.category_id,
               and_(products.status == "active", products.moderation == "approved"))
        .where(products.tenant_id == _tenant(), products.id.in_(_ids()))
    )


@cache
def _valid_codes() -> Any:
    """The Spark codes among ``ids`` neither revoked nor expired at ``at``."""
    codes = SparkCode.__table__.c
    return select(codes.id).where(codes.tenant_id == _tenant(), codes.id.in_(_ids()), codes.revoked_at.is_(None),
                                  codes.expires_at > bindparam("at", type_=UTCDateTime()))


@cache
def _eligible_campaigns() -> Any:
    """The auction's candidates: active campaigns in schedule, of approved shops with balance
    left, that have not spent today's budget — plain columns, with today's spend and the
    shop's balance (micros)."""
    campaigns, sellers, accounts, days = (Campaign.__table__, Seller.__table__, AdAccount.__table__,
                                          CampaignDay.__table__)
    c, s, a, d = campaigns.c, sellers.c, accounts.c, days.c
    at = bindparam("at", type_=UTCDateTime())
    return (
        select(c.id, c.seller_id, c.kind, c.video_id, c.product_id, c.spark_code_id, c.billing, c.bid_minor,
               c.daily_budget_minor, c.categories, c.countries,
               func.coalesce(d.spent_micros, 0).label("spent"),
               (a.funded_micros - a.spent_micros).label("available"))
        .select_from(
            campaigns
            .join(sellers, and_(s.tenant_id == c.tenant_id, s.id == c.seller_id))
            .join(accounts, and_(a.tenant_id == c.tenant_id, a.seller_id == c.seller_id))
            .outerjoin(days, and_(d.tenant_id == c.tenant_id, d.campaign_id == c.id,
                                  d.day == bindparam("day", type_=Date())))
        )
        .where(c.tenant_id == _tenant(), c.status == "active", c.starts_at <= at,
               or_(c.ends_at.is_(None), c.ends_at > at), s.status == "approved",
               a.spent_micros < a.funded_micros,
               or_(d.id.is_(None), d.spent_micros < c.daily_budget_minor * bindparam("per_minor", type_=BigInteger)))
        .order_by(c.id)
    )


@cache
def _lifetime_counts() -> Any:
    """(campaign, impressions, clicks) over the life of the campaigns among ``ids``."""
    days = CampaignDay.__table__.c
    return (
        select(days.campaign_id, func.sum(days.impressions), func.sum(days.clicks))
        .where(days.tenant_id == _tenant(), days.campaign_id.in_(_ids())).group_by(days.campaign_id)
    )


@cache
def _category_parents() -> Any:
    """(category, parent) of every category of the tenant."""
    categories = Category.__table__.c
    return select(categories.id, categories.parent_id).where(categories.tenant_id == _tenant())


@dataclass(frozen=True)
class Delivery:
    """A campaign's state as its seller reads it, with today's numbers."""

    state: str  # draft|paused|ended|scheduled|target_unavailable|no_balance|budget_exhausted|delivering
    spent_today_micros: int
    impressions_today: int
    clicks_today: int


def delivery(session: Session, tenant: TenantContext, campaigns: Sequence[Campaign], at: datetime) -> dict[int, Delivery]:
    """Why each campaign is (or is not) delivering at ``at`` — computed, not stored, since
    "budget spent" is a fact of the tenant's local day and ends at its midnight."""
    if not campaigns:
        return {}
    day = budget.local_day(tenant, at)
    ids = [c.id for c in campaigns]
    today = {row.campaign_id: row for row in session.scalars(
        select(CampaignDay).where(CampaignDay.campaign_id.in_(ids), CampaignDay.day == day))}
    balances = {row.seller_id: row.funded_micros - row.spent_micros for row in session.scalars(
        select(AdAccount).where(AdAccount.seller_id.in_({c.seller_id for c in campaigns})))}
    targets = _targets(session, tenant, campaigns, at)  # read after the flush the queries above did
    per_minor, cheapest = amounts.per_minor(tenant.currency_rules()), reserve_micros(tenant)
    found = {}
    for campaign in campaigns:
        row = today.get(campaign.id)
        spent = row.spent_micros if row is not None else 0
        state = _state(campaign, at, campaign.id in targets, balances.get(campaign.seller_id, 0),
                       campaign.daily_budget_minor * per_minor - spent, cheapest)
        found[campaign.id] = Delivery(state, spent, row.impressions if row else 0, row.clicks if row else 0)
    return found


def _state(campaign: Campaign, at: datetime, target_ok: bool, available: int, left_today: int, cheapest: int) -> str:
    """Budget and balance count as spent once they cannot pay for the cheapest impression."""
    if campaign.status != "active":
        return campaign.status
    if campaign.ends_at is not None and campaign.ends_at <= at:
        return "ended"
    if campaign.starts_at > at:
        return "scheduled"
    if not target_ok:
        return "target_unavailable"
    if available < cheapest:
        return "no_balance"
    if left_today < cheapest:
        return "budget_exhausted"
    return "delivering"


# --- the auction (the feed) ---------------------------------------------------------------------
def run_auction(session: Session, tenant: TenantContext, *, buyer_id: int | None, country: str,
                interests: Sequence[int], at: datetime, slots: int) -> list[Award]:
    """Fill up to ``slots`` sponsored slots for one viewer: eligible campaigns (active, in
    schedule, budget left today and balance left for at least the cheapest unit they could
    win, targeting matches, target showable) ranked by
    expected value per impression, one slot per shop, second-price. Reads only; nothing is
    charged until ``record_impressions``."""
    if slots <= 0 or not tenant.has_feature(FEATURE):
        return []
    if session.autoflush:
        session.flush()  # the reads below bypass the ORM (and its autoflush)
    per_minor = amounts.per_minor(tenant.currency_rules())
    rows = session.connection().execute(_eligible_campaigns(), {
        "tenant": tenant.id, "at": at, "day": budget.local_day(tenant, at), "per_minor": per_minor}).all()
    if not rows:
        return []
    reach = _Reach(session, tenant, country, interests)
    candidates = [row for row in rows if reach.matches(row)]
    targets = _targets(session, tenant, candidates, at) if candidates else {}
    candidates = [row for row in candidates if row.id in targets]
    if not candidates:
        return []
    history = _history(session, tenant, [row.id for row in candidates])
    bids = [auction.Bid(row.id, row.seller_id, row.billing, row.bid_minor * per_minor,
                        auction.estimated_ctr(*history.get(row.id, (0, 0))),
                        min(row.daily_budget_minor * per_minor - row.spent, row.available)) for row in candidates]
    by_id = {row.id: row for row in candidates}
    return [_award(by_id[win.bid.campaign_id], targets[win.bid.campaign_id], win)
            for win in auction.run(bids, slots, reserve_micros(tenant))]


def _award(campaign: Any, target: Target, win: auction.Win) -> Award:
    return Award(campaign_id=campaign.id, kind=target.kind, target_id=target.target_id, seller_id=campaign.seller_id,
                 creator_id=target.creator_id, product_id=target.product_id, category_id=target.category_id,
                 billing=campaign.billing, price=amounts.to_decimal(win.price_micros))


def _history(session: Session, tenant: TenantContext, campaign_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """(impressions, clicks) of each campaign over its life, for its CTR estimate."""
    rows = session.connection().execute(_lifetime_counts(), {"tenant": tenant.id, "ids": list(campaign_ids)})
    return {cid: (int(shown or 0), int(clicked or 0)) for cid, shown, clicked in rows}


class _Reach:
    """Does a campaign's targeting include this viewer? Countries: the viewer's country is
    listed (or none are). Categories: one of the viewer's interests is a listed category or
    lies under one (a campaign for "Fashion" reaches a buyer of shoes); a viewer with no
    interests is reached only by campaigns that target no category."""

    def __init__(self, session: Session, tenant: TenantContext, country: str, interests: Sequence[int]) -> None:
        self.session, self.tenant = session, tenant
        self.country, self.interests = (country or "").upper(), set(interests)
        self._closure: set[int] | None = None

    def matches(self, campaign: Any) -> bool:
        """``campaign``: anything with ``countries`` and ``categories`` (the auction's rows)."""
        if campaign.countries and self.country not in campaign.countries:
            return False
        return not campaign.categories or bool(self.closure() & set(campaign.categories))

    def closure(self) -> set[int]:
        """The viewer's interests and every category above them (loaded once, when needed)."""
        if self._closure is None:
            parents: dict[int, int | None] = {}
            if self.interests:
                parents = {cid: parent for cid, parent in self.session.connection().execute(
                    _category_parents(), {"tenant": self.tenant.id})}
            found: set[int] = set()
            for category in self.interests:
                current: int | None = category
                while current is not None and current not in found:
                    found.add(current)
                    current = parents.get(current)
            self._closure = found
        return self._closure


# --- impressions and clicks ---------------------------------------------------------------------
def record_impressions(session: Session, tenant: TenantContext, awards: Sequence[Award], *, buyer_id: int | None,
                       at: datetime) -> list[tuple[Award, str]]:
    """Charge and record the awards about to be shown; answers those actually served, in the
    given order, each with its opaque click token. CPM awards pay their price now; CPC awards
    pay nothing now but must still afford one click. An award failing its campaign's daily
    budget or its shop's balance guard is dropped (never shown unpaid).

    Day rows are charged first, in campaign order, then accounts, in seller order — the lock
    order of ``pasar.ads.budget`` — so concurrent feeds never deadlock."""
    if not awards:
        return []
    day = budget.local_day(tenant, at)
    budget.ensure_days(session, tenant, (a.campaign_id for a in awards), day)
    order = sorted(range(len(awards)), key=lambda i: (awards[i].campaign_id, i))
    within_budget = []
    for index in order:
        award = awards[index]
        price, add = _price_of(award)
        if budget.charge_day(session, tenant, award.campaign_id, day, add=add, need=price, impressions=1):
            within_budget.append(index)
    served = []
    for index in sorted(within_budget, key=lambda i: (awards[i].seller_id, awards[i].campaign_id, i)):
        award = awards[index]
        price, add = _price_of(award)
        if budget.charge_account(session, tenant, award.seller_id, add=add, need=price):
            served.append(index)
        else:
            budget.count_day(session, tenant, award.campaign_id, day, add=-add, impressions=-1)
    answer, rows = [], []
    for index in sorted(served):
        award = awards[index]
        token = secrets.token_urlsafe(18)
        rows.append({"tenant_id": tenant.id, "token": token, "campaign_id": award.campaign_id,
                     "seller_id": award.seller_id, "buyer_id": buyer_id, "kind": award.kind,
                     "target_id": award.target_id, "product_id": award.product_id, "billing": award.billing,
                     "price_micros": _price_of(award)[0], "at": at})
        answer.append((award, token))
    if rows:  # Core, built once: no ORM objects for rows nobody reads back in this request
        session.execute(_new_impressions(), rows)
    return answer


@cache
def _new_impressions() -> Any:
    return insert(Impression.__table__)


def _price_of(award: Award) -> tuple[int, int]:
    """(the award's price, what an impression adds now) in micros."""
    micros = award.price.scaleb(6)
    if micros != micros.to_integral_value() or micros <= 0 or award.billing not in BILLINGS:
        raise ValueError(f"not an award of this auction: {award!r}")
    price = int(micros)
    return price, price if award.billing == "cpm" else 0


def record_click(session: Session, tenant: TenantContext, token: str, *, buyer_id: int | None, at: datetime) -> Click:
    """Count a click on a served ad (CPC: charge it, guarded) and say where it leads. One
    click per impression is counted: a repeated token (a double tap, a retried request, a
    replayed link) is answered the same destination and charged nothing."""
    impression = session.scalar(select(Impression).where(Impression.token == token)) if token else None
    if impression is None:
        raise AdsNotFound("no such ad", "token")
    if at - impression.at > CLICK_WINDOW or at < impression.at:
        return _click(impression, 0, repeated=False, counted=False)
    made = session.execute(
        _insert(session)(AdClick).values(tenant_id=tenant.id, impression_id=impression.id,
                                         campaign_id=impression.campaign_id, buyer_id=buyer_id,
                                         product_id=impression.product_id, charged_micros=0, at=at)
        .on_conflict_do_nothing(index_elements=["tenant_id", "impression_id"]).returning(AdClick.id)
    ).scalar_one_or_none()  # None: the token was clicked before
    if made is None:
        return _click(impression, 0, repeated=True, counted=False)
    charged = _charge_click(session, tenant, impression, at)
    if charged:
        session.execute(
            update(AdClick).where(AdClick.tenant_id == tenant.id, AdClick.impression_id == impression.id)
            .values(charged_micros=charged).execution_options(synchronize_session=False)
        )
    return _click(impression, charged, repeated=False, counted=True)


def _charge_click(session: Session, tenant: TenantContext, impression: Impression, at: datetime) -> int:
    """Count the click on its local day; a CPC click also pays its price if the day's budget
    and the balance still allow (else it is free: a shop is never charged past its budget)."""
    day = budget.local_day(tenant, at)
    budget.ensure_days(session, tenant, [impression.campaign_id], day)
    price = impression.price_micros
    if impression.billing == "cpc" and budget.charge(session, tenant, impression.campaign_id, impression.seller_id,
                                                     day, add=price, need=price, clicks=1):
        return price
    budget.count_day(session, tenant, impression.campaign_id, day, clicks=1)
    return 0


def _click(impression: Impression, charged: int, *, repeated: bool, counted: bool) -> Click:
    return Click(campaign_id=impression.campaign_id, kind=impression.kind, target_id=impression.target_id,
                 product_id=impression.product_id, charged=amounts.to_decimal(charged), repeated=repeated,
                 counted=counted)


def campaigns_by_id(session: Session, ids: Iterable[int]) -> dict[int, Campaign]:
    wanted = set(ids)
    return {c.id: c for c in session.scalars(select(Campaign).where(Campaign.id.in_(wanted)))} if wanted else {}
