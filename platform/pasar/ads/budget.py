"""Spend guards, top-ups and the ledger rollup: the ads domain's money, race-safe.

Every charge moves two counters, each with ONE conditional UPDATE whose row count is checked —
never a read followed by a write — so any number of concurrent impressions or clicks can pass
neither the campaign's daily budget nor the seller's prepaid balance (SQLite has no
``SELECT ... FOR UPDATE``; on PostgreSQL the second writer waits for the row and re-checks the
WHERE on the newest version):

1. ``ad_campaign_days`` (campaign, local day): ``spent + need <= daily budget``;
2. ``ad_accounts`` (seller): ``spent + need <= funded``.

``need`` is what must still be affordable, ``add`` what is charged now: a CPM impression adds
its price; a CPC impression adds nothing but needs one click's price to be affordable (an ad
that could not pay for its click is not shown). A failed second guard gives the first back in
the same transaction.

**Lock order** (PostgreSQL would abort one of two transactions waiting crosswise as a
deadlock): every transaction takes day rows first, in campaign order, then account rows, in
seller order, then ledger accounts. Impressions, clicks, top-ups and the rollup all follow it.

Top-ups come out of the seller's earnings (``seller_payable``) through the ledger's
``ad_topup`` recipe — see ``top_up`` for why — and spend reaches the ledger in batches
(``roll_up``, a Celery beat task) through ``ad_spend``, so the books are not written on every
feed request yet always equal the counters once rolled up.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from moneyed import Money
from sqlalchemy import BigInteger, Date, Integer, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from pasar.ads import amounts
from pasar.ads.errors import AdsConflict, InvalidAds, NotEnoughFunds
from pasar.ads.models import AdAccount, AdTopUp, Campaign, CampaignDay
from pasar.catalog.errors import CatalogError
from pasar.catalog.prices import price_to_minor
from pasar.ledger import postings
from pasar.money import from_minor
from pasar.sellers.service import get_approved_seller
from pasar.tenancy.service import TenantContext

MAX_KEY_LENGTH = 128


def local_day(tenant: TenantContext, at: datetime) -> date:
    """The tenant's calendar day at ``at``: daily budgets reset at local midnight."""
    return at.astimezone(ZoneInfo(tenant.config.timezone)).date()


def _insert(session: Session):  # type: ignore[no-untyped-def]
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


# --- counter rows -------------------------------------------------------------------------------
# The counters move on every sponsored slot served, so their statements are Core over the
# tables, built once per process (building them per call cost more than running them); each
# names the tenant as a bound parameter. They still run through ``session.execute`` (its
# autoflush, its connection, and the session's note that the transaction wrote).
def _tenant() -> Any:
    return bindparam("tenant", type_=Integer)


@cache
def _new_day_rows(dialect: str) -> Any:
    """Insert a campaign's day row unless it exists (a concurrent creation is not an error)."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return insert(CampaignDay.__table__).on_conflict_do_nothing(index_elements=["tenant_id", "campaign_id", "day"])


@cache
def _day_moves(guarded: bool) -> Any:
    """Move a day row's counters; ``guarded``: only while ``spent + need`` stays within the
    campaign's daily budget, read in the same statement."""
    days, campaigns = CampaignDay.__table__.c, Campaign.__table__.c
    tenant, campaign = _tenant(), bindparam("campaign", type_=Integer)
    where = [days.tenant_id == tenant, days.campaign_id == campaign, days.day == bindparam("on_day", type_=Date())]
    if guarded:
        budget = (select(campaigns.daily_budget_minor * bindparam("per_minor", type_=BigInteger))
                  .where(campaigns.tenant_id == tenant, campaigns.id == campaign).scalar_subquery())
        where.append(days.spent_micros + bindparam("need", type_=BigInteger) <= budget)
    return update(CampaignDay.__table__).where(*where).values(
        spent_micros=days.spent_micros + bindparam("add", type_=BigInteger),
        impressions=days.impressions + bindparam("more_impressions", type_=BigInteger),
        clicks=days.clicks + bindparam("more_clicks", type_=BigInteger))


@cache
def _account_charge() -> Any:
    """spent += add on the seller's account only while ``spent + need <= funded``."""
    accounts = AdAccount.__table__.c
    return update(AdAccount.__table__).where(
        accounts.tenant_id == _tenant(), accounts.seller_id == bindparam("seller", type_=Integer),
        accounts.spent_micros + bindparam("need", type_=BigInteger) <= accounts.funded_micros,
    ).values(spent_micros=accounts.spent_micros + bindparam("add", type_=BigInteger))


def ensure_days(session: Session, tenant: TenantContext, campaign_ids: Iterable[int], day: date) -> None:
    """The day rows of these campaigns, created if missing (in campaign order: the lock order;
    a concurrent creation is not an error)."""
    rows = [{"tenant_id": tenant.id, "campaign_id": campaign_id, "day": day, "spent_micros": 0, "impressions": 0,
             "clicks": 0} for campaign_id in sorted(set(campaign_ids))]
    if rows:
        session.execute(_new_day_rows(session.get_bind().dialect.name), rows)


def ensure_account(session: Session, tenant: TenantContext, seller_id: int) -> None:
    """The seller's ad account row, created empty if missing."""
    session.execute(
        _insert(session)(AdAccount).values(tenant_id=tenant.id, seller_id=seller_id, currency=tenant.currency,
                                           funded_micros=0, spent_micros=0, posted_micros=0)
        .on_conflict_do_nothing(index_elements=["tenant_id", "seller_id"])
    )


def charge_day(session: Session, tenant: TenantContext, campaign_id: int, day: date, *, add: int, need: int,
               impressions: int = 0, clicks: int = 0) -> bool:
    """spent += add (and the counts) only while ``spent + need`` stays within the campaign's
    daily budget, read in the same statement."""
    done = session.execute(_day_moves(True), {
        "tenant": tenant.id, "campaign": campaign_id, "on_day": day, "add": add, "need": need,
        "more_impressions": impressions, "more_clicks": clicks,
        "per_minor": amounts.per_minor(tenant.currency_rules())})
    return done.rowcount == 1  # type: ignore[attr-defined]


def count_day(session: Session, tenant: TenantContext, campaign_id: int, day: date, *, add: int = 0,
              impressions: int = 0, clicks: int = 0) -> None:
    """Move the day's counters with no budget guard: giving a charge back, or counting a
    click that costs nothing."""
    session.execute(_day_moves(False), {"tenant": tenant.id, "campaign": campaign_id, "on_day": day, "add": add,
                                        "more_impressions": impressions, "more_clicks": clicks})


def charge_account(session: Session, tenant: TenantContext, seller_id: int, *, add: int, need: int) -> bool:
    """spent += add only while ``spent + need`` stays within what the seller funded."""
    done = session.execute(_account_charge(), {"tenant": tenant.id, "seller": seller_id, "add": add, "need": need})
    return done.rowcount == 1  # type: ignore[attr-defined]


def charge(session: Session, tenant: TenantContext, campaign_id: int, seller_id: int, day: date, *, add: int,
           need: int, impressions: int = 0, clicks: int = 0) -> bool:
    """Both guards for one campaign (its day row, then its seller's account); all or nothing."""
    if not charge_day(session, tenant, campaign_id, day, add=add, need=need, impressions=impressions, clicks=clicks):
        return False
    if charge_account(session, tenant, seller_id, add=add, need=need):
        return True
    count_day(session, tenant, campaign_id, day, add=-add, impressions=-impressions, clicks=-clicks)
    return False


def account(session: Session, tenant: TenantContext, seller_id: int) -> AdAccount | None:
    return session.scalar(select(AdAccount).where(AdAccount.seller_id == seller_id))


# --- top-ups ------------------------------------------------------------------------------------
def top_up(session: Session, tenant: TenantContext, seller_id: int, *, amount: str, key: str,
           at: datetime) -> tuple[AdTopUp, bool]:
    """Move ``amount`` of the seller's earnings into its ad balance, once per Idempotency-Key;
    answers the top-up and whether this call made it (False: a retry of the same key).

    Why earnings: that is how social-commerce marketplaces let shops pay for ads (the
    settlement balance is offered first) — the money is already held by the platform, so it is
    available at once, costs no card fee and cannot be charged back, and the ledger recipe
    refuses more than the platform owes the seller, so a shop can never advertise on credit.
    A card top-up would need the payments domain to take payments that are not checkouts.
    """
    get_approved_seller(session, tenant, seller_id)
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidAds(f"a printable key of at most {MAX_KEY_LENGTH} characters", "Idempotency-Key")
    try:
        minor = price_to_minor(tenant, amount, "amount")
    except CatalogError as exc:
        raise InvalidAds(exc.message, "amount") from None
    ref = f"ads-topup:{seller_id}:{key}"
    made = session.execute(
        _insert(session)(AdTopUp).values(tenant_id=tenant.id, seller_id=seller_id, key=key, amount_minor=minor,
                                         currency=tenant.currency, source="payable", ledger_ref=ref, created_at=at)
        .on_conflict_do_nothing(index_elements=["tenant_id", "seller_id", "key"]).returning(AdTopUp.id)
    ).scalar_one_or_none()  # None: the key was used before (RETURNING answers no row)
    row = session.scalar(select(AdTopUp).where(AdTopUp.seller_id == seller_id, AdTopUp.key == key))
    assert row is not None, "the top-up was just inserted or found"
    if made is None:
        if row.amount_minor != minor:
            raise AdsConflict("this Idempotency-Key was used for another amount", "Idempotency-Key")
        return row, False
    rules = tenant.currency_rules()
    ensure_account(session, tenant, seller_id)
    session.execute(
        update(AdAccount).where(AdAccount.tenant_id == tenant.id, AdAccount.seller_id == seller_id)
        .values(funded_micros=AdAccount.funded_micros + amounts.from_minor(minor, rules))
        .execution_options(synchronize_session=False)
    )
    try:
        postings.ad_topup(session, tenant, ref, seller_id, from_minor(minor, tenant.currency, rules),
                          source="payable", occurred_at=at)
    except postings.InsufficientBalance:
        raise NotEnoughFunds("more than your available earnings", "amount") from None
    return row, True


def available_earnings(session: Session, tenant: TenantContext, seller_id: int) -> Money:
    """What the platform owes the seller now (its payable's credit balance), at least zero."""
    from pasar.ledger import service as ledger

    code = ledger.owner_account("seller_payable", seller_id)
    owed = -ledger.balance_minor(session, tenant, code, tenant.currency)
    return from_minor(max(owed, 0), tenant.currency, tenant.currency_rules())


# --- the ledger rollup --------------------------------------------------------------------------
def roll_up(session: Session, tenant: TenantContext, seller_id: int, at: datetime) -> int:
    """Post the seller's spend not yet in the ledger (whole display units; the rest waits for
    the next run) as one ``ad_spend``; answers the micros posted.

    The reference names the counter range it covers (``ads-spend:<seller>:<from>-<to>``), so
    a task that dies after posting and runs again posts nothing twice: the range is the same
    and the ledger is idempotent on it. Call in a write transaction (the account row is locked
    first: the lock order)."""
    row = session.scalar(select(AdAccount).where(AdAccount.seller_id == seller_id).with_for_update())
    if row is None:
        return 0
    rules = tenant.currency_rules()
    due = amounts.postable(row.spent_micros - row.posted_micros, rules)
    if due <= 0:
        return 0
    start = row.posted_micros
    ref = f"ads-spend:{seller_id}:{start}-{start + due}"
    postings.ad_spend(session, tenant, ref, seller_id, amounts.to_money(due, row.currency), occurred_at=at)
    moved = session.execute(
        update(AdAccount).where(AdAccount.tenant_id == tenant.id, AdAccount.id == row.id,
                                AdAccount.posted_micros == start)
        .values(posted_micros=start + due).execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise RuntimeError(f"ad account of seller {seller_id} was rolled up concurrently")
    session.expire(row)
    return due


def sellers_with_unposted_spend(session: Session, tenant: TenantContext) -> list[int]:
    """Sellers whose counters are ahead of the ledger, in seller order."""
    query = select(AdAccount.seller_id).where(AdAccount.spent_micros > AdAccount.posted_micros)
    return list(session.scalars(query.order_by(AdAccount.seller_id)))
