"""What the operator console shows: tenants at a glance, review queues, and daily metrics.

Plain functions over a session (bound to one tenant, or opened for all tenants where the
function says so) — the console's views call these and the domains' own services, never SQL.

Metrics are per tenant and per currency: GMV and payouts are money, and money of two currencies
is never added up (a tenant sells in one currency, but a stray order in another would otherwise
be summed silently). Days are the tenant's local days, so "today" in Jakarta is the day an
Indonesian operator means.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from moneyed import Money
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from pasar.catalog.models import Product
from pasar.ledger.models import Payout
from pasar.money import fallback_rules, format_money, from_minor
from pasar.orders.models import Order
from pasar.plugins import PluginHost
from pasar.sellers.models import Seller
from pasar.tenancy.service import TenantContext

#: The longest window the console charts (a quarter); longer views belong in reports.
MAX_DAYS = 92


# --- tenants ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PluginVersion:
    name: str
    version: str
    loaded: bool  # False: installed but failed to import (the error is in `pasar plugins`)


@dataclass(frozen=True)
class TenantSummary:
    """One tenant as the overview lists it."""

    tenant: TenantContext
    plugins: tuple[PluginVersion, ...]
    pending_sellers: int


def visible(tenants: Iterable[TenantContext], tenant_codes: Iterable[str]) -> list[TenantContext]:
    """The tenants an operator with these codes may act in ("*" = all), by code."""
    codes = frozenset(tenant_codes)
    return sorted((t for t in tenants if "*" in codes or t.code in codes), key=lambda t: t.code)


def plugin_versions(tenant: TenantContext, host: PluginHost) -> tuple[PluginVersion, ...]:
    """The tenant's plugins with the installed version of each."""
    described = {d.name: d for d in host.installed()}
    return tuple(
        PluginVersion(name, described[name].version if name in described else "?",
                      name in described and described[name].error is None)
        for name in tenant.config.plugins
    )


def pending_seller_counts(session: Session) -> dict[int, int]:
    """Tenant id → shops waiting for review. The session must be opened for all tenants."""
    rows = session.execute(
        select(Seller.tenant_id, func.count()).where(Seller.status == "pending").group_by(Seller.tenant_id)
    )
    return {tenant_id: int(count) for tenant_id, count in rows}


def summaries(session: Session, tenants: Sequence[TenantContext], host: PluginHost) -> list[TenantSummary]:
    """The overview's rows (session opened for all tenants)."""
    pending = pending_seller_counts(session)
    return [TenantSummary(t, plugin_versions(t, host), pending.get(t.id, 0)) for t in tenants]


# --- moderation ---------------------------------------------------------------------------------
def products_for_review(session: Session, tenant: TenantContext, *, blocked: bool, limit: int = 50) -> list[Product]:
    """Blocked products (to lift a block), or the newest listed ones (to look over and block
    if needed): products are listed without prior approval, so review follows listing."""
    query = select(Product).options(selectinload(Product.texts))
    if blocked:
        query = query.where(Product.moderation == "blocked").order_by(Product.updated_at.desc())
    else:
        query = query.where(Product.moderation == "approved", Product.status == "active")
        query = query.order_by(Product.created_at.desc())
    return list(session.scalars(query.order_by(Product.id.desc()).limit(limit)))


# --- metrics ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Window:
    """Consecutive local days of one tenant, and the UTC instants that bound them."""

    days: tuple[date, ...]
    timezone: ZoneInfo

    @property
    def start(self) -> datetime:
        return datetime.combine(self.days[0], time(), self.timezone).astimezone(UTC)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.days[-1] + timedelta(days=1), time(), self.timezone).astimezone(UTC)

    def day_of(self, moment: datetime) -> date:
        return moment.astimezone(self.timezone).date()


def window(tenant: TenantContext, days: int, today: date) -> Window:
    """The last ``days`` local days up to and including ``today`` (1 to ``MAX_DAYS``)."""
    count = max(1, min(days, MAX_DAYS))
    return Window(tuple(today - timedelta(days=n) for n in range(count - 1, -1, -1)),
                  ZoneInfo(tenant.config.timezone))


@dataclass(frozen=True)
class MoneySeries:
    """Amounts per day in one currency (days with nothing are zero)."""

    currency: str
    amounts: dict[date, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), Decimal(0))


def money_by_day(tenant: TenantContext, span: Window, rows: Iterable[tuple[datetime, int, str]]) -> list[MoneySeries]:
    """Sum (moment, minor units, currency) rows per local day and currency; the tenant's own
    currency first, and always present, so an empty window still shows its chart."""
    minor: dict[str, dict[date, int]] = defaultdict(lambda: dict.fromkeys(span.days, 0))
    _ = minor[tenant.currency]  # the tenant's own currency is always shown
    for moment, amount, currency in rows:
        minor[currency][span.day_of(moment)] += int(amount)
    ordered = sorted(minor, key=lambda code: (code != tenant.currency, code))
    return [MoneySeries(code, {day: _major(units, code, tenant) for day, units in minor[code].items()})
            for code in ordered]


def _major(units: int, currency: str, tenant: TenantContext) -> Decimal:
    """Stored minor units as an amount: through the plugin's rules for the tenant's currency,
    through ISO's exponent for any other."""
    rules = tenant.currency_rules() if currency == tenant.currency else fallback_rules(currency)
    return from_minor(units, currency, rules).amount


def gmv_by_day(session: Session, tenant: TenantContext, span: Window) -> list[MoneySeries]:
    """Gross merchandise value: what buyers paid for orders, on the local day they paid.

    Gross: a later refund or return does not take an order out (that is what makes it GMV)."""
    rows = session.execute(
        select(Order.paid_at, Order.total_minor, Order.currency)
        .where(Order.paid_at.is_not(None), Order.paid_at >= span.start, Order.paid_at < span.end)
    )
    return money_by_day(tenant, span, ((at, amount, cur) for at, amount, cur in rows if at is not None))


def payouts_by_day(session: Session, tenant: TenantContext, span: Window) -> list[MoneySeries]:
    """Money paid out to sellers and creators, on the local day the provider settled it."""
    rows = session.execute(
        select(Payout.settled_at, Payout.amount_minor, Payout.currency)
        .where(Payout.status == "paid", Payout.settled_at.is_not(None),
               Payout.settled_at >= span.start, Payout.settled_at < span.end)
    )
    return money_by_day(tenant, span, ((at, amount, cur) for at, amount, cur in rows if at is not None))


@dataclass(frozen=True)
class OrderCounts:
    """Orders placed and orders paid per local day."""

    placed: dict[date, int]
    paid: dict[date, int]


def orders_by_day(session: Session, tenant: TenantContext, span: Window) -> OrderCounts:
    placed, paid = dict.fromkeys(span.days, 0), dict.fromkeys(span.days, 0)
    created = session.scalars(
        select(Order.created_at).where(Order.created_at >= span.start, Order.created_at < span.end)
    )
    for moment in created:
        placed[span.day_of(moment)] += 1
    settled = session.scalars(
        select(Order.paid_at).where(Order.paid_at.is_not(None), Order.paid_at >= span.start,
                                    Order.paid_at < span.end)
    )
    for moment in settled:
        if moment is not None:
            paid[span.day_of(moment)] += 1
    return OrderCounts(placed, paid)


@dataclass(frozen=True)
class Metrics:
    """A tenant's charts for one window."""

    window: Window
    gmv: list[MoneySeries]
    orders: OrderCounts
    payouts: list[MoneySeries]


def metrics(session: Session, tenant: TenantContext, days: int, today: date) -> Metrics:
    span = window(tenant, days, today)
    return Metrics(span, gmv_by_day(session, tenant, span), orders_by_day(session, tenant, span),
                   payouts_by_day(session, tenant, span))


def money_label(tenant: TenantContext, currency: str | None = None) -> Callable[[Decimal | int], str]:
    """A chart's value label for amounts of ``currency`` (default: the tenant's), formatted as
    the tenant's market writes money: its plugin's rules in its default locale."""
    code = currency or tenant.currency
    rules = tenant.currency_rules() if code == tenant.currency else fallback_rules(code)
    return lambda amount: format_money(Money(amount, code), tenant.default_locale, rules)
