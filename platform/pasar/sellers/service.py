"""Seller services: registration against the region plugin's KYC rules, documents, the
operator's review, and what other domains ask of a shop.

Plain functions over ``(session, tenant, ...)``; no Flask. The payout provider that validates
bank accounts is handed in by the caller (the API builds it from the tenant's plugin), so this
module never needs an application to run. Status changes are conditional UPDATEs
(``... WHERE status = 'pending'``) whose row count is checked: two operators pressing "approve"
at once produce one approval and one conflict, never two events.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pasar.accounts.service import get_user, grant_role
from pasar.clock import now
from pasar.config import Settings
from pasar.contracts import BankAccount, KycRequirements, PayoutProvider
from pasar.db import Database
from pasar.events.service import record
from pasar.providers import provider_context
from pasar.sellers.models import BUSINESS_TYPES, Seller, SellerDocument, SellerStatusChange
from pasar.sellers.storage import (
    ALLOWED_TYPES,
    MAX_DOCUMENT_BYTES,
    DocumentStore,
    clean_filename,
    sniff_content_type,
)
from pasar.tenancy.service import TenantContext

Errors = dict[str, list[str]]


# --- errors -------------------------------------------------------------------------------------
class SellerError(Exception):
    """Something the sellers domain refuses."""


class SellerNotFound(SellerError, LookupError):
    """No such shop in this tenant (another tenant's shop is not found either)."""


class SellerNotApproved(SellerError):
    """The shop exists but may not sell: pending review, rejected or suspended."""

    def __init__(self, seller_id: int, status: str) -> None:
        super().__init__("seller is not approved")
        self.seller_id, self.status = seller_id, status


class InvalidSellerInput(SellerError, ValueError):
    """Bad input; ``errors`` maps each field (``kyc.nib``, ``bank_account.number``) to messages."""

    def __init__(self, errors: Errors) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


class DocumentTooLarge(InvalidSellerInput):
    """The upload is over ``MAX_DOCUMENT_BYTES``."""


class AlreadyHasShop(SellerError):
    """The user already owns a shop: one shop per user."""


class RegistrationUnavailable(SellerError):
    """The tenant's plugins state no KYC requirements, so there is nothing to register against."""


class InvalidTransition(SellerError):
    """The review action does not apply to the shop's current status."""

    def __init__(self, action: str, status: str) -> None:
        super().__init__(f"cannot {action} a seller whose status is {status}")
        self.action, self.status = action, status


class MissingDocuments(SellerError):
    """Approval needs every document the region plugin asks for."""

    def __init__(self, kinds: list[str]) -> None:
        super().__init__(f"documents missing: {', '.join(kinds)}")
        self.kinds = kinds


# --- values -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Registration:
    """What a user gives to open a shop (the API's validated body)."""

    name: str
    legal_name: str
    business_type: str
    bank_account: BankAccount
    kyc: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Actor:
    """Who made a status change: the shop's user or an operator."""

    kind: str  # "user" | "operator"
    id: int


#: Review action → (the one status it applies to, the status it leads to).
TRANSITIONS: Mapping[str, tuple[str, str]] = {
    "approve": ("pending", "approved"),
    "reject": ("pending", "rejected"),
    "suspend": ("approved", "suspended"),
    "reinstate": ("suspended", "approved"),
}
#: The outbox event each action records; "seller.approved" reaches plugins' lifecycle hook.
_EVENTS = {"approve": "seller.approved", "reject": "seller.rejected",
           "suspend": "seller.suspended", "reinstate": "seller.reinstated"}


# --- KYC and bank account -------------------------------------------------------------------------
def kyc_requirements(tenant: TenantContext) -> KycRequirements:
    """What the tenant's region plugin asks of a seller in the tenant's country."""
    requirements = tenant.hooks.kyc_requirements(tenant.country)
    if requirements is None:
        raise RegistrationUnavailable(f"no plugin of tenant {tenant.code!r} states KYC rules for {tenant.country}")
    return requirements


def kyc_problems(requirements: KycRequirements, values: Mapping[str, str]) -> Errors:
    """Each KYC field at fault, named ``kyc.<field>``: unknown, missing, or not in the format."""
    known = {f.name: f for f in requirements.fields}
    errors: Errors = {
        f"kyc.{name}": [f"unknown field; {requirements.country} asks for {', '.join(known)}"]
        for name in values if name not in known
    }
    for spec in requirements.fields:
        value = values.get(spec.name, "").strip()
        if not value:
            if spec.required:
                errors[f"kyc.{spec.name}"] = [f"{spec.label} is required"]
        elif not re.fullmatch(spec.pattern, value):
            errors[f"kyc.{spec.name}"] = [f"not a valid {spec.label}. {spec.help}".strip()]
    return errors


def clean_kyc(requirements: KycRequirements, values: Mapping[str, str]) -> dict[str, str]:
    """The values to store: stripped, and only the fields that were filled in."""
    names = {f.name for f in requirements.fields}
    return {k: v.strip() for k, v in values.items() if k in names and v.strip()}


def payouts_for(db: Database, settings: Settings, tenant: TenantContext) -> PayoutProvider:
    """The tenant's payout provider for its own country: the judge of a bank account."""
    return tenant.hooks.payout_provider(tenant.country, provider_context(db, settings, tenant))


def bank_problems(payouts: PayoutProvider, account: BankAccount, prefix: str) -> Errors:
    """The payout provider's objections, keyed by field: it reports ``"number: ..."``."""
    errors: Errors = {}
    for problem in payouts.validate_account(account):
        name, sep, message = problem.partition(":")
        named = bool(sep) and name.strip().isidentifier()
        key = ".".join(part for part in (prefix, name.strip() if named else "") if part) or "_schema"
        errors.setdefault(key, []).append(message.strip() if named else problem)
    return errors


def normalized_account(tenant: TenantContext, account: BankAccount) -> BankAccount:
    """Trim the input; an account with no country is in the tenant's country."""
    return BankAccount(
        holder=account.holder.strip(),
        number=account.number.strip(),
        bank_code=(account.bank_code or "").strip() or None,
        country=(account.country or tenant.country).strip().upper(),
    )


def mask_number(number: str) -> str:
    """``•••• 6789``: enough for the owner to recognise the account, useless to anyone else.
    Very short numbers show half their digits at most."""
    compact = re.sub(r"\s+", "", number)
    visible = min(4, len(compact) // 2)
    return "•••• " + compact[len(compact) - visible:] if visible else "••••"


def masked_account(seller: Seller) -> dict[str, str | None]:
    """A shop's payout account as every answer shows it: the number masked."""
    return {"holder": seller.bank_holder, "number": mask_number(seller.bank_number),
            "bank_code": seller.bank_code, "country": seller.bank_country}


# --- registration -------------------------------------------------------------------------------
def register_seller(
    session: Session, tenant: TenantContext, user_id: int, data: Registration, payouts: PayoutProvider
) -> Seller:
    """Open a shop for ``user_id`` (pending review) and make the user its seller.

    Raises ``AlreadyHasShop`` (one shop per user, and a shop's staff cannot open another one:
    the role would move them off their shop), ``InvalidSellerInput`` naming every field at
    fault (``kyc.<field>``, ``bank_account.<field>``, ``business_type``).
    """
    if seller_of_user(session, tenant, user_id) is not None:
        raise AlreadyHasShop("this user already has a shop")
    if get_user(session, user_id).seller_id is not None:
        raise AlreadyHasShop("this user already works for a shop")
    requirements = kyc_requirements(tenant)
    account = normalized_account(tenant, data.bank_account)
    errors = _registration_problems(data, requirements, account, payouts)
    if errors:
        raise InvalidSellerInput(errors)
    seller = _insert_seller(session, tenant, user_id, data, requirements, account)
    _log(session, seller, None, "pending", Actor("user", user_id), None)
    grant_role(session, tenant, user_id, "seller", seller_id=seller.id)
    record(session, tenant, "seller.registered", seller.id, _event_data(seller))
    return seller


def _registration_problems(
    data: Registration, requirements: KycRequirements, account: BankAccount, payouts: PayoutProvider
) -> Errors:
    errors: Errors = {}
    for name in ("name", "legal_name"):
        if not getattr(data, name).strip():
            errors[name] = ["must not be empty"]
    if data.business_type not in BUSINESS_TYPES:
        errors["business_type"] = [f"must be one of {', '.join(BUSINESS_TYPES)}"]
    errors.update(kyc_problems(requirements, data.kyc))
    errors.update(bank_problems(payouts, account, "bank_account"))
    return errors


def _insert_seller(
    session: Session, tenant: TenantContext, user_id: int, data: Registration,
    requirements: KycRequirements, account: BankAccount,
) -> Seller:
    seller = Seller(
        tenant_id=tenant.id, name=data.name.strip(), legal_name=data.legal_name.strip(),
        business_type=data.business_type, country=tenant.country, status="pending",
        kyc=clean_kyc(requirements, data.kyc), owner_user_id=user_id,
    )
    _apply_account(seller, account)
    try:
        with session.begin_nested():  # a concurrent second registration loses here
            session.add(seller)
            session.flush()
    except IntegrityError as exc:
        raise AlreadyHasShop("this user already has a shop") from exc
    return seller


def _apply_account(seller: Seller, account: BankAccount) -> None:
    seller.bank_holder, seller.bank_number = account.holder, account.number
    seller.bank_code, seller.bank_country = account.bank_code, account.country or seller.country


def update_bank_account(
    session: Session, tenant: TenantContext, seller_id: int, account: BankAccount,
    payouts: PayoutProvider, actor: Actor,
) -> Seller:
    """Replace a shop's payout account after the provider accepted it. Recorded as an event
    (masked) because a changed payout account is what a hijacked shop looks like first."""
    seller = get_seller(session, tenant, seller_id)
    account = normalized_account(tenant, account)
    errors = bank_problems(payouts, account, "")
    if errors:
        raise InvalidSellerInput(errors)
    _apply_account(seller, account)
    session.flush()
    record(session, tenant, "seller.bank_account_changed", seller.id,
           {**_event_data(seller), "bank_account": mask_number(account.number),
            "actor_kind": actor.kind, "actor_id": actor.id})
    return seller


# --- documents ----------------------------------------------------------------------------------
def upload_document(
    session: Session, tenant: TenantContext, seller_id: int, kind: str, filename: str,
    data: bytes, store: DocumentStore,
) -> SellerDocument:
    """Keep one KYC document: PDF, PNG or JPEG by its magic bytes, at most 5 MiB, of a kind the
    region plugin asks for. Raises ``DocumentTooLarge`` or ``InvalidSellerInput`` (``file`` or
    ``kind``)."""
    seller = get_seller(session, tenant, seller_id)
    content_type = _checked_document(kyc_requirements(tenant), kind, data)
    digest = hashlib.sha256(data).hexdigest()
    relative = DocumentStore.relative_path(tenant.code, seller.id, digest)
    store.save(relative, data)
    document = SellerDocument(
        tenant_id=tenant.id, seller_id=seller.id, kind=kind, filename=clean_filename(filename),
        content_type=content_type, size=len(data), sha256=digest, path=relative,
    )
    session.add(document)
    session.flush()
    session.expire(seller, ["documents"])
    return document


def _checked_document(requirements: KycRequirements, kind: str, data: bytes) -> str:
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentTooLarge({"file": [f"larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB"]})
    if kind not in requirements.documents:
        raise InvalidSellerInput({"kind": [f"must be one of {', '.join(requirements.documents)}"]})
    content_type = sniff_content_type(data)
    if content_type is None:
        allowed = ", ".join(t.split("/")[1].upper() for t in ALLOWED_TYPES)
        raise InvalidSellerInput({"file": [f"not an accepted file type; send {allowed}"]})
    return content_type


def get_document(session: Session, tenant: TenantContext, seller_id: int, document_id: int) -> SellerDocument:
    """One document of one shop; another shop's document is not found."""
    document = session.scalar(
        select(SellerDocument).where(SellerDocument.id == document_id, SellerDocument.seller_id == seller_id)
    )
    if document is None:
        raise SellerNotFound(f"no document {document_id} for seller {seller_id}")
    return document


def missing_documents(tenant: TenantContext, seller: Seller) -> list[str]:
    """The document kinds the plugin asks for that the shop has not uploaded yet."""
    have = {d.kind for d in seller.documents}
    return [kind for kind in kyc_requirements(tenant).documents if kind not in have]


# --- review -------------------------------------------------------------------------------------
def approve(session: Session, tenant: TenantContext, seller_id: int, operator_id: int) -> Seller:
    """Pending → approved, once every required document is there; records ``seller.approved``."""
    seller = get_seller(session, tenant, seller_id)
    missing = missing_documents(tenant, seller)
    if missing and seller.status == "pending":
        raise MissingDocuments(missing)
    return _transition(session, tenant, seller, "approve", Actor("operator", operator_id), None)


def reject(session: Session, tenant: TenantContext, seller_id: int, operator_id: int, reason: str) -> Seller:
    """Pending → rejected; the reason is shown to the seller, so it is required."""
    seller = get_seller(session, tenant, seller_id)
    return _transition(session, tenant, seller, "reject", Actor("operator", operator_id), _reason(reason))


def suspend(session: Session, tenant: TenantContext, seller_id: int, operator_id: int, reason: str) -> Seller:
    """Approved → suspended (the shop stops selling); the reason is required."""
    seller = get_seller(session, tenant, seller_id)
    return _transition(session, tenant, seller, "suspend", Actor("operator", operator_id), _reason(reason))


def reinstate(session: Session, tenant: TenantContext, seller_id: int, operator_id: int) -> Seller:
    """Suspended → approved again."""
    seller = get_seller(session, tenant, seller_id)
    return _transition(session, tenant, seller, "reinstate", Actor("operator", operator_id), None)


def _reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise InvalidSellerInput({"reason": ["a reason is required"]})
    return text[:500]


def _transition(
    session: Session, tenant: TenantContext, seller: Seller, action: str, actor: Actor, reason: str | None
) -> Seller:
    source, target = TRANSITIONS[action]
    at = now()
    result = session.execute(
        update(Seller)
        .where(Seller.id == seller.id, Seller.status == source)
        .values(status=target, rejection_reason=reason, reviewed_by=actor.id, reviewed_at=at, updated_at=at)
        .execution_options(synchronize_session=False)
    )
    session.refresh(seller)
    if result.rowcount != 1:
        raise InvalidTransition(action, seller.status)
    _log(session, seller, source, target, actor, reason)
    record(session, tenant, _EVENTS[action], seller.id, {**_event_data(seller), "reviewed_by": actor.id})
    return seller


def _log(session: Session, seller: Seller, source: str | None, target: str, actor: Actor, reason: str | None) -> None:
    session.add(SellerStatusChange(
        tenant_id=seller.tenant_id, seller_id=seller.id, from_status=source, to_status=target,
        actor_kind=actor.kind, actor_id=actor.id, reason=reason, at=now(),
    ))
    session.flush()
    session.expire(seller, ["status_changes"])


def _event_data(seller: Seller) -> dict[str, Any]:
    return {"seller_id": seller.id, "name": seller.name, "country": seller.country,
            "business_type": seller.business_type, "owner_user_id": seller.owner_user_id}


# --- look-ups for this and other domains --------------------------------------------------------
def get_seller(session: Session, tenant: TenantContext, seller_id: int) -> Seller:
    """The shop with this id in the session's tenant, whatever its status."""
    seller = session.scalar(select(Seller).where(Seller.id == seller_id))
    if seller is None:
        raise SellerNotFound(f"no seller {seller_id}")
    return seller


def get_approved_seller(session: Session, tenant: TenantContext, seller_id: int) -> Seller:
    """The shop, if it may list and sell now; ``SellerNotApproved`` otherwise."""
    seller = get_seller(session, tenant, seller_id)
    if seller.status != "approved":
        raise SellerNotApproved(seller.id, seller.status)
    return seller


def seller_of_user(session: Session, tenant: TenantContext, user_id: int) -> Seller | None:
    """The shop a user owns, if any."""
    return session.scalar(select(Seller).where(Seller.owner_user_id == user_id))


def list_sellers(
    session: Session, tenant: TenantContext, status: str | None = None, *, offset: int = 0, limit: int = 50
) -> tuple[list[Seller], int]:
    """A page of shops, oldest first (the review queue is first come, first served), and the total."""
    query = select(Seller)
    if status is not None:
        query = query.where(Seller.status == status)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = session.scalars(query.order_by(Seller.created_at, Seller.id).offset(offset).limit(limit))
    return list(page), int(total)


def bank_account_for(session: Session, tenant: TenantContext, owner_type: str, owner_id: int) -> BankAccount | None:
    """Where to pay ``owner_type``/``owner_id`` (for the ledger's payout batch).

    Only shops (``owner_type == "seller"``) have accounts here; any other owner, an unknown
    shop, and a shop that is not approved (suspended shops' payouts are held) answer None.
    """
    if owner_type != "seller":
        return None
    seller = session.scalar(select(Seller).where(Seller.id == owner_id))
    if seller is None or seller.status != "approved":
        return None
    return BankAccount(holder=seller.bank_holder, number=seller.bank_number,
                       bank_code=seller.bank_code, country=seller.bank_country)
