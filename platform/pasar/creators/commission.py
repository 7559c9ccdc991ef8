"""Affiliate commission of a completed order: what each creator earns on the lines credited to it.

A line earns ``rate × line net`` when its creator held an active collaboration on the product
when the order was placed (``service.active_collaboration`` at ``order.created_at``): the
buyer bought under that agreement, so withdrawing the offer later takes nothing back. The
line net is what the line sold for after its voucher share, without tax (tax is never anyone's
income), for the units the buyer kept: units returned and refunded before completion earn
nothing. A refund *after* completion is the ledger's business: ``postings.refund`` reverses
the whole split, creator shares included, in proportion (the clawback).

Shares are summed per creator and rounded once, to the currency's display precision, with the
tenant's rounding (``orders.service.rounder``), which the caller hands in.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from fractions import Fraction

from sqlalchemy.orm import Session

from pasar.creators.service import FEATURE, active_collaboration
from pasar.orders.models import Order, OrderLine
from pasar.tenancy.service import TenantContext

Rounder = Callable[[Fraction | int], int]


def affiliate_shares(session: Session, tenant: TenantContext, order: Order, round_: Rounder) -> list[tuple[int, int]]:
    """``[(creator_id, minor units)]`` owed for the order, creators in id order, zeros left out."""
    if not tenant.has_feature(FEATURE):
        return []
    exact: dict[int, Fraction] = defaultdict(Fraction)
    for line in order.lines:
        if line.creator_id is None:
            continue
        collaboration = active_collaboration(session, tenant, line.creator_id, line.product_id, order.created_at)
        if collaboration is not None:
            exact[line.creator_id] += line_net(order, line) * Fraction(collaboration.rate_bp, 10_000)
    shares = ((creator_id, round_(amount)) for creator_id, amount in sorted(exact.items()))
    return [(creator_id, minor) for creator_id, minor in shares if minor > 0]


def line_net(order: Order, line: OrderLine) -> Fraction:
    """The kept units' share of the line's price after vouchers, tax taken out where the
    price included it."""
    goods = line.unit_price_minor * line.quantity - line.discount_minor
    if order.tax_included:
        goods -= line.tax_minor
    kept = Fraction(line.quantity - line.refunded_quantity, line.quantity)
    return max(Fraction(goods), Fraction(0)) * kept
