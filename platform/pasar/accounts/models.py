"""Users (per tenant), operators (global), bearer tokens and login attempts.

Tokens and login attempts are global tables (not ``TenantScoped``): an operator's token belongs
to no tenant, and the rate limiter counts one IP address across every tenant. Both carry a
nullable ``tenant_id`` so a user's token can be checked against the request's tenant.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pasar.db import Base, TenantScoped, utcnow

#: Roles a user can hold; "operator" is not one of them (operators are their own table).
USER_ROLES = frozenset({"buyer", "seller", "creator"})


class User(TenantScoped, Base):
    """A person with an account in one marketplace: buyer, shop staff, creator, or several."""

    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("tenant_id", "email"),
        # Lets other domains' tables point at a user with a (tenant_id, user_id) foreign key.
        UniqueConstraint("tenant_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased and stripped: the same address in any case is the same account.
    email: Mapped[str] = mapped_column(String(254))
    display_name: Mapped[str] = mapped_column(String(120))
    # scrypt$n$r$p$salt$hash (see accounts.passwords); never the password itself.
    password_hash: Mapped[str] = mapped_column(String(255))
    # A subset of USER_ROLES; assign a new list to change it (JSON is not mutation-tracked).
    roles: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["buyer"])
    # The shop this user staffs (sellers.id). No FK on purpose: the domains migrate independently.
    seller_id: Mapped[int | None] = mapped_column(index=True)
    # The creator profile this user runs (creators.id); no FK, as for seller_id.
    creator_id: Mapped[int | None] = mapped_column(index=True)
    # E.164 if given; used later to verify cash-on-delivery orders.
    phone: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the account is closed or blocked: its tokens stop working, login is refused.
    disabled_at: Mapped[datetime | None]


class Operator(Base):
    """Someone who runs marketplaces: reviews sellers, sets commission, switches features."""

    __tablename__ = "operators"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    # Tenant codes this operator may act in; ["*"] means every tenant.
    tenant_codes: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    disabled_at: Mapped[datetime | None]


class AuthToken(Base):
    """An opaque bearer token, stored only as its SHA-256 (the token is shown once)."""

    __tablename__ = "auth_tokens"
    __table_args__ = (Index("ix_auth_tokens_subject", "subject_kind", "subject_id"),)

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(16))  # "user" or "operator"
    subject_id: Mapped[int]
    # The user's tenant; None for operators, whose tenants come from Operator.tenant_codes.
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    # Refreshed at most every ``service.TOUCH_INTERVAL`` (5 minutes), so reading a token is not
    # a write on every request.
    last_used_at: Mapped[datetime | None]


class LoginAttempt(Base):
    """One password check, kept for rate limiting (failures per email and per IP address)."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_at", "tenant_id", "email", "at"),
        Index("ix_login_attempts_ip_at", "ip", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for operator logins.
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str] = mapped_column(String(45))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    succeeded: Mapped[bool]
