"""Accounts: registration, password login with rate limiting, bearer tokens, roles.

Plain functions over a session (no Flask). A token is ``secrets.token_urlsafe(32)``, shown to
its owner once and stored only as its SHA-256, so a copy of the database logs nobody in. A token
is checked on every request and turned into a ``Principal``: the plain value the rest of the
kernel sees (never the ORM row).
"""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, cast

from sqlalchemy import Connection, CursorResult, Select, and_, bindparam, delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pasar import clock
from pasar.accounts.limiter import ATTEMPT_WINDOW, check_rate, record_attempt
from pasar.accounts.limiter import RateLimited as RateLimited  # noqa: F401 - callers catch service.RateLimited
from pasar.accounts.models import USER_ROLES, AuthToken, LoginAttempt, Operator, User
from pasar.accounts.passwords import WeakPassword as WeakPassword  # noqa: F401 - callers catch service.WeakPassword
from pasar.accounts.passwords import check_rules, decoy_hash, hash_password, verify_password
from pasar.tenancy.models import Tenant
from pasar.tenancy.service import TenantContext

USER_TOKEN_TTL = timedelta(days=30)
OPERATOR_TOKEN_TTL = timedelta(hours=12)
#: ``last_used_at`` is refreshed at most this often. It only answers "is this token still in
#: use, roughly since when?" (audits, support), where five minutes is as good as a second; a
#: shorter interval makes reading a token a write transaction on a busy client's every request.
TOUCH_INTERVAL = timedelta(minutes=5)
ALL_TENANTS = "*"

SubjectKind = Literal["user", "operator"]


# --- values and errors -------------------------------------------------------------------------
@dataclass(frozen=True)
class Principal:
    """Who is making a request: a user of one tenant, or an operator (tenant_id None)."""

    kind: SubjectKind
    id: int
    tenant_id: int | None
    roles: frozenset[str]
    seller_id: int | None
    creator_id: int | None
    email: str
    name: str = ""
    # Operators only: the tenant codes they may act in ("*" = all).
    tenant_codes: frozenset[str] = frozenset()

    def has(self, role: str) -> bool:
        return role in self.roles

    def operates(self, tenant_code: str) -> bool:
        """True for an operator allowed to act in the tenant with this code."""
        return self.kind == "operator" and (ALL_TENANTS in self.tenant_codes or tenant_code in self.tenant_codes)


@dataclass(frozen=True)
class IssuedToken:
    """A freshly issued bearer token: the only moment the raw value exists outside the client."""

    token: str
    expires_at: datetime


@dataclass(frozen=True)
class TokenLookup:
    """A valid token's principal, and whether its ``last_used_at`` is due for a refresh."""

    principal: Principal
    needs_touch: bool


class AccountsError(ValueError):
    """A request the accounts domain refuses; ``field`` names the input at fault, if any."""

    field: str | None = None


class EmailTaken(AccountsError):
    field = "email"


class InvalidRole(AccountsError):
    field = "role"


class UnknownTenants(AccountsError):
    field = "tenant_codes"


class InvalidCredentials(AccountsError):
    """Email or password wrong (deliberately not saying which), or the account is disabled."""


class UserNotFound(LookupError):
    """No user with that id in the session's tenant."""


def normalize_email(email: str) -> str:
    return email.strip().lower()


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


# --- users ------------------------------------------------------------------------------------
def register_user(
    session: Session,
    tenant: TenantContext,
    email: str,
    password: str,
    name: str,
    roles: Sequence[str] = ("buyer",),
    phone: str | None = None,
) -> User:
    """Create a user after checking the password rules; ``EmailTaken`` if the tenant has one."""
    email = normalize_email(email)
    check_rules(password, email)
    return add_user(session, tenant, email=email, name=name, password_hash=hash_password(password),
                    roles=roles, phone=phone)


def add_user(
    session: Session,
    tenant: TenantContext,
    *,
    email: str,
    name: str,
    password_hash: str,
    roles: Sequence[str] = ("buyer",),
    phone: str | None = None,
) -> User:
    """Store a user whose password was already checked and hashed (imports, test factories)."""
    user = User(tenant_id=tenant.id, email=normalize_email(email), display_name=name.strip(),
                password_hash=password_hash, roles=_checked_roles(roles), phone=phone)
    _insert_unique(session, user, select(User.id).where(User.email == user.email))
    return user


def get_user(session: Session, user_id: int) -> User:
    """The user with this id in the session's tenant (another tenant's user is not found)."""
    user = session.get(User, user_id)
    if user is None:
        raise UserNotFound(user_id)
    return user


def grant_role(
    session: Session,
    tenant: TenantContext,
    user_id: int,
    role: str,
    seller_id: int | None = None,
    creator_id: int | None = None,
) -> User:
    """Give a user a role; "seller" needs the shop (``seller_id``), "creator" the profile."""
    if role not in USER_ROLES:
        raise InvalidRole(f"unknown role {role!r}; roles are {', '.join(sorted(USER_ROLES))}")
    if role == "seller" and seller_id is None:
        raise InvalidRole("the seller role needs the seller_id of the shop the user staffs")
    if role == "creator" and creator_id is None:
        raise InvalidRole("the creator role needs the creator_id of the user's creator profile")
    user = get_user(session, user_id)
    if user.tenant_id != tenant.id:
        raise UserNotFound(user_id)
    user.roles = sorted(set(user.roles) | {role})  # a new list: JSON columns track assignment only
    if seller_id is not None:
        user.seller_id = seller_id
    if creator_id is not None:
        user.creator_id = creator_id
    session.flush()
    return user


def authenticate(
    session: Session, tenant: TenantContext, email: str, password: str, ip: str
) -> tuple[User, IssuedToken]:
    """Check a user's password and issue a token; every attempt is recorded for the limiter.

    The caller must commit even when this raises ``InvalidCredentials``: the failure it recorded
    is what makes the next guesses slower.
    """
    email = normalize_email(email)
    check_rate(session, tenant.id, email, ip)
    user = session.scalar(select(User).where(User.email == email, User.tenant_id == tenant.id))
    ok = _password_matches(password, user.password_hash if user else None)
    ok = ok and user is not None and user.disabled_at is None
    record_attempt(session, tenant.id, email, ip, succeeded=ok)
    if not ok or user is None:
        raise InvalidCredentials("email or password is wrong")
    return user, issue_token(session, user)


# --- operators --------------------------------------------------------------------------------
def create_operator(
    session: Session, email: str, password: str, name: str, tenant_codes: Iterable[str]
) -> Operator:
    """Create an operator for some tenants (codes that exist) or for all (``["*"]``)."""
    email = normalize_email(email)
    check_rules(password, email)
    return add_operator(session, email=email, name=name, password_hash=hash_password(password),
                        tenant_codes=tenant_codes)


def add_operator(session: Session, *, email: str, name: str, password_hash: str, tenant_codes: Iterable[str]) -> Operator:
    """Store an operator whose password was already checked and hashed (test factories)."""
    operator = Operator(email=normalize_email(email), name=name.strip(), password_hash=password_hash,
                        tenant_codes=_checked_tenant_codes(session, tenant_codes))
    _insert_unique(session, operator, select(Operator.id).where(Operator.email == operator.email))
    return operator


def authenticate_operator(session: Session, email: str, password: str, ip: str) -> tuple[Operator, IssuedToken]:
    """As ``authenticate``, for operators (global accounts, 12-hour tokens)."""
    email = normalize_email(email)
    check_rate(session, None, email, ip)
    operator = session.scalar(select(Operator).where(Operator.email == email))
    ok = _password_matches(password, operator.password_hash if operator else None)
    ok = ok and operator is not None and operator.disabled_at is None
    record_attempt(session, None, email, ip, succeeded=ok)
    if not ok or operator is None:
        raise InvalidCredentials("email or password is wrong")
    return operator, issue_token(session, operator)


def _checked_tenant_codes(session: Session, codes: Iterable[str]) -> list[str]:
    wanted = sorted({c.strip().lower() for c in codes if c.strip()})
    if not wanted:
        raise UnknownTenants("name at least one tenant code, or * for every tenant")
    if ALL_TENANTS in wanted:
        if len(wanted) > 1:
            raise UnknownTenants("* already means every tenant; give either * or a list of codes")
        return [ALL_TENANTS]
    known = set(session.scalars(select(Tenant.code).where(Tenant.code.in_(wanted))))
    missing = [c for c in wanted if c not in known]
    if missing:
        raise UnknownTenants(f"no such tenant: {', '.join(missing)}")
    return wanted


# --- tokens -----------------------------------------------------------------------------------
def issue_token(session: Session, subject: User | Operator) -> IssuedToken:
    """A new random bearer token for a user (30 days) or an operator (12 hours)."""
    now = clock.now()
    raw = secrets.token_urlsafe(32)
    if isinstance(subject, User):
        kind, tenant_id, expires_at = "user", subject.tenant_id, now + USER_TOKEN_TTL
    else:
        kind, tenant_id, expires_at = "operator", None, now + OPERATOR_TOKEN_TTL
    session.add(AuthToken(token_hash=token_digest(raw), subject_kind=kind, subject_id=subject.id,
                          tenant_id=tenant_id, created_at=now, expires_at=expires_at))
    session.flush()
    return IssuedToken(raw, expires_at)


def revoke_token(session: Session, raw: str) -> bool:
    """Revoke one token (logout); False when it was unknown or already revoked."""
    statement = (
        update(AuthToken)
        .where(AuthToken.token_hash == token_digest(raw), AuthToken.revoked_at.is_(None))
        .values(revoked_at=clock.now())
    )
    return bool(_rowcount(session, statement))


def resolve_token(session: Session, raw: str, tenant_id: int | None) -> Principal | None:
    """The principal a token stands for in this tenant, or None (unknown, expired, revoked,
    disabled account, another tenant's user, an operator not allowed in this tenant)."""
    found = lookup_token(session, raw, tenant_id)
    if found is None:
        return None
    if found.needs_touch:
        touch_token(session, raw)
    return found.principal


# One statement per request: the token with whoever it stands for, as plain columns (no ORM
# objects to build). Built once, so the request only binds values and SQLAlchemy's compiled cache
# always hits. A user is joined only for a request in a tenant, and only that tenant's user: run
# on the connection, this statement gets no automatic tenant criterion, so it carries its own.
_TOKENS, _USERS, _OPERATORS = AuthToken.__table__, User.__table__, Operator.__table__
_TOKEN_COLUMNS = (_TOKENS.c.subject_kind, _TOKENS.c.tenant_id, _TOKENS.c.expires_at, _TOKENS.c.revoked_at,
                  _TOKENS.c.last_used_at)
_OPERATOR_COLUMNS = (_OPERATORS.c.id, _OPERATORS.c.email, _OPERATORS.c.name, _OPERATORS.c.tenant_codes,
                     _OPERATORS.c.disabled_at)
_USER_COLUMNS = (_USERS.c.id, _USERS.c.tenant_id, _USERS.c.roles, _USERS.c.seller_id, _USERS.c.creator_id,
                 _USERS.c.email, _USERS.c.display_name, _USERS.c.disabled_at)
_WITH_OPERATOR = _TOKENS.outerjoin(_OPERATORS, and_(_TOKENS.c.subject_kind == "operator",
                                                    _OPERATORS.c.id == _TOKENS.c.subject_id))
_TOKEN_AND_OPERATOR = (
    select(*_TOKEN_COLUMNS, *_OPERATOR_COLUMNS).select_from(_WITH_OPERATOR)
    .where(_TOKENS.c.token_hash == bindparam("digest"))
)
_TOKEN_AND_SUBJECT = (
    select(*_TOKEN_COLUMNS, *_OPERATOR_COLUMNS, *_USER_COLUMNS)
    .select_from(_WITH_OPERATOR.outerjoin(_USERS, and_(
        _TOKENS.c.subject_kind == "user", _USERS.c.id == _TOKENS.c.subject_id,
        _USERS.c.tenant_id == _TOKENS.c.tenant_id, _USERS.c.tenant_id == bindparam("tenant_id"))))
    .where(_TOKENS.c.token_hash == bindparam("digest"))
)
_T, _O = len(_TOKEN_COLUMNS), len(_TOKEN_COLUMNS) + len(_OPERATOR_COLUMNS)


def lookup_token(
    session: Session | Connection, raw: str, tenant_id: int | None, *, tenant_code: str | None = None
) -> TokenLookup | None:
    """``resolve_token`` without the write, so a web request can read in its own transaction
    and refresh ``last_used_at`` in a short write transaction of its own (SQLite locks).

    One statement: the token joined with its user or operator. ``tenant_code`` (the code of
    ``tenant_id``, when the caller has it) spares an operator's token a read of the tenant."""
    if isinstance(session, Session):
        session.flush()  # the statement runs on the connection: let it see the session's changes
        connection = session.connection()
    else:  # a plain pooled connection (a request's plumbing): no session machinery at all
        connection = session
    digest = token_digest(raw)
    if tenant_id is None:
        row = connection.execute(_TOKEN_AND_OPERATOR, {"digest": digest}).first()
    else:
        row = connection.execute(_TOKEN_AND_SUBJECT, {"digest": digest, "tenant_id": tenant_id}).first()
    now = clock.now()
    if row is None:
        return None
    kind, token_tenant_id, expires_at, revoked_at, last_used_at = row[:_T]
    if revoked_at is not None or expires_at <= now:
        return None
    if kind == "user":
        principal = _user_principal(row[_O:] if tenant_id is not None else None, token_tenant_id, tenant_id)
    else:
        principal = _operator_principal(connection, row[_T:_O], tenant_id, tenant_code)
    if principal is None:
        return None
    stale = last_used_at is None or last_used_at <= now - TOUCH_INTERVAL
    return TokenLookup(principal, stale)


def touch_token(session: Session, raw: str) -> None:
    """Record the token's use, unless another request already did so within ``TOUCH_INTERVAL``
    (the guard makes concurrent requests with one token write once, not once each)."""
    now = clock.now()
    session.execute(
        update(AuthToken)
        .where(AuthToken.token_hash == token_digest(raw))
        .where(or_(AuthToken.last_used_at.is_(None), AuthToken.last_used_at <= now - TOUCH_INTERVAL))
        .values(last_used_at=now)
    )


def _user_principal(user: Sequence[Any] | None, token_tenant_id: int | None,
                    tenant_id: int | None) -> Principal | None:
    if tenant_id is None or token_tenant_id != tenant_id or user is None:
        return None
    user_id, user_tenant_id, roles, seller_id, creator_id, email, display_name, disabled_at = user
    if user_id is None or disabled_at is not None:
        return None
    return Principal(kind="user", id=user_id, tenant_id=user_tenant_id, roles=frozenset(roles),
                     seller_id=seller_id, creator_id=creator_id, email=email, name=display_name)


def _operator_principal(
    connection: Connection, operator: Sequence[Any], tenant_id: int | None, tenant_code: str | None
) -> Principal | None:
    operator_id, email, name, tenant_codes, disabled_at = operator
    if operator_id is None or disabled_at is not None:
        return None
    principal = Principal(kind="operator", id=operator_id, tenant_id=None, roles=frozenset({"operator"}),
                          seller_id=None, creator_id=None, email=email, name=name,
                          tenant_codes=frozenset(tenant_codes))
    if tenant_id is None:
        return principal  # an endpoint that spans tenants
    if tenant_code is None:
        tenant_code = connection.execute(select(Tenant.code).where(Tenant.id == tenant_id)).scalar()
        if tenant_code is None:
            return None
    return principal if principal.operates(tenant_code) else None


def user_principal(user: User) -> Principal:
    return Principal(kind="user", id=user.id, tenant_id=user.tenant_id, roles=frozenset(user.roles),
                     seller_id=user.seller_id, creator_id=user.creator_id, email=user.email,
                     name=user.display_name)


def operator_principal(operator: Operator) -> Principal:
    return Principal(kind="operator", id=operator.id, tenant_id=None, roles=frozenset({"operator"}),
                     seller_id=None, creator_id=None, email=operator.email, name=operator.name,
                     tenant_codes=frozenset(operator.tenant_codes))


# --- housekeeping -----------------------------------------------------------------------------
def prune(session: Session, now: datetime | None = None) -> int:
    """Delete login attempts older than the window and tokens expired for a day; returns rows."""
    now = now or clock.now()
    attempts = _rowcount(session, delete(LoginAttempt).where(LoginAttempt.at < now - ATTEMPT_WINDOW))
    tokens = _rowcount(session, delete(AuthToken).where(AuthToken.expires_at < now - timedelta(days=1)))
    return attempts + tokens


# --- helpers ----------------------------------------------------------------------------------
def _rowcount(session: Session, statement: Any) -> int:
    """Rows an UPDATE or DELETE touched (``execute`` is typed as returning a plain Result)."""
    return int(cast(CursorResult[Any], session.execute(statement)).rowcount or 0)


def _password_matches(password: str, stored: str | None) -> bool:
    """Always runs scrypt, against a decoy when there is no account, so timing reveals nothing."""
    matched = verify_password(password, stored or decoy_hash())
    return matched and stored is not None


def _checked_roles(roles: Iterable[str]) -> list[str]:
    wanted = sorted(set(roles))
    unknown = [r for r in wanted if r not in USER_ROLES]
    if unknown or not wanted:
        raise InvalidRole(f"roles must be a non-empty subset of {', '.join(sorted(USER_ROLES))}")
    return wanted


def _insert_unique(session: Session, row: User | Operator, existing: Select[int]) -> None:
    """Insert ``row`` unless ``existing`` finds its email; a concurrent twin still loses cleanly."""
    if session.scalar(existing) is not None:
        raise EmailTaken("an account with this email already exists")
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as exc:
        raise EmailTaken("an account with this email already exists") from exc
