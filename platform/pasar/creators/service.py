"""Creator services: profiles and followers, collaborations with shops, promotion links,
clicks and attribution, and what other domains ask of creators.

Plain functions over ``(session, tenant, ...)``; no Flask. Status changes of collaborations are
conditional UPDATEs (``... WHERE status = 'invited'``) whose row count is checked, so a double
click accepts once and answers a conflict the second time. The payout provider that judges a
creator's bank account is handed in by the caller, as for shops.

Attribution is *last click wins*: a signed-in buyer's click on a creator's product (a link, a
video's product anchor, a live's pinned product) is recorded only while the creator may promote
that product (``may_promote``); an order line is credited to the latest click on its product
within the tenant's attribution window (tenant file ``settings.attribution_days``, default 7).
"""
from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pasar.accounts.service import get_user, grant_role
from pasar.catalog.errors import CatalogNotFound
from pasar.catalog.models import Product
from pasar.catalog.service import seller_product
from pasar.contracts import BankAccount, PayoutProvider
from pasar.creators.models import (
    MAX_RATE_BP,
    SOURCE_KINDS,
    Collaboration,
    CollaborationOffer,
    Creator,
    CreatorFollow,
    PromotionClick,
    PromotionLink,
)
from pasar.events.service import record
from pasar.sellers.models import Seller
from pasar.sellers.service import bank_problems, get_approved_seller, mask_number, normalized_account
from pasar.tenancy.service import TenantContext

Errors = dict[str, list[str]]
FEATURE = "affiliate"
DEFAULT_ATTRIBUTION_DAYS = 7
HANDLE_RE = re.compile(r"[a-z0-9][a-z0-9_.]{2,39}")
MAX_TAGS = 10
PAGE_SIZE = 50


# --- errors -------------------------------------------------------------------------------------
class CreatorError(Exception):
    """Something the creators domain refuses; ``field`` names the input at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field = message, field


class CreatorNotFound(CreatorError, LookupError):
    """No such creator, offer, collaboration, link or product here (another's is not found)."""


class InvalidCreatorInput(CreatorError, ValueError):
    """Bad input; ``errors`` maps each field at fault to its messages."""

    def __init__(self, errors: Errors) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()), next(iter(errors), None))
        self.errors = errors


class CreatorConflict(CreatorError):
    """The thing exists already, or is not in a state where this can be done."""


class NotPromotable(CreatorError):
    """The creator has no active collaboration for the product and does not sell it."""


# --- values -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Profile:
    """What a user gives to become a creator (the API's validated body)."""

    handle: str
    display_name: str
    bank_account: BankAccount
    bio: str = ""
    categories: Sequence[str] = field(default_factory=tuple)
    countries: Sequence[str] = field(default_factory=tuple)


@dataclass(frozen=True)
class Offer:
    """A shop's offer: commission ``rate`` (a fraction, 0.1 = 10 %) on a product in a window."""

    product_id: int
    rate: Decimal
    starts_at: datetime
    ends_at: datetime
    creator_id: int | None = None  # an invitation to this creator
    note: str = ""


@dataclass(frozen=True)
class Attribution:
    """The click an order line is credited to."""

    creator_id: int
    source_kind: str  # "link", "video" or "live"
    source_id: int
    clicked_at: datetime


# --- profiles -----------------------------------------------------------------------------------
def create_profile(
    session: Session, tenant: TenantContext, user_id: int, data: Profile, payouts: PayoutProvider, at: datetime
) -> Creator:
    """Make ``user_id`` a creator: the profile, its payout account (judged by the payout
    provider, as a shop's is) and the "creator" role. One profile per user; handles are unique."""
    if get_user(session, user_id).creator_id is not None:
        raise CreatorConflict("you already have a creator profile")
    account = normalized_account(tenant, data.bank_account)
    errors = _profile_problems(vars(data)) | bank_problems(payouts, account, "bank_account")
    if errors:
        raise InvalidCreatorInput(errors)
    creator = Creator(
        tenant_id=tenant.id, user_id=user_id, handle=data.handle.strip().lower(),
        display_name=data.display_name.strip(), bio=data.bio.strip(), categories=_tags(data.categories),
        countries=sorted({c.strip().upper() for c in data.countries}), bank_holder=account.holder,
        bank_number=account.number, bank_code=account.bank_code, bank_country=account.country or tenant.country,
        created_at=at,
    )
    _insert(session, creator, "this handle is taken, or you already have a creator profile", "handle")
    grant_role(session, tenant, user_id, "creator", creator_id=creator.id)
    record(session, tenant, "creator.registered", creator.id,
           {"creator_id": creator.id, "user_id": user_id, "handle": creator.handle})
    return creator


def _profile_problems(values: Mapping[str, Any]) -> Errors:
    """The profile fields at fault among those given (a creation gives all, an edit some)."""
    errors: Errors = {}
    if "handle" in values and not HANDLE_RE.fullmatch(str(values["handle"]).strip().lower()):
        errors["handle"] = ["3 to 40 letters, digits, '_' or '.', starting with a letter or digit"]
    if "display_name" in values and not str(values["display_name"]).strip():
        errors["display_name"] = ["must not be empty"]
    if len(values.get("categories") or ()) > MAX_TAGS:
        errors["categories"] = [f"at most {MAX_TAGS}"]
    bad = [str(c) for c in values.get("countries") or () if not re.fullmatch(r"[A-Za-z]{2}", str(c).strip())]
    if bad:
        errors["countries"] = [f"not ISO 3166 country codes: {', '.join(bad)}"]
    return errors


def _tags(values: Sequence[str]) -> list[str]:
    """Trimmed, lower-case, unique, in the order given."""
    return list(dict.fromkeys(v.strip().lower() for v in values if v.strip()))


def _insert(session: Session, row: object, message: str, field_name: str) -> None:
    """Add a row; a unique key taken meanwhile (a concurrent twin) is a conflict naming the field."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as exc:
        raise CreatorConflict(message, field_name) from exc


def update_profile(session: Session, tenant: TenantContext, creator_id: int, changes: Mapping[str, Any]) -> Creator:
    """Change the public parts of a profile (display name, bio, categories, countries)."""
    creator = get_creator(session, tenant, creator_id)
    errors = _profile_problems(changes)
    if errors:
        raise InvalidCreatorInput(errors)
    if "display_name" in changes:
        creator.display_name = str(changes["display_name"]).strip()
    if "bio" in changes:
        creator.bio = str(changes["bio"]).strip()
    if "categories" in changes:
        creator.categories = _tags(changes["categories"])
    if "countries" in changes:
        creator.countries = sorted({str(c).strip().upper() for c in changes["countries"]})
    session.flush()
    return creator


def change_bank_account(
    session: Session, tenant: TenantContext, creator_id: int, account: BankAccount, payouts: PayoutProvider,
) -> Creator:
    """Replace the account commission is paid to, judged by the tenant's payout provider
    exactly as a shop's account is (``sellers.service.bank_problems``). A refused account
    changes nothing: the old one keeps receiving payouts until a valid one replaces it; once
    replaced, the next payout batch pays the new one (it reads the account when it pays).
    Recorded as an event with the number masked: a changed payout account is what a hijacked
    creator account looks like first."""
    creator = get_creator(session, tenant, creator_id)
    account = normalized_account(tenant, account)
    errors = bank_problems(payouts, account, "")
    if errors:
        raise InvalidCreatorInput(errors)
    creator.bank_holder, creator.bank_number = account.holder, account.number
    creator.bank_code, creator.bank_country = account.bank_code, account.country or tenant.country
    session.flush()
    record(session, tenant, "creator.bank_account_changed", creator.id,
           {"creator_id": creator.id, "user_id": creator.user_id, "bank_account": mask_number(account.number)})
    return creator


def get_creator(session: Session, tenant: TenantContext, creator_id: int) -> Creator:
    creator = session.scalar(select(Creator).where(Creator.id == creator_id))
    if creator is None:
        raise CreatorNotFound("no such creator", "creator_id")
    return creator


def list_creators(
    session: Session, tenant: TenantContext, *, category: str | None = None, country: str | None = None,
    limit: int = PAGE_SIZE,
) -> list[Creator]:
    """Creators by follower count, for shops looking for partners. Categories and countries are
    JSON lists (no portable containment operator), so the filter reads a bounded candidate set."""
    rows = session.scalars(select(Creator).order_by(Creator.follower_count.desc(), Creator.id).limit(limit * 10))
    wanted_category = category.strip().lower() if category else None
    wanted_country = country.strip().upper() if country else None
    found = [
        c for c in rows
        if (wanted_category is None or wanted_category in c.categories)
        and (wanted_country is None or wanted_country in c.countries)
    ]
    return found[:limit]


def masked_account(creator: Creator) -> dict[str, str | None]:
    return {"holder": creator.bank_holder, "number": mask_number(creator.bank_number),
            "bank_code": creator.bank_code, "country": creator.bank_country}


def bank_account_for(session: Session, tenant: TenantContext, owner_type: str, owner_id: int) -> BankAccount | None:
    """Where to pay a creator's commission (the ledger's payout batch asks every domain);
    any other owner type, or an unknown creator, answers None."""
    if owner_type != "creator":
        return None
    creator = session.scalar(select(Creator).where(Creator.id == owner_id))
    if creator is None:
        return None
    return BankAccount(holder=creator.bank_holder, number=creator.bank_number,
                       bank_code=creator.bank_code, country=creator.bank_country)


# --- followers ----------------------------------------------------------------------------------
def follow(session: Session, tenant: TenantContext, creator_id: int, user_id: int) -> Creator:
    """Follow a creator (again: nothing changes). The count moves only with a new row."""
    creator = get_creator(session, tenant, creator_id)
    try:
        with session.begin_nested():
            session.add(CreatorFollow(tenant_id=tenant.id, creator_id=creator.id, user_id=user_id))
            session.flush()
    except IntegrityError:
        return creator
    _count_followers(session, creator, +1)
    return creator


def unfollow(session: Session, tenant: TenantContext, creator_id: int, user_id: int) -> Creator:
    creator = get_creator(session, tenant, creator_id)
    gone = session.execute(delete(CreatorFollow).where(
        CreatorFollow.creator_id == creator.id, CreatorFollow.user_id == user_id))
    if gone.rowcount:  # type: ignore[attr-defined]
        _count_followers(session, creator, -1)
    return creator


def _count_followers(session: Session, creator: Creator, step: int) -> None:
    """One UPDATE relative to the stored value: concurrent follows never lose a count."""
    session.execute(update(Creator).where(Creator.id == creator.id)
                    .values(follower_count=Creator.follower_count + step)
                    .execution_options(synchronize_session=False))
    session.refresh(creator)


def follows(session: Session, tenant: TenantContext, creator_id: int, user_id: int) -> bool:
    return session.scalar(select(CreatorFollow.id).where(
        CreatorFollow.creator_id == creator_id, CreatorFollow.user_id == user_id)) is not None


# --- collaborations -----------------------------------------------------------------------------
def rate_bp(rate: Decimal) -> int:
    """A commission fraction as basis points; refused unless exact and 0 < rate <= 50 %."""
    try:
        points = Decimal(rate) * 10_000
    except InvalidOperation as exc:
        raise InvalidCreatorInput({"commission_rate": ["not a number"]}) from exc
    if points != points.to_integral_value() or not 0 < points <= MAX_RATE_BP:
        raise InvalidCreatorInput({"commission_rate": [
            f"between 0.0001 and {Decimal(MAX_RATE_BP) / 10_000}, in steps of 0.0001"]})
    return int(points)


def rate_of(points: int) -> Decimal:
    return (Decimal(points) / 10_000).quantize(Decimal("0.0001"))


def publish_offer(
    session: Session, tenant: TenantContext, seller_id: int, offer: Offer, at: datetime
) -> CollaborationOffer:
    """Publish commission on one of the shop's products: open to all creators, or (with
    ``creator_id``) an invitation that creator accepts or declines."""
    get_approved_seller(session, tenant, seller_id)
    try:
        seller_product(session, tenant, seller_id, offer.product_id)
    except CatalogNotFound as exc:
        raise CreatorNotFound("no such product in your shop", "product_id") from exc
    points = rate_bp(offer.rate)
    if offer.ends_at <= offer.starts_at:
        raise InvalidCreatorInput({"ends_at": ["must be after starts_at"]})
    if offer.ends_at <= at:
        raise InvalidCreatorInput({"ends_at": ["must be in the future"]})
    if offer.creator_id is not None:
        get_creator(session, tenant, offer.creator_id)
    row = CollaborationOffer(
        tenant_id=tenant.id, seller_id=seller_id, product_id=offer.product_id, creator_id=offer.creator_id,
        rate_bp=points, starts_at=offer.starts_at, ends_at=offer.ends_at, status="open", note=offer.note.strip(),
        created_at=at,
    )
    session.add(row)
    session.flush()
    if offer.creator_id is not None:
        _join(session, tenant, row, offer.creator_id, "invited", at)
    record(session, tenant, "collaboration.offered", row.id,
           {"offer_id": row.id, "seller_id": seller_id, "product_id": row.product_id,
            "creator_id": row.creator_id, "rate_bp": points})
    return row


def _join(session: Session, tenant: TenantContext, offer: CollaborationOffer, creator_id: int, status: str,
          at: datetime) -> Collaboration:
    collaboration = Collaboration(
        tenant_id=tenant.id, offer_id=offer.id, creator_id=creator_id, seller_id=offer.seller_id,
        product_id=offer.product_id, rate_bp=offer.rate_bp, starts_at=offer.starts_at, ends_at=offer.ends_at,
        status=status, created_at=at,
    )
    _insert(session, collaboration, "you are on this offer already", "offer_id")
    return collaboration


def seller_offers(session: Session, tenant: TenantContext, seller_id: int) -> list[CollaborationOffer]:
    query = select(CollaborationOffer).where(CollaborationOffer.seller_id == seller_id)
    return list(session.scalars(query.order_by(CollaborationOffer.id.desc()).limit(200)))


def open_offers(
    session: Session, tenant: TenantContext, at: datetime, product_id: int | None = None
) -> list[CollaborationOffer]:
    """Offers any creator may apply to now, best rate first."""
    query = select(CollaborationOffer).where(
        CollaborationOffer.status == "open", CollaborationOffer.creator_id.is_(None), CollaborationOffer.ends_at > at)
    if product_id is not None:
        query = query.where(CollaborationOffer.product_id == product_id)
    order = (CollaborationOffer.rate_bp.desc(), CollaborationOffer.id)
    return list(session.scalars(query.order_by(*order).limit(200)))


def withdraw_offer(
    session: Session, tenant: TenantContext, seller_id: int, offer_id: int, at: datetime
) -> CollaborationOffer:
    """Stop an offer now: its window closes at ``at`` for every collaboration on it (what was
    earned before stays earned), and pending applications and invitations end."""
    offer = _seller_offer(session, seller_id, offer_id)
    done = session.execute(update(CollaborationOffer)
                           .where(CollaborationOffer.id == offer.id, CollaborationOffer.status == "open")
                           .values(status="withdrawn", ends_at=_earlier(offer.ends_at, at, offer.starts_at))
                           .execution_options(synchronize_session=False))
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise CreatorConflict(f"offer {offer.id} was withdrawn already", "status")
    for collaboration in session.scalars(select(Collaboration).where(Collaboration.offer_id == offer.id)):
        collaboration.ends_at = _earlier(collaboration.ends_at, at, collaboration.starts_at)
        if collaboration.status in ("invited", "applied", "active"):
            collaboration.status = "ended"
    session.flush()
    session.refresh(offer)
    return offer


def _earlier(ends_at: datetime, at: datetime, starts_at: datetime) -> datetime:
    """The window's new end: now, unless it ended already; never before its start."""
    return max(min(ends_at, at), starts_at + timedelta(microseconds=1))


def _seller_offer(session: Session, seller_id: int, offer_id: int) -> CollaborationOffer:
    offer = session.scalar(select(CollaborationOffer).where(
        CollaborationOffer.id == offer_id, CollaborationOffer.seller_id == seller_id))
    if offer is None:
        raise CreatorNotFound("no such offer", "offer_id")
    return offer


def apply(session: Session, tenant: TenantContext, creator_id: int, offer_id: int, at: datetime) -> Collaboration:
    """A creator asks to join an open offer; the shop approves or rejects."""
    offer = session.scalar(select(CollaborationOffer).where(
        CollaborationOffer.id == offer_id, CollaborationOffer.creator_id.is_(None)))
    if offer is None:
        raise CreatorNotFound("no such offer", "offer_id")
    if offer.status != "open" or offer.ends_at <= at:
        raise CreatorConflict(f"offer {offer.id} is closed", "offer_id")
    collaboration = _join(session, tenant, offer, creator_id, "applied", at)
    record(session, tenant, "collaboration.applied", collaboration.id,
           {"collaboration_id": collaboration.id, "offer_id": offer.id, "creator_id": creator_id,
            "seller_id": offer.seller_id})
    return collaboration


def creator_collaborations(
    session: Session, tenant: TenantContext, creator_id: int, status: str | None = None
) -> list[Collaboration]:
    query = select(Collaboration).where(Collaboration.creator_id == creator_id)
    if status is not None:
        query = query.where(Collaboration.status == status)
    return list(session.scalars(query.order_by(Collaboration.id.desc()).limit(200)))


def seller_collaborations(
    session: Session, tenant: TenantContext, seller_id: int, status: str | None = None
) -> list[Collaboration]:
    query = select(Collaboration).where(Collaboration.seller_id == seller_id)
    if status is not None:
        query = query.where(Collaboration.status == status)
    return list(session.scalars(query.order_by(Collaboration.id.desc()).limit(200)))


#: Decision → (who decides, the status it applies to, the status it leads to).
DECISIONS: dict[str, tuple[str, str, str]] = {
    "accept": ("creator", "invited", "active"),
    "decline": ("creator", "invited", "declined"),
    "approve": ("seller", "applied", "active"),
    "reject": ("seller", "applied", "rejected"),
}


def decide(
    session: Session, tenant: TenantContext, decision: str, party_id: int, collaboration_id: int, at: datetime
) -> Collaboration:
    """A creator accepts/declines an invitation, a shop approves/rejects an application.
    ``party_id`` is the creator's or the shop's id: another's collaboration is not found."""
    party, source, target = DECISIONS[decision]
    owner = Collaboration.creator_id if party == "creator" else Collaboration.seller_id
    collaboration = session.scalar(select(Collaboration).where(
        Collaboration.id == collaboration_id, owner == party_id))
    if collaboration is None:
        raise CreatorNotFound("no such collaboration", "collaboration_id")
    if target == "active" and collaboration.ends_at <= at:
        raise CreatorConflict(f"the offer of collaboration {collaboration.id} has ended", "status")
    done = session.execute(update(Collaboration)
                           .where(Collaboration.id == collaboration.id, Collaboration.status == source)
                           .values(status=target, decided_at=at)
                           .execution_options(synchronize_session=False))
    session.refresh(collaboration)
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise CreatorConflict(f"collaboration {collaboration.id} is {collaboration.status}, not {source}", "status")
    record(session, tenant, f"collaboration.{target}", collaboration.id,
           {"collaboration_id": collaboration.id, "creator_id": collaboration.creator_id,
            "seller_id": collaboration.seller_id, "product_id": collaboration.product_id})
    return collaboration


def active_collaboration(
    session: Session, tenant: TenantContext, creator_id: int, product_id: int, at: datetime
) -> Collaboration | None:
    """The creator's collaboration on the product in force at ``at`` (the best rate if several).
    A withdrawn offer's collaborations count up to the withdrawal: their window ends there."""
    query = select(Collaboration).where(
        Collaboration.creator_id == creator_id, Collaboration.product_id == product_id,
        Collaboration.status.in_(("active", "ended")), Collaboration.decided_at.is_not(None),
        Collaboration.decided_at <= at, Collaboration.starts_at <= at, Collaboration.ends_at > at,
    )
    return session.scalar(query.order_by(Collaboration.rate_bp.desc(), Collaboration.id).limit(1))


def may_promote(session: Session, tenant: TenantContext, creator_id: int, product_id: int, at: datetime) -> bool:
    """Whether the creator may anchor or link the product at ``at``: an active collaboration
    on it, or the product is of the creator's own shop."""
    if active_collaboration(session, tenant, creator_id, product_id, at) is not None:
        return True
    return _own_product(session, creator_id, product_id)


def _own_product(session: Session, creator_id: int, product_id: int) -> bool:
    query = (select(Product.id)
             .join(Seller, Seller.id == Product.seller_id)
             .join(Creator, Creator.user_id == Seller.owner_user_id)
             .where(Product.id == product_id, Creator.id == creator_id))
    return session.scalar(query) is not None


# --- links, clicks, attribution -----------------------------------------------------------------
def create_link(session: Session, tenant: TenantContext, creator_id: int, product_id: int, at: datetime) -> PromotionLink:
    """The creator's link to a product (the same one when asked again)."""
    existing = session.scalar(select(PromotionLink).where(
        PromotionLink.creator_id == creator_id, PromotionLink.product_id == product_id))
    if existing is not None:
        return existing
    if session.get(Product, product_id) is None:
        raise CreatorNotFound("no such product", "product_id")
    if not may_promote(session, tenant, creator_id, product_id, at):
        raise NotPromotable("you have no active collaboration for this product", "product_id")
    link = PromotionLink(tenant_id=tenant.id, code=secrets.token_urlsafe(8)[:10], creator_id=creator_id,
                         product_id=product_id, created_at=at)
    _insert(session, link, "a link for this product was just made; ask again", "product_id")
    return link


def creator_links(session: Session, tenant: TenantContext, creator_id: int) -> list[PromotionLink]:
    query = select(PromotionLink).where(PromotionLink.creator_id == creator_id)
    return list(session.scalars(query.order_by(PromotionLink.id.desc()).limit(200)))


def follow_link(session: Session, tenant: TenantContext, code: str, buyer_id: int | None, at: datetime) -> PromotionLink:
    """Count a click on a link and, for a signed-in buyer, record it for attribution."""
    link = session.scalar(select(PromotionLink).where(PromotionLink.code == code))
    if link is None:
        raise CreatorNotFound("no such link", "code")
    session.execute(update(PromotionLink).where(PromotionLink.id == link.id)
                    .values(clicks=PromotionLink.clicks + 1).execution_options(synchronize_session=False))
    if buyer_id is not None:
        record_click(session, tenant, buyer_id, link.creator_id, link.product_id, "link", link.id, at)
    session.refresh(link)
    return link


def record_click(
    session: Session, tenant: TenantContext, buyer_id: int, creator_id: int, product_id: int,
    source_kind: str, source_id: int, at: datetime,
) -> PromotionClick | None:
    """Remember that a buyer reached a product through a creator (a link, a video's product
    anchor, a live's pinned product). Nothing is recorded — None — when the creator may not
    promote the product then, or when the buyer is the creator (no commission on oneself)."""
    if source_kind not in SOURCE_KINDS:
        raise InvalidCreatorInput({"source_kind": [f"must be one of {', '.join(SOURCE_KINDS)}"]})
    creator = session.scalar(select(Creator).where(Creator.id == creator_id))
    if creator is None or creator.user_id == buyer_id:
        return None
    if not may_promote(session, tenant, creator_id, product_id, at):
        return None
    click = PromotionClick(tenant_id=tenant.id, buyer_id=buyer_id, creator_id=creator_id, product_id=product_id,
                           source_kind=source_kind, source_id=source_id, at=at)
    session.add(click)
    session.flush()
    return click


def attribution_window(tenant: TenantContext) -> timedelta:
    """How long a click counts (tenant file ``settings.attribution_days``, default 7)."""
    return timedelta(days=int(tenant.config.settings.get("attribution_days", DEFAULT_ATTRIBUTION_DAYS)))


def attribute(session: Session, tenant: TenantContext, buyer_id: int, product_id: int, at: datetime) -> Attribution | None:
    """The last click of this buyer on this product within the attribution window before ``at``."""
    return attributions(session, tenant, buyer_id, [product_id], at).get(product_id)


def attributions(
    session: Session, tenant: TenantContext, buyer_id: int, product_ids: Iterable[int], at: datetime,
) -> dict[int, Attribution]:
    """``attribute`` for several products in one statement: per product, the buyer's last click
    on it within the attribution window before ``at`` (products nobody led the buyer to are
    left out). A checkout credits all its lines with one read, whatever their number."""
    wanted = sorted(set(product_ids))
    if not wanted:
        return {}
    query = select(PromotionClick.product_id, PromotionClick.creator_id, PromotionClick.source_kind,
                   PromotionClick.source_id, PromotionClick.at).where(
        PromotionClick.buyer_id == buyer_id, PromotionClick.product_id.in_(wanted),
        PromotionClick.at <= at, PromotionClick.at > at - attribution_window(tenant),
    ).order_by(PromotionClick.product_id, PromotionClick.at.desc(), PromotionClick.id.desc())
    found: dict[int, Attribution] = {}
    for product_id, creator_id, source_kind, source_id, clicked_at in session.execute(query):
        found.setdefault(product_id, Attribution(creator_id, source_kind, source_id, clicked_at))
    return found
