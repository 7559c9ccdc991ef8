"""Vouchers: created by operators (platform) and shops (seller), checked at quote time,
redeemed atomically when an order is placed, given back when its checkout is never paid.

A platform voucher is paid by the platform and covers every line; a seller voucher is paid by
its shop and covers that shop's lines. At most one platform voucher and one voucher per shop
apply to a checkout. The discount is split over the lines it covers with
``pasar.money.allocate_money`` (see ``pricing``), so the parts always add up to it.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pasar import clock
from pasar.checkout.amounts import Amounts
from pasar.checkout.errors import Conflict, InvalidCheckout
from pasar.checkout.models import Voucher, VoucherRedemption
from pasar.money import parse_amount
from pasar.tenancy.service import TenantContext

CODE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9_-]{2,39}")
MAX_VOUCHERS = 5


@dataclass(frozen=True)
class VoucherInput:
    """What an operator or a shop may set; amounts are decimal strings in the tenant currency."""

    code: str
    kind: str  # percent | fixed
    value: str  # percent off ("12.5") or amount off ("5.00")
    min_spend: str | None = None
    max_discount: str | None = None
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    usage_limit: int | None = None
    per_buyer_limit: int | None = None


def normalise_code(code: str) -> str:
    return code.strip().upper()


# --- creating ----------------------------------------------------------------------------------
def create_voucher(
    session: Session, tenant: TenantContext, data: VoucherInput, *, seller_id: int | None, created_by: int | None,
) -> Voucher:
    """A platform voucher (``seller_id`` None) or one paid by the shop ``seller_id``."""
    amounts = Amounts.of(tenant)
    code = normalise_code(data.code)
    if not CODE_PATTERN.fullmatch(code):
        raise InvalidCheckout("3 to 40 letters, digits, '-' or '_'", "code")
    _check_period(data.valid_from, data.valid_to)
    voucher = Voucher(
        code=code, scope="platform" if seller_id is None else "seller", seller_id=seller_id, kind=data.kind,
        currency=tenant.currency, min_spend_minor=_amount(amounts, data.min_spend, "min_spend", allow_zero=True) or 0,
        valid_from=data.valid_from, valid_to=data.valid_to, usage_limit=data.usage_limit,
        per_buyer_limit=data.per_buyer_limit, created_by=created_by,
    )
    _set_value(voucher, amounts, data)
    try:
        with session.begin_nested():
            session.add(voucher)
    except IntegrityError:
        raise Conflict(f"the code {code} is taken", "code") from None
    return voucher


def _set_value(voucher: Voucher, amounts: Amounts, data: VoucherInput) -> None:
    if data.kind == "percent":
        percent = _percent(data.value)
        voucher.percent = format(percent.normalize(), "f")
        voucher.max_discount_minor = _amount(amounts, data.max_discount, "max_discount")
    elif data.kind == "fixed":
        if data.max_discount is not None:
            raise InvalidCheckout("only a percent voucher has a maximum discount", "max_discount")
        voucher.amount_minor = _amount(amounts, data.value, "value")
    else:
        raise InvalidCheckout("use percent or fixed", "kind")


def _percent(text: str) -> Decimal:
    if not re.fullmatch(r"[0-9]{1,3}(\.[0-9]{1,2})?", text):
        raise InvalidCheckout("a percentage like 10 or 12.5", "value")
    percent = Decimal(text)
    if not Decimal(0) < percent <= 100:
        raise InvalidCheckout("more than 0 and at most 100", "value")
    return percent


def _amount(amounts: Amounts, text: str | None, field: str, *, allow_zero: bool = False) -> int | None:
    """A decimal string as minor units: payable (display precision) and positive."""
    if text is None:
        return None
    try:
        value = parse_amount(text, amounts.currency, amounts.rules)
        minor = amounts.minor_exact(value)
        amounts.display_units(minor)
    except ValueError as exc:
        raise InvalidCheckout(str(exc), field) from None
    if value < 0 or (value == 0 and not allow_zero):
        raise InvalidCheckout("must be more than zero" if not allow_zero else "must not be negative", field)
    return minor


def _check_period(valid_from: datetime | None, valid_to: datetime | None) -> None:
    for name, moment in (("valid_from", valid_from), ("valid_to", valid_to)):
        if moment is not None and moment.tzinfo is None:
            raise InvalidCheckout("give a time zone, e.g. 2026-01-31T23:59:59Z", name)
    if valid_from is not None and valid_to is not None and valid_to <= valid_from:
        raise InvalidCheckout("must be after valid_from", "valid_to")


def list_vouchers(session: Session, tenant: TenantContext, *, seller_id: int | None) -> list[Voucher]:
    """A shop's own vouchers, or (``seller_id`` None) the platform's, newest first."""
    query = select(Voucher).order_by(Voucher.id.desc())
    query = query.where(Voucher.scope == "platform") if seller_id is None else query.where(Voucher.seller_id == seller_id)
    return list(session.scalars(query))


# --- applying ----------------------------------------------------------------------------------
def vouchers_for_codes(
    session: Session, tenant: TenantContext, codes: Sequence[str], buyer_id: int, seller_ids: set[int],
) -> list[Voucher]:
    """The vouchers the buyer asked for, each checked usable now for this cart, or
    ``InvalidCheckout`` naming ``vouchers`` with every reason."""
    wanted = list(dict.fromkeys(normalise_code(code) for code in codes))
    if len(wanted) > MAX_VOUCHERS:
        raise InvalidCheckout(f"at most {MAX_VOUCHERS} vouchers", "vouchers")
    found = {v.code: v for v in session.scalars(select(Voucher).where(Voucher.code.in_(wanted)))} if wanted else {}
    problems = [f"{code}: no such voucher" for code in wanted if code not in found]
    vouchers = [found[code] for code in wanted if code in found]
    now = clock.now()
    problems += [f"{v.code}: {why}" for v in vouchers if (why := unusable(session, v, buyer_id, seller_ids, now))]
    problems += _clashes(vouchers)
    if problems:
        raise InvalidCheckout("; ".join(problems), errors={"vouchers": problems})
    return vouchers


def unusable(session: Session, voucher: Voucher, buyer_id: int, seller_ids: set[int], now: datetime) -> str | None:
    """Why the buyer cannot use ``voucher`` on a cart from ``seller_ids`` now, or None."""
    if not voucher.active:
        return "no longer offered"
    if voucher.valid_from is not None and now < voucher.valid_from:
        return "not valid yet"
    if voucher.valid_to is not None and now >= voucher.valid_to:
        return "expired"
    if voucher.usage_limit is not None and voucher.used_count >= voucher.usage_limit:
        return "fully used"
    if voucher.per_buyer_limit is not None and buyer_uses(session, voucher.id, buyer_id) >= voucher.per_buyer_limit:
        return "you have used it as often as allowed"
    if voucher.scope == "seller" and voucher.seller_id not in seller_ids:
        return "applies to a shop that is not in your cart"
    return None


def _clashes(vouchers: Sequence[Voucher]) -> list[str]:
    problems: list[str] = []
    if sum(1 for v in vouchers if v.scope == "platform") > 1:
        problems.append("only one platform voucher per checkout")
    shops = [v.seller_id for v in vouchers if v.scope == "seller"]
    if len(shops) != len(set(shops)):
        problems.append("only one voucher per shop")
    return problems


def buyer_uses(session: Session, voucher_id: int, buyer_id: int) -> int:
    return session.scalar(
        select(func.count()).select_from(VoucherRedemption).where(
            VoucherRedemption.voucher_id == voucher_id, VoucherRedemption.buyer_id == buyer_id,
            VoucherRedemption.status == "active",
        )
    ) or 0


def discount_for(voucher: Voucher, base_minor: int, amounts: Amounts) -> int:
    """What ``voucher`` takes off lines worth ``base_minor``: nothing under the minimum
    spend, never more than the cap or the lines themselves."""
    if base_minor <= 0 or base_minor < voucher.min_spend_minor:
        return 0
    if voucher.kind == "percent":
        assert voucher.percent is not None
        off = amounts.percent_of(base_minor, Decimal(voucher.percent))
        if voucher.max_discount_minor is not None:
            off = min(off, voucher.max_discount_minor)
    else:
        assert voucher.amount_minor is not None
        off = voucher.amount_minor
    return min(off, base_minor)


# --- redeeming ---------------------------------------------------------------------------------
def redeem(session: Session, tenant: TenantContext, voucher: Voucher, buyer_id: int, checkout_id: int, amount_minor: int) -> None:
    """Use the voucher once for ``checkout_id``, or ``InvalidCheckout`` if the last use went
    to someone else meanwhile. The conditional UPDATE locks the voucher row until commit, so
    the per-buyer count read after it cannot race with the same buyer's other checkout."""
    taken = session.execute(
        update(Voucher).where(
            Voucher.id == voucher.id, Voucher.active.is_(True),
            (Voucher.usage_limit.is_(None)) | (Voucher.used_count < Voucher.usage_limit),
        ).values(used_count=Voucher.used_count + 1).execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise InvalidCheckout(f"{voucher.code}: fully used", errors={"vouchers": [f"{voucher.code}: fully used"]})
    limit = voucher.per_buyer_limit
    if limit is not None and buyer_uses(session, voucher.id, buyer_id) >= limit:
        message = f"{voucher.code}: you have used it as often as allowed"
        raise InvalidCheckout(message, errors={"vouchers": [message]})
    session.add(VoucherRedemption(voucher_id=voucher.id, checkout_id=checkout_id, buyer_id=buyer_id, amount_minor=amount_minor))
    session.expire(voucher, ["used_count"])


def release(session: Session, tenant: TenantContext, checkout_id: int) -> None:
    """Give a never-paid checkout's voucher uses back (each exactly once)."""
    redemptions = session.scalars(
        select(VoucherRedemption).where(VoucherRedemption.checkout_id == checkout_id, VoucherRedemption.status == "active")
    ).all()
    for redemption in redemptions:
        released = session.execute(
            update(VoucherRedemption).where(VoucherRedemption.id == redemption.id, VoucherRedemption.status == "active")
            .values(status="released").execution_options(synchronize_session=False)
        )
        if released.rowcount == 1:  # type: ignore[attr-defined]
            session.execute(
                update(Voucher).where(Voucher.id == redemption.voucher_id, Voucher.used_count > 0)
                .values(used_count=Voucher.used_count - 1).execution_options(synchronize_session=False)
            )
