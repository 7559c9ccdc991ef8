"""Posting recipes: every money movement of the marketplace as one balanced transaction.

Sign convention: **debit positive, credit negative**. An asset (``gateway``: money held at the
payment provider) grows with debits; liabilities (what the platform owes: ``buyer_clearing``,
``seller_payable:<id>``, ``creator_payable:<id>``, ``tax_payable``, ...) and revenue
(``platform_revenue``) grow with credits, so their balances are negative while money is owed
or earned. A seller owed 90.00 has ``seller_payable:<id>`` at −90.00; a seller who was paid out
and then refunded a buyer (a clawback) has it above zero and owes the platform until the next
sales net it out.

The flow of one order's money:

1. ``payment_captured``: the buyer's money reaches the provider
   (gateway +, buyer_clearing −).
2. ``order_completed``: the captured money is split (buyer_clearing +; seller_payable,
   platform_revenue, payment_fees, tax_payable, withholding_payable, creator_payable −).
3. ``refund`` reverses that split in proportion into ``refund_clearing`` (before completion
   it comes straight out of buyer_clearing); ``refund_settled`` when the gateway confirms
   (refund_clearing +, gateway −), or ``refund_failed`` when the provider rejects it: the
   refund's legs are reversed exactly, so the money is owed where it was before (the seller's
   payable, buyer_clearing, ...) and the refund can be made again or paid another way.
4. ``payout`` reserves an owner's balance (payable +, payout_clearing −); then
   ``payout_paid`` (payout_clearing +, gateway −) or ``payout_failed`` (payout_clearing +,
   payable −: owed again).

Recipes take plain values (``Money``, ids, references), never another domain's objects, and
each is idempotent on its reference: calling it again with the same values returns the first
transaction, with other values raises ``IdempotencyConflict``.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Literal, NamedTuple

from moneyed import Money
from sqlalchemy.orm import Session

from pasar.ledger import service
from pasar.ledger.models import LedgerTransaction
from pasar.ledger.service import IdempotencyConflict, Leg, LedgerError, text
from pasar.money import allocate, from_minor, to_minor
from pasar.tenancy.service import TenantContext

PAYABLE_PREFIXES: dict[str, str] = {"seller": "seller_payable", "creator": "creator_payable"}


class Owner(NamedTuple):
    """Whose payable a payout draws on."""

    type: str  # "seller" or "creator"
    id: int


class InsufficientBalance(LedgerError):
    """An account would be overdrawn (ad budget, or a payable used to top one up)."""


def payable_account(owner: Owner) -> str:
    """``seller_payable:<id>`` or ``creator_payable:<id>``."""
    if owner.type not in PAYABLE_PREFIXES:
        raise LedgerError(f"owner type must be one of {sorted(PAYABLE_PREFIXES)}, not {owner.type!r}")
    return service.owner_account(PAYABLE_PREFIXES[owner.type], owner.id)


# ---------------------------------------------------------------------------------------------
# Payments and orders
# ---------------------------------------------------------------------------------------------


def payment_captured(
    session: Session,
    tenant: TenantContext,
    payment_ref: str,
    amount: Money,
    *,
    occurred_at: datetime | None = None,
) -> LedgerTransaction:
    """The provider confirmed a capture: the buyer's money is held for its orders."""
    _positive(amount, "amount")
    legs = [("gateway", amount), ("buyer_clearing", -amount)]
    return service.post(
        session, tenant, "payment_captured", payment_ref, legs,
        memo=f"payment {payment_ref} captured", occurred_at=occurred_at,
    )


def order_completed(
    session: Session,
    tenant: TenantContext,
    order_ref: str,
    seller_id: int,
    gross: Money,
    commission: Money,
    payment_fee: Money,
    tax_marketplace: Money,
    withholding: Money,
    affiliate: Sequence[tuple[int, Money]] = (),
    *,
    occurred_at: datetime | None = None,
) -> LedgerTransaction:
    """Split an order's captured ``gross`` between everyone it is owed to.

    The seller gets what is left after commission, the payment fee, tax the marketplace
    collects itself (deemed supplier / marketplace facilitator; zero when the seller collects
    it), withholding on the seller's turnover and the creators' affiliate commission. Refunds
    made before completion came out of ``buyer_clearing`` already: pass the gross net of them.
    """
    _positive(gross, "gross")
    parts = {
        "commission": commission,
        "payment_fee": payment_fee,
        "tax_marketplace": tax_marketplace,
        "withholding": withholding,
    }
    for name, part in parts.items():
        _not_negative(part, name, gross)
    creators = _creator_shares(affiliate, gross)
    net = gross - sum(parts.values(), Money(0, gross.currency)) - sum(
        creators.values(), Money(0, gross.currency)
    )
    if net.amount < 0:
        raise LedgerError(f"order {order_ref}: deductions exceed the gross {text(gross)}")
    seller = service.owner_account("seller_payable", seller_id)
    legs: list[Leg] = [
        ("buyer_clearing", gross),
        (seller, -net),
        ("platform_revenue", -commission),
        ("payment_fees", -payment_fee),
        ("tax_payable", -tax_marketplace),
        ("withholding_payable", -withholding),
    ]
    legs += [(service.owner_account("creator_payable", cid), -share) for cid, share in creators.items()]
    metadata = {"seller_id": seller_id, "creator_ids": sorted(creators)}
    return service.post(
        session, tenant, "order_completed", order_ref, legs,
        memo=f"order {order_ref} completed", metadata=metadata, occurred_at=occurred_at,
    )


def _creator_shares(affiliate: Sequence[tuple[int, Money]], gross: Money) -> dict[int, Money]:
    """Affiliate commission per creator (a creator named twice gets the sum)."""
    shares: dict[int, Money] = defaultdict(lambda: Money(0, gross.currency))
    for creator_id, share in affiliate:
        _not_negative(share, f"affiliate commission of creator {creator_id}", gross)
        shares[creator_id] += share
    return dict(shares)


# ---------------------------------------------------------------------------------------------
# Refunds
# ---------------------------------------------------------------------------------------------


def refund(
    session: Session,
    tenant: TenantContext,
    refund_ref: str,
    order_ref: str,
    seller_id: int,
    amount: Money,
    *,
    occurred_at: datetime | None = None,
) -> LedgerTransaction:
    """Owe ``amount`` back to the buyer of ``order_ref``, reversing its split in proportion.

    After completion every party gives back its share: the seller's payable goes below zero
    when the seller was already paid out (a clawback the next payout nets), and so does a
    creator's. Shares are cumulative largest-remainder allocations of everything refunded so
    far, so partial refunds adding up to the gross reverse every account exactly. Before
    completion the money simply leaves ``buyer_clearing``.
    """
    _positive(amount, "amount")
    existing = service.find(session, tenant, "refund", refund_ref)
    if existing is not None:
        return _same_refund(tenant, existing, order_ref, amount)
    completion = service.find(session, tenant, "order_completed", order_ref, lock=True)
    if completion is None:
        legs: list[Leg] = [("buyer_clearing", amount), ("refund_clearing", -amount)]
        stage = "before_completion"
    else:
        _check_seller(completion, seller_id)
        legs = _reversal_legs(session, tenant, completion, amount)
        stage = "after_completion"
    return service.post(
        session, tenant, "refund", refund_ref, legs,
        memo=f"refund {refund_ref} of order {order_ref}",
        metadata={"order_ref": order_ref, "seller_id": seller_id, "stage": stage},
        occurred_at=occurred_at, related_ref=order_ref,
    )


def _same_refund(
    tenant: TenantContext, existing: LedgerTransaction, order_ref: str, amount: Money
) -> LedgerTransaction:
    """A repeated refund must name the same order and amount as the first."""
    currency = amount.currency.code
    owed = -service.stored_legs(existing).get(("refund_clearing", currency), 0)
    wanted = to_minor(amount, service.rules_for(tenant, currency))
    if existing.related_ref != order_ref or owed != wanted:
        raise IdempotencyConflict(f"refund {existing.reference!r} was already posted differently")
    return existing


def _check_seller(completion: LedgerTransaction, seller_id: int) -> None:
    if completion.meta.get("seller_id") != seller_id:
        raise LedgerError(
            f"order {completion.reference} was completed for another seller, not {seller_id}"
        )


def _reversal_legs(
    session: Session, tenant: TenantContext, completion: LedgerTransaction, amount: Money
) -> list[Leg]:
    """Each split account's share of this refund, plus the buyer's claim in refund_clearing."""
    currency = amount.currency.code
    rules = service.rules_for(tenant, currency)
    split = sorted(
        (code, -minor)
        for (code, cur), minor in service.stored_legs(completion).items()
        if minor < 0 and cur == currency
    )
    if not split:
        raise LedgerError(f"order {completion.reference} was not completed in {currency}")
    gross = sum(part for _code, part in split)
    done = _refunded_after_completion(session, tenant, completion.reference, currency)
    wanted = to_minor(amount, rules)
    if done + wanted > gross:
        left = from_minor(gross - done, currency, rules)
        raise LedgerError(f"order {completion.reference}: at most {text(left)} is left to refund")
    weights = [part for _code, part in split]
    before = allocate(done, weights) if done else [0] * len(split)
    after = allocate(done + wanted, weights)
    legs: list[Leg] = [
        (code, from_minor(now_ - then, currency, rules))
        for (code, _part), then, now_ in zip(split, before, after)
    ]
    return [*legs, ("refund_clearing", -amount)]


def _refunded_after_completion(
    session: Session, tenant: TenantContext, order_ref: str, currency: str
) -> int:
    """Minor units refunded out of the order's split so far (not out of buyer_clearing)."""
    total = 0
    failed = {t.reference for t in service.related(session, tenant, "refund_failed", order_ref)}
    for transaction in service.related(session, tenant, "refund", order_ref):
        legs = service.stored_legs(transaction)
        if ("buyer_clearing", currency) not in legs and transaction.reference not in failed:
            total -= legs.get(("refund_clearing", currency), 0)
    return total


def refund_settled(
    session: Session,
    tenant: TenantContext,
    refund_ref: str,
    amount: Money,
    *,
    occurred_at: datetime | None = None,
) -> LedgerTransaction:
    """The gateway confirmed the refund: the money left the provider for the buyer."""
    _refund_outcome_check(session, tenant, refund_ref, amount, other="refund_failed")
    legs = [("refund_clearing", amount), ("gateway", -amount)]
    return service.post(
        session, tenant, "refund_settled", refund_ref, legs,
        memo=f"refund {refund_ref} paid to the buyer", occurred_at=occurred_at,
        related_ref=refund_ref,
    )


def refund_failed(
    session: Session,
    tenant: TenantContext,
    refund_ref: str,
    amount: Money,
    *,
    reason: str = "",
    occurred_at: datetime | None = None,
) -> LedgerTransaction:
    """The provider rejected the refund (closed account, payment no longer refundable): no
    money left, so the buyer's claim in ``refund_clearing`` goes back exactly where the
    ``refund`` posting took it from — ``buyer_clearing`` before completion, the seller's,
    creators' and platform's shares after it. Posted with the order's reference as
    ``related_ref``, so the order's refunded total and later refunds' shares leave it out."""
    original = _refund_outcome_check(session, tenant, refund_ref, amount, other="refund_settled")
    legs: list[Leg] = []
    for (code, currency), minor in service.stored_legs(original).items():
        legs.append((code, from_minor(-minor, currency, service.rules_for(tenant, currency))))
    return service.post(
        session, tenant, "refund_failed", refund_ref, legs,
        memo=f"refund {refund_ref} failed" + (f": {reason}" if reason else ""),
        metadata={"reason": reason[:200]} if reason else None,
        occurred_at=occurred_at, related_ref=original.related_ref,
    )


def _refund_outcome_check(
    session: Session, tenant: TenantContext, refund_ref: str, amount: Money, *, other: str
) -> LedgerTransaction:
    """A refund is settled or fails once, for the amount owed, and never both."""
    return _closing_check(session, tenant, "refund", refund_ref, amount, other=other,
                          owes="owes another amount than", closed="is already closed")


def _closing_check(
    session: Session, tenant: TenantContext, kind: str, ref: str, amount: Money, *, other: str, owes: str,
    closed: str,
) -> LedgerTransaction:
    """What closing a ``kind`` posting (a refund, a payout) needs: the posting exists, locked; its
    ``<kind>_clearing`` leg holds exactly ``amount``; and ``other`` (the opposite outcome) was not
    posted for it. Answers the posting being closed."""
    _positive(amount, "amount")
    original = service.find(session, tenant, kind, ref, lock=True)
    if original is None:
        raise LedgerError(f"{kind} {ref} was never posted")
    currency = amount.currency.code
    held = -service.stored_legs(original).get((f"{kind}_clearing", currency), 0)
    if held != to_minor(amount, service.rules_for(tenant, currency)):
        raise LedgerError(f"{kind} {ref} {owes} {text(amount)}")
    if service.find(session, tenant, other, ref) is not None:
        raise LedgerError(f"{kind} {ref} {closed} ({other})")
    return original


# ---------------------------------------------------------------------------------------------
# Payouts
# ---------------------------------------------------------------------------------------------


def payout(
    session: Session,
    tenant: TenantContext,
    payout_ref: str,
    owner: Owner,
    amount: Money,
    *,
    occurred_at: datetime | None = None,
) -> LedgerTransaction:
    """Reserve ``amount`` of the owner's payable for a payout sent to the provider."""
    _positive(amount, "amount")
    legs = [(payable_account(owner), amount), ("payout_clearing", -amount)]
    return service.post(
        session, tenant, "payout", payout_ref, legs,
        memo=f"payout {payout_ref} to {owner.type} {owner.id}",
        metadata={"owner_type": owner.type, "owner_id": owner.id}, occurred_at=occurred_at,
    )


def payout_paid(
    session: Session,
    tenant: TenantContext,
    payout_ref: str,
    owner: Owner,
    amount: Money,
    *,
    occurred_at: datetime | None = None,
) -> LedgerTransaction:
    """The provider confirmed the transfer: the money left the platform's account."""
    _settle_check(session, tenant, payout_ref, amount, other="payout_failed")
    legs = [("payout_clearing", amount), ("gateway", -amount)]
    return service.post(
        session, tenant, "payout_paid", payout_ref, legs,
        memo=f"payout {payout_ref} to {owner.type} {owner.id} paid",
        occurred_at=occurred_at, related_ref=payout_ref,
    )


def payout_failed(
    session: Session,
    tenant: TenantContext,
    payout_ref: str,
    owner: Owner,
    amount: Money,
    *,
    reason: str = "",
    occurred_at: datetime | None = None,
) -> LedgerTransaction:
    """The transfer failed or was refused: reverse the reservation so the money is owed again."""
    _settle_check(session, tenant, payout_ref, amount, other="payout_paid")
    legs = [("payout_clearing", amount), (payable_account(owner), -amount)]
    return service.post(
        session, tenant, "payout_failed", payout_ref, legs,
        memo=f"payout {payout_ref} to {owner.type} {owner.id} failed" + (f": {reason}" if reason else ""),
        metadata={"reason": reason} if reason else None,
        occurred_at=occurred_at, related_ref=payout_ref,
    )


def _settle_check(
    session: Session, tenant: TenantContext, payout_ref: str, amount: Money, *, other: str
) -> None:
    """A payout settles once, for the amount reserved, and never both paid and failed."""
    _closing_check(session, tenant, "payout", payout_ref, amount, other=other,
                   owes="reserved another amount than", closed="is already settled")


# ---------------------------------------------------------------------------------------------
# Ads
# ---------------------------------------------------------------------------------------------


def ad_topup(
    session: Session,
    tenant: TenantContext,
    topup_ref: str,
    seller_id: int,
    amount: Money,
    *,
    source: Literal["payment", "payable"] = "payment",
    occurred_at: datetime | None = None,
) -> LedgerTransaction:
    """Add ad budget: paid by the seller (``payment``, captured at the gateway) or taken from
    what the platform owes the seller (``payable``, refused beyond that balance)."""
    _positive(amount, "amount")
    budget = service.owner_account("ad_balance", seller_id)
    if source == "payment":
        funding = "gateway"
    elif source == "payable":
        funding = service.owner_account("seller_payable", seller_id)
    else:
        raise LedgerError(f"ad top-up source must be 'payment' or 'payable', not {source!r}")
    if source == "payable" and service.find(session, tenant, "ad_topup", topup_ref) is None:
        _require_available(session, tenant, funding, amount)
    legs = [(funding, amount), (budget, -amount)]
    return service.post(
        session, tenant, "ad_topup", topup_ref, legs,
        memo=f"ad budget for seller {seller_id}", metadata={"seller_id": seller_id, "source": source},
        occurred_at=occurred_at,
    )


def ad_spend(
    session: Session,
    tenant: TenantContext,
    spend_ref: str,
    seller_id: int,
    amount: Money,
    *,
    occurred_at: datetime | None = None,
) -> LedgerTransaction:
    """Spend ad budget (the platform earns it); refused beyond the seller's budget."""
    _positive(amount, "amount")
    budget = service.owner_account("ad_balance", seller_id)
    if service.find(session, tenant, "ad_spend", spend_ref) is None:
        _require_available(session, tenant, budget, amount)
    legs = [(budget, amount), ("ad_revenue", -amount)]
    return service.post(
        session, tenant, "ad_spend", spend_ref, legs,
        memo=f"ad spend of seller {seller_id}", metadata={"seller_id": seller_id},
        occurred_at=occurred_at,
    )


def _require_available(session: Session, tenant: TenantContext, code: str, amount: Money) -> None:
    """Refuse to draw more from a liability account than the platform owes on it. The account
    row is locked first, so two concurrent draws read the balance one after the other."""
    currency = amount.currency.code
    service.get_account(session, tenant, code, currency, lock=True)
    owed = -service.balance_minor(session, tenant, code, currency)
    if to_minor(amount, service.rules_for(tenant, currency)) > owed:
        available = from_minor(max(owed, 0), currency, service.rules_for(tenant, currency))
        raise InsufficientBalance(f"{code} has only {text(available)} available, not {text(amount)}")


# ---------------------------------------------------------------------------------------------
# Guards
# ---------------------------------------------------------------------------------------------


def _positive(amount: Money, name: str) -> None:
    if amount.amount <= 0:
        raise LedgerError(f"{name} must be positive, got {text(amount)}")


def _not_negative(amount: Money, name: str, like: Money) -> None:
    if amount.currency != like.currency:
        raise LedgerError(f"{name} is in {amount.currency.code}, not {like.currency.code}")
    if amount.amount < 0:
        raise LedgerError(f"{name} must not be negative, got {text(amount)}")
