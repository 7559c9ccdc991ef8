"""Campaign reports: per local day, impressions, clicks, CTR, spend, and the orders and GMV
the campaign's clicks led to.

Delivery numbers come from the per-day counter rows the charges move, so a report always
agrees with what was charged. Attribution is *click-through*: a paid order line of the
campaign's shop for a product a buyer clicked in this campaign's ad within the tenant's
attribution window before the order (tenant setting ``attribution_days``, default 7 — the
window creators' commission uses). Each campaign counts the orders its own clicks led to, so
two campaigns of one shop whose ads the same buyer clicked may both count the order, as ad
platforms report it; an order is counted on the local day it was paid.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pasar.ads import amounts, budget
from pasar.ads.errors import InvalidAds
from pasar.ads.models import AdClick, Campaign, CampaignDay
from pasar.orders.models import Order, OrderLine
from pasar.tenancy.service import TenantContext

MAX_DAYS = 92
DEFAULT_ATTRIBUTION_DAYS = 7
_NOT_SOLD = ("pending_payment", "cancelled")


@dataclass(frozen=True)
class ReportDay:
    day: date
    impressions: int
    clicks: int
    spend_micros: int
    orders: int
    gmv_minor: int

    @property
    def ctr(self) -> Decimal:
        """Clicks per impression, as a fraction with four decimals (0 with no impressions)."""
        if not self.impressions:
            return Decimal("0.0000")
        return (Decimal(self.clicks) / Decimal(self.impressions)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def check_range(tenant: TenantContext, start: date | None, end: date | None, at: datetime) -> tuple[date, date]:
    """The report's days, inclusive: by default the last 7 local days up to today."""
    last = end or budget.local_day(tenant, at)
    first = start or last - timedelta(days=6)
    if first > last:
        raise InvalidAds("must not be after the end", "from")
    if (last - first).days + 1 > MAX_DAYS:
        raise InvalidAds(f"at most {MAX_DAYS} days at a time", "from")
    return first, last


def attribution_days(tenant: TenantContext) -> int:
    raw = tenant.config.settings.get("attribution_days")
    return int(raw) if raw else DEFAULT_ATTRIBUTION_DAYS


def report(session: Session, tenant: TenantContext, campaigns: Sequence[Campaign], first: date,
           last: date) -> list[ReportDay]:
    """One row per day from ``first`` to ``last`` for these campaigns together (a single
    campaign's report, or a shop's total)."""
    ids = [c.id for c in campaigns]
    delivery: dict[date, tuple[int, int, int]] = {}
    if ids:
        rows = session.execute(
            select(CampaignDay.day, func.sum(CampaignDay.impressions), func.sum(CampaignDay.clicks),
                   func.sum(CampaignDay.spent_micros))
            .where(CampaignDay.campaign_id.in_(ids), CampaignDay.day >= first, CampaignDay.day <= last)
            .group_by(CampaignDay.day)
        )
        delivery = {day: (int(shown or 0), int(clicked or 0), int(spent or 0)) for day, shown, clicked, spent in rows}
    sold = _attributed(session, tenant, campaigns, first, last)
    days = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        shown, clicked, spent = delivery.get(day, (0, 0, 0))
        orders, gmv = sold.get(day, (0, 0))
        days.append(ReportDay(day, shown, clicked, spent, orders, gmv))
    return days


def _attributed(session: Session, tenant: TenantContext, campaigns: Sequence[Campaign], first: date,
                last: date) -> dict[date, tuple[int, int]]:
    """Per local day: (distinct orders, GMV in minor units) the campaigns' clicks led to."""
    if not campaigns:
        return {}
    zone = ZoneInfo(tenant.config.timezone)
    since = datetime.combine(first, time(), zone)
    until = datetime.combine(last + timedelta(days=1), time(), zone)
    window = timedelta(days=attribution_days(tenant))
    clicks: dict[tuple[int, int], list[datetime]] = defaultdict(list)
    for buyer_id, product_id, at in session.execute(
        select(AdClick.buyer_id, AdClick.product_id, AdClick.at).where(
            AdClick.campaign_id.in_([c.id for c in campaigns]), AdClick.buyer_id.is_not(None),
            AdClick.product_id.is_not(None), AdClick.at >= since - window, AdClick.at < until)
    ):
        clicks[(buyer_id, product_id)].append(at)
    if not clicks:
        return {}
    sellers = {c.seller_id for c in campaigns}
    lines = session.execute(
        select(Order.id, Order.buyer_id, Order.created_at, Order.paid_at, OrderLine.product_id,
               OrderLine.unit_price_minor * OrderLine.quantity - OrderLine.discount_minor)
        .join(OrderLine, OrderLine.order_id == Order.id)
        .where(Order.seller_id.in_(sellers), Order.paid_at.is_not(None), Order.status.not_in(_NOT_SOLD),
               Order.paid_at >= since, Order.paid_at < until,
               Order.buyer_id.in_({buyer for buyer, _ in clicks}), OrderLine.product_id.in_({p for _, p in clicks}))
    )
    orders: dict[date, set[int]] = defaultdict(set)
    gmv: dict[date, int] = defaultdict(int)
    for order_id, buyer_id, placed, paid, product_id, amount in lines:
        if any(placed - window <= at <= placed for at in clicks.get((buyer_id, product_id), ())):
            day = paid.astimezone(zone).date()
            orders[day].add(order_id)
            gmv[day] += int(amount)
    return {day: (len(orders[day]), gmv[day]) for day in orders}


def spend_shown(tenant: TenantContext, micros: int) -> Decimal:
    """Spend as a seller reads it: the display precision, rounded down."""
    return amounts.shown(micros, tenant.currency_rules())
