"""Prices: typed prices to stored minor units, and the price history behind the EU's
prior-price rule.

A variant's price is never overwritten: ``change_price`` closes the open ``PriceChange`` period
and opens another, so ``prior_price`` can answer "the lowest price of the N days before the
current price took effect" (Omnibus Art. 6a, REGIONS S115-S117) for any moment.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pasar.catalog.errors import InvalidCatalogInput
from pasar.catalog.models import PriceChange, Product, Variant
from pasar.money import money, parse_amount, quantize, to_minor
from pasar.tenancy.service import TenantContext


def price_to_minor(tenant: TenantContext, text: str, field: str = "price") -> int:
    """A price typed as ``"12.50"`` in the tenant's currency, as stored minor units.

    It must be positive and payable: no finer than the currency's display precision (a
    rupiah price has no sen even though ISO gives IDR two decimals).
    """
    rules = tenant.currency_rules()
    try:
        amount = parse_amount(text, tenant.currency, rules)
    except ValueError as exc:
        raise InvalidCatalogInput(str(exc), field) from None
    if amount <= 0:
        raise InvalidCatalogInput("must be more than zero", field)
    if quantize(amount, rules.display_minor_units, "ROUND_DOWN") != amount:
        raise InvalidCatalogInput(f"{tenant.currency} prices have at most {rules.display_minor_units} decimals", field)
    return to_minor(money(amount, tenant.currency), rules)


def change_price(session: Session, tenant: TenantContext, variant: Variant, price_minor: int, at: datetime) -> None:
    """Record a new price from ``at`` on (a no-op when it is the current price)."""
    if price_minor == variant.price_minor:
        return
    current = session.scalar(
        select(PriceChange).where(PriceChange.variant_id == variant.id, PriceChange.valid_to.is_(None))
    )
    if current is not None:
        current.valid_to = at
    session.add(PriceChange(variant_id=variant.id, price_minor=price_minor, currency=variant.currency, valid_from=at))
    variant.price_minor = price_minor
    session.flush()
    refresh_product_price(session, variant.product)


def refresh_product_price(session: Session, product: Product) -> None:
    """Keep ``Product.price_minor`` (the listing's sort key) the lowest active price."""
    prices = [v.price_minor for v in product.variants if v.active]
    product.price_minor = min(prices) if prices else None
    session.flush()


def prior_price(session: Session, tenant: TenantContext, variant_id: int, on: datetime, days: int) -> int | None:
    """The lowest price the variant had in the ``days`` days before its price at ``on`` took
    effect (EU Omnibus Art. 6a: a reduction shows this as the prior price), or None if it had
    no earlier price in that window."""
    current = _price_period_at(session, variant_id, on)
    if current is None:
        return None
    window_start = current.valid_from - timedelta(days=days)
    return session.scalar(
        select(func.min(PriceChange.price_minor)).where(
            PriceChange.variant_id == variant_id,
            PriceChange.id != current.id,
            PriceChange.valid_from < current.valid_from,
            PriceChange.valid_to > window_start,
        )
    )


def previous_price(session: Session, tenant: TenantContext, variant_id: int, on: datetime) -> int | None:
    """The price just before the one in force at ``on``: a lower current price is a reduction."""
    current = _price_period_at(session, variant_id, on)
    if current is None:
        return None
    return session.scalar(
        select(PriceChange.price_minor).where(
            PriceChange.variant_id == variant_id, PriceChange.valid_to == current.valid_from
        ).order_by(PriceChange.id.desc()).limit(1)
    )


def _price_period_at(session: Session, variant_id: int, on: datetime) -> PriceChange | None:
    return session.scalar(
        select(PriceChange).where(
            PriceChange.variant_id == variant_id,
            PriceChange.valid_from <= on,
            (PriceChange.valid_to.is_(None)) | (PriceChange.valid_to > on),
        ).order_by(PriceChange.valid_from.desc(), PriceChange.id.desc()).limit(1)
    )


# --- the same rule over periods read at once (a product page reads all its variants' periods
# --- in one statement instead of two to four per variant) ------------------------------------------
@dataclass(frozen=True)
class PricePeriod:
    id: int
    price_minor: int
    valid_from: datetime
    valid_to: datetime | None


def price_history(session: Session, variant_ids: Iterable[int]) -> dict[int, list[PricePeriod]]:
    """Every price period of the variants, by variant id, oldest first."""
    wanted = sorted(set(variant_ids))
    if not wanted:
        return {}
    history: dict[int, list[PricePeriod]] = {}
    rows = session.execute(
        select(PriceChange.variant_id, PriceChange.id, PriceChange.price_minor, PriceChange.valid_from, PriceChange.valid_to)
        .where(PriceChange.variant_id.in_(wanted)).order_by(PriceChange.valid_from, PriceChange.id)
    )
    for variant_id, period_id, price_minor, valid_from, valid_to in rows:
        history.setdefault(variant_id, []).append(PricePeriod(period_id, price_minor, valid_from, valid_to))
    return history


def period_at(periods: Sequence[PricePeriod], on: datetime) -> PricePeriod | None:
    """As ``_price_period_at``: the period in force at ``on`` (latest start, then highest id)."""
    live = [p for p in periods if p.valid_from <= on and (p.valid_to is None or p.valid_to > on)]
    return max(live, key=lambda p: (p.valid_from, p.id), default=None)


def previous_price_in(periods: Sequence[PricePeriod], on: datetime) -> int | None:
    """As ``previous_price``, over periods already read."""
    current = period_at(periods, on)
    if current is None:
        return None
    before = [p for p in periods if p.valid_to == current.valid_from]
    return max(before, key=lambda p: p.id).price_minor if before else None


def prior_price_in(periods: Sequence[PricePeriod], on: datetime, days: int) -> int | None:
    """As ``prior_price``, over periods already read."""
    current = period_at(periods, on)
    if current is None:
        return None
    window_start = current.valid_from - timedelta(days=days)
    earlier = [p.price_minor for p in periods if p.id != current.id and p.valid_from < current.valid_from
               and p.valid_to is not None and p.valid_to > window_start]
    return min(earlier, default=None)


def reduction_prior(periods: Sequence[PricePeriod], price_minor: int, on: datetime, days: int | None) -> int | None:
    """The prior price to show next to a reduced price (EU Omnibus Art. 6a), else None: only
    when the price in force is lower than the one just before it."""
    if days is None:
        return None
    before = previous_price_in(periods, on)
    if before is None or price_minor >= before:
        return None
    return prior_price_in(periods, on, days)
